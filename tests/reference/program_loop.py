"""An independent, plain per-sample model of a development program.

Written from the program's plain dict (durations already in working days), apart from
nevsim's engine, from the rules the README states: a task starts at the latest of 0 and every
link's bound (FS: the predecessor's finish + lag; SS: its start + lag; FF: its finish + lag -
the task's duration; SF: its start + lag - the duration); a risk that happens scales its
tasks' durations by its factor and then adds its days (a mitigated risk: its mitigated
chance, its impact scaled, its cost always paid); a loop repeats while a draw falls below its
repeat probability, up to its maximum, every extra pass lasting its tasks' longest path
within the loop and delaying its last task, and costing its tasks again; cost = fixed + rate
x duration per task + risk costs + overhead x working days to SOP. Rank correlations are
left out: compare it with programs that have none. Python's own random module draws.
"""

from __future__ import annotations

import math
import random
from typing import Any


def _draw(law: Any, rng: random.Random) -> float:
    if not isinstance(law, dict):
        return float(law)
    kind = law.get("dist", "fixed")
    if kind == "fixed":
        return float(law["value"])
    if kind == "uniform":
        return rng.uniform(law["min"], law["max"])
    if kind == "triangular":
        return rng.triangular(law["min"], law["max"], law["mode"])
    if kind == "pert":
        low, mode, high, shape = law["min"], law["mode"], law["max"], law.get("shape", 4.0)
        a = 1 + shape * (mode - low) / (high - low)
        b = 1 + shape * (high - mode) / (high - low)
        return low + (high - low) * rng.betavariate(a, b)
    if kind == "normal":
        return max(0.0, rng.gauss(law["mean"], law["sd"]))
    if kind == "lognormal":
        s2 = math.log(1 + (law["sd"] / law["mean"]) ** 2)
        return rng.lognormvariate(math.log(law["mean"]) - s2 / 2, math.sqrt(s2))
    if kind == "exponential":
        return rng.expovariate(1 / law["mean"])
    if kind == "empirical":
        return float(rng.choice(law["samples"]))
    raise ValueError(kind)


def _schedule(names: list[str], links: list[dict[str, Any]],
              d: dict[str, float]) -> dict[str, float]:
    """Early finish of every named task (links among them only), in an order found here."""
    preds: dict[str, list[dict[str, Any]]] = {n: [] for n in names}
    for link in links:
        if link["from"] in preds and link["to"] in preds:
            preds[link["to"]].append(link)
    start: dict[str, float] = {}
    finish: dict[str, float] = {}
    while len(finish) < len(names):
        for name in names:
            if name in finish or any(p["from"] not in finish for p in preds[name]):
                continue
            s = 0.0
            for p in preds[name]:
                kind = p.get("type", "FS")
                lag = p.get("lag", 0.0)
                other = p["from"]
                bound = {"FS": finish[other] + lag, "SS": start[other] + lag,
                         "FF": finish[other] + lag - d[name],
                         "SF": start[other] + lag - d[name]}[kind]
                s = max(s, bound)
            start[name] = s
            finish[name] = s + d[name]
    return finish


def simulate(program: dict[str, Any], samples: int,
             seed: int) -> tuple[list[float], list[float]]:
    """SOP (working days) and cost of each sample."""
    rng = random.Random(seed)
    tasks = program["tasks"]
    names = [t["name"] for t in tasks]
    links = program.get("links", [])
    sops, costs = [], []
    for _ in range(samples):
        d = {t["name"]: _draw(t.get("duration", 0.0), rng) for t in tasks}
        fixed = {t["name"]: _draw(t.get("cost", {}).get("fixed", 0.0), rng) for t in tasks}
        rate = {t["name"]: _draw(t.get("cost", {}).get("per_day", 0.0), rng) for t in tasks}
        cost = 0.0
        for risk in program.get("risks", []):
            chance, scale = risk["probability"], 1.0
            mitigation = risk.get("mitigation")
            if risk.get("mitigated") and mitigation:
                cost += mitigation["cost"]
                scale = mitigation.get("impact_scale", 1.0)
                if mitigation.get("probability") is not None:
                    chance = mitigation["probability"]
            if rng.random() < chance:
                cost += risk.get("cost", 0.0)
                for impact in risk["impacts"]:
                    if impact.get("factor") is not None:
                        d[impact["task"]] *= 1 + (impact["factor"] - 1) * scale
                    else:
                        d[impact["task"]] += scale * _draw(impact["add"], rng)
        cost += sum(fixed[n] + rate[n] * d[n] for n in names)
        for loop in program.get("loops", []):
            passes = 1
            cap = loop.get("max_passes") or 10**9
            while passes < cap and rng.random() < loop["repeat_probability"]:
                passes += 1
                again = {n: _draw(next(t for t in tasks if t["name"] == n).get("duration", 0.0),
                                  rng) for n in loop["tasks"]}
                d[loop["tasks"][-1]] += max(_schedule(loop["tasks"], links, again).values())
                cost += sum(fixed[n] + rate[n] * again[n] for n in loop["tasks"])
        sop = _schedule(names, links, d)[program["sop"]]
        sops.append(sop)
        costs.append(cost + program.get("overhead_per_day", 0.0) * sop)
    return sops, costs

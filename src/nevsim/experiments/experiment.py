"""Run an experiment on an executor and compare its designs with confidence intervals.

Each task is one replication of one design point (a factory simulation) or one design point
(a network plan, deterministic). Replication k has the same seed at every point (common random
numbers), so the difference between two designs is estimated replication by replication,
with a much narrower interval than the difference of two independent means.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nevsim.experiments.design import Experiment
from nevsim.experiments.executors import DaskCluster, LocalPool
from nevsim.records import finite, records
from nevsim.scenario.errors import Problem, ScenarioError

Progress = Callable[[int, int], None]
CONFIDENCE = 0.95

FACTORY_OUTPUTS = ("jph", "jph_on_shift", "interdeparture_s", "vehicles", "scrapped",
                   "wip_end")
NETWORK_OUTPUTS = ("profit", "revenue", "cost", "duties_paid", "vehicles_delivered",
                   "co2_kg_per_vehicle")
HEADLINE = {"factory": "jph", "network": "profit"}


def _factory_task(task: tuple[int, int, Any, int, str | None, Any]) -> dict[str, Any]:
    from nevsim.factory.simulation import simulate

    point, replication, plant, seed, horizon, cars = task
    result = simulate(plant, seed=seed, replications=1, horizon=horizon, workers=1,
                      cars=cars, station_statistics=False)  # it reads line outputs only
    row = result.replications.iloc[0]
    return {"point": point, "replication": replication,
            **{name: float(row[name]) for name in FACTORY_OUTPUTS}}


def _network_task(task: tuple[int, int, Any, int, str | None, Any]) -> dict[str, Any]:
    from nevsim.network.planning import plan

    point, replication, network, _, _, _ = task
    result = plan(network, threads=1)
    summary = result.summary()
    return {"point": point, "replication": replication, "status": result.status.value,
            "plants_opened": ", ".join(result.plants_opened()),
            **{name: np.nan if summary.get(name) is None else float(summary[name])
               for name in NETWORK_OUTPUTS}}


@dataclass(frozen=True)
class ExperimentResult:
    """Every run (design point x replication x output) and the comparison of the designs."""

    name: str
    scenario: str
    part: str
    objective: str
    maximize: bool
    factors: list[str]
    runs: pd.DataFrame  # point, replication, one column per factor, the outputs
    seed: int
    executor: str
    workers: int
    seconds: float
    notes: list[str] = field(default_factory=list)

    def points(self) -> pd.DataFrame:
        """Per design point: its factors, the objective's mean and confidence interval."""
        rows = []
        for point, group in self.runs.groupby("point", sort=True):
            low, high = interval(group[self.objective].to_numpy())
            rows.append({"point": int(str(point)),
                         **{f: group[f].iloc[0] for f in self.factors},
                         "mean": float(group[self.objective].mean()), "low": low,
                         "high": high, "replications": len(group)})
        return pd.DataFrame(rows)

    @property
    def best(self) -> int:
        """The design point with the best mean objective."""
        table = self.points()
        means = table["mean"].to_numpy()
        pick = int(np.argmax(means) if self.maximize else np.argmin(means))
        return int(table["point"].to_numpy()[pick])

    def differences(self) -> pd.DataFrame:
        """Each point against the best, replication by replication (common random numbers).

        `low`/`high` bound the mean difference at 95%; an interval that holds 0 means the
        experiment cannot tell that design from the best (`distinguishable` False; None for
        the best itself).
        """
        wide = self.runs.pivot(index="replication", columns="point", values=self.objective)
        best = wide[self.best]
        rows = []
        for point in (int(p) for p in wide.columns):
            diff = (wide[point] - best).to_numpy()
            # a plan is deterministic: its difference is exact
            low, high = interval(diff) if self.part == "factory" else (diff[0], diff[0])
            rows.append({"point": int(point), "difference": float(np.mean(diff)), "low": low,
                         "high": high, "distinguishable": None if point == self.best else bool(
                             not (math.isnan(low) or low <= 0 <= high))})
        return pd.DataFrame(rows)

    def main_effects(self) -> pd.DataFrame:
        """The objective's mean at each level of each factor (over the other factors)."""
        rows = []
        for f in self.factors:
            for level, group in self.runs.groupby(f, sort=True):
                rows.append({"factor": f, "level": level,
                             "mean": float(group[self.objective].mean())})
        return pd.DataFrame(rows)

    def interactions(self) -> list[tuple[str, str, pd.DataFrame]]:
        """For each pair of factors, the objective's mean at each pair of levels.

        A two-factor interaction shows as lines that are not parallel: the gain of one factor
        depends on the other's level.
        """
        out = []
        for a, b in itertools.combinations(self.factors, 2):
            table = self.runs.pivot_table(index=a, columns=b, values=self.objective,
                                          aggfunc="mean")
            out.append((a, b, table))
        return out

    def summary(self) -> dict[str, Any]:
        """Headline figures, JSON-ready."""
        table = self.points().set_index("point")
        best: dict[str, Any] = {str(k): v for k, v in table.loc[self.best].to_dict().items()}
        return {
            "experiment": self.name, "scenario": self.scenario, "part": self.part,
            "objective": self.objective, "maximize": self.maximize,
            "points": len(table), "replications": int(self.runs.replication.nunique()),
            "best_point": self.best,
            "best_design": {f: _plain(best[f]) for f in self.factors},
            "best_mean": finite(float(best["mean"])), "best_interval": [
                finite(float(best["low"])), finite(float(best["high"]))],
            "seed": self.seed, "executor": self.executor, "workers": self.workers,
            "seconds": self.seconds, "notes": self.notes,
        }

    def to_dict(self) -> dict[str, Any]:
        """Everything, JSON-ready."""
        return {"summary": self.summary(), "points": records(self.points()),
                "differences": records(self.differences()), "runs": records(self.runs)}


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def interval(values: np.ndarray) -> tuple[float, float]:
    """A two-sided t confidence interval for the mean (NaN from fewer than two values)."""
    from scipy import stats

    n = len(values)
    mean = float(np.mean(values))
    if n < 2:
        return math.nan, math.nan
    half = float(stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1) * np.std(values, ddof=1)
                 / math.sqrt(n))
    return mean - half, mean + half


def lower_bound(values: np.ndarray, confidence: float) -> float:
    """The one-sided lower t confidence bound of the mean."""
    from scipy import stats

    n = len(values)
    return float(np.mean(values) - stats.t.ppf(confidence, n - 1) * np.std(values, ddof=1)
                 / math.sqrt(n))


def _order_books(scenarios: list[Any], seed: int) -> list[Any]:
    """Each design point's sequenced cars (None: one kind of car), as one run draws them.

    A mixed-model plant's order book is drawn and sequenced once per run with its seed, and
    every replication builds it (`factory.simulate`); points with the same variants share
    it. Sequencing in every task took three quarters of a replication of a week.
    """
    from nevsim.factory.orders import sequenced

    made: dict[str, Any] = {}
    books: list[Any] = []
    for scenario in scenarios:
        variants = scenario.factory.variants
        if variants is None:
            books.append(None)
            continue
        key = variants.model_dump_json()
        if key not in made:
            made[key] = sequenced(scenario.factory, seed)
        books.append(made[key])
    return books


def run(spec: Experiment, runner: LocalPool | DaskCluster, *, base: Path | None = None,
        progress: Progress | None = None) -> ExperimentResult:
    """Build every design point, run every task on `runner`, assemble the runs.

    `base` is the folder relative scenario paths start from (the spec file's).
    """
    from nevsim.document import validate
    from nevsim.factory.engine import replication_seeds
    from nevsim.scenario.overrides import apply_override
    from nevsim.scenario.reading import builtin_names, parse_yaml, resolve

    ref: str | Path = spec.scenario
    if spec.scenario not in builtin_names() and base is not None:
        ref = base / spec.scenario
    source, text = resolve(ref)
    data = parse_yaml(text, source)
    points = spec.design_points()
    scenarios = []
    for k, point in enumerate(points):
        changed = data
        for path, value in point.items():
            changed = apply_override(changed, path, value)
        where = ", ".join(f"{p}={v}" for p, v in point.items())
        scenarios.append(validate(changed, f"{source} at design point {k} ({where})"))
    first = scenarios[0]
    part = "factory" if first.factory is not None else (
        "network" if first.network is not None else None)
    if part is None:
        raise ScenarioError([Problem("scenario", "an experiment runs a factory or a network "
                                     "section; this scenario has neither")], source)
    outputs = FACTORY_OUTPUTS if part == "factory" else NETWORK_OUTPUTS
    objective = spec.objective or HEADLINE[part]
    if objective not in outputs:
        raise ScenarioError([Problem("objective", f"no output {objective!r} for a {part}; "
                                     f"outputs: {', '.join(outputs)}", objective)], "spec")
    tasks: list[tuple[int, int, Any, int, str | None, Any]]
    if part == "factory":
        seeds = replication_seeds(spec.seed, spec.replications)
        books = _order_books(scenarios, spec.seed)
        tasks = [(k, r, s.factory, seeds[r], spec.horizon, books[k])
                 for k, s in enumerate(scenarios) for r in range(spec.replications)]
        fn = _factory_task
    else:
        tasks = [(k, 0, s.network, 0, None, None) for k, s in enumerate(scenarios)]
        fn = _network_task
    started = time.perf_counter()
    rows = runner.map(fn, tasks, progress)
    seconds = time.perf_counter() - started
    runs = pd.DataFrame(rows)
    factors = list(points[0]) if points else []
    for f in factors:
        runs[f] = [points[k][f] for k in runs["point"]]
    runs = runs[["point", "replication", *factors,
                 *[c for c in runs.columns if c not in ("point", "replication", *factors)]]]
    notes = []
    if part == "network" and spec.replications > 1:
        notes.append("network plans are deterministic: one run per design point")
    return ExperimentResult(
        name=spec.name, scenario=first.name, part=part, objective=objective,
        maximize=spec.maximize, factors=factors, runs=runs.sort_values(
            ["point", "replication"]).reset_index(drop=True), seed=spec.seed,
        executor=runner.name, workers=runner.workers, seconds=seconds, notes=notes)

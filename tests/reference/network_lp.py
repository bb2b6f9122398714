"""An independent brute force for small networks.

Enumerate every build plan, solve the LP that remains for each with scipy, keep the best.

Written from the network's plain dict, apart from nevsim's model: its own reading of duties
(sums of matching entries, none inside a country), lanes (cheapest), ramp-up, lead times and
the annuity. Supports the features `nevsim.network.generate` uses without content rules.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix


def _at(schedule: Any, year: int) -> float:
    if isinstance(schedule, dict):
        return float(schedule[max(y for y in schedule if int(y) <= year)])
    return float(schedule)


def _rate(net: dict[str, Any], origin: str, dest: str, product: str, year: int) -> float:
    if origin == dest:
        return 0.0
    return sum(_at(d["rate"], year) for d in net["duties"]
               if d.get("product", "vehicle") == product and d["destination"] == dest
               and d["origin"] in ("*", origin))


def _lane(net: dict[str, Any], origin: str, dest: str, cargo: str) -> float | None:
    if origin == dest:
        return 0.0
    costs = [lane["cost"] for lane in net["lanes"] if lane["origin"] == origin
             and lane["destination"] == dest and lane.get("cargo", "vehicle") == cargo]
    return min(costs) if costs else None


def _crf(rate: float, life: int) -> float:
    return rate / (1 - (1 + rate) ** -life)


@dataclass
class BruteForce:
    """Best profit over all build plans, and the plan that reaches it."""

    profit: float
    builds: dict[str, list[int | None]]
    plans_tried: int


def _build_options(plant: dict[str, Any], years: list[int]) -> list[list[int | None]]:
    """Every start-year choice per capacity step: steps in order, never before the previous."""
    lead = plant.get("lead_time", 2)
    allowed = [s for s in years if s + lead <= years[-1]]
    options: list[list[int | None]] = [[None] * len(plant["levels"])]
    for k in range(1, len(plant["levels"]) + 1):
        for starts in itertools.product(allowed, repeat=k):
            if list(starts) == sorted(starts):
                options.append(list(starts) + [None] * (len(plant["levels"]) - k))
    return options


def _capacity(plant: dict[str, Any], starts: list[int | None], year: int) -> float:
    ramp = plant.get("ramp_up", [1.0])
    total = 0.0
    for level, start in zip(plant["levels"], starts, strict=True):
        if start is None:
            continue
        n = year - (start + plant.get("lead_time", 2))
        if n >= 0:
            total += level["capacity"] * (ramp[n] if n < len(ramp) else 1.0)
    return total


def _capital(plant: dict[str, Any], starts: list[int | None], years: list[int]) -> float:
    total = 0.0
    for level, start in zip(plant["levels"], starts, strict=True):
        if start is None:
            continue
        annual = level.get("fixed_cost", 0.0) + level.get("capex", 0.0) * _crf(
            0.08, plant.get("life", 20))
        total += annual * sum(1 for y in years if y >= start + plant.get("lead_time", 2))
    return total


class _Rows:
    """Constraint rows as sparse triplets; terms on columns that do not exist are dropped."""

    def __init__(self, index: dict[tuple[Any, ...], int]) -> None:
        self.index = index
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.rhs: list[float] = []

    def __call__(self, terms: list[tuple[tuple[Any, ...], float]], rhs: float) -> None:
        r = len(self.rhs)
        for key, coef in terms:
            if key in self.index:
                self.rows.append(r)
                self.cols.append(self.index[key])
                self.vals.append(coef)
        self.rhs.append(rhs)

    def matrix(self, n_cols: int) -> coo_matrix:
        return coo_matrix((self.vals, (self.rows, self.cols)), shape=(len(self.rhs), n_cols))


def _lp_profit(net: dict[str, Any], caps: dict[tuple[str, int], float]) -> float:
    years = list(range(net["years"]["first"], net["years"]["last"] + 1))
    plants, sups, mkts, models = net["plants"], net["suppliers"], net["markets"], net["models"]
    cols: list[float] = []  # objective coefficient (minimize cost - revenue)
    index: dict[tuple[Any, ...], int] = {}

    def col(key: tuple[Any, ...], cost: float) -> None:
        index[key] = len(cols)
        cols.append(cost)

    for s in sups:
        for p in plants:
            freight = _lane(net, s["country"], p["country"], "part")
            if freight is None:
                continue
            for y in years:
                if y >= s.get("first_year", years[0]):
                    duty = _rate(net, s["country"], p["country"], "part", y)
                    col(("q", s["name"], p["name"], y),
                        _at(s["unit_cost"], y) * (1 + duty) + freight)
    for p in plants:
        for m in models:
            for y in years:
                col(("v", p["name"], m["name"], y), _at(p["variable_cost"], y))
    for p in plants:
        for k in mkts:
            freight = _lane(net, p["country"], k["country"], "vehicle")
            if freight is None:
                continue
            for m in models:
                for y in years:
                    duty = _rate(net, p["country"], k["country"], "vehicle", y)
                    col(("x", p["name"], k["name"], m["name"], y),
                        freight + duty * m["customs_value"] - _at(k["price"][m["name"]], y))
    for k in mkts:
        for m in models:
            for y in years:
                col(("u", k["name"], m["name"], y), 0.0)

    eq = _Rows(index)  # A_eq x = b_eq
    ub = _Rows(index)  # A_ub x <= b_ub

    comps = [c["name"] for c in net["components"]]
    for p in plants:
        for y in years:
            for c in comps:
                need = [(("v", p["name"], m["name"], y), -sum(
                    line.get("quantity", 1.0) for line in m["bom"] if line["component"] == c))
                    for m in models]
                bought = [(("q", s["name"], p["name"], y), 1.0) for s in sups
                          if s["component"] == c]
                eq(bought + need, 0.0)
            ub([(("v", p["name"], m["name"], y), 1.0) for m in models], caps[(p["name"], y)])
            for m in models:
                eq([(("x", p["name"], k["name"], m["name"], y), 1.0) for k in mkts]
                   + [(("v", p["name"], m["name"], y), -1.0)], 0.0)
    for s in sups:
        for y in years:
            ub([(("q", s["name"], p["name"], y), 1.0) for p in plants], _at(s["capacity"], y))
    for k in mkts:
        for m in models:
            for y in years:
                eq([(("x", p["name"], k["name"], m["name"], y), 1.0) for p in plants]
                   + [(("u", k["name"], m["name"], y), 1.0)],
                   _at(k["demand"][m["name"]], y))
    n = len(cols)
    res = linprog(np.array(cols), A_ub=ub.matrix(n), b_ub=ub.rhs, A_eq=eq.matrix(n), b_eq=eq.rhs,
                  bounds=(0, None), method="highs")
    assert res.status == 0, res.message
    return -float(res.fun)


def brute_force(net: dict[str, Any]) -> BruteForce:
    """Best profit over every build plan (no discounting, no content rules)."""
    assert not net.get("rules") and not net.get("discount_rate")
    years = list(range(net["years"]["first"], net["years"]["last"] + 1))
    candidates = [p for p in net["plants"] if not p.get("existing")]
    best = BruteForce(-np.inf, {}, 0)
    for choice in itertools.product(*(_build_options(p, years) for p in candidates)):
        builds = {p["name"]: starts for p, starts in zip(candidates, choice, strict=True)}
        caps = {}
        for p in net["plants"]:
            for y in years:
                caps[(p["name"], y)] = sum(lv["capacity"] for lv in p["levels"]) \
                    if p.get("existing") else _capacity(p, builds[p["name"]], y)
        capital = sum(_capital(p, builds[p["name"]], years) for p in candidates)
        capital += sum(lv.get("fixed_cost", 0.0) for p in net["plants"] if p.get("existing")
                       for lv in p["levels"]) * len(years)
        profit = _lp_profit(net, caps) - capital
        best.plans_tried += 1
        if profit > best.profit:
            best = BruteForce(profit, builds, best.plans_tried)
    return best

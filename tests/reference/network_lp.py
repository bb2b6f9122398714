"""An independent brute force for small networks.

Enumerate every build plan, solve the LP that remains for each with scipy, keep the best.

Written from the network's plain dict, apart from nevsim's model, from the README's rules:
duties add up over the entries that match a crossing (origin, destination country or group,
product, the owner's company, the vehicle's drive type), each its rate or its minimum amount
if more, none within a country or between two members of a customs union; a price
undertaking as a second way in that skips its duty, charges the others on the minimum import
price if above the customs value, within a yearly cap; the cheapest lane counting the carbon
price; ramp-up, lead times, earliest start; capex as an annuity over the plant's life;
discounting from the first plan year; a profit or a cost objective. Every parameter is read
from the dict; one left out takes the default the scenario format documents. Content rules
are left out.
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


def _members(net: dict[str, Any], name: str) -> set[str]:
    return set(net.get("groups", {}).get(name, [name]))


def _applies(net: dict[str, Any], d: dict[str, Any], origin: str, dest: str, product: str,
             company: str, powertrain: str | None) -> bool:
    """Whether one duty is charged on a crossing (none inside a country or a customs union)."""
    if origin == dest or any(origin in _members(net, u) and dest in _members(net, u)
                             for u in net.get("customs_unions", [])):
        return False
    if d.get("product", "vehicle") != product or dest not in _members(net, d["destination"]):
        return False
    if d["origin"] != "*" and origin not in _members(net, d["origin"]):
        return False
    if d.get("companies") is not None and company not in d["companies"]:
        return False
    if company in d.get("except_companies", []):
        return False
    return not (powertrain is not None and d.get("powertrains") is not None
                and powertrain not in d["powertrains"])


def _rate(net: dict[str, Any], origin: str, dest: str, product: str, year: int,
          company: str, powertrain: str | None, value: float = 1.0,
          lifted: str | None = None) -> float:
    """Sum of the duties on one crossing but the `lifted` one.

    Each duty is its rate x `value`, or its minimum amount if that is more.
    """
    return sum(max(_at(d["rate"], year) * value, _at(d.get("minimum", 0.0), year))
               for d in net["duties"] if d["name"] != lifted
               and _applies(net, d, origin, dest, product, company, powertrain))


def _lane(net: dict[str, Any], origin: str, dest: str, cargo: str) -> tuple[float, float] | None:
    """(cost, kg CO2) of the cheapest lane counting the carbon price; (0, 0) within a country."""
    if origin == dest:
        return 0.0, 0.0
    price = net.get("carbon_price", 0.0) / 1000
    lanes = [(lane["cost"] + price * lane.get("co2_per_unit", 0.0), lane["cost"],
              lane.get("co2_per_unit", 0.0)) for lane in net["lanes"]
             if lane["origin"] == origin and lane["destination"] == dest
             and lane.get("cargo", "vehicle") == cargo]
    if not lanes:
        return None
    _, cost, co2 = min(lanes)
    return cost, co2


def _crf(rate: float, life: int) -> float:
    return 1.0 / life if rate == 0 else rate / (1 - (1 + rate) ** -life)


@dataclass
class BruteForce:
    """Best objective over all build plans (profit, or cost when demand must be met)."""

    objective: float
    builds: dict[str, list[int | None]]
    plans_tried: int
    feasible_plans: int


def _sop(plant: dict[str, Any], start: int) -> int:
    return start + plant.get("lead_time", 2)


def _build_options(plant: dict[str, Any], years: list[int]) -> list[list[int | None]]:
    """Every start-year choice per capacity step: steps in order, never before the previous."""
    earliest = plant.get("earliest_start")
    allowed = [s for s in years if _sop(plant, s) <= years[-1]
               and (earliest is None or _sop(plant, s) >= earliest)]
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
        n = year - _sop(plant, start)
        if n >= 0:
            total += level["capacity"] * (ramp[n] if n < len(ramp) else 1.0)
    return total


def _discount(net: dict[str, Any], year: int) -> float:
    return float((1 + net.get("discount_rate", 0.0)) ** -(year - net["years"]["first"]))


def _capital(net: dict[str, Any], plant: dict[str, Any], starts: list[int | None],
             years: list[int]) -> float:
    total = 0.0
    for level, start in zip(plant["levels"], starts, strict=True):
        if start is None:
            continue
        annual = level.get("fixed_cost", 0.0) + level.get("capex", 0.0) * _crf(
            net.get("capital_rate", 0.08), plant.get("life", 20))
        total += annual * sum(_discount(net, y) for y in years if y >= _sop(plant, start))
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


def _lp(net: dict[str, Any], caps: dict[tuple[str, int], float], cost_mode: bool
        ) -> float | None:
    """Best flows for given capacities: profit (or minus cost), None if demand cannot be met."""
    years = list(range(net["years"]["first"], net["years"]["last"] + 1))
    plants, sups, mkts, models = net["plants"], net["suppliers"], net["markets"], net["models"]
    carbon = net.get("carbon_price", 0.0) / 1000
    cols: list[float] = []  # objective coefficient (minimize cost - revenue, or cost)
    index: dict[tuple[Any, ...], int] = {}

    def col(key: tuple[Any, ...], cost: float) -> None:
        index[key] = len(cols)
        cols.append(cost * _discount(net, key[-1]))

    for s in sups:
        for p in plants:
            lane = _lane(net, s["country"], p["country"], "part")
            if lane is None:
                continue
            freight, lane_co2 = lane
            for y in years:
                if y >= max(s.get("first_year", years[0]), years[0] + s.get("lead_time", 0)):
                    duty = _rate(net, s["country"], p["country"], "part", y, s["company"], None)
                    col(("q", s["name"], p["name"], y),
                        _at(s["unit_cost"], y) * (1 + duty) + freight
                        + carbon * (s.get("co2_per_unit", 0.0) + lane_co2))
    for p in plants:
        for m in models:
            for y in years:
                col(("v", p["name"], m["name"], y),
                    _at(p["variable_cost"], y) + carbon * p.get("co2_per_vehicle", 0.0))
    for p in plants:
        owner = p.get("company") or net["maker"]
        for k in mkts:
            lane = _lane(net, p["country"], k["country"], "vehicle")
            if lane is None:
                continue
            freight, lane_co2 = lane
            for m in models:
                for y in years:
                    duty = _rate(net, p["country"], k["country"], "vehicle", y, owner,
                                 m.get("powertrain", "BEV"), m["customs_value"])
                    revenue = 0.0 if cost_mode else _at(k["price"][m["name"]], y)
                    col(("x", p["name"], k["name"], m["name"], y),
                        freight + carbon * lane_co2 + duty - revenue)
                    for u in net.get("undertakings", []):  # the lifted duty's other door
                        terms = u["models"].get(m["name"])
                        lifted = next(d for d in net["duties"] if d["name"] == u["duty"])
                        if terms is None or _at(terms["cap"], y) <= 0 or not _applies(
                                net, lifted, p["country"], k["country"], "vehicle", owner,
                                m.get("powertrain", "BEV")):
                            continue
                        value = max(m["customs_value"], _at(terms["minimum_price"], y))
                        duty = _rate(net, p["country"], k["country"], "vehicle", y, owner,
                                     m.get("powertrain", "BEV"), value, lifted=u["duty"])
                        col(("xu", u["name"], p["name"], k["name"], m["name"], y),
                            freight + carbon * lane_co2 + duty - revenue)
    if not cost_mode:
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
                   + [(("xu", u["name"], p["name"], k["name"], m["name"], y), 1.0)
                      for u in net.get("undertakings", []) for k in mkts]
                   + [(("v", p["name"], m["name"], y), -1.0)], 0.0)
    for s in sups:
        for y in years:
            ub([(("q", s["name"], p["name"], y), 1.0) for p in plants], _at(s["capacity"], y))
    for k in mkts:
        for m in models:
            for y in years:
                eq([(("x", p["name"], k["name"], m["name"], y), 1.0) for p in plants]
                   + [(("xu", u["name"], p["name"], k["name"], m["name"], y), 1.0)
                      for u in net.get("undertakings", []) for p in plants]
                   + [(("u", k["name"], m["name"], y), 1.0)],
                   _at(k["demand"][m["name"]], y))
    for u in net.get("undertakings", []):  # at most the cap a year under each undertaking
        for name, terms in u["models"].items():
            for y in years:
                ub([(("xu", u["name"], p["name"], k["name"], name, y), 1.0)
                    for p in plants for k in mkts], _at(terms["cap"], y))
    n = len(cols)
    res = linprog(np.array(cols), A_ub=ub.matrix(n), b_ub=ub.rhs, A_eq=eq.matrix(n), b_eq=eq.rhs,
                  bounds=(0, None), method="highs")
    if res.status == 2 and cost_mode:
        return None  # this build plan cannot serve all demand
    assert res.status == 0, res.message
    return -float(res.fun)


def brute_force(net: dict[str, Any]) -> BruteForce:
    """Best objective over every build plan: profit, or cost with `objective: cost`."""
    assert not net.get("rules")
    cost_mode = net.get("objective", "profit") == "cost"
    years = list(range(net["years"]["first"], net["years"]["last"] + 1))
    candidates = [p for p in net["plants"] if not p.get("existing")]
    sign = -1.0 if cost_mode else 1.0
    best = BruteForce(np.nan, {}, 0, 0)
    best_value = -np.inf  # profit, or minus the cost: higher is better
    for choice in itertools.product(*(_build_options(p, years) for p in candidates)):
        builds = {p["name"]: starts for p, starts in zip(candidates, choice, strict=True)}
        caps = {}
        for p in net["plants"]:
            for y in years:
                caps[(p["name"], y)] = sum(lv["capacity"] for lv in p["levels"]) \
                    if p.get("existing") else _capacity(p, builds[p["name"]], y)
        best.plans_tried += 1
        flows = _lp(net, caps, cost_mode)
        if flows is None:
            continue
        best.feasible_plans += 1
        capital = sum(_capital(net, p, builds[p["name"]], years) for p in candidates)
        capital += sum(lv.get("fixed_cost", 0.0) for p in net["plants"] if p.get("existing")
                       for lv in p["levels"]) * sum(_discount(net, y) for y in years)
        value = flows - capital
        if value > best_value:
            best_value = value
            best.builds = builds
    best.objective = sign * best_value
    return best

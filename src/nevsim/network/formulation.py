"""The planning MILP, written once as small `define_*` steps behind `build_model()`.

Decisions per year: which candidate capacity steps start building (binary, respecting lead
time, earliest start and ramp-up), component units from each supplier to each plant, vehicles
made per plant and model, vehicles shipped per plant, market and duty channel, unmet demand,
and per plant and preferential rule whether the plant meets the content threshold (binary).

Each step adds named column or row blocks to a `SparseMILP` with numpy index arithmetic over
the prepared arrays (a model builds in milliseconds, see `make bench`). Row blocks that stand
for a hard limit (plant and supplier capacity, mandatory content, local-production ratios,
demand in cost mode) say how they may give, in their own unit; the elastic model that
explains an infeasible plan is derived from this one (`SparseMILP.relaxed`), not rewritten.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nevsim.network.data import (
    NetworkData,
    bound_array,
    content_big_m,
    value_floor,
)
from nevsim.network.milp import INF, Coords, Elastic, Give, SparseMILP
from nevsim.network.model import ContentRule, LocalBasis, RuleKind, value_in

SHORTFALL_WEIGHT = 10.0
"""Elastic price of a missing vehicle of demand against one vehicle of extra capacity: the
explanation names a capacity, lead-time or content limit before it gives up on demand."""

OFFSET_WEIGHT = 0.5
"""Elastic price of an unsettled scheme import against a vehicle of capacity: an obligation
that cannot be met is named as the scheme's, not as a plant too small to settle it."""


def coords(d: NetworkData, *dims: str, **named: list[Any]) -> Coords:
    """Labels of the network's dimensions, in order; `named` gives dimensions of one block."""
    own: dict[str, Any] = {
        "supplier": d.suppliers, "plant": d.plants, "year": d.years, "model": d.models,
        "market": d.markets, "component": d.components, "channel": d.channels,
        "step": d.steps, "start": d.starts}
    return {dim: list(named[dim]) if dim in named else list(own[dim]) for dim in dims}


def preferential_rules(d: NetworkData) -> list[str]:
    """Preferential rules some flow may use (each gets an access decision per plant-year)."""
    names = [r.name for r in d.content_rules if r.kind is RuleKind.PREFERENTIAL]
    flow = d.values("flow_open")
    return [n for n in names if flow[..., list(d.channels).index(n)].any()]


def define_variables(m: SparseMILP, d: NetworkData) -> None:
    """Flows, production, build and access decisions, with masks for what cannot exist."""
    producing = d.values("producing", "plant", "year") > 0
    route = d.values("part_route", "supplier", "plant") > 0
    available = d.values("supplier_available", "supplier", "year") > 0
    m.add_columns("supply", coords(d, "supplier", "plant", "year"),
                  route[:, :, None] & available[:, None, :] & producing[None])
    makes = d.values("makes", "plant", "model") > 0
    m.add_columns("make", coords(d, "plant", "model", "year"),
                  makes[:, :, None] & producing[:, None, :])
    m.add_columns("ship", coords(d, "plant", "market", "model", "year", "channel"),
                  d.values("flow_open"))
    if len(d.steps):
        m.add_columns("build", coords(d, "step", "start"),
                      d.values("step_may_start", "step", "start") > 0, binary=True)
    if not d.must_meet_demand:
        m.add_columns("unmet", coords(d, "market", "model", "year"),
                      d.values("demand", "market", "model", "year") > 0)
    pref = preferential_rules(d)
    if pref:
        h = [list(d.channels).index(r) for r in pref]
        opened = np.asarray(d.values("flow_open")[..., h].any(axis=(1, 2)))  # [plant, year, rule]
        m.add_columns("access", coords(d, "plant", "channel", "year", channel=pref),
                      opened.transpose(0, 2, 1), binary=True)


def define_component_balance(m: SparseMILP, d: NetworkData) -> None:
    """Component units bought by a plant equal what its vehicles' bills of materials need."""
    supply, make = m.columns["supply"].ids, m.columns["make"].ids
    comp_of = np.array([list(d.components).index(c) for c in d.values("supplier_component")],
                       dtype=np.int64)
    rows = m.add_rows("component_balance", coords(d, "plant", "component", "year"), 0.0, 0.0)
    m.add(rows[:, comp_of, :].transpose(1, 0, 2), supply, 1.0)
    bom = d.values("bom", "model", "component")
    m.add(rows[:, None, :, :], make[:, :, None, :], -bom[None, :, :, None])


def define_supplier_capacity(m: SparseMILP, d: NetworkData) -> None:
    """A supplier delivers at most its capacity each year, across all plants."""
    supply = m.columns["supply"].ids
    per_vehicle = d.values("bom").max(axis=0)  # [component] most units one vehicle takes
    comp_of = [list(d.components).index(c) for c in d.values("supplier_component")]
    units = per_vehicle[comp_of]
    weight = np.where(units > 0, 1.0 / np.where(units > 0, units, 1.0), 1.0)
    rows = m.add_rows("supplier_capacity", coords(d, "supplier", "year"), -INF,
                      d.values("supplier_capacity", "supplier", "year"),
                      mask=d.values("supplier_available", "supplier", "year") > 0,
                      elastic=Elastic(Give.DOWN, weight[:, None], "units"))
    m.add(rows[:, None, :], supply, 1.0)


def define_plant_capacity(m: SparseMILP, d: NetworkData) -> None:
    """Output per plant-year within existing capacity, or the ramped-up steps started in time."""
    make = m.columns["make"].ids
    rows = m.add_rows("plant_capacity", coords(d, "plant", "year"), -INF,
                      d.values("existing_capacity", "plant", "year"),
                      mask=d.values("producing", "plant", "year") > 0,
                      elastic=Elastic(Give.DOWN, 1.0, "vehicles"))
    m.add(rows[:, None, :], make, 1.0)
    if "build" in m.columns:
        build = m.columns["build"].ids
        plant_of = np.array([list(d.plants).index(p) for p in d.values("step_plant")])
        step_cap = d.values("step_capacity", "step", "start", "year")
        m.add(rows[plant_of][:, None, :], build[:, :, None], -step_cap)
    cap = d.values("existing_capacity", "plant", "year")
    if "close" in m.columns:  # a plant closed in year c makes nothing from c on
        close = m.columns["close"].ids  # [plant, year closed]
        m.add(rows[:, None, :], close[:, :, None], cap[:, None, :] * _closed_by(d)[None, :, :])
    if "idle" in m.columns:  # an idle year makes nothing from the existing capacity
        m.add(rows, m.columns["idle"].ids, cap)


def _closed_by(d: NetworkData) -> np.ndarray:
    """[year closed, year] 1 where a plant closed in the first year is closed in the second."""
    years = np.asarray(d.years)
    return (years[:, None] <= years[None, :]).astype(float)


def closable(d: NetworkData) -> np.ndarray:
    """[plant] existing plants that may close (they have a closing cost)."""
    return np.array([p.existing and p.closing_cost is not None for p in d.net.plants])


def idlable(d: NetworkData) -> np.ndarray:
    """[plant] existing plants that may idle (they have an idle cost)."""
    return np.array([p.existing and p.idle_cost is not None for p in d.net.plants])


def define_closures(m: SparseMILP, d: NetworkData) -> None:
    """Existing plants may close once (with a closing cost) or idle in a year (an idle cost).

    Closing holds from its year on; an idle year is any year the plant is not closed.
    """
    mask = closable(d)
    if mask.any():
        close = m.add_columns("close", coords(d, "plant", "year"), mask[:, None], binary=True)
        once = m.add_rows("close_once", coords(d, "plant"), -INF, 1.0, mask=mask)
        m.add(once[:, None], close.ids, 1.0)
    idling = idlable(d)
    if not idling.any():
        return
    idle = m.add_columns("idle", coords(d, "plant", "year"), idling[:, None], binary=True)
    both = idling & mask
    if both.any():  # idle and closed would save the fixed costs twice
        rows = m.add_rows("idle_or_closed", coords(d, "plant", "year"), -INF, 1.0,
                          mask=both[:, None])
        m.add(rows, idle.ids, 1.0)
        m.add(rows[:, None, :], m.columns["close"].ids[:, :, None], _closed_by(d)[None, :, :])


def define_build_sequence(m: SparseMILP, d: NetworkData) -> None:
    """Each step starts at most once, and a plant's next step never starts before the previous."""
    if "build" not in m.columns:
        return
    build = m.columns["build"].ids
    once = m.add_rows("build_once", coords(d, "step"), -INF, 1.0)
    m.add(once[:, None], build, 1.0)
    if not d.step_order:
        return
    steps = list(d.steps)
    starts = np.asarray(d.starts)
    years = np.asarray(d.years)
    started_by = (starts[:, None] <= years[None, :]).astype(float)  # [start, year]
    pairs = [f"{earlier} before {later}" for earlier, later in d.step_order]
    rows = m.add_rows("build_order", coords(d, "order", "year", order=pairs), -INF, 0.0)
    for i, (earlier, later) in enumerate(d.step_order):
        m.add(rows[i][None, :], build[steps.index(later)][:, None], started_by)
        m.add(rows[i][None, :], build[steps.index(earlier)][:, None], -started_by)


def define_vehicle_flow(m: SparseMILP, d: NetworkData) -> None:
    """Every vehicle made is shipped to a market, through one duty channel."""
    ship, make = m.columns["ship"].ids, m.columns["make"].ids
    rows = m.add_rows("vehicle_flow", coords(d, "plant", "model", "year"), 0.0, 0.0)
    m.add(rows[:, None, :, :, None], ship, 1.0)
    m.add(rows, make, -1.0)


def define_demand(m: SparseMILP, d: NetworkData) -> None:
    """Sales plus unmet demand equal demand (cost mode: no unmet demand, but it may give)."""
    demand = d.values("demand", "market", "model", "year")
    elastic = Elastic(Give.UP, SHORTFALL_WEIGHT, "vehicles") if d.must_meet_demand else None
    rows = m.add_rows("demand", coords(d, "market", "model", "year"), demand, demand,
                      mask=demand > 0, elastic=elastic)
    m.add(rows[None, :, :, :, None], m.columns["ship"].ids, 1.0)
    if "unmet" in m.columns:
        m.add(rows, m.columns["unmet"].ids, 1.0)


def _content_terms(m: SparseMILP, d: NetworkData, rows: np.ndarray, rules: list[str],
                   minus_threshold: bool) -> None:
    """Add originating value (minus threshold x total value) to each [plant, rule, year] row."""
    th, s_in, p_in = d.origins(rules)  # [r, t], [s, r], [p, r]
    cost = d.values("unit_cost", "supplier", "year")
    vc = d.values("variable_cost", "plant", "year")
    sub = th if minus_threshold else np.zeros_like(th)
    supply, make = m.columns["supply"].ids, m.columns["make"].ids
    coef = cost[:, None, :] * (s_in[:, :, None] - sub[None, :, :])  # [s, r, t]
    m.add(rows[None, :, :, :], supply[:, :, None, :], coef[:, None, :, :])
    coef_m = vc[:, None, :] * (p_in[:, :, None] - sub[None, :, :])  # [p, r, t]
    m.add(rows[:, None, :, :], make[:, :, None, :], coef_m[:, None, :, :])


def define_preferential_access(m: SparseMILP, d: NetworkData) -> None:
    """Flows through a preferential channel need the plant to meet that rule's content."""
    if "access" not in m.columns:
        return
    rules = preferential_rules(d)
    h = [list(d.channels).index(r) for r in rules]
    access = m.columns["access"].ids  # [p, r, t]
    ship = m.columns["ship"].ids[..., h]  # [p, m, k, t, r]
    demand = d.values("demand", "market", "model", "year")
    rows = m.add_rows("access_flows", coords(d, "plant", "market", "model", "year", "channel",
                                             channel=rules),
                      -INF, 0.0, mask=ship >= 0)  # ship <= demand x access
    m.add(rows, ship, 1.0)
    m.add(rows, access.transpose(0, 2, 1)[:, None, None, :, :], -demand[None, :, :, :, None])

    big = content_big_m(d, rules)[:, :, None]  # [p, r, 1]
    where = coords(d, "plant", "channel", "year", channel=rules)
    rows = m.add_rows("access_content", where, -big, INF,
                      mask=access >= 0)  # content >= -M (1 - access)
    _content_terms(m, d, rows, rules, minus_threshold=True)
    m.add(rows, access, -big)

    # A valid cut that ties preferential flows straight to originating value: every vehicle
    # is worth at least its cheapest bill of materials plus its plant's value added, so
    # originating value >= threshold x that x preferential vehicles. It closes most of the
    # big-M row's relaxation gap.
    rows = m.add_rows("access_value", where, 0.0, INF, mask=access >= 0)
    _content_terms(m, d, rows, rules, minus_threshold=False)
    th = d.origins(rules)[0]
    floor = value_floor(d)
    coef = th.T[None, None, None, :, :] * floor[:, None, :, :, None]  # [p, 1, k, t, r]
    m.add(rows.transpose(0, 2, 1)[:, None, None, :, :], ship, -coef)


def value_unit(d: NetworkData) -> float:
    """Money per vehicle-equivalent: a content gap of this much weighs like one vehicle."""
    return float(d.values("customs_value").mean())


def define_mandatory_content(m: SparseMILP, d: NetworkData) -> None:
    """Plants bound by a mandatory rule meet its content share in every year it applies."""
    rules = [r.name for r in d.content_rules if r.kind is RuleKind.MANDATORY]
    if not rules:
        return
    bound = bound_array(d, rules)[:, :, None] & (d.values("producing", "plant", "year")[:, None, :]
                                                  > 0)
    rows = m.add_rows("mandatory_content", coords(d, "plant", "channel", "year", channel=rules),
                      0.0, INF, mask=bound,
                      elastic=Elastic(Give.UP, 1.0 / value_unit(d), d.net.currency))
    _content_terms(m, d, rows, rules, minus_threshold=True)


def _local_vehicles(m: SparseMILP, d: NetworkData, rule: ContentRule
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Columns of a scheme's local vehicles and of its imports, by year on the last axis."""
    ship, make = m.columns["ship"].ids, m.columns["make"].ids
    markets, plants, models = list(d.markets), list(d.plants), list(d.models)
    h = list(d.channels).index(rule.name)
    countries = {c for name in rule.countries for c in d.net.members(name)}
    local = [plants.index(p.name) for p in d.net.plants if p.country in countries]
    inside = [markets.index(k.name) for k in d.net.markets if k.country in countries]
    chosen = [models.index(x.name) for x in d.net.models
              if rule.powertrains is None or x.powertrain in rule.powertrains]
    if rule.counts is LocalBasis.PRODUCTION:
        made = make[np.ix_(local, chosen)]  # [p, k, t]
    else:  # domestic sales: local plants' vehicles sold inside, any duty channel
        made = ship[local][:, inside][:, :, chosen]  # [p, m, k, t, channel]
        made = np.moveaxis(made, 3, -1)
    imported = ship[:, inside][:, :, chosen][..., h]  # [p, m, k, t]
    return made, imported


def define_local_production(m: SparseMILP, d: NetworkData) -> None:
    """Imports through a local-production scheme need local vehicles at the scheme's ratio.

    A plain scheme wants them in the same year; an offset scheme (`settle_by`) settles all its
    imports, and what was owed before the plan, by the local vehicles of the years up to its
    deadline inside the horizon, each worth 1/ratio of an import in its year.
    """
    rules = [r for r in d.local_rules if r.name in d.channels]
    yearly = [r for r in rules if r.settle_by is None]
    offset = [r for r in rules if r.settle_by is not None]
    years = np.asarray(d.years)
    if yearly:
        rows = m.add_rows("local_production",
                          coords(d, "rule", "year", rule=[r.name for r in yearly]), 0.0, INF,
                          elastic=Elastic(Give.UP, 1.0, "vehicles"))
        for i, rule in enumerate(yearly):
            made, imported = _local_vehicles(m, d, rule)
            assert rule.ratio is not None
            ratio = np.array([value_in(rule.ratio, y) for y in d.years])
            m.add(np.broadcast_to(rows[i], made.shape), made, 1.0)
            m.add(rows[i][None, None, None, :], imported, -ratio[None, None, None, :])
    if offset:
        owed = np.array([r.owed for r in offset])
        rows = m.add_rows("local_offset", coords(d, "rule", rule=[r.name for r in offset]),
                          owed, INF, elastic=Elastic(Give.UP, OFFSET_WEIGHT, "vehicles"))
        for i, rule in enumerate(offset):
            made, imported = _local_vehicles(m, d, rule)
            assert rule.ratio is not None and rule.settle_by is not None
            ratio = np.array([value_in(rule.ratio, y) for y in d.years])
            worth = np.where(years <= rule.settle_by, 1.0 / np.maximum(ratio, 1e-12), 0.0)
            m.add(np.full(made.shape, rows[i]), made, np.broadcast_to(worth, made.shape))
            m.add(np.full(imported.shape, rows[i]), imported, -1.0)


def define_undertakings(m: SparseMILP, d: NetworkData) -> None:
    """Imports under a price undertaking stay within its yearly volume for each model."""
    if not d.net.undertakings:
        return
    ship = m.columns["ship"].ids
    names = [u.name for u in d.net.undertakings]
    h = [list(d.channels).index(name) for name in names]
    cap = np.array([[[value_in(u.models[x.name].cap, y) if x.name in u.models else 0.0
                      for y in d.years] for x in d.net.models]
                    for u in d.net.undertakings]).reshape(len(names), len(d.models), -1)
    used = np.asarray(d.values("flow_open")[..., h].any(axis=(0, 1)))  # [model, year, u]
    rows = m.add_rows("undertaking_cap", coords(d, "undertaking", "model", "year",
                                                undertaking=names),
                      -INF, cap, mask=used.transpose(2, 0, 1))
    m.add(rows.transpose(1, 2, 0)[None, None], ship[..., h], 1.0)


def define_objective(m: SparseMILP, d: NetworkData) -> None:
    """Minimize cost minus revenue (profit objective) or cost, discounted."""
    df = d.values("discount")
    carbon = d.net.carbon_price / 1000
    m.set_cost(m.columns["supply"], d.values("part_landed", "supplier", "plant", "year") * df)
    co2 = np.array([p.co2_per_vehicle for p in d.net.plants])
    vc = d.values("variable_cost", "plant", "year") + carbon * co2[:, None]
    m.set_cost(m.columns["make"], (vc * df)[:, None, :])
    per_vehicle = (d.values("vehicle_freight", "plant", "market") + carbon *
                   d.values("vehicle_co2", "plant", "market"))[:, :, None, None, None] + \
        d.values("duty_rate") * d.values("customs_value")[None, None, :, None, None]
    if not d.must_meet_demand:
        per_vehicle = per_vehicle - d.values("price", "market", "model", "year")[None, ..., None]
    m.set_cost(m.columns["ship"], per_vehicle * df[None, None, None, :, None])
    if "build" in m.columns:
        m.set_cost(m.columns["build"], d.values("step_cost", "step", "start"))
    if "close" in m.columns:  # closing costs once and saves the fixed costs from then on
        fixed = np.array([sum(level.fixed_cost for level in p.levels) for p in d.net.plants])
        paid = np.array([p.closing_cost or 0.0 for p in d.net.plants])
        saved = np.cumsum(df[::-1])[::-1]  # [year closed] discount of that year and after
        m.set_cost(m.columns["close"], paid[:, None] * df[None, :] - fixed[:, None] * saved)
    if "idle" in m.columns:  # an idle year costs its idle cost in place of the fixed costs
        fixed = np.array([sum(level.fixed_cost for level in p.levels) for p in d.net.plants])
        idle_cost = np.array([p.idle_cost or 0.0 for p in d.net.plants])
        m.set_cost(m.columns["idle"], (idle_cost - fixed)[:, None] * df[None, :])


STEPS = (
    define_variables,
    define_closures,
    define_component_balance,
    define_supplier_capacity,
    define_plant_capacity,
    define_build_sequence,
    define_vehicle_flow,
    define_demand,
    define_preferential_access,
    define_mandatory_content,
    define_local_production,
    define_undertakings,
    define_objective,
)


def build_model(data: NetworkData) -> SparseMILP:
    """The planning MILP of a prepared network (see the module docstring)."""
    m = SparseMILP()
    for step in STEPS:
        step(m, data)
    return m

"""The planning MILP, built by small `define_*` steps in order behind `build_model()`.

Decisions per year: which candidate capacity steps start building (binary, respecting lead
time, earliest start and ramp-up), component units from each supplier to each plant, vehicles
made per plant and model, vehicles shipped per plant, market and duty channel, unmet demand,
and per plant and preferential rule whether the plant meets the content threshold (binary).

With `elastic=True` the hard limits (plant and supplier capacity, content obligations,
local-production ratios, demand in cost mode) get penalized slack, and the objective becomes
the total slack: the least violation that would make the plan possible, which
`nevsim.network.explain` turns into words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import linopy
import numpy as np
import pandas as pd
import xarray as xr

from nevsim.network.data import (
    NetworkData,
    bound_plants,
    content_big_m,
    origin_shares,
    value_floor,
)
from nevsim.network.model import RuleKind, value_in

SHORTFALL_WEIGHT = 10.0
"""Elastic weight of a missing vehicle of demand against one vehicle of extra capacity: the
explanation names a capacity, lead-time or content limit before it gives up on demand."""


@dataclass
class BuiltModel:
    """A linopy model and the handles the results need."""

    model: linopy.Model
    data: NetworkData
    elastic: bool
    slacks: dict[str, linopy.Variable] = field(default_factory=dict)


def _year_array(data: NetworkData, fn: object) -> xr.DataArray:
    values = np.array([fn(y) for y in data.years])  # type: ignore[operator]
    return xr.DataArray(values, coords=[data.years])


def define_variables(b: BuiltModel) -> None:
    """Flows, production, build and access decisions, with masks for what cannot exist."""
    m, d = b.model, b.data
    supply_mask = d.part_route & d.supplier_available & d.producing
    m.add_variables(lower=0, coords=[d.suppliers, d.plants, d.years], name="supply",
                    mask=supply_mask.transpose("supplier", "plant", "year"))
    m.add_variables(lower=0, coords=[d.plants, d.models, d.years], name="make",
                    mask=(d.makes & d.producing).transpose("plant", "model", "year"))
    m.add_variables(lower=0, coords=[d.plants, d.markets, d.models, d.years, d.channels],
                    name="ship", mask=d.flow_open)
    if len(d.steps):
        m.add_variables(binary=True, coords=[d.steps, d.step_may_start.indexes["start"]],
                        name="build", mask=d.step_may_start)
    if not d.must_meet_demand:
        m.add_variables(lower=0, coords=[d.markets, d.models, d.years], name="unmet",
                        mask=d.demand > 0)
    pref = [r.name for r in d.content_rules if r.kind is RuleKind.PREFERENTIAL]
    if pref:
        opened = d.flow_open.sel(channel=pref).any(["market", "model"])
        m.add_variables(binary=True, coords=[d.plants, opened.indexes["channel"], d.years],
                        name="access", mask=opened.transpose("plant", "channel", "year"))


def _slack(b: BuiltModel, name: str, coords: list[pd.Index], mask: xr.DataArray | None = None
           ) -> linopy.Variable | None:
    if not b.elastic:
        return None
    var = b.model.add_variables(lower=0, coords=coords, name=f"slack_{name}", mask=mask)
    b.slacks[name] = var
    return var


def define_component_balance(b: BuiltModel) -> None:
    """Component units bought by a plant equal what its vehicles' bills of materials need."""
    m, d = b.model, b.data
    bought = m["supply"].groupby(d.supplier_component.rename("component")).sum()
    # groupby sorts its groups; components nobody supplies are used by no model (checked)
    needed = (m["make"] * d.bom.sel(component=list(bought.indexes["component"]))).sum("model")
    m.add_constraints(bought - needed == 0, name="component_balance")


def define_supplier_capacity(b: BuiltModel) -> None:
    """A supplier delivers at most its capacity each year, across all plants."""
    m, d = b.model, b.data
    lhs = m["supply"].sum("plant")
    slack = _slack(b, "supplier_capacity", [d.suppliers, d.years])
    if slack is not None:
        lhs = lhs - slack
    m.add_constraints(lhs <= d.supplier_capacity, name="supplier_capacity")


def define_plant_capacity(b: BuiltModel) -> None:
    """Output per plant-year within existing capacity, or the ramped-up steps started in time."""
    m, d = b.model, b.data
    made = m["make"].sum("model")
    slack = _slack(b, "plant_capacity", [d.plants, d.years])
    if slack is not None:
        made = made - slack
    existing = [p.name for p in d.net.plants if p.existing]
    if existing:
        m.add_constraints(made.sel(plant=existing) <= d.existing_capacity.sel(plant=existing),
                          name="existing_capacity")
    if len(d.steps):
        built = (m["build"] * d.step_capacity).sum("start")
        per_plant = built.groupby(d.step_plant.rename("plant")).sum()
        candidates = list(per_plant.indexes["plant"])
        m.add_constraints(made.sel(plant=candidates) - per_plant <= 0, name="built_capacity")


def define_build_sequence(b: BuiltModel) -> None:
    """Each step starts at most once, and a plant's next step never starts before the previous."""
    m, d = b.model, b.data
    if not len(d.steps):
        return
    build = m["build"]
    m.add_constraints(build.sum("start") <= 1, name="build_once")
    if d.step_order:
        starts = d.step_may_start.indexes["start"]
        by_year = xr.DataArray((np.asarray(starts)[:, None] <= np.asarray(d.years)[None, :])
                               .astype(float), coords=[starts, d.years])
        started = (build * by_year).sum("start")  # [step, year]: started by then
        earlier = [e for e, _ in d.step_order]
        later = [late for _, late in d.step_order]
        lhs = started.sel(step=later).assign_coords(step=range(len(later))) - \
            started.sel(step=earlier).assign_coords(step=range(len(earlier)))
        m.add_constraints(lhs <= 0, name="build_order")


def define_vehicle_flow(b: BuiltModel) -> None:
    """Every vehicle made is shipped to a market, through one duty channel."""
    m = b.model
    m.add_constraints(m["ship"].sum(["market", "channel"]) - m["make"].fillna(0) == 0,
                      name="vehicle_flow")


def define_demand(b: BuiltModel) -> None:
    """Sales plus unmet demand equal demand (cost mode: no unmet demand)."""
    m, d = b.model, b.data
    sold = m["ship"].sum(["plant", "channel"])
    if "unmet" in m.variables:
        sold = sold + m["unmet"].fillna(0)
    slack = _slack(b, "demand", [d.markets, d.models, d.years], d.demand > 0) \
        if d.must_meet_demand else None
    if slack is not None:
        sold = sold + slack.fillna(0)
    m.add_constraints(sold == d.demand, name="demand")


def _content(b: BuiltModel, rules: list[str]) -> linopy.LinearExpression:
    """Originating value minus threshold x total value, per plant, rule and year (>= 0: met)."""
    m, d = b.model, b.data
    theta, supplier_in, plant_in = origin_shares(d, rules)
    parts = (m["supply"] * (d.unit_cost * (supplier_in - theta))).sum("supplier")
    value_added = (m["make"].sum("model") * (d.variable_cost * (plant_in - theta)))
    return parts + value_added


def define_preferential_access(b: BuiltModel) -> None:
    """Flows through a preferential channel need the plant to meet that rule's content."""
    m, d = b.model, b.data
    if "access" not in m.variables:
        return
    access = m["access"]
    rules = list(access.indexes["channel"])
    ship = m["ship"].sel(channel=rules)
    cap = d.demand.broadcast_like(ship.labels)
    m.add_constraints(ship - cap * access <= 0, name="access_flows")
    content = _content(b, rules)
    big = content_big_m(d, rules)
    m.add_constraints(content - big * access >= -big, name="access_content",
                      mask=access.labels != -1)
    # A valid cut that ties preferential flows straight to originating value: every vehicle
    # is worth at least its cheapest bill of materials plus its plant's value added, so
    # originating value >= threshold x that x preferential vehicles. It closes most of the
    # big-M constraint's relaxation gap.
    theta, supplier_in, plant_in = origin_shares(d, rules)
    floor = value_floor(d)
    local = (m["supply"] * (d.unit_cost * supplier_in)).sum("supplier") + \
        m["make"].sum("model") * (d.variable_cost * plant_in)
    preferential = (ship * (theta * floor)).sum(["market", "model"])
    m.add_constraints(local - preferential >= 0, name="access_value",
                      mask=access.labels != -1)


def define_mandatory_content(b: BuiltModel) -> None:
    """Plants bound by a mandatory rule meet its content share in every year it applies."""
    m, d = b.model, b.data
    rules = [r.name for r in d.content_rules if r.kind is RuleKind.MANDATORY]
    if not rules:
        return
    content = _content(b, rules)
    bound = bound_plants(d, rules) & d.producing
    slack = _slack(b, "content", [d.plants, bound.indexes["channel"], d.years],
                   bound.transpose("plant", "channel", "year"))
    if slack is not None:
        content = content + slack * _value_unit(d)
    m.add_constraints(content >= 0, name="mandatory_content", mask=bound)


def _value_unit(d: NetworkData) -> float:
    """Money per vehicle-equivalent, so content slack weighs like capacity slack."""
    return float(d.customs_value.mean())


def define_local_production(b: BuiltModel) -> None:
    """Imports through a local-production scheme need local output at the scheme's ratio."""
    m, d = b.model, b.data
    for rule in d.local_rules:
        if rule.name not in d.channels:
            continue
        countries = {c for name in rule.countries for c in d.net.members(name)}
        local = [p.name for p in d.net.plants if p.country in countries]
        markets = [k.name for k in d.net.markets if k.country in countries]
        pts = None if rule.powertrains is None else {p.value for p in rule.powertrains}
        models = [mod.name for mod in d.net.models if pts is None or mod.powertrain.value in pts]
        assert rule.ratio is not None
        ratio = _year_array(d, lambda y, r=rule.ratio: value_in(r, y))
        imported = m["ship"].sel(channel=rule.name, market=markets, model=models) \
            .sum(["plant", "market", "model"])
        lhs = -ratio * imported
        if local:
            lhs = lhs + m["make"].sel(plant=local, model=models).sum(["plant", "model"])
        slack = _slack(b, f"local_{rule.name}", [d.years])
        if slack is not None:
            lhs = lhs + slack
        m.add_constraints(lhs >= 0, name=f"local_production[{rule.name}]")


def define_objective(b: BuiltModel) -> None:
    """Minimize cost minus revenue (profit) or cost; elastic: the weighted slack."""
    m, d = b.model, b.data
    if b.elastic:
        total: linopy.LinearExpression | None = None
        for name, slack in b.slacks.items():
            term = (SHORTFALL_WEIGHT if name == "demand" else 1.0) * slack.sum()
            total = term if total is None else total + term
        if total is not None:
            m.add_objective(total)
        return
    df = d.discount
    carbon = d.net.carbon_price / 1000
    cost = (m["supply"] * (d.part_landed * df)).sum()
    plant_co2 = xr.DataArray([p.co2_per_vehicle for p in d.net.plants], coords=[d.plants])
    cost = cost + (m["make"] * ((d.variable_cost + carbon * plant_co2) * df)).sum()
    per_vehicle = d.vehicle_freight + carbon * d.vehicle_co2 + d.duty_rate * d.customs_value
    if not d.must_meet_demand:
        per_vehicle = per_vehicle - d.price
    cost = cost + (m["ship"] * (per_vehicle * df)).sum()
    if len(d.steps):
        cost = cost + (m["build"] * d.step_cost).sum()
    m.add_objective(cost)


STEPS = (
    define_variables,
    define_component_balance,
    define_supplier_capacity,
    define_plant_capacity,
    define_build_sequence,
    define_vehicle_flow,
    define_demand,
    define_preferential_access,
    define_mandatory_content,
    define_local_production,
    define_objective,
)


def build_model(data: NetworkData, *, elastic: bool = False) -> BuiltModel:
    """The planning MILP of a prepared network (see the module docstring)."""
    with linopy.options as options:
        # v1 arithmetic: sums skip masked slots, element-wise terms with a masked slot drop
        # the row; `fillna(0)` marks the places where a missing variable means zero.
        options["semantics"] = "v1"
        built = BuiltModel(linopy.Model(force_dim_names=True), data, elastic)
        for step in STEPS:
            step(built)
    return built

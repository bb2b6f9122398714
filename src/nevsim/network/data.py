"""The network turned into labelled arrays: rates, costs, masks by year, ready for the model.

Everything policy-shaped (which duty applies to which flow, which lane is cheapest, when a
plant can first produce) is resolved here, once, so the optimization model stays a plain
sequence of linear statements over these arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xarray as xr

from nevsim.network.model import (
    ContentRule,
    Lane,
    Network,
    Objective,
    Plant,
    Powertrain,
    ProductKind,
    RuleKind,
    value_in,
)

NORMAL = "normal"
"""The channel of a vehicle flow that pays the ordinary duties."""


def _index(names: list[str] | list[int], dim: str) -> pd.Index:
    return pd.Index(names, name=dim)


class _Arrays:
    """Labelled arrays over one network's indexes, sharing one set of coordinates.

    Building coordinates from pandas indexes costs ~1 ms an array; reusing the variables
    and indexes of coordinates built once costs a tenth of that, which matters for the
    small networks HiGHS solves in a tenth of a second.
    """

    def __init__(self, *indexes: pd.Index) -> None:
        self.base = xr.Coordinates({str(index.name): index for index in indexes})

    def __call__(self, values: np.ndarray, *indexes: pd.Index) -> xr.DataArray:
        dims = [str(index.name) for index in indexes]
        coords = xr.Coordinates({d: self.base[d].variable for d in dims},
                                indexes={d: self.base.xindexes[d] for d in dims})
        return xr.DataArray(values, dims=dims, coords=coords)


@dataclass
class NetworkData:
    """Indexes and parameter arrays of one network (money per unit, shares, masks)."""

    net: Network
    years: pd.Index
    suppliers: pd.Index
    plants: pd.Index
    components: pd.Index
    models: pd.Index
    markets: pd.Index
    steps: pd.Index  # capacity steps of candidate plants, "plant#k"
    channels: pd.Index  # normal, then preferential and local-production rules
    discount: xr.DataArray  # [year]
    supplier_component: xr.DataArray  # [supplier] -> component name
    supplier_capacity: xr.DataArray  # [supplier, year]
    supplier_available: xr.DataArray  # [supplier, year] bool
    unit_cost: xr.DataArray  # [supplier, year]
    part_landed: xr.DataArray  # [supplier, plant, year]: cost + freight + duty + carbon
    part_freight: xr.DataArray  # [supplier, plant, year]
    part_duty_rate: xr.DataArray  # [supplier, plant, year]
    part_co2: xr.DataArray  # [supplier, plant] kg per unit incl. transport
    part_route: xr.DataArray  # [supplier, plant] bool: can deliver
    bom: xr.DataArray  # [model, component] units per vehicle
    makes: xr.DataArray  # [plant, model] bool
    variable_cost: xr.DataArray  # [plant, year]
    existing_capacity: xr.DataArray  # [plant, year]
    producing: xr.DataArray  # [plant, year] bool: may produce (existing or past earliest SOP)
    step_plant: xr.DataArray  # [step] -> plant name
    step_capacity: xr.DataArray  # [step, start, year]: capacity if the step starts building
    step_cost: xr.DataArray  # [step, start]: discounted fixed + annualized capex
    step_may_start: xr.DataArray  # [step, start] bool
    step_order: list[tuple[str, str]]  # (earlier step, later step) of the same plant
    demand: xr.DataArray  # [market, model, year]
    price: xr.DataArray  # [market, model, year]
    vehicle_freight: xr.DataArray  # [plant, market]
    vehicle_co2: xr.DataArray  # [plant, market] kg per vehicle (transport)
    vehicle_transit: xr.DataArray  # [plant, market] days on the lane (0 within a country)
    vehicle_route: xr.DataArray  # [plant, market] bool
    duty_rate: xr.DataArray  # [plant, market, model, year, channel]
    customs_value: xr.DataArray  # [model]
    flow_open: xr.DataArray  # [plant, market, model, year, channel] bool
    content_rules: list[ContentRule] = field(default_factory=list)
    local_rules: list[ContentRule] = field(default_factory=list)
    lanes_used: dict[tuple[str, str, str], Lane] = field(default_factory=dict)

    @property
    def must_meet_demand(self) -> bool:
        """Cost objective: every unit of demand must be served."""
        return self.net.objective is Objective.COST


def _places(net: Network, names: list[str]) -> set[str]:
    """Countries a list of country or group names stands for."""
    return {c for name in names for c in net.members(name)}


def rule_region(net: Network, rule: ContentRule) -> set[str]:
    """Countries whose value counts as originating under a rule."""
    if rule.region is not None:
        names = rule.region
    elif rule.kind is RuleKind.PREFERENTIAL:
        names = [*rule.countries, *rule.destinations]
    else:
        names = rule.countries
    return {c for name in names for c in net.members(name)}


def _best_lanes(net: Network) -> dict[tuple[str, str, str], Lane]:
    """Cheapest lane (cost + carbon price x CO2) per origin, destination and cargo.

    Lanes have no capacity, so a flow always takes the cheapest; choosing it here is exact and
    keeps modes out of the optimization.
    """
    best: dict[tuple[str, str, str], Lane] = {}
    for lane in net.lanes:
        key = (lane.origin, lane.destination, lane.cargo.value)
        price = lane.cost + net.carbon_price * lane.co2_per_unit / 1000
        old = best.get(key)
        if old is None or price < old.cost + net.carbon_price * old.co2_per_unit / 1000:
            best[key] = lane
    return best


@dataclass(frozen=True)
class _PreparedDuty:
    origins: frozenset[str] | None  # None: any origin
    destinations: frozenset[str]
    product: ProductKind
    powertrains: frozenset[str] | None
    companies: frozenset[str] | None
    excepted: frozenset[str]
    rates: np.ndarray  # by plan year


class _Duties:
    """Duty sums by year for one crossing; none within a country or a customs group.

    Duties are indexed by destination country once, and each crossing (origin,
    destination, product, company, drive type) is summed once for all years.
    """

    def __init__(self, net: Network, years: list[int]) -> None:
        self.by_destination: dict[str, list[_PreparedDuty]] = {}
        for duty in net.duties:
            prepared = _PreparedDuty(
                origins=None if duty.origin == "*" else frozenset(net.members(duty.origin)),
                destinations=frozenset(net.members(duty.destination)),
                product=duty.product,
                powertrains=None if duty.powertrains is None else
                frozenset(p.value for p in duty.powertrains),
                companies=None if duty.companies is None else frozenset(duty.companies),
                excepted=frozenset(duty.except_companies),
                rates=np.array([value_in(duty.rate, y) for y in years]))
            for country in prepared.destinations:
                self.by_destination.setdefault(country, []).append(prepared)
        self.zero = np.zeros(len(years))
        self.memo: dict[tuple[str, str, ProductKind, str, str | None], np.ndarray] = {}

    def __call__(self, origin: str, destination: str, product: ProductKind, company: str,
                 powertrain: str | None) -> np.ndarray:
        key = (origin, destination, product, company, powertrain)
        found = self.memo.get(key)
        if found is None:
            found = self.zero
            if origin != destination:
                for d in self.by_destination.get(destination, []):
                    if d.product is not product or origin in d.destinations:
                        continue  # another product, or trade inside the destination group
                    if d.origins is not None and origin not in d.origins:
                        continue
                    if (d.companies is not None and company not in d.companies) or \
                            company in d.excepted:
                        continue
                    if powertrain is not None and d.powertrains is not None and \
                            powertrain not in d.powertrains:
                        continue
                    found = found + d.rates
            self.memo[key] = found
        return found


def _earliest_production(net: Network, plant: Plant) -> int:
    if plant.existing:
        return net.years.first
    return max(net.years.first + plant.lead_time, plant.earliest_start or net.years.first)


def _ramp(plant: Plant, production_year: int) -> float:
    """Share of capacity usable in the n-th production year (0-based)."""
    if production_year < 0:
        return 0.0
    return plant.ramp_up[production_year] if production_year < len(plant.ramp_up) else 1.0


def annuity(rate: float, life: int) -> float:
    """Capital recovery factor: the yearly charge that repays one unit of capex over life."""
    return 1.0 / life if rate == 0 else rate / (1 - (1 + rate) ** -life)


def prepare(net: Network) -> NetworkData:
    """Resolve a network into indexes and arrays for `nevsim.network.build`."""
    years = net.years.years()
    yi = _index(years, "year")
    sup = net.suppliers
    plants = net.plants
    comps = [c.name for c in net.components]
    models = net.models
    markets = net.markets
    comp_kind = {c.name: c.product for c in net.components}
    lanes = _best_lanes(net)
    duty = _Duties(net, years)
    discount = np.array([(1 + net.discount_rate) ** -(y - years[0]) for y in years])

    si = _index([s.name for s in sup], "supplier")
    pi = _index([p.name for p in plants], "plant")
    ci = _index(comps, "component")
    mi = _index([m.name for m in models], "model")
    ki = _index([m.name for m in markets], "market")

    cap = np.array([[value_in(s.capacity, y) for y in years] for s in sup])
    cost = np.array([[value_in(s.unit_cost, y) for y in years] for s in sup])
    avail = np.array([[y >= (s.first_year or years[0]) for y in years] for s in sup])

    bom = np.zeros((len(models), len(comps)))
    for a, m in enumerate(models):
        for line in m.bom:
            bom[a, comps.index(line.component)] += line.quantity
    makes = np.array([[p.models is None or m.name in p.models for m in models] for p in plants])
    uses = (makes.astype(float) @ bom) > 0  # [plant, component]

    freight = np.zeros((len(sup), len(plants), len(years)))
    route = np.zeros((len(sup), len(plants)), dtype=bool)
    part_co2 = np.zeros((len(sup), len(plants)))
    duty_p = np.zeros((len(sup), len(plants), len(years)))
    for a, s in enumerate(sup):
        kind = comp_kind.get(s.component, ProductKind.PART)
        for b, p in enumerate(plants):
            if not uses[b, comps.index(s.component)]:
                continue
            if s.country == p.country:
                route[a, b] = True
                part_co2[a, b] = s.co2_per_unit
            else:
                lane = lanes.get((s.country, p.country, kind.value)) or \
                    lanes.get((s.country, p.country, ProductKind.PART.value))
                if lane is None:
                    continue
                route[a, b] = True
                freight[a, b] = lane.cost + lane.cost_share * cost[a]
                part_co2[a, b] = s.co2_per_unit + lane.co2_per_unit
            duty_p[a, b] = duty(s.country, p.country, kind, s.company, None)
    landed = (cost[:, None, :] * (1 + duty_p) + freight
              + net.carbon_price * part_co2[:, :, None] / 1000)

    vc = np.array([[value_in(p.variable_cost, y) for y in years] for p in plants])
    first_prod = [_earliest_production(net, p) for p in plants]
    producing = np.array([[y >= first_prod[b] for y in years] for b, _ in enumerate(plants)])
    existing_cap = np.array([
        [sum(level.capacity for level in p.levels) if p.existing else 0.0 for _ in years]
        for p in plants])

    steps: list[str] = []
    step_plant: list[str] = []
    order: list[tuple[str, str]] = []
    step_cap = []
    step_cost = []
    step_ok = []
    for p in plants:
        if p.existing:
            continue
        for number, level in enumerate(p.levels, start=1):
            name = f"{p.name}#{number}"
            if number > 1:
                order.append((steps[-1], name))
            steps.append(name)
            step_plant.append(p.name)
            annual = level.fixed_cost + level.capex * annuity(net.capital_rate, p.life)
            caps = np.zeros((len(years), len(years)))
            costs = np.zeros(len(years))
            ok = np.zeros(len(years), dtype=bool)
            for s_, start in enumerate(years):
                sop = start + p.lead_time
                ok[s_] = sop >= (p.earliest_start or 0) and sop <= years[-1]
                for t, y in enumerate(years):
                    caps[s_, t] = level.capacity * _ramp(p, y - sop)
                    if y >= sop:
                        costs[s_] += discount[t] * annual
            step_cap.append(caps)
            step_cost.append(costs)
            step_ok.append(ok)
    sti = _index(steps, "step")
    start_i = _index(years, "start")

    demand = np.zeros((len(markets), len(models), len(years)))
    price = np.zeros_like(demand)
    for a, k in enumerate(markets):
        for b, m in enumerate(models):
            if m.name in k.demand:
                demand[a, b] = [value_in(k.demand[m.name], y) for y in years]
                price[a, b] = [value_in(k.price[m.name], y) for y in years]

    v_freight = np.zeros((len(plants), len(markets)))
    v_co2 = np.zeros_like(v_freight)
    v_days = np.zeros_like(v_freight)
    v_route = np.zeros((len(plants), len(markets)), dtype=bool)
    for a, p in enumerate(plants):
        for b, k in enumerate(markets):
            if p.country == k.country:
                v_route[a, b] = True
                continue
            lane = lanes.get((p.country, k.country, ProductKind.VEHICLE.value))
            if lane is not None:
                v_route[a, b] = True
                v_freight[a, b] = lane.cost
                v_co2[a, b] = lane.co2_per_unit
                v_days[a, b] = lane.transit_days

    content_rules = [r for r in net.rules if r.kind is not RuleKind.LOCAL_PRODUCTION]
    local_rules = [r for r in net.rules if r.kind is RuleKind.LOCAL_PRODUCTION]
    channel_rules = [r for r in net.rules if r.kind is not RuleKind.MANDATORY]
    hi = _index([NORMAL, *(r.name for r in channel_rules)], "channel")
    shape = (len(plants), len(markets), len(models), len(years), len(hi))
    rate = np.zeros(shape)
    flow_open = np.zeros(shape, dtype=bool)
    rule_places: list[tuple[set[str] | None, set[str], np.ndarray, set[Powertrain] | None]] = []
    for rule in channel_rules:
        assert rule.rate is not None
        scheme = np.array([value_in(rule.rate, y) for y in years])
        pts = None if rule.powertrains is None else set(rule.powertrains)
        if rule.kind is RuleKind.PREFERENTIAL:
            rule_places.append((_places(net, rule.countries), _places(net, rule.destinations),
                                scheme, pts))
        else:
            rule_places.append((None, _places(net, rule.countries), scheme, pts))
    for a, p in enumerate(plants):
        company = net.plant_company(p)
        for b, k in enumerate(markets):
            if not v_route[a, b]:
                continue
            for c, m in enumerate(models):
                when = producing[a] & (demand[b, c] > 0)
                if not makes[a, c] or not when.any():
                    continue
                normal = duty(p.country, k.country, ProductKind.VEHICLE, company,
                              m.powertrain.value)
                rate[a, b, c, :, 0] = np.where(when, normal, 0.0)
                flow_open[a, b, c, :, 0] = when
                for h, (origins, destinations, scheme, pts) in enumerate(rule_places, start=1):
                    if pts is not None and m.powertrain not in pts:
                        continue
                    if k.country not in destinations:
                        continue
                    if origins is None and p.country == k.country:
                        continue  # local-production schemes govern imports only
                    if origins is not None and p.country not in origins:
                        continue
                    better = when & (scheme < normal)
                    rate[a, b, c, :, h] = np.where(better, scheme, 0.0)
                    flow_open[a, b, c, :, h] = better

    _array = _Arrays(yi, si, pi, ci, mi, ki, sti, start_i, hi)
    return NetworkData(
        net=net, years=yi, suppliers=si, plants=pi, components=ci, models=mi, markets=ki,
        steps=sti, channels=hi,
        discount=_array(discount, yi),
        supplier_component=_array(np.array([s.component for s in sup], dtype=object), si),
        supplier_capacity=_array(cap, si, yi),
        supplier_available=_array(avail, si, yi),
        unit_cost=_array(cost, si, yi),
        part_landed=_array(landed, si, pi, yi),
        part_freight=_array(freight, si, pi, yi),
        part_duty_rate=_array(duty_p, si, pi, yi),
        part_co2=_array(part_co2, si, pi),
        part_route=_array(route, si, pi),
        bom=_array(bom, mi, ci),
        makes=_array(makes, pi, mi),
        variable_cost=_array(vc, pi, yi),
        existing_capacity=_array(existing_cap, pi, yi),
        producing=_array(producing, pi, yi),
        step_plant=_array(np.array(step_plant, dtype=object), sti),
        step_capacity=_array(np.array(step_cap).reshape(len(steps), len(years), len(years)),
                             sti, start_i, yi),
        step_cost=_array(np.array(step_cost).reshape(len(steps), len(years)), sti, start_i),
        step_may_start=_array(np.array(step_ok, dtype=bool).reshape(len(steps), len(years)),
                              sti, start_i),
        step_order=order,
        demand=_array(demand, ki, mi, yi),
        price=_array(price, ki, mi, yi),
        vehicle_freight=_array(v_freight, pi, ki),
        vehicle_co2=_array(v_co2, pi, ki),
        vehicle_transit=_array(v_days, pi, ki),
        vehicle_route=_array(v_route, pi, ki),
        duty_rate=_array(rate, pi, ki, mi, yi, hi),
        customs_value=_array(np.array([m.customs_value for m in models]), mi),
        flow_open=_array(flow_open, pi, ki, mi, yi, hi),
        content_rules=content_rules,
        local_rules=local_rules,
        lanes_used=lanes,
    )


def origin_shares(d: NetworkData, rules: list[str]
                   ) -> tuple[xr.DataArray, xr.DataArray, xr.DataArray]:
    """Threshold [channel, year], supplier in region [supplier, channel], plant in region."""
    net = d.net
    by_name = {r.name: r for r in d.content_rules}
    chosen = [by_name[name] for name in rules]
    ri = pd.Index(rules, name="channel")
    theta = xr.DataArray([[value_in(r.threshold, y) if r.threshold is not None else 0.0
                           for y in d.years] for r in chosen], coords=[ri, d.years])
    regions = [rule_region(net, r) for r in chosen]
    supplier_in = xr.DataArray([[s.country in reg for reg in regions] for s in net.suppliers],
                               coords=[d.suppliers, ri]).astype(float)
    plant_in = xr.DataArray([[p.country in reg for reg in regions] for p in net.plants],
                            coords=[d.plants, ri]).astype(float)
    return theta, supplier_in, plant_in


def bound_plants(d: NetworkData, rule_names: list[str]) -> xr.DataArray:
    """[plant, channel] whether a mandatory rule binds the plant (it sits in the rule's places)."""
    by_name = {r.name: r for r in d.content_rules}
    return xr.DataArray(
        [[any(p.country in d.net.members(c) for c in by_name[name].countries)
          for name in rule_names] for p in d.net.plants],
        coords=[d.plants, pd.Index(rule_names, name="channel")])


def _unit_cost_by_component(d: NetworkData, reduce: np.ufunc) -> np.ndarray:
    """[component, year] the lowest or highest unit cost of each family (numpy, no groupby)."""
    components = list(d.components)
    family = np.array([components.index(c) for c in d.supplier_component.values])
    start = np.inf if reduce is np.minimum else -np.inf
    out = np.full((len(components), len(d.years)), start)
    reduce.at(out, family, np.asarray(d.unit_cost.values))
    return np.where(np.isfinite(out), out, 0.0)


def content_big_m(d: NetworkData, rules: list[str]) -> xr.DataArray:
    """A bound on threshold x total value of a plant-year: the most its output could be worth."""
    bom = np.asarray(d.bom.values)  # [model, component]
    unit_max = float((bom @ _unit_cost_by_component(d, np.maximum)).max())
    cap = np.array([sum(level.capacity for level in p.levels) for p in d.net.plants])
    vc = np.asarray(d.variable_cost.values).max(axis=1)
    big = cap * (unit_max + vc) + 1.0
    return xr.DataArray(np.repeat(big[:, None], len(rules), axis=1),
                        coords=[d.plants, pd.Index(rules, name="channel")])


def value_floor(d: NetworkData) -> xr.DataArray:
    """[model, year, plant] the least a vehicle can be worth: cheapest parts plus value added."""
    parts = np.asarray(d.bom.values) @ _unit_cost_by_component(d, np.minimum)  # [model, year]
    vc = np.asarray(d.variable_cost.values)  # [plant, year]
    return xr.DataArray(parts[:, :, None] + vc.T[None, :, :],
                        coords=[d.models, d.years, d.plants])

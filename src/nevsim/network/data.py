"""The network turned into labelled arrays: rates, costs, masks by year, ready for the model.

Everything policy-shaped (which duty applies to which flow, which lane is cheapest, when a
plant can first produce) is resolved here, once, so the optimization model stays a plain
sequence of linear statements over these arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xarray as xr

from nevsim.network.model import (
    NORMAL,
    ContentRule,
    Duty,
    Lane,
    Network,
    Plant,
    ProductKind,
    RuleKind,
    VehicleModel,
    value_in,
)
from nevsim.network.objective import Objective


def _index(names: list[str] | list[int], dim: str) -> pd.Index:
    return pd.Index(names, name=dim)


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
    starts: pd.Index  # years a capacity step may start building (the plan years)
    arrays: dict[str, tuple[np.ndarray, tuple[pd.Index, ...]]]  # name -> values, indexes
    step_order: list[tuple[str, str]]  # (earlier step, later step) of the same plant
    content_rules: list[ContentRule] = field(default_factory=list)
    local_rules: list[ContentRule] = field(default_factory=list)
    lanes_used: dict[tuple[str, str, str], Lane] = field(default_factory=dict)
    _origins: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray, np.ndarray]] = field(
        default_factory=dict, repr=False)

    if TYPE_CHECKING:  # labelled arrays, made on first use from `arrays` (see __getattr__)
        discount: xr.DataArray = field(init=False)  # [year]
        supplier_component: xr.DataArray = field(init=False)  # [supplier] -> component name
        supplier_capacity: xr.DataArray = field(init=False)  # [supplier, year]
        supplier_available: xr.DataArray = field(init=False)  # [supplier, year] bool
        unit_cost: xr.DataArray = field(init=False)  # [supplier, year]
        part_landed: xr.DataArray = field(init=False)  # [supplier, plant, year] landed cost
        part_freight: xr.DataArray = field(init=False)  # [supplier, plant, year]
        part_duty_rate: xr.DataArray = field(init=False)  # [supplier, plant, year]
        part_co2: xr.DataArray = field(init=False)  # [supplier, plant] kg a unit
        part_route: xr.DataArray = field(init=False)  # [supplier, plant] bool: can deliver
        bom: xr.DataArray = field(init=False)  # [model, component] units per vehicle
        makes: xr.DataArray = field(init=False)  # [plant, model] bool
        variable_cost: xr.DataArray = field(init=False)  # [plant, year]
        existing_capacity: xr.DataArray = field(init=False)  # [plant, year]
        producing: xr.DataArray = field(init=False)  # [plant, year] may produce
        step_plant: xr.DataArray = field(init=False)  # [step] -> plant name
        step_capacity: xr.DataArray = field(init=False)  # [step, start, year] capacity
        step_cost: xr.DataArray = field(init=False)  # [step, start] discounted cost
        step_may_start: xr.DataArray = field(init=False)  # [step, start] bool
        demand: xr.DataArray = field(init=False)  # [market, model, year]
        price: xr.DataArray = field(init=False)  # [market, model, year]
        vehicle_freight: xr.DataArray = field(init=False)  # [plant, market]
        vehicle_co2: xr.DataArray = field(init=False)  # [plant, market] kg a vehicle
        vehicle_transit: xr.DataArray = field(init=False)  # [plant, market] days
        vehicle_route: xr.DataArray = field(init=False)  # [plant, market] bool
        duty_rate: xr.DataArray = field(init=False)  # [plant, market, model, year, channel]
        customs_value: xr.DataArray = field(init=False)  # [model]
        flow_open: xr.DataArray = field(init=False)  # [plant, market, model, year, channel] bool

    def __getattr__(self, name: str) -> xr.DataArray:
        """A labelled array, made on first use (the matrix model reads numpy: `values()`)."""
        arrays = self.__dict__.get("arrays", {})
        if name not in arrays:
            raise AttributeError(name)
        values, indexes = arrays[name]
        made = xr.DataArray(values, coords=list(indexes))
        self.__dict__[name] = made
        return made

    def values(self, name: str, *dims: str) -> np.ndarray:
        """The numpy values of an array, in the given dimension order."""
        values, indexes = self.arrays[name]
        if not dims:
            return values
        own = [str(index.name) for index in indexes]
        return np.transpose(values, [own.index(dim) for dim in dims])

    def origins(self, rules: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """`origin_arrays` of these rules, computed once per network."""
        key = tuple(rules)
        if key not in self._origins:
            self._origins[key] = origin_arrays(self, rules)
        return self._origins[key]

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


class _DutyTable:
    """Duty sums for every crossing of one product, as one array.

    Indexed [origin, destination, company, drive type, year] over the countries, companies
    and drive types that occur. Duties add up in their order; none applies within a country
    or between two members of a customs union.
    """

    def __init__(self, net: Network, product: ProductKind, countries: list[str],
                 companies: list[str], powertrains: list[str | None], years: list[int],
                 duties: list[Duty] | None = None, where: bool = False) -> None:
        """Sum the rates of `duties` (all the network's by default).

        With `where`, mark where each applies (1) instead of its rate.
        """
        self.country = {c: i for i, c in enumerate(countries)}
        self.company = {c: i for i, c in enumerate(companies)}
        self.powertrain = {p: i for i, p in enumerate(powertrains)}
        n = len(countries)
        self.table = np.zeros((n, n, len(companies), len(powertrains), len(years)))
        everywhere = np.arange(n)
        for duty in net.duties if duties is None else duties:
            if duty.product is not product:
                continue
            dest = net.members(duty.destination)
            d_idx = [i for i, c in enumerate(countries) if c in dest]
            o_idx = [i for i, c in enumerate(countries)
                     if duty.origin == "*" or c in net.members(duty.origin)]
            c_idx = [i for i, co in enumerate(companies)
                     if (duty.companies is None or co in duty.companies)
                     and co not in duty.except_companies]
            allowed = None if duty.powertrains is None else {p.value for p in duty.powertrains}
            p_idx = [i for i, pt in enumerate(powertrains)
                     if pt is None or allowed is None or pt in allowed]
            if d_idx and o_idx and c_idx and p_idx:
                rates = np.array([1.0 if where else value_in(duty.rate, y) for y in years])
                self.table[np.ix_(o_idx, d_idx, c_idx, p_idx)] += rates
        self.table[everywhere, everywhere] = 0.0
        inside = np.array([[net.same_customs_union(a, b) for b in countries]
                           for a in countries], dtype=bool).reshape(n, n)
        self.table[inside] = 0.0  # no duty within a customs union

    def lookup(self, origins: list[str], destinations: list[str], companies: list[str],
               powertrains: list[str | None]) -> np.ndarray:
        """[origin, destination, drive type, year] rates; origins pair with companies.

        Element by element: a plant and its owner, a supplier and its company.
        """
        o = np.array([self.country[c] for c in origins], dtype=np.int64)
        d = np.array([self.country[c] for c in destinations], dtype=np.int64)
        co = np.array([self.company[c] for c in companies], dtype=np.int64)
        pt = np.array([self.powertrain[p] for p in powertrains], dtype=np.int64)
        found: np.ndarray = self.table[o[:, None, None], d[None, :, None], co[:, None, None],
                                       pt[None, None, :]]
        return found


class _VehicleDuties:
    """Vehicle duties of every plant, market, model and year, as rates of the customs value.

    Rates add up; a duty with a minimum amount tops itself up to it where its rate gives less.
    Duties may be charged on a value other than the customs value (an undertaking's minimum
    import price), so each is worked out in money first.
    """

    def __init__(self, net: Network, countries: list[str], plant_countries: list[str],
                 market_countries: list[str], models: list[VehicleModel], owners: list[str],
                 years: list[int]) -> None:
        self.net, self.countries, self.years = net, countries, years
        self.plants, self.markets, self.owners = plant_countries, market_countries, owners
        self.companies = sorted(set(owners))
        self.drives: list[str | None] = [m.powertrain.value for m in models]
        self.powertrains = sorted(set(self.drives), key=str)
        self.customs_value = np.array([m.customs_value for m in models])

    def _table(self, duties: list[Duty], where: bool = False) -> np.ndarray:
        table = _DutyTable(self.net, ProductKind.VEHICLE, self.countries, self.companies,
                           self.powertrains, self.years, duties, where)
        return table.lookup(self.plants, self.markets, self.owners, self.drives)

    def applies(self, duty: Duty) -> np.ndarray:
        """[plant, market, model, year] where a duty is charged."""
        return self._table([duty], where=True) > 0

    def rates(self, duties: list[Duty], value: np.ndarray) -> np.ndarray:
        """[plant, market, model, year] duties on a vehicle valued `value` [model, year].

        As a rate of its customs value (the plain rate sum where that value is zero).
        """
        summed = self._table(duties)
        amount = summed * value[None, None]
        for duty in duties:
            if duty.product is not ProductKind.VEHICLE or not duty.has_minimum:
                continue
            least = np.array([value_in(duty.minimum, y) for y in self.years])
            own = np.array([value_in(duty.rate, y) for y in self.years])
            top_up = np.maximum(0.0, least[None, :] - own[None, :] * value)  # [model, year]
            amount += np.where(self.applies(duty), top_up[None, None], 0.0)
        cv = self.customs_value[None, None, :, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(cv > 0, amount / np.where(cv > 0, cv, 1.0), summed)


def _ramp(plant: Plant, production_year: int) -> float:
    """Share of capacity usable in the n-th production year (0-based)."""
    if production_year < 0:
        return 0.0
    return plant.ramp_up[production_year] if production_year < len(plant.ramp_up) else 1.0


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
    countries = sorted({p.country for p in plants} | {s.country for s in sup}
                       | {k.country for k in markets})
    discount = np.array([(1 + net.discount_rate) ** -(y - years[0]) for y in years])

    si = _index([s.name for s in sup], "supplier")
    pi = _index([p.name for p in plants], "plant")
    ci = _index(comps, "component")
    mi = _index([m.name for m in models], "model")
    ki = _index([m.name for m in markets], "market")

    cap = np.array([[value_in(s.capacity, y) for y in years] for s in sup])
    cost = np.array([[value_in(s.unit_cost, y) for y in years] for s in sup])
    avail = np.array([[y >= s.first_supply(years[0]) for y in years] for s in sup])

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
        kind = comp_kind[s.component]
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
    plant_countries = [p.country for p in plants]
    for kind in (ProductKind.PART, ProductKind.BATTERY):
        mine = [a for a, s in enumerate(sup) if comp_kind.get(s.component) is kind]
        if not mine:
            continue
        table = _DutyTable(net, kind, countries, sorted({sup[a].company for a in mine}),
                           [None], years)
        rates = table.lookup([sup[a].country for a in mine], plant_countries,
                             [sup[a].company for a in mine], [None])[:, :, 0, :]
        duty_p[mine] = np.where(route[mine][:, :, None], rates, 0.0)
    landed = (cost[:, None, :] * (1 + duty_p) + freight
              + net.carbon_price * part_co2[:, :, None] / 1000)

    vc = np.array([[value_in(p.variable_cost, y) for y in years] for p in plants])
    first_prod = [p.first_output(years[0]) for p in plants]
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
            annual = level.annual_cost(net.capital_rate, p.life)
            caps = np.zeros((len(years), len(years)))
            costs = np.zeros(len(years))
            ok = np.zeros(len(years), dtype=bool)
            for s_, start in enumerate(years):
                sop = p.ready(start)
                ok[s_] = p.may_start(start, years[-1])
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
    hi = _index([NORMAL, *(r.name for r in channel_rules),
                 *(u.name for u in net.undertakings)], "channel")
    shape = (len(plants), len(markets), len(models), len(years), len(hi))
    rate = np.zeros(shape)
    flow_open = np.zeros(shape, dtype=bool)
    # normal duties of every flow, then each rule's and undertaking's channel where lower
    duty_of = _VehicleDuties(net, countries, plant_countries, [k.country for k in markets],
                             models, [net.plant_company(p) for p in plants], years)
    customs_value = np.array([m.customs_value for m in models])
    normal = duty_of.rates(net.duties, np.broadcast_to(customs_value[:, None],
                                                       (len(models), len(years))))
    when = (producing[:, None, None, :] & (demand > 0)[None, :, :, :]
            & makes[:, None, :, None] & v_route[:, :, None, None])  # [plant, market, model, t]
    rate[..., 0] = np.where(when, normal, 0.0)
    flow_open[..., 0] = when
    market_countries = np.array([k.country for k in markets], dtype=object)
    plant_country = np.array(plant_countries, dtype=object)
    for h, rule in enumerate(channel_rules, start=1):
        assert rule.rate is not None
        scheme = np.array([value_in(rule.rate, y) for y in years])
        to = np.isin(market_countries, list(_places(net, rule.countries
                                                      if rule.kind is not RuleKind.PREFERENTIAL
                                                      else rule.destinations)))
        if rule.kind is RuleKind.PREFERENTIAL:
            from_ = np.isin(plant_country, list(_places(net, rule.countries)))
            pairs = from_[:, None] & to[None, :]
        else:  # local-production schemes govern imports only
            pairs = to[None, :] & (plant_country[:, None] != market_countries[None, :])
        drive_ok = np.array([rule.powertrains is None or m.powertrain in rule.powertrains
                             for m in models])
        until = rule.imports_until if rule.imports_until is not None else years[-1]
        in_force = np.array([y <= until for y in years])
        better = (when & pairs[:, :, None, None] & drive_ok[None, None, :, None]
                  & in_force[None, None, None, :] & (scheme[None, None, None, :] < normal))
        rate[..., h] = np.where(better, scheme, 0.0)
        flow_open[..., h] = better
    by_name = {d.name: d for d in net.duties}
    for h, u in enumerate(net.undertakings, start=1 + len(channel_rules)):
        lifted = by_name[u.duty]
        others = [d for d in net.duties if d is not lifted]
        covered = np.array([m.name in u.models for m in models])
        floor = np.array([[value_in(u.models[m.name].minimum_price, y) if m.name in u.models
                           else 0.0 for y in years] for m in models]).reshape(len(models), -1)
        capped = np.array([[value_in(u.models[m.name].cap, y) > 0 if m.name in u.models
                            else False for y in years] for m in models]).reshape(len(models), -1)
        scheme = duty_of.rates(others, np.maximum(customs_value[:, None], floor))
        better = (when & duty_of.applies(lifted) & covered[None, None, :, None]
                  & capped[None, None] & (scheme < normal))
        rate[..., h] = np.where(better, scheme, 0.0)
        flow_open[..., h] = better

    arrays: dict[str, tuple[np.ndarray, tuple[pd.Index, ...]]] = {
        "discount": (discount, (yi,)),
        "supplier_component": (np.array([s.component for s in sup], dtype=object), (si,)),
        "supplier_capacity": (cap, (si, yi)),
        "supplier_available": (avail, (si, yi)),
        "unit_cost": (cost, (si, yi)),
        "part_landed": (landed, (si, pi, yi)),
        "part_freight": (freight, (si, pi, yi)),
        "part_duty_rate": (duty_p, (si, pi, yi)),
        "part_co2": (part_co2, (si, pi)),
        "part_route": (route, (si, pi)),
        "bom": (bom, (mi, ci)),
        "makes": (makes, (pi, mi)),
        "variable_cost": (vc, (pi, yi)),
        "existing_capacity": (existing_cap, (pi, yi)),
        "producing": (producing, (pi, yi)),
        "step_plant": (np.array(step_plant, dtype=object), (sti,)),
        "step_capacity": (np.array(step_cap).reshape(len(steps), len(years), len(years)),
                          (sti, start_i, yi)),
        "step_cost": (np.array(step_cost).reshape(len(steps), len(years)), (sti, start_i)),
        "step_may_start": (np.array(step_ok, dtype=bool).reshape(len(steps), len(years)),
                           (sti, start_i)),
        "demand": (demand, (ki, mi, yi)),
        "price": (price, (ki, mi, yi)),
        "vehicle_freight": (v_freight, (pi, ki)),
        "vehicle_co2": (v_co2, (pi, ki)),
        "vehicle_transit": (v_days, (pi, ki)),
        "vehicle_route": (v_route, (pi, ki)),
        "duty_rate": (rate, (pi, ki, mi, yi, hi)),
        "customs_value": (np.array([m.customs_value for m in models]), (mi,)),
        "flow_open": (flow_open, (pi, ki, mi, yi, hi)),
    }
    return NetworkData(
        net=net, years=yi, suppliers=si, plants=pi, components=ci, models=mi, markets=ki,
        steps=sti, channels=hi, starts=start_i, arrays=arrays,
        step_order=order,
        content_rules=content_rules,
        local_rules=local_rules,
        lanes_used=lanes,
    )


def origin_arrays(d: NetworkData, rules: list[str]
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Threshold [rule, year], supplier and plant in the rule's region [*, rule] (numpy)."""
    by_name = {r.name: r for r in d.content_rules}
    chosen = [by_name[name] for name in rules]
    theta = np.array([[value_in(r.threshold, y) if r.threshold is not None else 0.0
                       for y in d.years] for r in chosen]).reshape(len(chosen), len(d.years))
    regions = [rule_region(d.net, r) for r in chosen]
    supplier_in = np.array([[s.country in reg for reg in regions] for s in d.net.suppliers],
                           dtype=float).reshape(len(d.suppliers), len(chosen))
    plant_in = np.array([[p.country in reg for reg in regions] for p in d.net.plants],
                        dtype=float).reshape(len(d.plants), len(chosen))
    return theta, supplier_in, plant_in


def bound_array(d: NetworkData, rule_names: list[str]) -> np.ndarray:
    """[plant, rule] whether a mandatory rule binds the plant (it sits in the rule's places)."""
    by_name = {r.name: r for r in d.content_rules}
    return np.array([[any(p.country in d.net.members(c) for c in by_name[name].countries)
                      for name in rule_names] for p in d.net.plants],
                    dtype=bool).reshape(len(d.plants), len(rule_names))


def _unit_cost_by_component(d: NetworkData, reduce: np.ufunc) -> np.ndarray:
    """[component, year] the lowest or highest unit cost of each family (numpy, no groupby)."""
    components = list(d.components)
    family = np.array([components.index(c) for c in d.values("supplier_component")],
                      dtype=np.int64)
    start = np.inf if reduce is np.minimum else -np.inf
    out = np.full((len(components), len(d.years)), start)
    reduce.at(out, family, d.values("unit_cost"))
    return np.where(np.isfinite(out), out, 0.0)


def content_big_m(d: NetworkData, rules: list[str]) -> np.ndarray:
    """[plant, rule] a bound on threshold x total value of a plant-year (its worth)."""
    unit_max = float((d.values("bom") @ _unit_cost_by_component(d, np.maximum)).max())
    cap = np.array([sum(level.capacity for level in p.levels) for p in d.net.plants])
    vc = d.values("variable_cost").max(axis=1)
    big = cap * (unit_max + vc) + 1.0
    return np.repeat(big[:, None], len(rules), axis=1)


def value_floor(d: NetworkData) -> np.ndarray:
    """[plant, model, year] the least a vehicle can be worth: cheapest parts plus value added."""
    parts = d.values("bom") @ _unit_cost_by_component(d, np.minimum)  # [model, year]
    floor: np.ndarray = parts[None, :, :] + d.values("variable_cost")[:, None, :]
    return floor

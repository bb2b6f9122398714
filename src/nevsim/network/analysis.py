"""From a solved plan to the planner's tables.

Footprint, exports, suppliers, content, landed cost, CO2 and the timeline.

Per-vehicle figures allocate a plant-year's costs to its vehicles: components at the plant's
average purchase price per family that year, fixed and capital costs spread over the year's
output. Each table is a plain pandas DataFrame in long form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from nevsim.network.data import NetworkData, rule_region
from nevsim.network.model import NORMAL, Plant, RuleKind, value_in

COST_PARTS = ("components", "production", "logistics", "duties", "capital")


def nonzero(values: xr.DataArray, tolerance: float = 1e-9) -> list[tuple[tuple[Any, ...], float]]:
    """(coordinate labels, value) of every entry above tolerance, in array order."""
    found = np.argwhere(values.values > tolerance)
    labels = [values.indexes[dim].tolist() for dim in values.dims]
    return [(tuple(labels[axis][i] for axis, i in enumerate(at)),
             float(values.values[tuple(at)])) for at in found]


@dataclass(frozen=True)
class Solution:
    """Primal values of each decision family (zeros where a decision does not exist)."""

    supply: xr.DataArray  # [supplier, plant, year]
    make: xr.DataArray  # [plant, model, year]
    ship: xr.DataArray  # [plant, market, model, year, channel]
    build: xr.DataArray | None  # [step, start]
    unmet: xr.DataArray  # [market, model, year]
    close: xr.DataArray | None = None  # [plant, year closed]
    idle: xr.DataArray | None = None  # [plant, year]


def closed_from(sol: Solution, plant: str) -> int | None:
    """The year a plant closes in the plan (None: it stays open)."""
    if sol.close is None or plant not in sol.close.indexes["plant"]:
        return None
    years = [int(y) for y, v in zip(sol.close.indexes["year"], sol.close.sel(plant=plant).values,
                                    strict=True) if v > 0.5]
    return years[0] if years else None


def idle_years(sol: Solution, plant: str) -> list[int]:
    """The years a plant stands idle in the plan."""
    if sol.idle is None or plant not in sol.idle.indexes["plant"]:
        return []
    return [int(y) for y, v in zip(sol.idle.indexes["year"], sol.idle.sel(plant=plant).values,
                                   strict=True) if v > 0.5]


def _annual_capital(d: NetworkData, plant: Plant, sol: Solution) -> np.ndarray:
    """Fixed cost plus annualized capex a year of a plant, by plan year (undiscounted)."""
    years = np.asarray(d.years)
    out = np.zeros(len(years))
    build = sol.build
    closed = closed_from(sol, plant.name)
    idle = np.isin(years, idle_years(sol, plant.name))
    if plant.existing:
        out += (plant.idle_cost or 0.0) * idle
    for k, level in enumerate(plant.levels):
        annual_fixed = level.fixed_cost
        if plant.existing:
            out += annual_fixed * (years < closed if closed is not None else 1.0) * ~idle
            continue
        if build is None:
            continue
        annual = level.annual_cost(d.net.capital_rate, plant.life)
        started = build.sel(step=f"{plant.name}#{k + 1}").values
        for s, start in enumerate(np.asarray(build.indexes["start"])):
            if started[s] > 0.5:
                out += annual * (years >= plant.ready(int(start)))
    return out


def capacity(d: NetworkData, sol: Solution) -> xr.DataArray:
    """Usable capacity per plant and year in the plan (existing plus ramped steps)."""
    cap = d.existing_capacity.copy()
    for p in d.net.plants:
        closed = closed_from(sol, p.name)
        if closed is not None:
            cap.loc[{"plant": p.name}] = cap.sel(plant=p.name).where(cap.year < closed, 0.0)
        idle = idle_years(sol, p.name)
        if idle:
            cap.loc[{"plant": p.name}] = cap.sel(plant=p.name).where(~cap.year.isin(idle), 0.0)
    if sol.build is not None and len(d.steps):
        per_step = (sol.build.round() * d.step_capacity).sum("start")
        per_plant = per_step.groupby(d.step_plant.rename("plant")).sum()
        cap = cap + per_plant.reindex(plant=d.plants, fill_value=0.0)
    return cap.transpose("plant", "year")


def footprint(d: NetworkData, sol: Solution) -> pd.DataFrame:
    """Plant-years: capacity, output, utilization, and when each plant was decided and starts."""
    cap = capacity(d, sol)
    out = sol.make.sum("model").transpose("plant", "year")
    rows = []
    decisions = decided(d, sol)
    for p in d.net.plants:
        first = decisions.get(p.name)
        for y in d.years:
            c = float(cap.sel(plant=p.name, year=y))
            o = float(out.sel(plant=p.name, year=y))
            rows.append({
                "plant": p.name, "country": p.country, "existing": p.existing,
                "decided": first, "year": y, "capacity": c, "output": o,
                "utilization": o / c if c > 0 else np.nan,
            })
    frame = pd.DataFrame(rows)
    frame["decided"] = frame["decided"].astype("Int64")  # a year, or missing
    return frame


def decided(d: NetworkData, sol: Solution) -> dict[str, int]:
    """Year each candidate plant's first step starts building."""
    found: dict[str, int] = {}
    if sol.build is None:
        return found
    for step in d.steps:
        plant = str(d.step_plant.sel(step=step).item())
        starts = sol.build.sel(step=step)
        chosen = [int(s) for s, v in zip(starts.indexes["start"], starts.values, strict=True)
                  if v > 0.5]
        if chosen:
            found[plant] = min(found.get(plant, chosen[0]), chosen[0])
    return found


def exports(d: NetworkData, sol: Solution) -> pd.DataFrame:
    """Per market and year: where its vehicles come from, and the unmet demand.

    `from_home` ships from the home country; `built_locally` is made in the market's country;
    `built_in_region` in another country of a group it belongs to (EU); `from_abroad` in any
    other plant abroad.
    """
    home = d.net.home
    origin = {p.name: p.country for p in d.net.plants}
    country = {k.name: k.country for k in d.net.markets}
    groups = [set(members) for members in d.net.groups.values()]
    ship = sol.ship.sum(["model", "channel"]).transpose("plant", "market", "year")
    demand = d.demand.sum("model").to_series()
    unmet = sol.unmet.sum("model").to_series()
    sources = ("from_home", "built_locally", "built_in_region", "from_abroad")
    rows: dict[tuple[str, int], dict[str, float]] = {}
    for k in d.net.markets:
        for y in d.years:
            rows[(k.name, y)] = {"demand": float(demand[(k.name, y)]),
                                 **dict.fromkeys(sources, 0.0),
                                 "unmet": float(unmet[(k.name, y)])}
    for (plant, market, year), v in nonzero(ship):
        made_in, sold_in = origin[plant], country[market]
        if made_in == sold_in:
            source = "built_locally"
        elif made_in == home:
            source = "from_home"
        elif any(made_in in g and sold_in in g for g in groups):
            source = "built_in_region"
        else:
            source = "from_abroad"
        rows[(market, year)][source] += v
    frame = pd.DataFrame([{"market": k, "year": y, **v} for (k, y), v in rows.items()])
    sold = (frame["demand"] - frame["unmet"]).where(lambda s: s > 0)
    frame["local_share"] = frame["built_locally"] / sold
    frame["regional_share"] = (frame["built_locally"] + frame["built_in_region"]) / sold
    return frame


def suppliers(d: NetworkData, sol: Solution) -> pd.DataFrame:
    """Who supplies each plant with what, each year: units, value, country, Chinese or not."""
    by_name = {s.name: s for s in d.net.suppliers}
    rows = []
    for (supplier, plant, year), units in nonzero(sol.supply.transpose("supplier", "plant",
                                                                       "year")):
        s = by_name[supplier]
        rows.append({"plant": plant, "year": year, "component": s.component,
                     "supplier": supplier, "company": s.company, "country": s.country,
                     "chinese": s.chinese, "units": units,
                     "value": units * value_in(s.unit_cost, int(year))})
    return pd.DataFrame(rows, columns=["plant", "year", "component", "supplier", "company",
                                       "country", "chinese", "units", "value"])


def composition(table: pd.DataFrame) -> pd.DataFrame:
    """Per plant and year: Chinese vs international suppliers by value and by count."""
    rows = []
    for (plant, year), g in table.groupby(["plant", "year"]):
        cn_value = g.loc[g.chinese, "value"].sum()
        intl_value = g.loc[~g.chinese, "value"].sum()
        cn_count = g.loc[g.chinese, "supplier"].nunique()
        intl_count = g.loc[~g.chinese, "supplier"].nunique()
        rows.append({
            "plant": plant, "year": year,
            "chinese_value": cn_value, "international_value": intl_value,
            "chinese_value_share": cn_value / (cn_value + intl_value)
            if cn_value + intl_value > 0 else np.nan,
            "chinese_suppliers": cn_count, "international_suppliers": intl_count,
            "ratio_by_value": cn_value / intl_value if intl_value > 0 else np.inf,
            "ratio_by_count": cn_count / intl_count if intl_count > 0 else np.inf,
        })
    return pd.DataFrame(rows)


def content(d: NetworkData, sol: Solution) -> pd.DataFrame:
    """Local content per plant-year against each content rule that applies to the plant."""
    rows = []
    cost = d.unit_cost
    made = sol.make.sum("model")
    for rule in d.content_rules:
        places = {c for name in rule.countries for c in d.net.members(name)}
        region = rule_region(d.net, rule)
        inside = xr.DataArray([s.country in region for s in d.net.suppliers],
                              coords=[d.suppliers])
        for p in d.net.plants:
            if p.country not in places:
                continue
            for y in d.years:
                out = float(made.sel(plant=p.name, year=y))
                if out <= 1e-9:
                    continue
                parts = sol.supply.sel(plant=p.name, year=y) * cost.sel(year=y)
                added = out * float(d.variable_cost.sel(plant=p.name, year=y))
                local = float(parts.where(inside, 0).sum()) + (added if p.country in region
                                                               else 0.0)
                total = float(parts.sum()) + added
                assert rule.threshold is not None
                theta = value_in(rule.threshold, y)
                used = rule.kind is RuleKind.PREFERENTIAL and \
                    float(sol.ship.sel(plant=p.name, year=y, channel=rule.name).sum()) > 1e-6
                rows.append({"plant": p.name, "year": y, "rule": rule.name,
                             "kind": rule.kind.value, "content": local / total,
                             "threshold": theta, "met": local / total >= theta - 1e-6,
                             "access_used": used})
    return pd.DataFrame(rows, columns=["plant", "year", "rule", "kind", "content", "threshold",
                                       "met", "access_used"])


def _per_vehicle(d: NetworkData, sol: Solution) -> dict[str, xr.DataArray]:
    """Cost per vehicle by plant, model and year, one array per cost part (before shipping)."""
    units = sol.supply.groupby(d.supplier_component.rename("component")).sum()
    def per_unit(weight: xr.DataArray) -> xr.DataArray:
        paid = (sol.supply * weight).groupby(d.supplier_component.rename("component")).sum()
        return (paid / units.where(units > 1e-9)).fillna(0.0)
    comp = (per_unit(d.unit_cost) * d.bom).sum("component")
    freight = (per_unit(d.part_freight) * d.bom).sum("component")
    duty = (per_unit(d.unit_cost * d.part_duty_rate) * d.bom).sum("component")
    out = sol.make.sum("model")
    capital = xr.DataArray(np.array([_annual_capital(d, p, sol) for p in d.net.plants]),
                           coords=[d.plants, d.years])
    capital = (capital / out.where(out > 1e-9)).fillna(0.0)
    return {"components": comp, "production": d.variable_cost + 0 * comp,
            "logistics": freight, "duties": duty, "capital": capital + 0 * comp}


def landed(d: NetworkData, sol: Solution) -> pd.DataFrame:
    """Per market, model and year: vehicle-weighted landed cost by part, price and margin."""
    per = _per_vehicle(d, sol)
    ship = sol.ship.sum("channel")
    vehicle_duty = (sol.ship * d.duty_rate).sum("channel") * d.customs_value
    parts = {
        "components": (ship * per["components"]).sum("plant"),
        "production": (ship * per["production"]).sum("plant"),
        "logistics": (ship * (per["logistics"] + d.vehicle_freight)).sum("plant"),
        "duties": (ship * per["duties"]).sum("plant") + vehicle_duty.sum("plant"),
        "capital": (ship * per["capital"]).sum("plant"),
    }
    sold = ship.sum("plant")
    frame = pd.DataFrame({"vehicles": sold.to_series()})
    for name, total in parts.items():
        frame[name] = (total / sold.where(sold > 1e-9)).to_series()
    frame = frame[frame.vehicles > 1e-6].reset_index()
    frame["landed_cost"] = frame[list(COST_PARTS)].sum(axis=1)
    price = d.price.to_series()
    frame["price"] = [price[(k, m, y)] for k, m, y in
                      zip(frame.market, frame.model, frame.year, strict=True)]
    frame["margin"] = frame["price"] - frame["landed_cost"]
    days = ((ship * d.vehicle_transit).sum("plant") / sold.where(sold > 1e-9)).to_series()
    frame["transit_days"] = [days[(k, m, y)] for k, m, y in
                             zip(frame.market, frame.model, frame.year, strict=True)]
    home = [k.name for k in d.net.markets if k.country == d.net.home]
    if home:
        frame["home_price"] = [price[(home[0], m, y)] for m, y in
                               zip(frame.model, frame.year, strict=True)]
    return frame


def co2(d: NetworkData, sol: Solution) -> pd.DataFrame:
    """CO2 per delivered vehicle by market and year: parts, production, transport (kg)."""
    parts_kg = (sol.supply * d.part_co2).sum("supplier")
    out = sol.make.sum("model")
    plant_kg = xr.DataArray([p.co2_per_vehicle for p in d.net.plants], coords=[d.plants])
    per_vehicle_parts = (parts_kg / out.where(out > 1e-9)).fillna(0.0)
    ship = sol.ship.sum(["channel", "model"])
    sold = ship.sum("plant")
    frame = pd.DataFrame({
        "vehicles": sold.to_series(),
        "parts_kg": ((ship * per_vehicle_parts).sum("plant") / sold.where(sold > 0))
        .to_series(),
        "production_kg": ((ship * plant_kg).sum("plant") / sold.where(sold > 0)).to_series(),
        "transport_kg": ((ship * d.vehicle_co2).sum("plant") / sold.where(sold > 0))
        .to_series(),
    }).reset_index()
    frame = frame[frame.vehicles > 1e-6]
    frame["total_kg"] = frame[["parts_kg", "production_kg", "transport_kg"]].sum(axis=1)
    return frame


def timeline(d: NetworkData, sol: Solution, table: pd.DataFrame) -> pd.DataFrame:
    """What must be decided and started when: plant steps and supplier localization.

    Slack is how many years later the item could have come without delaying its first use;
    zero slack makes it critical. `table` is the plan's `suppliers` table.
    """
    rows = []
    plants = {p.name: p for p in d.net.plants}
    for p in d.net.plants:
        closed = closed_from(sol, p.name)
        if closed is not None:
            rows.append({"item": f"close {p.name}", "kind": "closure", "name": p.name,
                         "country": p.country, "decide": closed, "ready": closed,
                         "full_rate": closed, "earliest_ready": d.net.years.first,
                         "slack": closed - d.net.years.first})
        idle = idle_years(sol, p.name)
        if idle:
            rows.append({"item": f"idle {p.name} ({', '.join(map(str, idle))})",
                         "kind": "idle", "name": p.name, "country": p.country,
                         "decide": idle[0], "ready": idle[0], "full_rate": idle[-1],
                         "earliest_ready": d.net.years.first,
                         "slack": idle[0] - d.net.years.first})
    if sol.build is not None:
        for step in d.steps:
            plant = plants[str(d.step_plant.sel(step=step).item())]
            starts = sol.build.sel(step=step)
            for start, v in zip(starts.indexes["start"], starts.values, strict=True):
                if v < 0.5:
                    continue
                sop = plant.ready(int(start))
                earliest = plant.first_output(d.net.years.first)
                rows.append({
                    "item": f"build {step.replace('#', ' step ')}", "kind": "plant",
                    "name": plant.name, "country": plant.country, "decide": int(start),
                    "ready": sop, "full_rate": sop + len(plant.ramp_up) - 1,
                    "earliest_ready": earliest, "slack": sop - earliest,
                })
    by_name = {s.name: s for s in d.net.suppliers}
    for name, g in table.groupby("supplier"):
        s = by_name[str(name)]
        first_use = int(g.year.min())
        available = s.first_supply(d.net.years.first)
        if s.lead_time == 0 and available == d.net.years.first:
            continue  # supplying from day one, nothing to start
        rows.append({
            "item": f"localize {s.component} at {s.name}", "kind": "supplier", "name": s.name,
            "country": s.country, "decide": first_use - s.lead_time, "ready": first_use,
            "full_rate": first_use, "earliest_ready": available, "slack": first_use - available,
        })
    frame = pd.DataFrame(rows, columns=["item", "kind", "name", "country", "decide", "ready",
                                        "full_rate", "earliest_ready", "slack"])
    frame["critical"] = frame["slack"] <= 0
    return frame.sort_values(["decide", "ready", "item"]).reset_index(drop=True)


def chain(d: NetworkData, sol: Solution, table: pd.DataFrame) -> pd.DataFrame:
    """Per plant abroad: how regional its supply chain is three years after the decision.

    The region of a plant is its country and every group it belongs to (EU). Reported: the
    share of component value bought in the region and the families bought only there, in the
    third year after the decision (or the last plan year), and the first year, if any, in
    which every family comes from the region. `table` is the plan's `suppliers` table.
    """
    decisions = decided(d, sol)
    rows = []
    for p in d.net.plants:
        if p.country == d.net.home:
            continue
        groups = [g for g, members in d.net.groups.items() if p.country in members]
        region = {p.country} | {c for g in groups for c in d.net.groups[g]}
        mine = table[table.plant == p.name]
        if mine.empty:
            continue
        complete = None
        for y in d.years:
            year = mine[mine.year == y]
            if not year.empty and set(year.country) <= region:
                complete = int(y)
                break
        start = decisions.get(p.name)
        check = min((start if start is not None else d.net.years.first) + 3,
                    int(d.years[-1]))
        at = mine[mine.year == check]
        inside = at[at.country.isin(region)]
        families = set(at.component)
        regional = {c for c in families if set(at[at.component == c].country) <= region}
        rows.append({
            "plant": p.name, "country": p.country, "decided": start,
            "first_output": int(mine.year.min()), "check_year": check,
            "regional_value_share": float(inside.value.sum() / at.value.sum())
            if at.value.sum() > 0 else None,
            "regional_families": f"{len(regional)} of {len(families)}",
            "full_regional_chain": complete,
        })
    frame = pd.DataFrame(rows, columns=["plant", "country", "decided", "first_output",
                                        "check_year", "regional_value_share",
                                        "regional_families", "full_regional_chain"])
    for column in ("decided", "full_regional_chain"):
        frame[column] = frame[column].astype("Int64")  # a year, or missing
    return frame


def channel_flows(d: NetworkData, sol: Solution) -> pd.DataFrame:
    """Every non-zero vehicle flow with its duty channel and rate."""
    ship = sol.ship.to_series()
    ship = ship[ship > 1e-6]
    rate = d.duty_rate.to_series()
    frame = ship.rename("vehicles").reset_index()
    frame["duty_rate"] = [rate[k] for k in ship.index]
    frame["channel"] = frame["channel"].where(frame["channel"] != NORMAL, "normal duties")
    return frame


def reasons(d: NetworkData, sol: Solution) -> list[str]:
    """Why each plant abroad is used: what its markets would pay in duty from home instead."""
    home = [p.name for p in d.net.plants if p.country == d.net.home]
    last = int(d.years[-1])
    lines = []
    ship = sol.ship.sel(year=last)
    rate = d.duty_rate.sel(year=last)
    home_rate = rate.sel(plant=home).where(d.flow_open.sel(plant=home, year=last)) \
        .min(["plant", "channel"]) if home else None
    for p in d.net.plants:
        if p.country == d.net.home:
            continue
        flows = ship.sel(plant=p.name).sum("channel")
        total = float(flows.sum())
        if total <= 1e-6:
            continue
        markets = flows.sum("model").to_series()
        served = [str(k) for k, v in markets.sort_values(ascending=False).items() if v > 1e-6]
        paid = float((ship.sel(plant=p.name) * rate.sel(plant=p.name)
                      * d.customs_value).sum()) / total
        text = (f"{p.name} ({p.country}) serves {', '.join(served)} with {total:,.0f} vehicles "
                f"in {last}, paying {paid:,.0f} {d.net.currency} of duty a vehicle")
        if home_rate is not None:
            alt = home_rate.sel(market=served)
            weights = flows.sel(market=served)
            ok = alt.notnull()
            if bool(ok.any()):
                avoided = float((alt.fillna(0) * weights * d.customs_value).sum()
                                / weights.where(ok).sum())
                text += f"; from {d.net.home} they would pay {avoided:,.0f}"
        lines.append(text + ".")
    for rule in d.content_rules:
        if rule.kind is not RuleKind.PREFERENTIAL:
            continue
        used = float(sol.ship.sel(channel=rule.name).sum()) if rule.name in d.channels else 0.0
        if used > 1e-6:
            lines.append(f"Rule {rule.name} is used: {used:,.0f} vehicles over the horizon "
                         "enter at its preferential rate because their plant meets its "
                         "content threshold.")
    for u in d.net.undertakings:
        used = float(sol.ship.sel(channel=u.name).sum())
        if used > 1e-6:
            lines.append(f"Undertaking {u.name} is used: {used:,.0f} vehicles over the horizon "
                         f"enter without duty {u.duty}, at or above their minimum import "
                         "price and within its yearly cap.")
    return lines

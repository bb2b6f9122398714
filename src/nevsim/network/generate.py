"""Random networks of any size, for benchmarks and for tests against independent solvers.

The shape mirrors a maker going abroad: one existing home plant, candidate plants in market
countries, several suppliers per component family spread over home and abroad, duties that
favour local production, optional content rules. Same seed, same network.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

HOME = "CN"


@dataclass(frozen=True)
class Size:
    """How big a generated network is."""

    plants: int = 4  # candidate plants abroad (plus one existing home plant)
    levels: int = 2  # capacity steps per candidate plant
    components: int = 3
    suppliers: int = 3  # per component family
    markets: int = 4
    models: int = 1
    years: int = 3
    rules: bool = False  # add a preferential and a mandatory content rule
    features: bool = False  # add groups, company and drive-type duties, earliest starts,
    #                        a carbon price with CO2, discounting, a second owner


def generate(size: Size, seed: int) -> dict[str, Any]:
    """A network section (plain dict, validate it with the scenario layer)."""
    rng = np.random.default_rng(seed)
    years = list(range(2025, 2025 + size.years))
    countries = [f"M{i:03d}" for i in range(size.markets)]
    components = [f"comp{i}" for i in range(size.components)]
    models = []
    for m in range(size.models):
        bom = [{"component": c, "quantity": float(rng.integers(1, 3))} for c in components]
        models.append({"name": f"model{m}", "powertrain": "BEV" if m % 2 == 0 else "PHEV",
                       "customs_value": float(rng.integers(40, 80)), "bom": bom})
    total_demand = 0.0
    markets = []
    for k, country in enumerate(countries):
        demand = {}
        price = {}
        for model in models:
            base = float(rng.integers(20, 150))
            demand[model["name"]] = {y: round(base * (1 + 0.15 * t), 1)
                                     for t, y in enumerate(years)}
            price[model["name"]] = float(rng.integers(90, 160))
            total_demand += base * (1 + 0.15 * (len(years) - 1))
        markets.append({"name": f"market{k}", "country": country, "demand": demand,
                        "price": price})
    plant_countries = [HOME] + [countries[int(i)] for i in
                                rng.integers(0, len(countries), size.plants)]
    plants: list[dict[str, Any]] = [{
        "name": "home", "country": HOME, "existing": True,
        "levels": [{"capacity": round(0.6 * total_demand, 1)}], "variable_cost": 8.0}]
    for p in range(size.plants):
        levels = [{"capacity": float(rng.integers(40, 200)),
                   "capex": float(rng.integers(0, 3000)),
                   "fixed_cost": float(rng.integers(0, 600))} for _ in range(size.levels)]
        plants.append({
            "name": f"plant{p}", "country": plant_countries[p + 1], "levels": levels,
            "variable_cost": float(rng.integers(8, 16)),
            "lead_time": int(rng.integers(0, 2)),
            "ramp_up": [0.5, 1.0] if rng.random() < 0.5 else [1.0],
            "life": 10,
        })
    suppliers: list[dict[str, Any]] = []
    for c in components:
        for s in range(size.suppliers):
            country = HOME if s == 0 else plant_countries[int(rng.integers(0, len(
                plant_countries)))]
            suppliers.append({
                "name": f"{c}-s{s}", "company": f"co{s}", "country": country,
                "chinese": country == HOME or rng.random() < 0.3, "component": c,
                "capacity": float(rng.integers(200, 2000)) if s else round(4 * total_demand, 1),
                "unit_cost": float(rng.integers(3, 12)) if s else 6.0,
                "first_year": years[0] if s == 0 else int(rng.choice(years)),
            })
    vehicle_lanes = []
    part_lanes = []
    origins = sorted(set(plant_countries))
    for o in origins:
        for d in countries:
            if o != d:
                vehicle_lanes.append({"origin": o, "destination": d,
                                      "cost": float(rng.integers(2, 10 if o != HOME else 15))})
    for o in sorted({str(s["country"]) for s in suppliers}):
        for d in origins:
            if o != d:
                part_lanes.append({"origin": o, "destination": d, "cargo": "part",
                                   "cost": float(rng.integers(0, 3))})
    duties: list[dict[str, Any]] = []
    for d in countries:
        duties.append({"name": f"mfn-{d}", "origin": "*", "destination": d,
                       "rate": round(float(rng.uniform(0.0, 0.3)), 3)})
        duties.append({"name": f"extra-{d}", "origin": HOME, "destination": d,
                       "rate": {years[0]: round(float(rng.uniform(0.0, 0.2)), 3),
                                years[-1]: round(float(rng.uniform(0.0, 0.5)), 3)}})
        duties.append({"name": f"parts-{d}", "origin": "*", "destination": d,
                       "product": "part", "rate": round(float(rng.uniform(0.0, 0.1)), 3)})
    rules: list[dict[str, Any]] = []
    if size.rules and len(countries) >= 2:
        # like a free-trade agreement: plants in a few countries reach a few others duty-free
        members = countries[: max(1, min(3, len(countries) // 2))]
        partners = countries[len(members): len(members) + 5]
        rules.append({"name": "fta", "kind": "preferential", "countries": members,
                      "destinations": partners, "threshold": 0.5, "rate": 0.0})
        rules.append({"name": "local-content", "kind": "mandatory",
                      "countries": [countries[-1]], "threshold": {years[0]: 0.2,
                                                                  years[-1]: 0.4}})
    net: dict[str, Any] = {
        "maker": "Maker", "home": HOME, "years": {"first": years[0], "last": years[-1]},
        "components": [{"name": c} for c in components], "models": models,
        "suppliers": suppliers, "plants": plants, "markets": markets,
        "lanes": vehicle_lanes + part_lanes, "duties": duties, "rules": rules,
    }
    if size.features:
        _add_features(net, rng)
    return net


def _add_features(net: dict[str, Any], rng: np.random.Generator) -> None:
    """Groups, duties by company, drive type and with a minimum, an undertaking, and more.

    Also earliest starts, plant owners, carbon and discounting.

    Drawn after everything else, so a network with features differs from the same seed's
    plain network only by them.
    """
    countries = [k["country"] for k in net["markets"]]
    years = list(range(net["years"]["first"], net["years"]["last"] + 1))
    union = countries[: max(2, len(countries) // 2)]
    net["groups"] = {"UNION": union}
    net["customs_unions"] = ["UNION"]
    # the union's external duties replace its members' own
    net["duties"] = [d for d in net["duties"] if d["destination"] not in union]
    net["duties"].append({"name": "union-ext", "origin": "*", "destination": "UNION",
                          "rate": round(float(rng.uniform(0.0, 0.2)), 3)})
    net["duties"].append({"name": "cvd-maker", "origin": HOME, "destination": "UNION",
                          "powertrains": ["BEV"], "companies": ["Maker"],
                          "rate": round(float(rng.uniform(0.0, 0.4)), 3)})
    net["duties"].append({"name": "cvd-others", "origin": "*", "destination": "UNION",
                          "except_companies": ["Maker"],
                          "rate": round(float(rng.uniform(0.0, 0.4)), 3)})
    net["duties"].append({"name": "battery-union", "origin": "*", "destination": "UNION",
                          "product": "part", "companies": ["co0"],
                          "rate": round(float(rng.uniform(0.0, 0.1)), 3)})
    for plant in net["plants"][1:]:
        if rng.random() < 0.5:
            plant["earliest_start"] = int(rng.choice(years))
        plant["co2_per_vehicle"] = float(rng.integers(0, 500))
    net["plants"][-1]["company"] = "Partner"  # pays the others' duty, not the maker's
    net["plants"][0]["co2_per_vehicle"] = float(rng.integers(0, 500))
    for supplier in net["suppliers"]:
        supplier["co2_per_unit"] = float(rng.integers(0, 50))
    extra = []
    for lane in net["lanes"]:
        lane["co2_per_unit"] = float(rng.integers(0, 300))
        if rng.random() < 0.3:  # a cleaner, dearer lane beside it
            extra.append({**lane, "mode": "rail", "cost": lane["cost"] + float(rng.integers(0, 3)),
                          "co2_per_unit": float(rng.integers(0, 100))})
    net["lanes"] += extra
    net["carbon_price"] = float(rng.integers(0, 100))
    net["discount_rate"] = round(float(rng.uniform(0.0, 0.1)), 3)
    net["capital_rate"] = round(float(rng.uniform(0.02, 0.12)), 3)
    # a member's own levy, from anywhere, with a minimum amount a vehicle that binds on the
    # cheaper models: inside the customs union it does not apply
    net["duties"].append({"name": "national-levy", "origin": "*", "destination": union[0],
                          "rate": round(float(rng.uniform(0.05, 0.3)), 3),
                          "minimum": float(rng.integers(5, 25))})
    # the maker's CVD may be lifted for the first model, above a price floor, within a cap
    first = net["models"][0]
    net["undertakings"] = [{"name": "undertaking", "duty": "cvd-maker", "models": {
        first["name"]: {"minimum_price": float(first["customs_value"] + rng.integers(-10, 30)),
                        "cap": {years[0]: 0.0, years[1]: float(rng.integers(5, 40))}}}}]

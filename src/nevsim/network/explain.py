"""Why no plan exists, in a planner's words.

The elastic model (`build_model(..., elastic=True)`) lets every hard limit give way at a
price and finds the least total give. Each limit that had to give becomes one sentence naming
the demand, plant, supplier or rule, the year, the amount, and the lead time or date behind it.
"""

from __future__ import annotations

import numpy as np

from nevsim.network.analysis import nonzero
from nevsim.network.build import BuiltModel
from nevsim.network.data import NetworkData
from nevsim.network.model import Plant, value_in
from nevsim.network.solve import SolverOutcome

TOLERANCE = 1e-6


def _earliest(d: NetworkData, name: str) -> int:
    plant = next(p for p in d.net.plants if p.name == name)
    producing = d.producing.sel(plant=name).values
    return int(np.asarray(d.years)[producing.argmax()]) if producing.any() else \
        d.net.years.last + plant.lead_time


def _too_late(d: NetworkData, year: int, plants: list[Plant]) -> list[str]:
    """The plants of a list that can only produce after `year`, with their lead times."""
    return [f"{p.name} only from {_earliest(d, p.name)} (lead time {p.lead_time} y)"
            for p in plants if _earliest(d, p.name) > year]


def _demand_lines(built: BuiltModel, out: SolverOutcome) -> list[str]:
    d = built.data
    lines = []
    slack = out.solution(built.slacks["demand"])
    for (market, model, year), short in nonzero(slack, TOLERANCE):
        need = float(d.demand.sel(market=market, model=model, year=year))
        reaching = [p for p in d.net.plants
                    if bool(d.vehicle_route.sel(plant=p.name, market=market))
                    and bool(d.makes.sel(plant=p.name, model=model))]
        later = _too_late(d, year, reaching)
        why = "; ".join(later) if later else "no plant that makes it can reach the market"
        lines.append(f"Demand for {model} in {market} in {year}: {short:,.0f} of {need:,.0f} "
                     f"vehicles cannot be served in time ({why}).")
    return lines


def _plant_lines(built: BuiltModel, out: SolverOutcome) -> list[str]:
    d = built.data
    lines = []
    slack = out.solution(built.slacks["plant_capacity"])
    for (plant, year), extra in nonzero(slack, TOLERANCE):
        spec = next(p for p in d.net.plants if p.name == plant)
        total = sum(level.capacity for level in spec.levels)
        why = f"full capacity {total:,.0f} a year"
        if not spec.existing and len(spec.ramp_up) > 1:
            why += f", ramp-up {', '.join(f'{s:.0%}' for s in spec.ramp_up)} from its start"
        later = _too_late(d, year, [p for p in d.net.plants if not p.existing])
        if later:
            why += "; other plants come too late: " + ", ".join(later)
        lines.append(f"Plant {plant} would need {extra:,.0f} more vehicles of capacity in {year} "
                     f"({why}).")
    return lines


def _supplier_lines(built: BuiltModel, out: SolverOutcome) -> list[str]:
    d = built.data
    lines = []
    slack = out.solution(built.slacks["supplier_capacity"])
    for (name, year), extra in nonzero(slack, TOLERANCE):
        s = next(s for s in d.net.suppliers if s.name == name)
        cap = value_in(s.capacity, year)
        lines.append(f"Supplier {name} ({s.component}, {s.country}) would need {extra:,.0f} more "
                     f"units in {year} (capacity {cap:,.0f}).")
    return lines


def _content_lines(built: BuiltModel, out: SolverOutcome) -> list[str]:
    d = built.data
    lines = []
    slack = out.solution(built.slacks["content"])
    for (plant, rule, year), gap in nonzero(slack, TOLERANCE):
        spec = next(r for r in d.content_rules if r.name == rule)
        assert spec.threshold is not None
        theta = value_in(spec.threshold, year)
        lines.append(f"Plant {plant} cannot reach the {theta:.0%} local content of rule {rule} "
                     f"in {year}: local suppliers lack about {gap:,.0f} vehicles' worth of "
                     "component value (capacity or first supply year).")
    return lines


def _local_lines(built: BuiltModel, out: SolverOutcome) -> list[str]:
    lines = []
    for name, var in built.slacks.items():
        if not name.startswith("local_"):
            continue
        for (year,), gap in nonzero(out.solution(var), TOLERANCE):
            lines.append(f"Rule {name[6:]} in {year}: {gap:,.0f} more vehicles must be built "
                         "locally to cover the imports it admits.")
    return lines


def explain(built: BuiltModel, out: SolverOutcome) -> list[str]:
    """Sentences naming each limit that must give for a plan to exist (elastic solution)."""
    readers = {"demand": _demand_lines, "plant_capacity": _plant_lines,
               "supplier_capacity": _supplier_lines, "content": _content_lines}
    lines: list[str] = []
    for name, reader in readers.items():
        if name in built.slacks:
            lines += reader(built, out)
    lines += _local_lines(built, out)
    return lines or ["No single limit explains it: the rules contradict each other."]

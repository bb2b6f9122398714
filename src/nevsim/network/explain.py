"""Why no plan exists, in a planner's words.

The elastic model (`SparseMILP.relaxed()` of the planning model) lets every hard limit give
way at a price and finds the least total give. Each limit that had to give becomes one
sentence naming the demand, plant, supplier or rule, the year, the amount in the limit's own
unit, and the lead time or date behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nevsim.network.data import NetworkData
from nevsim.network.milp import RowBlock, SparseMILP, slack_name
from nevsim.network.model import Plant, value_in

TOLERANCE = 1e-6


def _too_late(d: NetworkData, year: int, plants: list[Plant]) -> list[str]:
    """The plants of a list that can only produce after `year`, with their lead times."""
    first = d.net.years.first
    return [f"{p.name} only from {p.first_output(first)} (lead time {p.lead_time} y)"
            for p in plants if p.first_output(first) > year]


def _demand(d: NetworkData, labels: tuple[Any, ...], short: float, unit: str) -> str:
    market, model, year = labels
    need = float(d.demand.sel(market=market, model=model, year=year))
    reaching = [p for p in d.net.plants
                if bool(d.vehicle_route.sel(plant=p.name, market=market))
                and bool(d.makes.sel(plant=p.name, model=model))]
    later = _too_late(d, year, reaching)
    why = "; ".join(later) if later else "no plant that makes it can reach the market"
    return (f"Demand for {model} in {market} in {year}: {short:,.0f} of {need:,.0f} {unit} "
            f"cannot be served in time ({why}).")


def _plant(d: NetworkData, labels: tuple[Any, ...], extra: float, unit: str) -> str:
    plant, year = labels
    spec = next(p for p in d.net.plants if p.name == plant)
    total = sum(level.capacity for level in spec.levels)
    why = f"full capacity {total:,.0f} a year"
    if not spec.existing and len(spec.ramp_up) > 1:
        why += f", ramp-up {', '.join(f'{s:.0%}' for s in spec.ramp_up)} from its start"
    later = _too_late(d, year, [p for p in d.net.plants if not p.existing])
    if later:
        why += "; other plants come too late: " + ", ".join(later)
    return f"Plant {plant} would need {extra:,.0f} more {unit} of capacity in {year} ({why})."


def _supplier(d: NetworkData, labels: tuple[Any, ...], extra: float, unit: str) -> str:
    name, year = labels
    s = next(s for s in d.net.suppliers if s.name == name)
    cap = value_in(s.capacity, year)
    return (f"Supplier {name} ({s.component}, {s.country}) would need {extra:,.0f} more {unit} "
            f"in {year} (capacity {cap:,.0f}).")


def _content(d: NetworkData, labels: tuple[Any, ...], gap: float, unit: str) -> str:
    plant, rule, year = labels
    spec = next(r for r in d.content_rules if r.name == rule)
    assert spec.threshold is not None
    theta = value_in(spec.threshold, year)
    return (f"Plant {plant} cannot reach the {theta:.0%} local content of rule {rule} in "
            f"{year}: it lacks {gap:,.0f} {unit} of originating value (local suppliers' "
            "capacity or first supply year).")


def _local(d: NetworkData, labels: tuple[Any, ...], gap: float, unit: str) -> str:
    rule, year = labels
    return (f"Rule {rule} in {year}: {gap:,.0f} more {unit} must be built locally to cover "
            "the imports it admits.")


def _offset(d: NetworkData, labels: tuple[Any, ...], gap: float, unit: str) -> str:
    (rule,) = labels
    spec = next(r for r in d.local_rules if r.name == rule)
    return (f"Rule {rule}: {gap:,.0f} imported {unit} stay unsettled by {spec.settle_by}: the "
            "local vehicles built by then, at the scheme's ratios, do not cover its imports"
            + (f" and the {spec.owed:,.0f} owed from before {d.net.years.first}."
               if spec.owed else "."))


Sentence = Callable[[NetworkData, tuple[Any, ...], float, str], str]
SENTENCES: dict[str, Sentence] = {
    "demand": _demand, "plant_capacity": _plant, "supplier_capacity": _supplier,
    "mandatory_content": _content, "local_production": _local, "local_offset": _offset,
}
"""One sentence builder per relaxable row block of the planning model."""


def explain(d: NetworkData, elastic: SparseMILP, values: np.ndarray) -> list[str]:
    """Sentences naming each limit that must give for a plan to exist (elastic solution)."""
    lines: list[str] = []
    for name, block in elastic.rows.items():
        if block.elastic is None:
            continue
        slack = elastic.values(slack_name(name), values)
        for labels, amount in block.nonzero(slack, TOLERANCE):
            lines.append(_sentence(d, block, labels, amount))
    return lines or ["No single limit explains it: the rules contradict each other."]


def _sentence(d: NetworkData, block: RowBlock, labels: tuple[Any, ...], amount: float) -> str:
    assert block.elastic is not None
    if block.name in SENTENCES:
        return SENTENCES[block.name](d, labels, amount, block.elastic.unit)
    where = ", ".join(f"{dim} {label}" for dim, label in zip(block.dims, labels, strict=True))
    return f"Limit {block.name} ({where}) must give by {amount:,.0f} {block.elastic.unit}."

"""Typed result of a network plan: outcome, headline money, and the planner's tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from nevsim.network.solve import SolveStats, SolveStatus
from nevsim.records import finite, records

TABLES = ("footprint", "exports", "suppliers", "composition", "content", "landed", "co2",
          "timeline", "chain", "flows")


def _empty() -> pd.DataFrame:
    return pd.DataFrame()


@dataclass(frozen=True)
class NetworkResult:
    """Where to build, what to source where, and what it earns, with the solver's outcome.

    Money is in the network's currency, discounted to the first plan year. Tables: `footprint`
    (plant-years: capacity, output, utilization), `exports` (market-years: from home, built
    locally, from other plants abroad, unmet), `suppliers` (who supplies which plant with
    what), `composition` (Chinese vs international by value and count), `content` (local
    content against each rule), `landed` (cost per vehicle by part, price, margin), `co2`
    (kg per delivered vehicle), `timeline` (what to decide and start when, critical items),
    `chain` (when each plant abroad has a full regional supply chain), `flows` (vehicle
    flows with their duty channel).
    """

    scenario: str
    currency: str
    objective_kind: str
    home: str
    status: SolveStatus
    stats: SolveStats
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    revenue: float | None = None
    cost: float | None = None
    explanation: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    free_trade: dict[str, Any] | None = None  # the same network without duties and rules
    market_countries: dict[str, str] = field(default_factory=dict)  # market -> its country
    first_year: int = 0  # money is discounted to this year (the first plan year)
    footprint: pd.DataFrame = field(default_factory=_empty)
    exports: pd.DataFrame = field(default_factory=_empty)
    suppliers: pd.DataFrame = field(default_factory=_empty)
    composition: pd.DataFrame = field(default_factory=_empty)
    content: pd.DataFrame = field(default_factory=_empty)
    landed: pd.DataFrame = field(default_factory=_empty)
    co2: pd.DataFrame = field(default_factory=_empty)
    timeline: pd.DataFrame = field(default_factory=_empty)
    chain: pd.DataFrame = field(default_factory=_empty)
    flows: pd.DataFrame = field(default_factory=_empty)

    @property
    def has_plan(self) -> bool:
        """Whether a feasible plan came back (optimal, or at a time limit with a gap)."""
        return self.status in (SolveStatus.OPTIMAL, SolveStatus.TIME_LIMIT)

    @property
    def profit(self) -> float | None:
        """Revenue minus cost over the horizon (discounted)."""
        if self.revenue is None or self.cost is None:
            return None
        return self.revenue - self.cost

    def plants_opened(self) -> list[str]:
        """Candidate plants the plan builds, in decision order."""
        if self.footprint.empty:
            return []
        built = self.footprint.dropna(subset=["decided"]).drop_duplicates("plant")
        return list(built.sort_values("decided").plant)

    def chinese_share_abroad(self) -> float | None:
        """Share of component value from Chinese-owned suppliers at plants abroad, last year."""
        table = self.suppliers
        if table.empty:
            return None
        home = set(self.footprint[self.footprint.country == self.home].plant)
        last = table[(table.year == table.year.max()) & ~table.plant.isin(home)]
        total = float(last.value.sum())
        return float(last[last.chinese].value.sum()) / total if total > 0 else None

    def duties_paid(self) -> float | None:
        """Duties on vehicles and parts over the horizon (undiscounted)."""
        if self.landed.empty:
            return None
        return float((self.landed.duties * self.landed.vehicles).sum())

    def summary(self) -> dict[str, Any]:
        """Headline figures, JSON-ready."""
        delivered = None
        co2 = None
        if not self.co2.empty:
            delivered = float(self.co2.vehicles.sum())
            co2 = float((self.co2.total_kg * self.co2.vehicles).sum() / delivered)
        s = self.stats
        return {
            "scenario": self.scenario,
            "status": self.status.value,
            "objective_kind": self.objective_kind,
            "currency": self.currency,
            "objective": _num(self.objective),
            "bound": _num(self.bound),
            "gap": _num(self.gap),
            "revenue": _num(self.revenue),
            "cost": _num(self.cost),
            "profit": _num(self.profit),
            "plants_opened": self.plants_opened(),
            "vehicles_delivered": delivered,
            "co2_kg_per_vehicle": co2,
            "explanation": self.explanation,
            "reasons": self.reasons,
            "duties_paid": _num(self.duties_paid()),
            "chinese_value_share_abroad": _num(self.chinese_share_abroad()),
            "free_trade": self.free_trade,
            "size": {"variables": s.variables, "binaries": s.binaries,
                     "constraints": s.constraints, "nonzeros": s.nonzeros},
            "seconds": {"build": s.build_seconds, "handoff": s.handoff_seconds,
                        "highs": s.solver_seconds},
        }

    def to_dict(self) -> dict[str, Any]:
        """Everything, JSON-ready."""
        return {"summary": self.summary(),
                **{name: records(getattr(self, name)) for name in TABLES}}


def _num(value: float | None) -> float | None:
    return None if value is None else finite(float(value))

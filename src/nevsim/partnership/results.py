"""Typed result of a partnership: coalition values, the game's properties and the splits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from nevsim.network.results import NetworkResult
from nevsim.partnership.values import CoalitionValue
from nevsim.records import finite, records


@dataclass(frozen=True)
class Allocation:
    """A split of v(N): what each partner gets, and whether any coalition would leave it.

    `kind` is `fair` (Shapley, nucleolus, least core), `stated` (a deal's shares of the
    joint gain on top of each partner's stand-alone value) or `alone` (stand-alone plans,
    which do not add up to v(N)).
    """

    name: str
    kind: str
    amounts: dict[str, float]
    violation: float  # largest v(S) - x(S): above 0, coalition `blocking` gains by leaving
    blocking: tuple[str, ...] | None
    note: str = ""

    @property
    def in_core(self) -> bool:
        """Whether no coalition gains by leaving (within a relative 1e-6 of the values)."""
        return self.violation <= 0.0


@dataclass(frozen=True)
class PartnershipResult:
    """What pooling earns, and how to split it.

    Money is in the network's currency, discounted to the first plan year; cooperation
    costs are paid in that year.
    """

    scenario: str
    currency: str
    partners: list[str]
    coalitions: list[CoalitionValue]
    superadditive: bool
    superadditivity_gaps: list[dict[str, Any]]  # the worst pairs that lose by merging
    convex: bool
    core_empty: bool
    least_core_epsilon: float  # the most every proper coalition can get above its value
    allocations: list[Allocation]
    nucleolus_check: dict[str, Any]
    workers: int
    seconds: float
    notes: list[str] = field(default_factory=list)

    def value(self, members: tuple[str, ...] | list[str]) -> float:
        """v(S) of a coalition, members in any order."""
        wanted = frozenset(members)
        return next(c.value for c in self.coalitions if frozenset(c.members) == wanted)

    @property
    def grand(self) -> CoalitionValue:
        """All partners together."""
        return self.coalitions[-1]

    @property
    def joint_gain(self) -> float:
        """v(N) minus what the partners earn apart: the "1+1>2"."""
        return self.grand.value - sum(self.value([p]) for p in self.partners)

    def allocation(self, name: str) -> Allocation:
        """An allocation by name."""
        return next(a for a in self.allocations if a.name == name)

    def coalition_table(self) -> pd.DataFrame:
        """Every coalition: its value, its gain over its members apart, how it was planned."""
        alone = {p: self.value([p]) for p in self.partners}
        rows = []
        for c in self.coalitions:
            plan = c.plan
            rows.append({
                "coalition": " + ".join(c.members), "size": len(c.members),
                "profit": c.profit, "cooperation": c.cooperation, "value": c.value,
                "gain": c.value - sum(alone[p] for p in c.members),
                "plants_opened": ", ".join(plan.plants_opened()) if plan else "",
                "duties_paid": plan.duties_paid() if plan else 0.0,
                "status": plan.status.value if plan else "nothing to plan",
                "gap": plan.gap if plan else None,
                "seconds": c.seconds, "shared_plan": c.shared,
            })
        return pd.DataFrame(rows)

    def allocation_table(self) -> pd.DataFrame:
        """Partner x allocation: amounts, with stand-alone values and what leaving costs."""
        rows = []
        grand = self.grand.value
        for p in self.partners:
            rest = [q for q in self.partners if q != p]
            row: dict[str, Any] = {
                "partner": p, "alone": self.value([p]),
                "marginal": grand - (self.value(rest) if rest else 0.0),
            }
            for a in self.allocations:
                row[a.name] = a.amounts[p]
            rows.append(row)
        return pd.DataFrame(rows)

    def cross_built(self, owners: dict[str, dict[str, str]]) -> pd.DataFrame:
        """The grand plan's vehicles by plant owner and model owner, over the horizon."""
        plan = self.grand.plan
        if plan is None or plan.flows.empty:
            return pd.DataFrame(columns=["plant", "plant_owner", "model", "model_owner",
                                         "vehicles"])
        flows = plan.flows.groupby(["plant", "model"], as_index=False).vehicles.sum()
        flows["plant_owner"] = flows.plant.map(owners["plants"])
        flows["model_owner"] = flows.model.map(owners["models"])
        return pd.DataFrame(flows[["plant", "plant_owner", "model", "model_owner",
                                   "vehicles"]])

    def summary(self) -> dict[str, Any]:
        """Headline figures, JSON-ready."""
        alone = {p: self.value([p]) for p in self.partners}
        solved = [c for c in self.coalitions if c.plan is not None and not c.shared]
        grand_duties = _duties(self.grand.plan)
        return {
            "scenario": self.scenario, "currency": self.currency, "partners": self.partners,
            "grand_value": finite(self.grand.value), "alone": alone,
            "joint_gain": finite(self.joint_gain),
            "superadditive": self.superadditive, "convex": self.convex,
            "core_empty": self.core_empty,
            "least_core_epsilon": finite(self.least_core_epsilon),
            "allocations": {a.name: {"kind": a.kind, "amounts": a.amounts,
                                     "in_core": a.in_core, "violation": finite(a.violation),
                                     "blocking": list(a.blocking or []), "note": a.note}
                            for a in self.allocations},
            "nucleolus_check": self.nucleolus_check,
            "duties_paid": {"together": grand_duties,
                            "apart": sum(_duties(self.coalitions[i].plan)
                                         for i in range(len(self.partners)))},
            "plans": {"coalitions": len(self.coalitions), "solved": len(solved),
                      "shared": sum(c.shared for c in self.coalitions),
                      "seconds_per_plan": (sum(c.seconds for c in solved) / len(solved)
                                           if solved else None),
                      "workers": self.workers, "seconds": self.seconds},
            "notes": self.notes,
        }

    def to_dict(self) -> dict[str, Any]:
        """Everything, JSON-ready."""
        return {"summary": self.summary(),
                "coalitions": records(self.coalition_table()),
                "allocations": records(self.allocation_table())}


def _duties(plan: NetworkResult | None) -> float:
    return float(plan.duties_paid() or 0.0) if plan is not None else 0.0

"""What a program run answers: SOP and cost with their confidence, and what drives them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from nevsim.program.model import Target

LEVELS = (0.10, 0.50, 0.80, 0.90)
"""The confidence levels reported (P10, P50, P80, P90)."""

TORNADO_TASKS = 10
"""Tasks shown in the tornado: the most crucial ones."""


def _date(value: Any) -> dt.date:
    """A numpy day as a Python date."""
    return dt.date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class Level:
    """SOP and cost at one confidence level (each its own quantile)."""

    level: str
    sop: dt.date
    months: float
    cost: float


@dataclass(frozen=True)
class ProgramResult:
    """A simulated program. Money in `currency`; durations in working days or months."""

    scenario: str
    currency: str
    samples: int
    seed: int
    latin_hypercube: bool
    start: dt.date
    schedule: pd.DataFrame
    """Per task (topological order): the deterministic plan and the Monte Carlo statistics."""
    sop_days: np.ndarray
    sop_dates: np.ndarray
    sop_months: np.ndarray
    cost: np.ndarray
    plan_sop: dt.date
    plan_months: float
    plan_cost: float
    target: Target | None
    tornado: pd.DataFrame
    loops: pd.DataFrame
    risks: pd.DataFrame
    extra: dict[str, Any] = field(default_factory=dict)

    def levels(self) -> list[Level]:
        """P10/P50/P80/P90 of the SOP date, months to SOP and cost (each its own quantile)."""
        return list(self._levels)

    @cached_property
    def _levels(self) -> tuple[Level, ...]:
        """The levels, worked out once (the report and the summary ask for them often)."""
        order = np.argsort(self.sop_days, kind="stable")
        rows = []
        for level in LEVELS:
            k = int(order[_quantile_position(level, len(order))])
            rows.append(Level(f"P{round(level * 100)}", _date(self.sop_dates[k]),
                              float(self.sop_months[k]),
                              float(np.quantile(self.cost, level, method="inverted_cdf"))))
        return tuple(rows)

    def percentiles(self) -> pd.DataFrame:
        """The levels as a table."""
        return pd.DataFrame([vars(level) for level in self.levels()])

    def merge_bias_months(self) -> float:
        """How far the P50 SOP lies past the deterministic plan's SOP, in months."""
        return self.levels()[1].months - self.plan_months

    def confidence(self, sop: dt.date | None = None,
                   budget: float | None = None) -> dict[str, float | None]:
        """Shares of samples meeting a date, a budget, and both (the joint confidence)."""
        sop = sop if sop is not None else (self.target.sop if self.target else None)
        budget = budget if budget is not None else (self.target.budget if self.target else None)
        on_time = self.sop_dates <= np.datetime64(sop) if sop is not None else None
        in_budget = self.cost <= budget if budget is not None else None
        both = on_time & in_budget if on_time is not None and in_budget is not None else None
        return {"on_time": None if on_time is None else float(on_time.mean()),
                "in_budget": None if in_budget is None else float(in_budget.mean()),
                "joint": None if both is None else float(both.mean())}

    def renamed(self, scenario: str) -> ProgramResult:
        """The same result under another scenario name (a step of a comparison)."""
        from dataclasses import replace

        return replace(self, scenario=scenario)

    def summary(self) -> dict[str, Any]:
        """The headline figures (what the run store records)."""
        p = self.levels()
        target = self.target
        return {
            "samples": self.samples,
            "plan_sop": self.plan_sop.isoformat(),
            "plan_months": self.plan_months,
            "plan_cost": self.plan_cost,
            **{f"sop_{r.level.lower()}": r.sop.isoformat() for r in p},
            **{f"months_{r.level.lower()}": r.months for r in p},
            **{f"cost_{r.level.lower()}": r.cost for r in p},
            "cost_mean": float(self.cost.mean()),
            "merge_bias_months": self.merge_bias_months(),
            "target_sop": target.sop.isoformat() if target and target.sop else None,
            "target_budget": target.budget if target else None,
            **{f"confidence_{k}": v for k, v in self.confidence().items()},
            "critical_path": [str(n) for n in
                              self.schedule.loc[self.schedule["critical"], "task"]],
        }

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain JSON types."""
        from nevsim.records import records

        return {"scenario": self.scenario, "currency": self.currency, "seed": self.seed,
                "latin_hypercube": self.latin_hypercube, "summary": self.summary(),
                "percentiles": records(self.percentiles()),
                "schedule": records(self.schedule), "tornado": records(self.tornado),
                "loops": records(self.loops), "risks": records(self.risks)}


def _quantile_position(level: float, n: int) -> int:
    """Where the sample at a level stands among n sorted samples.

    The inverted distribution function: an actual sample, never an interpolation.
    """
    return min(max(int(np.ceil(level * n)) - 1, 0), n - 1)

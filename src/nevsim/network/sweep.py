"""sweep(): the same network with one field varied, planned once per value.

This answers "what does this duty, content threshold or capex change in the plan": each row
is a complete plan, so the footprint and the money can be compared side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from nevsim.network.model import Objective
from nevsim.network.plan import plan


def sweep(
    scenario_ref: str | Path,
    path: str,
    values: list[Any],
    *,
    time_limit: float | None = None,
    gap: float = 0.0,
    objective: Objective | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """One row per value: outcome, profit, plants opened, duties paid, Chinese share abroad."""
    # the scenario document imports this package's schema; load through it at call time
    from nevsim.scenario.loading import variants

    scenarios = variants(scenario_ref, path, values)  # all validated before any is planned
    rows = []
    for i, (value, scenario) in enumerate(zip(values, scenarios, strict=True)):
        result = plan(scenario, time_limit=time_limit, gap=gap, objective=objective)
        rows.append({
            "value": value,
            "status": result.status.value,
            "gap": result.gap,
            "profit": result.profit,
            "plants_opened": ", ".join(result.plants_opened()),
            "duties_paid": result.duties_paid(),
            "chinese_value_share_abroad": result.chinese_share_abroad(),
        })
        if progress is not None:
            progress(i + 1, len(values))
    return pd.DataFrame(rows)

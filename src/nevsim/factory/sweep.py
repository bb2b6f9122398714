"""sweep(): the same plant with one field varied, simulated with common random numbers.

This answers "how big must this buffer be" or "what does this failure rate cost": every variant
uses the same seed, so the differences between variants are not drowned by sampling noise.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from nevsim.factory.simulate import simulate
from nevsim.scenario.loading import variants


def sweep(
    scenario_ref: str | Path,
    path: str,
    values: list[Any],
    *,
    seed: int = 0,
    replications: int | None = None,
    horizon: float | None = None,
    warmup: float | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """One row per value: takt verdict, time between vehicles and JPH with CIs, bottleneck."""
    scenarios = variants(scenario_ref, path, values)  # all validated before any is simulated
    rows = []
    for i, (value, scenario) in enumerate(zip(values, scenarios, strict=True)):
        result = simulate(scenario, seed=seed, replications=replications, horizon=horizon,
                          warmup=warmup, workers=workers)
        rows.append({
            "value": value,
            "takt_met": result.takt_met,
            "interdeparture_s": result.interdeparture.mean,
            "interdeparture_ci95_low": result.interdeparture.low,
            "interdeparture_ci95_high": result.interdeparture.high,
            "jph_on_shift": result.jph_on_shift.mean,
            "jph_on_shift_ci95_low": result.jph_on_shift.low,
            "jph_on_shift_ci95_high": result.jph_on_shift.high,
            "annual_output": result.annual_output.mean,
            "bottleneck": result.bottleneck,
        })
        if progress is not None:
            progress(i + 1, len(values))
    return pd.DataFrame(rows)

"""Typed results of a factory simulation, with pandas tables and a JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

from nevsim.records import finite as _finite
from nevsim.records import records


@dataclass(frozen=True)
class Estimate:
    """A mean over replications with its 95% confidence interval (t distribution)."""

    mean: float
    low: float
    high: float
    replications: int

    @property
    def half_width(self) -> float:
        """Half the CI width (nan with a single replication)."""
        return (self.high - self.low) / 2

    def contains(self, value: float) -> bool:
        """Whether value lies inside the interval."""
        return self.low <= value <= self.high

    def as_dict(self) -> dict[str, float | None]:
        """JSON form (an undefined interval, from one replication, is null)."""
        return {"mean": _finite(self.mean), "ci95_low": _finite(self.low),
                "ci95_high": _finite(self.high), "replications": self.replications}


def estimate(values: np.ndarray | list[float]) -> Estimate:
    """Mean and 95% t-interval of independent replication values."""
    from scipy import stats

    x = np.asarray(values, dtype=float)
    n = len(x)
    if n < 2 or not np.isfinite(x).all():  # one value, or one without a number (inf): no interval
        with np.errstate(invalid="ignore"):
            return Estimate(float(x.mean()), float("nan"), float("nan"), n)
    mean = float(x.mean())
    half = float(stats.t.ppf(0.975, n - 1) * x.std(ddof=1) / np.sqrt(n))
    return Estimate(mean, mean - half, mean + half, n)


class TaktVerdict(StrEnum):
    """Whether the line holds its takt, at 95% confidence."""

    HOLDS = "holds"  # the whole interval of the time between vehicles is within the takt
    FAILS = "does not hold"  # the whole interval is above the takt
    CANNOT_TELL = "cannot tell"  # the interval contains the takt, or there is none


def takt_verdict(interdeparture: Estimate, takt: float) -> TaktVerdict:
    """The verdict on the takt from the interval of the on-shift time between vehicles."""
    limit = takt * (1 + 1e-9)
    if interdeparture.replications < 2 or not np.isfinite([interdeparture.low,
                                                           interdeparture.high]).all():
        return TaktVerdict.CANNOT_TELL
    if interdeparture.high <= limit:
        return TaktVerdict.HOLDS
    if interdeparture.low > limit:
        return TaktVerdict.FAILS
    return TaktVerdict.CANNOT_TELL


@dataclass(frozen=True)
class FactoryResult:
    """What a manufacturing engineer asks of a line design, answered with checked numbers.

    Tables (pandas): `stations` (state shares, utilization, OEE, active periods, bottleneck
    shares), `shops` (WIP, lead time, throughput, Little's law, robots, OEE), `replications`
    (one row per replication), `output` (vehicles per hour of calendar time, mean over
    replications), `buffers` (mean levels over time).
    """

    scenario: str
    takt: float
    horizon: float
    warmup: float
    seed: int
    jph: Estimate                  # vehicles per calendar hour
    jph_on_shift: Estimate         # vehicles per hour the final shop works
    interdeparture: Estimate       # on-shift seconds between vehicles at the end of the line
    verdict: TaktVerdict
    annual_output: Estimate        # vehicles per 365 days at the simulated rate
    weekly_output: Estimate        # vehicles per calendar week
    daily_output: Estimate         # vehicles per calendar day (weekends included)
    bottleneck: str
    robots: int
    stations: pd.DataFrame
    shops: pd.DataFrame
    replications: pd.DataFrame
    output: pd.DataFrame
    buffers: pd.DataFrame          # mean level of each buffer and store over time
    buffer_stats: pd.DataFrame     # each buffer and store: places, mean level and fill, peak
    diagnostics: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what a reader must know about the run
    mix: pd.DataFrame = field(default_factory=pd.DataFrame)  # per car class (mixed-model lines)
    store: pd.DataFrame = field(default_factory=pd.DataFrame)  # resequencing store, in and out
    workers: int = 1  # local processes the replications ran on (the numbers do not depend on it)

    @property
    def takt_met(self) -> bool:
        """Whether the line holds its takt with 95% confidence."""
        return self.verdict is TaktVerdict.HOLDS

    def summary(self) -> dict[str, Any]:
        """The headline figures."""
        return {
            "scenario": self.scenario,
            "takt_s": self.takt,
            "takt_verdict": self.verdict.value,
            "takt_met": self.takt_met,
            "interdeparture_s": self.interdeparture.as_dict(),
            "jph_calendar": self.jph.as_dict(),
            "jph_on_shift": self.jph_on_shift.as_dict(),
            "annual_output": self.annual_output.as_dict(),
            "weekly_output": self.weekly_output.as_dict(),
            "daily_output": self.daily_output.as_dict(),
            "bottleneck": self.bottleneck,
            "robots": self.robots,
            "horizon_s": self.horizon,
            "warmup_s": self.warmup,
            "seed": self.seed,
            "notes": self.notes,
            "workers": self.workers,
        }

    def to_dict(self) -> dict[str, Any]:
        """Everything, JSON-ready."""
        return {
            "summary": self.summary(),
            "stations": records(self.stations),
            "shops": records(self.shops),
            "replications": records(self.replications),
            "output_per_hour": records(self.output),
            "buffer_levels": records(self.buffers),
            "buffers": records(self.buffer_stats),
            "mix": records(self.mix),
            "store": records(self.store),
            "diagnostics": self.diagnostics,
        }

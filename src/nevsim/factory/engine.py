"""Run the kernel once: seeds in, named raw arrays out."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nevsim.factory import kernel as kn
from nevsim.factory.compile import CompiledLine

HOUR = 3600.0
BUFFER_POINTS = 2000
BOTTLENECK_POINTS = 100_000


@dataclass(frozen=True)
class RawReplication:
    """Everything one kernel run returns, under readable names."""

    station_times: np.ndarray    # [station, X_*] seconds in the window
    station_counts: np.ndarray   # [station, C_*]
    line_counts: np.ndarray      # [L_*]
    line_times: np.ndarray       # [G_*]
    output_per_hour: np.ndarray  # vehicles off the line per hour of calendar time
    buffer_levels: np.ndarray    # [main station (buffer in front) | K + feeder store, grid point]
    bottleneck_duration: np.ndarray
    bottleneck_station: np.ndarray
    shop_wip_time: np.ndarray
    shop_lead_time: np.ndarray
    shop_exits: np.ndarray
    trace_work: np.ndarray
    trace_up: np.ndarray
    trace_down: np.ndarray
    trace_failures: np.ndarray
    trace_exits: np.ndarray
    buffer_dt: float


def run_replication(
    line: CompiledLine,
    seed: int,
    horizon: float,
    warmup: float,
    trace_visits: int = 0,
    trace_fails: int = 0,
    trace_exits: int = 0,
) -> RawReplication:
    """One replication over [0, horizon), statistics over [warmup, horizon)."""
    buffer_dt = horizon / BUFFER_POINTS
    bn_points = int(min(BOTTLENECK_POINTS, max(1.0, (horizon - warmup) / 1.0)))
    out = kn.simulate_line(
        np.uint32(seed), line.K, float(warmup), float(horizon), line.SI, line.SF,
        line.DK, line.DP, line.EO, line.EV, line.CP, line.CO, line.CIO, line.IS, line.IE,
        line.ICUM, line.FF, line.FL, line.FT, line.FQ, line.FS, line.CONS_OFF, line.CONS_MASK,
        len(line.shop_names), line.ring_size, line.n_slots, HOUR, buffer_dt, BUFFER_POINTS,
        bn_points, trace_visits, trace_fails, trace_exits,
    )
    return RawReplication(*out, buffer_dt=buffer_dt)


def replication_seeds(seed: int, replications: int) -> list[int]:
    """Independent kernel seeds for each replication, spawned from the run's seed."""
    children = np.random.SeedSequence(seed).spawn(replications)
    return [int(child.generate_state(1, dtype=np.uint32)[0]) for child in children]

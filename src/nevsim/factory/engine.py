"""Run a kernel once: allocate its workspace, seed it, and keep what it filled in."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from nevsim.factory import kernel, serial_kernel
from nevsim.factory.compile import CompiledLine
from nevsim.factory.structs import Outputs, Trace, workspace

HOUR = 3600.0
BUFFER_POINTS = 2000
BOTTLENECK_POINTS = 100_000
REWORK_LANE = 1024


@dataclass(frozen=True)
class RawReplication:
    """Everything one kernel run fills in (records and arrays named in `structs`)."""

    stats: np.ndarray  # STATION_STATS records
    state: np.ndarray  # STATION_STATE records
    totals: np.ndarray  # one TOTALS record
    store: np.ndarray  # one STORE_TOTALS record (the resequencing store's counts)
    outputs: Outputs
    trace: Trace
    buffer_dt: float

    def bottleneck_counts(self, stations: int) -> np.ndarray:
        """Grid points at which each station was the momentary bottleneck."""
        if self.outputs.bottleneck_station.size == 0:  # compacted: the counts are kept
            return self.outputs.bottleneck_counts
        stamps = self.outputs.bottleneck_station
        counts: np.ndarray = np.bincount(stamps[stamps >= 0], minlength=stations)
        return counts

    def compact(self, stations: int) -> RawReplication:
        """The run without its per-point bottleneck grid (a few MB); the counts stay.

        This is what a worker sends back.
        """
        counts = self.bottleneck_counts(stations)
        outputs = self.outputs._replace(bottleneck_duration=np.zeros(0),
                                        bottleneck_station=np.zeros(0, dtype=np.int64),
                                        bottleneck_counts=counts)
        return replace(self, outputs=outputs)


def run_replication(
    compiled: CompiledLine,
    seed: int,
    horizon: float,
    warmup: float,
    trace_visits: int = 0,
    trace_fails: int = 0,
    trace_exits: int = 0,
    general: bool = False,
    station_statistics: bool = True,
) -> RawReplication:
    """One replication over [0, horizon), statistics over [warmup, horizon).

    Plain serial lines run on `serial_kernel` (same results, faster) unless `general` asks
    for the general kernel. Without `station_statistics` the general kernel keeps the line's
    outputs only (`structs.workspace`).
    """
    line = compiled.line
    simulate = kernel.simulate_line
    if not general and serial_kernel.accepts(line):
        simulate = serial_kernel.simulate_serial
    buffer_dt = horizon / BUFFER_POINTS
    bottleneck_points = int(min(BOTTLENECK_POINTS, max(1.0, horizon - warmup)))
    lane = REWORK_LANE
    while True:
        ws = workspace(line, seed, compiled.ring_size, compiled.n_slots, compiled.taken_size,
                       int(np.ceil(horizon / HOUR)), BUFFER_POINTS, bottleneck_points,
                       len(compiled.shop_names), lane, trace_visits, trace_fails, trace_exits,
                       station_statistics)
        status = simulate(float(warmup), float(horizon), HOUR,
                          1.0 / buffer_dt, line, ws)
        if status != kernel.OVERFLOW_REWORK_LANE:
            break
        lane *= 4  # the same seed replays the same run with room for more reworks
    return RawReplication(ws.stats, ws.state, ws.totals, ws.store_totals, ws.outputs, ws.trace,
                          buffer_dt)


def replication_seeds(seed: int, replications: int) -> list[int]:
    """Independent kernel seeds for each replication, spawned from the run's seed."""
    children = np.random.SeedSequence(seed).spawn(replications)
    return [int(child.generate_state(1, dtype=np.uint32)[0]) for child in children]

"""Run the kernel once: allocate its workspace, seed it, and name what comes back."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nevsim.factory import kernel as kn
from nevsim.factory import serial_kernel as sk
from nevsim.factory.compile import CompiledLine

HOUR = 3600.0
BUFFER_POINTS = 2000
BOTTLENECK_POINTS = 100_000
REWORK_LANE = 1024


@dataclass(frozen=True)
class RawReplication:
    """Everything one kernel run fills in, under readable names."""

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
    trace_work: np.ndarray       # [station, visit] work drawn (tracing only)
    trace_up: np.ndarray         # [server slot, i] time to failure drawn (tracing only)
    trace_down: np.ndarray       # [server slot, i] repair time drawn (tracing only)
    trace_failures: np.ndarray   # [server slot] failure draws made
    trace_exits: np.ndarray      # exit times in order of completion (tracing only)
    buffer_dt: float


def run_replication(
    line: CompiledLine,
    seed: int,
    horizon: float,
    warmup: float,
    trace_visits: int = 0,
    trace_fails: int = 0,
    trace_exits: int = 0,
    general: bool = False,
) -> RawReplication:
    """One replication over [0, horizon), statistics over [warmup, horizon).

    Plain serial lines run on `serial_kernel` (same results, faster) unless `general` asks
    for the general kernel.
    """
    simulate = kn.simulate_line
    if not general and sk.accepts(line.SI, line.SF, len(line.FF)):
        simulate = sk.simulate_serial
    buffer_dt = horizon / BUFFER_POINTS
    bn_points = int(min(BOTTLENECK_POINTS, max(1.0, horizon - warmup)))
    lane = REWORK_LANE
    while True:
        ws = _workspace(line, horizon, bn_points, lane, trace_visits, trace_fails, trace_exits)
        status = simulate(
            np.uint32(seed), line.K, float(warmup), float(horizon), line.SI, line.SF,
            line.DK, line.DP, line.EO, line.EV, line.CP, line.CO, line.CIO, line.IS, line.IE,
            line.ICUM, line.FF, line.FL, line.FT, line.FQ, line.FS, line.CONS_OFF,
            line.CONS_MASK, HOUR, 1.0 / buffer_dt, *ws,
        )
        if status != kn.OVERFLOW_REWORK_LANE:
            break
        lane *= 4  # the same seed replays the same run with room for more reworks
    (xs, xi, _sv, _ring, _cons, _produced, _consumed, lc, lf, out, bl, bnb, bnw, shop_wip,
     shop_lead, shop_n, trw, tru, trd, trn, exits, *_rest) = ws
    return RawReplication(xs, xi, lc, lf, out, bl, bnb, bnw, shop_wip, shop_lead, shop_n,
                          trw, tru, trd, trn, exits, buffer_dt)


def _workspace(line: CompiledLine, horizon: float, bn_points: int, lane: int,
               trace_visits: int, trace_fails: int, trace_exits: int) -> list[np.ndarray]:
    """Zeroed arrays in the order simulate_line takes them after `buf_rate`."""
    n = len(line.names)
    f = len(line.feeder_names)
    depth = line.K + 2
    i64 = np.int64
    return [
        np.zeros((n, kn.N_XS)),                      # XS
        np.zeros((n, kn.N_XI), dtype=i64),           # XI
        np.zeros((line.n_slots, kn.N_SV)),           # SV
        np.zeros(line.ring_size),                    # RING
        np.zeros(max(int(line.CONS_OFF[-1]), 1)),    # CONS
        np.zeros(max(f, 1), dtype=i64),              # produced
        np.zeros(max(f, 1), dtype=i64),              # consumed
        np.zeros(kn.N_LC, dtype=i64),                # LC
        np.zeros(kn.N_LF),                           # LF
        np.zeros(int(np.ceil(horizon / HOUR))),      # OUT
        np.zeros((line.K + f, BUFFER_POINTS + 1)),   # BL
        np.zeros(bn_points),                         # BNB
        np.zeros(bn_points, dtype=i64),              # BNW
        np.zeros(len(line.shop_names)),              # SHOP_WIP
        np.zeros(len(line.shop_names)),              # SHOP_LEAD
        np.zeros(len(line.shop_names)),              # SHOP_N
        np.zeros((n, trace_visits)),                 # TRW
        np.zeros((line.n_slots, trace_fails)),       # TRU
        np.zeros((line.n_slots, trace_fails)),       # TRD
        np.zeros(line.n_slots, dtype=i64),           # TRN
        np.zeros(trace_exits),                       # EXITS
        np.zeros(n),                                 # TW
        np.zeros(n),                                 # TT
        np.zeros(lane),                              # P_READY
        np.zeros(lane, dtype=i64),                   # P_TARGET
        np.zeros(lane),                              # P_ENTRY
        np.zeros(line.K + 1, dtype=i64),             # PEND_AT
        np.zeros(depth, dtype=i64),                  # SK
        np.zeros(depth),                             # SA
        np.zeros(depth),                             # SE
        np.zeros(depth, dtype=np.bool_),             # SN
        np.zeros(depth, dtype=i64),                  # SPH
        np.zeros(depth),                             # SC
        np.zeros(depth),                             # STC
    ]


def replication_seeds(seed: int, replications: int) -> list[int]:
    """Independent kernel seeds for each replication, spawned from the run's seed."""
    children = np.random.SeedSequence(seed).spawn(replications)
    return [int(child.generate_state(1, dtype=np.uint32)[0]) for child in children]

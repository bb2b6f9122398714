"""The kernel for plain serial lines.

One server per station, no feeders, calendars, lots, defects or time-dependent failures.

Most lines users write first, and every line the speed benchmark runs, are of this kind. The
general kernel (`nevsim.factory.kernel`) pays for what such a line never uses: its stack of
vehicles in progress, rework lane, feeder stores and on-shift clocks. This one walks each
vehicle through the stations in a plain loop, with the same recursion, the same building
blocks (`nevsim.factory.blocks`), the same random draws in the same order and the same
statistics, so both kernels return identical results for any line both accept (tested).
"""

from __future__ import annotations

from numba import njit

from nevsim.factory.blocks import (
    ceil_int,
    clip,
    departure,
    end_active_period,
    first_failure,
    leave_line,
    leave_shop,
    record_departure,
    reset_outputs,
    sample_inline_exponential,
    work_until,
)
from nevsim.factory.kernel import extend_active_period
from nevsim.factory.structs import FAIL_NONE, FAIL_TIME, Line


@njit(cache=True, inline="always")
def _count_queue(k, arrival, start, j, window_start, horizon, buffer_rate, ws):
    """Vehicle j waits in front of station k from arrival to start (nothing if start == arrival).

    The buffer level at grid point g is the arrivals by then minus the starts by then; both
    sequences are monotone, so each grid point is written once per side.
    """
    ws.stats[k].queued += max(0.0, min(start, horizon) - max(arrival, window_start))
    levels = ws.outputs.buffer_levels
    n_grid = levels.shape[1]
    grid = ws.grid[k]
    g = min(ceil_int(arrival * buffer_rate), n_grid)
    while grid.arrivals < g:
        levels[k, grid.arrivals] += j
        grid.arrivals += 1
    g = min(ceil_int(start * buffer_rate), n_grid)
    while grid.starts < g:
        levels[k, grid.starts] -= j
        grid.starts += 1


@njit(cache=True, _nrt=False)
def simulate_serial(window_start, horizon, hour, buffer_rate, line, ws):
    """`kernel.simulate_line` for a plain serial line (same arguments, same results)."""
    reset_outputs(ws)
    W, T = window_start, horizon
    K = line.main
    dist, samples = line.dist, line.samples
    points_per_s = ws.outputs.bottleneck_duration.shape[0] / (T - W)
    n_trace = ws.trace.work.shape[1]
    for k in range(K):
        now = ws.state[k]
        now.window_start_tau = W
        now.window_end_tau = T
        now.active_start = -1.0
        now.active_end = -1.0
        s = line.station[k]
        if s.failure_mode != FAIL_NONE:
            first_failure(s.first_server, s.failure_mode, s.mtbf, s.mttr, ws.servers, ws.rng,
                          dist, samples, ws.trace)
    # every vehicle visits every station in turn, so each station has seen the same number
    # of vehicles (j) before the current one: one counter serves all of them
    j = 0
    while departure(line.station[0], j - 1, ws.departures) < T:
        ws.totals[0].started += 1
        arrival = 0.0
        entry = -1.0
        for k in range(K):
            s, now, stat = line.station[k], ws.state[k], ws.stats[k]
            previous = departure(s, j - 1, ws.departures)  # one server, in sequence
            start = max(arrival, previous)
            if k > 0:
                _count_queue(k, arrival, start, j, W, T, buffer_rate, ws)
            stat.starved += max(0.0, clip(start, W, T) - clip(previous, W, T))
            work = sample_inline_exponential(s.cycle, ws.rng, dist, samples)
            if n_trace > 0 and j < n_trace:
                ws.trace.work[k, j] = work
            end, down = work_until(s.first_server, s.failure_mode, start, work, s.mtbf, s.mttr,
                                   ws.servers, ws.rng, dist, samples, ws.trace)
            end = max(start, end)
            span = end - start
            if span > 0.0:
                share = 1.0
                if start < W or end > T:
                    share = max(0.0, clip(end, W, T) - clip(start, W, T)) / span
                stat.work += share * work
                stat.down += share * down
            extend_active_period(k, start, start, end, end, W, T, points_per_s, now, stat,
                                 ws.outputs)
            if end >= W and end < T:
                stat.done += 1
            if entry < 0.0:
                entry = start
            # depart: in sequence, and when there is room downstream
            leave = max(end, previous)
            if k < K - 1:
                nxt = line.station[k + 1]
                leave = max(leave, departure(nxt, j - nxt.buffer - 1, ws.departures))
            stat.blocked += max(0.0, clip(leave, W, T) - clip(end, W, T))
            record_departure(s, j, leave, ws.departures)
            now.last_start = start
            now.last_arrival = arrival
            if k == K - 1:
                leave_shop(s.shop, entry, leave, W, T, ws.outputs)
                leave_line(leave, W, T, hour, ws.totals[0], ws.outputs, ws.trace)
            elif s.ends_shop == 1:
                leave_shop(s.shop, entry, leave, W, T, ws.outputs)
                entry = leave
            arrival = leave
        j += 1
    levels = ws.outputs.buffer_levels
    for k in range(K):
        now = ws.state[k]
        now.visits = j
        now.new_visits = j  # every visit on a plain line is a new vehicle
        ws.stats[k].starved += max(0.0, T - max(departure(line.station[k], j - 1,
                                                          ws.departures), W))
        end_active_period(k, True, W, T, points_per_s, now, ws.stats[k], ws.outputs, True)
        if k > 0:  # grid points after the last arrival and the last start
            for g in range(ws.grid[k].arrivals, levels.shape[1]):
                levels[k, g] += j
            for g in range(ws.grid[k].starts, levels.shape[1]):
                levels[k, g] -= j
    ws.outputs.class_exits[0] = ws.totals[0].exits_in_window  # one kind of car
    return 0


def accepts(line: Line) -> bool:
    """Whether a compiled line is plain enough for `simulate_serial` (one kind of car, no store)."""
    st = line.station
    return bool(len(line.feeder) == 0 and (st["servers"] == 1).all()
                and line.store[0]["at"] == 0
                and line.variant_work.shape[1] == 1 and not line.variant_work.any()
                and (st["calendar"] < 0).all() and (st["yield_"] >= 1.0).all()
                and (st["lot_size"] == 0).all() and (st["failure_mode"] != FAIL_TIME).all())

"""Building blocks both compiled kernels share: draws, on-shift clocks, failures, bookkeeping.

Every function here is small and compiled inline into the kernels (except the rare samplers),
so sharing them costs nothing at run time. They know stations, servers and buffers, nothing
of any shop.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from nevsim.factory.structs import FAIL_NONE, FAIL_OPERATION, FAIL_TIME
from nevsim.scenario.distributions import (
    DETERMINISTIC,
    EMPIRICAL,
    EXPONENTIAL,
    LOGNORMAL,
    NORMAL,
    TRIANGULAR,
    UNIFORM,
)


@njit(cache=True, _nrt=False)
def _draw(d, dist, samples):
    """One draw of distribution `d` from numba's generator (seeded by the kernel).

    Compiled once and called, not inlined: inlining its samplers at every call site doubled
    the JIT compile time for no measurable speed.
    """
    r = dist[d]
    kind = r.kind
    if kind == DETERMINISTIC:
        return r.p0
    if kind == EXPONENTIAL:
        return np.random.exponential(r.p0)
    if kind == NORMAL:
        return max(0.0, np.random.normal(r.p0, r.p1))
    if kind == LOGNORMAL:
        return np.random.lognormal(r.p0, r.p1)
    if kind == TRIANGULAR:
        return np.random.triangular(r.p0, r.p1, r.p2)
    if kind == UNIFORM:
        return np.random.uniform(r.p0, r.p1)
    if kind == EMPIRICAL:
        return samples[r.samples_from + np.random.randint(0, r.samples_to - r.samples_from)]
    return r.p1 * np.random.weibull(r.p0)  # WEIBULL: shape, scale


@njit(cache=True, inline="always")
def sample(d, dist, samples):
    """One draw of distribution `d`; fixed and normal durations (most stations) cost no call."""
    r = dist[d]
    if r.kind == DETERMINISTIC:
        return r.p0
    if r.kind == NORMAL:
        return max(0.0, np.random.normal(r.p0, r.p1))
    return _draw(d, dist, samples)


@njit(cache=True, inline="always")
def sample_inline_exponential(d, dist, samples):
    """`sample` with exponential draws inline too (the same draws).

    On the plain-line kernel's hot path a call per visit cost a fifth of its time.
    """
    if dist[d].kind == EXPONENTIAL:
        return np.random.exponential(dist[d].p0)
    return sample(d, dist, samples)


@njit(cache=True, inline="always")
def ceil_int(x):
    """ceil(x) as an int without a libm call (int() truncates toward zero)."""
    g = int(x)
    return g + 1 if g < x else g


@njit(cache=True, inline="always")
def clip(x, lo, hi):
    """X limited to [lo, hi]."""
    return min(max(x, lo), hi)


@njit(cache=True, inline="always")
def to_tau(c, t, calendar, interval):
    """On-shift seconds elapsed by real time t under calendar c (identity when c < 0)."""
    if c < 0:
        return t
    cal = calendar[c]
    q = np.floor(t / cal.period)
    r = t - q * cal.period
    # last interval starting at or before r
    a = cal.first
    b = cal.stop
    while b - a > 1:
        m = (a + b) >> 1
        if interval[m].start <= r:
            a = m
        else:
            b = m
    worked = 0.0
    iv = interval[a]
    if iv.start <= r:
        worked = iv.worked_before + min(r - iv.start, iv.end - iv.start)
    return q * cal.on_shift + worked


@njit(cache=True, inline="always")
def from_tau(c, tau, calendar, interval):
    """Earliest real time at which calendar c has accumulated tau on-shift seconds."""
    if c < 0:
        return tau
    cal = calendar[c]
    q = np.floor(tau / cal.on_shift)
    rem = tau - q * cal.on_shift
    if rem <= 0.0:
        if q <= 0.0:
            return 0.0
        return (q - 1.0) * cal.period + interval[cal.stop - 1].end
    # first interval whose cumulative end reaches rem
    a = cal.first
    b = cal.stop - 1
    while a < b:
        m = (a + b) >> 1
        if interval[m].worked_before + (interval[m].end - interval[m].start) >= rem:
            b = m
        else:
            a = m + 1
    return q * cal.period + interval[a].start + (rem - interval[a].worked_before)


@njit(cache=True, inline="always")
def record_failure(slot, up, down, trace):
    """Keep a failure's draws when tracing."""
    if trace.up.shape[1] > 0:
        n = trace.failures[slot]
        if n < trace.up.shape[1]:
            trace.up[slot, n] = up
            trace.down[slot, n] = down
        trace.failures[slot] = n + 1


@njit(cache=True, inline="always")
def first_failure(slot, mode, mtbf, mttr, servers, dist, samples, trace):
    """Draw a server's first failure (time-dependent failures draw its repair too)."""
    up = sample(mtbf, dist, samples)
    down = 0.0
    if mode == FAIL_TIME:
        down = sample(mttr, dist, samples)
    record_failure(slot, up, down, trace)
    servers[slot].next_failure = up
    servers[slot].repair_end = up + down


@njit(cache=True, inline="always")
def advance_time_failures(slot, x, lo, hi, servers, mtbf, mttr, dist, samples, trace):
    """Move a time-dependent failure stream to clock x; its down time in [pos, x) in [lo, hi]."""
    srv = servers[slot]
    over = 0.0
    pos = srv.position
    while srv.next_failure < x:
        a = max(srv.next_failure, pos)
        b = min(srv.repair_end, x)
        if b > a:
            over += max(0.0, min(b, hi) - max(a, lo))
        if srv.repair_end <= x:
            up = sample(mtbf, dist, samples)
            down = sample(mttr, dist, samples)
            record_failure(slot, up, down, trace)
            srv.next_failure = srv.repair_end + up
            srv.repair_end = srv.next_failure + down
        else:
            break
    if x > pos:
        srv.position = x
    return over


@njit(cache=True, inline="always")
def work_until(slot, mode, tau, work, mtbf, mttr, servers, dist, samples, trace):
    """Clock at which `work` seconds of up time are done from clock tau; (end, down time)."""
    down = 0.0
    if mode == FAIL_NONE:
        return tau + work, 0.0
    srv = servers[slot]
    if mode == FAIL_OPERATION:
        while True:
            avail = srv.next_failure - srv.busy
            if work <= avail:
                srv.busy += work
                tau += work
                return tau, down
            srv.busy += avail
            tau += avail
            work -= avail
            repair = sample(mttr, dist, samples)
            up = sample(mtbf, dist, samples)
            record_failure(slot, up, repair, trace)
            tau += repair
            down += repair
            srv.next_failure = srv.busy + up
    # time-dependent: the stream is already advanced to tau
    while True:
        if srv.next_failure <= tau:
            down += srv.repair_end - tau
            tau = srv.repair_end
            up = sample(mtbf, dist, samples)
            repair = sample(mttr, dist, samples)
            record_failure(slot, up, repair, trace)
            srv.next_failure = srv.repair_end + up
            srv.repair_end = srv.next_failure + repair
            continue
        avail = srv.next_failure - tau
        if work <= avail:
            tau += work
            srv.position = tau
            return tau, down
        work -= avail
        tau = srv.next_failure


@njit(cache=True, inline="always")
def departure(s, visit, departures):
    """Departure time of a visit to station record s (0 for visits before the first)."""
    if visit < 0:
        return 0.0
    return departures[s.ring_from + (visit & s.ring_mask)]


@njit(cache=True, inline="always")
def record_departure(s, visit, t, departures):
    """Write a visit's departure time into the ring of station record s."""
    departures[s.ring_from + (visit & s.ring_mask)] = t


@njit(cache=True, inline="always")
def room_at(s, visits, departures):
    """Earliest time station record s's buffer and servers have room for one more vehicle."""
    return departure(s, visits - s.buffer - s.servers, departures)


@njit(cache=True, inline="always")
def stamp_bottleneck(k, a, e, length, window_start, points_per_s, outputs):
    """Mark grid points of [a, e) whose longest covering active period is this one."""
    duration = outputs.bottleneck_duration
    g0 = max(ceil_int((a - window_start) * points_per_s), 0)
    g1 = min(ceil_int((e - window_start) * points_per_s), duration.shape[0])
    for g in range(g0, g1):
        if length > duration[g]:
            duration[g] = length
            outputs.bottleneck_station[g] = k


@njit(cache=True, inline="always")
def close_active_period(k, window_start, horizon, points_per_s, now, stat, outputs, at_end):
    """Close station k's open active period: the bottleneck grid and the mean active period.

    `now` and `stat` are the station's state and statistics records. A period counts in the
    mean when it ends inside the window (`at_end`: when the run ends).
    """
    if now.active_end > now.active_start:
        length = now.active_end_tau - now.active_start_tau
        stamp_bottleneck(k, now.active_start, now.active_end, length, window_start,
                         points_per_s, outputs)
        if now.active_end > window_start and (at_end or now.active_end <= horizon):
            stat.active_sum += length
            stat.active_count += 1.0


@njit(cache=True, inline="always")
def leave_shop(shop, entry, t, window_start, horizon, outputs):
    """A vehicle leaves a shop at t: its time inside and lead time."""
    record = outputs.shop[shop]
    record.wip += max(0.0, min(t, horizon) - max(entry, window_start))
    if t >= window_start and t < horizon:
        record.lead += t - entry
        record.exits += 1.0


@njit(cache=True, inline="always")
def leave_line(t, window_start, horizon, hour, tot, outputs, trace):
    """A vehicle leaves the line at t (or is still inside at the horizon); `tot`: the totals."""
    if t < horizon:
        tot.finished += 1
        outputs.per_hour[int(t / hour)] += 1.0
        if t >= window_start:
            tot.exits_in_window += 1
            if tot.first_exit < 0.0:
                tot.first_exit = t
            tot.last_exit = max(tot.last_exit, t)
    else:
        tot.in_process_at_end += 1
    n = tot.exits
    if n < trace.exits.shape[0]:
        trace.exits[n] = t
    tot.exits = n + 1


@njit(cache=True, inline="always")
def reset_outputs(ws):
    """Markers that mean 'none yet' before a run."""
    ws.totals[0].first_exit = -1.0
    ws.totals[0].last_exit = -1.0
    ws.outputs.bottleneck_duration[:] = -1.0
    ws.outputs.bottleneck_station[:] = -1
    ws.trace.work[:, :] = -1.0

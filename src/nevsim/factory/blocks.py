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
def _draw(d, rng, dist, samples):
    """One draw of distribution `d` from numba's generator (seeded by the kernel).

    Compiled once and called, not inlined: inlining its samplers at every call site doubled
    the JIT compile time for no measurable speed.
    """
    r = dist[d]
    kind = r.kind
    if kind == DETERMINISTIC:
        return r.p0
    if kind == EXPONENTIAL:
        return rng.exponential(r.p0)
    if kind == NORMAL:
        return max(0.0, rng.normal(r.p0, r.p1))
    if kind == LOGNORMAL:
        return rng.lognormal(r.p0, r.p1)
    if kind == TRIANGULAR:
        return rng.triangular(r.p0, r.p1, r.p2)
    if kind == UNIFORM:
        return rng.uniform(r.p0, r.p1)
    if kind == EMPIRICAL:
        n = r.samples_to - r.samples_from  # rng.integers would allocate: scale a uniform
        return samples[r.samples_from + min(int(rng.random() * n), n - 1)]
    return r.p1 * rng.weibull(r.p0)  # WEIBULL: shape, scale


@njit(cache=True, inline="always")
def sample(d, rng, dist, samples):
    """One draw of distribution `d`; fixed and normal durations (most stations) cost no call."""
    r = dist[d]
    if r.kind == DETERMINISTIC:
        return r.p0
    if r.kind == NORMAL:
        return max(0.0, rng.normal(r.p0, r.p1))
    return _draw(d, rng, dist, samples)


@njit(cache=True, inline="always")
def sample_inline_exponential(d, rng, dist, samples):
    """`sample` with exponential draws inline too (the same draws).

    On the plain-line kernel's hot path a call per visit cost a fifth of its time.
    """
    if dist[d].kind == EXPONENTIAL:
        return rng.exponential(dist[d].p0)
    return sample(d, rng, dist, samples)


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
def _interval_at(cal, r, interval):
    """The last working interval of calendar record `cal` starting at or before r."""
    a = cal.first
    b = cal.stop
    while b - a > 1:
        m = (a + b) >> 1
        if interval[m].start <= r:
            a = m
        else:
            b = m
    return a


@njit(cache=True, inline="always")
def to_tau(c, t, calendar, interval):
    """On-shift seconds elapsed by real time t under calendar c (identity when c < 0)."""
    if c < 0:
        return t
    cal = calendar[c]
    q = np.floor(t / cal.period)
    r = t - q * cal.period
    iv = interval[_interval_at(cal, r, interval)]
    worked = 0.0
    if iv.start <= r:
        worked = iv.worked_before + min(r - iv.start, iv.end - iv.start)
    return q * cal.on_shift + worked


@njit(cache=True, inline="always")
def _tau_interval(cal, tau, interval):
    """The period and the first interval of calendar record `cal` whose end reaches tau.

    Returns (period number, interval, on-shift seconds into the period); the interval is -1
    when tau falls exactly on a period's end.
    """
    q = np.floor(tau / cal.on_shift)
    rem = tau - q * cal.on_shift
    if rem <= 0.0:
        return q, -1, rem
    a = cal.first
    b = cal.stop - 1
    while a < b:
        m = (a + b) >> 1
        if interval[m].worked_before + (interval[m].end - interval[m].start) >= rem:
            b = m
        else:
            a = m + 1
    return q, a, rem


@njit(cache=True, inline="always")
def from_tau(c, tau, calendar, interval):
    """Earliest real time at which calendar c has accumulated tau on-shift seconds."""
    if c < 0:
        return tau
    cal = calendar[c]
    q, a, rem = _tau_interval(cal, tau, interval)
    if a < 0:
        if q <= 0.0:
            return 0.0
        return (q - 1.0) * cal.period + interval[cal.stop - 1].end
    return q * cal.period + interval[a].start + (rem - interval[a].worked_before)


@njit(cache=True, inline="always")
def _keep_shift(now, cal, q, iv):
    """Remember working interval `iv` of period q as station state `now`'s current shift."""
    now.shift_start = q * cal.period + iv.start
    now.shift_end = q * cal.period + iv.end
    now.shift_start_tau = q * cal.on_shift + iv.worked_before


@njit(cache=True, _nrt=False)
def _station_tau_slow(now, c, t, calendar, interval):
    """`station_tau` outside the remembered shift: search, and remember t's shift."""
    cal = calendar[c]
    q = np.floor(t / cal.period)
    r = t - q * cal.period
    iv = interval[_interval_at(cal, r, interval)]
    if iv.start <= r and r <= iv.end:
        _keep_shift(now, cal, q, iv)
        return now.shift_start_tau + (t - now.shift_start)
    return to_tau(c, t, calendar, interval)


@njit(cache=True, inline="always")
def station_tau(now, c, t, calendar, interval):
    """`to_tau` for a station whose state record `now` remembers its current shift.

    A station's times mostly fall in the shift of its previous visit, where the on-shift
    clock is the real one shifted: no division and no search.
    """
    if c < 0:
        return t
    if now.shift_start <= t and t <= now.shift_end:
        return now.shift_start_tau + (t - now.shift_start)
    return _station_tau_slow(now, c, t, calendar, interval)


@njit(cache=True, _nrt=False)
def _station_real_slow(now, c, tau, calendar, interval):
    """`station_real` outside the remembered shift: search, and remember tau's shift."""
    cal = calendar[c]
    q, a, _ = _tau_interval(cal, tau, interval)
    if a < 0:
        return from_tau(c, tau, calendar, interval)
    _keep_shift(now, cal, q, interval[a])
    return now.shift_start + (tau - now.shift_start_tau)


@njit(cache=True, inline="always")
def station_real(now, c, tau, calendar, interval):
    """`from_tau` for a station whose state record `now` remembers its current shift."""
    if c < 0:
        return tau
    if (now.shift_start_tau < tau
            and tau <= now.shift_start_tau + (now.shift_end - now.shift_start)):
        return now.shift_start + (tau - now.shift_start_tau)
    return _station_real_slow(now, c, tau, calendar, interval)


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
def first_failure(slot, mode, mtbf, mttr, servers, rng, dist, samples, trace):
    """Draw a server's first failure (time-dependent failures draw its repair too)."""
    up = sample(mtbf, rng, dist, samples)
    down = 0.0
    if mode == FAIL_TIME:
        down = sample(mttr, rng, dist, samples)
    record_failure(slot, up, down, trace)
    servers[slot].next_failure = up
    servers[slot].repair_end = up + down


@njit(cache=True, inline="always")
def advance_time_failures(slot, x, lo, hi, servers, mtbf, mttr, rng, dist, samples, trace):
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
            up = sample(mtbf, rng, dist, samples)
            down = sample(mttr, rng, dist, samples)
            record_failure(slot, up, down, trace)
            srv.next_failure = srv.repair_end + up
            srv.repair_end = srv.next_failure + down
        else:
            break
    if x > pos:
        srv.position = x
    return over


@njit(cache=True, inline="always")
def work_until(slot, mode, tau, work, mtbf, mttr, servers, rng, dist, samples, trace):
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
            repair = sample(mttr, rng, dist, samples)
            up = sample(mtbf, rng, dist, samples)
            record_failure(slot, up, repair, trace)
            tau += repair
            down += repair
            srv.next_failure = srv.busy + up
    # time-dependent: the stream is already advanced to tau
    while True:
        if srv.next_failure <= tau:
            down += srv.repair_end - tau
            tau = srv.repair_end
            up = sample(mtbf, rng, dist, samples)
            repair = sample(mttr, rng, dist, samples)
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
def stamp_bottleneck(k, a, e, length, take, window_start, points_per_s, outputs):
    """Mark grid points of [a, e) whose longest covering active period is this one (if take).

    Most periods are shorter than the grid's spacing and cover one point or none: that case
    is written without a branch on the data (a station's periods start and end erratically,
    and mispredicted branches cost more than the writes).
    """
    duration, station = outputs.bottleneck_duration, outputs.bottleneck_station
    n = duration.shape[0]
    g0 = max(ceil_int((a - window_start) * points_per_s), 0)
    g1 = min(ceil_int((e - window_start) * points_per_s), n)
    if take and g1 - g0 > 1:
        for g in range(g0, g1):
            if length > duration[g]:
                duration[g] = length
                station[g] = k
        return
    g = min(g0, n - 1)
    d, b = duration[g], station[g]
    hit = take & (g0 < g1) & (length > d)
    duration[g] = length if hit else d
    station[g] = k if hit else b


@njit(cache=True, inline="always")
def end_active_period(k, take, window_start, horizon, points_per_s, now, stat, outputs,
                      at_end):
    """Close station k's open active period if `take`: the bottleneck grid, the mean period.

    `now` and `stat` are the station's state and statistics records. A period counts in the
    mean when it ends inside the window (`at_end`: when the run ends). Branch-free on `take`.
    """
    a, e = now.active_start, now.active_end
    length = now.active_end_tau - now.active_start_tau
    take = take & (e > a)
    stamp_bottleneck(k, a, e, length, take, window_start, points_per_s, outputs)
    counts = take & (e > window_start) & (at_end | (e <= horizon))
    stat.active_sum += length if counts else 0.0
    stat.active_count += 1.0 if counts else 0.0


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

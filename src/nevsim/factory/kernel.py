"""The general flow-line kernel: event-exact departure-time recursion with blocking after service.

The engine knows stations, buffers, feeders, calendars and a rework lane; nothing of any shop.
Each station visit is computed from earlier visits only (max-plus recursion), so a station visit
costs a few dozen nanoseconds instead of a heap of events:

    start  S = max(arrival, a server free, parts present)
    finish C = the time at which the station has done `work` of on-shift, up time after S
    depart D = max(C, previous departure [in sequence], space downstream)

Time-dependent failures and shift calendars live in each station's on-shift clock (tau), so a
shop off shift neither works nor fails. A defective vehicle goes to a rework lane of unlimited
size and merges back at its target station in order of readiness; the merge is exact except when
a rework is created after a later vehicle already passed its target (counted as `late_merges`).

The run is a loop over named steps: `_enter` puts the next vehicle (or a rework) on the line,
`_visit` starts and finishes it at a station, `_move_on` takes it to the next one,
`_leave_station` does so when something else may come first there (a rework ready to merge
in, a body in the store), `_leave_after_visit` handles the last station and defects, and
`_close_run` accounts for what is still open at the horizon. A vehicle goes from station to
station in an inner loop, its fields in local variables, while nothing else can come in: most
station visits take that path.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from nevsim.factory.blocks import (
    advance_time_failures,
    clip,
    departure,
    end_active_period,
    first_failure,
    leave_line,
    leave_shop,
    record_departure,
    reset_outputs,
    room_at,
    sample,
    station_real,
    station_tau,
    to_tau,
    work_until,
)
from nevsim.factory.resequencing import choose, count_car, place, take
from nevsim.factory.structs import FAIL_NONE, FAIL_TIME

OVERFLOW_REWORK_LANE = 1
"""Status of a run whose rework lane outgrew its arrays: call again with a larger lane."""


@njit(cache=True, inline="always")
def _count_in_buffer(row, arrival, start, rate, levels):
    """A vehicle waits in a buffer from arrival to start: +1 and -1 on the level grid."""
    g0 = int(np.ceil(arrival * rate))
    g1 = int(np.ceil(start * rate))
    if g0 < levels.shape[1]:
        levels[row, g0] += 1.0
    if g1 < levels.shape[1]:
        levels[row, g1] -= 1.0


@njit(cache=True, inline="always")
def extend_active_period(k, start, start_tau, full_end, full_end_tau, window_start, horizon,
                         points_per_s, now, stat, outputs):
    """Extend or replace station k's open active period (bottleneck detection).

    A station is active while all its servers are occupied (working, in setup or down).
    Starts are in order, so from `start` until the earliest current completion every server
    is occupied, and these intervals never overlap: one that begins after the open period
    ends closes it. `now` and `stat` are station k's state and statistics records. Whether
    it closes is erratic, so both cases run the same code.
    """
    if full_end <= start:
        return
    closing = now.active_end < start
    end_active_period(k, closing, window_start, horizon, points_per_s, now, stat, outputs,
                      False)
    later = closing | (full_end > now.active_end)
    now.active_start = start if closing else now.active_start
    now.active_start_tau = start_tau if closing else now.active_start_tau
    now.active_end = full_end if later else now.active_end
    now.active_end_tau = full_end_tau if later else now.active_end_tau


@njit(cache=True, inline="always")
def _track_active(k, v, start, start_tau, end, end_tau, window_start, horizon, points_per_s,
                  line, ws):
    """Station k's active period after visit v, started at `start`, ends at `end`.

    With several servers, all are occupied from the start until the earliest completion.
    """
    s, servers = line.station[k], ws.servers
    c = s.servers
    full_end = end
    full_end_tau = end_tau
    if c > 1:
        if v < c - 1:
            full_end = -1.0  # not all servers have had a job yet
        else:
            for u in range(s.first_server, s.first_server + c):
                if servers[u].last_completion < full_end:
                    full_end = servers[u].last_completion
                    full_end_tau = servers[u].last_completion_tau
    extend_active_period(k, start, start_tau, full_end, full_end_tau, window_start, horizon,
                         points_per_s, ws.state[k], ws.stats[k], ws.outputs)


@njit(cache=True, inline="always")
def _visit(k, cls, arrival, is_new, part_ready, buffer_row, window_start, horizon,
           points_per_s, buffer_rate, line, ws):
    """Start and finish one visit of a car of class `cls` at station k.

    The car's extra work content lengthens the visit, or goes to a utility worker; at the
    paint booth a change of colour adds its purge to the setup.
    Returns (start, completion, completion on the on-shift clock, defect, scrapped).
    """
    s, now, stat, servers = line.station[k], ws.state[k], ws.stats[k], ws.servers
    dist, samples = line.dist, line.samples
    v = now.visits
    c = s.servers
    # the vehicle enters the station when a server is free and its turn has come; it starts
    # when its parts are there too (waiting for parts, it holds the station, not the buffer)
    ready = max(arrival, departure(s, v - c, ws.departures), now.last_start)
    start = max(ready, part_ready)
    now.last_start = start
    slot = s.first_server + now.server  # servers take visits in turn
    tw = now.window_start_tau
    tt = now.window_end_tau
    booked = ws.station_statistics == 1
    if booked and buffer_row >= 0:  # nothing when it did not wait (no branch on erratic data)
        stat.queued += max(0.0, min(ready, horizon) - max(arrival, window_start))
        _count_in_buffer(buffer_row, arrival, ready, buffer_rate, ws.outputs.buffer_levels)
    start_tau = station_tau(now, s.calendar, start, line.calendar, line.interval)
    ready_tau = start_tau
    if start > ready:
        ready_tau = station_tau(now, s.calendar, ready, line.calendar, line.interval)
    last_departure = servers[slot].last_departure_tau
    if s.failure_mode == FAIL_TIME:
        # failures while blocked, starved or waiting for parts count as down instead
        over = advance_time_failures(slot, last_departure, tw, tt, servers, s.mtbf, s.mttr,
                                     ws.rng, dist, samples, ws.trace)
        stat.blocked -= over
        stat.down += over
        over = advance_time_failures(slot, ready_tau, tw, tt, servers, s.mtbf, s.mttr, ws.rng,
                                     dist, samples, ws.trace)
        stat.starved -= over
        stat.down += over
        if start > ready:
            over = advance_time_failures(slot, start_tau, tw, tt, servers, s.mtbf, s.mttr,
                                         ws.rng, dist, samples, ws.trace)
            stat.waiting_parts -= over
            stat.down += over
    if booked:
        stat.starved += max(0.0, clip(ready_tau, tw, tt) - clip(last_departure, tw, tt))
        stat.waiting_parts += max(0.0, clip(start_tau, tw, tt) - clip(ready_tau, tw, tt))
    setup = 0.0
    if s.lot_size > 0 and v > 0 and v % s.lot_size == 0:
        setup = sample(s.setup, ws.rng, dist, samples)
    work = sample(s.cycle, ws.rng, dist, samples)
    extra = line.variant_work[k, cls]
    if extra > 0.0:
        if s.utility == 1:
            if start >= window_start and start < horizon:
                stat.utility_work += extra
        else:
            work += extra
    if s.paints == 1:
        colour = line.colour[cls]
        if now.last_colour >= 0 and colour != now.last_colour:
            setup += line.purge[now.last_colour, colour]
            if start >= window_start and start < horizon:
                stat.purges += 1
        now.last_colour = colour
    if ws.trace.work.shape[1] > 0 and v < ws.trace.work.shape[1]:
        ws.trace.work[k, v] = work
    end_tau, down = work_until(slot, s.failure_mode, start_tau, setup + work, s.mtbf, s.mttr,
                               servers, ws.rng, dist, samples, ws.trace)
    end = max(start, station_real(now, s.calendar, end_tau, line.calendar, line.interval))
    span = end_tau - start_tau
    if booked and span > 0.0:
        share = 1.0  # of the visit inside the window
        if start_tau < tw or end_tau > tt:
            share = max(0.0, clip(end_tau, tw, tt) - clip(start_tau, tw, tt)) / span
        stat.work += share * work
        stat.setup += share * setup
        stat.down += share * down
    servers[slot].last_completion_tau = end_tau
    servers[slot].last_completion = end
    now.last_arrival = arrival
    if booked:
        _track_active(k, v, start, start_tau, end, end_tau, window_start, horizon,
                      points_per_s, line, ws)
    defect = False
    scrapped = False
    if s.yield_ < 1.0 and ws.rng.random() >= s.yield_:
        defect = True
        scrapped = ws.rng.random() < s.scrap
    if end >= window_start and end < horizon:
        stat.done += 1
        if defect:
            stat.defects += 1
            if scrapped:
                stat.scrapped += 1
    if is_new:
        now.new_visits += 1
    return start, end, end_tau, defect, scrapped


@njit(cache=True, inline="always")
def _depart(k, end, end_tau, leave, line, ws):
    """Record a visit's departure at `leave`: ring, blocked time, server state."""
    s, now = line.station[k], ws.state[k]
    v = now.visits
    slot = s.first_server + now.server
    now.server = now.server + 1 if now.server + 1 < s.servers else 0
    leave_tau = station_tau(now, s.calendar, leave, line.calendar, line.interval)
    if leave <= end:
        leave_tau = end_tau
    if ws.station_statistics == 1:
        ws.stats[k].blocked += max(0.0, clip(leave_tau, now.window_start_tau,
                                             now.window_end_tau)
                                   - clip(end_tau, now.window_start_tau, now.window_end_tau))
    ws.servers[slot].last_departure_tau = leave_tau
    record_departure(s, v, leave, ws.departures)
    now.visits = v + 1


@njit(cache=True, inline="always")
def _copy_vehicle(to, frm):
    """Copy the `structs.VEHICLE` fields from one record to another (MOVING, REWORK, BODY)."""
    to.entry = frm.entry
    to.cls = frm.cls
    to.order = frm.order
    to.reached = frm.reached


@njit(cache=True, inline="always")
def _push(moving, top, station, arrival, vehicle):
    """Put a vehicle (a REWORK or BODY record) on the stack of vehicles moving, to `station`."""
    top += 1
    m = moving[top]
    m.station = station
    m.arrival = arrival
    _copy_vehicle(m, vehicle)
    m.phase = 0
    return top


@njit(cache=True, inline="always")
def _earliest_rework(target, before, lane, waiting):
    """The earliest rework for station `target` ready by `before` (-1: none; ties go to it)."""
    best = -1
    for i in range(waiting):
        if (lane[i].target == target and lane[i].ready <= before
                and (best < 0 or lane[i].ready < lane[best].ready)):
            best = i
    return best


@njit(cache=True, inline="always")
def _take_rework(i, lane, waiting_at, waiting):
    """Remove rework i from the lane (the last one takes its place); the new count."""
    waiting_at[lane[i].target] -= 1
    waiting -= 1
    lane[i] = lane[waiting]
    return waiting


@njit(cache=True, inline="always")
def _parts_ready(k, window_start, horizon, points_per_s, buffer_rate, line, ws):
    """When the parts a new vehicle takes at station k are in their stores (0: none needed)."""
    ready = 0.0
    for f in range(line.feeder.shape[0]):
        fd = line.feeder[f]
        if fd.to == k:
            need = (ws.state[k].new_visits + 1) * fd.parts
            if ws.feeder_count[f].produced < need:  # a call passes the workspace: skip it
                _advance_feeder(f, need, window_start, horizon, points_per_s, buffer_rate,
                                line, ws)
            ready = max(ready, departure(line.station[fd.last], need - 1, ws.departures))
    return ready


@njit(cache=True, inline="always")
def _take_parts(k, start, buffer_rate, line, ws):
    """A new vehicle starting at station k takes its parts out of the stores feeding k."""
    levels = ws.outputs.buffer_levels
    for f in range(line.feeder.shape[0]):
        fd = line.feeder[f]
        if fd.to == k:
            count = ws.feeder_count[f]
            for p in range(count.consumed, count.consumed + fd.parts):
                ws.taken[fd.taken_from + (p & fd.taken_mask)] = start
                g = int(np.ceil(start * buffer_rate))
                if g < levels.shape[1]:
                    levels[line.main + f, g] -= 1.0
            count.consumed += fd.parts


@njit(cache=True, inline="always")
def _enter(top, waiting, stopped, window_start, horizon, points_per_s, buffer_rate, line,
           ws):
    """Put the next vehicle on the line: a rework ready for the first station, or a new one.

    After the horizon (`stopped`), only reworks that became ready before it are drained;
    while the store holds bodies, only those rejoining before it (the store's bodies go
    first downstream).
    Returns (top, waiting, stopped, finished).
    """
    lane, moving = ws.lane, ws.moving
    if stopped:
        below = line.main + 1
        if _held(ws) > 0:
            below = line.store[0].at
        best = -1
        for i in range(waiting):
            if (lane[i].ready < horizon and lane[i].target < below
                    and (best < 0 or lane[i].ready < lane[best].ready)):
                best = i
        if best < 0:
            return top, waiting, stopped, True
        target = lane[best].target
        arrival = max(lane[best].ready, 0.0)
        if target > 0:
            arrival = max(lane[best].ready, room_at(line.station[target],
                                                    ws.state[target].visits, ws.departures))
        top = _push(moving, top, target, arrival, lane[best])
        waiting = _take_rework(best, lane, ws.waiting_at, waiting)
        return top, waiting, stopped, False
    first = line.station[0]
    free = max(departure(first, ws.state[0].visits - first.servers, ws.departures),
               ws.state[0].last_start)
    if ws.waiting_at[0] > 0:
        best = _earliest_rework(0, free, lane, waiting)
        if best >= 0:
            top = _push(moving, top, 0, lane[best].ready, lane[best])
            waiting = _take_rework(best, lane, ws.waiting_at, waiting)
            return top, waiting, stopped, False
    # a new vehicle: would it start before the horizon?
    ready = max(free, _parts_ready(0, window_start, horizon, points_per_s, buffer_rate, line,
                                   ws))
    if ready >= horizon:
        return top, waiting, True, False
    started = ws.totals[0].started
    top += 1
    m = moving[top]
    m.station = 0
    m.arrival = 0.0
    m.entry = -1.0
    m.cls = line.sequence[started % line.sequence.shape[0]]
    m.order = started
    m.reached = -1
    m.phase = 0
    ws.totals[0].started = started + 1
    return top, waiting, stopped, False


@njit(cache=True, inline="always")
def _leave_after_visit(top, waiting, end, end_tau, defect, scrapped, window_start, horizon,
                       hour, line, ws):
    """The vehicle on top leaves the line at the last station, or as a defect.

    A defect is scrapped, or goes off to repair and back through the rework lane.
    Returns (waiting, status).
    """
    lane, m, tot = ws.lane, ws.moving[top], ws.totals[0]
    k = m.station
    s = line.station[k]
    leave = max(end, departure(s, ws.state[k].visits - 1, ws.departures))
    _depart(k, end, end_tau, leave, line, ws)
    if defect and not scrapped:
        target = s.rework_to
        ready = leave + sample(s.repair, ws.rng, line.dist, line.samples)
        tot.reworks += 1
        if target >= line.main:
            leave_shop(s.shop, m.entry, ready, window_start, horizon, ws.outputs)
            leave_line(ready, window_start, horizon, hour, tot, ws.outputs, ws.trace)
            return waiting, 0
        entry = m.entry
        if line.station[target].shop != s.shop:  # a repair loop that rejoins in the next shop
            leave_shop(s.shop, entry, ready, window_start, horizon, ws.outputs)
            entry = ready
        if waiting == lane.shape[0]:
            return waiting, OVERFLOW_REWORK_LANE
        _copy_vehicle(lane[waiting], m)  # `reached` is at least k: it just visited k
        lane[waiting].ready = ready
        lane[waiting].target = target
        lane[waiting].entry = entry
        ws.waiting_at[target] += 1
        # a vehicle that arrived after it already went through the target
        if ws.state[target].visits > 0 and ws.state[target].last_arrival > ready:
            tot.late_merges += 1
        return waiting + 1, 0
    leave_shop(s.shop, m.entry, leave, window_start, horizon, ws.outputs)
    if scrapped:
        if leave < horizon:
            tot.scrapped += 1
        else:
            tot.in_process_at_end += 1
    else:
        leave_line(leave, window_start, horizon, hour, tot, ws.outputs, ws.trace)
        if leave >= window_start and leave < horizon:
            ws.outputs.class_exits[m.cls] += 1.0
    return waiting, 0


@njit(cache=True, inline="always")
def _move_on(k, end, end_tau, ahead, entry, window_start, horizon, line, ws):
    """A vehicle done at `end` leaves station k for the next, behind `ahead` vehicles there.

    It leaves in sequence and when there is room; leaving a shop ends its time there.
    Returns (leave, its shop entry).
    """
    s = line.station[k]
    leave = max(end, departure(s, ws.state[k].visits - 1, ws.departures),
                room_at(line.station[k + 1], ahead, ws.departures))
    _depart(k, end, end_tau, leave, line, ws)
    if s.ends_shop == 1:
        leave_shop(s.shop, entry, leave, window_start, horizon, ws.outputs)
        entry = leave
    return leave, entry


@njit(cache=True, inline="always")
def _leave_station(top, waiting, window_start, horizon, line, ws):
    """Move the vehicle on top from its station to the next.

    A rework ready earlier for the next station goes first (it is pushed on top).
    Returns (top, waiting).
    """
    lane, m = ws.lane, ws.moving[top]
    k = m.station
    nk = k + 1
    nxt = line.station[nk]
    if ws.waiting_at[nk] > 0:
        best = _earliest_rework(nk, m.completion, lane, waiting)
        if best >= 0:
            arrival = max(lane[best].ready, room_at(nxt, ws.state[nk].visits, ws.departures))
            top = _push(ws.moving, top, nk, arrival, lane[best])
            waiting = _take_rework(best, lane, ws.waiting_at, waiting)
            return top, waiting
    into_store = nk == line.store[0].at
    ahead = ws.state[nk].visits  # vehicles that went in before it
    if into_store:
        ahead = ws.store_totals[0].parked
        if ws.state[nk].visits <= ahead - nxt.buffer - nxt.servers:
            # its place in the store frees when a body goes on, which is decided now
            return _release(top, _pull_time(line, ws), window_start, horizon, line, ws), \
                waiting
    leave, m.entry = _move_on(k, m.completion, m.completion_tau, ahead, m.entry, window_start,
                              horizon, line, ws)
    if into_store:
        _park(m, leave, window_start, horizon, line, ws)
        return top - 1, waiting
    m.station = nk
    m.arrival = leave
    m.phase = 0
    return top, waiting


@njit(cache=True, inline="always")
def _held(ws):
    """Bodies in the resequencing store (or about to go in) not handed on yet (0: no store)."""
    totals = ws.store_totals[0]
    return totals.parked - totals.released


@njit(cache=True, inline="always")
def _park(m, arrival, window_start, horizon, line, ws):
    """The vehicle `m` comes into the store at `arrival`: a body, to be placed in a lane."""
    totals = ws.store_totals[0]
    b = totals.parked
    body = ws.bodies[b & (ws.bodies.shape[0] - 1)]
    body.arrival = arrival
    _copy_vehicle(body, m)
    count_car(m.cls, m.order, 0, b, arrival >= window_start and arrival < horizon, line, ws)
    totals.parked = b + 1


@njit(cache=True, inline="always")
def _pull_time(line, ws):
    """When the station after the store can take the next body (the bodies' arrival aside)."""
    d = line.store[0].at
    s, now = line.station[d], ws.state[d]
    j = ws.store_totals[0].released
    arrival = ws.bodies[j & (ws.bodies.shape[0] - 1)].arrival
    return max(arrival, departure(s, now.visits - s.servers, ws.departures), now.last_start)


@njit(cache=True, inline="always")
def _release_due(pull, stopped, waiting, horizon, line, ws):
    """Whether the next body, pulled at `pull`, can be chosen now.

    It can once nothing still to come could be in by then.
    Bodies come in in time order, so once one came in after the pull time, every body that
    can be chosen is known; after the last new car, only reworks rejoining upstream can come.
    """
    totals = ws.store_totals[0]
    last = ws.bodies[(totals.parked - 1) & (ws.bodies.shape[0] - 1)].arrival
    if last > pull:
        return True
    if not stopped:
        return False
    at = line.store[0].at
    for i in range(waiting):  # noqa: SIM110 (a loop, for numba)
        if ws.lane[i].target < at and ws.lane[i].ready < horizon:
            return False
    return True


@njit(cache=True, inline="always")
def _release(top, pull, window_start, horizon, line, ws):
    """Hand the next body on from the store to the station after it (pushed on the stack).

    At the pull time, bodies in by then are placed in lanes, and the retrieval rule chooses
    among the lane heads. The pull is timed as the next arrival in a plain buffer would be
    (`_pull_time`): the count of bodies, not their identity, decides when.
    Returns the new top of the stack.
    """
    store = line.store[0]
    totals = ws.store_totals[0]
    mask = ws.bodies.shape[0] - 1
    while (totals.placed < totals.parked and ws.bodies[totals.placed & mask].arrival <= pull
           and place(totals.placed, store, ws)):
        totals.placed += 1
    b = take(choose(store, line, ws), store, ws)
    j = totals.released
    count_car(ws.bodies[b & mask].cls, ws.bodies[b & mask].order, 1, j,
              pull >= window_start and pull < horizon, line, ws)
    totals.released = j + 1
    if ws.trace.released.shape[0] > j:
        ws.trace.released[j] = ws.bodies[b & mask].order
    return _push(ws.moving, top, store.at, ws.bodies[j & mask].arrival, ws.bodies[b & mask])


@njit(cache=True, inline="always")
def _close_run(waiting, window_start, horizon, points_per_s, buffer_rate, line, ws):
    """Account for what is open at the horizon, then buffer levels from their changes.

    Open: reworks in the lane, feeders filling their stores, each station's idle tail and
    open active period.
    """
    servers, dist, samples = ws.servers, line.dist, line.samples
    for i in range(waiting):  # vehicles still waiting for rework are in the plant
        ws.totals[0].in_process_at_end += 1
        ws.outputs.shop[line.station[ws.lane[i].target].shop].wip += max(
            0.0, horizon - max(ws.lane[i].entry, window_start))
    for f in range(line.feeder.shape[0]):  # feeders work until their stores are full
        _advance_feeder(f, ws.feeder_count[f].consumed + line.feeder[f].store, window_start,
                        horizon, points_per_s, buffer_rate, line, ws)
    for k in range(line.station.shape[0]):
        s, now, stat = line.station[k], ws.state[k], ws.stats[k]
        tw = now.window_start_tau
        tt = now.window_end_tau
        for slot in range(s.first_server, s.first_server + s.servers):
            last = servers[slot].last_departure_tau
            if s.failure_mode == FAIL_TIME:
                if servers[slot].last_completion_tau < tt:
                    over = advance_time_failures(slot, min(last, tt), tw, tt, servers, s.mtbf,
                                                 s.mttr, ws.rng, dist, samples, ws.trace)
                    stat.blocked -= over
                    stat.down += over
                if last < tt:
                    over = advance_time_failures(slot, tt, tw, tt, servers, s.mtbf, s.mttr,
                                                 ws.rng, dist, samples, ws.trace)
                    stat.starved -= over
                    stat.down += over
            stat.starved += max(0.0, tt - max(last, tw))
        end_active_period(k, ws.station_statistics == 1, window_start, horizon, points_per_s,
                          now, stat, ws.outputs, True)
    levels = ws.outputs.buffer_levels
    for row in range(levels.shape[0]):
        for g in range(1, levels.shape[1]):
            levels[row, g] += levels[row, g - 1]


@njit(cache=True, _nrt=False)
def simulate_line(window_start, horizon, hour, buffer_rate, line, ws):
    """Simulate one replication of `line` over [0, horizon), statistics over [window_start, .).

    `hour` is the width of an output bin in seconds, `buffer_rate` buffer grid points per
    second; `ws` is a zeroed workspace (`structs.workspace`). Returns 0, or
    OVERFLOW_REWORK_LANE if the rework lane outgrew its arrays (call again with a larger one).
    """
    reset_outputs(ws)
    moving = ws.moving
    points_per_s = ws.outputs.bottleneck_duration.shape[0] / (horizon - window_start)
    for k in range(line.station.shape[0]):  # on-shift clock at the window's edges
        now = ws.state[k]
        c = line.station[k].calendar
        now.window_start_tau = to_tau(c, window_start, line.calendar, line.interval)
        now.window_end_tau = to_tau(c, horizon, line.calendar, line.interval)
        now.active_end = -1.0
        now.active_start = -1.0
    for k in range(line.station.shape[0]):
        s = line.station[k]
        if s.failure_mode != FAIL_NONE:
            for slot in range(s.first_server, s.first_server + s.servers):
                first_failure(slot, s.failure_mode, s.mtbf, s.mttr, ws.servers, ws.rng,
                              line.dist, line.samples, ws.trace)
    store_at = line.store[0].at
    waiting = 0  # vehicles in the rework lane
    top = -1  # the vehicle being moved (a stack)
    stopped = False
    while True:
        if top < 0:
            if _held(ws) > 0:
                pull = _pull_time(line, ws)
                if _release_due(pull, stopped, waiting, horizon, line, ws):
                    top = _release(top, pull, window_start, horizon, line, ws)
                    continue
            top, waiting, stopped, finished = _enter(
                top, waiting, stopped, window_start, horizon, points_per_s, buffer_rate, line,
                ws)
            if finished:
                break
            continue
        m = moving[top]
        if m.phase == 1:
            top, waiting = _leave_station(top, waiting, window_start, horizon, line, ws)
            continue
        # the vehicle on top goes on from station to station while nothing else can come in
        k, arrival, cls, entry, reached = m.station, m.arrival, m.cls, m.entry, m.reached
        while True:
            s = line.station[k]
            new = k > reached  # a first visit: it takes its parts
            part_ready = 0.0
            if new and s.fed_by > 0:
                part_ready = _parts_ready(k, window_start, horizon, points_per_s, buffer_rate,
                                          line, ws)
            start, end, end_tau, defect, scrapped = _visit(
                k, cls, arrival, new, part_ready, k if k > 0 else -1, window_start,
                horizon, points_per_s, buffer_rate, line, ws)
            if new and s.fed_by > 0:
                _take_parts(k, start, buffer_rate, line, ws)
            if new:
                reached = k
            if entry < 0.0:
                entry = start
            nk = k + 1
            if defect or nk == line.main or ws.waiting_at[nk] > 0 or nk == store_at:
                break
            arrival, entry = _move_on(k, end, end_tau, ws.state[nk].visits, entry,
                                      window_start, horizon, line, ws)
            k = nk
        m.station, m.entry, m.reached = k, entry, reached
        if defect or nk == line.main:
            waiting, status = _leave_after_visit(top, waiting, end, end_tau, defect, scrapped,
                                                 window_start, horizon, hour, line, ws)
            if status != 0:
                return status
            top -= 1
            continue
        m.completion = end
        m.completion_tau = end_tau
        m.phase = 1
        top, waiting = _leave_station(top, waiting, window_start, horizon, line, ws)
    _close_run(waiting, window_start, horizon, points_per_s, buffer_rate, line, ws)
    return 0


@njit(cache=True, _nrt=False)
def _advance_feeder(f, need, window_start, horizon, points_per_s, buffer_rate, line, ws):
    """Produce parts on feeder f as far as its store allows, if fewer than `need` have left.

    Part p can leave the feeder once part p - store has been taken, so every part up to
    consumed + store is fully determined now: producing them in one go is exact and keeps
    calls rare.
    """
    fd = line.feeder[f]
    count = ws.feeder_count[f]
    if count.produced >= need:
        return
    target = max(need, count.consumed + fd.store)
    while count.produced < target:
        arrival = 0.0
        for k in range(fd.first, fd.last + 1):
            _, end, end_tau, _, _ = _visit(k, 0, arrival, True, 0.0, -1, window_start,
                                           horizon, points_per_s, buffer_rate, line, ws)
            if k < fd.last:
                room = room_at(line.station[k + 1], ws.state[k + 1].visits, ws.departures)
            else:
                replaced = count.produced - fd.store  # the part this one replaces in the store
                room = 0.0
                if replaced >= 0:
                    room = ws.taken[fd.taken_from + (replaced & fd.taken_mask)]
            leave = max(end, departure(line.station[k], ws.state[k].visits - 1, ws.departures),
                        room)
            _depart(k, end, end_tau, leave, line, ws)
            arrival = leave
        g = int(np.ceil(arrival * buffer_rate))
        if g < ws.outputs.buffer_levels.shape[1]:
            ws.outputs.buffer_levels[line.main + f, g] += 1.0
        count.produced += 1

"""The resequencing store's building blocks (the painted-body store in front of final assembly).

Bodies come in as the line upstream delivers them and go out in the order a retrieval rule
chooses among the heads of FIFO lanes. The kernel hands a body on whenever final assembly
can take one and the store holds any, so the store's timing is that of a plain buffer of its
capacity: only *which* body goes on changes. That is what lets the kernel keep its
departure-time recursion on both sides (see `kernel._release`).

A body is placed in a lane when it comes in (before any body handed on later): in the
non-full lane whose last body was planned latest before it (keeping lanes in planned
order), else in an empty lane, else in the lane with the most free places.
"""

from __future__ import annotations

from numba import njit

from nevsim.factory.structs import RECENT, RETRIEVE_FIFO, RETRIEVE_SPACING


@njit(cache=True, inline="always")
def places(lane, store):
    """Places in `lane`: the capacity shared out, the first lanes taking what is left over."""
    return store.places + (1 if lane < store.extra else 0)


@njit(cache=True, inline="always")
def place(b, store, ws):
    """Put body number b in a lane; False when every lane is full."""
    body = ws.bodies[b & (ws.bodies.shape[0] - 1)]
    best = -1
    best_tail = -1
    empty = -1
    roomiest = -1
    for lane in range(store.lanes):
        state = ws.lane_state[lane]
        if state.count >= places(lane, store):
            continue
        if state.count == 0:
            if empty < 0:
                empty = lane
            continue
        if state.tail_order < body.order and state.tail_order > best_tail:
            best = lane
            best_tail = state.tail_order
        if roomiest < 0 or state.count < ws.lane_state[roomiest].count:
            roomiest = lane
    if best < 0:
        best = empty if empty >= 0 else roomiest
    if best < 0:
        return False
    state = ws.lane_state[best]
    ws.lanes[best, (state.head + state.count) % places(best, store)] = b
    state.count += 1
    state.tail_order = body.order
    return True


@njit(cache=True, inline="always")
def excess(cls, side, r, line, ws):
    """Cars over rule r's limit in the window that a car of class `cls` would end on `side`."""
    return max(0, ws.rule_counts[side, r] + line.marks[cls, r] - line.rules[r].most)


@njit(cache=True, inline="always")
def spacing_cost(cls, line, ws):
    """What handing on a car of class `cls` next costs in rule breaches (weighted)."""
    cost = 0.0
    for r in range(line.rules.shape[0]):
        cost += line.rules[r].weight * excess(cls, 1, r, line, ws)
    return cost


@njit(cache=True, inline="always")
def choose(store, line, ws):
    """The lane whose head goes on next by the store's retrieval rule (-1: all lanes empty).

    Ties go to the body planned first (for FIFO: the one that came in first).
    """
    best = -1
    best_cost = 0.0
    best_key = 0
    for lane in range(store.lanes):
        state = ws.lane_state[lane]
        if state.count == 0:
            continue
        b = ws.lanes[lane, state.head]
        body = ws.bodies[b & (ws.bodies.shape[0] - 1)]
        key = b if store.retrieval == RETRIEVE_FIFO else body.order
        cost = 0.0
        if store.retrieval == RETRIEVE_SPACING:
            cost = spacing_cost(body.cls, line, ws)
        if best < 0 or cost < best_cost or (cost == best_cost and key < best_key):
            best, best_cost, best_key = lane, cost, key
    return best


@njit(cache=True, inline="always")
def take(lane, store, ws):
    """Take the head body out of `lane`; its number."""
    state = ws.lane_state[lane]
    b = ws.lanes[lane, state.head]
    state.head = (state.head + 1) % places(lane, store)
    state.count -= 1
    return b


@njit(cache=True, inline="always")
def count_car(cls, order, side, n, counted, line, ws):
    """The n-th car on `side` (0: into the store, 1: out): remember it; count if `counted`.

    Counts a car planned before one already seen on that side (late) and, for each rule, the
    cars over its limit in the window of the last `window` cars ending with this one. Each
    rule keeps the count of its option in the last window - 1 cars (`Workspace.rule_counts`),
    so a car costs one step per rule, whatever the windows.
    """
    totals = ws.store_totals[0]
    top = totals.top_in if side == 0 else totals.top_out
    late = 1 if order < top else 0
    high = 0
    low = 0
    for r in range(line.rules.shape[0]):
        rule = line.rules[r]
        if rule.high == 1:
            high += excess(cls, side, r, line, ws)
        else:
            low += excess(cls, side, r, line, ws)
        mark = line.marks[cls, r]
        leaving = n - (rule.window - 1)  # the car that drops out of the next one's window
        if leaving >= 0:
            mark -= line.marks[ws.recent[side, leaving & (RECENT - 1)], r]
        ws.rule_counts[side, r] += mark
    if counted:
        if side == 0:
            totals.cars_in += 1
            totals.late_in += late
            totals.high_in += high
            totals.low_in += low
        else:
            totals.cars_out += 1
            totals.late_out += late
            totals.high_out += high
            totals.low_out += low
    if order > top:
        if side == 0:
            totals.top_in = order
        else:
            totals.top_out = order
    ws.recent[side, n & (RECENT - 1)] = cls

"""The compiled search behind `nevsim.factory.sequencing`: costs, moves and annealing.

Positions, not cars: `pm[rule, position]` holds the option marks and `pc[position]` the colour
of the car in each position, so a move's cost is read from the windows and neighbours it
touches. Every function takes plain arrays; the problem's meaning lives in `sequencing`.
"""

from __future__ import annotations

import numba
import numpy as np

LONG = 250
"""Reach of the long moves (a stretch reversed, a block moved): batches this far apart join."""


@numba.njit(cache=True, inline="always")
def rule_cost(marks, fixed, most, window, excess, lo, hi):
    """Violations of one rule in the windows starting in [lo, hi] (marks by position)."""
    total = marks.shape[0]
    first = max(0, fixed - window + 1)
    last = total - 1 if excess else total - window
    lo = max(lo, first)
    hi = min(hi, last)
    if lo > hi:
        return 0
    count = 0
    for p in range(lo, min(lo + window, total)):
        count += marks[p]
    found = 0
    for s in range(lo, hi + 1):
        if s > lo:
            count -= marks[s - 1]
            if s + window - 1 < total:
                count += marks[s + window - 1]
        if count > most:
            found += count - most if excess else 1
    return found


@numba.njit(cache=True, inline="always")
def colour_cost(colours, fixed, costs, lo, hi):
    """Cost of the colour changes between neighbours (q - 1, q) for q in [lo, hi]."""
    found = 0.0
    for q in range(max(lo, max(1, fixed)), min(hi, colours.shape[0] - 1) + 1):
        found += costs[colours[q - 1], colours[q]]
    return found


@numba.njit(cache=True)
def longest_run(colours, fixed):
    """The longest run of one colour that holds a car to sequence."""
    longest = 0
    run = 0
    for q in range(colours.shape[0]):
        run = run + 1 if q > 0 and colours[q] == colours[q - 1] else 1
        if q >= fixed:
            longest = max(longest, run)
    return longest


@numba.njit(cache=True, inline="always")
def _runs_within(colours, lo, hi, limit):
    """Whether every run of one colour touching positions [lo, hi] is at most `limit` long."""
    total = colours.shape[0]
    q = max(lo, 0)
    start = q
    while start > 0 and colours[start - 1] == colours[q] and q - start < limit:
        start -= 1
    run = q - start + 1
    if run > limit:
        return False
    q += 1
    while q < total:
        if colours[q] == colours[q - 1]:
            run += 1
            if run > limit:
                return False
        else:
            if q > hi:
                return True
            run = 1
        q += 1
    return run <= limit


@numba.njit(cache=True, inline="always")
def _span_cost(pm, pc, fixed, most, window, weight, excess, costs, colour_weight, changed,
               colour_changed, lo, hi):
    """Weighted cost of every window and neighbour pair that positions [lo, hi] belong to.

    Only the rules flagged in `changed` (and the colours if `colour_changed`): the others'
    marks did not move, so their cost cannot change.
    """
    found = 0.0
    for k in range(pm.shape[0]):
        if changed[k]:
            found += weight[k] * rule_cost(pm[k], fixed, most[k], window[k], excess,
                                            lo - window[k] + 1, hi)
    if colour_changed and colour_weight > 0.0:
        found += colour_weight * colour_cost(pc, fixed, costs, lo, hi + 1)
    return found


@numba.njit(cache=True, inline="always")
def _move_cost(pm, pc, fixed, most, window, weight, excess, costs, colour_weight, changed,
               colour_changed, a, b, reach):
    """`_span_cost` of a move that changed positions a and b (a <= b), or all between."""
    if b - a > reach:
        return (_span_cost(pm, pc, fixed, most, window, weight, excess, costs, colour_weight,
                           changed, colour_changed, a, a)
                + _span_cost(pm, pc, fixed, most, window, weight, excess, costs,
                             colour_weight, changed, colour_changed, b, b))
    return _span_cost(pm, pc, fixed, most, window, weight, excess, costs, colour_weight,
                      changed, colour_changed, a, b)


@numba.njit(cache=True, inline="always")
def _what_changes(kind, a, lo, hi, pm, pc, changed):
    """Flag the rules whose marks a move reorders (in `changed`); whether colours move too.

    A swap changes a rule when the two cars differ in it; moving a car or reversing a
    stretch changes it unless every car of the stretch carries the same mark.
    """
    any_change = False
    for k in range(pm.shape[0]):
        if kind == 0:
            changed[k] = pm[k, lo] != pm[k, hi]
        else:
            changed[k] = False
            for q in range(lo, hi + 1):
                if pm[k, q] != pm[k, a]:
                    changed[k] = True
                    break
        any_change = any_change or changed[k]
    colour_changed = False
    if kind == 0:
        colour_changed = pc[lo] != pc[hi]
    else:
        for q in range(lo, hi + 1):
            if pc[q] != pc[a]:
                colour_changed = True
                break
    return any_change, colour_changed


@numba.njit(cache=True, inline="always")
def _reverse(lo, hi, order, pm, pc):
    """Reverse positions [lo, hi]."""
    while lo < hi:
        order[lo], order[hi] = order[hi], order[lo]
        pc[lo], pc[hi] = pc[hi], pc[lo]
        for k in range(pm.shape[0]):
            pm[k, lo], pm[k, hi] = pm[k, hi], pm[k, lo]
        lo += 1
        hi -= 1


@numba.njit(cache=True)
def _apply(kind, a, b, mid, order, pm, pc):
    """Swap a and b (0), move a to b (1), reverse [a, b] (2) or rotate [a, b] at mid (3).

    Rotating moves the block [a, mid) behind [mid, b], by three reversals.
    """
    if kind == 0:
        order[a], order[b] = order[b], order[a]
        pc[a], pc[b] = pc[b], pc[a]
        for k in range(pm.shape[0]):
            pm[k, a], pm[k, b] = pm[k, b], pm[k, a]
    elif kind == 1:
        step = 1 if b > a else -1
        q = a
        while q != b:
            order[q], order[q + step] = order[q + step], order[q]
            pc[q], pc[q + step] = pc[q + step], pc[q]
            for k in range(pm.shape[0]):
                pm[k, q], pm[k, q + step] = pm[k, q + step], pm[k, q]
            q += step
    elif kind == 2:
        _reverse(a, b, order, pm, pc)
    else:
        _reverse(a, mid - 1, order, pm, pc)
        _reverse(mid, b, order, pm, pc)
        _reverse(a, b, order, pm, pc)


@numba.njit(cache=True)
def _undo(kind, a, b, mid, order, pm, pc):
    """Take back `_apply(kind, a, b, mid)`."""
    if kind == 1:
        _apply(1, b, a, mid, order, pm, pc)
    elif kind == 3:
        _apply(3, a, b, a + b - mid + 1, order, pm, pc)
    else:
        _apply(kind, a, b, mid, order, pm, pc)


@numba.njit(cache=True, inline="always")
def _load(order, marks, colours, pm, pc):
    """Read the marks and colours of the cars in `order` into positions."""
    for q in range(order.shape[0]):
        pc[q] = colours[order[q]]
        for k in range(marks.shape[0]):
            pm[k, q] = marks[k, order[q]]


@numba.njit(cache=True)
def anneal(order, marks, colours, fixed, most, window, weight, excess, costs, colour_weight,
            limit, phases, reach, span, rng):
    """Simulated annealing over the free positions; the best order and its cost.

    `phases` rows are (moves, hot, cold): each cools geometrically from hot to cold,
    from the best sequence the phases before found.
    """
    total = order.shape[0]
    pm = np.empty((marks.shape[0], total), dtype=np.int64)
    pc = np.empty(total, dtype=np.int64)
    _load(order, marks, colours, pm, pc)
    changed = np.ones(marks.shape[0], dtype=np.bool_)
    current = _span_cost(pm, pc, fixed, most, window, weight, excess, costs, colour_weight,
                         changed, True, 0, total - 1)
    best = current
    best_order = order.copy()
    for phase in range(phases.shape[0]):
        if phase > 0:  # from the best sequence so far
            order[:] = best_order
            current = best
            _load(order, marks, colours, pm, pc)
        moves = int(phases[phase, 0])
        temperature = phases[phase, 1]
        cooling = (phases[phase, 2] / phases[phase, 1]) ** (1.0 / max(moves, 1))
        best, current = _cool(order, pm, pc, best_order, best, current, fixed, most, window,
                              weight, excess, costs, colour_weight, changed, limit, moves,
                              reach, span, rng, temperature, cooling)
    return best_order, best


@numba.njit(cache=True)
def _cool(order, pm, pc, best_order, best, current, fixed, most, window, weight, excess,
          costs, colour_weight, changed, limit, moves, reach, span, rng, temperature, cooling):
    """One annealing phase of `moves` moves; the best cost and the current one."""
    total = order.shape[0]
    free = total - fixed
    for _ in range(moves):
        temperature *= cooling
        if best <= 0.0 or free < 2:
            break
        u = rng.random()
        a = fixed + int(rng.random() * free)
        b = fixed + int(rng.random() * free)
        mid = 0
        if u < 0.45:  # swap anywhere
            kind = 0
            if u < 0.18:  # a car of the same colour: reorders options, keeps the batches
                for _ in range(32):
                    if pc[b] == pc[a]:
                        break
                    b = fixed + int(rng.random() * free)
        elif u < 0.9:  # move a car, or reverse a stretch, close by
            kind = 1 if u < 0.75 else 2
            b = a + int(rng.random() * (2 * span + 1)) - span
            b = min(max(b, fixed), total - 1)
        else:  # reverse a long stretch, or move a block: joins batches far apart
            kind = 2 if u < 0.95 else 3
            b = a + int(rng.random() * (2 * LONG + 1)) - LONG
            b = min(max(b, fixed), total - 1)
        if a == b:
            continue
        lo, hi = min(a, b), max(a, b)
        if kind >= 2:
            a, b = lo, hi
        if kind == 3:
            mid = a + 1 + int(rng.random() * (b - a))
        rules_change, colours_change = _what_changes(kind, a, lo, hi, pm, pc, changed)
        if not (rules_change or colours_change):
            continue
        far = reach if kind == 0 else total
        before = _move_cost(pm, pc, fixed, most, window, weight, excess, costs, colour_weight,
                            changed, colours_change, lo, hi, far)
        _apply(kind, a, b, mid, order, pm, pc)
        # a swap changes the runs at its two ends; other moves every run from lo to hi
        if colours_change and limit > 0 and not (
                _runs_within(pc, lo, hi, limit) if kind != 0 else
                _runs_within(pc, lo, lo, limit) and _runs_within(pc, hi, hi, limit)):
            _undo(kind, a, b, mid, order, pm, pc)
            continue
        delta = _move_cost(pm, pc, fixed, most, window, weight, excess, costs, colour_weight,
                           changed, colours_change, lo, hi, far) - before
        if delta <= 0.0 or rng.random() < np.exp(-delta / temperature):
            current += delta
            if current < best - 1e-9:
                best = current
                best_order[:] = order
        else:
            _undo(kind, a, b, mid, order, pm, pc)
    return best, current

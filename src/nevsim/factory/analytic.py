"""An analytic estimate of a serial line's throughput with finite buffers and breakdowns.

The line is read as Markovian: each main-line station takes an exponential time with its mean
cycle, fails while working at rate 1/MTBF and is repaired at rate 1/MTTR; buffers block after
service. Two methods:

- `exact`: the line's continuous-time Markov chain, solved as a sparse linear system. Exact
  for that model; its states grow as about (4 x (buffer + 1))^stations, so it is for short
  lines (a few stations and buffers of tens).
- `decomposition`: the line as K - 1 two-machine lines, one per buffer, each solved exactly
  (its small chain), whose pseudo-machines stand for all that is up- or downstream: a long
  starvation or blocking (behind a repair) becomes the pseudo-machine's failures and repairs,
  a short one (behind a part in work) slows its processing; forward and backward passes
  repeat until their throughputs agree (the scheme of Gershwin 1987 and of Dallery, David
  and Xie 1988). Milliseconds for any length; approximate: its error against the exact chain
  and against simulation is measured in the tests and the README.

Parallel servers count as one faster server, feeders and calendars are left out: the estimate
says where it is coarse.
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from nevsim.factory.model import Plant

IDLE, WORKING, DOWN, BLOCKED = 0, 1, 2, 3
MOST_STATES = 200_000
"""States the exact chain may have (a sparse solve of this size takes about a second)."""


@dataclass(frozen=True)
class Line:
    """A serial line in the Markovian model: rates per second, buffer places between stations."""

    names: list[str]
    rate: np.ndarray  # processing rate (1 / mean cycle), per second
    failure: np.ndarray  # failure rate while working (1 / MTBF); 0 = never fails
    repair: np.ndarray  # repair rate (1 / MTTR)
    buffers: list[int]  # places between station k and k + 1 (len = stations - 1)
    notes: list[str] = field(default_factory=list)
    granularity: int = 1  # units a part flows in (see `decomposition`); 1 = exponential

    def __post_init__(self) -> None:
        if len(self.buffers) != len(self.names) - 1:
            raise ValueError("a line of K stations has K - 1 buffers")

    def with_buffers(self, buffers: list[int]) -> Line:
        """The same stations with other buffer sizes."""
        return Line(self.names, self.rate, self.failure, self.repair, list(buffers),
                    self.notes, self.granularity)

    def isolated(self) -> np.ndarray:
        """Each station's rate on its own: processing rate x availability r / (r + p)."""
        return np.asarray(self.rate * self.repair / (self.repair + self.failure))


@dataclass(frozen=True)
class Estimate:
    """Throughput (per second) and what the estimate rests on."""

    throughput: float
    method: str
    buffer_levels: list[float]  # mean parts in each buffer (decomposition: of its 2-machine line)
    iterations: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def jph(self) -> float:
        """Jobs per hour."""
        return self.throughput * 3600.0


def _output(grid: np.ndarray, rate_d: float) -> float:
    """A two-machine line's throughput: the downstream machine up with a part."""
    return rate_d * float(grid[1:, :, 1].sum())


def _buffer_level(grid: np.ndarray) -> float:
    """Mean parts in a two-machine line's buffer.

    Of n, the downstream machine holds one and a blocked upstream machine one more.
    """
    top = grid.shape[0] - 1
    in_buffer = np.clip(np.arange(top + 1) - 1, 0, top - 2)
    return float((grid.sum(axis=(1, 2)) * in_buffer).sum())


def _two_machine_states(rate_u: float, fail_u: float, repair_u: float, rate_d: float,
                        fail_d: float, repair_d: float, places: int) -> np.ndarray:
    """The stationary probabilities pi[n, upstream up, downstream up] of a two-machine line.

    n counts the parts in the buffer, in the downstream machine and the one the upstream
    machine holds when blocked: 0 .. places + 2. The upstream machine always has work.
    """
    top = places + 2
    size = (top + 1) * 4
    n, up_u, up_d = (a.ravel() for a in np.meshgrid(np.arange(top + 1), (0, 1), (0, 1),
                                                    indexing="ij"))
    state = (n * 2 + up_u) * 2 + up_d  # the index of (n, up_u, up_d)
    moves = [  # (which states, to which state, rate)
        ((up_u == 1) & (n < top), state + 4, rate_u),  # upstream finishes a part
        ((up_u == 1) & (n < top), state - 2, fail_u),  # ... or fails while working
        (up_u == 0, state + 2, repair_u),
        ((up_d == 1) & (n > 0), state - 4, rate_d),  # downstream finishes a part
        ((up_d == 1) & (n > 0), state - 1, fail_d),
        (up_d == 0, state + 1, repair_d),
    ]
    parts = [(state[where], target[where], rate) for where, target, rate in moves if rate > 0]
    rows = np.concatenate([np.concatenate([a, a]) for a, _, _ in parts])
    cols = np.concatenate([np.concatenate([b, a]) for a, b, _ in parts])
    vals = np.concatenate([np.repeat([rate, -rate], len(a)) for a, _, rate in parts])
    pi = _banded_stationary(rows, cols, vals, size, anchor=3)  # empty, both machines up
    return pi.reshape(top + 1, 2, 2)


def _stationary(rows: Any, cols: Any, vals: Any, size: int, anchor: int) -> np.ndarray:
    """The stationary distribution pi of a generator given as entries (row i -> column j).

    Solves Q^T pi = 0 with the balance equation of `anchor` (a recurrent state) replaced by
    pi[anchor] = 1, then normalizes: the matrix keeps the chain's sparsity (a row of ones
    for the normalization would fill in its factors and take ten times longer).
    """
    from scipy.sparse import csc_matrix
    from scipy.sparse.linalg import spsolve

    r = np.asarray(cols, dtype=np.int64)  # Q^T: row and column swap
    c = np.asarray(rows, dtype=np.int64)
    v = np.asarray(vals, dtype=float)
    keep = r != anchor
    r = np.append(r[keep], anchor)
    c = np.append(c[keep], anchor)
    v = np.append(v[keep], 1.0)
    b = np.zeros(size)
    b[anchor] = 1.0
    pi = np.clip(np.asarray(spsolve(csc_matrix((v, (r, c)), shape=(size, size)), b),
                        dtype=float), 0.0, None)
    return np.asarray(pi / pi.sum())


def _banded_stationary(rows: Any, cols: Any, vals: Any, size: int, anchor: int,
                       band: int = 4) -> np.ndarray:
    """As `_stationary`, for a chain whose moves go at most `band` states either way.

    A two-machine line's states are ordered by buffer level, so its generator is banded and
    a banded solve takes microseconds where a general sparse one takes a millisecond.
    """
    from scipy.linalg import solve_banded

    r = np.asarray(cols, dtype=np.int64)  # Q^T
    c = np.asarray(rows, dtype=np.int64)
    v = np.asarray(vals, dtype=float)
    keep = r != anchor
    ab = np.zeros((2 * band + 1, size))
    np.add.at(ab, (band + r[keep] - c[keep], c[keep]), v[keep])
    ab[band, anchor] = 1.0
    b = np.zeros(size)
    b[anchor] = 1.0
    pi = np.clip(solve_banded((band, band), ab, b), 0.0, None)
    return np.asarray(pi / pi.sum())


def decomposition(line: Line, tolerance: float = 1e-7, most: int = 2000,
                  granularity: int | None = None) -> Estimate:
    """Throughput by decomposition into two-machine lines (see the module's docstring).

    Line i has the buffer behind station i; its upstream pseudo-machine is station i and all
    that feeds it, its downstream one station i + 1 and all that it feeds. Station i waits
    on the line before it in two ways, read from that line's chain: briefly, for the part
    in work upstream (the buffer empty, upstream up), which slows the pseudo-machine's
    processing; and long, for a repair upstream (empty, upstream down), which becomes the
    pseudo-machine's failures, with its repair rate the one that gives both kinds of down
    time (the station's own, the wait) their mean length, and its failure rate the one that
    gives them their share of time. Blocking downstream mirrors it. Forward and backward
    passes repeat until the lines' throughputs agree.

    `granularity` g > 1 splits each part into g units that flow one by one at g times the
    rate, buffers holding g units a place: a part's time then varies less (an Erlang-like
    spread, SCV about 1/g), towards the continuous flow of near-constant robot cycles.
    None takes the line's own (`line_of` sets it from the cycle times' spread).
    """
    k = len(line.names)
    if k == 1:
        return Estimate(float(line.isolated()[0]), "decomposition", [], 0, line.notes)
    g = int(granularity or line.granularity)
    mu, p, r = line.rate * g, line.failure, line.repair
    places = [g * (b + 2) - 2 for b in line.buffers]
    Machine = tuple[float, float, float]  # processing, failure and repair rates
    up: list[Machine] = [(float(mu[i]), float(p[i]), float(r[i])) for i in range(k - 1)]
    down: list[Machine] = [(float(mu[i + 1]), float(p[i + 1]), float(r[i + 1]))
                           for i in range(k - 1)]
    x = np.zeros(k - 1)
    grids = [np.zeros((0, 2, 2))] * (k - 1)  # each line's chain, once solved

    def solve(i: int) -> None:
        grids[i] = _two_machine_states(*up[i], *down[i], places[i])
        x[i] = _output(grids[i], down[i][0])

    def pseudo(station: int, wait_short: float, wait_long: float, into_long: float,
               rate: float) -> Machine:
        """(rate, failure, repair) of a pseudo-machine for `station` given its waits."""
        speed = 1.0 / (1.0 / mu[station] + wait_short / rate)
        own = rate * p[station] / mu[station]  # the station's own failures per second
        frequency = own + into_long
        length = (own / r[station] if own > 0 else 0.0) + wait_long  # down time per second
        if frequency <= 0.0 or length <= 0.0:  # never down
            return speed, 0.0, 1.0
        return speed, frequency * speed / rate, frequency / length

    for i in range(k - 1):
        solve(i)
    iterations = 0
    while iterations < most:
        iterations += 1
        before = x.copy()
        for i in range(1, k - 1):  # forward: station i starved by line i - 1
            grid = grids[i - 1]
            into_long = down[i - 1][0] * grid[1, 0, 1] + up[i - 1][1] * grid[0, 1, 1]
            up[i] = pseudo(i, float(grid[0, 1, 1]), float(grid[0, 0, 1]), float(into_long),
                           float(x[i - 1]))
            solve(i)
        for i in range(k - 3, -1, -1):  # backward: station i + 1 blocked by line i + 1
            grid = grids[i + 1]
            top = grid.shape[0] - 1
            into_long = up[i + 1][0] * grid[top - 1, 1, 0] + down[i + 1][1] * grid[top, 1, 1]
            down[i] = pseudo(i + 1, float(grid[top, 1, 1]), float(grid[top, 1, 0]),
                             float(into_long), float(x[i + 1]))
            solve(i)
        if np.max(np.abs(x - before)) <= tolerance * np.max(x):
            break
    notes = list(line.notes)
    spread = float((x.max() - x.min()) / x.mean())
    if spread > 1e-3:
        notes.append(f"the two-machine lines' throughputs still differ by {spread:.1%}")
    levels = [_buffer_level(grid) / g for grid in grids]
    return Estimate(float(x.mean()) / g, "decomposition", levels, iterations, notes)


def exact(line: Line) -> Estimate:
    """Throughput of the line's full Markov chain (short lines only: MOST_STATES)."""
    k = len(line.names)
    caps = [0, *line.buffers]

    def take_next(s: list[int], q: list[int], j: int) -> None:
        """Station j has let its part go: it takes the next one, or idles."""
        if j == 0:
            s[0] = WORKING
        elif q[j] > 0:
            q[j] -= 1
            s[j] = WORKING
            if s[j - 1] == BLOCKED:
                q[j] += 1
                take_next(s, q, j - 1)
        elif s[j - 1] == BLOCKED:
            s[j] = WORKING
            take_next(s, q, j - 1)
        else:
            s[j] = IDLE

    def finish(state: tuple[int, ...], j: int) -> tuple[int, ...]:
        s, q = list(state[:k]), [0, *state[k:]]
        if j == k - 1:
            take_next(s, q, j)
        elif s[j + 1] == IDLE:
            s[j + 1] = WORKING
            take_next(s, q, j)
        elif q[j + 1] < caps[j + 1]:
            q[j + 1] += 1
            take_next(s, q, j)
        else:
            s[j] = BLOCKED
        return (*s, *q[1:])

    start = (WORKING, *([IDLE] * (k - 1)), *([0] * (k - 1)))
    index = {start: 0}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    todo = deque([start])
    while todo:
        state = todo.popleft()
        a = index[state]
        for j in range(k):
            moves = []
            if state[j] == WORKING:
                moves.append((finish(state, j), float(line.rate[j])))
                if line.failure[j] > 0:
                    moves.append(((*state[:j], DOWN, *state[j + 1:]), float(line.failure[j])))
            elif state[j] == DOWN:
                moves.append(((*state[:j], WORKING, *state[j + 1:]), float(line.repair[j])))
            for nxt, rate in moves:
                if nxt not in index:
                    if len(index) >= MOST_STATES:
                        raise ValueError(f"the exact chain has more than {MOST_STATES:,} "
                                         "states; use the decomposition")
                    index[nxt] = len(index)
                    todo.append(nxt)
                rows.extend((a, a))
                cols.extend((index[nxt], a))
                vals.extend((rate, -rate))
    size = len(index)
    pi = _stationary(rows, cols, vals, size, anchor=0)  # the empty line: recurrent
    states = np.array(list(index), dtype=np.int64)
    throughput = float(line.rate[-1] * pi[states[:, k - 1] == WORKING].sum())
    levels = [float((pi * states[:, k + i]).sum()) for i in range(k - 1)]
    return Estimate(throughput, "exact", levels, 0, list(line.notes))


def line_of(plant: Plant) -> Line:
    """The plant's main line in the Markovian model, with notes on what it leaves out."""
    from nevsim.factory.model import FailureMode

    stations = plant.stations
    names = [s.name for s in stations]
    sizes = {tuple(b.between): b.capacity for b in plant.buffers}
    buffers = [sizes.get(pair, plant.default_buffer) for pair in itertools.pairwise(names)]
    extra = _mean_work_content(plant)
    rate = np.array([s.servers / (s.cycle.mean() + extra[s.name]) for s in stations])
    failure = np.array([0.0 if s.station_mtbf() is None else 1.0 / (s.station_mtbf() or 1.0)
                        for s in stations])
    repair = np.array([1.0 if s.failures is None else 1.0 / s.failures.mttr.mean()
                       for s in stations])
    spread = float(np.mean([_scv(s.cycle) for s in stations]))
    granularity = int(min(MOST_GRANULARITY, max(1, round(1.0 / max(spread, 1e-9)))))
    notes = ["repairs taken as exponential with their means; cycle times as a flow of "
             f"{granularity} unit(s) a part (their spread: squared coefficient of variation "
             f"{spread:.2f})"]
    if any(s.servers > 1 for s in stations):
        notes.append("parallel servers taken as one server as fast as all of them")
    if plant.feeders:
        notes.append("feeders left out (the main line is taken as never short of parts)")
    if plant.calendars or plant.shops:
        notes.append("shift calendars left out: the estimate is while the line works")
    if any(s.quality is not None or s.batch is not None for s in stations):
        notes.append("scrap, rework and batches left out")
    if any(s.failures is not None and s.failures.mode is FailureMode.TIME for s in stations):
        notes.append("time-based failures taken as failing only while working")
    if any(extra.values()):
        notes.append("work content taken at its mean over the mix shares, as line stops "
                     "(the sequence's bunching left out)")
    return Line(names, rate, failure, repair, buffers, notes, granularity)


def _mean_work_content(plant: Plant) -> dict[str, float]:
    """Seconds of work content a station adds to a car on average, by the mix shares.

    Cars draw their model and each option independently by its share; with utility workers
    the work content is not the station's (0).
    """
    from nevsim.factory.model import Overload

    variants = plant.variants
    if variants is None or variants.overload is Overload.UTILITY:
        return {s.name: 0.0 for s in plant.stations}
    share = {o.name: o.share for o in variants.options}
    share.update({m.name: m.share for m in variants.models})
    return {s.name: sum(seconds * share.get(name, 0.0)
                        for name, seconds in s.work_content.items())
            for s in plant.stations}


def estimate(plant: Plant, method: str = "auto") -> Estimate:
    """Throughput of the plant's main line by `exact`, `decomposition` or `auto`.

    `auto` solves the exact chain for short lines of exponential-like cycles, else the
    decomposition (with its granularity for steadier cycles). The exact chain takes every
    cycle as exponential.
    """
    line = line_of(plant)
    if method == "auto":
        method = chosen_method(line)
    return decomposition(line) if method == "decomposition" else exact(line)


def chosen_method(line: Line) -> str:
    """`exact` for short lines of exponential-like cycles, else `decomposition`."""
    return "exact" if line.granularity == 1 and small(line) else "decomposition"


def small(line: Line, most: int = 20_000) -> bool:
    """Whether the exact chain surely has at most `most` states (a quick bound)."""
    bound = 3 * math.prod(4 * (b + 1) for b in line.buffers) * 4
    return bound <= most


MOST_GRANULARITY = 6
"""Units a part may flow in. Measured against simulation of lines with constant cycles and
breakdowns, at 3 / 4 / 6 units: 5 stations -7.6% / -5.1% / -2.6%, 8 stations -3.4% / -1.1% /
+1.3%, yizhuang (its work content at the mean; its simulation has feeders, batches and scrap
besides) -5.1% / -3.3% / -0.3%; each unit more makes the two-machine chains bigger (yizhuang:
about 1.2 s at 6)."""


def _scv(law: object) -> float:
    """Squared coefficient of variation of a cycle time law (variance / mean^2)."""
    from nevsim.scenario import distributions as d

    mean = law.mean()  # type: ignore[attr-defined]
    if mean <= 0:
        return 0.0
    if isinstance(law, d.Exponential):
        return 1.0
    if isinstance(law, d.Normal | d.LogNormal):
        return float((law.sd / mean) ** 2)
    if isinstance(law, d.Uniform):
        return float((law.max - law.min) ** 2 / 12 / mean ** 2)
    if isinstance(law, d.Triangular):
        a, c, b = law.min, law.mode, law.max
        return float((a * a + b * b + c * c - a * b - a * c - b * c) / 18 / mean ** 2)
    if isinstance(law, d.Weibull):
        second = law.scale ** 2 * math.gamma(1 + 2 / law.shape)
        return float(second / mean ** 2 - 1)
    if isinstance(law, d.Empirical):
        return float(np.var(law.samples) / mean ** 2)
    return 0.0  # a constant


Evaluator = Callable[[Line], float]
"""Throughput of a line (per second)."""


def _memoized(line: Line, evaluate: Evaluator) -> Callable[[list[int]], float]:
    """Throughput by buffer sizes, each size evaluated once (a search revisits many)."""
    cache: dict[tuple[int, ...], float] = {}

    def value(buffers: list[int]) -> float:
        key = tuple(buffers)
        if key not in cache:
            cache[key] = evaluate(line.with_buffers(buffers))
        return cache[key]

    return value


def cheapest_step(buffers: list[int], value: Callable[[list[int]], float],
                  cost: list[float]) -> list[int]:
    """One more place where it gains most throughput per cost."""
    base = value(buffers)
    options = [[*buffers[:i], buffers[i] + 1, *buffers[i + 1:]] for i in range(len(buffers))]
    return max(options, key=lambda o: (value(o) - base) / max(
        cost[options.index(o)], 1e-12))


def allocate(line: Line, total: int, evaluate: Evaluator,
             step: int = 1) -> tuple[list[int], float]:
    """The best split of `total` buffer places: greedy, then exchanges.

    Places go `step` at a time to the buffer where they gain most; then `step` places move
    from one buffer to another while that gains (step 1 for the true optimum of short lines;
    larger steps for long lines, where each evaluation takes a second). Returns the buffers
    and their throughput.
    """
    k = len(line.buffers)
    if k == 0:
        return [], evaluate(line)
    value = _memoized(line, evaluate)

    current = [0] * k
    left = total
    while left > 0:
        add = min(step, left)
        options = [[*current[:i], current[i] + add, *current[i + 1:]] for i in range(k)]
        current = max(options, key=value)
        left -= add
    improved = True
    while improved:
        improved = False
        for i in range(k):
            for j in range(k):
                if i == j or current[i] < step:
                    continue
                moved = current.copy()
                moved[i] -= step
                moved[j] += step
                if value(moved) > value(current) * (1 + 1e-12):
                    current, improved = moved, True
    return current, value(current)


def smallest_total(line: Line, target: float, evaluate: Evaluator, most: int = 1000,
                   step: int = 1) -> tuple[list[int], float] | None:
    """The fewest places (best split) reaching `target` throughput, or None within `most`."""
    value = _memoized(line, evaluate)  # one memo across totals: their searches overlap

    def shared(candidate: Line) -> float:
        return value(candidate.buffers)

    for total in range(0, most + 1, step):
        buffers, throughput = allocate(line, total, shared, step)
        if throughput >= target:
            return buffers, throughput
    return None


def least_cost(line: Line, target: float, evaluate: Evaluator, cost: list[float],
               most: int = 1000) -> tuple[list[int], float] | None:
    """The cheapest buffers reaching `target` throughput, a place in buffer i costing cost[i].

    Places go one at a time where they gain most throughput per cost until the target is met;
    then places are dropped, and moved to cheaper buffers, while the target still holds.
    None when `most` places do not reach it.
    """
    k = len(line.buffers)
    value = _memoized(line, evaluate)

    def price(buffers: list[int]) -> float:
        return sum(c * b for c, b in zip(cost, buffers, strict=True))

    current = [0] * k
    while value(current) < target:
        if sum(current) >= most:
            return None
        current = cheapest_step(current, value, cost)
    improved = True
    while improved:
        improved = False
        candidates = []
        for i in range(k):
            if current[i] == 0:
                continue
            fewer = current.copy()
            fewer[i] -= 1
            candidates.append(fewer)
            for j in range(k):
                if j != i and cost[j] < cost[i]:
                    moved = fewer.copy()
                    moved[j] += 1
                    candidates.append(moved)
        for option in sorted(candidates, key=price):
            if price(option) < price(current) and value(option) >= target:
                current, improved = option, True
                break
    return current, value(current)

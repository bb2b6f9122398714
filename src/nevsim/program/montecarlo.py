"""The program's schedule and cost: the deterministic critical path and the Monte Carlo.

One sample is one way the program may unfold: every duration and cost rate drawn (plain or
Latin hypercube, rank-correlated where the program says so), each risk happening or not,
each loop repeating a random number of times; then the critical-path passes give its SOP and
which tasks drove it. Samples are processed in chunks of CHUNK, each with its own seed from
the run's seed, so the numbers do not depend on memory or on how many samples were asked for
before: the first 10,000 of 100,000 samples are the 10,000 of a smaller run.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numba import njit

from nevsim.program.calendar import WorkCalendar
from nevsim.program.model import AnyUncertain, Fixed, Program
from nevsim.program.sampling import draw, iman_conover, normal_score_correlation
from nevsim.program.schedule import (
    Links,
    Precedence,
    backward,
    forward,
    free_float,
    precedence,
    resource_pass,
    sample_pass,
)

CHUNK = 10_000
"""Samples processed at once: large enough for numpy to pay, small enough for memory."""

CRITICAL_TOLERANCE = 1e-6
"""Working days of total float below which a task counts as critical in a sample."""


@dataclass(frozen=True)
class LoopPlan:
    """A loop in positions of the precedence order."""

    name: str
    body: np.ndarray  # positions, in topological order
    exit: int
    repeat: float
    max_passes: int | None
    internal: Links  # the body's links among its own tasks (body indices)


@dataclass(frozen=True)
class Compiled:
    """A program ready to sample: laws and links in precedence order."""

    program: Program
    net: Precedence
    durations: list[AnyUncertain]
    fixed: list[AnyUncertain]
    per_day: list[AnyUncertain]
    loops: list[LoopPlan]
    correlated: list[tuple[np.ndarray, np.ndarray]]
    """Groups of tasks correlated with each other and no others: positions, and their
    normal-score correlation matrix (each group is reordered on its own)."""
    calendar: WorkCalendar
    resources: Resources | None = None
    """Limited resources, when the program has any: then tasks are placed one by one."""
    branches: list[tuple[np.ndarray, list[np.ndarray]]] = field(default_factory=list)
    """Per branch: its options' probabilities, and the positions of each option's tasks."""

    def skipped_in_plan(self) -> np.ndarray:
        """Positions of the tasks the plan does not do (options but the likeliest)."""
        out = [tasks for chances, options in self.branches
               for k, tasks in enumerate(options) if k != int(np.argmax(chances))]
        return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class Resources:
    """What the resource-constrained placement needs, in precedence positions."""

    order: np.ndarray  # the placement order: topological, by late start in the plain plan
    uses: np.ndarray  # tasks x resources: units held while running
    capacity: np.ndarray


def _resources(program: Program, net: Precedence, durations: list[AnyUncertain],
               tasks: list[Any]) -> Resources | None:
    """The priority order and use matrix, or None without resources."""
    if not program.resources:
        return None
    index = {r.name: k for k, r in enumerate(program.resources)}
    uses = np.zeros((net.size, len(index)), dtype=np.int64)
    for j, task in enumerate(tasks):
        for name, units in task.uses.items():
            uses[j, index[name]] = units
    d = np.asarray([law.likely() for law in durations])[:, None]
    start, finish = forward(net.preds, d)
    late = backward(net, d, finish)[:, 0] - d[:, 0]
    key = np.where(np.isnan(late), np.inf, late)  # work after SOP goes last
    indegree = np.diff(net.preds.ptr).copy()
    ready = [(key[j], start[j, 0], j) for j in range(net.size) if indegree[j] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        _, _, j = heapq.heappop(ready)
        order.append(j)
        for k, _, _ in net.succs.of_task(j):
            indegree[k] -= 1
            if indegree[k] == 0:
                heapq.heappush(ready, (key[k], start[k, 0], k))
    return Resources(np.asarray(order, dtype=np.int64), uses,
                     np.asarray([r.capacity for r in program.resources], dtype=np.int64))


def compile_program(program: Program) -> Compiled:
    """Order the tasks and gather what sampling needs (the program passed its checks)."""
    net = precedence(program)
    tasks = [program.tasks[i] for i in net.declared]
    at = {name: p for p, name in enumerate(net.names)}
    loops = []
    for loop in program.loops:
        body = np.sort(np.asarray([at[name] for name in loop.tasks], dtype=np.int64))
        inside = {int(p): k for k, p in enumerate(body)}
        internal = Links.of(len(body), [(inside[int(p)], inside[i], kind, lag) for p in body
                                        for i, kind, lag in net.preds.of_task(int(p))
                                        if i in inside])
        loops.append(LoopPlan(loop.name, body, at[loop.tasks[-1]], loop.repeat_probability,
                              loop.max_passes, internal))
    pairs: dict[tuple[int, int], float] = {}
    for corr in program.correlations:
        for first in corr.tasks:
            for second in corr.tasks:
                if first != second:
                    pairs[(at[first], at[second])] = corr.rank
    durations = [t.duration for t in tasks]
    branches = [(np.asarray([o.probability for o in b.options]),
                 [np.asarray([at[name] for name in o.does], dtype=np.int64) for o in b.options])
                for b in program.branches]
    return Compiled(program, net, durations, [t.cost.fixed for t in tasks],
                    [t.cost.per_day for t in tasks], loops, _groups(pairs),
                    WorkCalendar(program.calendar, program.start),
                    _resources(program, net, durations, tasks), branches)


def _groups(pairs: dict[tuple[int, int], float]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Connected groups of correlated tasks, each with its normal-score correlation matrix."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for a, b in pairs:
        parent[root(a)] = root(b)
    members: dict[int, list[int]] = {}
    for task in sorted(parent):
        members.setdefault(root(task), []).append(task)
    groups = []
    for tasks in members.values():
        where = {p: k for k, p in enumerate(tasks)}
        rank = np.eye(len(tasks))
        for (a, b), value in pairs.items():
            if a in where and b in where:
                rank[where[a], where[b]] = value
        groups.append((np.asarray(tasks, dtype=np.int64), normal_score_correlation(rank)))
    return groups


@dataclass(frozen=True)
class Plan:
    """The deterministic plan: most likely durations, one pass of every loop, no risk."""

    durations: np.ndarray
    start: np.ndarray
    finish: np.ndarray
    late_finish: np.ndarray
    total_float: np.ndarray
    free_float: np.ndarray
    cost: float


def deterministic(c: Compiled) -> Plan:
    """The critical path at the most likely durations."""
    d = np.asarray([law.likely() for law in c.durations])[:, None]
    skipped = c.skipped_in_plan()
    d[skipped] = 0.0
    if c.resources is not None:  # floats are not defined once resources move tasks
        start, finish = _placed(c, d)
        late = total = free = np.full_like(d, np.nan)
    else:
        start, finish = forward(c.net.preds, d)
        late = backward(c.net, d, finish)
        total = late - finish
        free = free_float(c.net, d, start, finish)
    done = np.ones(c.net.size, dtype=bool)
    done[skipped] = False
    cost = sum(f.likely() + r.likely() * float(x) for f, r, x, yes in
               zip(c.fixed, c.per_day, d[:, 0], done, strict=True) if yes)
    cost += c.program.overhead_per_day * float(finish[c.net.sop, 0])
    cost += sum(r.mitigation.cost for r in c.program.risks if r.mitigated and r.mitigation)
    return Plan(d[:, 0], start[:, 0], finish[:, 0], late[:, 0], total[:, 0], free[:, 0], cost)


@dataclass(frozen=True)
class Chunk:
    """What one chunk of samples gives: per-sample results, and sums over its samples."""

    durations: np.ndarray  # float32, tasks x samples, as scheduled (risks and loop passes in)
    sop: np.ndarray  # working days
    cost: np.ndarray
    critical: np.ndarray  # per task: samples in which it was critical
    passes: np.ndarray  # loops x samples
    risks: np.ndarray  # risks x samples, bool: happened
    finish_days: np.ndarray  # tasks x days: samples whose finish falls on working day k
    moments: np.ndarray  # per task: sum of d, of d^2 and of d x SOP (for cruciality)


def sample_chunk(c: Compiled, n: int, seed: np.random.SeedSequence, lhs: bool) -> Chunk:
    """A chunk of n samples of the program."""
    rng = np.random.default_rng(seed)
    program = c.program
    d = np.empty((c.net.size, n))  # task rows while drawing: each task's draws side by side
    for j, law in enumerate(c.durations):
        d[j] = draw(law, rng, n, lhs)
    for tasks, correlation in c.correlated:
        d[tasks] = iman_conover(d[tasks], correlation, rng)
    fixed, rate = _costs(c.fixed, rng, n, lhs), _costs(c.per_day, rng, n, lhs)
    cost = np.zeros(n)
    at = {name: p for p, name in enumerate(c.net.names)}
    happened = np.zeros((len(program.risks), n), dtype=bool)
    for k, risk in enumerate(program.risks):
        chance = risk.probability
        scale = 1.0
        if risk.mitigated and risk.mitigation is not None:
            cost += risk.mitigation.cost
            scale = risk.mitigation.impact_scale
            if risk.mitigation.probability is not None:
                chance = risk.mitigation.probability
        hit = rng.random(n) < chance
        happened[k] = hit
        cost += hit * risk.cost
        for impact in risk.impacts:
            j = at[impact.task]
            if impact.factor is not None:
                d[j] *= np.where(hit, 1 + (impact.factor - 1) * scale, 1.0)
            else:
                assert impact.add is not None
                d[j] += hit * scale * draw(impact.add, rng, n, lhs)
    for chances, options in c.branches:
        chosen = rng.choice(len(chances), size=n, p=chances)
        for k, tasks in enumerate(options):
            for j in tasks:
                not_done = chosen != k
                d[j] = np.where(not_done, 0.0, d[j])
                cost -= not_done * fixed.of_task(int(j))  # nor is its fixed cost spent
    cost += fixed.total(None) + rate.times(d)
    passes = np.ones((len(c.loops), n), dtype=np.int64)
    for k, loop in enumerate(c.loops):
        extra, extra_cost, passes[k] = _repeat(c, loop, rate, fixed, rng, n)
        d[loop.exit] += extra
        cost += extra_cost
    if c.resources is not None:
        _, placed = _placed(c, d)
        finish, sop = placed.astype(np.float32), placed[c.net.sop].copy()
        critical = np.zeros(c.net.size, dtype=np.int64)  # not defined under resources
    else:
        finish, sop, critical = sample_pass(c.net, d, CRITICAL_TOLERANCE)
    cost += program.overhead_per_day * sop
    moments = np.stack([d.sum(axis=1), np.einsum("ij,ij->i", d, d), d @ sop])
    return Chunk(d.astype(np.float32), sop, cost, critical, passes, happened,
                 _finish_days(finish), moments)


def _placed(c: Compiled, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and finish with tasks competing for the program's resources."""
    assert c.resources is not None
    r = c.resources
    return resource_pass(c.net.preds, r.order, r.uses, r.capacity, d)


def _finish_days(finish: np.ndarray) -> np.ndarray:
    """Per task, how many samples finish on each working day (day k holds times in (k-1, k]).

    Dates are whole working days, so these counts give every task's finish-date quantiles
    exactly, without keeping every finish.
    """
    counts = np.zeros((finish.shape[0], int(np.ceil(finish.max())) + 2), dtype=np.int64)
    _count_days(finish, counts)
    return counts


@njit(cache=True, nogil=True)
def _count_days(finish: np.ndarray, counts: np.ndarray) -> None:
    tasks, samples = finish.shape
    for j in range(tasks):
        for s in range(samples):
            counts[j, max(int(np.ceil(finish[j, s] - 1e-4)), 0)] += 1


@dataclass(frozen=True)
class _CostDraws:
    """Draws of one cost input for every task: constants kept as one number per task."""

    constant: np.ndarray  # per task (0 where drawn)
    drawn: np.ndarray  # positions of the tasks whose input is random
    values: np.ndarray  # their draws, drawn tasks x samples

    def total(self, tasks: np.ndarray | None) -> np.ndarray:
        """Sum over tasks (all, or those given) per sample."""
        if tasks is None:
            return np.asarray(self.constant.sum() + self.values.sum(axis=0))
        keep = np.isin(self.drawn, tasks)
        return np.asarray(self.constant[tasks].sum() + self.values[keep].sum(axis=0))

    def times(self, d: np.ndarray, tasks: np.ndarray | None = None) -> np.ndarray:
        """Sum over tasks of this input times d (task rows), per sample."""
        if tasks is None:
            return np.asarray(self.constant @ d
                              + np.einsum("ij,ij->j", self.values, d[self.drawn]))
        keep = np.isin(self.drawn, tasks)
        rows = np.searchsorted(tasks, self.drawn[keep])
        return np.asarray(self.constant[tasks] @ d
                          + np.einsum("ij,ij->j", self.values[keep], d[rows]))

    def of_task(self, j: int) -> np.ndarray | float:
        """Task j's draws (one per sample), or its constant."""
        rows = np.flatnonzero(self.drawn == j)
        return self.values[rows[0]] if len(rows) else float(self.constant[j])

    def select(self, tasks: np.ndarray, who: np.ndarray) -> _CostDraws:
        """The same inputs for some tasks (sorted positions) and some samples."""
        keep = np.isin(self.drawn, tasks)
        return _CostDraws(self.constant, self.drawn[keep], self.values[keep][:, who])


def _costs(laws: list[AnyUncertain], rng: np.random.Generator, n: int,
           lhs: bool) -> _CostDraws:
    """Draw the random inputs; constants stay numbers (most costs are)."""
    constant = np.asarray([law.likely() if isinstance(law, Fixed) else 0.0 for law in laws])
    drawn = np.asarray([j for j, law in enumerate(laws) if not isinstance(law, Fixed)],
                       dtype=np.int64)
    values = (np.stack([draw(laws[j], rng, n, lhs) for j in drawn]) if len(drawn)
              else np.zeros((0, n)))
    return _CostDraws(constant, drawn, values)


def _repeat(c: Compiled, loop: LoopPlan, rate: _CostDraws, fixed: _CostDraws,
            rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Extra passes of a loop: (working days they add at its exit, their cost, passes)."""
    passes = rng.geometric(1 - loop.repeat, n) if loop.repeat > 0 else np.ones(n, np.int64)
    if loop.max_passes is not None:
        passes = np.minimum(passes, loop.max_passes)
    extra = np.zeros(n)
    extra_cost = np.zeros(n)
    for k in range(2, int(passes.max()) + 1):
        who = np.flatnonzero(passes >= k)
        body = np.stack([c.durations[p].draw(rng, len(who)) for p in loop.body])
        _, finish = forward(loop.internal, body)
        extra[who] += finish.max(axis=0)
        extra_cost[who] += (fixed.select(loop.body, who).total(loop.body)
                            + rate.select(loop.body, who).times(body, loop.body))
    return extra, extra_cost, passes


Progress = Callable[[int, int], None]


def run_samples(c: Compiled, samples: int, seed: int, lhs: bool,
                progress: Progress | None = None, workers: int | None = None) -> list[Chunk]:
    """Every chunk of the run, in order (chunk k always has the k-th child seed).

    Chunks run on `workers` threads (default: the free cores): the compiled passes and
    numpy's samplers release the interpreter lock, and each chunk has its own generator, so
    the numbers do not depend on the threads.
    """
    from concurrent.futures import ThreadPoolExecutor

    from nevsim.experiments.pool import free_cores

    children = np.random.SeedSequence(seed).spawn((samples + CHUNK - 1) // CHUNK)
    sizes = [min(CHUNK, samples - k * CHUNK) for k in range(len(children))]
    threads = max(1, min(len(children), workers or free_cores()))
    done = 0
    chunks = []
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for chunk in pool.map(lambda job: sample_chunk(c, job[0], job[1], lhs),
                              zip(sizes, children, strict=True)):
            chunks.append(chunk)
            done += len(chunk.sop)
            if progress is not None:
                progress(done, samples)
    return chunks

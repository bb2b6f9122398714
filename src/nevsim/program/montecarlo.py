"""The program's schedule and cost: the deterministic critical path and the Monte Carlo.

One sample is one way the program may unfold: every duration and cost rate drawn (plain or
Latin hypercube, rank-correlated where the program says so), each risk happening or not,
each loop repeating a random number of times; then the critical-path passes give its SOP and
which tasks drove it. Samples are processed in chunks of CHUNK, each with its own seed from
the run's seed, so the numbers do not depend on memory or on how many samples were asked for
before: the first 10,000 of 100,000 samples are the 10,000 of a smaller run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nevsim.program.calendar import WorkCalendar
from nevsim.program.model import AnyUncertain, Program
from nevsim.program.sampling import draw, iman_conover, normal_score_correlation
from nevsim.program.schedule import Edge, Precedence, backward, forward, free_float, precedence

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
    internal: list[list[Edge]]  # per body task: its links from inside the body


@dataclass(frozen=True)
class Compiled:
    """A program ready to sample: laws and links in precedence order."""

    program: Program
    net: Precedence
    durations: list[AnyUncertain]
    fixed: list[AnyUncertain]
    per_day: list[AnyUncertain]
    loops: list[LoopPlan]
    correlated: np.ndarray  # positions of correlated tasks
    correlation: np.ndarray  # their normal-score correlation matrix
    calendar: WorkCalendar


def compile_program(program: Program) -> Compiled:
    """Order the tasks and gather what sampling needs (the program passed its checks)."""
    net = precedence(program)
    tasks = [program.tasks[i] for i in net.declared]
    at = {name: p for p, name in enumerate(net.names)}
    loops = []
    for loop in program.loops:
        body = np.sort(np.asarray([at[name] for name in loop.tasks], dtype=np.int64))
        inside = {int(p): k for k, p in enumerate(body)}
        internal = [[(inside[i], kind, lag) for i, kind, lag in net.preds[int(p)] if i in inside]
                    for p in body]
        loops.append(LoopPlan(loop.name, body, at[loop.tasks[-1]], loop.repeat_probability,
                              loop.max_passes, internal))
    pairs: dict[tuple[int, int], float] = {}
    for corr in program.correlations:
        for first in corr.tasks:
            for second in corr.tasks:
                if first != second:
                    pairs[(at[first], at[second])] = corr.rank
    correlated = np.asarray(sorted({a for a, _ in pairs}), dtype=np.int64)
    rank = np.eye(len(correlated))
    where = {int(p): k for k, p in enumerate(correlated)}
    for (a, b), value in pairs.items():
        rank[where[a], where[b]] = value
    return Compiled(program, net, [t.duration for t in tasks], [t.cost.fixed for t in tasks],
                    [t.cost.per_day for t in tasks], loops, correlated,
                    normal_score_correlation(rank), WorkCalendar(program.calendar, program.start))


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
    start, finish = forward(c.net.preds, d)
    late = backward(c.net, d, finish)
    total = late - finish
    free = free_float(c.net, d, start, finish)
    cost = sum(f.likely() + r.likely() * float(x) for f, r, x in
               zip(c.fixed, c.per_day, d[:, 0], strict=True))
    cost += c.program.overhead_per_day * float(finish[c.net.sop, 0])
    cost += sum(r.mitigation.cost for r in c.program.risks if r.mitigated and r.mitigation)
    return Plan(d[:, 0], start[:, 0], finish[:, 0], late[:, 0], total[:, 0], free[:, 0], cost)


@dataclass(frozen=True)
class Chunk:
    """What one chunk of samples gives."""

    durations: np.ndarray  # float32, tasks x samples, as scheduled (risks and loop passes in)
    finish: np.ndarray  # float32, tasks x samples
    sop: np.ndarray  # working days
    cost: np.ndarray
    critical: np.ndarray  # per task: samples in which it was critical
    passes: np.ndarray  # loops x samples
    risks: np.ndarray  # risks x samples, bool: happened


def sample_chunk(c: Compiled, n: int, seed: np.random.SeedSequence, lhs: bool) -> Chunk:
    """N samples of the program."""
    rng = np.random.default_rng(seed)
    program = c.program
    tasks = c.net.size
    d = np.empty((tasks, n))
    for j, law in enumerate(c.durations):
        d[j] = draw(law, rng, n, lhs)
    if len(c.correlated):
        d[c.correlated] = iman_conover(d[c.correlated], c.correlation, rng)
    fixed = np.stack([draw(law, rng, n, lhs) for law in c.fixed])
    rate = np.stack([draw(law, rng, n, lhs) for law in c.per_day])
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
    cost += (fixed + rate * d).sum(axis=0)
    passes = np.ones((len(c.loops), n), dtype=np.int64)
    for k, loop in enumerate(c.loops):
        extra, extra_cost, passes[k] = _repeat(c, loop, rate, fixed, rng, n)
        d[loop.exit] += extra
        cost += extra_cost
    _, finish = forward(c.net.preds, d)
    late = backward(c.net, d, finish)
    sop = finish[c.net.sop].copy()
    with np.errstate(invalid="ignore"):
        critical = (late - finish <= CRITICAL_TOLERANCE * np.maximum(sop, 1.0)).sum(axis=1)
    cost += program.overhead_per_day * sop
    return Chunk(d.astype(np.float32), finish.astype(np.float32), sop, cost, critical, passes,
                 happened)


def _repeat(c: Compiled, loop: LoopPlan, rate: np.ndarray, fixed: np.ndarray,
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
        extra_cost[who] += (fixed[loop.body][:, who] + rate[loop.body][:, who] * body).sum(axis=0)
    return extra, extra_cost, passes


Progress = Callable[[int, int], None]


def run_samples(c: Compiled, samples: int, seed: int, lhs: bool,
                progress: Progress | None = None) -> list[Chunk]:
    """Every chunk of the run, in order (chunk k always has the k-th child seed)."""
    children = np.random.SeedSequence(seed).spawn((samples + CHUNK - 1) // CHUNK)
    chunks = []
    for k, child in enumerate(children):
        chunks.append(sample_chunk(c, min(CHUNK, samples - k * CHUNK), child, lhs))
        if progress is not None:
            progress(min(samples, (k + 1) * CHUNK), samples)
    return chunks

"""`simulate`: a program's deterministic plan and its Monte Carlo, assembled into a result."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from nevsim.program.montecarlo import (
    Chunk,
    Compiled,
    Plan,
    Progress,
    compile_program,
    deterministic,
    run_samples,
)
from nevsim.program.results import TORNADO_TASKS, ProgramResult, _date
from nevsim.scenario.errors import Problem, ScenarioError, UsageError

if TYPE_CHECKING:
    from nevsim.document import Scenario
    from nevsim.program.model import Program

MAX_SAMPLES = 10_000_000
"""The most samples a run takes (memory grows with samples x tasks)."""


def simulate(scenario: Scenario | Program, *, samples: int = 10_000, seed: int = 0,
             latin_hypercube: bool = False, progress: Progress | None = None,
             workers: int | None = None) -> ProgramResult:
    """Plan the program at its most likely durations, then sample how it may unfold.

    The same seed gives the same numbers, whatever the `workers` (threads; default: the
    free cores); `latin_hypercube` stratifies every input's draws (fewer samples for the same
    precision of means and percentiles).
    """
    from nevsim.document import Scenario

    if isinstance(scenario, Scenario):
        if scenario.program is None:
            raise ScenarioError([Problem("program", "this scenario has no program section")],
                                scenario.name)
        program, name = scenario.program, scenario.name
    else:
        program, name = scenario, "program"
    if not isinstance(samples, int) or not 1 <= samples <= MAX_SAMPLES:
        raise UsageError([Problem("samples", f"must be a whole number from 1 to "
                                  f"{MAX_SAMPLES:,}", samples)])
    if not isinstance(seed, int) or seed < 0:
        raise UsageError([Problem("seed", "must be a whole number >= 0", seed)])
    compiled = compile_program(program)
    plan = deterministic(compiled)
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise UsageError([Problem("workers", "must be a whole number >= 1", workers)])
    chunks = run_samples(compiled, samples, seed, latin_hypercube, progress, workers)
    return _assemble(name, compiled, plan, chunks, samples, seed, latin_hypercube)


def _assemble(name: str, c: Compiled, plan: Plan, chunks: list[Chunk], samples: int,
              seed: int, lhs: bool) -> ProgramResult:
    program = c.program
    cal = c.calendar
    durations = np.concatenate([k.durations for k in chunks], axis=1)
    sop = np.concatenate([k.sop for k in chunks])
    cost = np.concatenate([k.cost for k in chunks])
    critical = np.sum([k.critical for k in chunks], axis=0) / samples
    if c.resources is not None:
        critical = np.full(c.net.size, np.nan)  # float is not defined under resources
    sop_dates = cal.finish_date(sop)
    months = cal.months(sop_dates)
    crucial = _correlations(np.sum([k.moments for k in chunks], axis=0), sop, samples)
    width = max(k.finish_days.shape[1] for k in chunks)
    days = np.sum([np.pad(k.finish_days, ((0, 0), (0, width - k.finish_days.shape[1])))
                   for k in chunks], axis=0)
    p50, p80 = (_day_quantile(days, level, samples) for level in (0.5, 0.8))
    phases = {t.name: t.phase for t in program.tasks}
    plan_sop = cal.finish_date(plan.finish[c.net.sop])
    critical_plan = c.net.drives_sop & (np.abs(plan.total_float) <= 1e-9)
    schedule = pd.DataFrame({
        "task": c.net.names,
        "phase": [phases[n] for n in c.net.names],
        "duration": plan.durations,
        "start": plan.start,
        "finish": plan.finish,
        "late_start": plan.late_finish - plan.durations,
        "late_finish": plan.late_finish,
        "total_float": plan.total_float,
        "free_float": plan.free_float,
        "critical": critical_plan,
        "start_date": [_date(d) for d in cal.start_date(plan.start)],
        "finish_date": [_date(d) for d in cal.finish_date(plan.finish)],
        "mean_duration": durations.mean(axis=1),
        "p50_finish_date": [_date(d) for d in cal.finish_date(p50)],
        "p80_finish_date": [_date(d) for d in cal.finish_date(p80)],
        "criticality": critical,
        "cruciality": crucial,
    })
    tornado = _tornado(c.net.names, durations, months, crucial)
    loops = pd.DataFrame({
        "loop": [loop.name for loop in c.loops],
        "mean_passes": [float(np.mean(np.concatenate([k.passes[i] for k in chunks])))
                        for i in range(len(c.loops))],
        "max_passes": [int(np.max(np.concatenate([k.passes[i] for k in chunks])))
                       for i in range(len(c.loops))]})
    risks = pd.DataFrame({
        "risk": [r.name for r in program.risks],
        "probability": [r.probability for r in program.risks],
        "mitigated": [r.mitigated for r in program.risks],
        "occurred": [float(np.mean(np.concatenate([k.risks[i] for k in chunks])))
                     for i in range(len(program.risks))]})
    return ProgramResult(
        scenario=name, currency=program.currency, samples=samples, seed=seed,
        latin_hypercube=lhs, start=program.start, schedule=schedule, sop_days=sop,
        sop_dates=sop_dates, sop_months=months, cost=cost, plan_sop=_date(plan_sop),
        plan_months=float(cal.months(np.asarray([plan_sop]))[0]), plan_cost=plan.cost,
        target=program.target, tornado=tornado, loops=loops, risks=risks)


def _correlations(moments: np.ndarray, sop: np.ndarray, n: int) -> np.ndarray:
    """Pearson correlation of each task's duration with SOP (0 where a duration is fixed).

    From the sums of d, d^2 and d x SOP over all samples.
    """
    total, squares, cross = moments
    var_d = squares / n - (total / n) ** 2
    cov = cross / n - (total / n) * sop.mean()
    spread = np.sqrt(np.maximum(var_d, 0.0) * sop.var())
    tiny = 1e-12 * np.maximum(squares / n, 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = cov / spread
    # a fixed duration, or a SOP that never moves: nothing to correlate
    moving = (var_d > tiny) & (sop.var() > 1e-12 * max(float(np.mean(sop**2)), 1.0))
    return np.where(moving, np.clip(r, -1.0, 1.0), 0.0)


def _day_quantile(days: np.ndarray, level: float, n: int) -> np.ndarray:
    """Per task, the finish time (whole working days) at a level, from counts per day.

    The inverted distribution function: the first day by which ceil(level x n) samples end.
    """
    need = max(1, int(np.ceil(level * n - 1e-9)))
    return np.asarray(np.argmax(np.cumsum(days, axis=1) >= need, axis=1), dtype=float)


def _tornado(names: list[str], durations: np.ndarray, months: np.ndarray,
             crucial: np.ndarray) -> pd.DataFrame:
    """Mean months to SOP when a task is in its shortest and its longest tenth of samples.

    Only for the most crucial tasks (TORNADO_TASKS of them).
    """
    order = np.argsort(-np.abs(crucial), kind="stable")[:TORNADO_TASKS]
    tenth = max(1, len(months) // 10)
    rows = []
    for j in order:
        if crucial[j] == 0:
            continue
        ranked = np.argsort(durations[j], kind="stable")
        low, high = months[ranked[:tenth]].mean(), months[ranked[-tenth:]].mean()
        rows.append({"task": names[j], "cruciality": float(crucial[j]),
                     "months_if_short": float(low), "months_if_long": float(high),
                     "swing_months": float(high - low)})
    return pd.DataFrame(rows, columns=["task", "cruciality", "months_if_short",
                                       "months_if_long", "swing_months"])

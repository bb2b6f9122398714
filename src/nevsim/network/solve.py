"""A typed adapter around HiGHS: hand a built model over, run it, read the outcome back.

Times are kept apart (model build, handoff to HiGHS, HiGHS itself) because the planner's
promise is that building the model costs a small fraction of solving it.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import StrEnum

import highspy
import linopy
import numpy as np
import xarray as xr


class SolveStatus(StrEnum):
    """How a solve ended."""

    OPTIMAL = "optimal"  # proven optimal within the requested gap
    TIME_LIMIT = "time_limit"  # stopped at the limit with a feasible plan and a gap
    NO_SOLUTION = "no_solution"  # stopped at a limit before any feasible plan was found
    INFEASIBLE = "infeasible"  # no plan satisfies the rules; see the explanation
    ERROR = "error"  # the solver failed (a defect, not a planning answer)


@dataclass(frozen=True)
class SolveStats:
    """Size and timings of one solve."""

    variables: int
    binaries: int
    constraints: int
    nonzeros: int
    build_seconds: float
    handoff_seconds: float
    solver_seconds: float


@dataclass(frozen=True)
class SolverOutcome:
    """What HiGHS returned: status, objective, bound, gap and the primal values by label."""

    status: SolveStatus
    objective: float | None
    bound: float | None
    gap: float | None
    stats: SolveStats
    values: np.ndarray | None  # indexed by linopy variable label; NaN where masked

    def solution(self, variable: linopy.Variable) -> xr.DataArray:
        """Values of one variable family (0 where the variable does not exist)."""
        assert self.values is not None
        labels = variable.labels
        raw = np.where(labels.values >= 0, self.values[np.maximum(labels.values, 0)], 0.0)
        return xr.DataArray(raw, coords=labels.coords, dims=labels.dims)


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """HiGHS prints a banner on stdout from C++; `--json` output must stay clean."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


_STATUS = {
    highspy.HighsModelStatus.kOptimal: SolveStatus.OPTIMAL,
    highspy.HighsModelStatus.kInfeasible: SolveStatus.INFEASIBLE,
    highspy.HighsModelStatus.kUnboundedOrInfeasible: SolveStatus.INFEASIBLE,
    highspy.HighsModelStatus.kTimeLimit: SolveStatus.TIME_LIMIT,
    highspy.HighsModelStatus.kIterationLimit: SolveStatus.TIME_LIMIT,
    highspy.HighsModelStatus.kSolutionLimit: SolveStatus.TIME_LIMIT,
    highspy.HighsModelStatus.kInterrupt: SolveStatus.TIME_LIMIT,
}


def run_highs(model: linopy.Model, *, build_seconds: float, time_limit: float | None = None,
              gap: float = 1e-4, threads: int | None = None) -> SolverOutcome:
    """Solve a linopy model with HiGHS (minimization); values come back by linopy label."""
    t0 = time.perf_counter()
    with quiet():
        highs = linopy.io.to_highspy(model)
    handoff = time.perf_counter() - t0
    binaries = sum(len(model.variables[name].flat) for name in model.binaries)
    out = solve_highs(highs, build_seconds=build_seconds, handoff_seconds=handoff,
                      binaries=binaries, time_limit=time_limit, gap=gap, threads=threads)
    if out.values is None:
        return out
    vlabels = np.asarray(model.matrices.vlabels)
    values = np.full(int(vlabels.max(initial=-1)) + 1, np.nan)
    values[vlabels] = out.values
    return replace(out, values=values)


def solve_highs(highs: highspy.Highs, *, build_seconds: float, handoff_seconds: float,
                binaries: int, time_limit: float | None = None, gap: float = 1e-4,
                threads: int | None = None) -> SolverOutcome:
    """Run a loaded Highs instance; values come back by column."""
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("mip_rel_gap", float(gap))
    if time_limit is not None:
        highs.setOptionValue("time_limit", float(time_limit))
    if threads is not None:
        highs.setOptionValue("threads", int(threads))
    t1 = time.perf_counter()
    with quiet():
        highs.run()
    t2 = time.perf_counter()

    lp = highs.getLp()
    stats = SolveStats(
        variables=int(lp.num_col_), binaries=int(binaries), constraints=int(lp.num_row_),
        nonzeros=len(lp.a_matrix_.value_), build_seconds=build_seconds,
        handoff_seconds=handoff_seconds, solver_seconds=t2 - t1,
    )
    status = _STATUS.get(highs.getModelStatus(), SolveStatus.ERROR)
    info = highs.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    if status is SolveStatus.TIME_LIMIT and not has_solution:
        status = SolveStatus.NO_SOLUTION
    if status not in (SolveStatus.OPTIMAL, SolveStatus.TIME_LIMIT):
        return SolverOutcome(status, None, None, None, stats, None)
    columns = np.asarray(highs.getSolution().col_value, dtype=float)
    objective = float(info.objective_function_value)
    bound = float(info.mip_dual_bound) if binaries else objective
    gap_value = float(info.mip_gap) if binaries else 0.0
    return SolverOutcome(status, objective, bound, gap_value, stats, columns)

"""A typed adapter around HiGHS: load a `SparseMILP`, run it, read the outcome back.

Times are kept apart (model build, handoff to HiGHS, HiGHS itself) because the planner's
promise is that building the model costs a small fraction of solving it.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

import highspy
import numpy as np

from nevsim.network.milp import SparseMILP


class SolveStatus(StrEnum):
    """How a solve ended."""

    OPTIMAL = "optimal"  # proven optimal within the requested gap
    TIME_LIMIT = "time_limit"  # stopped at a time or node limit with a plan and a gap
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
    """What HiGHS returned: status, objective, bound, gap and the primal values by column."""

    status: SolveStatus
    objective: float | None
    bound: float | None
    gap: float | None
    stats: SolveStats
    values: np.ndarray | None


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


def load(milp: SparseMILP) -> highspy.Highs:
    """A Highs instance holding the model (column-wise matrix, minimization).

    Rows without entries that 0 satisfies (masked cells) are dropped; any that 0 breaks stay,
    so HiGHS reports them infeasible.
    """
    from scipy.sparse import coo_matrix

    rows = np.concatenate([e[0] for e in milp.entries]) if milp.entries else np.zeros(0, int)
    cols = np.concatenate([e[1] for e in milp.entries]) if milp.entries else np.zeros(0, int)
    vals = np.concatenate([e[2] for e in milp.entries]) if milp.entries else np.zeros(0)
    lower = np.concatenate(milp.row_lower) if milp.row_lower else np.zeros(0)
    upper = np.concatenate(milp.row_upper) if milp.row_upper else np.zeros(0)
    keep = np.zeros(milp.n_rows, dtype=bool)
    keep[rows] = True
    keep |= (lower > 0) | (upper < 0)
    renumber = np.cumsum(keep) - 1
    n_rows = int(keep.sum())
    matrix = coo_matrix((vals, (renumber[rows], cols)), shape=(n_rows, milp.n_cols)).tocsc()
    integer = milp.integer()
    lp = highspy.HighsLp()
    lp.num_col_ = milp.n_cols
    lp.num_row_ = n_rows
    lp.col_cost_ = milp.objective()
    lp.col_lower_ = np.zeros(milp.n_cols)
    lp.col_upper_ = np.where(integer, 1.0, highspy.kHighsInf)
    lp.row_lower_ = lower[keep]
    lp.row_upper_ = upper[keep]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data
    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    highs.passModel(lp)
    binary = np.flatnonzero(integer).astype(np.int32)
    if len(binary):
        highs.changeColsIntegrality(len(binary), binary, np.ones(len(binary), dtype=np.uint8))
    return highs


_SCHEDULER: tuple[int, int | None] | None = None
"""The process and thread count of the live HiGHS thread pool (one pool per process)."""


def _own_scheduler(threads: int | None) -> None:
    """A HiGHS thread pool of this process, with the threads this solve asks for.

    HiGHS starts one pool per process at the first solve and refuses a later solve asking
    for another thread count; a child forked from a process that had solved inherits the
    pool without its threads. Either way every solve then fails, so the pool starts anew.
    """
    global _SCHEDULER
    wanted = (os.getpid(), threads)
    if _SCHEDULER is not None and wanted != _SCHEDULER:
        highspy.Highs.resetGlobalScheduler(True)
    _SCHEDULER = wanted


def solve(milp: SparseMILP, *, build_seconds: float, time_limit: float | None = None,
          gap: float = 1e-4, threads: int | None = None,
          node_limit: int | None = None, seed: int = 0) -> SolverOutcome:
    """Hand the model to HiGHS and solve it; values come back by column.

    `node_limit` stops branch and bound after that many nodes: unlike a time limit, where it
    stops does not depend on the machine's speed.
    """
    _own_scheduler(threads)
    t0 = time.perf_counter()
    with quiet():
        highs = load(milp)
    handoff = time.perf_counter() - t0
    highs.setOptionValue("mip_rel_gap", float(gap))
    highs.setOptionValue("random_seed", int(seed) % 2_147_483_647)  # HiGHS takes 0..2^31-2
    if time_limit is not None:
        highs.setOptionValue("time_limit", float(time_limit))
    if threads is not None:
        highs.setOptionValue("threads", int(threads))
    if node_limit is not None:
        highs.setOptionValue("mip_max_nodes", int(node_limit))
    t1 = time.perf_counter()
    with quiet():
        highs.run()
    t2 = time.perf_counter()

    lp = highs.getLp()
    binaries = int(milp.integer().sum())
    stats = SolveStats(
        variables=int(lp.num_col_), binaries=binaries, constraints=int(lp.num_row_),
        nonzeros=len(lp.a_matrix_.value_), build_seconds=build_seconds,
        handoff_seconds=handoff, solver_seconds=t2 - t1,
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

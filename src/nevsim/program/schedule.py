"""The precedence network in topological order, and the critical-path passes over it.

Times are working days from the program's start. A duration array has one row per task and
one column per sample, so the deterministic plan is the one-column case of the Monte Carlo
and both use the same compiled steps (`_earliest`, `_latest`). Links are kept as compressed
rows (each task's incoming or outgoing links side by side), walked sample by sample; the
samples of one task lie side by side, so neighbouring samples share cache lines.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
from numba import njit

from nevsim.program.model import LinkType, Program

FS, SS, FF, SF = range(4)
_KIND = {LinkType.FS: FS, LinkType.SS: SS, LinkType.FF: FF, LinkType.SF: SF}


@dataclass(frozen=True)
class Links:
    """Each task's links to others: those of task j are at ptr[j]:ptr[j + 1]."""

    ptr: np.ndarray
    other: np.ndarray
    kind: np.ndarray
    lag: np.ndarray

    @staticmethod
    def of(tasks: int, rows: list[tuple[int, int, int, float]]) -> Links:
        """From (task, other task, kind, lag) rows, in the order given within a task."""
        rows = sorted(rows, key=lambda r: r[0])
        counts = np.bincount(np.asarray([r[0] for r in rows], dtype=np.int64),
                             minlength=tasks) if rows else np.zeros(tasks, dtype=np.int64)
        ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        return Links(ptr, np.asarray([r[1] for r in rows], dtype=np.int64),
                     np.asarray([r[2] for r in rows], dtype=np.int64),
                     np.asarray([r[3] for r in rows], dtype=np.float64))

    def of_task(self, j: int) -> list[tuple[int, int, float]]:
        """Task j's links as (other task, kind, lag)."""
        return [(int(self.other[k]), int(self.kind[k]), float(self.lag[k]))
                for k in range(self.ptr[j], self.ptr[j + 1])]


@dataclass(frozen=True)
class Precedence:
    """Tasks renumbered in a topological order (ties keep the declared order)."""

    names: list[str]
    declared: np.ndarray  # position in the program's task list, per topological position
    preds: Links
    succs: Links
    sop: int
    drives_sop: np.ndarray  # bool: the task is SOP or leads to it through links

    @property
    def size(self) -> int:
        """The number of tasks."""
        return len(self.names)


def precedence(program: Program) -> Precedence:
    """Order the tasks so that every link points forward (the checks exclude cycles)."""
    declared = program.task_names()
    index = {name: i for i, name in enumerate(declared)}
    edges = [(index[k.before], index[k.after], _KIND[k.type], k.lag) for k in program.links]
    indegree = [0] * len(declared)
    out: list[list[int]] = [[] for _ in declared]
    for a, b, _, _ in edges:
        indegree[b] += 1
        out[a].append(b)
    ready = [i for i, d in enumerate(indegree) if d == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        node = heapq.heappop(ready)
        order.append(node)
        for b in out[node]:
            indegree[b] -= 1
            if indegree[b] == 0:
                heapq.heappush(ready, b)
    if len(order) != len(declared):
        raise ValueError("the links form a cycle")  # the checks report it, located
    position = {node: p for p, node in enumerate(order)}
    size = len(order)
    preds = Links.of(size, [(position[b], position[a], kind, lag) for a, b, kind, lag in edges])
    succs = Links.of(size, [(position[a], position[b], kind, lag) for a, b, kind, lag in edges])
    sop = position[index[program.sop]]
    drives = np.zeros(size, dtype=bool)
    drives[sop] = True
    for p in range(sop, -1, -1):
        if drives[p]:
            drives[preds.other[preds.ptr[p]:preds.ptr[p + 1]]] = True
    return Precedence([declared[i] for i in order], np.asarray(order, dtype=np.int64),
                      preds, succs, sop, drives)


def forward(preds: Links, durations: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Early start and finish of every task (rows) in every sample (columns)."""
    d = np.ascontiguousarray(durations, dtype=np.float64)
    start = np.empty_like(d)
    finish = np.empty_like(d)
    _forward(d, preds.ptr, preds.other, preds.kind, preds.lag, start, finish)
    return start, finish


def backward(net: Precedence, durations: np.ndarray, finish: np.ndarray) -> np.ndarray:
    """Late finish of every task towards SOP (NaN for tasks that do not lead to it)."""
    d = np.ascontiguousarray(durations, dtype=np.float64)
    late = np.empty_like(d)
    s = net.succs
    _backward(d, np.ascontiguousarray(finish), s.ptr, s.other, s.kind, s.lag, net.sop,
              net.drives_sop, late)
    return late


def sample_pass(net: Precedence, durations: np.ndarray,
                tolerance: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Both passes for Monte Carlo samples: finishes (float32), SOP and critical counts.

    A task is critical in a sample when its total float is at most tolerance x max(SOP, 1)
    working days.

    The late dates are worked out sample by sample and not kept, which saves memory.
    """
    d = np.ascontiguousarray(durations, dtype=np.float64)
    finish = np.empty(d.shape, dtype=np.float32)
    sop = np.empty(d.shape[1])
    critical = np.zeros(d.shape[0], dtype=np.int64)
    p, s = net.preds, net.succs
    _sample_pass(d, p.ptr, p.other, p.kind, p.lag, s.ptr, s.other, s.kind, s.lag, net.sop,
                 net.drives_sop, tolerance, finish, sop, critical)
    return finish, sop, critical


@njit(cache=True, inline="always")
def _earliest(j: int, s: int, d: np.ndarray, start: np.ndarray, finish: np.ndarray,
              ptr: np.ndarray, other: np.ndarray, kind: np.ndarray, lag: np.ndarray) -> float:
    """The earliest start of task j in sample s, given its predecessors' dates."""
    earliest = 0.0  # nothing starts before the program
    dj = d[j, s]
    for k in range(ptr[j], ptr[j + 1]):
        i = other[k]
        if kind[k] == 0:  # FS: j starts after i finishes
            bound = finish[i, s] + lag[k]
        elif kind[k] == 1:  # SS: j starts after i starts
            bound = start[i, s] + lag[k]
        elif kind[k] == 2:  # FF: j finishes after i finishes
            bound = finish[i, s] + lag[k] - dj
        else:  # SF: j finishes after i starts
            bound = start[i, s] + lag[k] - dj
        if bound > earliest:
            earliest = bound
    return earliest


@njit(cache=True, inline="always")
def _latest(i: int, s: int, d: np.ndarray, late: np.ndarray, ptr: np.ndarray,
            other: np.ndarray, kind: np.ndarray, lag: np.ndarray, drives: np.ndarray) -> float:
    """The latest finish of task i in sample s that delays no successor leading to SOP."""
    di = d[i, s]
    latest = np.inf
    for k in range(ptr[i], ptr[i + 1]):
        j = other[k]
        if not drives[j]:
            continue
        if kind[k] == 0:  # FS: i finishes before j starts
            bound = late[j, s] - d[j, s] - lag[k]
        elif kind[k] == 1:  # SS: i starts before j starts
            bound = late[j, s] - d[j, s] - lag[k] + di
        elif kind[k] == 2:  # FF: i finishes before j finishes
            bound = late[j, s] - lag[k]
        else:  # SF: i starts before j finishes
            bound = late[j, s] - lag[k] + di
        if bound < latest:
            latest = bound
    return latest


@njit(cache=True, nogil=True)
def _forward(d: np.ndarray, ptr: np.ndarray, other: np.ndarray, kind: np.ndarray,
             lag: np.ndarray, start: np.ndarray, finish: np.ndarray) -> None:
    """Early dates, sample by sample, task by task in topological order."""
    tasks, samples = d.shape
    for s in range(samples):
        for j in range(tasks):
            start[j, s] = _earliest(j, s, d, start, finish, ptr, other, kind, lag)
            finish[j, s] = start[j, s] + d[j, s]


@njit(cache=True, nogil=True)
def _backward(d: np.ndarray, finish: np.ndarray, ptr: np.ndarray, other: np.ndarray,
              kind: np.ndarray, lag: np.ndarray, sop: int, drives: np.ndarray,
              late: np.ndarray) -> None:
    """Late finishes towards SOP, sample by sample, in reverse topological order."""
    tasks, samples = d.shape
    for s in range(samples):
        for i in range(tasks - 1, -1, -1):
            if i == sop:
                late[i, s] = finish[i, s]
            elif i > sop or not drives[i]:
                late[i, s] = np.nan
            else:
                late[i, s] = _latest(i, s, d, late, ptr, other, kind, lag, drives)


@njit(cache=True, nogil=True)
def _sample_pass(d: np.ndarray, p_ptr: np.ndarray, p_other: np.ndarray, p_kind: np.ndarray,
                 p_lag: np.ndarray, s_ptr: np.ndarray, s_other: np.ndarray,
                 s_kind: np.ndarray, s_lag: np.ndarray, sop: int, drives: np.ndarray,
                 tolerance: float, finish_out: np.ndarray, sop_out: np.ndarray,
                 critical: np.ndarray) -> None:
    """Both passes per sample on one sample's worth of scratch (columns of width 1)."""
    tasks, samples = d.shape
    row = np.empty((tasks, 1))
    start = np.empty((tasks, 1))
    finish = np.empty((tasks, 1))
    late = np.empty((tasks, 1))
    for s in range(samples):
        for j in range(tasks):
            row[j, 0] = d[j, s]
        for j in range(tasks):
            start[j, 0] = _earliest(j, 0, row, start, finish, p_ptr, p_other, p_kind, p_lag)
            finish[j, 0] = start[j, 0] + row[j, 0]
            finish_out[j, s] = finish[j, 0]
        end = finish[sop, 0]
        sop_out[s] = end
        slack = tolerance * max(end, 1.0)
        late[sop, 0] = end
        critical[sop] += 1
        for i in range(sop - 1, -1, -1):
            if drives[i]:
                late[i, 0] = _latest(i, 0, row, late, s_ptr, s_other, s_kind, s_lag, drives)
                if late[i, 0] - finish[i, 0] <= slack:
                    critical[i] += 1


def resource_pass(preds: Links, order: np.ndarray, uses: np.ndarray, capacity: np.ndarray,
                  durations: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and finish of every task when tasks compete for resources of limited capacity.

    The serial schedule-generation scheme: tasks in `order` (a topological order by
    priority), each at the earliest time its links allow at which every resource it uses has
    the units free for its whole duration; nothing already placed moves.
    """
    d = np.ascontiguousarray(durations, dtype=np.float64)
    start = np.empty_like(d)
    finish = np.empty_like(d)
    _resource_pass(d, preds.ptr, preds.other, preds.kind, preds.lag, order,
                   np.ascontiguousarray(uses, dtype=np.int64),
                   np.ascontiguousarray(capacity, dtype=np.int64), start, finish)
    return start, finish


@njit(cache=True, nogil=True)
def _resource_pass(d: np.ndarray, ptr: np.ndarray, other: np.ndarray, kind: np.ndarray,
                   lag: np.ndarray, order: np.ndarray, uses: np.ndarray,
                   capacity: np.ndarray, start: np.ndarray, finish: np.ndarray) -> None:
    tasks, samples = d.shape
    resources = capacity.shape[0]
    needs = np.zeros(tasks, dtype=np.bool_)
    for j in range(tasks):
        for r in range(resources):
            if uses[j, r] > 0:
                needs[j] = True
    held = np.empty(tasks, dtype=np.int64)  # tasks placed that hold resources, this sample
    for s in range(samples):
        placed = 0
        for q in range(tasks):
            j = order[q]
            t = _earliest(j, s, d, start, finish, ptr, other, kind, lag)
            dj = d[j, s]
            if needs[j] and dj > 0:
                while True:
                    clash = False
                    for r in range(resources):
                        if uses[j, r] == 0:
                            continue
                        # usage peaks at the window's start or where a held interval starts
                        for p in range(-1, placed):
                            at = t if p < 0 else start[held[p], s]
                            if at < t or at >= t + dj:
                                continue
                            used = uses[j, r]
                            for k in range(placed):
                                other_task = held[k]
                                if start[other_task, s] <= at < finish[other_task, s]:
                                    used += uses[other_task, r]
                            if used > capacity[r]:
                                clash = True
                                break
                        if clash:
                            break
                    if not clash:
                        break
                    later = np.inf  # try again when the next held interval ends
                    for k in range(placed):
                        end = finish[held[k], s]
                        if t < end < later:
                            later = end
                    t = later
                held[placed] = j
                placed += 1
            start[j, s] = t
            finish[j, s] = t + dj


def free_float(net: Precedence, durations: np.ndarray, start: np.ndarray,
               finish: np.ndarray) -> np.ndarray:
    """How far each task leading to SOP can slip without moving any successor's early dates."""
    slack = np.full_like(durations, np.nan)
    slack[net.sop] = 0.0
    for i in range(net.sop):
        if not net.drives_sop[i]:
            continue
        free = np.full(durations.shape[1], np.inf)
        for j, kind, lag in net.succs.of_task(i):
            if not net.drives_sop[j]:
                continue
            if kind == FS:
                room = start[j] - lag - finish[i]
            elif kind == SS:
                room = start[j] - lag - start[i]
            elif kind == FF:
                room = finish[j] - lag - finish[i]
            else:
                room = finish[j] - lag - start[i]
            np.minimum(free, room, out=free)
        slack[i] = free
    return slack

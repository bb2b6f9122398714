"""The precedence network in topological order, and the critical-path passes over it.

Times are working days from the program's start. The passes are vectorized over samples:
a duration array has one row per task and one column per sample, so the deterministic plan
is the one-column case of the Monte Carlo and both use the same code.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from nevsim.program.model import LinkType, Program

FS, SS, FF, SF = range(4)
_KIND = {LinkType.FS: FS, LinkType.SS: SS, LinkType.FF: FF, LinkType.SF: SF}

Edge = tuple[int, int, float]
"""(the other task's position, link kind, lag)."""


@dataclass(frozen=True)
class Precedence:
    """Tasks renumbered in a topological order (ties keep the declared order)."""

    names: list[str]
    declared: np.ndarray  # position in the program's task list, per topological position
    preds: list[list[Edge]]
    succs: list[list[Edge]]
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
    preds: list[list[Edge]] = [[] for _ in order]
    succs: list[list[Edge]] = [[] for _ in order]
    for a, b, kind, lag in edges:
        preds[position[b]].append((position[a], kind, lag))
        succs[position[a]].append((position[b], kind, lag))
    sop = position[index[program.sop]]
    drives = np.zeros(len(order), dtype=bool)
    drives[sop] = True
    for p in range(sop, -1, -1):
        if drives[p]:
            for q, _, _ in preds[p]:
                drives[q] = True
    return Precedence([declared[i] for i in order], np.asarray(order, dtype=np.int64),
                      preds, succs, sop, drives)


def forward(preds: list[list[Edge]], durations: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Early start and finish of every task in every sample (no start before the program's).

    `preds` lists each task's incoming links; tasks are in topological order.
    """
    start = np.empty_like(durations)
    finish = np.empty_like(durations)
    for j, links in enumerate(preds):
        earliest = np.zeros(durations.shape[1:], dtype=durations.dtype)
        d = durations[j]
        for i, kind, lag in links:
            if kind == FS:
                bound = finish[i] + lag
            elif kind == SS:
                bound = start[i] + lag
            elif kind == FF:
                bound = finish[i] + lag - d
            else:
                bound = start[i] + lag - d
            np.maximum(earliest, bound, out=earliest)
        start[j] = earliest
        finish[j] = earliest + d
    return start, finish


def backward(net: Precedence, durations: np.ndarray, finish: np.ndarray) -> np.ndarray:
    """Late finish of every task that leads to SOP, without delaying SOP (NaN for the others)."""
    late = np.full_like(durations, np.nan)
    late[net.sop] = finish[net.sop]
    for i in range(net.sop - 1, -1, -1):
        if not net.drives_sop[i]:
            continue
        d = durations[i]
        latest = np.full(durations.shape[1:], np.inf, dtype=durations.dtype)
        for j, kind, lag in net.succs[i]:
            if not net.drives_sop[j]:
                continue
            if kind == FS:
                bound = late[j] - durations[j] - lag
            elif kind == SS:
                bound = late[j] - durations[j] - lag + d
            elif kind == FF:
                bound = late[j] - lag
            else:
                bound = late[j] - lag + d
            np.minimum(latest, bound, out=latest)
        late[i] = latest
    return late


def free_float(net: Precedence, durations: np.ndarray, start: np.ndarray,
               finish: np.ndarray) -> np.ndarray:
    """How far each task leading to SOP can slip without moving any successor's early dates."""
    slack = np.full_like(durations, np.nan)
    slack[net.sop] = 0.0
    for i in range(net.sop):
        if not net.drives_sop[i]:
            continue
        free = np.full(durations.shape[1:], np.inf, dtype=durations.dtype)
        for j, kind, lag in net.succs[i]:
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

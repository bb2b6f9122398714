"""A local process pool for independent tasks, results in task order, progress as they finish.

Tasks must be independent and carry their own seeds, so the answer does not depend on the
number of workers or on the order in which they finish. How many workers pay off is measured,
not assumed: the first task runs here and is timed, and the cores other programs keep busy
(the load average) do not count as free.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

START_SECONDS = 0.3
"""What starting a worker process and shipping its results back costs, about (measured with
`make bench` on yizhuang)."""

GAIN = 0.8
"""Parallel runs must promise at most this share of the serial time to be chosen."""


def free_cores() -> int:
    """Cores this process may use that other programs are not already keeping busy."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except OSError:
        busy = 0.0
    # this process is part of the load while it runs: count it as free
    return max(1, min(usable, math.floor(usable - busy + 1.0 + 0.5)))


def choose_workers(tasks: int, seconds_per_task: float, cores: int | None = None) -> int:
    """Workers that finish `tasks` tasks of this length soonest, if clearly sooner than one."""
    cores = free_cores() if cores is None else cores
    serial = tasks * seconds_per_task
    best, best_time = 1, serial
    for workers in range(2, min(cores, tasks) + 1):
        parallel = START_SECONDS * workers + math.ceil(tasks / workers) * seconds_per_task
        if parallel < GAIN * serial and parallel < best_time:
            best, best_time = workers, parallel
    return best


@dataclass(frozen=True)
class Outcome(Generic[R]):
    """Results in task order, and how many workers produced them."""

    results: list[R]
    workers: int


def run_tasks(
    fn: Callable[[T], R],
    tasks: Sequence[T],
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Outcome[R]:
    """fn(task) for every task, in task order.

    `workers` None measures the first task here and picks the workers for the rest
    (`choose_workers`); a number fixes them.
    """
    total = len(tasks)
    results: list[R] = []
    if workers is None and total > 1:
        started = time.perf_counter()
        results.append(fn(tasks[0]))
        if progress is not None:
            progress(1, total)
        workers = choose_workers(total - 1, time.perf_counter() - started)
    workers = max(1, workers or 1)
    rest = tasks[len(results):]
    if workers == 1 or len(rest) < 2:
        for task in rest:
            results.append(fn(task))
            if progress is not None:
                progress(len(results), total)
        return Outcome(results, 1 if len(rest) < 2 else workers)
    # fork keeps the compiled kernels of the parent; elsewhere fall back to spawn
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    out: list[R | None] = [None] * len(rest)
    first = len(results)
    with ProcessPoolExecutor(max_workers=workers,
                             mp_context=multiprocessing.get_context(method)) as pool:
        futures = {pool.submit(fn, task): i for i, task in enumerate(rest)}
        for done, future in enumerate(as_completed(futures), start=1):
            out[futures[future]] = future.result()
            if progress is not None:
                progress(first + done, total)
    return Outcome(results + [r for r in out if r is not None], workers)

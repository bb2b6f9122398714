"""A local process pool for independent tasks, results in task order, progress as they finish.

Tasks must be independent and carry their own seeds, so the answer does not depend on the
number of workers or on the order in which they finish.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this much estimated work, starting processes costs more than it saves.
MIN_PARALLEL_SECONDS = 4.0


def default_workers(tasks: int, estimated_seconds: float) -> int:
    """Worker processes worth starting for `tasks` tasks of about this much total work."""
    if tasks < 2 or estimated_seconds < MIN_PARALLEL_SECONDS:
        return 1
    return max(1, min(tasks, os.cpu_count() or 1))


def run_tasks(
    fn: Callable[[T], R],
    tasks: Sequence[T],
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> list[R]:
    """fn(task) for every task, in task order; in `workers` processes when more than one."""
    total = len(tasks)
    if workers <= 1 or total < 2:
        results = []
        for i, task in enumerate(tasks):
            results.append(fn(task))
            if progress is not None:
                progress(i + 1, total)
        return results
    # fork keeps the compiled kernels of the parent; elsewhere fall back to spawn
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    out: list[R | None] = [None] * total
    with ProcessPoolExecutor(max_workers=workers,
                             mp_context=multiprocessing.get_context(method)) as pool:
        futures = {pool.submit(fn, task): i for i, task in enumerate(tasks)}
        for done, future in enumerate(as_completed(futures), start=1):
            out[futures[future]] = future.result()
            if progress is not None:
                progress(done, total)
    return [r for r in out if r is not None]

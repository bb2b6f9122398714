"""Where independent tasks run: the local process pool, or a Dask distributed cluster.

Every long job (replications, sweeps, experiments, coalition plans) hands a list of tasks to
an executor and gets the results back in task order. Tasks carry their own seeds, so the
numbers do not depend on the executor, the number of workers or the order they finish in;
a cluster that loses a worker runs that worker's tasks again elsewhere and returns the same
results.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from nevsim.experiments.pool import run_tasks
from nevsim.scenario.errors import Problem, UsageError

T = TypeVar("T")
R = TypeVar("R")
Progress = Callable[[int, int], None]

ENV_CLUSTER = "NEVSIM_CLUSTER"
"""The environment variable naming a Dask scheduler (tcp://HOST:PORT) or `local`."""

RETRIES = 2
"""Times a cluster may run a task again after an error on a worker (a worker that dies
mid-task has its tasks rescheduled by Dask on its own, without counting here)."""


class Executor(Protocol):
    """Runs fn over tasks and returns the results in task order."""

    name: str

    def map(self, fn: Callable[[T], R], tasks: Sequence[T],
            progress: Progress | None = None) -> list[R]:
        """fn(task) for every task, in task order."""
        ...

    @property
    def workers(self) -> int:
        """How many workers the last map used (or the cluster has)."""
        ...


@dataclass
class LocalPool:
    """The local process pool: a fixed number of workers, or as many as pay off."""

    requested: int | None = None
    name: str = "local pool"
    _used: int = 1

    def map(self, fn: Callable[[T], R], tasks: Sequence[T],
            progress: Progress | None = None) -> list[R]:
        """Run the tasks on local processes (`nevsim.experiments.pool.run_tasks`)."""
        done = run_tasks(fn, tasks, workers=self.requested, progress=progress)
        self._used = done.workers
        return done.results

    @property
    def workers(self) -> int:
        """Processes the last map used."""
        return self._used


class DaskCluster:
    """A Dask distributed cluster: an existing scheduler, or a LocalCluster started here."""

    def __init__(self, address: str, workers: int | None = None) -> None:
        from distributed import Client, LocalCluster

        self.address = address
        self._cluster: Any = None
        if address == "local":
            self._cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers or 2, threads_per_worker=1, processes=True,
                dashboard_address=None)
            self.client = Client(self._cluster)  # type: ignore[no-untyped-call]
            self.name = "Dask LocalCluster"
        else:
            try:
                self.client = Client(address, timeout="10s")  # type: ignore[no-untyped-call]
            except (OSError, TimeoutError, ValueError) as exc:
                raise UsageError([Problem("--cluster", f"cannot reach the Dask scheduler at "
                                          f"{_shown(address)}: {_masked(str(exc), address)}; "
                                          "start one with "
                                          "`dask scheduler` and `dask worker ADDRESS`",
                                          _shown(address))]) from None
            self.name = f"Dask cluster at {_shown(address)}"

    def map(self, fn: Callable[[T], R], tasks: Sequence[T],
            progress: Progress | None = None) -> list[R]:
        """Submit the tasks in batches, gather the results in task order as they finish.

        A batch is a few tasks run one after another on a worker: Dask spends about 10 ms
        scheduling each piece of work, as much as a short replication takes.
        """
        from distributed import as_completed

        if not tasks:
            return []
        size = max(1, min(BATCH, len(tasks) // (BATCHES_A_WORKER * max(self.workers, 1))))
        batches = [list(tasks[i:i + size]) for i in range(0, len(tasks), size)]
        futures = self.client.map(_run_batch, [(fn, b) for b in batches], pure=False,
                                  retries=RETRIES)
        index = {f.key: i for i, f in enumerate(futures)}
        out: list[Any] = [None] * len(batches)
        finished = as_completed(futures)  # type: ignore[no-untyped-call]
        done = 0
        for future in finished:
            i = index[future.key]
            out[i] = future.result()
            done += len(batches[i])
            if progress is not None:
                progress(done, len(tasks))
        return [result for batch in out for result in batch]

    @property
    def workers(self) -> int:
        """Workers the scheduler knows now."""
        return len(self.client.scheduler_info(n_workers=-1).get("workers", {}))

    def close(self) -> None:
        """Let go of the client (and stop a LocalCluster started here)."""
        self.client.close()  # type: ignore[no-untyped-call]
        if self._cluster is not None:
            self._cluster.close()


BATCH = 16
"""Most tasks a cluster batch holds."""

BATCHES_A_WORKER = 4
"""Batches per worker at least, so that a slow or lost worker leaves little to redo."""


def _run_batch(job: tuple[Callable[[Any], Any], list[Any]]) -> list[Any]:
    """Run a batch of tasks on a worker, in order."""
    fn, batch = job
    return [fn(task) for task in batch]


def _shown(address: str) -> str:
    """An address without the credentials it may carry (`tls://user:secret@host`)."""
    scheme, sep, rest = address.partition("://")
    if not sep:
        scheme, rest = "", address
    if "@" in rest:
        rest = "***@" + rest.split("@", 1)[1]
    return f"{scheme}{sep}{rest}"


def _masked(text: str, address: str) -> str:
    """A message with the address's credentials blanked out."""
    rest = address.partition("://")[2] or address
    if "@" in rest:
        text = text.replace(rest.split("@", 1)[0], "***")
    return text


def executor(cluster: str | None = None, workers: int | None = None) -> LocalPool | DaskCluster:
    """The executor a run asks for: `cluster` (or $NEVSIM_CLUSTER), else the local pool."""
    address = cluster or os.environ.get(ENV_CLUSTER) or None
    if address is None:
        return LocalPool(workers)
    return DaskCluster(address, workers)


def close(runner: LocalPool | DaskCluster) -> None:
    """Release what an executor holds (a cluster client); the local pool holds nothing."""
    if isinstance(runner, DaskCluster):
        runner.close()

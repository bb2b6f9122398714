"""Workers are chosen from measured work and free cores; results never depend on them."""

from __future__ import annotations

import os

import pytest

from nevsim.experiments import choose_workers, free_cores, run_tasks
from nevsim.experiments.pool import GAIN, START_SECONDS


def _square(x: int) -> int:
    return x * x


@pytest.mark.parametrize(("tasks", "seconds", "cores", "expected"), [
    (40, 2.0, 2, 2),     # long tasks, two free cores: both
    (40, 2.0, 1, 1),     # a loaded machine: one free core, one worker
    (3, 0.01, 2, 1),     # short work: starting processes would cost more than it saves
    (1, 60.0, 2, 1),     # a single task cannot be split
    (9, 1.0, 8, 5),      # nine tasks take two rounds on 5 to 8 workers: the fewest to start
])
def test_workers_are_chosen_from_the_measured_work(tasks: int, seconds: float, cores: int,
                                                   expected: int) -> None:
    chosen = choose_workers(tasks, seconds, cores)
    assert chosen == expected
    if chosen > 1:  # the promise behind the choice
        parallel = START_SECONDS * chosen + -(-tasks // chosen) * seconds
        assert parallel < GAIN * tasks * seconds


def test_free_cores_is_within_what_the_process_may_use() -> None:
    assert 1 <= free_cores() <= (os.cpu_count() or 1)


@pytest.mark.parametrize("workers", [None, 1, 2])
def test_results_come_back_in_task_order(workers: int | None) -> None:
    done: list[int] = []
    outcome = run_tasks(_square, list(range(7)), workers,
                        progress=lambda n, total: done.append(n))
    assert outcome.results == [x * x for x in range(7)]
    assert done[-1] == 7 and sorted(done) == done
    assert outcome.workers >= 1

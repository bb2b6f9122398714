"""Solves with changing thread counts, and in forked workers, succeed.

HiGHS keeps one thread pool per process; both once failed with a numerical-trouble error.
"""

from __future__ import annotations

import pytest

from nevsim.experiments.pool import run_tasks
from nevsim.network.model import Network
from nevsim.network.planning import plan
from tests.network.builders import base


def _profit(threads: int | None) -> float | None:
    net = Network.model_validate(base())
    result = plan(net, threads=threads)
    assert result.has_plan, result.explanation
    return result.profit


def test_thread_counts_may_change_between_solves() -> None:
    found = [_profit(threads) for threads in (None, 1, 2, None, 1)]
    assert found == pytest.approx([found[0]] * len(found))


def test_forked_workers_solve_after_the_parent_did() -> None:
    here = _profit(None)
    there = run_tasks(_profit, [1, None, 1], workers=2).results
    assert there == pytest.approx([here] * 3)

"""Car sequencing against hand counts and CSPLib's published results (problem 001)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nevsim.factory.sequencing import Instance, read_csplib, solve, violations

DATA = Path(__file__).resolve().parents[1] / "data" / "car-sequencing" / "instances.txt"


def _recount(order: list[int], instance: Instance) -> int:
    """Violations counted window by window, as written in the problem (no running sums)."""
    found = 0
    for k, (h, n) in enumerate(instance.rules):
        for start in range(len(order) - n + 1):
            found += sum(instance.options[c][k] for c in order[start:start + n]) > h
    return found


def test_violations_of_a_fixed_sequence_counted_by_hand() -> None:
    """Option 1 at 1:2 and option 2 at 2:3; classes a (option 1), b (both), c (none).

    Sequence a b b c a: option 1 marks 1 1 1 0 1, windows of 2: [1,1] [1,1] [1,0] [0,1],
    two over 1; option 2 marks 0 1 1 0 0, windows of 3: 2 2 1, none over 2. Total 2.
    """
    instance = Instance("hand", [2, 2, 1], [[1, 0], [1, 1], [0, 0]], [(1, 2), (2, 3)])
    assert violations([0, 1, 1, 2, 0], instance) == 2
    assert _recount([0, 1, 1, 2, 0], instance) == 2
    assert violations([1, 2, 0, 2, 0], instance) == _recount([1, 2, 0, 2, 0], instance)


def test_csplib_file_reads_with_its_ratios() -> None:
    instances = {i.name: i for i in read_csplib(DATA.read_text())}
    assert set(instances) == {"19/71", "60-01", "90-05"}
    hard = instances["19/71"]
    assert hard.cars == 100 and hard.rules == [(1, 2), (2, 3), (1, 3), (2, 5), (1, 5)]
    assert instances["60-01"].cars == 200 and len(instances["60-01"].rules) == 5


@pytest.mark.parametrize("name", ["60-01", "90-05"])
def test_satisfiable_instances_are_sequenced_without_violation(name: str) -> None:
    """CSPLib: the 200-car instances 60-01 ... 90-10 are all satisfiable."""
    instance = next(i for i in read_csplib(DATA.read_text()) if i.name == name)
    found = solve(instance, seed=1)
    assert found.violations == 0 == _recount(found.order, instance)
    assert sorted(found.order) == sorted(c for c, n in enumerate(instance.counts)
                                         for _ in range(n))


def test_an_infeasible_instance_reaches_its_proven_optimum() -> None:
    """19/71 has no sequence without violations; 2 is optimal (CSPLib's results page)."""
    instance = next(i for i in read_csplib(DATA.read_text()) if i.name == "19/71")
    found = solve(instance, seed=1, moves=20_000_000)
    assert found.violations == 2 == _recount(found.order, instance)
    again = solve(instance, seed=1, moves=20_000_000)
    assert again.order == found.order  # the same seed and moves, the same sequence

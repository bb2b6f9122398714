"""Car sequencing against hand counts, an independent recount, exact optima and public instances.

CSPLib problem 001 (published optima) and a ROADEF 2005 Renault instance (against the
sequence Renault gave and the lower bounds the paint batches set).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nevsim.factory.sequence_files import read_csplib, read_roadef
from nevsim.factory.sequencing import (
    Counting,
    Instance,
    Problem,
    Rule,
    optimize,
    score,
    solve,
    violations,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "car-sequencing" / "instances.txt"
RENAULT = Path(__file__).resolve().parents[1] / "data" / "roadef2005" / "064_38_2_EP_RAF_ENP_ch2"


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
    order, found = solve(instance, seed=1)
    assert found == 0 == _recount(order, instance)
    assert sorted(order) == sorted(c for c, n in enumerate(instance.counts)
                                         for _ in range(n))


def test_an_infeasible_instance_reaches_its_proven_optimum() -> None:
    """19/71 has no sequence without violations; 2 is optimal (CSPLib's results page)."""
    instance = next(i for i in read_csplib(DATA.read_text()) if i.name == "19/71")
    order, found = solve(instance, seed=1, moves=2_000_000)
    assert found == 2 == _recount(order, instance)
    again, _ = solve(instance, seed=1, moves=2_000_000)
    assert again == order  # the same seed and moves, the same sequence


def _recount_roadef(problem: Problem, order: list[int]) -> tuple[list[int], int, float, int]:
    """Excess violations per rule, colour changes, their cost and the longest batch.

    Straight from the challenge's subject: each window of N cars that holds a car of the day
    (cut short at the day's end) counts its cars over H; each neighbour pair from the last
    car of the day before on counts a change; runs count the cars before them.
    """
    n = len(order)
    marks = problem.marks[:, order]
    colours = problem.colours[order]
    found = []
    for k, rule in enumerate(problem.rules):
        total = 0
        for start in range(n):
            cars = range(start, min(start + rule.window, n))
            if max(cars) < problem.fixed:
                continue  # the day before only
            total += max(0, sum(int(marks[k, q]) for q in cars) - rule.most)
        found.append(total)
    pairs = [(int(colours[q - 1]), int(colours[q])) for q in range(max(1, problem.fixed), n)]
    changes = sum(a != b for a, b in pairs)
    cost = sum(float(problem.costs()[a, b]) for a, b in pairs)
    longest = 0
    for q in range(problem.fixed, n):
        run = 1
        while q - run >= 0 and colours[q - run] == colours[q]:
            run += 1
        longest = max(longest, run)
    return found, changes, cost, longest


def _random_problem(seed: int) -> Problem:
    rng = np.random.default_rng(seed)
    cars = int(rng.integers(8, 30))
    rules = [Rule(f"o{k}", int(rng.integers(1, 3)), int(rng.integers(2, 6)), k % 2)
             for k in range(3)]
    change = rng.integers(1, 4, size=(3, 3)).astype(float)
    np.fill_diagonal(change, 0.0)
    return Problem(f"random {seed}", rng.integers(0, 2, size=(3, cars)), rules,
                   colours=rng.integers(0, 3, size=cars), colour_names=["a", "b", "c"],
                   change_cost=change, colour_rank=1, batch_limit=0,
                   fixed=int(rng.integers(0, 6)), weights=(1000.0, 1.0),
                   counting=Counting.EXCESS)


@pytest.mark.parametrize("seed", range(12))
def test_scores_agree_with_a_recount_from_the_definition(seed: int) -> None:
    problem = _random_problem(seed)
    rng = np.random.default_rng(seed + 100)
    order = list(range(problem.fixed)) + list(problem.fixed + rng.permutation(
        problem.cars - problem.fixed))
    got = score(problem, order)
    excess, changes, cost, longest = _recount_roadef(problem, order)
    assert list(got.violations.values()) == excess
    assert (got.colour_changes, got.change_cost, got.longest_batch) == (changes, cost, longest)
    ranks = [sum(e for e, r in zip(excess, problem.rules, strict=True) if r.rank == 0),
             sum(e for e, r in zip(excess, problem.rules, strict=True) if r.rank == 1) + cost]
    assert got.objective == 1000.0 * ranks[0] + ranks[1]


def test_excess_and_colours_counted_by_hand() -> None:
    """One car built yesterday (red, option), then four: red+o, blue+o, blue, red+o.

    Rule 1:2 over marks 1 | 1 1 0 1: windows [1,1] [1,1] [1,0] [0,1] [1] hold 2 2 1 1 1
    cars, so 1 + 1 = 2 cars over. Colours red | red blue blue red: 2 changes, the longest
    batch 2 (yesterday's red and today's first). Cost blue->red 5, red->blue 1: 6.
    """
    problem = Problem("hand", np.array([[1, 1, 1, 0, 1]]), [Rule("o", 1, 2)],
                      colours=np.array([0, 0, 1, 1, 0]), colour_names=["red", "blue"],
                      change_cost=np.array([[0.0, 1.0], [5.0, 0.0]]), colour_rank=0,
                      fixed=1, weights=(1.0,), counting=Counting.EXCESS)
    got = score(problem, [0, 1, 2, 3, 4])
    assert got.violations == {"o": 2}
    assert (got.colour_changes, got.change_cost, got.longest_batch) == (2, 6.0, 2)
    assert got.objective == 8.0


def test_paint_only_reaches_the_fewest_batches_the_limit_allows() -> None:
    """With no option rules, the fewest changes are one batch per limit's worth of a colour.

    36 red, 25 blue and 7 white cars in batches of at most 10: 4 + 3 + 1 = 8 batches, 7
    changes, and a sequence with 7 exists (red, blue, red, blue, ... then white).
    """
    colours = np.array([0] * 36 + [1] * 25 + [2] * 7)
    np.random.default_rng(3).shuffle(colours)
    problem = Problem("paint", np.zeros((0, len(colours)), dtype=np.int64), [],
                      colours=colours, colour_names=["red", "blue", "white"], colour_rank=0,
                      batch_limit=10, weights=(1.0,), counting=Counting.EXCESS)
    found = optimize(problem, seed=2, moves=2_000_000)
    assert found.score.colour_changes == 7
    assert found.score.longest_batch <= 10


def test_dark_to_light_dearer_than_light_to_dark_orders_the_batches() -> None:
    """Two light and two dark batches of 5 (limit 5); light->dark costs 1, dark->light 5.

    Alternating runs are forced: light dark light dark costs 1 + 5 + 1 = 7, dark light dark
    light 5 + 1 + 5 = 11. The search must find 7.
    """
    colours = np.array([0, 1] * 10)
    problem = Problem("asymmetric", np.zeros((0, 20), dtype=np.int64), [], colours=colours,
                      colour_names=["light", "dark"],
                      change_cost=np.array([[0.0, 1.0], [5.0, 0.0]]), colour_rank=0,
                      batch_limit=5, weights=(1.0,), counting=Counting.EXCESS)
    found = optimize(problem, seed=1, moves=200_000)
    assert found.score.change_cost == 7.0
    assert found.score.longest_batch == 5


def test_a_renault_instance_is_read_as_published() -> None:
    problem = read_roadef(RENAULT)
    assert (problem.cars, problem.fixed, problem.batch_limit) == (434, 99, 15)
    assert [(r.name, r.most, r.window, r.rank) for r in problem.rules][:2] == [
        ("HPRC1", 1, 40, 0), ("HPRC2", 1, 100, 0)]
    assert problem.rules[-1].rank == 2 and problem.colour_rank == 1
    assert len(problem.colour_names) == len(set(problem.colours.tolist()))


def test_a_renault_day_is_sequenced_better_than_renault_did() -> None:
    """064_38_2_EP_RAF_ENP_ch2: Renault's own order has 28 high-priority violations.

    The search must remove them all (a zero is a lower bound), keep the previous day's 99
    cars in front and every batch within 15, and need fewer colour changes than Renault's
    46; the paint lower bound is one batch per 15 cars of a colour, less one.
    """
    problem = read_roadef(RENAULT)
    renault = score(problem, list(range(problem.cars)))
    assert renault.by_rank[:2] == [28.0, 46.0] == [sum(_recount_roadef(
        problem, list(range(problem.cars)))[0][:4]), 46.0]
    found = optimize(problem, seed=1, moves=1_000_000)
    assert found.order[:99] == list(range(99))
    excess, changes, _, longest = _recount_roadef(problem, found.order)
    assert sum(excess[:4]) == 0 == found.score.by_rank[0]
    colours = problem.colours[problem.fixed:]
    bound = sum(-(-int((colours == c).sum()) // 15) for c in set(colours.tolist())) - 1
    assert bound <= changes == found.score.colour_changes < 46
    assert longest <= 15
    assert optimize(problem, seed=1, moves=1_000_000).order == found.order


def test_a_missing_instance_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"ratios\.txt: no such file"):
        read_roadef(tmp_path)

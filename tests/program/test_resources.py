"""Tasks competing for resources of limited capacity: small cases solved by hand."""

from __future__ import annotations

import numpy as np
import pytest

from nevsim.program import simulate
from nevsim.program.generate import generate
from nevsim.program.model import Program
from nevsim.scenario.errors import ScenarioError
from tests.program.builders import chain, program


def _sop(scenario, samples: int = 1) -> float:
    return float(simulate(scenario, samples=samples).schedule.set_index("task")
                 .loc["SOP", "finish"])


@pytest.mark.parametrize(("rigs", "sop"), [(1, 15), (2, 10), (3, 5)])
def test_tasks_queue_for_a_rig(rigs: int, sop: float) -> None:
    """Three 5-day tests, no links between them, each holding one rig."""
    s = program([{"name": n, "duration": 5, "uses": {"rig": 1}} for n in "ABC"],
                [*chain("A", "SOP"), *chain("B", "SOP"), *chain("C", "SOP")],
                resources=[{"name": "rig", "capacity": rigs}])
    assert _sop(s) == sop


def test_the_task_with_the_least_slack_goes_first() -> None:
    """P (3 days, rig) -> Q (10 days) -> SOP and R (3 days, rig) -> SOP, one rig.

    Without the rig: P 0-3, Q 3-13, R 0-3; late starts P 0, R 10. P first: P 0-3, R 3-6,
    Q 3-13, SOP 13 (R first would give 16).
    """
    s = program([{"name": "R", "duration": 3, "uses": {"rig": 1}},
                 {"name": "P", "duration": 3, "uses": {"rig": 1}},
                 {"name": "Q", "duration": 10}],
                [*chain("P", "Q", "SOP"), *chain("R", "SOP")],
                resources=[{"name": "rig", "capacity": 1}])
    table = simulate(s, samples=1).schedule.set_index("task")
    assert (table.loc["P", "start"], table.loc["R", "start"]) == (0, 3)
    assert table.loc["SOP", "finish"] == 13
    assert np.isnan(table.loc["P", "total_float"]) and np.isnan(table.loc["P", "criticality"])


def test_a_task_fits_in_a_gap_that_ends_when_another_starts() -> None:
    """W (5) -> X (3, rig) -> Z (10) -> SOP, and Y (5, rig) -> SOP; one rig.

    X has less slack and is placed first (5-8); Y fits before it, 0-5, ending exactly when X
    starts.
    """
    s = program([{"name": "W", "duration": 5}, {"name": "X", "duration": 3, "uses": {"rig": 1}},
                 {"name": "Z", "duration": 10}, {"name": "Y", "duration": 5, "uses": {"rig": 1}}],
                [*chain("W", "X", "Z", "SOP"), *chain("Y", "SOP")],
                resources=[{"name": "rig", "capacity": 1}])
    table = simulate(s, samples=1).schedule.set_index("task")
    assert (table.loc["X", "start"], table.loc["Y", "start"]) == (5, 0)
    assert table.loc["SOP", "finish"] == 18


def test_units_add_up_against_the_capacity() -> None:
    """Team of 5: A needs 3, B needs 3 (not together), C needs 2 (with either)."""
    s = program([{"name": "A", "duration": 4, "uses": {"team": 3}},
                 {"name": "B", "duration": 4, "uses": {"team": 3}},
                 {"name": "C", "duration": 8, "uses": {"team": 2}}],
                [*chain("A", "SOP"), *chain("B", "SOP"), *chain("C", "SOP")],
                resources=[{"name": "team", "capacity": 5}])
    assert _sop(s) == 8


def _respects_everything(p: Program) -> None:
    """The plan with resources: every link holds and no resource is ever over-used."""
    table = simulate(p, samples=1).schedule.set_index("task")
    start, finish = table["start"], table["finish"]
    for link in p.links:
        a, b = link.before, link.after
        bound = {"FS": finish[a] + link.lag, "SS": start[a] + link.lag,
                 "FF": finish[a] + link.lag - (finish[b] - start[b]),
                 "SF": start[a] + link.lag - (finish[b] - start[b])}[link.type.value]
        assert start[b] >= bound - 1e-9 and start[b] >= -1e-9
    capacity = {r.name: r.capacity for r in p.resources}
    for t in sorted(set(start)):
        for name, cap in capacity.items():
            used = sum(task.uses.get(name, 0) for task in p.tasks
                       if start[task.name] <= t < finish[task.name])
            assert used <= cap


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_programs_with_resources_respect_links_and_capacities(seed: int) -> None:
    base = generate(40, seed=seed, features=False)
    rng = np.random.default_rng(seed)
    tasks = [t.model_copy(update={"uses": {"team": int(rng.integers(1, 4)),
                                           **({"rig": 1} if rng.random() < 0.3 else {})}})
             if t.name != "SOP" else t for t in base.tasks]
    from nevsim.program.model import Resource

    p = base.model_copy(update={"tasks": tasks, "resources": [
        Resource(name="team", capacity=4), Resource(name="rig", capacity=1)]})
    _respects_everything(p)
    plain = simulate(base, samples=1).schedule.set_index("task").loc["SOP", "finish"]
    assert simulate(p, samples=1).schedule.set_index("task").loc["SOP", "finish"] >= plain


def test_the_monte_carlo_uses_the_same_placement() -> None:
    """Fixed durations: every sample is the plan."""
    s = program([{"name": n, "duration": 5, "uses": {"rig": 1}} for n in "ABC"],
                [*chain("A", "SOP"), *chain("B", "SOP"), *chain("C", "SOP")],
                resources=[{"name": "rig", "capacity": 1}])
    result = simulate(s, samples=50)
    assert set(result.sop_days) == {15.0}


@pytest.mark.parametrize(("uses", "message"), [
    ({"rigg": 1}, "tasks[0].uses.rigg: no such resource (did you mean 'rig'?)"),
    ({"rig": 3}, "tasks[0].uses.rig: more than the resource's capacity (2)"),
    ({"rig": 0}, "at least 1 unit"),
])
def test_bad_resource_use_is_located(uses: dict, message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        program([{"name": "A", "duration": 5, "uses": uses}], chain("A", "SOP"),
                resources=[{"name": "rig", "capacity": 2}])
    assert message in caught.value.render()

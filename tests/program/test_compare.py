"""Comparing two programs: the steps between them, by hand, and their errors."""

from __future__ import annotations

from typing import Any

import pytest

import nevsim
from nevsim.program import simulate
from nevsim.program.compare import compare, same_program, steps
from nevsim.program.model import Program
from nevsim.scenario.errors import ScenarioError
from tests.program.builders import chain, program


def _program(**fields: Any) -> Program:
    p = program(**fields).program
    assert p is not None
    return p


A = dict(tasks=[{"name": "X", "duration": 10}, {"name": "W", "duration": 4},
                {"name": "Y", "duration": 20}],
         links=[*chain("X", "W", "Y", "SOP")])


def _b(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = dict(
        tasks=[{"name": "X", "duration": 10},
               {"name": "Y", "duration": 15, "change": "faster Y"},
               {"name": "Z", "duration": 30, "change": "add Z"}],
        links=[{"from": "X", "to": "Y", "change": "drop W"}, *chain("Y", "SOP"),
               {"from": "X", "to": "Z", "type": "SS", "lag": -5, "change": "add Z"},
               {"from": "Z", "to": "SOP", "change": "add Z"}],
        changes=[{"name": "drop W", "removes": {"tasks": ["W"]}},
                 {"name": "faster Y"}, {"name": "add Z"}])
    base.update(overrides)
    return base


def _sop(p: Program) -> float:
    return float(simulate(p, samples=1).schedule.set_index("task").loc["SOP", "finish"])


def test_steps_apply_the_changes_in_order_by_hand() -> None:
    """Each step's SOP, by hand.

    A: X 10, W 4, Y 20 in series = 34. Drop W (its links go with it; X -> Y comes in): 30.
    Faster Y: 25. Add Z (starts with X, 30 long, into SOP): max(25, 30) = 30.
    """
    done = steps(_program(**A), _program(**_b()))
    assert [s.change for s in done] == ["drop W", "faster Y", "add Z"]
    assert [_sop(s.program) for s in done] == [30, 25, 30]
    assert "W" not in done[0].program.task_names()


def test_the_waterfall_adds_up_and_its_last_step_is_the_variant() -> None:
    a = nevsim.load_scenario("sequential").program
    b = nevsim.load_scenario("co-creation").program
    assert a is not None and b is not None
    assert same_program(steps(a, b)[-1].program, b)  # so B's own run stands for the last step
    done = compare(a, b, lambda p, _: simulate(p, samples=2000, seed=3))
    table = done.waterfall.set_index("step")
    last = done.waterfall.iloc[-2]
    assert last["p50_months"] == table.loc["end", "p50_months"]
    assert last["mean_cost"] == table.loc["end", "mean_cost"]
    changes = table.iloc[1:-1]["p50_months_change"].sum()
    assert changes == pytest.approx(table.loc["end", "p50_months_change"])
    assert list(table.index[1:-1]) == [c.name for c in b.changes]


@pytest.mark.parametrize(("b", "path", "message"), [
    (_b(tasks=[{"name": "X", "duration": 11}, {"name": "Y", "duration": 15, "change": "faster Y"},
               {"name": "Z", "duration": 30, "change": "add Z"}]),
     "program.tasks[0]", "differs from the other program's but names no change"),
    (_b(changes=[{"name": "drop W"}, {"name": "faster Y"}, {"name": "add Z"}]),
     "program.changes", "the other program's task 'W' is not in this one"),
    (_b(changes=[{"name": "drop W", "removes": {"tasks": ["W"], "links": ["X -> Q"]}},
                 {"name": "faster Y"}, {"name": "add Z"}]),
     "program.changes[0].removes.links[0]", "has no such item"),
    (_b(changes=[{"name": "drop W", "removes": {"tasks": ["W"], "links": ["X to W"]}},
                 {"name": "faster Y"}, {"name": "add Z"}]),
     "program.changes[0].removes.links[0]", "expected `from -> to`"),
])
def test_differences_must_be_accounted_for(b: dict[str, Any], path: str, message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        steps(_program(**A), _program(**b), "b.yaml")
    rendered = caught.value.render()
    assert f"b.yaml: {path}: " in rendered and message in rendered, rendered


def test_a_step_that_breaks_the_program_is_named() -> None:
    """Adding Z's links before Z itself: the first step links to a task not yet there."""
    b = _b(links=[{"from": "X", "to": "Y", "change": "drop W"}, *chain("Y", "SOP"),
                  {"from": "X", "to": "Z", "type": "SS", "lag": -5, "change": "drop W"},
                  {"from": "Z", "to": "SOP", "change": "add Z"}])
    with pytest.raises(ScenarioError) as caught:
        steps(_program(**A), _program(**b), "b.yaml")
    assert "program.changes[0]: the program after this change is not valid: " \
           "program.links[" in caught.value.render()


def test_an_unknown_change_tag_is_located() -> None:
    with pytest.raises(ScenarioError) as caught:
        program(**_b(changes=[{"name": "drop W"}]))
    assert "program.tasks[1].change: no such change" in caught.value.render()

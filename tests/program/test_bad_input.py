"""Bad programs give located errors and exit 2, never a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from nevsim.cli.app import app
from nevsim.scenario.errors import ScenarioError
from tests.program.builders import chain, program

runner = CliRunner()


def _tasks(*names: str) -> list[dict[str, Any]]:
    return [{"name": n, "duration": 5} for n in names]


CASES = {
    "cycle": (dict(tasks=_tasks("A", "B", "C"), links=chain("A", "B", "C", "A")),
              "program.links[2]", "the links form a cycle: A -> B -> C -> A"),
    "unknown link": (dict(tasks=_tasks("Body"), links=[{"from": "Bodi", "to": "SOP"}]),
                     "program.links[0].from", "no such task (did you mean 'Body'?)"),
    "self link": (dict(tasks=_tasks("A"), links=[{"from": "A", "to": "A"}]),
                  "program.links[0]", "a task cannot be linked to itself"),
    "loop that never ends": (dict(tasks=_tasks("A"), loops=[
        {"name": "L", "tasks": ["A"], "repeat_probability": 1}]),
        "program.loops[0].repeat_probability", "less than 1"),
    "loop without probability": (dict(tasks=_tasks("A"), loops=[{"name": "L", "tasks": ["A"]}]),
                                 "program.loops[0].repeat_probability", "Field required"),
    "no working day": (dict(tasks=_tasks("A"), calendar={"working_days": []}),
                       "program.calendar.working_days", "at least one working day"),
    "unknown unit": (dict(tasks=[{"name": "A", "duration": "3 fortnights"}]),
                     "program.tasks[0].duration", "unknown unit 'fortnights'"),
    "bad unit in a law": (dict(tasks=[{"name": "A", "duration": {
        "dist": "triangular", "min": "1mo", "mode": "2mo", "max": "3yr"}}]),
        "program.tasks[0].duration.max", "unknown unit 'yr'"),
    "triangular out of order": (dict(tasks=[{"name": "A", "duration": {
        "dist": "triangular", "min": "3mo", "mode": "2mo", "max": "4mo"}}]),
        "program.tasks[0].duration", "min <= mode <= max"),
    "duplicate task": (dict(tasks=_tasks("A", "A")), "program.tasks[1].name", "duplicate name"),
    "impossible correlations": (dict(tasks=_tasks("A", "B", "C"), correlations=[
        {"tasks": ["A", "B"], "rank": 0.9}, {"tasks": ["B", "C"], "rank": 0.9},
        {"tasks": ["A", "C"], "rank": -0.9}]), "program.correlations", "cannot all hold"),
    "risk on unknown task": (dict(tasks=_tasks("A"), risks=[
        {"name": "R", "probability": 0.5, "impacts": [{"task": "B", "add": 5}]}]),
        "program.risks[0].impacts[0].task", "no such task"),
    "impact with both": (dict(tasks=_tasks("A"), risks=[
        {"name": "R", "probability": 0.5, "impacts": [{"task": "A", "add": 5, "factor": 2}]}]),
        "program.risks[0].impacts[0]", "either add"),
    "SOP in a loop": (dict(tasks=_tasks("A"), loops=[
        {"name": "L", "tasks": ["A", "SOP"], "repeat_probability": 0.5}]),
        "program.loops[0].tasks[1]", "SOP cannot be repeated"),
    "mitigated without mitigation": (dict(tasks=_tasks("A"), risks=[
        {"name": "R", "probability": 0.5, "impacts": [{"task": "A", "add": 5}],
         "mitigated": True}]), "program.risks[0].mitigated", "no mitigation"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_program_is_located(case: str) -> None:
    fields, path, message = CASES[case]
    with pytest.raises(ScenarioError) as caught:
        program(**fields)
    rendered = caught.value.render()
    assert f"{path}: " in rendered and message in rendered, rendered


def test_the_cli_exits_2_with_the_file_and_path(tmp_path: Path) -> None:
    fields, path, message = CASES["cycle"]
    doc = {"name": "bad", "program": {"start": "2025-01-06", "sop": "SOP",
                                      "tasks": [*fields["tasks"], {"name": "SOP"}],
                                      "links": fields["links"]}}
    file = tmp_path / "bad.yaml"
    file.write_text(yaml.safe_dump(doc), encoding="utf-8")
    result = runner.invoke(app, ["program", "simulate", str(file), "--no-report"])
    assert result.exit_code == 2
    assert f"{file}: {path}: {message}" in result.output
    assert "Traceback" not in result.output


def test_a_scenario_without_a_program_is_refused() -> None:
    result = runner.invoke(app, ["program", "simulate", "fullstack", "--no-report"])
    assert result.exit_code == 2 and "no program section" in result.output


def test_samples_out_of_range_are_refused() -> None:
    result = runner.invoke(app, ["program", "simulate", "sequential", "--samples", "0"])
    assert result.exit_code == 2


@pytest.mark.parametrize(("branches", "path", "message"), [
    ([{"name": "b", "options": [{"probability": 0.5, "does": ["A"]},
                                {"probability": 0.4, "does": []}]}],
     "program.branches[0]", "add up to 1"),
    ([{"name": "b", "options": [{"probability": 0.5, "does": ["A"]},
                                {"probability": 0.5, "does": ["A"]}]}],
     "program.branches[0].options[1].does[0]", "already in an option"),
    ([{"name": "b", "options": [{"probability": 0.5, "does": ["Q"]},
                                {"probability": 0.5, "does": []}]}],
     "program.branches[0].options[0].does[0]", "no such task"),
    ([{"name": "b", "options": [{"probability": 0.5, "does": ["SOP"]},
                                {"probability": 0.5, "does": []}]}],
     "program.branches[0].options[0].does[0]", "always done"),
])
def test_bad_branches_are_located(branches: list, path: str, message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        program(_tasks("A"), chain("A", "SOP"), branches=branches)
    rendered = caught.value.render()
    assert f"{path}: " in rendered and message in rendered, rendered

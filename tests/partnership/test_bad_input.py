"""Bad partnership input gets a located error (file, field path, what was expected), exit 2."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from nevsim.cli.app import app
from tests.helpers import assert_located_error
from tests.partnership.test_values import TINY


def _edit(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(TINY)
    change(data["partnership"])
    return data


def _many(part: dict[str, Any]) -> None:
    """Eleven partners: the two with plants and nine bringing a technology each."""
    part["technologies"] = [{"name": f"t{i}", "variable_cost": 0.99} for i in range(9)]
    part["partners"] += [{"name": f"P{i}", "technologies": [f"t{i}"]} for i in range(9)]


CASES = {
    "a plant no partner owns": (
        lambda p: p["partners"][1]["plants"].clear(),
        ["partnership.partners", "no partner owns the plant 'B plant'"]),
    "a model no partner owns": (
        lambda p: p["partners"][0]["models"].clear(),
        ["no partner owns the model 'a-car'"]),
    "a partner with no asset": (
        lambda p: p["partners"].append({"name": "C"}),
        ["partnership.partners[2]", "owns no asset", "'C'"]),
    "more partners than the limit": (
        _many, ["partnership.partners", "11 partners make 2,047 coalitions",
                "at most 10 partners"]),
    "an asset owned twice": (
        lambda p: p["partners"][1]["plants"].append("A plant"),
        ["partnership.partners[1].plants[1]", "'A' owns it already"]),
    "an unknown plant": (
        lambda p: p["partners"][0]["plants"].append("A plnat"),
        ["partnership.partners[0].plants[1]", "no such plant", "did you mean 'A plant'"]),
    "shares that do not add up": (
        lambda p: p.update(splits=[{"name": "deal", "shares": {"A": 0.6, "B": 0.6}}]),
        ["partnership.splits[0].shares", "add up to 1", "1.2"]),
    "capital for some partners only": (
        lambda p: p["partners"][0].update(capital=1e6),
        ["partnership.partners[1].capital", "give it for every partner"]),
    "a technology on an unknown component": (
        lambda p: (p.update(technologies=[{"name": "t", "component_cost": {"kits": 0.9}}]),
                   p["partners"][0].update(technologies=["t"])),
        ["partnership.technologies[0].component_cost.kits", "no such component",
         "did you mean 'kit'"]),
    "a negative set-up cost": (
        lambda p: p.update(cooperation={"setup": -5}),
        ["partnership.cooperation.setup", "greater than or equal to 0"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_partnership_input_is_located(case: str, tmp_path: Path) -> None:
    change, expected = CASES[case]
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(_edit(change)))
    assert_located_error(["partnership", "solve", str(path), "--no-report"], path, expected)


def test_a_partnership_needs_a_network(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"name": "x", "partnership": TINY["partnership"]}))
    run = CliRunner().invoke(app, ["partnership", "solve", str(path), "--no-report"])
    assert run.exit_code == 2
    assert "add a `network:` section" in " ".join(run.output.split())


def test_a_scenario_without_a_partnership(tmp_path: Path) -> None:
    run = CliRunner().invoke(app, ["partnership", "solve", "fullstack", "--no-report"])
    assert run.exit_code == 2
    assert "no partnership section" in run.output


def test_a_coalition_without_a_plan_is_a_located_error(tmp_path: Path) -> None:
    """A coalition that cannot meet a rule is an error naming it and the rule (exit 2).

    Imports owed under a local-production scheme that only A's German plant can settle make
    B's own plan infeasible.
    """
    data = copy.deepcopy(TINY)
    data["network"]["rules"] = [{
        "name": "scheme", "kind": "local-production", "countries": ["DE"], "rate": 0.0,
        "ratio": 1.0, "imports_until": 2025, "settle_by": 2025, "owed": 50}]
    path = tmp_path / "owed.yaml"
    path.write_text(yaml.safe_dump(data))
    run = CliRunner().invoke(app, ["partnership", "solve", str(path), "--no-report"])
    assert run.exit_code == 2, run.output
    text = " ".join(run.output.split())
    assert "the coalition of B has no plan" in text and "scheme" in text


def test_json_is_json_alone_and_the_run_is_recorded(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(yaml.safe_dump(TINY))
    run = CliRunner().invoke(app, ["partnership", "solve", str(path), "--json",
                                   "--out", str(tmp_path)])
    assert run.exit_code == 0, run.output
    payload = json.loads(run.stdout)
    assert payload["summary"]["joint_gain"] == pytest.approx(40_000, abs=1)
    assert payload["summary"]["allocations"]["Shapley value"]["in_core"] is True
    assert {row["coalition"] for row in payload["coalitions"]} == {"A", "B", "A + B"}
    assert Path(payload["report"]).exists()
    listed = CliRunner().invoke(app, ["runs", "list"])
    assert "partnership" in listed.output and "joint gain" in listed.output

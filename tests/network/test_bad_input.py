"""Bad network input gets a located error (file, field path, value, what was expected), exit 2."""

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
from tests.network.builders import base


def _edit(change: Any) -> dict[str, Any]:
    net = copy.deepcopy(base())
    change(net)
    return {"name": "bad", "network": net}


CASES = {
    "unknown component in a bill of materials": (
        lambda n: n["models"][0]["bom"].append({"component": "battery"}),
        ["network.models[0].bom[1].component", "no such component", "'battery'"]),
    "duty written in percent": (
        lambda n: n["duties"][0].update(rate=35),
        ["network.duties[0].rate", "fractions (0.35 for 35%)", "35"]),
    "schedule starting after the first year": (
        lambda n: n["duties"][0].update(rate={2026: 0.1}),
        ["network.duties[0].rate", "first step is 2026", "add a step for 2025"]),
    "market no plant can reach": (
        lambda n: n["markets"].append({"name": "br", "country": "BR", "demand": {"car": 5},
                                       "price": {"car": 9}}),
        ["network.markets[1].demand.car", "no plant making 'car' has a vehicle lane to BR"]),
    "preferential rule without a threshold": (
        lambda n: n.update(rules=[{"name": "fta", "kind": "preferential", "countries": ["CN"],
                                   "destinations": ["DE"], "rate": 0}]),
        ["network.rules[0]", "needs threshold"]),
    "negative capacity": (
        lambda n: n["suppliers"][0].update(capacity=-5),
        ["network.suppliers[0].capacity", "greater than or equal to 0", "-5"]),
    "demand for an unknown model": (
        lambda n: n["markets"][0]["demand"].update(suv=4),
        ["network.markets[0].demand.suv", "no such model", "'suv'"]),
    "plant that can never produce in the horizon": (
        lambda n: n["plants"].append({"name": "late", "country": "DE", "lead_time": 3,
                                      "variable_cost": 1, "levels": [{"capacity": 9}]}),
        ["network.plants[1]", "cannot produce before 2028"]),
    "duty from an unknown place": (
        lambda n: n["duties"][0].update(origin="Atlantis"),
        ["network.duties[0].origin", "unknown place", "'Atlantis'"]),
    "minimum amount on a parts duty": (
        lambda n: n["duties"].append({"name": "p", "origin": "*", "destination": "DE",
                                      "product": "part", "rate": 0.1, "minimum": 5}),
        ["network.duties[1].minimum", "vehicle duties only", "5"]),
    "minimum amount without a customs value": (
        lambda n: (n["duties"][0].update(minimum=5), n["models"][0].update(customs_value=0)),
        ["network.models[0].customs_value", "needs the customs value"]),
    "a candidate plant that would idle": (
        lambda n: n["plants"].append({"name": "new", "country": "CN", "variable_cost": 1,
                                      "levels": [{"capacity": 9}], "idle_cost": 5}),
        ["network.plants[1].idle_cost", "only an existing plant can close or idle"]),
    "years in the wrong order": (
        lambda n: n.update(years={"first": 2030, "last": 2025}),
        ["network.years", "must not be before first"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_network_input_is_located(case: str, tmp_path: Path) -> None:
    change, expected = CASES[case]
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(_edit(change)))
    assert_located_error(["network", "solve", str(path), "--no-report"], path, expected)


def test_scenario_without_a_network_section(tmp_path: Path) -> None:
    run = CliRunner().invoke(app, ["network", "solve", "yizhuang", "--no-report"])
    assert run.exit_code == 2
    assert "no network section" in run.output


def test_json_output_is_json_alone_and_recorded(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(yaml.safe_dump({"name": "ok", "network": base()}))
    run = CliRunner().invoke(app, ["network", "solve", str(path), "--json", "--no-report"])
    assert run.exit_code == 0, run.output
    payload = json.loads(run.stdout)
    assert payload["summary"]["status"] == "optimal"
    assert payload["summary"]["profit"] == pytest.approx(4000)
    assert {"footprint", "exports", "suppliers", "landed", "timeline"} <= set(payload)
    listed = CliRunner().invoke(app, ["runs", "list"])
    assert "network" in listed.output


def test_schema_network_is_json_schema_with_units() -> None:
    run = CliRunner().invoke(app, ["schema", "network"])
    assert run.exit_code == 0
    schema = json.loads(run.output)
    assert schema["title"] == "Network"
    level = schema["$defs"]["CapacityLevel"]["properties"]
    assert level["capex"]["unit"] == "currency"


def test_report_of_a_plan_has_its_sections(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(yaml.safe_dump({"name": "ok", "network": base()}))
    run = CliRunner().invoke(app, ["network", "solve", str(path), "--out", str(tmp_path)])
    assert run.exit_code == 0, run.output
    html = (tmp_path / "network-ok.html").read_text(encoding="utf-8")
    for heading in ("Why the plan builds where it does", "Export timeline",
                    "Landed cost and price per market", "Supplier country by plant",
                    "Chinese-owned and international suppliers", "The network in",
                    "The plan on a timeline", "Local content against the rules"):
        assert heading in html
    assert "plotly" in html

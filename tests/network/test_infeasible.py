"""Plans that cannot exist come back as a status with reasons a planner can act on."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from nevsim.cli.app import app
from nevsim.network import Objective, SolveStatus
from tests.network.builders import base, solve


def _too_much_demand_too_soon() -> dict:
    """DE wants 150 a year but home makes 100; the DE plant produces only from 2026."""
    net = base(years=(2025, 2026))
    net["markets"][0]["demand"] = {"car": 150}
    net["plants"].append({"name": "local", "country": "DE", "lead_time": 1,
                          "variable_cost": 10, "levels": [{"capacity": 100}]})
    return net


def test_cost_plan_that_cannot_meet_demand_is_infeasible_and_explained() -> None:
    result = solve(_too_much_demand_too_soon(), objective=Objective.COST)
    assert result.status is SolveStatus.INFEASIBLE
    assert not result.has_plan
    # 2025: 50 cars short at home, and the local plant can only produce from 2026
    assert result.explanation == [
        "Plant home would need 50 more vehicles of capacity in 2025 (full capacity 100 a "
        "year; other plants come too late: local only from 2026 (lead time 1 y))."]


def test_supplier_shortage_is_named() -> None:
    net = base()
    net["objective"] = "cost"
    net["suppliers"][0]["capacity"] = 60
    result = solve(net)
    assert result.status is SolveStatus.INFEASIBLE
    assert any("Supplier kit-cn (kit, CN) would need 20 more units in 2025" in line
               for line in result.explanation)


def test_profit_plan_serves_what_it_can_instead() -> None:
    result = solve(_too_much_demand_too_soon())
    assert result.status is SolveStatus.OPTIMAL
    unmet = result.exports.set_index("year").unmet
    assert unmet[2025] == 50
    assert unmet[2026] == 0


def test_cli_exits_1_and_prints_the_reasons(tmp_path: Path) -> None:
    path = tmp_path / "short.yaml"
    net = _too_much_demand_too_soon()
    net["objective"] = "cost"
    path.write_text(yaml.safe_dump({"name": "short", "network": net}))
    run = CliRunner().invoke(app, ["network", "solve", str(path), "--out", str(tmp_path)])
    assert run.exit_code == 1, run.output
    assert "No plan exists" in run.output
    assert "2025" in run.output
    assert (tmp_path / "network-short.html").exists()


def test_demand_no_plant_can_reach_that_year_is_infeasible_in_cost_mode() -> None:
    # home cannot ship to DE at all; the DE plant produces from 2026, so 2025 is impossible
    net = base(years=(2025, 2026))
    net["plants"][0]["country"] = "XX"
    net["plants"].append({"name": "local", "country": "DE", "lead_time": 1,
                          "variable_cost": 10, "levels": [{"capacity": 100}]})
    net["lanes"] = [{"origin": "CN", "destination": "DE", "cargo": "part", "cost": 0}]
    result = solve(net, objective=Objective.COST)
    assert result.status is SolveStatus.INFEASIBLE
    assert result.explanation == [
        "Demand for car in de in 2025: 80 of 80 vehicles cannot be served in time (local "
        "only from 2026 (lead time 1 y))."]


def test_a_limit_returns_the_best_plan_with_its_gap() -> None:
    from nevsim.network import plan
    from nevsim.network.generate import Size, generate
    from nevsim.network.model import Network

    # a node limit, not a time limit: where HiGHS stops does not depend on the machine's speed
    raw = generate(Size(plants=6, levels=2, components=4, suppliers=4, markets=6, models=2,
                        years=5, rules=True), 3)
    result = plan(Network.model_validate(raw), node_limit=1)
    assert result.status is SolveStatus.TIME_LIMIT
    assert result.has_plan
    assert result.gap is not None and result.gap > 0
    assert result.bound is not None and result.objective is not None
    assert result.bound <= result.objective  # minimization: the bound is below the plan
    assert not result.footprint.empty


def test_mandatory_content_gap_is_told_in_money() -> None:
    # Szeged (HU) must make 80 cars with 55% content; only Chinese kits (30) exist, so the
    # originating value is its value added 10 x 80 = 800 against 0.55 x (30 + 10) x 80 = 1,760:
    # 960 USD short. Dropping cars instead would cost far more slack, so the content gives.
    net = base()
    net["objective"] = "cost"
    net["plants"] = [{"name": "szeged", "country": "HU", "existing": True,
                      "levels": [{"capacity": 100}], "variable_cost": 10}]
    net["lanes"] = [{"origin": "HU", "destination": "DE", "cost": 5},
                    {"origin": "CN", "destination": "HU", "cargo": "part", "cost": 0}]
    net["rules"] = [{"name": "hu-content", "kind": "mandatory", "countries": ["HU"],
                     "threshold": 0.55}]
    result = solve(net)
    assert result.status is SolveStatus.INFEASIBLE
    assert result.explanation == [
        "Plant szeged cannot reach the 55% local content of rule hu-content in 2025: it lacks "
        "960 USD of originating value (local suppliers' capacity or first supply year)."]


@pytest.mark.parametrize("node_limit", [0, 1, None])
def test_every_outcome_prints_and_writes_its_report(tmp_path: Path, node_limit: int | None
                                                    ) -> None:
    # no plan found before the limit, a plan with its gap, a proven optimum: each has a
    # summary and a report (no format of a missing gap or profit)
    from rich.console import Console

    from nevsim.network import plan
    from nevsim.network.generate import Size, generate
    from nevsim.network.model import Network
    from nevsim.report.network import print_summary, write_html

    raw = generate(Size(plants=6, levels=2, components=4, suppliers=4, markets=6, models=2,
                        years=5, rules=True), 3)
    result = plan(Network.model_validate(raw), node_limit=node_limit)
    console = Console(record=True, width=100)
    print_summary(result, console)
    text = console.export_text()
    html = write_html(result, tmp_path / "r.html").read_text(encoding="utf-8")
    if result.has_plan:
        assert "profit" in text and "Outcome" in html
    else:
        assert "No plan found before the solver's limit" in text
        assert "raise --time-limit" in html


def test_unserved_demand_is_in_the_summary_and_the_first_section(tmp_path: Path) -> None:
    from rich.console import Console

    from nevsim.report.network import print_summary, write_html

    result = solve(_too_much_demand_too_soon())  # 50 cars short in 2025
    console = Console(record=True, width=120)
    print_summary(result, console)
    text = console.export_text()
    assert "demand left unserved" in text
    assert "50 vehicles" in text
    html = write_html(result, tmp_path / "r.html").read_text(encoding="utf-8")
    outcome = html.split("<h2>")[1]  # the first section
    assert "50 vehicles of demand stay unserved" in outcome


def test_a_cell_supplier_too_small_is_named_in_cells_not_blamed_on_a_plant() -> None:
    # 60 kWh of cells a car, 80 cars, a cell maker with 3,000 kWh: 1,800 kWh short, told in
    # the supplier's own unit
    net = base()
    net["objective"] = "cost"
    net["components"].append({"name": "cells", "product": "battery"})
    net["models"][0]["bom"].append({"component": "cells", "quantity": 60})
    net["suppliers"].append({"name": "cells-cn", "company": "C", "country": "CN",
                             "chinese": True, "component": "cells", "capacity": 3000,
                             "unit_cost": 0.1})
    result = solve(net)
    assert result.status is SolveStatus.INFEASIBLE
    assert result.explanation == [
        "Supplier cells-cn (cells, CN) would need 1,800 more units in 2025 (capacity 3,000)."]

"""The command line as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml
from typer.testing import CliRunner

import nevsim
from nevsim.cli.app import app

runner = CliRunner()


def test_run_json_is_machine_readable_and_complete(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", "--json", "--horizon", "14d", "--replications", "2",
                                 "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    summary = payload["summary"]
    assert summary["scenario"] == "yizhuang"
    assert summary["robots"] >= 700
    assert isinstance(summary["takt_met"], bool)
    assert summary["jph_on_shift"]["replications"] == 2
    names = {s["station"] for s in payload["stations"]}
    assert "Battery marriage" in names
    for station in payload["stations"]:
        for key in ("utilization", "blocked", "starved", "down", "oee", "bottleneck_share"):
            assert key in station
    assert {s["shop"] for s in payload["shops"]} >= {"body-joining", "painting"}
    report = Path(payload["report"])
    assert report.is_file()
    html = report.read_text(encoding="utf-8")
    assert "plotly" in html and "Where the time goes" in html


def test_run_prints_the_summary_and_says_where_the_report_is(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", "--horizon", "7d", "--replications", "2",
                                 "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "(95% confidence)" in result.output
    assert "HTML report written to" in result.output
    assert (tmp_path / "factory-yizhuang.html").is_file()


def test_scenarios_list_and_show() -> None:
    listed = runner.invoke(app, ["scenarios", "list"], terminal_width=200)
    assert listed.exit_code == 0
    assert "yizhuang" in listed.output
    rows = {line.split("│")[1].strip(): line.split("│")[2].strip()
            for line in listed.output.splitlines() if line.count("│") >= 3}
    assert rows["yizhuang"] == "factory"
    assert rows["fullstack"] == "network"
    shown = runner.invoke(app, ["scenarios", "show", "yizhuang"])
    assert shown.exit_code == 0
    assert yaml.safe_load(shown.output)["name"] == "yizhuang"


def test_schema_factory_is_json_schema_with_units() -> None:
    result = runner.invoke(app, ["schema", "factory"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["title"] == "Plant"
    assert "takt" in schema["properties"]
    assert '"unit": "s"' in result.output


def test_yizhuang_facts_carry_sources_and_assumptions_say_so() -> None:
    scenario = nevsim.load_scenario("yizhuang")
    plant = scenario.factory
    assert plant is not None
    assert plant.takt == 76.0
    assert plant.robots_total() >= 700
    processes = {s.shop for s in plant.stations} | {f.shop for f in plant.feeders}
    assert {"die-casting", "stamping", "body-joining", "body-assembly", "painting",
            "final-assembly"} <= processes
    bases = [*scenario.basis, *plant.basis,
             *(b for s in plant.all_stations() for b in s.basis),
             *(b for f in plant.feeders for b in f.basis)]
    found = [b for b in bases if b.confidence.value in {"F", "F~"}]
    assert found and all(b.source != "assumption" for b in found)
    assert any(b.confidence.value == "A" for b in bases)


def test_single_replication_json_has_null_intervals_not_nan(tmp_path: Path) -> None:
    result = runner.invoke(app, ["factory", "simulate", "yizhuang", "--horizon", "2d",
                                 "--replications", "1", "--json", "--no-report"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)["summary"]  # strict JSON: NaN would not parse back
    assert summary["jph_on_shift"]["ci95_low"] is None
    assert summary["jph_on_shift"]["mean"] > 0


def test_a_short_horizon_drops_the_scenario_warmup_in_every_command() -> None:
    simulated = runner.invoke(app, ["factory", "simulate", "yizhuang", "--horizon", "3d",
                                    "--replications", "1", "--json", "--no-report"])
    assert simulated.exit_code == 0, simulated.output
    assert json.loads(simulated.stdout)["summary"]["warmup_s"] == 0.0
    swept = runner.invoke(app, ["factory", "sweep", "yizhuang", "--set",
                                "factory.buffers[name=sealed-body buffer].capacity=2,40",
                                "--horizon", "3d", "--replications", "1", "--json"])
    assert swept.exit_code == 0, swept.output
    assert len(json.loads(swept.stdout)["rows"]) == 2
    # a warm-up the user gives must still fit inside the horizon
    bad = runner.invoke(app, ["factory", "simulate", "yizhuang", "--horizon", "3d",
                              "--warmup", "5d", "--no-report"])
    assert bad.exit_code == 2
    assert "warm-up must be shorter than the horizon" in bad.output


def test_help_imports_no_engine() -> None:
    # `nevsim --help` must start in a blink: no numpy, pandas, numba, HiGHS, SQLAlchemy or
    # plotly until a command needs them (the time itself is in `make bench`; typer itself
    # loads pydantic for its parameter adapters)
    code = ("import sys\n"
            "from typer.testing import CliRunner\n"
            "from nevsim.cli.app import app\n"
            "for args in (['--help'], ['factory', '--help'], ['network', 'solve', '--help'],\n"
            "             ['program', 'simulate', '--help'], ['partnership', 'solve', '--help']):\n"
            "    assert CliRunner().invoke(app, args).exit_code == 0\n"
            "heavy = {'numpy', 'pandas', 'numba', 'highspy', 'sqlalchemy', 'plotly',\n"
            "         'xarray', 'scipy'}\n"
            "print(sorted(heavy & set(sys.modules)))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_the_public_api_names_are_the_functions() -> None:


    assert callable(nevsim.factory.simulate) and nevsim.factory.simulate.__name__ == "simulate"
    assert callable(nevsim.network.plan) and nevsim.network.plan.__name__ == "plan"
    assert callable(nevsim.workflow.factory.run)
    assert callable(nevsim.program.simulate) and nevsim.program.simulate.__name__ == "simulate"
    assert callable(nevsim.workflow.program.run)
    assert callable(nevsim.partnership.solve) and nevsim.partnership.solve.__name__ == "solve"
    assert callable(nevsim.workflow.partnership.run)


def test_progress_off_a_terminal_is_plain_lines_on_stderr(tmp_path: Path) -> None:
    result = runner.invoke(app, ["factory", "simulate", "yizhuang", "--horizon", "1d",
                                 "--replications", "2", "--no-report"])
    assert result.exit_code == 0, result.output
    assert "simulating: 2/2 (100%)" in result.stderr
    assert "None" not in result.stderr
    quiet = runner.invoke(app, ["factory", "simulate", "yizhuang", "--horizon", "1d",
                                "--replications", "2", "--no-report", "--json"])
    assert "simulating" not in quiet.stderr
    json.loads(quiet.stdout)

"""Changing one field by path, and sweeping it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from nevsim.cli.app import app
from nevsim.scenario.errors import UsageError
from nevsim.scenario.overrides import apply_override, parse_values
from nevsim.workflow.factory import sweep

DATA = {"factory": {"stations": [{"name": "A", "cycle": "60s"}, {"name": "B", "cycle": "70s"}],
                    "buffers": [{"between": ["A", "B"], "capacity": 2, "name": "store"}]}}


def test_override_by_key_position_and_selector_leaves_the_original_alone() -> None:
    out = apply_override(DATA, "factory.buffers[name=store].capacity", 9)
    assert out["factory"]["buffers"][0]["capacity"] == 9
    out = apply_override(out, "factory.stations[1].cycle", "50s")
    assert out["factory"]["stations"][1]["cycle"] == "50s"
    assert DATA["factory"]["buffers"][0]["capacity"] == 2  # type: ignore[index]


@pytest.mark.parametrize(("path", "message"), [
    ("factory.stations[name=Z].cycle", "no single item with name='Z'"),
    ("factory.stations[5].cycle", "past the end"),
    ("factory.nothing.here", "no field 'nothing'"),
    ("factory.stations.cycle", "is a key, but here is a list"),
])
def test_bad_paths_say_what_is_wrong(path: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        apply_override(DATA, path, 1)


def test_values_are_yaml_scalars() -> None:
    assert parse_values("50, 100,8h") == [50, 100, "8h"]


def test_sweep_of_a_cycle_time_gives_the_exact_line_rate(tmp_path: Path) -> None:
    plant = tmp_path / "line.yaml"
    plant.write_text("name: l\nfactory:\n  takt: 76s\n  stations:\n    - {name: A, cycle: 60s}\n"
                     "    - {name: B, cycle: 70s}\n", encoding="utf-8")
    store = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    done = sweep(plant, "factory.stations[name=B].cycle", ["50s", "70s", "90s"],
                 replications=2, horizon=86400.0, warmup=3600.0, report_dir=tmp_path,
                 store=store)
    table = done.table
    assert list(table["interdeparture_s"]) == pytest.approx([60.0, 70.0, 90.0])
    assert list(table["takt"]) == ["holds", "holds", "does not hold"]
    assert list(table["bottleneck"]) == ["A", "B", "B"]
    # the sweep is a run too: its report and its record
    assert done.report == tmp_path / "factory-sweep-l.html"
    assert "takt" in done.report.read_text(encoding="utf-8")
    from nevsim.store import RunStore

    record = RunStore(store).get(done.run_id or -1)
    assert record.part == "factory-sweep"
    assert record.parameters["values"] == ["50s", "70s", "90s"]
    assert [row["takt"] for row in record.summary["rows"]] == ["holds", "holds",
                                                              "does not hold"]


def test_sweep_cli_bad_path_is_a_located_error_with_exit_2() -> None:
    result = CliRunner().invoke(app, ["factory", "sweep", "yizhuang", "--set",
                                      "factory.buffers[name=nope].capacity=1,2"])
    assert result.exit_code == 2
    assert "factory.buffers[name=nope].capacity" in result.output
    assert "painted-body store" in result.output

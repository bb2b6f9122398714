"""The run store records what ran; failed runs record nothing; records survive reopening."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nevsim.cli.app import app
from nevsim.scenario.errors import StoreError
from nevsim.store import RunStore

runner = CliRunner()
POSTGRES = os.environ.get("NEVSIM_TEST_POSTGRES")


def test_record_read_back_and_reopen(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a' / 'runs.sqlite'}"
    store = RunStore(url)
    first = store.record("factory", "p", "content", 3, {"replications": 2}, {"takt_met": True})
    second = store.record("factory", "p", "content 2", 4, {}, {"takt_met": False})
    again = RunStore(url)
    assert [r.id for r in again.runs()] == [second, first]
    record = again.get(first)
    assert record.seed == 3
    assert record.parameters == {"replications": 2}
    assert record.scenario_sha256 != again.get(second).scenario_sha256
    with pytest.raises(StoreError, match="no run with that id"):
        again.get(999)


def test_cli_runs_are_recorded_and_bad_input_records_nothing(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["factory", "simulate", "yizhuang", "--horizon", "3d",
                             "--replications", "2", "--json", "--out", str(tmp_path)])
    assert ok.exit_code == 0, ok.output
    run_id = json.loads(ok.stdout)["run_id"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nfactory: {stations: []}\n", encoding="utf-8")
    assert runner.invoke(app, ["factory", "simulate", str(bad)]).exit_code == 2
    listed = runner.invoke(app, ["runs", "list"])
    assert listed.exit_code == 0
    assert "yizhuang" in listed.output
    assert len(RunStore().runs()) == 1
    shown = json.loads(runner.invoke(app, ["runs", "show", str(run_id)]).output)
    assert shown["summary"]["robots"] == 722
    assert shown["parameters"]["horizon_s"] == 3 * 86400.0


def test_unusable_store_is_a_located_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEVSIM_STORE", "nosuchdb://nowhere")
    result = runner.invoke(app, ["factory", "simulate", "yizhuang", "--horizon", "1d"])
    assert result.exit_code == 3  # the run store's own exit code
    assert "NEVSIM_STORE" in result.output
    assert "cannot open the run store" in result.output


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://planner:s3cret-pw@127.0.0.1:1/runs",  # nothing listens on port 1
    "nosuchdb://planner:s3cret-pw@somewhere/runs",
])
def test_a_store_error_never_prints_the_password(monkeypatch: pytest.MonkeyPatch,
                                                 url: str) -> None:
    monkeypatch.setenv("NEVSIM_STORE", url)
    result = runner.invoke(app, ["runs", "list"])
    assert result.exit_code == 3
    assert "cannot open the run store" in result.output
    assert "s3cret-pw" not in result.output


@pytest.mark.skipif(not POSTGRES, reason="set NEVSIM_TEST_POSTGRES to a PostgreSQL URL "
                    "(.ci/run starts a server and sets it)")
def test_postgresql_store_keeps_runs_of_every_part(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    assert POSTGRES is not None
    monkeypatch.setenv("NEVSIM_STORE", POSTGRES)
    store = RunStore()
    before = len(store.runs(limit=10_000))
    first = store.record("factory", "p", "content", 3, {"replications": 2}, {"takt_met": True})
    assert store.get(first).parameters == {"replications": 2}
    solved = runner.invoke(app, ["network", "solve", "fullstack", "--json", "--no-report",
                                 "--no-compare"])
    assert solved.exit_code == 0, solved.output
    run_id = json.loads(solved.stdout)["run_id"]
    again = RunStore(POSTGRES)  # a new connection reads what the others wrote
    assert len(again.runs(limit=10_000)) == before + 2
    record = again.get(run_id)
    assert record.part == "network"
    assert record.summary["plants_opened"] == json.loads(solved.stdout)["summary"][
        "plants_opened"]

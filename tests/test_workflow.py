"""The workflow API: what the CLI does, a notebook can do (load, run, report, record)."""

from __future__ import annotations

from pathlib import Path

import pytest

import nevsim
from nevsim.store import RunStore


def test_a_factory_run_from_python_writes_its_report_and_is_recorded(tmp_path: Path) -> None:
    store = RunStore(f"sqlite:///{tmp_path / 'runs.sqlite'}")
    done = nevsim.workflow.factory.run("yizhuang", seed=4, replications=2, horizon="2d",
                                       report_dir=tmp_path / "out", store=store)
    assert done.result.horizon == 2 * 86400.0  # durations with units, as in the CLI
    assert done.report == tmp_path / "out" / "factory-yizhuang.html"
    assert done.report.read_text(encoding="utf-8").lower().startswith("<!doctype html>")
    record = store.get(done.run_id or -1)
    assert (record.part, record.scenario, record.seed) == ("factory", "yizhuang", 4)
    assert record.summary == done.result.summary()


def test_a_network_run_records_the_seed_it_was_given(tmp_path: Path) -> None:
    store = RunStore(f"sqlite:///{tmp_path / 'runs.sqlite'}")
    done = nevsim.workflow.network.run("fullstack", seed=9, compare_free_trade=False,
                                       report_dir=None, store=store)
    assert done.report is None
    assert store.get(done.run_id or -1).seed == 9


def test_a_run_that_fails_records_nothing(tmp_path: Path) -> None:
    store = RunStore(f"sqlite:///{tmp_path / 'runs.sqlite'}")
    with pytest.raises(nevsim.UsageError, match="warm-up must be shorter"):
        nevsim.workflow.factory.run("yizhuang", horizon="1d", warmup="2d", store=store,
                                    report_dir=None)
    with pytest.raises(nevsim.ScenarioError, match="no factory section"):
        nevsim.workflow.factory.run("fullstack", store=store, report_dir=None)
    assert store.runs() == []


def test_a_solver_failure_is_reported_and_records_nothing(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """HiGHS failing (numerical trouble) is not a planning answer: it is not recorded."""
    from dataclasses import replace

    from nevsim.network.solve import SolveStatus
    from nevsim.workflow import network as workflow

    real = workflow.plan

    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        return replace(real(*args, **kwargs), status=SolveStatus.ERROR)

    monkeypatch.setattr(workflow, "plan", failing)
    store = RunStore(f"sqlite:///{tmp_path / 'runs.sqlite'}")
    done = workflow.run("fullstack", compare_free_trade=False, report_dir=None, store=store)
    assert done.run_id is None and store.runs() == []


def test_a_program_run_is_recorded_with_its_headline(tmp_path: Path) -> None:
    store = RunStore(f"sqlite:///{tmp_path / 'runs.sqlite'}")
    done = nevsim.workflow.program.run("sequential", samples=500, seed=5, report_dir=None,
                                       store=store)
    record = store.get(done.run_id or -1)
    assert (record.part, record.scenario, record.seed) == ("program", "sequential", 5)
    assert record.summary == done.result.summary()
    assert record.summary["sop_p50"] == done.result.levels()[1].sop.isoformat()


def test_report_names_are_safe_file_names(tmp_path: Path) -> None:
    path = nevsim.workflow.report_path(tmp_path, "factory", "my plant / v2")
    assert path.name == "factory-my-plant-v2.html"


def test_a_report_folder_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    file = tmp_path / "out"
    file.write_text("not a folder", encoding="utf-8")
    with pytest.raises(nevsim.UsageError, match="existing file"):
        nevsim.workflow.factory.run("yizhuang", horizon="1h", report_dir=file, record=False)


def test_every_error_kind_shares_one_base_with_its_exit_code() -> None:
    assert issubclass(nevsim.ScenarioError, nevsim.NevsimError)
    assert issubclass(nevsim.UsageError, nevsim.NevsimError)
    assert issubclass(nevsim.StoreError, nevsim.NevsimError)
    assert (nevsim.ScenarioError.exit_code, nevsim.UsageError.exit_code,
            nevsim.StoreError.exit_code) == (2, 2, 3)

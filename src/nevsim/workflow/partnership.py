"""The partnership's workflow: value every coalition, split the gain, report and record."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from nevsim.document import Scenario
from nevsim.experiments.executors import close, executor
from nevsim.partnership.results import PartnershipResult
from nevsim.partnership.solution import solve
from nevsim.store import RunStore
from nevsim.workflow.common import Run, load, open_store, report_path

Progress = Callable[[int, int], None]


def run(
    scenario: str | Path | Scenario,
    *,
    time_limit: float | None = None,
    workers: int | None = None,
    cluster: str | None = None,
    progress: Progress | None = None,
    report_dir: Path | None = Path("out"),
    store: RunStore | str | None = None,
    record: bool = True,
) -> Run[PartnershipResult]:
    """Solve a partnership, write its HTML report into `report_dir` and record the run.

    Coalitions are planned on the local pool (`workers`), or on a Dask `cluster`.
    """
    loaded = load(scenario, "partnership")
    runs = open_store(store, record)
    path = report_path(report_dir, "partnership", loaded.name) if report_dir else None
    runner = executor(cluster, workers)
    try:
        result = solve(loaded, time_limit=time_limit, progress=progress, runner=runner)
    finally:
        close(runner)
    if path is not None:
        from nevsim.report.partnership import write_html

        write_html(result, loaded, path)
    run_id = None
    if runs is not None:
        parameters = {"time_limit_s": time_limit, "report": str(path) if path else None}
        run_id = runs.record("partnership", result.scenario, loaded.model_dump_json(), 0,
                             parameters, result.summary())
    return Run(loaded, result, path, run_id, runs.shown_url if runs else None)

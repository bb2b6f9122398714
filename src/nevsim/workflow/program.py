"""The development program's workflow: simulate, report and record; compare two programs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from nevsim.document import Scenario
from nevsim.program.results import ProgramResult
from nevsim.program.simulation import simulate
from nevsim.store import RunStore
from nevsim.workflow.common import Run, load, open_store, report_path

Progress = Callable[[int, int], None]


def run(
    scenario: str | Path | Scenario,
    *,
    samples: int = 10_000,
    seed: int = 0,
    latin_hypercube: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
    report_dir: Path | None = Path("out"),
    store: RunStore | str | None = None,
    record: bool = True,
) -> Run[ProgramResult]:
    """Simulate a program, write its HTML report into `report_dir` and record the run."""
    loaded = load(scenario, "program")
    runs = open_store(store, record)
    path = report_path(report_dir, "program", loaded.name) if report_dir else None
    result = simulate(loaded, samples=samples, seed=seed, latin_hypercube=latin_hypercube,
                      progress=progress, workers=workers)
    if path is not None:
        from nevsim.report.program import write_html

        write_html(result, path)
    run_id = None
    if runs is not None:
        parameters = {"samples": samples, "latin_hypercube": latin_hypercube,
                      "report": str(path) if path else None}
        run_id = runs.record("program", result.scenario, loaded.model_dump_json(), seed,
                             parameters, result.summary())
    return Run(loaded, result, path, run_id, runs.shown_url if runs else None)

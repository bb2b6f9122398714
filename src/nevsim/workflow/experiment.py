"""The experiment workflow: run a spec on an executor, save the runs, report and record."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from nevsim.experiments.design import Experiment, load_experiment
from nevsim.experiments.executors import close, executor
from nevsim.experiments.experiment import ExperimentResult
from nevsim.experiments.experiment import run as run_experiment
from nevsim.store import RunStore
from nevsim.workflow.common import Run, load, open_store, report_path

Progress = Callable[[int, int], None]


def run(
    spec: str | Path | Experiment,
    *,
    cluster: str | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    report_dir: Path | None = Path("out"),
    store: RunStore | str | None = None,
    record: bool = True,
) -> Run[ExperimentResult]:
    """Run an experiment; write its runs (Parquet) and report into `report_dir`, record it.

    A spec's relative scenario path starts from the spec file's folder (from the working
    folder for a spec given as an object).

    `cluster` is a Dask scheduler address, `local` for a LocalCluster, or None for the local
    process pool (or $NEVSIM_CLUSTER when set).
    """
    loaded = spec if isinstance(spec, Experiment) else load_experiment(spec)
    base = Path.cwd() if isinstance(spec, Experiment) else Path(spec).resolve().parent
    runs = open_store(store, record)
    path = report_path(report_dir, "experiment", loaded.name) if report_dir else None
    runner = executor(cluster, workers)
    try:
        result = run_experiment(loaded, runner, base=base, progress=progress)
    finally:
        close(runner)
    scenario = load(_scenario_ref(loaded, base))
    if path is not None:
        from nevsim.report.experiment import write_html

        write_html(result, path)  # makes the folder
        result.runs.to_parquet(path.with_suffix(".parquet"), index=False)
    run_id = None
    if runs is not None:
        parameters = {"spec": loaded.model_dump(mode="json"), "executor": result.executor,
                      "report": str(path) if path else None}
        run_id = runs.record("experiment", loaded.name, loaded.model_dump_json(),
                             loaded.seed, parameters, result.summary())
    return Run(scenario, result, path, run_id, runs.shown_url if runs else None)


def _scenario_ref(spec: Experiment, base: Path) -> str | Path:
    from nevsim.scenario.reading import builtin_names

    return spec.scenario if spec.scenario in builtin_names() else base / spec.scenario

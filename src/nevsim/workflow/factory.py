"""The smart factory's workflow: simulate, report and record a plant; sweep one field.

`sweep` answers "how big must this buffer be" or "what does this failure rate cost": every
variant uses the same seed (common random numbers), so the differences between variants are
not drowned by sampling noise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from nevsim.document import Scenario, variants
from nevsim.factory.results import FactoryResult
from nevsim.factory.simulation import simulate
from nevsim.records import records
from nevsim.scenario.units import Seconds
from nevsim.store import RunStore
from nevsim.workflow.common import Run, load, open_store, report_path

Progress = Callable[[int, int], None]


def run(
    scenario: str | Path | Scenario,
    *,
    seed: int = 0,
    replications: int | None = None,
    horizon: Seconds | None = None,
    warmup: Seconds | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    report_dir: Path | None = Path("out"),
    store: RunStore | str | None = None,
    record: bool = True,
) -> Run[FactoryResult]:
    """Simulate a plant, write its HTML report into `report_dir` and record the run.

    `store` is a run store or its URL (default: $NEVSIM_STORE or .nevsim/runs.sqlite);
    `record=False` or `report_dir=None` skip those steps. A run that fails records nothing.
    """
    loaded = load(scenario, "factory")
    runs = open_store(store, record)
    path = report_path(report_dir, "factory", loaded.name) if report_dir else None
    result = simulate(loaded, seed=seed, replications=replications, horizon=horizon,
                      warmup=warmup, progress=progress, workers=workers)
    if path is not None:
        from nevsim.report.factory import write_html

        write_html(result, path)
    run_id = None
    if runs is not None:
        parameters = {"replications": result.jph.replications, "horizon_s": result.horizon,
                      "warmup_s": result.warmup, "report": str(path) if path else None}
        run_id = runs.record("factory", result.scenario, loaded.model_dump_json(), seed,
                             parameters, result.summary())
    return Run(loaded, result, path, run_id, runs.shown_url if runs else None)


@dataclass(frozen=True)
class Sweep:
    """One row per value, where its report is, and its run id."""

    table: pd.DataFrame
    report: Path | None
    run_id: int | None
    store: str | None


def sweep(
    scenario_ref: str | Path,
    path: str,
    values: list[Any],
    *,
    seed: int = 0,
    replications: int | None = None,
    horizon: Seconds | None = None,
    warmup: Seconds | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    report_dir: Path | None = Path("out"),
    store: RunStore | str | None = None,
    record: bool = True,
) -> Sweep:
    """Simulate the plant once per value of the field at `path`, with the same seed.

    One row per value: takt verdict, time between vehicles and JPH with intervals, the
    bottleneck. The sweep writes its report and is recorded like a single run.
    """
    scenarios = variants(scenario_ref, path, values)  # all validated before any is simulated
    runs = open_store(store, record)
    name = scenarios[0].name
    out = report_path(report_dir, "factory-sweep", name) if report_dir else None
    rows = []
    for i, (value, scenario) in enumerate(zip(values, scenarios, strict=True)):
        result = simulate(scenario, seed=seed, replications=replications, horizon=horizon,
                          warmup=warmup, workers=workers)
        rows.append({
            "value": value,
            "takt": result.verdict.value,
            "interdeparture_s": result.interdeparture.mean,
            "interdeparture_ci95_low": result.interdeparture.low,
            "interdeparture_ci95_high": result.interdeparture.high,
            "jph_on_shift": result.jph_on_shift.mean,
            "jph_on_shift_ci95_low": result.jph_on_shift.low,
            "jph_on_shift_ci95_high": result.jph_on_shift.high,
            "annual_output": result.annual_output.mean,
            "bottleneck": result.bottleneck,
        })
        if progress is not None:
            progress(i + 1, len(values))
    table = pd.DataFrame(rows)
    if out is not None:
        from nevsim.report.sweep import write_factory_sweep

        assert scenarios[0].factory is not None
        write_factory_sweep(table, name, path, scenarios[0].factory.takt, out)
    run_id = None
    if runs is not None:
        run_id = runs.record("factory-sweep", name, scenarios[0].model_dump_json(), seed,
                             {"path": path, "values": values, "horizon_s": horizon,
                              "replications": replications,
                              "report": str(out) if out else None},
                             {"rows": records(table)})
    return Sweep(table, out, run_id, runs.shown_url if runs else None)

"""The localization planner's workflow: plan, report and record a network; sweep one field.

`sweep` answers "what does this duty, content threshold or capex change in the plan": each
row is a complete plan, so the footprint and the money can be compared side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from nevsim.document import Scenario, variants
from nevsim.experiments.executors import close, executor
from nevsim.network.objective import Objective
from nevsim.network.planning import plan
from nevsim.network.results import NetworkResult
from nevsim.network.solve import SolveStatus
from nevsim.records import records
from nevsim.store import RunStore
from nevsim.workflow.common import Run, load, open_store, report_path
from nevsim.workflow.factory import Sweep

Progress = Callable[[int, int], None]


def run(
    scenario: str | Path | Scenario,
    *,
    time_limit: float | None = None,
    gap: float = 0.0,
    objective: Objective | None = None,
    seed: int = 0,
    compare_free_trade: bool = True,
    report_dir: Path | None = Path("out"),
    store: RunStore | str | None = None,
    record: bool = True,
) -> Run[NetworkResult]:
    """Plan a network, write its HTML report into `report_dir` and record the run.

    A plan that does not exist is a result too (its status and reasons are recorded); bad
    input, and a solver that fails (numerical trouble), record nothing.
    `compare_free_trade` also plans the network without duties and content rules, to show
    what they change.
    """
    loaded = load(scenario, "network")
    runs = open_store(store, record)
    path = report_path(report_dir, "network", loaded.name) if report_dir else None
    result = plan(loaded, time_limit=time_limit, gap=gap, objective=objective, seed=seed,
                  compare_free_trade=compare_free_trade)
    if path is not None:
        from nevsim.report.network import write_html

        write_html(result, path)
    run_id = None
    if runs is not None and result.status is not SolveStatus.ERROR:
        parameters = {"time_limit_s": time_limit, "gap": gap,
                      "objective": result.objective_kind, "report": str(path) if path else None}
        run_id = runs.record("network", result.scenario, loaded.model_dump_json(), seed,
                             parameters, result.summary())
    return Run(loaded, result, path, run_id, runs.shown_url if runs else None)


def sweep(
    scenario_ref: str | Path,
    path: str,
    values: list[Any],
    *,
    time_limit: float | None = None,
    gap: float = 0.0,
    objective: Objective | None = None,
    seed: int = 0,
    progress: Progress | None = None,
    report_dir: Path | None = Path("out"),
    store: RunStore | str | None = None,
    record: bool = True,
    cluster: str | None = None,
    workers: int | None = 1,
) -> Sweep:
    """Plan the network once per value of the field at `path`.

    One row per value: outcome, profit, plants opened, duties paid, Chinese-owned share
    abroad. The sweep writes its report and is recorded like a single run. The points run on
    the executor layer: `workers` local processes (default one, as HiGHS itself uses the
    cores), or a Dask `cluster`.
    """
    scenarios = variants(scenario_ref, path, values)  # all validated before any is planned
    runs = open_store(store, record)
    name = scenarios[0].name
    out = report_path(report_dir, "network-sweep", name) if report_dir else None
    runner = executor(cluster, workers)
    try:
        planned = runner.map(_sweep_point, [(s, time_limit, gap, objective, seed)
                                            for s in scenarios], progress)
    finally:
        close(runner)
    table = pd.DataFrame([{"value": value, **row}
                          for value, row in zip(values, planned, strict=True)])
    if out is not None:
        from nevsim.report.sweep import write_network_sweep

        assert scenarios[0].network is not None
        write_network_sweep(table, name, path, scenarios[0].network.currency, out)
    run_id = None
    if runs is not None:
        run_id = runs.record("network-sweep", name, scenarios[0].model_dump_json(), seed,
                             {"path": path, "values": values, "time_limit_s": time_limit,
                              "gap": gap, "report": str(out) if out else None},
                             {"rows": records(table)})
    return Sweep(table, out, run_id, runs.shown_url if runs else None)


def _sweep_point(task: tuple[Scenario, float | None, float, Objective | None, int]
                 ) -> dict[str, Any]:
    """One sweep point's headline (run on any executor)."""
    scenario, time_limit, gap, objective, seed = task
    result = plan(scenario, time_limit=time_limit, gap=gap, objective=objective, seed=seed)
    return {
        "status": result.status.value,
        "gap": result.gap,
        "profit": result.profit,
        "plants_opened": ", ".join(result.plants_opened()),
        "duties_paid": result.duties_paid(),
        "chinese_value_share_abroad": result.chinese_share_abroad(),
    }

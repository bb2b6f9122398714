"""`nevsim factory ...` and the main job `nevsim run`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from nevsim.cli.common import (
    duration_option,
    emit_json,
    fail,
    progress_bar,
    stderr,
    stdout,
)
from nevsim.factory.simulate import simulate
from nevsim.factory.sweep import sweep
from nevsim.records import records
from nevsim.report.factory import print_summary, write_html
from nevsim.scenario.errors import ScenarioError
from nevsim.scenario.loading import load_scenario
from nevsim.scenario.overrides import parse_set
from nevsim.store import RunStore

app = typer.Typer(help="The smart factory: takt, bottleneck, buffers, failures, OEE.",
                  no_args_is_help=True)

Seed = Annotated[int, typer.Option(help="Random seed; the same seed gives the same numbers.")]
Replications = Annotated[int | None, typer.Option(min=1, help="Independent replications.")]
Horizon = Annotated[str | None, typer.Option(help="Calendar time to simulate: 8h, 30d, 1y.")]
Warmup = Annotated[str | None, typer.Option(help="Start-up time left out of the statistics.")]
Json = Annotated[bool, typer.Option("--json", help="Print the full result as JSON on stdout.")]
Out = Annotated[Path, typer.Option(help="Folder for the HTML report.")]
NoReport = Annotated[bool, typer.Option("--no-report", help="Do not write the HTML report.")]
Workers = Annotated[int | None, typer.Option(min=1, help="Local processes (default: chosen by "
                                             "the size of the run).")]


def run_factory(scenario_ref: str, seed: int, replications: int | None, horizon: str | None,
                warmup: str | None, as_json: bool, out: Path, report: bool,
                workers: int | None = None) -> None:
    """Load, simulate, print and report; bad input exits 2 with a located error."""
    try:
        scenario = load_scenario(scenario_ref)
        store = RunStore()  # opened first: a bad store fails before the simulation runs
        horizon_s = duration_option(horizon, "--horizon")
        warmup_s = duration_option(warmup, "--warmup")
        with progress_bar("simulating", enabled=not as_json) as progress:
            result = simulate(scenario, seed=seed, replications=replications,
                              horizon=horizon_s, warmup=warmup_s, progress=progress,
                              workers=workers)
    except ScenarioError as exc:
        raise fail(exc) from None
    path = None
    if report:
        path = write_html(result, out / f"factory-{result.scenario}.html")
    parameters = {"replications": result.jph.replications, "horizon_s": result.horizon,
                  "warmup_s": result.warmup, "report": str(path) if path else None}
    run_id = store.record("factory", result.scenario, scenario.model_dump_json(), seed,
                          parameters, result.summary())
    if as_json:
        payload: dict[str, Any] = result.to_dict()
        payload["report"] = str(path) if path else None
        payload["run_id"] = run_id
        emit_json(payload)
        return
    print_summary(result, stdout)
    if path is not None:
        stdout.print(f"HTML report written to [bold]{path}[/bold]")
    stdout.print(f"Recorded as run {run_id} in {store.url}")


@app.command("simulate")
def simulate_command(
    scenario: Annotated[str, typer.Argument(help="A YAML file or a built-in scenario name.")],
    seed: Seed = 0,
    replications: Replications = None,
    horizon: Horizon = None,
    warmup: Warmup = None,
    as_json: Json = False,
    out: Out = Path("out"),
    no_report: NoReport = False,
    workers: Workers = None,
) -> None:
    """Simulate a plant and say whether it holds its takt, where the bottleneck is, the OEE."""
    run_factory(scenario, seed, replications, horizon, warmup, as_json, out, not no_report,
                workers)


def main_job(seed: int, replications: int | None, horizon: str | None, as_json: bool,
             out: Path, no_report: bool, workers: int | None = None) -> None:
    """The main job: a year of the built-in plant `yizhuang`."""
    if not as_json:
        stderr.print("Simulating the built-in plant [bold]yizhuang[/bold] (one year of its "
                     "shift calendar) ...")
    run_factory("yizhuang", seed, replications, horizon, None, as_json, out, not no_report,
                workers)


@app.command("sweep")
def sweep_command(
    scenario: Annotated[str, typer.Argument(help="A YAML file or a built-in scenario name.")],
    set_: Annotated[str, typer.Option("--set", help="PATH=V1,V2,... e.g. "
                    "'factory.buffers[name=painted-body store].capacity=50,100,150'")],
    seed: Seed = 0,
    replications: Replications = None,
    horizon: Horizon = None,
    warmup: Warmup = None,
    as_json: Json = False,
    workers: Workers = None,
) -> None:
    """Simulate the plant once per value of one field (same seed for all: common random numbers)."""
    try:
        path, values = parse_set(set_)
        with progress_bar("sweeping", enabled=not as_json) as progress:
            table = sweep(scenario, path, values, seed=seed, replications=replications,
                          horizon=duration_option(horizon, "--horizon"),
                          warmup=duration_option(warmup, "--warmup"), workers=workers,
                          progress=progress)
    except ScenarioError as exc:
        raise fail(exc) from None
    if as_json:
        emit_json({"path": path, "rows": records(table)})
        return
    out = Table(title=escape(f"{scenario}: {path}"))
    for col in ("value", "takt met", "s between vehicles", "JPH on shift", "annual output",
                "bottleneck"):
        out.add_column(col, justify="left" if col in ("value", "bottleneck") else "right")
    for row in table.itertuples():
        out.add_row(str(row.value), "yes" if row.takt_met else "no",
                    f"{row.interdeparture_s:.1f} [{row.interdeparture_ci95_low:.1f}, "
                    f"{row.interdeparture_ci95_high:.1f}]",
                    f"{row.jph_on_shift:.1f}", f"{row.annual_output:,.0f}", str(row.bottleneck))
    stdout.print(out)

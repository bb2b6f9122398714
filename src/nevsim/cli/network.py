"""`nevsim network ...`: a thin shell over `nevsim.workflow.network`."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from nevsim.cli.common import (
    emit_json,
    emit_run,
    examples,
    group,
    handled,
    print_where,
    progress_bar,
    stderr,
    stdout,
)
from nevsim.cli.experiment import Cluster
from nevsim.network.objective import Objective

app = group("Full-stack localization: footprint, sourcing, landed cost, timeline.")

EXIT_NO_PLAN = 1
Seed = Annotated[int, typer.Option(min=0, help="Seed of the solver's random choices; the "
                                   "same seed gives the same plan.")]


@app.command("solve", epilog=examples(
    "nevsim network solve fullstack",
    "nevsim network solve fullstack --objective cost --no-compare --json --no-report"))
def solve_command(
    scenario: Annotated[str, typer.Argument(help="A YAML file or a built-in scenario name.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the full result as JSON.")] = False,
    time_limit: Annotated[float | None, typer.Option(
        min=0.01, help="Seconds HiGHS may take; the best plan and its gap come back.")] = None,
    gap: Annotated[float, typer.Option(
        min=0.0, max=1.0, help="Relative optimality gap to stop at (0: proven optimal).")] = 0.0,
    objective: Annotated[Objective | None, typer.Option(
        help="profit (demand may go unserved) or cost (all demand served).")] = None,
    seed: Seed = 0,
    out: Annotated[Path, typer.Option(help="Folder for the HTML report.")] = Path("out"),
    no_report: Annotated[bool, typer.Option("--no-report", help="No HTML report.")] = False,
    compare: Annotated[bool, typer.Option(
        help="Also plan without duties and content rules, to show what they change.")] = True,
) -> None:
    """Plan the network; exit 1 when no plan exists (the reasons are printed), 2 on bad input."""
    from nevsim.report.network import print_summary
    from nevsim.workflow import network as workflow

    with handled(), (stderr.status("building and solving the plan", spinner="dots")
                     if not as_json else nullcontext()):
        done = workflow.run(scenario, time_limit=time_limit, gap=gap, objective=objective,
                            seed=seed, compare_free_trade=compare,
                            report_dir=None if no_report else out)
    result = done.result
    if as_json:
        emit_run(result.to_dict(), done.report, done.run_id)
    else:
        print_summary(result, stdout)
        print_where(done.report, done.run_id, done.store)
    if not result.has_plan:
        raise typer.Exit(EXIT_NO_PLAN)


@app.command("sweep", epilog=examples(
    "nevsim network sweep fullstack --set 'network.duties[name=EU CVD BYD].rate=0,0.17,0.35'"))
def sweep_command(
    scenario: Annotated[str, typer.Argument(help="A YAML file or a built-in scenario name.")],
    set_: Annotated[str, typer.Option("--set", help="PATH=V1,V2,... e.g. "
                    "'network.duties[name=EU CVD BYD].rate=0,0.17,0.35'")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the table as JSON.")] = False,
    time_limit: Annotated[float | None, typer.Option(
        min=0.01, help="Seconds HiGHS may take for each plan.")] = None,
    gap: Annotated[float, typer.Option(min=0.0, max=1.0, help="Relative gap to stop at.")] = 0.0,
    objective: Annotated[Objective | None, typer.Option(help="profit or cost.")] = None,
    seed: Seed = 0,
    out: Annotated[Path, typer.Option(help="Folder for the HTML report.")] = Path("out"),
    no_report: Annotated[bool, typer.Option("--no-report", help="No HTML report.")] = False,
    workers: Annotated[int, typer.Option(min=1, help="Local processes, one plan each.")] = 1,
    cluster: Cluster = None,
) -> None:
    """Plan the network once per value of one field: what a duty or a rule changes."""
    from nevsim.records import records
    from nevsim.scenario.overrides import parse_set
    from nevsim.workflow import network as workflow

    with handled(), progress_bar("planning", enabled=not as_json) as progress:
        path, values = parse_set(set_)
        done = workflow.sweep(scenario, path, values, time_limit=time_limit, gap=gap,
                              objective=objective, seed=seed, progress=progress,
                              report_dir=None if no_report else out, workers=workers,
                              cluster=cluster)
    table = done.table
    if as_json:
        emit_json({"path": path, "rows": records(table),
                   "report": str(done.report) if done.report else None,
                   "run_id": done.run_id})
        return
    shown = Table(title=escape(f"{scenario}: {path}"))
    for col in ("value", "status", "profit (bn)", "plants opened", "duties paid (bn)"):
        shown.add_column(col, justify="right" if "bn" in col else "left")
    for row in table.to_dict("records"):
        profit = "-" if row["profit"] is None else f"{row['profit'] / 1e9:,.2f}"
        duties = "-" if row["duties_paid"] is None else f"{row['duties_paid'] / 1e9:,.2f}"
        shown.add_row(escape(str(row["value"])), str(row["status"]), profit,
                      escape(str(row["plants_opened"]) or "none"), duties)
    stdout.print(shown)
    print_where(done.report, done.run_id, done.store)

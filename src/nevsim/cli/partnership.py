"""`nevsim partnership ...`: a thin shell over `nevsim.workflow.partnership`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nevsim.cli.common import emit_run, examples, group, handled, print_where, progress_bar, stdout
from nevsim.cli.experiment import Cluster
from nevsim.cli.factory import Json, NoReport, Out, Workers

app = group("Win-win partnership: the joint gain of pooling assets, and a fair, stable split.")


@app.command("solve", epilog=examples(
    "nevsim partnership solve alliance",
    "nevsim partnership solve alliance --workers 2 --json --no-report"))
def solve_command(
    scenario: Annotated[str, typer.Argument(help="A YAML file or a built-in scenario name.")],
    as_json: Json = False,
    time_limit: Annotated[float | None, typer.Option(
        min=0.01, help="Seconds HiGHS may take for each coalition's plan.")] = None,
    workers: Workers = None,
    cluster: Cluster = None,
    out: Out = Path("out"),
    no_report: NoReport = False,
) -> None:
    """Plan every coalition of the partners, then split the grand coalition's value."""
    from nevsim.report.partnership import print_summary
    from nevsim.workflow import partnership as workflow

    with handled(), progress_bar("planning coalitions", enabled=not as_json) as progress:
        done = workflow.run(scenario, time_limit=time_limit, workers=workers, cluster=cluster,
                            progress=progress, report_dir=None if no_report else out)
    if as_json:
        emit_run(done.result.to_dict(), done.report, done.run_id)
        return
    print_summary(done.result, stdout)
    print_where(done.report, done.run_id, done.store)

"""`nevsim experiment ...`: a thin shell over `nevsim.workflow.experiment`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nevsim.cli.common import emit_run, examples, group, handled, print_where, progress_bar, stdout
from nevsim.cli.factory import Json, NoReport, Out, Workers

app = group("Experiments: many designs x replications, compared with confidence intervals.")

Cluster = Annotated[str | None, typer.Option(
    help="A Dask scheduler (tcp://HOST:PORT) or `local` for a LocalCluster; default: "
    "$NEVSIM_CLUSTER, else the local process pool.")]


@app.command("run", epilog=examples(
    "nevsim experiment run buffers.yaml",
    "nevsim experiment run buffers.yaml --cluster local --json --no-report"))
def run_command(
    spec: Annotated[Path, typer.Argument(help="The experiment spec (YAML).")],
    cluster: Cluster = None,
    workers: Workers = None,
    as_json: Json = False,
    out: Out = Path("out"),
    no_report: NoReport = False,
) -> None:
    """Run every design point and replication; rank the designs with their intervals."""
    from nevsim.report.experiment import print_summary
    from nevsim.workflow import experiment as workflow

    with handled(), progress_bar("running", enabled=not as_json) as progress:
        done = workflow.run(spec, cluster=cluster, workers=workers, progress=progress,
                            report_dir=None if no_report else out)
    if as_json:
        emit_run(done.result.to_dict(), done.report, done.run_id)
        return
    print_summary(done.result, stdout)
    print_where(done.report, done.run_id, done.store)

"""`nevsim runs list|show`: what ran, with which inputs, and what came out."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from nevsim.cli.common import group, handled, stdout

app = group("The run store ($NEVSIM_STORE, default .nevsim/runs.sqlite).")


@app.command("list")
def list_command(
    limit: Annotated[int, typer.Option(min=1, help="How many recent runs.")] = 20,
) -> None:
    """The most recent runs."""
    from nevsim.store import RunStore

    with handled():
        records = RunStore().runs(limit)
    table = Table(title="Runs")
    for col in ("id", "when (UTC)", "part", "scenario", "seed", "headline"):
        table.add_column(col)
    for r in records:
        headline = ""
        if "takt_verdict" in r.summary:
            headline = (f"takt {r.summary['takt_verdict']}, "
                        f"{r.summary['interdeparture_s']['mean']:.1f} s")
        elif "sop_p50" in r.summary:
            headline = (f"SOP P50 {r.summary['sop_p50']} ({r.summary['months_p50']:.1f} "
                        f"months), P80 {r.summary['sop_p80']}")
        elif "best_design" in r.summary:
            design = ", ".join(f"{k.rsplit('.', 1)[-1]}={v}"
                               for k, v in r.summary["best_design"].items())
            headline = (f"best of {r.summary['points']}: {design}, {r.summary['objective']} "
                        f"{r.summary['best_mean']:,.2f}")
        elif "joint_gain" in r.summary:
            headline = (f"together {r.summary['grand_value'] / 1e9:,.2f} bn, joint gain "
                        f"{r.summary['joint_gain'] / 1e9:,.2f} bn {r.summary['currency']}, "
                        f"core {'empty' if r.summary['core_empty'] else 'not empty'}")
        elif "status" in r.summary:
            profit = r.summary.get("profit")
            headline = r.summary["status"] + (f", profit {profit / 1e9:,.2f} bn "
                                              f"{r.summary.get('currency', '')}"
                                              if profit is not None else "")
        table.add_row(str(r.id), r.created_at.strftime("%Y-%m-%d %H:%M"), r.part, r.scenario,
                      str(r.seed), headline)
    stdout.print(table)


@app.command("show")
def show_command(run_id: Annotated[int, typer.Argument(help="Run id.")]) -> None:
    """One run's inputs and results, as JSON."""
    from nevsim.store import RunStore

    with handled():
        record = RunStore().get(run_id)
    typer.echo(json.dumps({
        "id": record.id, "created_at": record.created_at.isoformat(), "part": record.part,
        "scenario": record.scenario, "scenario_sha256": record.scenario_sha256,
        "seed": record.seed, "parameters": record.parameters, "summary": record.summary,
        "nevsim_version": record.nevsim_version}, indent=2))

"""The root `nevsim` command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel

from nevsim.cli import factory, network, runs, scenarios
from nevsim.cli.common import fail
from nevsim.scenario.document import PARTS, Scenario
from nevsim.scenario.errors import Problem, ScenarioError

app = typer.Typer(help="nevsim: simulate and plan the NEV industrial chain.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
app.add_typer(factory.app, name="factory")
app.add_typer(network.app, name="network")
app.add_typer(scenarios.app, name="scenarios")
app.add_typer(runs.app, name="runs")


@app.command("run")
def run_command(
    seed: factory.Seed = 0,
    replications: factory.Replications = None,
    horizon: factory.Horizon = None,
    as_json: factory.Json = False,
    out: factory.Out = Path("out"),
    no_report: factory.NoReport = False,
    workers: factory.Workers = None,
) -> None:
    """The main job: simulate a year of the built-in smart plant and write the report."""
    factory.main_job(seed, replications, horizon, as_json, out, no_report, workers)


@app.command("schema")
def schema_command(
    part: Annotated[str, typer.Argument(
        help="`scenario` (the whole file) or a part: factory, network.")],
) -> None:
    """Print the JSON Schema of a scenario part, for editors and validators."""
    models: dict[str, type[BaseModel]] = {"scenario": Scenario, **PARTS}
    if part not in models:
        raise fail(ScenarioError([Problem("", f"unknown part; choose {', '.join(models)}",
                                          part)]))
    schema = models[part].model_json_schema(by_alias=True)
    typer.echo(json.dumps(schema, indent=2))


def main() -> None:
    """Entry point of the `nevsim` script."""
    app()

"""The root `nevsim` command: the main job, the schema, and the command groups."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from nevsim.cli import experiment, factory, network, partnership, program, runs, scenarios
from nevsim.cli.common import group, handled, stderr
from nevsim.scenario.errors import Problem, UsageError
from nevsim.workflow import MAIN_SCENARIO

app = group("nevsim: simulate and plan the NEV industrial chain.", add_completion=False,
            pretty_exceptions_enable=False)
app.add_typer(factory.app, name="factory")
app.add_typer(network.app, name="network")
app.add_typer(program.app, name="program")
app.add_typer(partnership.app, name="partnership")
app.add_typer(experiment.app, name="experiment")
app.add_typer(scenarios.app, name="scenarios")
app.add_typer(runs.app, name="runs")


def _version(value: bool) -> None:
    if value:
        from nevsim import __version__

        typer.echo(f"nevsim {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """nevsim: simulate and plan the NEV industrial chain."""


@app.command("run")
def run_command(
    scenario: Annotated[str, typer.Argument(
        help="A YAML file or a built-in scenario name.")] = MAIN_SCENARIO,
    seed: factory.Seed = 0,
    replications: factory.Replications = None,
    horizon: factory.Horizon = None,
    as_json: factory.Json = False,
    out: factory.Out = Path("out"),
    no_report: factory.NoReport = False,
    workers: factory.Workers = None,
) -> None:
    """The main job: simulate a year of a plant (the built-in yizhuang) and write the report."""
    if not as_json and scenario == MAIN_SCENARIO:
        stderr.print(f"Simulating the built-in plant [bold]{MAIN_SCENARIO}[/bold] (one "
                             "year of its shift calendar) ...")
    factory.simulate_and_print(scenario, seed, replications, horizon, None, as_json, out,
                               not no_report, workers)


@app.command("schema")
def schema_command(
    part: Annotated[str, typer.Argument(
        help="`scenario` (the whole file) or a part: factory, network, program.")],
) -> None:
    """Print the JSON Schema of a scenario part, for editors and validators."""
    from pydantic import BaseModel

    from nevsim.document import PARTS, Scenario

    models: dict[str, type[BaseModel]] = {"scenario": Scenario, **PARTS}
    with handled():
        if part not in models:
            raise UsageError([Problem("part", f"unknown part; choose {', '.join(models)}",
                                      part)])
    schema = models[part].model_json_schema(by_alias=True)
    typer.echo(json.dumps(schema, indent=2))


def main() -> None:
    """Entry point of the `nevsim` script."""
    app()

"""`nevsim scenarios list|show`: the scenarios shipped inside nevsim."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from nevsim.cli.common import group, handled, stdout
from nevsim.scenario.errors import Problem, UsageError

app = group("Built-in scenarios.")


@app.command("list")
def list_command() -> None:
    """List the built-in scenarios."""
    from nevsim.document import PARTS, load_scenario
    from nevsim.scenario.reading import builtin_names

    table = Table(title="Built-in scenarios")
    table.add_column("name", style="bold")
    table.add_column("parts")
    table.add_column("description")
    for name in builtin_names():
        scenario = load_scenario(name)
        parts = ", ".join(p for p in PARTS if getattr(scenario, p) is not None)
        table.add_row(name, parts, scenario.description)
    stdout.print(table)


@app.command("show")
def show_command(
    name: Annotated[str, typer.Argument(help="Built-in scenario name.")],
) -> None:
    """Print a built-in scenario's YAML (copy it to start your own)."""
    from nevsim.scenario.reading import builtin_names, builtin_text

    with handled():
        if name not in builtin_names():
            raise UsageError([Problem("name", "no built-in scenario of that name; built-ins: "
                                      f"{', '.join(builtin_names())}", name)])
    stdout.out(builtin_text(name), highlight=False)

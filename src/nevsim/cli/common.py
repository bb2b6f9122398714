"""What every command shares: located errors with exit code 2, JSON output, progress bars."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from nevsim.scenario.errors import Problem, ScenarioError
from nevsim.scenario.units import parse_duration

EXIT_BAD_INPUT = 2
stdout = Console()
stderr = Console(stderr=True)


def fail(error: ScenarioError) -> typer.Exit:
    """Print a located error on stderr; the caller raises the returned Exit(2)."""
    stderr.print(f"[bold red]error:[/bold red] {escape(error.render())}", highlight=False,
                 markup=True, soft_wrap=True)
    return typer.Exit(EXIT_BAD_INPUT)


def duration_option(value: str | None, option: str) -> float | None:
    """Parse a `--horizon 30d` style option, or fail with a located error."""
    if value is None:
        return None
    try:
        seconds = parse_duration(value)
    except ValueError as exc:
        raise ScenarioError([Problem(option, str(exc))]) from None
    if seconds <= 0:
        raise ScenarioError([Problem(option, "must be positive", value)])
    return seconds


def emit_json(payload: dict[str, Any]) -> None:
    """Machine-readable result: JSON alone on stdout."""
    sys.stdout.write(json.dumps(payload, indent=2, allow_nan=False, default=str) + "\n")


@contextmanager
def progress_bar(label: str, enabled: bool = True) -> Iterator[Callable[[int, int], None]]:
    """A Rich progress bar on stderr, driven by (done, total) callbacks."""
    if not enabled:
        yield lambda done, total: None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/"
                  "{task.total}"), TimeElapsedColumn(), console=stderr, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update

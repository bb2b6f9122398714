"""What every command shares: errors without tracebacks, JSON output, progress bars."""

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

from nevsim.scenario.errors import NevsimError

stdout = Console()
stderr = Console(stderr=True)


def group(help_text: str, **options: Any) -> typer.Typer:
    """A command group; plain click help (rich's help renderer costs 0.15 s of start-up)."""
    return typer.Typer(help=help_text, no_args_is_help=True, rich_markup_mode=None, **options)


def examples(*commands: str) -> str:
    """An epilog listing example commands, one per line as written (tests run each)."""
    return "\b\nExamples:\n" + "\n".join(f"  {command}" for command in commands)


def fail(error: NevsimError) -> typer.Exit:
    """Print an error on stderr; the caller raises the returned Exit (the error's code)."""
    stderr.print(f"[bold red]error:[/bold red] {escape(error.render())}", highlight=False,
                 markup=True, soft_wrap=True)
    return typer.Exit(error.exit_code)


@contextmanager
def handled() -> Iterator[None]:
    """Run a command's work: a NevsimError becomes a message and its exit code."""
    try:
        yield
    except NevsimError as exc:
        raise fail(exc) from None


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

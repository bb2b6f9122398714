"""What every command shares: errors without tracebacks, JSON output, progress bars."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from nevsim.scenario.errors import NevsimError

stdout = Console()
stderr = Console(stderr=True)


def group(help_text: str, **options: Any) -> typer.Typer:
    """A command group; plain click help (rich's help renderer costs 0.15 s of start-up)."""
    return typer.Typer(help=help_text, no_args_is_help=True, rich_markup_mode=None, **options)


def examples(*commands: str) -> str:
    """An epilog listing example commands, one per line as written (tests run each)."""
    return "\b\nExamples:\n" + "\n".join(f"  {command}" for command in commands)


def print_where(report: object, run_id: int | None, store: str | None) -> None:
    """Where the report went and under which id the run is recorded."""
    if report is not None:
        stdout.print(f"HTML report written to [bold]{escape(str(report))}[/bold]")
    if run_id is not None:
        stdout.print(f"Recorded as run {run_id} in {escape(str(store))}")


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


def emit_run(payload: dict[str, Any], report: object, run_id: int | None) -> None:
    """A run's result as JSON, with where its report went and its run id."""
    emit_json({**payload, "report": str(report) if report else None, "run_id": run_id})


LOG_EVERY = 10.0
"""Seconds between progress lines when stderr is not a terminal (a CI log, a pipe)."""


@contextmanager
def progress_bar(label: str, enabled: bool = True) -> Iterator[Callable[[int, int], None]]:
    """Progress driven by (done, total) callbacks, on stderr.

    On a terminal a bar with the count and the time left; elsewhere a plain line every
    LOG_EVERY seconds and at the end. Nothing is shown before the total is known.
    """
    if not enabled:
        yield lambda done, total: None
        return
    if not stderr.is_terminal:
        started = time.perf_counter()
        last = [started]

        def log(done: int, total: int) -> None:
            now = time.perf_counter()
            if done < total and now - last[0] < LOG_EVERY:
                return
            last[0] = now
            elapsed = now - started
            left = elapsed / done * (total - done) if done else float("nan")
            eta = f", about {left:.0f} s left" if done < total and done else ""
            print(f"{label}: {done}/{total} ({done / total:.0%}) after {elapsed:.0f} s{eta}",
                  file=sys.stderr, flush=True)

        yield log
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                  console=stderr, transient=True) as bar:
        task = bar.add_task(label, total=None, visible=False)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, visible=True)

        yield update

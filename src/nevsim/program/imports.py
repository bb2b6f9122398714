"""Schedules from other tools as program scenarios: Microsoft Project XML or Primavera XER."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nevsim.scenario.errors import Problem, ScenarioError


def read_schedule(path: str | Path) -> dict[str, Any]:
    """A scenario mapping from a schedule file, by what the file holds (not its name)."""
    from nevsim.program import mspdi, xer

    try:
        with Path(path).open("rb") as handle:
            head = handle.read(64)
    except OSError as exc:
        raise ScenarioError([Problem("", f"cannot read the file: {exc.strerror or exc}")],
                            str(path)) from None
    if head.lstrip(b"\xef\xbb\xbf").startswith(b"ERMHDR"):
        return xer.read(path)
    return mspdi.read(path)

"""Schedules from other tools as program scenarios: Microsoft Project XML or Primavera XER."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nevsim.scenario.errors import Problem, ScenarioError

SOP = "SOP"
"""The milestone an imported schedule ends at, unless it has one of that name."""


def unique_name(name: str, seen: dict[str, int]) -> str:
    """The name, or `name (2)`, `name (3)` ... when taken: a program refers to tasks by name."""
    if name in seen:
        seen[name] += 1
        return f"{name} ({seen[name]})"
    seen[name] = 1
    return name


def end_at_sop(items: list[dict[str, Any]], links: list[dict[str, Any]]) -> str:
    """The name of the SOP milestone; without one named SOP, add it after every open end."""
    sop = next((t["name"] for t in items if t["name"].upper() == SOP), None)
    if sop is not None:
        return str(sop)
    has_successor = {link["from"] for link in links}
    sinks = [t["name"] for t in items if t["name"] not in has_successor]
    items.append({"name": SOP})
    links += [{"from": name, "to": SOP} for name in sinks]
    return SOP


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

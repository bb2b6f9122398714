"""Errors a user can act on: one base class, one kind per cause, each with its exit code.

`ScenarioError` names the file, the field path, the value and the fix; `UsageError` a
command-line option or argument; `StoreError` the run store (never with its password). The
CLI prints any `NevsimError` without a traceback and exits with its code.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ECHO_LIMIT = 200
"""Characters of a bad value echoed in a message (a huge value is cut, never printed whole)."""


def echo(value: Any) -> str:
    """A bad value as a message shows it: its repr, cut to ECHO_LIMIT characters."""
    text = repr(value)
    if len(text) > ECHO_LIMIT:
        return f"{text[:ECHO_LIMIT]}... ({len(text):,} characters)"
    return text


def did_you_mean(name: Any, known: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the known name closest to a misspelt one, or nothing."""
    close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def duplicate_names(items: Iterable[object], path: str, why: str) -> Iterable[Problem]:
    """A located problem for each item whose `name` an earlier item in the list has.

    `why` says what the names are used for, so the user sees why they must differ.
    """
    seen: set[str] = set()
    for i, item in enumerate(items):
        name = str(getattr(item, "name"))  # noqa: B009 - every listed entity has a name
        if name in seen:
            yield Problem(f"{path}[{i}].name", f"duplicate name; {why}", name)
        seen.add(name)


@dataclass(frozen=True)
class Problem:
    """One thing wrong, located by a field path (or an option name)."""

    path: str
    message: str
    value: Any = None

    def render(self, source: str | None) -> str:
        """Human line: `file: field.path: message (got value)`."""
        where = "".join(f"{part}: " for part in (source, self.path) if part)
        got = "" if self.value is None else f" (got {echo(self.value)})"
        return f"{where}{self.message}{got}"


class NevsimError(Exception):
    """Something the user can fix; the CLI prints `render()` and exits with `exit_code`."""

    exit_code = 2

    def __init__(self, problems: list[Problem], source: str | Path | None = None) -> None:
        self.problems = problems
        self.source = str(source) if source is not None else None
        super().__init__(self.render())

    def render(self) -> str:
        """All problems, one per line."""
        return "\n".join(p.render(self.source) for p in self.problems)


class ScenarioError(NevsimError, ValueError):
    """A scenario that cannot be used, with every located problem found."""

    def with_source(self, source: str | Path) -> ScenarioError:
        """The same problems, attributed to a file."""
        return ScenarioError(self.problems, source)


class UsageError(NevsimError, ValueError):
    """A command-line option, argument or API parameter that cannot be used."""


class StoreError(NevsimError):
    """The run store cannot be opened, written or read."""

    exit_code = 3


def format_loc(loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic location tuple into a dotted path with list indices: `a.b[2].c`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out

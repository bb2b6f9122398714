"""Located scenario errors: every problem names the file, the field path, the value and the fix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario, located by field path."""

    path: str
    message: str
    value: Any = None

    def render(self, source: str | None) -> str:
        """Human line: `file: field.path: message (got value)`."""
        where = f"{source}: " if source else ""
        got = "" if self.value is None else f" (got {self.value!r})"
        return f"{where}{self.path or '<root>'}: {self.message}{got}"


class ScenarioError(ValueError):
    """A scenario that cannot be used, with every located problem found."""

    def __init__(self, problems: list[Problem], source: str | Path | None = None) -> None:
        self.problems = problems
        self.source = str(source) if source is not None else None
        super().__init__(self.render())

    def render(self) -> str:
        """All problems, one per line."""
        return "\n".join(p.render(self.source) for p in self.problems)

    def with_source(self, source: str | Path) -> ScenarioError:
        """The same problems, attributed to a file."""
        return ScenarioError(self.problems, source)


def format_loc(loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic location tuple into a dotted path with list indices: `a.b[2].c`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out

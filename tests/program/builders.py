"""Small programs written in the tests, as the mapping a user writes."""

from __future__ import annotations

import itertools
from typing import Any

from nevsim.document import Scenario, scenario_from_dict


def program(tasks: list[dict[str, Any]], links: list[dict[str, Any]] | None = None,
            **fields: Any) -> Scenario:
    """A scenario with a program ending at the task named SOP (added as a milestone if absent)."""
    names = {t["name"] for t in tasks}
    if "SOP" not in names:
        tasks = [*tasks, {"name": "SOP"}]
    section: dict[str, Any] = {"start": "2025-01-06", "sop": "SOP", "tasks": tasks,
                               "links": links or [], **fields}
    return scenario_from_dict({"name": "test", "program": section})


def chain(*names: str) -> list[dict[str, str]]:
    """Finish-to-start links through the named tasks in order."""
    return [{"from": a, "to": b} for a, b in itertools.pairwise(names)]

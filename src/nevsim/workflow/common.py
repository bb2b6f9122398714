"""What every part's workflow shares: loading, the run store, report paths, the outcome."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from nevsim.document import Scenario, load_scenario
from nevsim.scenario.errors import Problem, ScenarioError, UsageError
from nevsim.scenario.reading import builtin_names
from nevsim.store import RunStore

R = TypeVar("R")


@dataclass(frozen=True)
class Run(Generic[R]):
    """One analysis run: its scenario, its result, where its report is and its run id."""

    scenario: Scenario
    result: R
    report: Path | None
    run_id: int | None
    store: str | None  # the run store's URL, without any password


def load(scenario: str | Path | Scenario, part: str | None = None) -> Scenario:
    """A scenario given as a file, a built-in name, or already loaded.

    With `part`, the scenario must have that section (else a ScenarioError naming the file).
    """
    loaded = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    if part is not None and getattr(loaded, part) is None:
        source = loaded.name if isinstance(scenario, Scenario) else str(scenario)
        if not isinstance(scenario, Scenario) and str(scenario) in builtin_names():
            source = f"<built-in {scenario}>"
        raise ScenarioError([Problem(part, f"this scenario has no {part} section; add one or "
                                     f"pick a scenario with it")], source)
    return loaded


def open_store(store: RunStore | str | None, record: bool) -> RunStore | None:
    """The run store to record in (None: do not record).

    It is opened before the run, so a bad store fails before any work is done.
    """
    if not record:
        return None
    return store if isinstance(store, RunStore) else RunStore(store)


def report_path(folder: Path, part: str, scenario: str, option: str = "--out") -> Path:
    """`folder/part-scenario.html`, the name made safe for any file system and shell."""
    if folder.exists() and not folder.is_dir():
        raise UsageError([Problem(option, "the report folder is an existing file; give a "
                                  "folder", str(folder))])
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", scenario).strip("-.") or "scenario"
    return folder / f"{part}-{slug}.html"

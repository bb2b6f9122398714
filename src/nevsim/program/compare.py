"""Two programs side by side, and the waterfall of the changes that lead from one to the other.

Program B lists its `changes` in an order; every item of B that is new or different from A's
carries the `change:` it belongs to, and every item of A that B drops is listed in a change's
`removes`. Applying the changes to A one at a time gives a program per step; each is checked
and simulated with the same seed, so a user sees which change gives how much of the gain.
Items are matched by name (tasks, risks, loops), by `from -> to (type)` (links) and by their
set of tasks (correlations).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from nevsim.program.checks import program_problems
from nevsim.program.model import Link, LinkType, Program
from nevsim.program.results import ProgramResult
from nevsim.scenario.errors import Problem, ScenarioError

_LINK = re.compile(r"^\s*(.+?)\s*->\s*(.+?)\s*(?:\(\s*(FS|SS|FF|SF)\s*\))?\s*$")
KINDS = ("tasks", "links", "correlations", "risks", "loops", "branches")


def link_key(link: Link) -> tuple[str, str, str]:
    """A link's identity: its two tasks and its type."""
    return (link.before, link.after, link.type.value)


def _key(kind: str, item: Any) -> Hashable:
    if kind == "links":
        return link_key(item)
    if kind == "correlations":
        return frozenset(item.tasks)
    return str(item.name)


def _plain(item: Any) -> dict[str, Any]:
    """An item as data, without its change tag (what decides whether it differs)."""
    return item.model_dump(by_alias=True, exclude={"change"})  # type: ignore[no-any-return]


def _removal_key(kind: str, text: Any) -> Hashable:
    if kind == "links":
        match = _LINK.match(str(text))
        if not match:
            raise ValueError(f"expected `from -> to` or `from -> to (SS)`, got {text!r}")
        return (match[1], match[2], match[3] or LinkType.FS.value)
    if kind == "correlations":
        return frozenset(text)
    return str(text)


@dataclass(frozen=True)
class Step:
    """The program after applying the changes up to and including `change`."""

    change: str
    program: Program


def steps(a: Program, b: Program, source: str = "B") -> list[Step]:
    """A with B's changes applied one at a time (the last step is B, its target apart).

    Raises a ScenarioError, located in B, for a difference no change accounts for, a removal
    of something A lacks, or a step whose program does not pass the checks.
    """
    problems: list[Problem] = []
    removed: dict[str, dict[Hashable, str]] = {kind: {} for kind in KINDS}
    for i, change in enumerate(b.changes):
        for kind in KINDS:
            for j, text in enumerate(getattr(change.removes, kind, [])):
                try:
                    key = _removal_key(kind, text)
                except ValueError as exc:
                    problems.append(Problem(f"program.changes[{i}].removes.{kind}[{j}]",
                                            str(exc)))
                    continue
                present = {_key(kind, item) for item in getattr(a, kind)}
                if key not in present:
                    problems.append(Problem(f"program.changes[{i}].removes.{kind}[{j}]",
                                            "the program compared against has no such item",
                                            text if isinstance(text, str) else None))
                removed[kind][key] = change.name
    settings: dict[str, str] = {str(name): c.name for c in b.changes for name in c.settings}
    if a.sop != b.sop:
        problems.append(Problem("program.sop", f"both programs need the same SOP milestone; "
                                f"the other's is {a.sop!r}", b.sop))
    for kind in KINDS:
        theirs = {_key(kind, item): item for item in getattr(a, kind)}
        ours = {_key(kind, item) for item in getattr(b, kind)}
        for i, item in enumerate(getattr(b, kind)):
            old = theirs.get(_key(kind, item))
            if (old is None or _plain(old) != _plain(item)) and item.change is None:
                what = "is new" if old is None else "differs from the other program's"
                problems.append(Problem(f"program.{kind}[{i}]", f"{what} but names no change; "
                                        "add change: <one of changes>"))
        gone_tasks = set(removed["tasks"])
        for key, item in theirs.items():
            if key in ours or key in removed[kind]:
                continue
            if kind == "links" and {item.before, item.after} & gone_tasks:
                continue  # a removed task takes its links along
            problems.append(Problem("program.changes", f"the other program's {kind[:-1]} "
                                    f"{_label(kind, item)} is not in this one; list it under "
                                    f"removes.{kind} of the change that drops it"))
    for name in ("overhead_per_day", "calendar", "days_per_week", "days_per_month", "start"):
        if getattr(a, name) != getattr(b, name) and name not in settings:
            problems.append(Problem(f"program.{name}", "differs from the other program's; "
                                    "name it under settings: of a change"))
    if problems:
        raise ScenarioError(problems, source)
    current = a.model_copy(update={"changes": b.changes, "target": b.target})
    out = []
    for i, change in enumerate(b.changes):
        current = _apply(current, b, change.name, removed, settings)
        found = program_problems(current)
        if found:
            raise ScenarioError([Problem(f"program.changes[{i}]", "the program after this "
                                         f"change is not valid: {p.path}: {p.message}", p.value)
                                 for p in found], source)
        out.append(Step(change.name, current))
    return out


def _label(kind: str, item: Any) -> str:
    if kind == "links":
        return f"{item.before} -> {item.after} ({item.type.value})"
    if kind == "correlations":
        return "[" + ", ".join(item.tasks) + "]"
    return repr(item.name)


def _apply(current: Program, b: Program, change: str,
           removed: dict[str, dict[Hashable, str]], settings: dict[str, str]) -> Program:
    """One step: drop what the change removes, take B's items tagged with it."""
    gone = {key for key, name in removed["tasks"].items() if name == change}
    update: dict[str, Any] = {}
    for kind in KINDS:
        items = [item for item in getattr(current, kind)
                 if removed[kind].get(_key(kind, item)) != change
                 and not (kind == "links" and {item.before, item.after} & gone)]
        tagged = {_key(kind, item): item for item in getattr(b, kind) if item.change == change}
        kept = [tagged.pop(_key(kind, item), item) for item in items]
        # in B's order (A's own items after), so the last step is B to the last draw
        order = {_key(kind, item): k for k, item in enumerate(getattr(b, kind))}

        def rank(item: Any, kind: str = kind, order: dict[Hashable, int] = order) -> int:
            return order.get(_key(kind, item), len(order))

        update[kind] = sorted(kept + list(tagged.values()), key=rank)
    for name, owner in settings.items():
        if owner == change:
            update[name] = getattr(b, name)
    return current.model_copy(update=update)


def same_program(first: Program, second: Program) -> bool:
    """Whether two programs are the same but for the sources they cite (`basis`)."""
    return first.model_dump(exclude={"basis"}) == second.model_dump(exclude={"basis"})


@dataclass(frozen=True)
class Comparison:
    """Two programs' results, and the waterfall from the first to the second."""

    baseline: ProgramResult
    variant: ProgramResult
    waterfall: pd.DataFrame
    """One row per step: A, each change, B; with P50 months, plan months and mean cost,
    and each change's difference from the step before."""

    def summary(self) -> dict[str, Any]:
        """Headline figures of both, and the steps (what the run store records)."""
        from nevsim.records import records

        return {"baseline": self.baseline.summary(), "variant": self.variant.summary(),
                "waterfall": records(self.waterfall)}


Simulate = Callable[[Program, str], ProgramResult]


def compare(a: Program, b: Program, simulate: Simulate, source: str = "B") -> Comparison:
    """Simulate A, every step and B (each with `simulate`), and tabulate the waterfall.

    The last step is B itself (its sources apart), so B is simulated once for both rows.
    """
    changes = steps(a, b, source)
    baseline = simulate(a, "A")
    variant = simulate(b, "B")
    rows = [_row("start", baseline)]
    for k, step in enumerate(changes):
        last = k == len(changes) - 1 and same_program(step.program, b)
        rows.append(_row(step.change, variant if last else simulate(step.program, step.change)))
    rows.append(_row("end", variant))
    table = pd.DataFrame(rows)
    for column in ("plan_months", "p50_months", "p80_months", "mean_cost"):
        table[f"{column}_change"] = table[column].diff()
    table.loc[table.index[-1], [c for c in table.columns if c.endswith("_change")]] = (
        table.iloc[-1][["plan_months", "p50_months", "p80_months", "mean_cost"]].to_numpy()
        - table.iloc[0][["plan_months", "p50_months", "p80_months", "mean_cost"]].to_numpy())
    return Comparison(baseline, variant, table)


def _row(step: str, result: ProgramResult) -> dict[str, Any]:
    levels = {level.level: level for level in result.levels()}
    return {"step": step, "plan_months": result.plan_months,
            "p50_months": levels["P50"].months, "p80_months": levels["P80"].months,
            "mean_cost": float(result.cost.mean())}

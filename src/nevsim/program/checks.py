"""Named cross-entity checks on a program: each yields located problems, each with a fix."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

import numpy as np

from nevsim.program.model import Program
from nevsim.scenario.errors import Problem, did_you_mean, duplicate_names

Check = Callable[[Program, str], Iterator[Problem]]


def _unknown(name: str, known: set[str]) -> str:
    return f"no such task{did_you_mean(name, known)}"


def _duplicates(items: Sequence[object], path: str) -> Iterable[Problem]:
    return duplicate_names(items, path, "links, risks and loops refer to tasks by name")


def check_unique_names(program: Program, root: str) -> Iterator[Problem]:
    """Tasks, risks and loops each have unique names."""
    for field in ("tasks", "risks", "loops"):
        yield from _duplicates(getattr(program, field), f"{root}.{field}")


def check_links_name_tasks(program: Program, root: str) -> Iterator[Problem]:
    """Links join two different declared tasks."""
    known = set(program.task_names())
    for i, link in enumerate(program.links):
        for field, name in (("from", link.before), ("to", link.after)):
            if name not in known:
                yield Problem(f"{root}.links[{i}].{field}", _unknown(name, known), name)
        if link.before == link.after:
            yield Problem(f"{root}.links[{i}]", "a task cannot be linked to itself",
                          link.before)


def check_no_cycle(program: Program, root: str) -> Iterator[Problem]:
    """The links form no cycle (repeated work is a loop, not a link back)."""
    names = program.task_names()
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        index.setdefault(name, i)  # a duplicate name is reported by its own check
    succ: dict[int, list[tuple[int, int]]] = {}
    for k, link in enumerate(program.links):
        if link.before in index and link.after in index and link.before != link.after:
            succ.setdefault(index[link.before], []).append((index[link.after], k))
    state = [0] * len(names)  # 0 new, 1 on the path, 2 done
    for start in range(len(names)):
        if state[start]:
            continue
        stack: list[tuple[int, int]] = [(start, 0)]
        path: list[int] = [start]
        state[start] = 1
        while stack:
            node, pos = stack[-1]
            nexts = succ.get(node, [])
            if pos == len(nexts):
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            stack[-1] = (node, pos + 1)
            child, k = nexts[pos]
            if state[child] == 1:
                cycle = [*path[path.index(child):], child]
                yield Problem(f"{root}.links[{k}]", "the links form a cycle: "
                              + " -> ".join(names[c] for c in cycle)
                              + "; model repeated work as a loop", None)
                return
            if state[child] == 0:
                state[child] = 1
                stack.append((child, 0))
                path.append(child)


def check_sop_is_a_task(program: Program, root: str) -> Iterator[Problem]:
    """`sop` names a declared task (usually a milestone)."""
    known = set(program.task_names())
    if program.sop not in known:
        yield Problem(f"{root}.sop", _unknown(program.sop, known), program.sop)


def check_calendar_works(program: Program, root: str) -> Iterator[Problem]:
    """The calendar has at least one working day a week."""
    if not program.calendar.working_days:
        yield Problem(f"{root}.calendar.working_days", "a calendar needs at least one working "
                      "day a week", [])


def check_correlations(program: Program, root: str) -> Iterator[Problem]:
    """Correlations name declared tasks once each, and together can hold at once."""
    known = set(program.task_names())
    pairs: dict[tuple[str, str], float] = {}
    for i, corr in enumerate(program.correlations):
        for j, name in enumerate(corr.tasks):
            if name not in known:
                yield Problem(f"{root}.correlations[{i}].tasks[{j}]", _unknown(name, known), name)
            if name in corr.tasks[:j]:
                yield Problem(f"{root}.correlations[{i}].tasks[{j}]", "a task is named twice",
                              name)
        for a in corr.tasks:
            for b in corr.tasks:
                if a < b:
                    pairs[(a, b)] = corr.rank
    names = sorted({n for pair in pairs for n in pair})
    if not names:
        return
    at = {n: i for i, n in enumerate(names)}
    matrix = np.eye(len(names))
    for (a, b), rank in pairs.items():
        matrix[at[a], at[b]] = matrix[at[b], at[a]] = 2 * np.sin(np.pi * rank / 6)
    if np.linalg.eigvalsh(matrix).min() <= 1e-9:
        yield Problem(f"{root}.correlations", "these rank correlations cannot all hold at once "
                      "(their matrix is not positive definite); weaken some of them", None)


def check_risks_name_tasks(program: Program, root: str) -> Iterator[Problem]:
    """Risk impacts name declared tasks; a mitigated risk has a mitigation."""
    known = set(program.task_names())
    for i, risk in enumerate(program.risks):
        for j, impact in enumerate(risk.impacts):
            if impact.task not in known:
                yield Problem(f"{root}.risks[{i}].impacts[{j}].task",
                              _unknown(impact.task, known), impact.task)
        if risk.mitigated and risk.mitigation is None:
            yield Problem(f"{root}.risks[{i}].mitigated", "the risk has no mitigation to "
                          "apply; add mitigation: {cost: ...}", True)


def check_loops(program: Program, root: str) -> Iterator[Problem]:
    """Loops name declared tasks, each task in one loop at most, SOP in none."""
    known = set(program.task_names())
    owner: dict[str, str] = {}
    for i, loop in enumerate(program.loops):
        for j, name in enumerate(loop.tasks):
            where = f"{root}.loops[{i}].tasks[{j}]"
            if name not in known:
                yield Problem(where, _unknown(name, known), name)
            elif name in owner:
                yield Problem(where, f"the task is already in loop {owner[name]!r}; a task "
                              "belongs to one loop at most", name)
            elif name == program.sop:
                yield Problem(where, "SOP cannot be repeated; end the loop before it", name)
            owner.setdefault(name, loop.name)


def check_branches(program: Program, root: str) -> Iterator[Problem]:
    """Branch options name declared tasks, each in one option at most, none SOP or in a loop."""
    yield from _duplicates(program.branches, f"{root}.branches")
    known = set(program.task_names())
    looped = {name for loop in program.loops for name in loop.tasks}
    owner: dict[str, str] = {}
    for i, branch in enumerate(program.branches):
        for k, option in enumerate(branch.options):
            for j, name in enumerate(option.does):
                where = f"{root}.branches[{i}].options[{k}].does[{j}]"
                if name not in known:
                    yield Problem(where, _unknown(name, known), name)
                elif name in owner:
                    yield Problem(where, f"the task is already in an option of branch "
                                  f"{owner[name]!r}; a task belongs to one option at most", name)
                elif name == program.sop or name in looped:
                    yield Problem(where, "SOP and the tasks of loops are always done; keep "
                                  "them out of branches", name)
                owner.setdefault(name, branch.name)


def check_change_tags(program: Program, root: str) -> Iterator[Problem]:
    """Changes have unique names, and every `change:` tag names one of them."""
    yield from _duplicates(program.changes, f"{root}.changes")
    known = {c.name for c in program.changes}
    for field in ("tasks", "links", "correlations", "risks", "loops", "branches"):
        for i, item in enumerate(getattr(program, field)):
            tag = getattr(item, "change")  # noqa: B009 - every tagged item has the field
            if tag is not None and tag not in known:
                hint = (f"declared changes: {', '.join(sorted(known))}" if known
                        else "declare it under changes:")
                yield Problem(f"{root}.{field}[{i}].change",
                              f"no such change{did_you_mean(tag, known)}; {hint}", tag)


def check_resources(program: Program, root: str) -> Iterator[Problem]:
    """Resources have unique names; tasks use declared resources, within their capacity."""
    yield from _duplicates(program.resources, f"{root}.resources")
    capacity = {r.name: r.capacity for r in program.resources}
    for i, task in enumerate(program.tasks):
        for name, units in task.uses.items():
            where = f"{root}.tasks[{i}].uses.{name}"
            if name not in capacity:
                known = ", ".join(sorted(capacity)) or "none"
                yield Problem(where, f"no such resource{did_you_mean(name, capacity)}; "
                              f"declared resources: {known}", name)
            elif units > capacity[name]:
                yield Problem(where, f"more than the resource's capacity ({capacity[name]}): "
                              "the task could never start", units)


CHECKS: tuple[Check, ...] = (
    check_unique_names, check_links_name_tasks, check_no_cycle, check_sop_is_a_task,
    check_calendar_works, check_correlations, check_risks_name_tasks, check_loops,
    check_change_tags, check_resources, check_branches,
)


def program_problems(program: Program, root: str = "program") -> list[Problem]:
    """Every problem every check finds."""
    return [problem for check in CHECKS for problem in check(program, root)]

"""Primavera P6 XER schedules as `program:` sections, for a user to annotate.

An XER file is a dump of P6 tables as tab-separated text: `%T` names a table, `%F` its
fields, `%R` a row, `%E` ends the file. It is read here directly (the format needs no more):
the project's planned start, its default calendar's hours a day and a week, the activities
(WBS summaries and level-of-effort activities left out) with their planned durations, and
the relationships (type and lag). The calendar's holidays live in P6's own nested encoding
(`clndr_data`) and are not read: add them to the program. Durations are fixed as the schedule
gives them; uncertainty, costs and risks are for the user to add. Without a milestone named
SOP, one is added after every activity that has no successor.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from nevsim.program.imports import end_at_sop, unique_name
from nevsim.scenario.errors import Problem, ScenarioError
from nevsim.scenario.reading import read_text

_TYPES = {"PR_FS": "FS", "PR_SS": "SS", "PR_FF": "FF", "PR_SF": "SF"}
_SKIPPED = {"TT_WBS", "TT_LOE"}


def looks_like_xer(text: str) -> bool:
    """Whether a file's text is an XER export (it starts with its ERMHDR line)."""
    return text.lstrip("\ufeff").startswith("ERMHDR")


def read(path: str | Path) -> dict[str, Any]:
    """A scenario mapping (name, description, program) from an XER file."""
    where = str(path)
    tables = _tables(read_text(Path(path)), where)
    for needed in ("PROJECT", "TASK"):
        if not tables.get(needed):
            raise ScenarioError([Problem(needed, f"the file has no {needed} table rows; "
                                         "export the project from P6 as XER")], where)
    project = tables["PROJECT"][0]
    try:
        start = dt.datetime.strptime(project.get("plan_start_date", "")[:10], "%Y-%m-%d").date()
    except ValueError:
        raise ScenarioError([Problem("PROJECT.plan_start_date", "expected a date such as "
                                     "2025-01-06 08:00", project.get("plan_start_date"))],
                            where) from None
    calendars = tables.get("CALENDAR", [])
    default = next((c for c in calendars if c.get("default_flag") == "Y"), None)
    day_hours = _hours(default, "day_hr_cnt", 8.0, where)
    week_hours = _hours(default, "week_hr_cnt", 5 * day_hours, where)
    problems: list[Problem] = []
    names: dict[str, str] = {}
    items: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for k, row in enumerate(tables["TASK"]):
        if row.get("task_type") in _SKIPPED:
            continue
        name = unique_name(row.get("task_name") or row.get("task_code")
                           or f"Activity {row.get('task_id')}", seen)
        try:
            hours = float(row.get("target_drtn_hr_cnt") or 0.0)
        except ValueError:
            problems.append(Problem(f"TASK[{k}].target_drtn_hr_cnt", "expected hours",
                                    row.get("target_drtn_hr_cnt")))
            continue
        names[row.get("task_id", "")] = name
        item: dict[str, Any] = {"name": name}
        if hours:
            item["duration"] = f"{hours / day_hours:g}d"
        items.append(item)
    links: list[dict[str, Any]] = []
    for k, row in enumerate(tables.get("TASKPRED", [])):
        before, after = row.get("pred_task_id", ""), row.get("task_id", "")
        kind = _TYPES.get(row.get("pred_type", "PR_FS"))
        if kind is None:
            problems.append(Problem(f"TASKPRED[{k}].pred_type", "expected PR_FS, PR_SS, PR_FF "
                                    "or PR_SF", row.get("pred_type")))
            continue
        if before not in names or after not in names:
            missing = before if before not in names else after
            problems.append(Problem(f"TASKPRED[{k}]", "no activity with this task_id (or a "
                                    "WBS summary or level-of-effort one)", missing))
            continue
        link: dict[str, Any] = {"from": names[before], "to": names[after]}
        if kind != "FS":
            link["type"] = kind
        lag = _hours(row, "lag_hr_cnt", 0.0, where) / day_hours
        if lag:
            link["lag"] = f"{lag:g}d"
        links.append(link)
    if problems:
        raise ScenarioError(problems, where)
    sop = end_at_sop(items, links)
    return {"name": project.get("proj_short_name") or Path(where).stem,
            "description": f"Imported from Primavera P6 XER ({Path(where).name}).",
            "program": {"start": start.isoformat(), "sop": sop,
                        "days_per_week": week_hours / day_hours,
                        "tasks": items, "links": links}}


def _hours(row: dict[str, str] | None, field: str, default: float, where: str) -> float:
    if row is None or not row.get(field):
        return default
    try:
        value = float(row[field])
    except ValueError:
        raise ScenarioError([Problem(field, "expected a number of hours", row[field])],
                            where) from None
    return value if value > 0 or field == "lag_hr_cnt" else default


def _tables(text: str, where: str) -> dict[str, list[dict[str, str]]]:
    """Every table of the dump as rows of field -> value."""
    if not looks_like_xer(text):
        raise ScenarioError([Problem("", "not a Primavera XER file (it does not start with "
                                     "ERMHDR)")], where)
    tables: dict[str, list[dict[str, str]]] = {}
    table: str | None = None
    fields: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        cells = line.rstrip("\r\n").split("\t")
        mark = cells[0]
        if mark == "%T" and len(cells) > 1:
            table, fields = cells[1], []
            tables.setdefault(table, [])
        elif mark == "%F":
            fields = cells[1:]
        elif mark == "%R":
            if table is None or not fields:
                raise ScenarioError([Problem(f"line {number}", "a row before its table's "
                                             "%T and %F lines")], where)
            tables[table].append(dict(zip(fields, cells[1:], strict=False)))
        elif mark == "%E":
            break
    return tables

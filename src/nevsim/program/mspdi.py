"""Microsoft Project XML (MSPDI) schedules as `program:` sections, for a user to annotate.

Schedules come from other people: the file is read with defusedxml (no DTD, no entities, no
external references), and its size is bounded. What is taken: the project start, the
project calendar (working weekdays, non-working exceptions as holidays), every task that is
not a summary (name, duration in working days), and the links (type and lag), a link to or
from a summary task standing for links to or from each task under it. Durations are fixed as
the schedule gives them; uncertainty, costs and risks are for the user to add. Without a
milestone named SOP, one is added after every task that has no successor.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from nevsim.program.imports import end_at_sop, unique_name
from nevsim.scenario.errors import Problem, ScenarioError
from nevsim.scenario.reading import MAX_BYTES

_TYPES = {"0": "FF", "1": "FS", "2": "SF", "3": "SS"}
"""MSPDI PredecessorLink/Type codes."""
_DAY_TYPES = {"1": "sun", "2": "mon", "3": "tue", "4": "wed", "5": "thu", "6": "fri", "7": "sat"}
_DURATION = re.compile(r"^-?P(?:(\d+(?:\.\d+)?)D)?T?(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?"
                       r"(?:(\d+(?:\.\d+)?)S)?$")


def read(path: str | Path) -> dict[str, Any]:
    """A scenario mapping (name, description, program) from an MSPDI file."""
    from defusedxml import ElementTree as SafeTree
    from defusedxml.common import DefusedXmlException

    where = str(path)
    file = Path(path)
    try:
        size = file.stat().st_size
    except OSError as exc:
        raise ScenarioError([Problem("", f"cannot read the file: {exc.strerror or exc}")],
                            where) from None
    if size > MAX_BYTES:
        raise ScenarioError([Problem("", f"the file has {size:,} bytes; nevsim reads at most "
                                     f"{MAX_BYTES:,}")], where)
    try:
        root = SafeTree.parse(str(file), forbid_dtd=True).getroot()
    except DefusedXmlException:
        raise ScenarioError([Problem("", "the file declares a DTD or entities (as XML bombs "
                                     "do); a Project XML file needs neither")], where) from None
    except ET.ParseError as exc:
        line, column = exc.position
        raise ScenarioError([Problem("", f"not well-formed XML at line {line}, column "
                                     f"{column + 1}")], where) from None
    except OSError as exc:
        raise ScenarioError([Problem("", f"cannot read the file: {exc.strerror or exc}")],
                            where) from None
    if root is None or _local(root.tag) != "Project":
        found = "empty" if root is None else f"<{_local(root.tag)}>"
        raise ScenarioError([Problem("", f"not a Microsoft Project XML file (its root is "
                                     f"{found}, not <Project>)")], where)
    return _convert(root, where)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(node: ET.Element, name: str) -> ET.Element | None:
    for child in node:
        if _local(child.tag) == name:
            return child
    return None


def _children(node: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if node is None else [c for c in node if _local(c.tag) == name]


def _text(node: ET.Element, name: str, default: str = "") -> str:
    child = _child(node, name)
    return (child.text or "").strip() if child is not None and child.text else default


def _convert(root: ET.Element, where: str) -> dict[str, Any]:
    problems: list[Problem] = []
    minutes_per_day = _number(root, "MinutesPerDay", 480.0, where)
    start_text = _text(root, "StartDate")
    try:
        start = dt.datetime.fromisoformat(start_text).date()
    except ValueError:
        raise ScenarioError([Problem("Project.StartDate", "expected a date such as "
                                     "2025-01-06T08:00:00", start_text or None)],
                            where) from None
    tasks, leaves_of = _tasks(root, minutes_per_day, where, problems)
    links: list[dict[str, Any]] = []
    names = {uid: name for uid, name, *_ in tasks}
    for k, node in enumerate(_children(_child(root, "Tasks"), "Task")):
        uid = _text(node, "UID")
        for j, link in enumerate(_children(node, "PredecessorLink")):
            before = _text(link, "PredecessorUID")
            kind = _TYPES.get(_text(link, "Type", "1"))
            at = f"Tasks.Task[{k}].PredecessorLink[{j}]"
            if kind is None:
                problems.append(Problem(f"{at}.Type", "expected 0 (FF), 1 (FS), 2 (SF) or "
                                        "3 (SS)", _text(link, "Type")))
                continue
            lag = _number(link, "LinkLag", 0.0, where) / 10 / minutes_per_day
            if _text(link, "LagFormat") in {"19", "20"}:  # percent lags: of the predecessor
                problems.append(Problem(f"{at}.LagFormat", "lags in percent are not read; "
                                        "give the lag in time", _text(link, "LagFormat")))
                continue
            froms = leaves_of.get(before, [before])
            tos = leaves_of.get(uid, [uid])
            for a in froms:
                for b in tos:
                    if a not in names or b not in names:
                        problems.append(Problem(f"{at}.PredecessorUID", "no task with this "
                                                "UID", before))
                        continue
                    link_row: dict[str, Any] = {"from": names[a], "to": names[b]}
                    if kind != "FS":
                        link_row["type"] = kind
                    if lag:
                        link_row["lag"] = f"{lag:g}d"
                    links.append(link_row)
    if problems:
        raise ScenarioError(problems, where)
    items = [{"name": name, **({"duration": f"{days:g}d"} if days else {}),
              **({"phase": phase} if phase else {})}
             for _, name, days, phase in tasks]
    sop = end_at_sop(items, links)
    name = _text(root, "Name") or _text(root, "Title") or Path(where).stem
    return {"name": name,
            "description": f"Imported from Microsoft Project XML ({Path(where).name}).",
            "program": {"start": start.isoformat(), "sop": sop,
                        "days_per_week": _number(root, "MinutesPerWeek", 2400.0, where)
                        / minutes_per_day,
                        "days_per_month": _number(root, "DaysPerMonth", 20.0, where),
                        "calendar": _calendar(root), "tasks": items, "links": links}}


def _number(node: ET.Element, name: str, default: float, where: str) -> float:
    text = _text(node, name)
    if not text:
        return default
    try:
        return float(text)
    except ValueError:
        raise ScenarioError([Problem(name, "expected a number", text)], where) from None


def _tasks(root: ET.Element, minutes_per_day: float, where: str,
           problems: list[Problem]) -> tuple[list[tuple[str, str, float, str]],
                                             dict[str, list[str]]]:
    """Every task that is not a summary, and the tasks under each summary.

    A task is (uid, name, working days, phase: the name of its nearest summary).
    """
    rows: list[tuple[str, str, float, int, bool]] = []
    for k, node in enumerate(_children(_child(root, "Tasks"), "Task")):
        uid = _text(node, "UID")
        if uid == "0" or _text(node, "IsNull") == "1":
            continue  # the project's own summary row, or a blank line
        name = _text(node, "Name") or f"Task {uid}"
        duration = _text(node, "Duration", "PT0H0M0S")
        match = _DURATION.match(duration)
        if not match:
            problems.append(Problem(f"Tasks.Task[{k}].Duration", "expected a duration such "
                                    "as PT40H0M0S", duration))
            continue
        d, h, m, s = (float(x) if x else 0.0 for x in match.groups())
        minutes = d * minutes_per_day + h * 60 + m + s / 60
        level = int(_number(node, "OutlineLevel", 1.0, where))
        rows.append((uid, name, minutes / minutes_per_day, level,
                     _text(node, "Summary") == "1"))
    seen: dict[str, int] = {}
    out: list[tuple[str, str, float, str]] = []
    summaries: dict[str, list[str]] = {}
    parents: list[tuple[int, str, str]] = []  # (level, uid, name) of the open summaries
    for uid, name, days, level, summary in rows:
        while parents and parents[-1][0] >= level:
            parents.pop()
        if summary:
            summaries[uid] = []
            parents.append((level, uid, name))
            continue
        for _, parent, _ in parents:
            summaries[parent].append(uid)
        phase = parents[-1][2] if parents else ""
        out.append((uid, unique_name(name, seen), round(days, 6), phase))
    return out, summaries


def _calendar(root: ET.Element) -> dict[str, Any]:
    """The project calendar: working weekdays and non-working exceptions as holidays."""
    wanted = _text(root, "CalendarUID")
    calendars = _children(_child(root, "Calendars"), "Calendar")
    chosen = next((c for c in calendars if _text(c, "UID") == wanted), None)
    chosen = chosen or next((c for c in calendars if _text(c, "IsBaseCalendar") == "1"), None)
    working = ["mon", "tue", "wed", "thu", "fri"]
    holidays: list[dict[str, str]] = []
    if chosen is None:
        return {"working_days": working}
    days = dict.fromkeys(_DAY_TYPES.values(), False)
    days.update({d: True for d in working})
    for weekday in _children(_child(chosen, "WeekDays"), "WeekDay"):
        kind = _text(weekday, "DayType")
        if kind in _DAY_TYPES:
            days[_DAY_TYPES[kind]] = _text(weekday, "DayWorking") == "1"
        elif kind == "0" and _text(weekday, "DayWorking") == "0":  # an exception (MSPDI 2003)
            holidays += _period(weekday)
    for exception in _children(_child(chosen, "Exceptions"), "Exception"):
        if _text(exception, "DayWorking") != "1":
            holidays += _period(exception)
    order = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    return {"working_days": [d for d in order if days[d]], "holidays": holidays}


def _period(node: ET.Element) -> list[dict[str, str]]:
    period = _child(node, "TimePeriod")
    if period is None:
        return []
    first, last = _text(period, "FromDate")[:10], _text(period, "ToDate")[:10]
    if not first or not last:
        return []
    return [{"name": _text(node, "Name"), "from": first, "to": last}]

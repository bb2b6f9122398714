"""Sequencing files: public instances (CSPLib problem 001, ROADEF 2005) and order books.

Readers turn files into `nevsim.factory.sequencing` problems and `orders.Order` lists, with
errors that name the file and the line; `write_sequence` writes a sequence for the line.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np

from nevsim.factory.model import Variants
from nevsim.factory.orders import Order
from nevsim.factory.sequencing import (
    ROADEF_WEIGHTS,
    Counting,
    Instance,
    Problem,
    Rule,
)
from nevsim.scenario.errors import Problem as Located
from nevsim.scenario.errors import ScenarioError, did_you_mean

CLASSIC_RATIOS = [(1, 2), (2, 3), (1, 3), (2, 5), (1, 5)]
"""The option ratios of CSPLib's first nine instances, which their data leave out."""


def read_csplib(text: str) -> list[Instance]:
    """Every instance of a CSPLib problem 001 data file, named as its comments name it."""
    instances: list[Instance] = []
    name = None
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        title = re.match(r"#\s*Problem\s+(\S+)", line)
        if title:
            name = title.group(1)
            continue
        if not re.match(r"^\d+\s+\d+\s+\d+$", line):
            continue
        cars, option_count, classes = (int(v) for v in line.split())
        numbers = lines[i].split() if i < len(lines) else []
        if len(numbers) == option_count:  # the ratios are given: the H line, then the N line
            rules = list(zip((int(v) for v in numbers), (int(v) for v in lines[i + 1].split()),
                             strict=True))
            i += 2
        else:
            rules = CLASSIC_RATIOS[:option_count]
        counts: list[int] = []
        options: list[list[int]] = []
        for _ in range(classes):
            row = [int(v) for v in lines[i].split()]
            i += 1
            counts.append(row[1])
            options.append(row[2:2 + option_count])
        if sum(counts) != cars:
            raise ValueError(f"instance {name}: its classes hold {sum(counts)} cars, not {cars}")
        instances.append(Instance(name or f"#{len(instances) + 1}", counts, options, rules))
        name = None
    return instances


ROADEF_GOALS = {
    "high_priority_level_and_easy_to_satisfy_ratio_constraints": "high",
    "high_priority_level_and_difficult_to_satisfy_ratio_constraints": "high",
    "paint_color_batches": "paint",
    "low_priority_level_ratio_constraints": "low",
}


def _table(path: Path) -> tuple[list[str], list[list[str]]]:
    """The `;`-separated header and rows of a ROADEF file, blank lines left out."""
    if not path.is_file():
        raise ValueError(f"{path}: no such file (a ROADEF 2005 instance folder holds "
                         "vehicles.txt, ratios.txt, paint_batch_limit.txt and "
                         "optimization_objectives.txt)")
    lines = [line.strip() for line in path.read_text().splitlines()]
    rows = [[cell.strip() for cell in line.rstrip(";").split(";")] for line in lines if line]
    return (rows[0], rows[1:]) if rows else ([], [])


def _rows(path: Path) -> list[list[str]]:
    """The rows of a ROADEF file after its header."""
    return _table(path)[1]


def read_roadef(folder: Path) -> Problem:
    """A ROADEF 2005 instance folder as a sequencing problem.

    The cars dated before the last date are already built (their order is SeqRank's); the
    goals are ranked as `optimization_objectives.txt` ranks them, weighted 1e6, 1e3 and 1.
    The colour of a car is its paint colour code.
    """
    folder = Path(folder)
    ratios = _rows(folder / "ratios.txt")
    rules_by_name: dict[str, tuple[int, int, str]] = {}
    for number, row in enumerate(ratios, start=2):
        try:
            most, window = (int(v) for v in row[0].split("/"))
            rules_by_name[row[2]] = (most, window, "high" if row[1] == "1" else "low")
        except (ValueError, IndexError):
            raise ValueError(f"{folder / 'ratios.txt'} line {number}: expected "
                             f"'p/q;priority;name', found {';'.join(row)!r}") from None
    goals = sorted(_rows(folder / "optimization_objectives.txt"), key=lambda r: int(r[0]))
    order = [ROADEF_GOALS[g[1]] for g in goals if g[1] in ROADEF_GOALS]
    rank = {goal: order.index(goal) for goal in order}
    try:
        limit = int(_rows(folder / "paint_batch_limit.txt")[0][0])
    except (ValueError, IndexError):
        raise ValueError(f"{folder / 'paint_batch_limit.txt'}: expected the batch limit, "
                         "a whole number, on its second line") from None
    path = folder / "vehicles.txt"
    header, vehicles = _table(path)
    names = header[4:]
    unknown = [n for n in names if n not in rules_by_name]
    if unknown:
        raise ValueError(f"{path}: columns {unknown} name no ratio of ratios.txt")

    def day(row: list[str]) -> list[int]:
        return [int(x) for x in row[0].split()]

    last_day = max(day(row) for row in vehicles)
    cars = sorted(vehicles, key=lambda row: (day(row), int(row[1])))  # SeqRank within a day
    fixed = sum(day(row) != last_day for row in cars)
    palette = sorted({row[3] for row in cars}, key=int)
    colours = np.array([palette.index(row[3]) for row in cars], dtype=np.int64)
    marks = np.array([[int(row[4 + k]) for row in cars] for k in range(len(names))],
                     dtype=np.int64)
    missing = {rules_by_name[n][2] for n in names} - set(rank)
    if missing:
        raise ValueError(f"{folder / 'optimization_objectives.txt'}: ranks no goal for the "
                         f"{', '.join(sorted(missing))} priority ratios")
    rules = [Rule(n, rules_by_name[n][0], rules_by_name[n][1], rank[rules_by_name[n][2]])
             for n in names]
    return Problem(folder.name, marks, rules, colours=colours, colour_names=palette,
                   colour_rank=rank["paint"], batch_limit=limit, fixed=fixed,
                   weights=ROADEF_WEIGHTS[:len(order)], counting=Counting.EXCESS)


ORDER_COLUMNS = ("order", "model", "colour")
"""Columns an order book must have; `trim` and `options` (joined by + or ;) may follow."""


def read_orders(path: Path, variants: Variants) -> list[Order]:
    """An order book CSV: one car a line, in booking order; every error names line and column."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError([Located("", f"cannot read the order book: "
                                     f"{getattr(error, 'strerror', None) or error}")],
                            path) from None
    rows = list(csv.reader(text.splitlines()))
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    missing = [c for c in ORDER_COLUMNS if c not in header]
    if missing:
        raise ScenarioError([Located("line 1", f"the header needs the columns "
                                     f"{', '.join(ORDER_COLUMNS)} (and may have trim, options); "
                                     f"{', '.join(missing)} missing", ",".join(header))], path)
    models = {m.name: m for m in variants.models}
    colours = [c.name for c in variants.colours]
    options = [o.name for o in variants.options]
    problems: list[Located] = []
    orders: list[Order] = []
    seen: dict[str, int] = {}

    def cell(row: list[str], column: str) -> str:
        at = header.index(column) if column in header else -1
        return row[at].strip() if 0 <= at < len(row) else ""

    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        where = f"line {number}"
        ident, model, colour = (cell(row, c) for c in ORDER_COLUMNS)
        trim = cell(row, "trim")
        carried = frozenset(o.strip() for o in re.split(r"[+;]", cell(row, "options"))
                            if o.strip())
        if not ident:
            problems.append(Located(f"{where}, order", "every order needs an id"))
        elif ident in seen:
            problems.append(Located(f"{where}, order", f"the same id as line {seen[ident]}",
                                    ident))
        seen.setdefault(ident, number)
        if model not in models:
            problems.append(Located(f"{where}, model", f"no model of factory.variants.models"
                                    f"{did_you_mean(model, models)}; models are "
                                    f"{', '.join(models)}", model))
        elif trim and trim not in {t.name for t in models[model].trims}:
            problems.append(Located(f"{where}, trim", f"no trim of {model}"
                                    f"{did_you_mean(trim, [t.name for t in models[model].trims])}",
                                    trim))
        if colour not in colours:
            problems.append(Located(f"{where}, colour", f"no colour of factory.variants.colours"
                                    f"{did_you_mean(colour, colours)}", colour))
        for option in sorted(carried - set(options)):
            problems.append(Located(f"{where}, options", f"no option of factory.variants.options"
                                    f"{did_you_mean(option, options)}; options are "
                                    f"{', '.join(options) or 'none'}", option))
        orders.append(Order(ident, model, colour, trim, carried))
        if len(problems) >= MOST_PROBLEMS:
            break
    if problems:
        raise ScenarioError(problems[:MOST_PROBLEMS], path)
    if not orders:
        raise ScenarioError([Located("line 2", "the order book holds no orders")], path)
    return orders


MOST_PROBLEMS = 20
"""Problems an order book reports at most (a wrong file would otherwise print thousands)."""


def write_sequence(path: Path, orders: list[Order], sequence: list[int]) -> None:
    """The sequence as a CSV: place, then the order's columns (written whole, then moved in)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["place", "order", "model", "trim", "colour", "options"])
        for place, i in enumerate(sequence, start=1):
            o = orders[i]
            out.writerow([place, o.id, o.model, o.trim, o.colour, "+".join(sorted(o.options))])
    partial.replace(path)

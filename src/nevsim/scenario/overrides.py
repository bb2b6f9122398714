"""Change one field of a scenario by path before validation: `factory.buffers[name=store].capacity`.

A path is dotted keys; `[3]` picks a list item by position and `[name=X]` (any key) by value.
Values are read as YAML scalars, so `150` is a number and `8h` a duration.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from nevsim.scenario import yamlio
from nevsim.scenario.errors import Problem, UsageError

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]|\[([^=\]]+)=([^\]]*)\]")


def parse_path(path: str) -> list[str | int | tuple[str, str]]:
    """Steps of a path: keys, list positions, or (key, value) selectors."""
    steps: list[str | int | tuple[str, str]] = []
    pos = 0
    while pos < len(path):
        if path[pos] == ".":
            pos += 1
            continue
        match = _STEP.match(path, pos)
        if not match:
            raise UsageError([Problem(path, f"cannot read the path at {path[pos:]!r}; write "
                                         "keys.like.this, [3] or [name=value]")])
        key, index, sel_key, sel_value = match.groups()
        if key is not None:
            steps.append(key)
        elif index is not None:
            steps.append(int(index))
        else:
            steps.append((sel_key.strip(), sel_value.strip()))
        pos = match.end()
    if not steps:
        raise UsageError([Problem(path, "empty path")])
    return steps


def apply_override(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of the scenario data with the field at `path` set to `value`."""
    out = copy.deepcopy(data)
    steps = parse_path(path)
    node: Any = out
    for depth, step in enumerate(steps):
        last = depth == len(steps) - 1
        where = path if last else f"{path} (at step {depth + 1})"
        if isinstance(step, str):
            if not isinstance(node, dict):
                raise UsageError([Problem(where, f"{step!r} is a key, but here is a list")])
            if last:
                node[step] = value
                return out
            if step not in node:
                raise UsageError([Problem(where, f"no field {step!r}; fields here: "
                                             f"{', '.join(map(str, node)) or 'none'}")])
            node = node[step]
            continue
        if not isinstance(node, list):
            raise UsageError([Problem(where, "a list position or selector, but here is "
                                         "no list")])
        if isinstance(step, int):
            if step >= len(node):
                raise UsageError([Problem(where, f"position {step} is past the end of a list "
                                             f"of {len(node)}")])
            index = step
        else:
            key, wanted = step
            hits = [i for i, item in enumerate(node)
                    if isinstance(item, dict) and str(item.get(key)) == wanted]
            if len(hits) != 1:
                names = [str(item.get(key)) for item in node if isinstance(item, dict)]
                raise UsageError([Problem(where, f"no single item with {key}={wanted!r}; "
                                             f"{key}s here: {', '.join(names)}")])
            index = hits[0]
        if last:
            node[index] = value
            return out
        node = node[index]
    return out


def parse_values(text: str) -> list[Any]:
    """`50,100,150` -> [50, 100, 150]; each read as a YAML scalar."""
    return [yamlio.load(part.strip()) for part in text.split(",") if part.strip()]


def parse_set(text: str) -> tuple[str, list[Any]]:
    """A sweep's `--set PATH=V1,V2,...` as the path and its values (located errors).

    The `=` that starts the values is the last one outside brackets, so selectors such as
    `[name=X]` stay in the path.
    """
    depth = 0
    split = -1
    for i, char in enumerate(text):
        depth += (char == "[") - (char == "]")
        if char == "=" and depth == 0:
            split = i
    if split < 0:
        raise UsageError([Problem("--set", "expected PATH=V1,V2,... (a field path, =, then "
                                  "the values), e.g. factory.default_buffer=2,5,10", text)])
    path, raw_values = text[:split], text[split + 1:]
    values = parse_values(raw_values)
    if not path.strip():
        raise UsageError([Problem("--set", "give the field path before =", text)])
    if not values:
        raise UsageError([Problem("--set", "give at least one value after =", text)])
    return path, values

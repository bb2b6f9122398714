"""A seeded mutation fuzzer for scenarios: hostile values, missing and extra keys, broken YAML.

Each case starts from a shipped or documented scenario and changes it a few times at random:
a value becomes NaN, infinity, a huge or negative number, a wrong type, a malformed duration
or clock time; a key disappears or an unknown one appears; a list item is repeated or
dropped; or the YAML text itself is corrupted. The same seed gives the same cases.
"""

from __future__ import annotations

import copy
import math
import random
from collections.abc import Iterator
from typing import Any

from nevsim.scenario import yamlio
from nevsim.scenario.reading import builtin_names, builtin_text

HOSTILE: list[Any] = [
    float("nan"), float("inf"), -float("inf"), -1, 0, -0.0, 1e-300, 1e300, 2**63, 2**64 + 1,
    10**400, -(2**63), "", " ", "abc", "76 weeks", "1e400s", "-5s", "0s", "06:99", "25:00",
    "nan", "inf", [], {}, None, True, False, [1, 2], {"a": 1}, "x" * 10_000, 3.5, 1, 1000000,
    {"dist": "weibull", "shape": 1e-9, "scale": "1s"},
    {"dist": "lognormal", "mean": "1s", "sd": "1e9s"},
    {"dist": "exponential", "mean": "1e-300s"},
    {"dist": "empirical", "samples": []},
    {"dist": "triangular", "min": "5s", "mode": "1s", "max": "2s"},
    {2025: float("nan")}, {1800: 1}, {"2025": "x"},
]


def seeds() -> list[dict[str, Any]]:
    """The scenarios cases start from: the built-ins and small plants and networks."""
    out = [yamlio.load(builtin_text(name)) for name in builtin_names()]
    out.append({"name": "line", "factory": {
        "takt": "76s", "horizon": "1d", "replications": 2, "default_buffer": 2,
        "stations": [{"name": "A", "cycle": "60s"},
                     {"name": "B", "cycle": {"dist": "exponential", "mean": "70s"},
                      "failures": {"mtbf": "8h", "mttr": "10min"},
                      "quality": {"yield": 0.95, "rework_to": "A"}}],
        "feeders": [{"name": "f", "to": "B", "store": 4,
                     "stations": [{"name": "F", "cycle": "30s"}]}]}})
    return out


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


def mutate(document: dict[str, Any], rng: random.Random, changes: int) -> dict[str, Any]:
    """A copy of the document with `changes` random changes."""
    doc = copy.deepcopy(document)
    for _ in range(changes):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = rng.choice(paths)
        parent = _get(doc, path[:-1])
        key = path[-1]
        move = rng.random()
        if move < 0.55:
            parent[key] = copy.deepcopy(rng.choice(HOSTILE))
        elif move < 0.7 and isinstance(parent, dict):
            del parent[key]
        elif move < 0.8 and isinstance(parent, dict):
            parent[rng.choice(["tack", "cycl", "extra", "rate_", "stations"])] = \
                copy.deepcopy(rng.choice(HOSTILE))
        elif isinstance(parent, list):
            if rng.random() < 0.5:
                parent.append(copy.deepcopy(parent[key]))
            else:
                parent.pop(key)
        else:
            value = parent[key]
            if isinstance(value, int | float) and not isinstance(value, bool) \
                    and math.isfinite(value):
                parent[key] = value * rng.choice([-1, 0, 1e6, 1e-6, 10**20])
            else:
                parent[key] = str(value)[::-1]
    return doc


def corrupt_text(text: str, rng: random.Random) -> str:
    """YAML text with a few random edits: characters removed, repeated or inserted."""
    chars = list(text)
    for _ in range(rng.randint(1, 5)):
        if not chars:
            break
        i = rng.randrange(len(chars))
        move = rng.random()
        if move < 0.4:
            del chars[i]
        elif move < 0.7:
            chars.insert(i, rng.choice([":", "-", "[", "]", "{", "}", "&a", "*a", "\t", "\n",
                                        "!!python/object:os.system", "'", '"', "\x00", "é"]))
        else:
            chars[i: i] = chars[max(0, i - 20): i]
    return "".join(chars)

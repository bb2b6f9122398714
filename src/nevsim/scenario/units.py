"""Durations with units: files say `76s`, `2min`, `1.5h`, `30d`, `1y`; engines see seconds."""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

from nevsim.scenario.errors import Problem, UsageError, echo

SECONDS_PER_UNIT: dict[str, float] = {
    "ms": 1e-3,
    "s": 1.0,
    "sec": 1.0,
    "min": 60.0,
    "h": 3600.0,
    "hr": 3600.0,
    "d": 86400.0,
    "w": 7 * 86400.0,
    "y": 365 * 86400.0,
}

LONGEST = 100 * 365 * 86400.0
"""The longest duration nevsim takes (100 years): longer is a typo, and would overflow the
kernels' clocks and arrays."""

_DURATION = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([a-zA-Z]*)\s*$")


def parse_duration(value: Any) -> float:
    """Seconds from a number (already seconds) or a string with a unit such as `76s` or `8h`."""
    seconds = _parse(value)
    if not math.isfinite(seconds):
        raise ValueError(f"a duration must be finite, got {echo(value)}")
    if abs(seconds) > LONGEST:
        raise ValueError(f"a duration is at most 100 years (3.15e9 s), got {echo(value)}")
    return seconds


def _parse(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError(f"expected a duration such as 76s, 8h or 30d, got {echo(value)}")
    if isinstance(value, int | float):
        try:
            return float(value)
        except OverflowError:  # an integer beyond any float
            raise ValueError(f"a duration is at most 100 years, got {echo(value)}") from None
    if isinstance(value, str):
        match = _DURATION.match(value)
        if match:
            number, unit = match.groups()
            unit = unit.lower() or "s"
            if unit in SECONDS_PER_UNIT:
                return float(number) * SECONDS_PER_UNIT[unit]
            units = ", ".join(SECONDS_PER_UNIT)
            raise ValueError(f"unknown time unit {unit!r} in {echo(value)}; use one of {units}")
    raise ValueError(f"expected a duration such as 76s, 8h or 30d, got {echo(value)}")


Seconds = float | int | str
"""A duration given to the Python API or an option: seconds, or text with a unit (`14d`)."""


def seconds(value: Seconds | None, name: str, zero: bool = False) -> float | None:
    """A positive (or with `zero`, non-negative) duration given as `name`, in seconds.

    None stays None; anything else that is not such a duration is a UsageError naming it.
    """
    if value is None:
        return None
    try:
        result = parse_duration(value)
    except ValueError as exc:
        raise UsageError([Problem(name, str(exc))]) from None
    if result < 0 or (result == 0 and not zero):
        raise UsageError([Problem(name, "must be >= 0" if zero else "must be positive",
                                  value)])
    return result


def format_duration(seconds: float) -> str:
    """Short human form of a duration."""
    for unit, size in (("d", 86400.0), ("h", 3600.0), ("min", 60.0)):
        if seconds >= size:
            return f"{seconds / size:.4g}{unit}"
    return f"{seconds:.4g}s"


def _any_case(unit: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" for c in unit)


DURATION_PATTERN = (r"^\s*[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?\s*("
                    + "|".join(_any_case(u) for u in SECONDS_PER_UNIT) + r")?\s*$")
"""What `parse_duration` reads, as a JSON Schema (ECMA 262) pattern for editors."""


def duration_schema(minimum: str | None) -> dict[str, Any]:
    """JSON Schema of a duration: a number of seconds (>= or > 0) or text with a unit."""
    number: dict[str, Any] = {"type": "number"}
    if minimum is not None:
        number[minimum] = 0
    return {"anyOf": [number, {"type": "string", "pattern": DURATION_PATTERN}],
            "description": "Seconds, or a number with a unit: 76s, 2min, 8h, 30d, 1y.",
            "unit": "s"}


def _check(minimum: str) -> Any:
    def check(seconds: float) -> float:
        if seconds < 0 or (minimum == "exclusiveMinimum" and seconds == 0):
            raise ValueError("must be positive" if minimum == "exclusiveMinimum"
                             else "must be >= 0")
        return seconds
    return check


Duration = Annotated[float, BeforeValidator(parse_duration),
                     WithJsonSchema(duration_schema(None))]
"""A duration in seconds, written in files with a unit (`76s`, `2min`, `8h`)."""

PositiveDuration = Annotated[float, BeforeValidator(parse_duration),
                             AfterValidator(_check("exclusiveMinimum")),
                             WithJsonSchema(duration_schema("exclusiveMinimum"))]
NonNegativeDuration = Annotated[float, BeforeValidator(parse_duration),
                                AfterValidator(_check("minimum")),
                                WithJsonSchema(duration_schema("minimum"))]

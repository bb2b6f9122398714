"""Durations with units: files say `76s`, `2min`, `1.5h`, `30d`, `1y`; engines see seconds."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

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

_DURATION = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([a-zA-Z]*)\s*$")


def parse_duration(value: Any) -> float:
    """Seconds from a number (already seconds) or a string with a unit such as `76s` or `8h`."""
    if isinstance(value, bool):
        raise ValueError(f"expected a duration such as 76s, 8h or 30d, got {value!r}")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        match = _DURATION.match(value)
        if match:
            number, unit = match.groups()
            unit = unit.lower() or "s"
            if unit in SECONDS_PER_UNIT:
                return float(number) * SECONDS_PER_UNIT[unit]
            units = ", ".join(SECONDS_PER_UNIT)
            raise ValueError(f"unknown time unit {unit!r} in {value!r}; use one of {units}")
    raise ValueError(f"expected a duration such as 76s, 8h or 30d, got {value!r}")


def format_duration(seconds: float) -> str:
    """Short human form of a duration."""
    for unit, size in (("d", 86400.0), ("h", 3600.0), ("min", 60.0)):
        if seconds >= size:
            return f"{seconds / size:.4g}{unit}"
    return f"{seconds:.4g}s"


Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    Field(json_schema_extra={"unit": "s"}),
]
"""A duration in seconds, written in files with a unit (`76s`, `2min`, `8h`)."""

PositiveDuration = Annotated[Duration, Field(gt=0)]
NonNegativeDuration = Annotated[Duration, Field(ge=0)]

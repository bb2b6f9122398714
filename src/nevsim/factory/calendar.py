"""Shift calendars: a weekly pattern of working intervals per shop."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEK = 7 * 86400.0
_CLOCK = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)$")


def parse_clock(value: Any) -> float:
    """Seconds after midnight from `HH:MM`."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 24 * 60:
        # YAML 1.1 reads an unquoted 06:00 as a sexagesimal integer (360).
        return float(value) * 60.0
    if isinstance(value, str):
        match = _CLOCK.match(value.strip())
        if match and int(match.group(1)) * 60 + int(match.group(2)) <= 24 * 60:
            return int(match.group(1)) * 3600.0 + int(match.group(2)) * 60.0
    raise ValueError(f"expected a time of day as HH:MM (e.g. '06:00'), got {value!r}")


ClockTime = Annotated[float, BeforeValidator(parse_clock), WithJsonSchema({
    "anyOf": [{"type": "string", "pattern": r"^\s*([01]?[0-9]|2[0-4]):[0-5][0-9]\s*$"},
              {"type": "integer", "minimum": 0, "maximum": 1440}],
    "description": "Time of day, HH:MM (quote it in YAML: '06:00')."})]
"""A time of day in seconds after midnight, written `HH:MM`."""


class Break(BaseModel):
    """A pause inside a shift (the shop stops, nothing works or fails)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    start: ClockTime
    end: ClockTime


class Shift(BaseModel):
    """A working shift; an end at or before the start runs past midnight."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    start: ClockTime
    end: ClockTime
    breaks: list[Break] = Field(default_factory=list)

    def length(self) -> float:
        """Shift length in seconds, breaks included."""
        return (self.end - self.start) % 86400.0 or 86400.0


class Calendar(BaseModel):
    """When a shop works: shifts repeated on working days, every week."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    shifts: list[Shift] = Field(description="Shifts of a working day.")
    days: list[str] = Field(
        default_factory=lambda: list(WEEKDAYS[:5]), description="Working days: mon ... sun."
    )

    @field_validator("days")
    @classmethod
    def _known_days(cls, days: list[str]) -> list[str]:
        bad = [d for d in days if d.lower() not in WEEKDAYS]
        if bad:
            raise ValueError(f"unknown day(s) {bad}; use {', '.join(WEEKDAYS)}")
        return [d.lower() for d in days]

    @model_validator(mode="after")
    def _not_empty(self) -> Calendar:
        if not self.shifts or not self.days:
            raise ValueError(
                "a calendar needs at least one shift and one working day; "
                "leave the calendar out for a shop that never stops"
            )
        if not self.working_intervals():
            raise ValueError("the breaks cover every shift: this calendar never works")
        return self

    def working_intervals(self) -> list[tuple[float, float]]:
        """Working intervals within one week, in seconds from Monday 00:00, merged and sorted."""
        raw: list[tuple[float, float]] = []
        for day in self.days:
            base = WEEKDAYS.index(day) * 86400.0
            for shift in self.shifts:
                start = base + shift.start
                end = start + shift.length()
                pieces = [(start, end)]
                for br in shift.breaks:
                    b0 = base + br.start
                    if b0 < start:
                        b0 += 86400.0
                    b1 = b0 + ((br.end - br.start) % 86400.0)
                    pieces = [
                        part
                        for a, b in pieces
                        for part in ((a, min(b, b0)), (max(a, b1), b))
                        if part[1] > part[0]
                    ]
                raw.extend(pieces)
        # Fold intervals that spill past Sunday night back to the start of the week.
        folded: list[tuple[float, float]] = []
        for a, b in raw:
            if b <= WEEK:
                folded.append((a, b))
            elif a >= WEEK:
                folded.append((a - WEEK, b - WEEK))
            else:
                folded.extend([(a, WEEK), (0.0, b - WEEK)])
        folded.sort()
        merged: list[tuple[float, float]] = []
        for a, b in folded:
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        return merged

    def hours_per_week(self) -> float:
        """Working hours in a week."""
        return sum(b - a for a, b in self.working_intervals()) / 3600.0

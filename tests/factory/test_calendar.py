"""Shift calendars against a minute-by-minute reference, and the on-shift clock against both.

The reference marks each minute of a week working or not straight from the definition: a
shift on a working day covers the minutes from its start for its length (past midnight and
past Sunday night too), except the minutes of its breaks, each taken at the first time of
day at or after the shift's start.
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numba import njit

from nevsim.factory.blocks import from_tau, station_real, station_tau, to_tau
from nevsim.factory.calendar import WEEKDAYS, Calendar
from nevsim.factory.compile import compile_plant
from nevsim.factory.structs import STATION_STATE
from tests.helpers import plant

MINUTES = 7 * 24 * 60
quarter = st.integers(0, 24 * 4 - 1).map(lambda q: q * 15)  # minutes after midnight


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def calendars(draw: st.DrawFn) -> dict:
    shifts = []
    for _ in range(draw(st.integers(1, 3))):
        start = draw(quarter)
        length = draw(st.integers(1, 12 * 4)) * 15
        breaks = []
        for _ in range(draw(st.integers(0, 2))):
            offset = draw(st.integers(0, length // 15 - 1)) * 15
            span = draw(st.integers(1, 4)) * 15
            breaks.append({"start": _clock((start + offset) % 1440),
                           "end": _clock((start + offset + span) % 1440)})
        shifts.append({"start": _clock(start), "end": _clock((start + length) % 1440),
                       "breaks": breaks})
    days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True))
    return {"shifts": shifts, "days": days}


def _reference(spec: dict) -> np.ndarray:
    """Working minutes of the week, marked from the definition."""
    working = np.zeros(MINUTES, dtype=bool)

    def minutes(text: str) -> int:
        h, m = text.split(":")
        return int(h) * 60 + int(m)

    for day in spec["days"]:
        base = WEEKDAYS.index(day) * 1440
        for shift in spec["shifts"]:
            start = minutes(shift["start"])
            length = (minutes(shift["end"]) - start) % 1440 or 1440
            mine = np.zeros(MINUTES, dtype=bool)
            for m in range(length):
                mine[(base + start + m) % MINUTES] = True
            for br in shift["breaks"]:
                b0 = minutes(br["start"])
                after = (b0 - start) % 1440  # the first such time at or after the start
                span = (minutes(br["end"]) - b0) % 1440
                for m in range(span):
                    mine[(base + start + after + m) % MINUTES] = False
            working |= mine
    return working


def _mask(intervals: list[tuple[float, float]]) -> np.ndarray:
    working = np.zeros(MINUTES, dtype=bool)
    for a, b in intervals:
        working[int(a // 60): int(b // 60)] = True
    return working


@settings(max_examples=150, deadline=None, derandomize=True)
@given(calendars())
def test_working_intervals_are_the_working_minutes(spec: dict) -> None:
    expected = _reference(spec)
    if not expected.any():
        return  # the schema refuses a calendar that never works
    calendar = Calendar.model_validate(spec)
    intervals = calendar.working_intervals()
    assert all(0 <= a < b <= 7 * 86400 for a, b in intervals)
    assert all(b1 < a2 for (_, b1), (a2, _) in itertools.pairwise(intervals))
    np.testing.assert_array_equal(_mask(intervals), expected)
    assert calendar.hours_per_week() == expected.sum() / 60


@settings(max_examples=40, deadline=None, derandomize=True)
@given(calendars(), st.lists(st.floats(0, 5 * 7 * 86400), min_size=1, max_size=20))
def test_the_on_shift_clock_counts_working_seconds(spec: dict, times: list[float]) -> None:
    expected = _reference(spec)
    if not expected.any():
        return
    scenario = plant([{"name": "S", "shop": "s", "cycle": "60s"}], calendars={"c": spec},
                     shops=[{"name": "s", "calendar": "c"}])
    assert scenario.factory is not None
    line = compile_plant(scenario.factory).line
    worked_by_minute = np.concatenate([[0], np.cumsum(expected)]) * 60.0  # at minute starts
    per_week = worked_by_minute[-1]
    for t in times:
        week, rest = divmod(t, 7 * 86400.0)
        m, within = divmod(rest, 60.0)
        m = int(m)
        reference = week * per_week + worked_by_minute[m] + (within if expected[m] else 0.0)
        tau = to_tau(0, t, line.calendar, line.interval)
        assert tau == np.float64(reference) or abs(tau - reference) < 1e-6
        # the earliest real time with that much work done: not after t, same clock
        back = from_tau(0, tau, line.calendar, line.interval)
        assert back <= t + 1e-6
        assert abs(to_tau(0, back, line.calendar, line.interval) - tau) < 1e-6
        if tau > 0:  # and no earlier time has it
            assert to_tau(0, back - 1e-3, line.calendar, line.interval) < tau


@njit
def _station_clock(times, taus, calendar, interval):
    """Read a station's remembered-shift clocks at each time in turn, as the kernel does."""
    state = np.zeros(1, dtype=STATION_STATE)
    state[0].shift_end = -1.0
    on_shift = np.empty(times.shape[0])
    real = np.empty(times.shape[0])
    for i in range(times.shape[0]):
        on_shift[i] = station_tau(state[0], 0, times[i], calendar, interval)
        real[i] = station_real(state[0], 0, taus[i], calendar, interval)
    return on_shift, real


@settings(max_examples=40, deadline=None, derandomize=True)
@given(calendars(), st.lists(st.floats(0, 5 * 7 * 86400), min_size=1, max_size=40),
       st.booleans())
def test_a_station_clock_that_remembers_its_shift_reads_the_same(
        spec: dict, times: list[float], in_order: bool) -> None:
    """The kernel's shortcut (the last shift's offset) agrees with the full search.

    In time order, as a station reads its clocks, and in any order (every jump).
    """
    scenario = plant([{"name": "S", "shop": "s", "cycle": "60s"}], calendars={"c": spec},
                     shops=[{"name": "s", "calendar": "c"}])
    assert scenario.factory is not None
    line = compile_plant(scenario.factory).line
    if line.calendar.shape[0] == 0 or line.calendar[0]["on_shift"] <= 0:
        return
    cal = line.calendar[0]
    edges = [week * cal["period"] + edge + offset
             for week in (0, 1)
             for iv in line.interval[cal["first"]:cal["stop"]]
             for edge in (iv["start"], iv["end"]) for offset in (-30.0, 0.0, 30.0)]
    # random times and every shift's edges, just before, on and just after them
    moments = [*times, *(e for e in edges if e >= 0)]
    moments = np.array(sorted(moments) if in_order else moments)
    taus = np.array([to_tau(0, t, line.calendar, line.interval) for t in moments])
    on_shift, real = _station_clock(moments, taus, line.calendar, line.interval)
    for t, tau, a, b in zip(moments, taus, on_shift, real, strict=True):
        assert abs(a - tau) < 1e-6, t
        assert abs(b - from_tau(0, tau, line.calendar, line.interval)) < 1e-6, tau

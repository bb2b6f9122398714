"""The deterministic critical path against networks solved by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from nevsim.program import simulate
from tests.program.builders import chain, program


def _plan(scenario):
    result = simulate(scenario, samples=1, seed=0)
    return result.schedule.set_index("task"), result


def test_finish_to_start_network_by_hand() -> None:
    """A(3) -> B(5), A -> C(2) -> D(4), B and D -> SOP.

    By hand: ES A 0, EF 3; B 3-8; C 3-5; D 5-9; SOP 9. Late: SOP 9; B LF 9 LS 4 (float 1);
    D LF 9, LS 5; C LF 5 (float 0); A LF 3. Free float of B: 9 - 8 = 1.
    """
    s = program([{"name": "A", "duration": 3}, {"name": "B", "duration": 5},
                 {"name": "C", "duration": 2}, {"name": "D", "duration": 4}],
                [*chain("A", "B", "SOP"), *chain("A", "C", "D", "SOP")])
    table, result = _plan(s)
    assert table.loc["B", "start"] == 3 and table.loc["B", "finish"] == 8
    assert table.loc["D", "start"] == 5 and table.loc["D", "finish"] == 9
    assert table.loc["SOP", "finish"] == 9
    assert table.loc["B", "total_float"] == 1 and table.loc["B", "free_float"] == 1
    assert table.loc["C", "total_float"] == 0
    assert list(table.index[table["critical"]]) == ["A", "C", "D", "SOP"]
    assert result.summary()["critical_path"] == ["A", "C", "D", "SOP"]


def test_the_four_link_types_with_lags_by_hand() -> None:
    """Links of every type, with lags, solved by hand.

    A(10). B(4) SS+2 after A: 2-6. C(3) FF+1 after A: finish >= 11, so 8-11.
    D(6) SF-3 after B: finish >= 2 - 3 = -1, so D starts at 0 (not before the program).
    E(5) FS-4 after C (an overlap): 7-12. SOP after E and D: 12.
    Late (SOP 12): E LF 12; C: LF <= LS_E + 4 = 11, float 0; A: LF <= LF_C - 1 = 10, float 0.
    D -> SOP: D LF 12, LS 6, float 6. B leads to SOP only through D (SF):
    LS_B <= LF_D + 3 = 15, so LF_B = 19 and B's float is 19 - 6 = 13.
    """
    s = program(
        [{"name": n, "duration": d} for n, d in
         [("A", 10), ("B", 4), ("C", 3), ("D", 6), ("E", 5)]],
        [{"from": "A", "to": "B", "type": "SS", "lag": 2},
         {"from": "A", "to": "C", "type": "FF", "lag": 1},
         {"from": "B", "to": "D", "type": "SF", "lag": -3},
         {"from": "C", "to": "E", "lag": -4},
         {"from": "E", "to": "SOP"}, {"from": "D", "to": "SOP"}])
    table, _ = _plan(s)
    assert (table.loc["B", "start"], table.loc["B", "finish"]) == (2, 6)
    assert (table.loc["C", "start"], table.loc["C", "finish"]) == (8, 11)
    assert (table.loc["D", "start"], table.loc["D", "finish"]) == (0, 6)
    assert (table.loc["E", "start"], table.loc["E", "finish"]) == (7, 12)
    assert table.loc["SOP", "finish"] == 12
    assert table.loc["C", "total_float"] == 0 and table.loc["A", "total_float"] == 0
    assert table.loc["D", "total_float"] == 6
    assert table.loc["B", "total_float"] == 13
    assert table.loc["E", "free_float"] == 0 and table.loc["D", "free_float"] == 6
    assert table.loc["C", "free_float"] == 0  # E starts 4 before C ends: the lag counts


def test_a_start_to_start_predecessor_keeps_its_duration_in_its_late_finish() -> None:
    """A(3) SS+1 -> B(10) -> SOP: SOP 11; A must start by LS_B - 1 = 0, so LF_A = 3, float 0."""
    s = program([{"name": "A", "duration": 3}, {"name": "B", "duration": 10}],
                [{"from": "A", "to": "B", "type": "SS", "lag": 1}, *chain("B", "SOP")])
    table, _ = _plan(s)
    assert table.loc["SOP", "finish"] == 11
    assert table.loc["A", "late_finish"] == 3 and table.loc["A", "total_float"] == 0


def test_work_after_sop_does_not_drive_it() -> None:
    """Over-the-air work after SOP has no float towards SOP and is never critical."""
    s = program([{"name": "A", "duration": 5}, {"name": "OTA", "duration": 50}],
                [*chain("A", "SOP"), {"from": "SOP", "to": "OTA", "type": "SS"}])
    table, _ = _plan(s)
    assert np.isnan(table.loc["OTA", "total_float"]) and not table.loc["OTA", "critical"]
    assert table.loc["SOP", "finish"] == 5


def test_calendar_weekends_holidays_and_units_by_hand() -> None:
    """Start Mon 6 Jan 2025; 1w (5 working days) then 2d; holidays 13-14 Jan.

    Working days: 6-10 Jan (A), 15-16 Jan (B, after the holiday): SOP date 16 Jan 2025.
    """
    s = program([{"name": "A", "duration": "1w"}, {"name": "B", "duration": "2d"}],
                chain("A", "B", "SOP"),
                calendar={"holidays": [{"from": "2025-01-13", "to": "2025-01-14"}]})
    table, result = _plan(s)
    assert table.loc["A", "finish_date"] == dt.date(2025, 1, 10)
    # one sample of fixed durations: its percentiles are the plan's dates
    assert (table["p50_finish_date"] == table["finish_date"]).all()
    assert (table["p80_finish_date"] == table["finish_date"]).all()
    assert table.loc["B", "start_date"] == dt.date(2025, 1, 15)
    assert result.plan_sop == dt.date(2025, 1, 16)


def test_weeks_follow_the_programs_working_week() -> None:
    """days_per_week 6: 1w is 6 working days; 2w = 12 from Mon 6 Jan (Mon-Fri) ends 21 Jan."""
    s = program([{"name": "A", "duration": "2w"}], chain("A", "SOP"), days_per_week=6)
    table, result = _plan(s)
    assert table.loc["A", "duration"] == 12
    assert result.plan_sop == dt.date(2025, 1, 21)


def test_a_six_day_week_and_months() -> None:
    """Mon-Sat weeks, 1mo = 26 working days here.

    From Mon 6 Jan: 4 weeks of 6 days end Sat 1 Feb (24 days), then Mon 3 and Tue 4 Feb.
    """
    s = program([{"name": "A", "duration": "1mo"}], chain("A", "SOP"), days_per_month=26,
                calendar={"working_days": ["mon", "tue", "wed", "thu", "fri", "sat"]})
    _, result = _plan(s)
    assert result.plan_sop == dt.date(2025, 2, 4)


@pytest.mark.parametrize("law", [
    {"dist": "triangular", "min": 2, "mode": 5, "max": 9},
    {"dist": "pert", "min": 2, "mode": 5, "max": 9},
])
def test_the_plan_uses_the_most_likely_duration(law: dict) -> None:
    """Three-point laws plan at their mode."""
    table, _ = _plan(program([{"name": "A", "duration": law}], chain("A", "SOP")))
    assert table.loc["A", "duration"] == 5

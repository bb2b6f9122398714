"""Station statistics, OEE and confidence intervals against values derived by hand.

Long deterministic runs make the boundary effects (one visit or one repair straddling the
window's edges) smaller than the stated tolerance; random ones use tolerances from their
sampling error (4 standard deviations).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from nevsim.factory import simulate
from nevsim.factory.results import estimate
from tests.helpers import plant

DAY = 86400.0
WEEK = 7 * DAY


def test_oee_of_a_station_with_lots_and_failures_by_hand() -> None:
    # 60 s a vehicle, a 120 s changeover every 10, a 600 s repair after every 3,600 s of
    # operation (setups included): per 4,200 s, 50 vehicles = 3,000 s work + 600 s setup,
    # then 600 s down. Availability 6/7, performance 60 x 50 / 3,600 = 5/6, quality 1.
    scenario = plant([{"name": "press", "cycle": "60s",
                       "batch": {"lot_size": 10, "changeover": "120s"},
                       "failures": {"mtbf": "3600s", "mttr": "600s"}}])
    result = simulate(scenario, seed=1, replications=1, horizon=1000 * 4200.0,
                      warmup=4200.0)
    s = result.stations.iloc[0]
    tol = 2e-4  # one visit or repair over 4.2 M s
    assert s["working"] == pytest.approx(3000 / 4200, abs=tol)
    assert s["setup"] == pytest.approx(600 / 4200, abs=tol)
    assert s["down"] == pytest.approx(600 / 4200, abs=tol)
    assert s["blocked"] == pytest.approx(0, abs=tol)
    assert s["starved"] == pytest.approx(0, abs=tol)
    assert s["utilization"] == pytest.approx(3600 / 4200, abs=tol)
    assert s["availability"] == pytest.approx(6 / 7, abs=tol)
    assert s["performance"] == pytest.approx(5 / 6, abs=tol)
    assert s["quality"] == 1.0
    assert s["oee"] == pytest.approx(5 / 7, abs=tol)
    assert result.interdeparture.mean == pytest.approx(4200 / 50, rel=tol)


def test_blocking_and_starving_of_an_unbalanced_pair_by_hand() -> None:
    # A (50 s) feeds B (60 s) with no buffer: A waits 10 s of every 60 for B to take its
    # vehicle; B never waits. C (30 s) after B is starved half the time.
    scenario = plant([{"name": "A", "cycle": "50s"}, {"name": "B", "cycle": "60s"},
                      {"name": "C", "cycle": "30s"}])
    result = simulate(scenario, replications=1, horizon=10 * DAY, warmup=DAY)
    st_ = result.stations.set_index("station")
    tol = 1e-4
    assert st_.loc["A", "working"] == pytest.approx(50 / 60, abs=tol)
    assert st_.loc["A", "blocked"] == pytest.approx(10 / 60, abs=tol)
    assert st_.loc["B", "working"] == pytest.approx(1.0, abs=tol)
    assert st_.loc["C", "working"] == pytest.approx(0.5, abs=tol)
    assert st_.loc["C", "starved"] == pytest.approx(0.5, abs=tol)
    assert st_.loc["A", "performance"] == pytest.approx(50 / 60, abs=tol)  # OEE loss: blocked
    assert st_.loc["C", "oee"] == pytest.approx(0.5, abs=tol)
    assert result.bottleneck == "B"


def test_quality_is_the_first_pass_share_of_completed_visits() -> None:
    # every defect is scrapped: quality estimates the yield, a binomial share
    scenario = plant([{"name": "paint", "cycle": "60s", "quality": {"yield": 0.9,
                                                                     "scrap": 1.0}}])
    result = simulate(scenario, seed=3, replications=1, horizon=20 * DAY, warmup=DAY)
    s = result.stations.iloc[0]
    n = s["visits"]
    assert s["quality"] == pytest.approx(0.9, abs=4 * math.sqrt(0.09 / n))
    assert s["oee"] == pytest.approx(s["availability"] * s["performance"] * s["quality"])
    reps = result.replications.iloc[0]
    assert reps["vehicles"] + s["scrapped"] == pytest.approx(n, abs=2)


def test_a_shift_with_a_break_works_exactly_its_hours() -> None:
    # 06:00-14:00 with a 30 min break, Monday to Friday: 7.5 h = 450 vehicles of 60 s a day,
    # 2,250 a week; the last one leaves at 14:00 sharp, so a window of whole weeks holds them
    scenario = plant([{"name": "S", "shop": "final", "cycle": "60s"}],
                     calendars={"day": {"shifts": [{"start": "06:00", "end": "14:00",
                                                    "breaks": [{"start": "10:00",
                                                                "end": "10:30"}]}]}},
                     shops=[{"name": "final", "calendar": "day"}])
    result = simulate(scenario, replications=1, horizon=4 * WEEK, warmup=WEEK)
    reps = result.replications.iloc[0]
    assert reps["vehicles"] == 3 * 2250
    assert result.interdeparture.mean == pytest.approx(60.0, abs=1e-9)  # on-shift time
    assert result.jph_on_shift.mean == pytest.approx(60.0, abs=1e-9)
    assert result.jph.mean == pytest.approx(2250 / 168, abs=1e-9)
    assert result.weekly_output.mean == pytest.approx(2250, abs=1e-6)
    s = result.stations.iloc[0]
    assert s["off_shift"] == pytest.approx(1 - 37.5 / 168, abs=1e-12)
    assert s["working"] == pytest.approx(37.5 / 168, abs=1e-9)
    hours = result.output.set_index("hour")["vehicles"]
    monday = hours.iloc[7 * 24: 8 * 24]  # Monday of the second week
    assert monday.iloc[10] == 30  # 10:00-11:00 holds the break
    assert monday.iloc[9] == monday.iloc[11] == 60
    # hourly bins are half-open: the exit at 14:00:00 sharp falls in the 14:00 bin
    assert monday.iloc[:6].sum() == monday.iloc[15:].sum() == 0
    assert monday.iloc[14] == 1
    assert monday.sum() == 450


def test_failures_per_robot_add_up_to_the_station_rate() -> None:
    # 8 robots each failing every 20 h (exponential) stop the station every 2.5 h;
    # repairs of 10 min: availability 150 / 160
    scenario = plant([{"name": "weld", "cycle": "60s", "robots": 8,
                       "failures": {"mtbf": {"dist": "exponential", "mean": "20h"},
                                    "mttr": {"dist": "exponential", "mean": "10min"},
                                    "per": "robot"}}])
    horizon = 2 * 365 * DAY
    result = simulate(scenario, seed=5, replications=1, horizon=horizon, warmup=DAY)
    s = result.stations.iloc[0]
    failures = horizon / (2.5 * 3600 + 600)
    # down time = a Poisson-like count of exponential repairs: CV about sqrt(2 / failures)
    tol = 4 * math.sqrt(2 / failures) * (10 / 160)
    assert s["down"] == pytest.approx(10 / 160, abs=tol)
    assert s["availability"] == pytest.approx(150 / 160, abs=tol)


def test_repair_time_delays_the_vehicle_not_the_line() -> None:
    # the last station's defects go off line for 10 min and then leave: the line's rate is
    # unchanged, the mean lead time grows by 20% x 600 s
    scenario = plant([{"name": "A", "cycle": "60s", "quality": {"yield": 0.8,
                                                                 "repair_time": "10min"}}])
    result = simulate(scenario, seed=7, replications=1, horizon=30 * DAY, warmup=DAY)
    shop = result.shops.iloc[0]
    n = result.replications.iloc[0]["vehicles"]
    assert shop["lead_time_s"] == pytest.approx(60 + 0.2 * 600, abs=4 * 600 * 0.4 / math.sqrt(n))
    assert result.jph.mean == pytest.approx(60.0, rel=1e-3)


def test_rework_to_a_middle_station_loads_it_and_not_the_first() -> None:
    # C rejects 20% back to B (not A): B and C do 1.25 visits a vehicle, A one; B (60 s)
    # limits the line to a vehicle every 75 s
    scenario = plant([{"name": "A", "cycle": "50s"}, {"name": "B", "cycle": "60s"},
                      {"name": "C", "cycle": "40s",
                       "quality": {"yield": 0.8, "rework_to": "B"}}], default_buffer=20)
    result = simulate(scenario, seed=2, replications=2, horizon=30 * DAY, warmup=DAY)
    st_ = result.stations.set_index("station")
    vehicles = result.replications["vehicles"].mean()
    assert st_.loc["A", "visits"] / vehicles == pytest.approx(1.0, rel=0.01)
    assert st_.loc["B", "visits"] / vehicles == pytest.approx(1.25, rel=0.01)
    assert st_.loc["C", "visits"] / vehicles == pytest.approx(1.25, rel=0.01)
    assert result.interdeparture.mean == pytest.approx(75.0, rel=0.01)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=40))
def test_confidence_interval_is_the_t_interval_of_scipy(values: list[float]) -> None:
    x = np.asarray(values)
    got = estimate(x)
    sem = stats.sem(x)
    if sem == 0:
        assert got.low == got.high == pytest.approx(x.mean())
        return
    low, high = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=sem)
    assert (got.mean, got.low, got.high) == pytest.approx((x.mean(), low, high), rel=1e-9,
                                                          abs=1e-6)
    assert got.replications == len(x)


def test_one_replication_has_no_interval() -> None:
    got = estimate([3.0])
    assert got.mean == 3.0 and math.isnan(got.low) and math.isnan(got.high)


def test_line_outputs_alone_are_the_same_numbers_with_the_stations_left_blank() -> None:
    # the built-in plant has every feature the kernel books statistics for: calendars,
    # failures on both clocks, parallel servers, feeders, repairs and the resequencing store
    from nevsim import load_scenario

    factory = load_scenario("yizhuang").factory
    assert factory is not None
    full = simulate(factory, seed=4, replications=2, horizon="20d", warmup="2d", workers=1)
    line = simulate(factory, seed=4, replications=2, horizon="20d", warmup="2d", workers=1,
                    station_statistics=False)
    pd.testing.assert_frame_equal(full.replications, line.replications)
    assert full.replications["vehicles"].min() > 0
    assert line.stations["working"].isna().all()
    assert line.stations["bottleneck_share"].isna().all()
    assert (line.stations["visits"] == full.stations["visits"]).all()
    assert line.bottleneck == "" and full.bottleneck != ""
    assert full.stations["working"].notna().all()

"""What theory predicts: availability, Little's law, conservation, rework load, calendars."""

from __future__ import annotations

import numpy as np
import pytest

from nevsim.factory import simulate
from tests.helpers import plant

DAY = 86400.0
FAILS = {"mtbf": {"dist": "exponential", "mean": "1h"},
         "mttr": {"dist": "exponential", "mean": "10min"}}


@pytest.mark.parametrize("mode", ["operation", "time"])
def test_station_with_availability_a_and_large_buffer_makes_a_over_cycle(mode: str) -> None:
    scenario = plant([{"name": "A", "cycle": "60s", "failures": {**FAILS, "mode": mode}},
                      {"name": "B", "cycle": "30s"}], {("A", "B"): 1000})
    availability = 60.0 / 70.0  # MTBF / (MTBF + MTTR)
    result = simulate(scenario, seed=5, replications=10, horizon=60 * DAY, warmup=DAY)
    assert result.jph.contains(availability / 60.0 * 3600.0), result.jph
    a = result.stations.set_index("station").loc["A"]
    assert a["down"] == pytest.approx(1 - availability, abs=0.01)
    assert a["availability"] == pytest.approx(availability, abs=0.01)


def _busy_plant(**extra):  # type: ignore[no-untyped-def]
    """Rework, scrap, a feeder, failures of both kinds and two shops with calendars."""
    return plant(
        [
            {"name": "A", "shop": "body", "cycle": {"dist": "exponential", "mean": "50s"},
             "failures": FAILS},
            {"name": "B", "shop": "body", "cycle": {"dist": "normal", "mean": "55s", "sd": "5s"},
             "quality": {"yield": 0.85, "scrap": 0.2, "rework_to": "A",
                         "repair_time": "5min"}},
            {"name": "C", "shop": "paint", "cycle": "58s", "servers": 2,
             "failures": {**FAILS, "mode": "time"}},
            {"name": "D", "shop": "paint", "cycle": {"dist": "uniform", "min": "40s",
                                                      "max": "60s"},
             "quality": {"yield": 0.9, "repair_time": "20min"}},
        ],
        {("A", "B"): 3, ("B", "C"): 5, ("C", "D"): 2},
        calendars={"day": {"shifts": [{"start": "06:00", "end": "22:00"}]},
                   "round": {"shifts": [{"start": "00:00", "end": "00:00"}],
                             "days": ["mon", "tue", "wed", "thu", "fri", "sat"]}},
        shops=[{"name": "body", "calendar": "day"}, {"name": "paint", "calendar": "round"}],
        feeders=[{"name": "parts", "to": "B", "store": 10, "parts_per_vehicle": 2,
                  "stations": [{"name": "F", "cycle": {"dist": "exponential",
                                                       "mean": "20s"}}]}],
        **extra,
    )


def test_conservation_started_equals_finished_scrapped_and_in_process() -> None:
    result = simulate(_busy_plant(), seed=2, replications=4, horizon=14 * DAY, warmup=DAY)
    reps = result.replications
    assert (reps["started"] == reps["finished"] + reps["scrapped"] + reps["wip_end"]).all()
    assert (reps["scrapped"] > 0).all()
    assert result.diagnostics["reworks"] > 0


def test_state_shares_add_up_to_calendar_time() -> None:
    result = simulate(_busy_plant(), seed=3, replications=2, horizon=14 * DAY, warmup=DAY)
    states = ["working", "setup", "down", "blocked", "starved", "waiting_parts", "off_shift"]
    total = result.stations[states].sum(axis=1)
    np.testing.assert_allclose(total, 1.0, atol=1e-9)
    assert (result.stations[states] >= -1e-12).all().all()


def test_littles_law_holds_in_every_shop() -> None:
    result = simulate(_busy_plant(), seed=4, replications=4, horizon=60 * DAY, warmup=2 * DAY)
    shops = result.shops[result.shops["main_line"]]
    assert len(shops) == 2
    np.testing.assert_allclose(shops["wip"], shops["littles_law_wip"], rtol=0.01)


def test_rework_raises_station_load_by_the_expected_visits() -> None:
    # B fails 20%; defects go back to A; each pass is independent: 1 / 0.8 visits per vehicle
    scenario = plant([{"name": "A", "cycle": "20s"},
                      {"name": "B", "cycle": {"dist": "exponential", "mean": "30s"},
                       "quality": {"yield": 0.8, "rework_to": "A", "repair_time": "2min"}},
                      {"name": "C", "cycle": "10s"}], default_buffer=50)
    result = simulate(scenario, seed=8, replications=5, horizon=30 * DAY, warmup=DAY)
    st = result.stations.set_index("station")
    per_vehicle = st["visits"] / result.replications["vehicles"].mean()
    assert per_vehicle["A"] == pytest.approx(1.25, rel=0.01)
    assert per_vehicle["B"] == pytest.approx(1.25, rel=0.01)
    assert per_vehicle["C"] == pytest.approx(1.0, rel=0.01)
    # B's load is 1.25 x 30 s per vehicle: it is the bottleneck at 37.5 s
    assert result.jph.mean == pytest.approx(3600 / 37.5, rel=0.02)
    assert result.bottleneck == "B"
    assert result.diagnostics["late_merges"] == 0


def test_a_shop_off_shift_produces_nothing() -> None:
    scenario = plant([{"name": "A", "shop": "final", "cycle": "60s"},
                      {"name": "B", "shop": "final", "cycle": {"dist": "exponential",
                                                                "mean": "50s"}}],
                     {("A", "B"): 3},
                     calendars={"early": {"shifts": [{"start": "06:00", "end": "14:00"}]}},
                     shops=[{"name": "final", "calendar": "early"}])
    result = simulate(scenario, seed=1, replications=2, horizon=14 * DAY)
    out = result.output.set_index("hour")["vehicles"]
    hour_of_day = out.index % 24
    weekday = (out.index // 24) % 7
    off = (hour_of_day < 6) | (hour_of_day > 14) | (weekday >= 5)
    assert out[off].sum() == 0
    assert out[~off].sum() > 0
    assert result.stations["off_shift"].iloc[0] == pytest.approx(1 - 40 / 168, abs=1e-9)


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    a = simulate(_busy_plant(), seed=21, replications=2, horizon=7 * DAY)
    b = simulate(_busy_plant(), seed=21, replications=2, horizon=7 * DAY)
    c = simulate(_busy_plant(), seed=22, replications=2, horizon=7 * DAY)
    assert _numbers(a) == _numbers(b)
    assert a.jph.mean != c.jph.mean


def test_buffers_never_hold_more_than_their_capacity() -> None:
    result = simulate(_busy_plant(), seed=6, replications=1, horizon=14 * DAY)
    levels = result.buffers
    assert levels["A -> B"].max() <= 3
    assert levels["B -> C"].max() <= 5
    assert levels["parts store"].max() <= 10
    assert levels["parts store"].min() >= 0


def test_time_dependent_failures_stop_when_the_shop_is_off_shift() -> None:
    # a station that is always busy on shift, failing on shift time only: its down share of
    # on-shift time is MTTR / (MTBF + MTTR) whatever the calendar
    scenario = plant([{"name": "A", "shop": "s", "cycle": "60s",
                       "failures": {**FAILS, "mode": "time"}}],
                     calendars={"c": {"shifts": [{"start": "08:00", "end": "16:00"}]}},
                     shops=[{"name": "s", "calendar": "c"}])
    result = simulate(scenario, seed=9, replications=8, horizon=120 * DAY, warmup=0.0)
    a = result.stations.iloc[0]
    on = 1 - a["off_shift"]
    assert a["down"] / on == pytest.approx(10 / 70, rel=0.03)


def test_workers_do_not_change_the_numbers() -> None:
    serial_run = simulate(_busy_plant(), seed=31, replications=3, horizon=7 * DAY, workers=1)
    pooled = simulate(_busy_plant(), seed=31, replications=3, horizon=7 * DAY, workers=2)
    assert (serial_run.workers, pooled.workers) == (1, 2)
    assert _numbers(serial_run) == _numbers(pooled)


def _numbers(result):  # type: ignore[no-untyped-def]
    """Everything a run computes, without how many processes computed it."""
    out = result.to_dict()
    del out["summary"]["workers"]
    return out

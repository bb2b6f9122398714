"""The takt verdict has three answers, and the bottleneck one definition everywhere."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from nevsim.cli.app import app
from nevsim.factory import simulate
from nevsim.factory.results import Estimate, TaktVerdict, takt_verdict
from tests.helpers import serial

DAY = 86400.0


@pytest.mark.parametrize(("interval", "expected"), [
    ((70.0, 68.0, 72.0), TaktVerdict.HOLDS),
    ((76.0, 75.0, 76.0), TaktVerdict.HOLDS),  # the upper end on the takt still holds it
    ((80.0, 78.0, 82.0), TaktVerdict.FAILS),
    ((75.0, 73.0, 77.0), TaktVerdict.CANNOT_TELL),
    ((70.0, float("nan"), float("nan")), TaktVerdict.CANNOT_TELL),
])
def test_the_verdict_follows_the_interval(interval: tuple[float, float, float],
                                          expected: TaktVerdict) -> None:
    mean, low, high = interval
    assert takt_verdict(Estimate(mean, low, high, 5), 76.0) is expected


def test_a_line_at_its_takt_within_noise_cannot_tell_and_says_what_to_do() -> None:
    # an exponential single station with mean 76 s runs at 76 s on average: no verdict
    scenario = serial([{"dist": "exponential", "mean": "76s"}])
    result = simulate(scenario, seed=3, replications=3, horizon=2 * DAY, warmup=0.0)
    assert result.interdeparture.contains(76.0)
    assert result.verdict is TaktVerdict.CANNOT_TELL
    assert not result.takt_met
    assert any("run more replications or a longer horizon" in n for n in result.notes)


def test_a_horizon_shorter_than_the_warm_up_is_said() -> None:
    scenario = serial(["60s"], warmup="7d")
    result = simulate(scenario, replications=2, horizon=3 * DAY)
    assert result.warmup == 0.0
    assert any("not longer than the scenario's warm-up (7d)" in n for n in result.notes)
    assert any("extrapolate less than a week" in n for n in result.notes)
    run = CliRunner().invoke(app, ["factory", "simulate", "yizhuang", "--horizon", "3d",
                                   "--replications", "2", "--no-report"])
    assert run.exit_code == 0
    assert "warm-up" in run.output


def test_one_clearly_slower_station_is_the_bottleneck_all_the_time() -> None:
    scenario = serial([{"dist": "exponential", "mean": "40s"}, {"dist": "exponential",
                                                              "mean": "70s"},
                       {"dist": "exponential", "mean": "40s"}], capacity=3)
    result = simulate(scenario, seed=1, replications=2, horizon=5 * DAY, warmup=DAY)
    shares = result.stations.set_index("station")["bottleneck_share"]
    assert result.bottleneck == "S1"
    assert shares["S1"] > 0.8
    assert shares.sum() == pytest.approx(1.0)


def test_two_equal_stations_share_the_bottleneck_and_the_verdict_names_the_chart_top() -> None:
    scenario = serial([{"dist": "exponential", "mean": "30s"}, {"dist": "exponential",
                                                              "mean": "60s"},
                       {"dist": "exponential", "mean": "30s"}, {"dist": "exponential",
                                                              "mean": "60s"}], capacity=3)
    result = simulate(scenario, seed=2, replications=4, horizon=10 * DAY, warmup=DAY)
    shares = result.stations.set_index("station")["bottleneck_share"]
    assert shares["S1"] > 0.3 and shares["S3"] > 0.3
    assert shares["S1"] + shares["S3"] > 0.8
    assert result.bottleneck == shares.idxmax()  # the verdict names the chart's top station

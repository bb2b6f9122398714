"""Deterministic lines: results known exactly by hand."""

from __future__ import annotations

import numpy as np
import pytest

from nevsim.factory import simulate
from tests.helpers import plant, serial, trace


def test_two_station_trace_without_buffer_matches_hand_computation() -> None:
    # A takes 2 s, B 3 s, no buffer: A finishes job 2 at 4 s but waits for B to free at 5 s.
    scenario = serial(["2s", "3s"], capacity=0)
    assert scenario.factory is not None
    raw = trace(scenario.factory, seed=1, horizon=15.0)
    exits = raw.trace.exits[: int(raw.totals["exits"][0])]
    # A starts jobs at 0, 2, 5, 8, 11, 14 (all before the 15 s horizon); each leaves B 3 s apart
    np.testing.assert_array_equal(exits, [5.0, 8.0, 11.0, 14.0, 17.0, 20.0])


@pytest.mark.parametrize(
    ("cycles", "capacity"),
    [(["60s", "70s", "65s"], 0), (["50s", "76s", "40s", "75s"], 2), (["80s"], 0),
     (["30s", "45s", "45s", "20s"], 5)],
)
def test_throughput_is_exactly_3600_over_the_slowest_cycle(cycles: list[str],
                                                           capacity: int) -> None:
    slowest = max(float(c.removesuffix("s")) for c in cycles)
    result = simulate(serial(cycles, capacity=capacity), replications=2, horizon=86400.0,
                      warmup=3600.0)
    assert result.interdeparture.mean == pytest.approx(slowest, abs=1e-9)
    assert 3600.0 / result.interdeparture.mean == pytest.approx(3600.0 / slowest, abs=1e-9)
    # an always-on line: a week is 168 hours of output
    assert result.weekly_output.mean == pytest.approx(result.jph.mean * 168)
    # the slowest station never waits, every other one does
    stations = result.stations.set_index("station")
    busiest = stations["working"].idxmax()
    assert stations.loc[busiest, "working"] == pytest.approx(1.0, abs=1e-3)


def test_parallel_servers_multiply_capacity() -> None:
    # two 120 s cells in parallel feed a 50 s station: one vehicle every 60 s on average
    scenario = plant([{"name": "cells", "cycle": "120s", "servers": 2},
                      {"name": "B", "cycle": "50s"}])
    result = simulate(scenario, replications=1, horizon=86400.0, warmup=3600.0)
    # 1380 vehicles in the 23 h window, give or take the pair straddling its edge
    assert abs(result.replications.loc[0, "vehicles"] - 23 * 60) <= 1


def test_lot_changeover_adds_its_share_of_time() -> None:
    scenario = plant([{"name": "press", "cycle": "40s",
                       "batch": {"lot_size": 10, "changeover": "100s"}}])
    result = simulate(scenario, replications=1, horizon=86400.0, warmup=3600.0)
    # 10 jobs x 40 s + 100 s per lot = 50 s per job on average
    assert result.jph.mean == pytest.approx(3600.0 / 50.0, rel=2e-3)


@pytest.mark.parametrize(("feeder_cycle", "parts", "expected"),
                         [("90s", 1, 90.0), ("40s", 2, 80.0), ("20s", 2, 60.0)])
def test_a_station_waits_for_its_parts(feeder_cycle: str, parts: int, expected: float) -> None:
    # the main line could make a vehicle every 60 s; its parts arrive every parts x cycle
    scenario = plant([{"name": "A", "cycle": "50s"}, {"name": "B", "cycle": "60s"}],
                     feeders=[{"name": "f", "to": "B", "parts_per_vehicle": parts,
                               "store": 2 * parts, "stations": [{"name": "F",
                                                                  "cycle": feeder_cycle}]}])
    result = simulate(scenario, replications=1, horizon=86400.0, warmup=3600.0)
    assert result.interdeparture.mean == pytest.approx(expected, abs=1e-9)
    feeder = result.stations.set_index("station").loc["F"]
    # a feeder faster than its consumer fills its store and then waits for room
    assert (feeder["blocked"] > 0.1) == (expected == 60.0)


def test_waiting_for_parts_is_its_own_state_not_buffer_content() -> None:
    # no buffers; B (60 s) waits 30 s of every 90 for its feeder's part (a 90 s cycle) with
    # the vehicle inside: a third of its time waiting for parts, no vehicle in any buffer
    scenario = plant([{"name": "A", "cycle": "50s"}, {"name": "B", "cycle": "60s"}],
                     feeders=[{"name": "f", "to": "B", "parts_per_vehicle": 1, "store": 2,
                               "stations": [{"name": "F", "cycle": "90s"}]}])
    result = simulate(scenario, replications=2, horizon=86400.0, warmup=3600.0)
    b = result.stations.set_index("station").loc["B"]
    assert b["waiting_parts"] == pytest.approx(30 / 90, abs=1e-3)
    assert b["working"] == pytest.approx(60 / 90, abs=1e-3)
    assert b["starved"] == pytest.approx(0.0, abs=1e-3)
    assert (result.stations["mean_buffer_level"] == 0).all()

"""The kernel against an independent SimPy model fed the very same random draws."""

from __future__ import annotations

import numpy as np
import pytest

from nevsim.factory.compile import compile_plant
from nevsim.factory.engine import run_replication
from tests.helpers import plant
from tests.reference.simpy_line import run_line

CYCLES = [
    {"dist": "lognormal", "mean": "55s", "sd": "10s"},
    {"dist": "exponential", "mean": "60s"},
    {"dist": "triangular", "min": "40s", "mode": "58s", "max": "75s"},
    {"dist": "normal", "mean": "62s", "sd": "6s"},
    {"dist": "empirical", "samples": ["50s", "61s", "66s", "70s"]},
]


@pytest.mark.parametrize("failures", [False, True])
@pytest.mark.parametrize("seed", [3, 11])
def test_departure_times_equal_simpy(failures: bool, seed: int) -> None:
    stations = []
    for i, cycle in enumerate(CYCLES):
        st = {"name": f"S{i}", "cycle": cycle}
        if failures:
            st["failures"] = {"mtbf": {"dist": "exponential", "mean": "40min"},
                              "mttr": {"dist": "lognormal", "mean": "4min", "sd": "3min"}}
        stations.append(st)
    buffers = [0, 2, 0, 1, 3]
    caps = {(f"S{i - 1}", f"S{i}"): b for i, b in enumerate(buffers) if i > 0}
    scenario = plant(stations, caps)
    assert scenario.factory is not None
    line = compile_plant(scenario.factory)
    raw = run_replication(line, seed, horizon=86400.0, warmup=0.0, trace_visits=3000,
                          trace_fails=500, trace_exits=3000)
    jobs = int(raw.state["visits"][0])
    assert 500 < jobs < 3000
    work = [list(raw.trace.work[k, :jobs]) for k in range(len(CYCLES))]
    ups = downs = None
    if failures:
        assert raw.trace.failures.max() < 500
        assert raw.trace.failures.min() > 5  # failures really happened at every station
        ups = [list(raw.trace.up[k]) for k in range(len(CYCLES))]
        downs = [list(raw.trace.down[k]) for k in range(len(CYCLES))]
    reference = run_line(work, buffers, ups, downs, jobs)
    kernel = raw.trace.exits[: int(raw.totals["exits"][0])]
    assert len(kernel) == jobs
    np.testing.assert_allclose(kernel, reference, rtol=1e-12, atol=1e-6)


def _active_periods(busy: list[tuple[float, float]]) -> list[list[float]]:
    """Runs of visits without a gap (a visit starting as the last one ends continues it)."""
    periods: list[list[float]] = []
    for start, end in busy:
        if periods and start <= periods[-1][1]:
            periods[-1][1] = max(periods[-1][1], end)
        else:
            periods.append([start, end])
    return periods


@pytest.mark.parametrize(("general", "mean", "horizon"), [
    (False, 60, 2e6), (True, 60, 2e6), (True, 6, 1e6)])
def test_active_periods_and_momentary_bottlenecks_equal_simpy(general: bool, mean: float,
                                                               horizon: float) -> None:
    # A balanced line: every station is at times the longest active one. The bottleneck grid
    # has 100,000 points 20 s (10 s) apart, so periods cover none, one or several; with
    # 6 s cycles most cover none, and many points none but the longest covers.
    stations = [{"name": f"S{i}", "cycle": {"dist": "exponential", "mean": f"{mean}s"},
                 "failures": {"mtbf": {"dist": "exponential", "mean": "2h"},
                              "mttr": {"dist": "exponential", "mean": "5min"}}}
                for i in range(4)]
    scenario = plant(stations, {("S0", "S1"): 1, ("S1", "S2"): 0, ("S2", "S3"): 2})
    assert scenario.factory is not None
    line = compile_plant(scenario.factory)
    raw = run_replication(line, 5, horizon=horizon, warmup=0.0, trace_visits=150_000,
                          trace_fails=2_000, general=general)
    jobs = int(raw.totals["started"][0])
    assert 15_000 < jobs < 150_000 and raw.trace.failures.max() < 2_000
    busy: list[list[tuple[float, float]]] = [[] for _ in range(4)]
    run_line([list(raw.trace.work[k, :jobs]) for k in range(4)], [0, 1, 0, 2],
             [list(raw.trace.up[k]) for k in range(4)],
             [list(raw.trace.down[k]) for k in range(4)], jobs, busy)
    points = raw.outputs.bottleneck_station.shape[0]
    assert points == 100_000
    longest = np.full(points, -1.0)
    station = np.full(points, -1)
    for k in range(4):
        periods = _active_periods(busy[k])
        # a period counts in the mean when it ends by the horizon; the last one always
        counted = [e - a for a, e in periods[:-1] if e <= horizon] + [periods[-1][1]
                                                                       - periods[-1][0]]
        assert raw.stats["active_count"][k] == len(counted)
        assert raw.stats["active_sum"][k] == pytest.approx(sum(counted), rel=1e-9)
        # grid point g at g * horizon / points is covered by [a, e) when a <= t < e
        for a, e in periods:
            g0 = max(int(np.ceil(a * points / horizon)), 0)
            g1 = min(int(np.ceil(e * points / horizon)), points)
            cover = slice(g0, g1)
            longer = longest[cover] < e - a
            station[cover] = np.where(longer, k, station[cover])
            longest[cover] = np.where(longer, e - a, longest[cover])
    assert len(set(station.tolist())) == 4  # every station is the bottleneck at times
    np.testing.assert_array_equal(raw.outputs.bottleneck_station, station)
    np.testing.assert_allclose(raw.outputs.bottleneck_duration, longest, rtol=1e-9)

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

"""The plain-line kernel returns exactly what the general kernel returns, field by field."""

from __future__ import annotations

import numpy as np
import pytest

from nevsim.factory import serial_kernel
from nevsim.factory.compile import compile_plant
from nevsim.factory.engine import run_replication
from tests.helpers import plant, serial

FAIL = {"mtbf": {"dist": "exponential", "mean": "2h"}, "mttr": {"dist": "lognormal",
                                                                "mean": "5min", "sd": "3min"}}
LINES = {
    "fixed cycles, no buffers": serial(["60s", "55s", "58s"], capacity=0),
    "exponential with failures": plant(
        [{"name": f"S{i}", "cycle": {"dist": "exponential", "mean": "60s"}, "failures": FAIL}
         for i in range(5)], default_buffer=2),
    "every distribution": plant([
        {"name": "a", "cycle": {"dist": "normal", "mean": "50s", "sd": "10s"}},
        {"name": "b", "cycle": {"dist": "lognormal", "mean": "55s", "sd": "20s"},
         "failures": FAIL},
        {"name": "c", "cycle": {"dist": "triangular", "min": "40s", "mode": "50s",
                                "max": "70s"}},
        {"name": "d", "cycle": {"dist": "uniform", "min": "45s", "max": "65s"}},
        {"name": "e", "cycle": {"dist": "weibull", "shape": 2.0, "scale": "60s"}},
        {"name": "f", "cycle": {"dist": "empirical", "samples": ["50s", "61s", "70s"]}},
    ], default_buffer=1),
    "robots failing, two shops, buffers": plant(
        [{"name": "weld", "shop": "body", "cycle": "50s", "robots": 8,
          "failures": {"mtbf": {"dist": "exponential", "mean": "20h"},
                       "mttr": {"dist": "exponential", "mean": "10min"}, "per": "robot"}},
         {"name": "hem", "shop": "body", "cycle": {"dist": "exponential", "mean": "45s"}},
         {"name": "paint", "shop": "paint", "cycle": "55s", "failures": FAIL},
         {"name": "seal", "shop": "paint", "cycle": {"dist": "exponential", "mean": "50s"}}],
        buffers={("hem", "paint"): 20}, default_buffer=3,
        shops=[{"name": "body"}, {"name": "paint"}]),
}


@pytest.mark.parametrize("name", list(LINES))
@pytest.mark.parametrize("warmup", [0.0, 7200.0])
def test_plain_kernel_equals_general_kernel(name: str, warmup: float) -> None:
    scenario = LINES[name]
    assert scenario.factory is not None
    line = compile_plant(scenario.factory)
    assert serial_kernel.accepts(line.line)
    fast = run_replication(line, 7, 3 * 86400.0, warmup, 500, 200, 500)
    general = run_replication(line, 7, 3 * 86400.0, warmup, 500, 200, 500, general=True)
    for group in ("stats", "state", "totals"):
        a, b = getattr(fast, group), getattr(general, group)
        for name in a.dtype.names:
            assert np.array_equal(a[name], b[name]), f"{group}.{name}"
    for group in ("outputs", "trace"):
        a, b = getattr(fast, group), getattr(general, group)
        for name in a._fields:
            assert np.array_equal(getattr(a, name), getattr(b, name)), f"{group}.{name}"


def test_other_lines_go_to_the_general_kernel() -> None:
    with_yield = plant([{"name": "a", "cycle": "60s"},
                        {"name": "b", "cycle": "60s", "quality": {"yield": 0.9}}])
    parallel = plant([{"name": "a", "cycle": "60s", "servers": 2}])
    for scenario in (with_yield, parallel):
        assert scenario.factory is not None
        line = compile_plant(scenario.factory)
        assert not serial_kernel.accepts(line.line)


def test_compiled_kernels_are_cached_per_version_of_all_their_sources() -> None:
    # numba checks only a function's own file; the kernels inline code from others, so
    # their cache lives in a folder named after all of them and cannot go stale
    import hashlib
    from pathlib import Path

    import numba

    from nevsim.factory import structs

    here = Path(structs.__file__).parent
    digest = hashlib.sha256(b"".join((here / name).read_bytes()
                                     for name in structs.KERNEL_SOURCES)).hexdigest()[:16]
    assert Path(numba.config.CACHE_DIR).name == digest
    assert "blocks.py" in structs.KERNEL_SOURCES and "kernel.py" in structs.KERNEL_SOURCES

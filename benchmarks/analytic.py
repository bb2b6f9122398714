"""Side-by-side timings of the analytic line evaluator (`make bench`).

Measured in one run: the estimate of `yizhuang`'s main line (decomposition into 34
two-machine chains, three units a part) against one replication of 30 days simulated; the
exact chain and the decomposition of a 5-station line of exponential cycles with breakdowns.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nevsim import load_scenario  # noqa: E402
from nevsim.factory.analytic import Line, decomposition, estimate, exact  # noqa: E402
from nevsim.factory.simulation import simulate  # noqa: E402


def _timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - started


def main() -> None:
    """Print the timings."""
    plant = load_scenario("yizhuang")
    assert plant.factory is not None
    simulate(plant, replications=1, horizon="1d", workers=1)  # compile the kernel first
    found, analytic = _timed(estimate, plant.factory)
    simulated, seconds = _timed(simulate, plant, replications=1, horizon="30d", workers=1)
    print(f"yizhuang: estimate {found.jph:.1f} jph in {analytic:.2f} s ({found.method}); one "
          f"30-day replication {simulated.jph_on_shift.mean:.1f} jph while working in "
          f"{seconds:.2f} s")
    rng = np.random.default_rng(5)
    line = Line([f"S{i}" for i in range(5)], 1 / rng.uniform(50, 80, 5),
                1 / rng.uniform(2000, 20000, 5), 1 / rng.uniform(100, 1000, 5), [3, 2, 4, 1])
    exact_estimate, exact_seconds = _timed(exact, line)
    approx, approx_seconds = _timed(decomposition, line)
    print(f"5 stations, buffers 3-2-4-1: exact chain {exact_estimate.jph:.2f} jph in "
          f"{exact_seconds:.2f} s, decomposition {approx.jph:.2f} jph in "
          f"{approx_seconds * 1000:.0f} ms ({approx.jph / exact_estimate.jph - 1:+.1%})")


if __name__ == "__main__":
    main()

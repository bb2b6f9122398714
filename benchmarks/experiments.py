"""Side-by-side timings of the executor layer (`make bench`).

Measured in one run, on the same machine: REPLICATIONS replications of a week of `yizhuang`
(an experiment of one design point), on the local pool with one process and with two
(parallel efficiency = one-process time / (2 x two-process time)), and on a Dask
LocalCluster of two single-threaded worker processes (its overhead against the local pool
on the same work, cluster start-up excluded and reported apart). The runs must be identical.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nevsim.experiments.design import Experiment  # noqa: E402
from nevsim.experiments.executors import DaskCluster, LocalPool  # noqa: E402
from nevsim.experiments.experiment import run  # noqa: E402

REPLICATIONS = 1000
SPEC = Experiment.model_validate({
    "name": "replications", "scenario": "yizhuang", "replications": REPLICATIONS,
    "horizon": "7d", "seed": 1, "factors": [{"path": "factory.replications", "levels": [1]}]})


def main() -> None:
    """Print the timings."""
    run(SPEC.model_copy(update={"replications": 2}), LocalPool(1))  # compile and warm up
    timings = {}
    runs = {}
    for workers in (1, 2):
        started = time.perf_counter()
        runs[workers] = run(SPEC, LocalPool(workers)).runs
        timings[workers] = time.perf_counter() - started
    started = time.perf_counter()
    cluster = DaskCluster("local", workers=2)
    cluster.client.wait_for_workers(2)
    startup = time.perf_counter() - started
    try:
        run(SPEC.model_copy(update={"replications": 2}), cluster)  # workers load nevsim
        started = time.perf_counter()
        runs[0] = run(SPEC, cluster).runs
        timings[0] = time.perf_counter() - started
    finally:
        cluster.close()
    assert runs[0].equals(runs[1]) and runs[2].equals(runs[1])
    print(f"{REPLICATIONS} replications of a week of yizhuang:")
    print(f"  local pool, 1 process  : {timings[1]:6.2f} s "
          f"({timings[1] / REPLICATIONS * 1000:.0f} ms a replication)")
    print(f"  local pool, 2 processes: {timings[2]:6.2f} s; parallel efficiency "
          f"{timings[1] / (2 * timings[2]):.0%}")
    print(f"  Dask LocalCluster, 2 workers: {timings[0]:6.2f} s "
          f"({timings[0] / timings[2]:.2f}x the local pool's time; cluster start "
          f"{startup:.1f} s apart); identical runs")


if __name__ == "__main__":
    main()

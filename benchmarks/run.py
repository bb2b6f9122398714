"""Side-by-side timings of the factory engine (`make bench`).

Measured in one run, on the same machine, as ratios:
  1. the kernel against the independent SimPy model, on the same 50-station line with finite
     buffers and failures, fed the same draws (station-visits per second, and the ratio);
  2. the kernel against a bare max-plus recursion without failures (how close to the bound);
  3. the JIT compile time of each kernel (a fresh cache);
  4. one simulated year of the built-in plant `yizhuang`, after compilation, with one kind
     of car (with every statistic, and with the line's outputs only, as experiments run it)
     and as a mixed-model line (its variants, 1,000 orders sequenced in turn);
  5. `nevsim run` end to end, as a user runs it (10 replications of a year, report included);
  6. `nevsim --help`, the start-up a user meets first (best of 5; the target is 0.5 s).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from numba import njit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nevsim import load_scenario  # noqa: E402
from nevsim.document import scenario_from_dict  # noqa: E402
from nevsim.factory.compile import compile_plant  # noqa: E402
from nevsim.factory.engine import run_replication  # noqa: E402
from nevsim.factory.orders import sequenced  # noqa: E402
from tests.reference.simpy_line import run_line  # noqa: E402

STATIONS = 50
BUFFER = 2
YEAR = 365 * 86400.0


EXPONENTIAL = {"dist": "exponential", "mean": "60s"}
AUTOMATED = "60s"  # robot cells: fixed cycle, variability from failures


def line_50(failures: bool, cycle: object = EXPONENTIAL):  # type: ignore[no-untyped-def]
    stations = []
    for i in range(STATIONS):
        st: dict[str, object] = {"name": f"S{i}", "cycle": cycle}
        if failures:
            st["failures"] = {"mtbf": {"dist": "exponential", "mean": "8h"},
                              "mttr": {"dist": "exponential", "mean": "6min"}}
        stations.append(st)
    scenario = scenario_from_dict({"name": "bench", "factory": {
        "takt": "76s", "default_buffer": BUFFER, "stations": stations}})
    assert scenario.factory is not None
    return compile_plant(scenario.factory)


@njit(cache=True)
def bare_recursion(jobs: int, stations: int, buffer: int, mean: float, seed: int) -> float:
    """Departure times of a BAS line with exponential work and no failures: the lower bound."""
    np.random.seed(seed)
    ring = buffer + 2
    dep = np.zeros((stations, ring))
    for n in range(jobs):
        arrival = 0.0
        for k in range(stations):
            start = max(arrival, dep[k, (n - 1) % ring] if n > 0 else 0.0)
            done = start + np.random.exponential(mean)
            if k < stations - 1 and n - buffer - 1 >= 0:
                done = max(done, dep[k + 1, (n - buffer - 1) % ring])
            dep[k, n % ring] = done
            arrival = done
    return float(dep[stations - 1, (jobs - 1) % ring])


def best_of(runs: int, fn):  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main() -> None:
    rows: list[tuple[str, str]] = []

    # 1. kernel vs SimPy on the same line and the same draws: random and automated cycles
    for label, cycle in (("exponential cycles", EXPONENTIAL), ("fixed cycles", AUTOMATED)):
        line = line_50(True, cycle)
        run_replication(line, 1, 3600.0, 0.0)  # compile or load from cache
        t_kernel, raw = best_of(3, lambda line=line: run_replication(line, 1, 60 * 86400.0, 0.0))
        kernel_rate = float(raw.state["visits"].sum()) / t_kernel
        small = run_replication(line, 2, 86400.0, 0.0, trace_visits=3000, trace_fails=400,
                                trace_exits=3000)
        jobs = int(min(small.state["visits"].min(), 1000))
        work = [list(small.trace.work[k, :jobs]) for k in range(STATIONS)]
        ups = [list(small.trace.up[k]) for k in range(STATIONS)]
        downs = [list(small.trace.down[k]) for k in range(STATIONS)]
        t_simpy, _ = best_of(1, lambda w=work, u=ups, d=downs, j=jobs:
                             run_line(w, [BUFFER] * STATIONS, u, d, j))
        simpy_rate = jobs * STATIONS / t_simpy
        run_replication(line, 1, 3600.0, 0.0, general=True)
        t_general, raw_g = best_of(3, lambda line=line: run_replication(
            line, 1, 60 * 86400.0, 0.0, general=True))
        general_rate = float(raw_g.state["visits"].sum()) / t_general
        rows += [
            (f"kernel, 50 stations, buffers 2, failures, {label}",
             f"{kernel_rate / 1e6:.1f} M visits/s"),
            (f"  general kernel on the same line, {label}",
             f"{general_rate / 1e6:.1f} M visits/s"),
            (f"SimPy reference, same line and draws, {label}",
             f"{simpy_rate / 1e3:.1f} k visits/s"),
            (f"kernel / SimPy, {label}", f"{kernel_rate / simpy_rate:,.0f}x"),
        ]

    # 2. kernel vs the bare recursion, no failures
    plain = line_50(failures=False)
    run_replication(plain, 1, 3600.0, 0.0)
    t_plain, raw_plain = best_of(3, lambda: run_replication(plain, 3, 60 * 86400.0, 0.0))
    plain_visits = float(raw_plain.state["visits"].sum())
    plain_jobs = int(raw_plain.state["visits"][0])
    bare_recursion(10, STATIONS, BUFFER, 60.0, 1)
    t_bare, _ = best_of(3, lambda: bare_recursion(plain_jobs, STATIONS, BUFFER, 60.0, 3))
    bare_rate = plain_jobs * STATIONS / t_bare
    plain_rate = plain_visits / t_plain
    rows += [
        ("kernel, same line without failures", f"{plain_rate / 1e6:.1f} M visits/s"),
        ("bare max-plus recursion (bound)", f"{bare_rate / 1e6:.1f} M visits/s"),
        ("kernel / bound", f"{plain_rate / bare_rate:.0%}"),
    ]

    # 3. JIT compile time of each kernel, in a fresh process with an empty cache
    for label, general in (("general kernel", True), ("plain-line kernel", False)):
        with tempfile.TemporaryDirectory() as cache:
            code = ("import time; t=time.perf_counter();"
                    "from benchmarks.run import line_50;"
                    "from nevsim.factory.engine import run_replication;"
                    f"run_replication(line_50(True), 1, 3600.0, 0.0, general={general});"
                    "print(time.perf_counter()-t)")
            env = {**os.environ, "NUMBA_CACHE_DIR": cache, "PYTHONPATH": str(ROOT)}
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 env=env, check=True, cwd=ROOT)
            rows.append((f"JIT compile, {label} (empty cache, incl. imports)",
                         f"{float(out.stdout):.1f} s"))

    # 4. one simulated year of the built-in plant
    plant = load_scenario("yizhuang").factory
    assert plant is not None
    yz = compile_plant(plant)
    run_replication(yz, 1, 86400.0, 0.0)
    t_year, raw_year = best_of(3, lambda: run_replication(yz, 5, YEAR, plant.warmup))
    rows.append(("one simulated year of yizhuang, one kind of car", f"{t_year:.2f} s "
                 f"({raw_year.state['visits'].sum() / t_year / 1e6:.1f} M visits/s)"))
    t_line, raw_line = best_of(3, lambda: run_replication(yz, 5, YEAR, plant.warmup,
                                                         station_statistics=False))
    rows.append(("  the same year, line outputs only (what experiments read)",
                 f"{t_line:.2f} s ({raw_line.state['visits'].sum() / t_line / 1e6:.1f} M "
                 f"visits/s, {t_line / t_year:.2f}x the time)"))
    mixed = compile_plant(plant, sequenced(plant, 0))  # its variants, sequenced as in a run
    run_replication(mixed, 1, 86400.0, 0.0)
    t_mixed, raw_mixed = best_of(3, lambda: run_replication(mixed, 5, YEAR, plant.warmup))
    rows.append(("  the same year, mixed model (1,000 orders in turn)", f"{t_mixed:.2f} s "
                 f"({raw_mixed.state['visits'].sum() / t_mixed / 1e6:.1f} M visits/s, "
                 f"{t_mixed / t_year:.2f}x the time)"))
    plain_store = plant.model_copy(update={"buffers": [
        b.model_copy(update={"lanes": None}) for b in plant.buffers]})
    unstored = compile_plant(plain_store, sequenced(plant, 0))
    run_replication(unstored, 1, 86400.0, 0.0)
    t_unstored, _ = best_of(3, lambda: run_replication(unstored, 5, YEAR, plant.warmup))
    rows.append(("  the same mixed year, painted-body store as a plain buffer",
                 f"{t_unstored:.2f} s (the store's lanes and spacing rule: "
                 f"{t_mixed / t_unstored:.2f}x)"))

    # 5. nevsim run, end to end
    with tempfile.TemporaryDirectory() as out_dir:
        t0 = time.perf_counter()
        subprocess.run([str(Path(sys.executable).with_name("nevsim")), "run", "--out", out_dir],
                       check=True, capture_output=True)
        rows.append(("nevsim run (10 x 1 year + report)", f"{time.perf_counter() - t0:.1f} s"))

    # 6. start-up
    nevsim = str(Path(sys.executable).with_name("nevsim"))
    t_help, _ = best_of(5, lambda: subprocess.run([nevsim, "--help"], check=True,
                                                   capture_output=True))
    rows.append(("nevsim --help (start-up)", f"{t_help:.2f} s"))

    width = max(len(r[0]) for r in rows)
    print(f"nevsim factory benchmarks ({os.cpu_count()} cores)")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")


if __name__ == "__main__":
    main()

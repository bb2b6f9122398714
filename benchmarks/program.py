"""Side-by-side timings of the development program's Monte Carlo (`make bench`).

Measured in one run, on the same machine:
  1. 100,000 samples of a generated 1,000-task program with rank correlation, risk events
     and loops, end to end (`nevsim.program.simulate`, compiled passes already cached),
     on one thread and on the threads nevsim picks (the target: under 10 s on 2 cores);
  2. a plain per-sample Python loop over the same network (written here: topological order
     and link lists prepared once, then per sample draw every duration, apply the risks and
     loops (risk impacts at their most likely value), walk the links forward and back), on
     fewer samples, as samples per second; the ratio of the two rates;
  3. the built-in `sequential` and `co-creation` programs at 10,000 samples.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nevsim import load_scenario  # noqa: E402
from nevsim.program.generate import generate  # noqa: E402
from nevsim.program.model import Program  # noqa: E402
from nevsim.program.schedule import precedence  # noqa: E402
from nevsim.program.simulation import simulate  # noqa: E402

SAMPLES = 100_000
TASKS = 1000
PLAIN_SAMPLES = 2000


def plain_loop(program: Program, samples: int, seed: int) -> list[float]:
    """SOP of each sample, one sample at a time in plain Python (no correlation)."""
    rng = random.Random(seed)
    net = precedence(program)
    laws = [program.tasks[i].duration for i in net.declared]
    three = [(law.min, law.mode, law.max, getattr(law, "shape", None))  # type: ignore[union-attr]
             for law in laws[:-1]]
    preds = [net.preds.of_task(j) for j in range(net.size)]
    succs = [net.succs.of_task(j) for j in range(net.size)]
    at = {name: p for p, name in enumerate(net.names)}
    risks = [(r.probability, [(at[i.task], i.add.mode if i.add else 0.0)  # type: ignore[union-attr]
                              for i in r.impacts]) for r in program.risks]
    loops = [([at[n] for n in loop.tasks], loop.repeat_probability, loop.max_passes or 10**9)
             for loop in program.loops]
    sops = []
    for _ in range(samples):
        d = [_draw(rng, *t) for t in three] + [0.0]
        for chance, impacts in risks:
            if rng.random() < chance:
                for task, add in impacts:
                    d[task] += add
        for body, repeat, cap in loops:
            passes = 1
            while passes < cap and rng.random() < repeat:
                passes += 1
                d[body[-1]] += sum(_draw(rng, *three[b]) for b in body)
        start = [0.0] * net.size
        finish = [0.0] * net.size
        for j in range(net.size):
            earliest = 0.0
            for i, kind, lag in preds[j]:
                bound = (finish[i] + lag if kind == 0 else start[i] + lag if kind == 1
                         else finish[i] + lag - d[j] if kind == 2 else start[i] + lag - d[j])
                earliest = max(earliest, bound)
            start[j], finish[j] = earliest, earliest + d[j]
        late = [float("inf")] * net.size
        late[net.sop] = finish[net.sop]
        for i in range(net.sop - 1, -1, -1):
            for j, kind, lag in succs[i]:
                bound = (late[j] - d[j] - lag if kind == 0 else late[j] - d[j] - lag + d[i]
                         if kind == 1 else late[j] - lag if kind == 2 else late[j] - lag + d[i])
                late[i] = min(late[i], bound)
        sops.append(finish[net.sop])
    return sops


def _draw(rng: random.Random, low: float, mode: float, high: float, shape: Any) -> float:
    if shape is None:
        return rng.triangular(low, high, mode)
    a = 1 + shape * (mode - low) / (high - low)
    b = 1 + shape * (high - mode) / (high - low)
    return low + (high - low) * rng.betavariate(a, b)


def main() -> None:
    """Print the timings."""
    program = generate(TASKS, seed=1)
    print(f"program: {TASKS:,} tasks + SOP, {len(program.links):,} links, "
          f"{sum(len(c.tasks) for c in program.correlations)} correlated tasks, "
          f"{len(program.risks)} risks, {len(program.loops)} loops")
    simulate(program, samples=100, seed=1)  # compile (or load) the passes
    rate = 0.0
    for workers in (1, None):
        started = time.perf_counter()
        result = simulate(program, samples=SAMPLES, seed=1, workers=workers)
        seconds = time.perf_counter() - started
        rate = SAMPLES / seconds
        label = "1 thread" if workers == 1 else "auto threads"
        print(f"nevsim, {label:12}: {SAMPLES:,} samples in {seconds:6.2f} s "
              f"= {rate:8,.0f} samples/s (P50 {result.levels()[1].months:.2f} months)")
    started = time.perf_counter()
    plain_loop(program, PLAIN_SAMPLES, seed=1)
    seconds = time.perf_counter() - started
    plain = PLAIN_SAMPLES / seconds
    print(f"plain Python loop  : {PLAIN_SAMPLES:,} samples in {seconds:6.2f} s "
          f"= {plain:8,.0f} samples/s")
    print(f"ratio (nevsim, auto threads / plain loop): {rate / plain:,.0f}x")
    for name in ("sequential", "co-creation"):
        scenario = load_scenario(name)
        started = time.perf_counter()
        simulate(scenario, samples=10_000, seed=1)
        print(f"built-in {name:12}: 10,000 samples in {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()

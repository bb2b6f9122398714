"""Side-by-side timings of the network planner (`make bench`).

For the built-in `fullstack` and generated networks from a few thousand to ~400k variables,
measured in one run: model build (prepared arrays plus the sparse matrix nevsim solves with),
handoff to HiGHS, and HiGHS itself, with the ratio (build + handoff) / HiGHS, the outcome
and the gap reached; beside them, the time to derive the elastic model (explanations) from it.
`fullstack` is solved to proven optimality (gap 0), generated networks to a 1% gap.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nevsim import load_scenario  # noqa: E402
from nevsim.network.data import prepare  # noqa: E402
from nevsim.network.formulation import build_model  # noqa: E402
from nevsim.network.generate import Size, generate  # noqa: E402
from nevsim.network.model import Network  # noqa: E402
from nevsim.network.solve import solve  # noqa: E402

SIZES = {
    "small": Size(plants=10, levels=2, components=6, suppliers=6, markets=10, models=2,
                  years=6, rules=True),
    "medium": Size(plants=30, levels=2, components=8, suppliers=8, markets=30, models=3,
                   years=6, rules=True),
    "large": Size(plants=50, levels=2, components=10, suppliers=10, markets=60, models=4,
                  years=6, rules=True),
    "200k": Size(plants=70, levels=2, components=10, suppliers=10, markets=80, models=5,
                 years=6, rules=True),
    "400k": Size(plants=100, levels=2, components=12, suppliers=10, markets=100, models=6,
                 years=6, rules=True),
}
TIME_LIMIT = 120.0


def measure(name: str, net: Network, gap: float) -> dict[str, object]:
    """Build, hand off and solve one network; the timings and the outcome."""
    t0 = time.perf_counter()
    milp = build_model(prepare(net))
    out = solve(milp, build_seconds=time.perf_counter() - t0, time_limit=TIME_LIMIT, gap=gap)
    t1 = time.perf_counter()
    milp.relaxed()
    elastic = time.perf_counter() - t1
    s = out.stats
    return {"name": name, "variables": s.variables, "binaries": s.binaries,
            "constraints": s.constraints, "build": s.build_seconds, "elastic": elastic,
            "handoff": s.handoff_seconds, "highs": s.solver_seconds,
            "ratio": (s.build_seconds + s.handoff_seconds) / s.solver_seconds,
            "status": out.status.value, "gap": out.gap}


def main() -> None:
    """Print one table row per network."""
    scenario = load_scenario("fullstack")
    assert scenario.network is not None
    measure("warm-up", scenario.network, 0.0)  # imports and first-call costs out of the way
    rows = [measure("fullstack (gap 0)", scenario.network, 0.0)]
    for name, size in SIZES.items():
        rows.append(measure(f"{name} (gap 1%)", Network.model_validate(generate(size, 1)),
                            0.01))
    head = (f"{'network':20s} {'vars':>8s} {'bin':>5s} {'rows':>7s} {'build s':>8s} "
            f"{'handoff s':>9s} {'HiGHS s':>8s} {'(b+h)/HiGHS':>11s} {'elastic s':>9s}"
            "  status, gap")
    print("\nNetwork planner: model build vs HiGHS (one run, 2 shared cores)\n" + head)
    for r in rows:
        gap = r["gap"]
        print(f"{r['name']:20s} {r['variables']:8,d} {r['binaries']:5d} {r['constraints']:7,d} "
              f"{r['build']:8.3f} {r['handoff']:9.3f} {r['highs']:8.2f} {r['ratio']:10.1%} "
              f"{r['elastic']:9.3f}  {r['status']}, {'-' if gap is None else f'{gap:.3%}'}")


if __name__ == "__main__":
    main()

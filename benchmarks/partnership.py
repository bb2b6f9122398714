"""Side-by-side timings of a partnership's coalition plans (`make bench`).

Measured in one run, on the same machine, on a generated network larger than `fullstack`
(7 plants, 6 models, 7 component families, 12 markets, 6 years, content rules, duties by
company and drive type) shared by 6 partners, each owning a model and a plant:
  1. all 63 coalitions planned and the game solved, cold (no kept plans), on one process
     and on two (the target: under 60 s on 2 cores); time per coalition plan; parallel
     efficiency = one-process time / (2 x two-process time);
  2. every coalition's plan with all of the planner's tables against with only the money,
     footprint and flows (what `nevsim partnership` asks for between the partners alone and
     all together);
  3. the same run again with the plans kept (another split, another set-up cost: nothing
     is planned again);
  4. the share of a coalition plan spent building the model and handing it to HiGHS: the
     most that reusing one model across coalitions (changing only bounds) could save;
  5. the built-in `alliance`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nevsim import load_scenario  # noqa: E402
from nevsim.document import Scenario, scenario_from_dict  # noqa: E402
from nevsim.network.generate import Size, generate  # noqa: E402
from nevsim.network.planning import plan  # noqa: E402
from nevsim.partnership import values  # noqa: E402
from nevsim.partnership.coalitions import coalition_network  # noqa: E402
from nevsim.partnership.solution import solve  # noqa: E402

PARTNERS = 6
SIZE = Size(plants=PARTNERS, levels=2, components=7, suppliers=3, markets=12,
            models=PARTNERS, years=6, rules=True, features=True)


def scenario(seed: int) -> Scenario:
    """A generated network whose plants and models are split among the partners."""
    net = generate(SIZE, seed)
    partners: list[dict[str, Any]] = [
        {"name": f"P{i}", "plants": [f"plant{i}"] + (["home"] if i == 0 else []),
         "models": [f"model{i}"]} for i in range(PARTNERS)]
    return scenario_from_dict({"name": f"six-partners-{seed}", "network": net,
                               "partnership": {"partners": partners, "cooperation": {
                                   "setup": 50.0, "per_pair": 10.0}}}, "benchmark")


def main() -> None:
    """Print the timings."""
    for seed in (1, 2):
        case = scenario(seed)
        assert case.network is not None and case.partnership is not None
        timings = {}
        for workers in (1, 2):
            values._PLANS.clear()
            started = time.perf_counter()
            result = solve(case, workers=workers)
            timings[workers] = time.perf_counter() - started
        planned = [c for c in result.coalitions if c.plan is not None and not c.shared]
        grand = result.grand.plan
        assert grand is not None
        size = grand.stats
        print(f"seed {seed}: {len(result.coalitions)} coalitions of {PARTNERS} partners, "
              f"{len(planned)} plans; the grand coalition's model has {size.variables:,} "
              f"variables ({size.binaries} binary), {size.constraints:,} rows")
        per_plan = sum(c.seconds for c in planned) / len(planned)
        print(f"  cold, 1 process : {timings[1]:6.2f} s ({per_plan:.3f} s a coalition plan)")
        print(f"  cold, 2 processes: {timings[2]:6.2f} s; parallel efficiency "
              f"{timings[1] / (2 * timings[2]):.0%}")
        build = sum(c.plan.stats.build_seconds + c.plan.stats.handoff_seconds
                    for c in planned if c.plan is not None)
        highs = sum(c.plan.stats.solver_seconds for c in planned if c.plan is not None)
        print(f"  model build + handoff {build:.2f} s, HiGHS {highs:.2f} s of "
              f"{sum(c.seconds for c in planned):.2f} s planning: reusing one model across "
              f"coalitions could save at most {build / sum(c.seconds for c in planned):.0%}")
        started = time.perf_counter()
        again = solve(case, workers=1)
        warm = time.perf_counter() - started
        assert again.grand.value == result.grand.value
        print(f"  again with the plans kept: {warm:6.2f} s ({timings[1] / warm:,.0f}x faster)")
        networks = [coalition_network(case.network, case.partnership, frozenset(c.members))
                    for c in planned]
        lean = {}
        for tables in (True, False):
            started = time.perf_counter()
            for net in networks:
                assert net is not None
                plan(net, threads=1, tables=tables)
            lean[tables] = time.perf_counter() - started
        print(f"  every plan with all tables {lean[True]:.2f} s, with money, footprint and "
              f"flows only {lean[False]:.2f} s ({lean[True] / lean[False]:.1f}x)")
    values._PLANS.clear()
    started = time.perf_counter()
    solve(load_scenario("alliance"))
    print(f"built-in alliance: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()

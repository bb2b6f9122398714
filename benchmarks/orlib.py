"""OR-Library capacitated warehouse location through the planner (`make bench`).

Every instance cap41 ... cap134 that is available (the three in tests/data/orlib-cap, or all
of them from a folder given as the first argument or $NEVSIM_ORLIB) is planned as a one-year
network and compared with its published optimum: the cost reached, the gap to the optimum
and the seconds taken (build, HiGHS).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nevsim.network import plan  # noqa: E402
from nevsim.network.model import Network  # noqa: E402
from nevsim.network.orlib import optima, read_cap  # noqa: E402


def main() -> None:
    """One row per instance; a last line with the worst gap."""
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
        "NEVSIM_ORLIB", ROOT.parent / "shared" / "data" / "orlib-cap"))
    if not (folder / "README.md").exists():
        folder = ROOT / "tests" / "data" / "orlib-cap"
    known = optima(folder / "README.md")
    files = sorted(folder.glob("cap*.txt"), key=lambda p: int(p.stem[3:]))
    print(f"\nOR-Library capacitated warehouse location ({len(files)} instances, {folder})")
    print(f"{'instance':10s} {'optimum':>14s} {'nevsim':>14s} {'gap':>9s} {'build s':>8s} "
          f"{'HiGHS s':>8s}")
    worst = 0.0
    for path in files:
        started = time.perf_counter()
        result = plan(Network.model_validate(read_cap(path)))
        total = time.perf_counter() - started
        cost = result.cost if result.cost is not None else float("nan")
        gap = abs(cost - known[path.stem]) / known[path.stem]
        worst = max(worst, gap)
        print(f"{path.stem:10s} {known[path.stem]:14,.3f} {cost:14,.3f} {gap:9.1e} "
              f"{result.stats.build_seconds:8.3f} {result.stats.solver_seconds:8.2f}"
              f"  ({total:.1f} s in all)")
    print(f"worst relative gap to the published optimum: {worst:.1e}")


if __name__ == "__main__":
    main()

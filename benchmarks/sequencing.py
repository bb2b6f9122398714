"""Car sequencing on the sixteen Renault instances of ROADEF 2005 set A (`make bench`).

For each instance: cars to sequence, the objective of Renault's own sequence (the order the
file gives), nevsim's objective after two million moves (seed 1) with its goals by rank, the
paint lower bound (one batch per batch limit's worth of each colour, less one change), and the
wall time, compilation excluded. The target: 1,000 orders within 10 s, better than the given
sequence. Instances are read from the shared data folder when it is there.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nevsim.factory.sequence_files import read_roadef  # noqa: E402
from nevsim.factory.sequencing import optimize, score  # noqa: E402

SET_A = Path(os.environ.get("NEVSIM_ROADEF_SET_A", ROOT.parent / "shared" / "data"
                            / "roadef2005-set-A"))
TESTS = ROOT / "tests" / "data" / "roadef2005"
MOVES = 2_000_000


def main() -> None:
    """Print one row per instance."""
    folder = SET_A if SET_A.is_dir() else TESTS
    instances = sorted(p for p in folder.iterdir() if p.is_dir())
    optimize(read_roadef(instances[0]), seed=1, moves=1000)  # compile first
    print(f"ROADEF 2005 set A ({folder}), {MOVES:,} moves, seed 1")
    print(f"{'instance':<26} {'cars':>5} {'Renault':>13} {'nevsim':>13}  by rank"
          f"{'':<17} {'paint LB':>8} {'time':>6}")
    for path in instances:
        problem = read_roadef(path)
        given = score(problem, list(range(problem.cars)))
        started = time.perf_counter()
        found = optimize(problem, seed=1, moves=MOVES)
        seconds = time.perf_counter() - started
        colours = problem.colours[problem.fixed:]
        bound = sum(-(-int((colours == c).sum()) // problem.batch_limit)
                    for c in set(colours.tolist())) - 1
        ranks = "/".join(f"{v:.0f}" for v in found.score.by_rank)
        print(f"{path.name:<26} {problem.cars - problem.fixed:>5} {given.objective:>13,.0f} "
              f"{found.score.objective:>13,.0f}  {ranks:<24} {bound:>8} {seconds:>5.1f}s")


if __name__ == "__main__":
    main()

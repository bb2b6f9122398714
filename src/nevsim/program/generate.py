"""Random programs of any size, for benchmarks and property tests.

Tasks sit in layers; each links to one to three tasks of earlier layers with a random link
type and lag, so every program is acyclic and ends at SOP. Durations are three-point laws;
a share of tasks is correlated in groups, some carry risks, and some short chains repeat as
loops, so a generated program exercises everything the Monte Carlo does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nevsim.program.model import Program


def generate(tasks: int, seed: int = 0, *, features: bool = True) -> Program:
    """A program of `tasks` tasks plus SOP; `features` adds correlation, risks and loops."""
    rng = np.random.default_rng(seed)
    names = [f"T{i}" for i in range(tasks)]
    width = max(1, int(np.sqrt(tasks)))
    items: list[dict[str, Any]] = []
    for name in names:
        low = float(rng.uniform(5, 40))
        mode = low + float(rng.uniform(0, 20))
        high = mode + float(rng.uniform(1, 40))
        law = "pert" if rng.random() < 0.3 else "triangular"
        items.append({"name": name, "duration": {"dist": law, "min": low, "mode": mode,
                                                 "max": high},
                      "cost": {"per_day": float(rng.uniform(1e3, 5e4))}})
    items.append({"name": "SOP"})
    links: list[dict[str, Any]] = []
    kinds = ["FS", "FS", "FS", "SS", "FF", "SF"]
    has_successor = np.zeros(tasks, dtype=bool)
    for j in range(width, tasks):
        layer_start = (j // width - 1) * width
        for i in rng.choice(np.arange(max(0, layer_start - width), j // width * width),
                            size=min(int(rng.integers(1, 4)), j // width * width),
                            replace=False):
            kind = str(rng.choice(kinds))
            lag = float(rng.uniform(-10, 10)) if kind != "FS" else float(rng.uniform(-5, 5))
            links.append({"from": names[i], "to": names[j], "type": kind, "lag": lag})
            has_successor[i] = True
    links += [{"from": names[i], "to": "SOP"} for i in range(tasks) if not has_successor[i]]
    section: dict[str, Any] = {"start": "2025-01-06", "sop": "SOP", "tasks": items,
                               "links": links, "overhead_per_day": 1e5}
    if features:
        picked = rng.permutation(tasks)
        groups = [picked[k:k + 5] for k in range(0, tasks // 10, 5)]
        section["correlations"] = [{"tasks": [names[i] for i in g], "rank": 0.5}
                                   for g in groups if len(g) >= 2]
        section["risks"] = [
            {"name": f"R{k}", "probability": float(rng.uniform(0.05, 0.4)),
             "impacts": [{"task": names[int(rng.integers(tasks))],
                          "add": {"dist": "triangular", "min": 5, "mode": 10, "max": 30}}],
             "cost": 1e6}
            for k in range(max(1, tasks // 20))]
        starts = rng.choice(np.arange(0, max(1, tasks - 2), 3), size=max(1, tasks // 100),
                            replace=False)
        section["loops"] = [{"name": f"L{k}", "tasks": [names[s], names[s + 1]],
                             "repeat_probability": 0.3, "max_passes": 5}
                            for k, s in enumerate(starts) if s + 1 < tasks]
    return Program.model_validate(section)

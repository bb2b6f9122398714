"""The Monte Carlo against an independent plain per-sample model, on random programs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nevsim.program import simulate
from nevsim.program.generate import generate
from tests.reference import program_loop

Z = 4.0


def _same_mean(a: np.ndarray, b: np.ndarray) -> None:
    """Two independent sample means agree within Z standard errors of their difference."""
    error = math.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
    assert abs(a.mean() - b.mean()) <= Z * error, (a.mean(), b.mean(), Z * error)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_programs_agree_with_the_plain_model(seed: int) -> None:
    """Every link type with lags, three-point laws, risks, loops and costs.

    No correlation: the plain model has none.
    """
    program = generate(40, seed=seed).model_copy(update={"correlations": []})
    plain = program.model_dump(by_alias=True, mode="json")
    sop, cost = program_loop.simulate(plain, samples=3000, seed=seed)
    result = simulate(program, samples=20_000, seed=seed)
    _same_mean(result.sop_days, np.asarray(sop))
    _same_mean(result.cost, np.asarray(cost))


def test_built_in_programs_agree_with_the_plain_model() -> None:
    """The built-in co-creation program without its correlation: SOP and cost."""
    import nevsim

    program = nevsim.load_scenario("co-creation").program
    assert program is not None
    program = program.model_copy(update={"correlations": []})
    sop, cost = program_loop.simulate(program.model_dump(by_alias=True, mode="json"),
                                      samples=3000, seed=4)
    result = simulate(program, samples=20_000, seed=4)
    _same_mean(result.sop_days, np.asarray(sop))
    _same_mean(result.cost, np.asarray(cost))


def test_the_plan_agrees_with_the_plain_model_at_fixed_durations() -> None:
    """Most likely durations, no risk, no loop: both give the same SOP to the day fraction."""
    program = generate(200, seed=9, features=False)
    plain = program.model_dump(by_alias=True, mode="json")
    for task in plain["tasks"]:
        law = task.get("duration")
        if isinstance(law, dict) and "mode" in law:
            task["duration"] = law["mode"]
    sop, _ = program_loop.simulate(plain, samples=1, seed=0)
    table = simulate(program, samples=1, seed=0).schedule.set_index("task")
    assert table.loc["SOP", "finish"] == pytest.approx(sop[0], abs=1e-9)

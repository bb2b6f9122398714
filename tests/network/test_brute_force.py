"""Small random networks: the MILP optimum equals an independent brute force."""

from __future__ import annotations

import pytest

from nevsim.network import SolveStatus
from nevsim.network.generate import Size, generate
from tests.network.builders import solve
from tests.reference.network_lp import brute_force

SIZES = [
    Size(plants=1, levels=2, components=2, suppliers=2, markets=2, models=1, years=3),
    Size(plants=2, levels=1, components=2, suppliers=3, markets=3, models=2, years=3),
    Size(plants=2, levels=2, components=1, suppliers=2, markets=2, models=1, years=2),
]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("size", SIZES, ids=["1x2", "2x1-2models", "2x2"])
def test_milp_optimum_equals_enumerated_build_plans(size: Size, seed: int) -> None:
    net = generate(size, seed)
    reference = brute_force(net)
    result = solve(net)
    assert result.status is SolveStatus.OPTIMAL
    assert reference.plans_tried > 1
    assert result.profit == pytest.approx(reference.profit, rel=1e-7, abs=1e-4)

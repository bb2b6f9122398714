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
    assert result.profit == pytest.approx(reference.objective, rel=1e-7, abs=1e-4)


FEATURED = [
    Size(plants=2, levels=1, components=2, suppliers=3, markets=4, models=2, years=3,
         features=True),
    Size(plants=2, levels=2, components=2, suppliers=2, markets=3, models=1, years=3,
         features=True),
]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("size", FEATURED, ids=["2x1-2models", "2x2"])
@pytest.mark.parametrize("objective", ["profit", "cost"])
def test_groups_company_and_drive_duties_carbon_discounting_and_earliest_start(
        size: Size, seed: int, objective: str) -> None:
    net = generate(size, seed)
    net["objective"] = objective
    reference = brute_force(net)
    result = solve(net)
    assert reference.plans_tried > 1
    if objective == "cost" and reference.feasible_plans == 0:
        assert result.status is SolveStatus.INFEASIBLE
        return
    assert result.status is SolveStatus.OPTIMAL
    value = result.cost if objective == "cost" else result.profit
    assert value == pytest.approx(reference.objective, rel=1e-7, abs=1e-4)


FEATURES = {
    "carbon price": lambda n: n.update(carbon_price=0.0),
    "discounting": lambda n: n.update(discount_rate=0.0),
    "groups": lambda n: n.update(groups={}, customs_unions=[]),
    "customs union": lambda n: n.update(customs_unions=[]),
    "capital rate": lambda n: n.update(capital_rate=0.3),
    "earliest start": lambda n: [p.pop("earliest_start", None) for p in n["plants"]],
    "company duties": lambda n: [d.pop("companies", None) for d in n["duties"]],
    "drive-type duties": lambda n: [d.pop("powertrains", None) for d in n["duties"]],
    "duty minimum": lambda n: [d.pop("minimum", None) for d in n["duties"]],
    "price undertaking": lambda n: n.pop("undertakings"),
    "plant owner": lambda n: [p.pop("company", None) for p in n["plants"]],
}


@pytest.mark.parametrize("feature", list(FEATURES))
def test_the_featured_networks_use_every_feature(feature: str) -> None:
    # the reference is only as good as the cases it sees: each feature moves the optimum of
    # at least one network the tests above compare
    moved = False
    for size, seed in ((FEATURED[0], 0), (FEATURED[1], 2), (FEATURED[1], 0)):
        without = generate(size, seed)
        FEATURES[feature](without)
        moved |= brute_force(without).objective != pytest.approx(
            brute_force(generate(size, seed)).objective, rel=1e-6)
    assert moved

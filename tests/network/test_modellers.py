"""The sparse-matrix model and the linopy model are the same MILP: same optimum, same plan."""

from __future__ import annotations

import pytest

from nevsim.network import Objective, plan
from nevsim.network.generate import Size, generate
from nevsim.network.model import Network
from nevsim.scenario.loading import load_scenario


def _networks() -> list[tuple[str, Network]]:
    scenario = load_scenario("fullstack")
    assert scenario.network is not None
    nets = [("fullstack", scenario.network)]
    for seed in range(3):
        raw = generate(Size(plants=3, levels=2, components=3, suppliers=3, markets=5,
                            models=2, years=4, rules=True), seed)
        nets.append((f"random-{seed}", Network.model_validate(raw)))
    return nets


@pytest.mark.parametrize(("name", "net"), _networks(), ids=lambda v: v if isinstance(v, str)
                         else "")
@pytest.mark.parametrize("objective", [Objective.PROFIT, Objective.COST])
def test_both_modellers_reach_the_same_optimum(name: str, net: Network,
                                               objective: Objective) -> None:
    fast = plan(net, objective=objective, modeller="matrix")
    readable = plan(net, objective=objective, modeller="linopy")
    assert fast.status == readable.status
    assert fast.stats.variables == readable.stats.variables
    assert fast.stats.binaries == readable.stats.binaries
    assert fast.stats.nonzeros == readable.stats.nonzeros
    if fast.has_plan:
        assert fast.objective == pytest.approx(readable.objective, rel=1e-9)
        assert fast.profit == pytest.approx(readable.profit, rel=1e-9)


def test_the_same_network_gives_the_same_plan() -> None:
    net = _networks()[0][1]
    first, second = plan(net), plan(net)
    assert first.objective == second.objective
    assert first.footprint.equals(second.footprint)
    assert first.suppliers.equals(second.suppliers)

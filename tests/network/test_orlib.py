"""A textbook optimum: OR-Library capacitated warehouse location through the planner."""

from __future__ import annotations

from pathlib import Path

import pytest

from nevsim.network import SolveStatus, plan
from nevsim.network.model import Network
from nevsim.network.orlib import optima, read_cap

DATA = Path(__file__).resolve().parents[1] / "data" / "orlib-cap"


@pytest.mark.parametrize("name", ["cap41", "cap71", "cap131"])
def test_the_planner_reaches_the_published_optimum(name: str) -> None:
    network = Network.model_validate(read_cap(DATA / f"{name}.txt"))
    result = plan(network)
    assert result.status is SolveStatus.OPTIMAL
    assert result.cost == pytest.approx(optima(DATA / "README.md")[name], rel=1e-9)
    # every customer is served in full, no warehouse beyond its capacity
    assert (result.exports["unmet"] == 0).all()
    assert (result.footprint["output"] <= result.footprint["capacity"] + 1e-6).all()

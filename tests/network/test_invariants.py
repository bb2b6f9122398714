"""Every plan returned conserves flow and respects capacities, lead times, ramp-up and rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nevsim.document import load_scenario
from nevsim.network import NetworkResult, SolveStatus
from nevsim.network.generate import Size, generate
from nevsim.network.model import Network, value_in
from tests.network.builders import solve

TOL = 1e-5


def _check(net: Network, result: NetworkResult) -> None:
    assert result.status is SolveStatus.OPTIMAL
    made = result.flows.groupby(["plant", "model", "year"]).vehicles.sum()
    bom = {m.name: {line.component: line.quantity for line in m.bom} for m in net.models}
    # components bought = components the vehicles need, per plant, family and year
    bought = result.suppliers.groupby(["plant", "component", "year"]).units.sum()
    need: dict[tuple[str, str, int], float] = {}
    for (plant, model, year), n in made.items():
        for comp, q in bom[model].items():
            need[(plant, comp, year)] = need.get((plant, comp, year), 0.0) + q * n
    keys = set(need) | set(bought.index)
    for key in keys:
        assert bought.get(key, 0.0) == pytest.approx(need.get(key, 0.0), abs=1e-4), key
    # supplier capacity and first year of supply
    sup = {s.name: s for s in net.suppliers}
    for (name, year), units in result.suppliers.groupby(["supplier", "year"]).units.sum().items():
        s = sup[name]
        assert units <= value_in(s.capacity, year) + TOL
        assert year >= (s.first_year or net.years.first)
    # plant output within capacity; capacity follows lead time and ramp-up
    plants = {p.name: p for p in net.plants}
    for row in result.footprint.itertuples():
        assert row.output <= row.capacity + TOL
        p = plants[row.plant]
        if not p.existing:
            if pd.isna(row.decided):
                assert row.capacity == 0
            else:
                sop = int(row.decided) + p.lead_time
                assert sop >= (p.earliest_start or 0)
                if row.year < sop:
                    assert row.capacity == 0
                else:
                    first = p.levels[0].capacity
                    n = row.year - sop
                    share = p.ramp_up[n] if n < len(p.ramp_up) else 1.0
                    assert row.capacity >= first * share - TOL
    # sales plus unmet demand equal demand
    e = result.exports
    assert np.allclose(e.from_home + e.built_locally + e.built_in_region + e.from_abroad
                       + e.unmet, e.demand)
    # content rules: access used only when met; mandatory always met
    c = result.content
    assert c[c.access_used].met.all()
    assert c[c.kind == "mandatory"].met.all()


def test_fullstack_plan_respects_every_rule() -> None:
    scenario = load_scenario("fullstack")
    assert scenario.network is not None
    from nevsim.network import plan

    _check(scenario.network, plan(scenario))


@pytest.mark.parametrize("seed", range(3))
def test_random_plans_with_rules_respect_every_rule(seed: int) -> None:
    raw = generate(Size(plants=3, levels=2, components=3, suppliers=3, markets=4, models=2,
                        years=4, rules=True), seed)
    result = solve(raw)
    _check(Network.model_validate(raw), result)


def test_the_same_network_gives_the_same_plan() -> None:
    scenario = load_scenario("fullstack")
    assert scenario.network is not None
    from nevsim.network import plan

    first, second = plan(scenario.network), plan(scenario.network)
    assert first.objective == second.objective
    assert first.footprint.equals(second.footprint)
    assert first.suppliers.equals(second.suppliers)

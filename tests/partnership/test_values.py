"""Coalition values of tiny networks, worked out by hand, and the game built on them.

Two partners, one year, no discounting or capital charge. A owns a plant in Germany and the
a-car; B owns a plant in China and the b-car. Kits cost 10,000 anywhere. Germany buys 60
a-cars at 15,000 and 80 b-cars at 14,000; cars from China pay 1,000 freight and a 20% duty
on their 10,000 customs value.

- A alone: 60 a-cars in Germany at 15,000 - 10,000 - 1,000 = 4,000 each: 240,000.
- B alone: 80 b-cars from China at 14,000 - 10,000 - 500 - 1,000 - 2,000 = 500: 40,000.
- Together: the German plant (100 cars) makes 60 a-cars and 40 b-cars (3,000 each) and
  China the other 40 b-cars (500): 240,000 + 120,000 + 20,000 = 380,000 (moving an a-car to
  China loses 2,500 and frees room for a b-car that gains 2,500: the same value).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from nevsim.document import scenario_from_dict
from nevsim.partnership.solution import solve

TINY: dict[str, Any] = {
    "name": "tiny-partnership",
    "network": {
        "maker": "A+B", "home": "CN", "years": {"first": 2025, "last": 2025},
        "discount_rate": 0.0, "capital_rate": 0.0,
        "components": [{"name": "kit"}],
        "models": [
            {"name": "a-car", "customs_value": 10000, "bom": [{"component": "kit"}]},
            {"name": "b-car", "customs_value": 10000, "bom": [{"component": "kit"}]}],
        "suppliers": [{"name": "kits", "company": "K", "country": "CN", "chinese": True,
                       "component": "kit", "capacity": 1e6, "unit_cost": 10000}],
        "plants": [
            {"name": "A plant", "company": "A", "country": "DE", "existing": True,
             "levels": [{"capacity": 100}], "variable_cost": 1000},
            {"name": "B plant", "company": "B", "country": "CN", "existing": True,
             "levels": [{"capacity": 1000}], "variable_cost": 500}],
        "markets": [{"name": "Germany", "country": "DE",
                     "demand": {"a-car": 60, "b-car": 80},
                     "price": {"a-car": 15000, "b-car": 14000}}],
        "lanes": [{"origin": "CN", "destination": "DE", "cost": 1000},
                  {"origin": "CN", "destination": "DE", "cargo": "part", "cost": 0}],
        "duties": [{"name": "car duty", "origin": "CN", "destination": "DE", "rate": 0.2}],
    },
    "partnership": {
        "partners": [{"name": "A", "plants": ["A plant"], "models": ["a-car"]},
                     {"name": "B", "plants": ["B plant"], "models": ["b-car"]}],
        "cooperation": {"setup": 60000},
    },
}


def _tiny(**partnership: Any) -> dict[str, Any]:
    data = copy.deepcopy(TINY)
    data["partnership"].update(partnership)
    return data


def test_two_partners_one_plant_one_duty() -> None:
    """v(A) = 240,000, v(B) = 40,000, v(AB) = 380,000 - 60,000 set-up = 320,000.

    Two players: the Shapley value and the nucleolus both give each its value alone plus
    half the 40,000 gain, and that split is in the core.
    """
    result = solve(scenario_from_dict(_tiny(), "tiny"), workers=1)
    assert result.value(["A"]) == pytest.approx(240_000, abs=1)
    assert result.value(["B"]) == pytest.approx(40_000, abs=1)
    assert result.grand.profit == pytest.approx(380_000, abs=1)
    assert result.value(["A", "B"]) == pytest.approx(320_000, abs=1)
    assert result.joint_gain == pytest.approx(40_000, abs=1)
    assert result.superadditive and not result.core_empty
    for name in ("Shapley value", "nucleolus"):
        split = result.allocation(name)
        assert split.amounts == pytest.approx({"A": 260_000, "B": 60_000}, abs=1)
        assert split.in_core
    cross = result.grand.plan.flows if result.grand.plan else None
    assert cross is not None
    made = cross.groupby(["plant", "model"]).vehicles.sum()
    assert made.sum() == pytest.approx(140)  # all demand served
    assert made.loc["A plant"].sum() == pytest.approx(100)  # the German plant full


def test_cooperation_that_does_not_pay() -> None:
    """A set-up of 150,000 is more than the 100,000 that pooling adds: v(N) < v(A) + v(B).

    No imputation exists, so the core is empty, the game is not superadditive, and the fair
    split is the prenucleolus: each partner bears half the 50,000 loss.
    """
    result = solve(scenario_from_dict(_tiny(cooperation={"setup": 150000}), "tiny"),
                   workers=1)
    assert result.value(["A", "B"]) == pytest.approx(230_000, abs=1)
    assert result.joint_gain == pytest.approx(-50_000, abs=1)
    assert not result.superadditive and result.core_empty
    assert result.nucleolus_check["concept"] == "prenucleolus"
    split = result.allocation("prenucleolus")
    assert split.amounts == pytest.approx({"A": 215_000, "B": 15_000}, abs=1)
    assert not split.in_core and split.blocking is not None


def test_technology_access_premium_and_licence_change_the_values_as_stated() -> None:
    """Technologies, access, a premium and a licence change the values as stated.

    B's architecture makes kits 10% cheaper but costs 100 a car in licences on A's cars;
    A's validation adds 200 to the b-car's price; without A's dealers the b-car reaches half
    of Germany at 90% of the price.

    - B alone: its own architecture makes kits 9,000, so a b-car landed from China costs
      12,500 and sells at 12,600 to half of Germany: 40 x 100 = 4,000.
    - Together (no set-up): kits at 9,000; a-car at 14,900 earns 4,900 in Germany or 2,400
      from China, b-car at 14,200 earns 4,200 or 1,700: the German plant's 100 cars gain
      2,500 each whichever model it makes; 60 x 2,400 + 80 x 1,700 + 100 x 2,500 = 530,000.
    """
    data = _tiny(
        cooperation={},
        technologies=[
            {"name": "architecture", "component_cost": {"kit": 0.9},
             "licence_per_vehicle": 100},
            {"name": "validation", "price_premium": 200, "models": ["b-car"]}],
        access=[{"name": "dealers", "markets": ["Germany"], "models": ["b-car"],
                 "without": {"demand": 0.5, "price": 0.9}}])
    data["partnership"]["partners"][0].update(technologies=["validation"], access=["dealers"])
    data["partnership"]["partners"][1].update(technologies=["architecture"])
    result = solve(scenario_from_dict(data, "tiny"), workers=1)
    assert result.value(["A"]) == pytest.approx(240_000, abs=1)
    assert result.value(["B"]) == pytest.approx(4_000, abs=1)
    assert result.value(["A", "B"]) == pytest.approx(530_000, abs=1)


def test_same_values_on_one_process_and_on_two_after_the_parent_solved() -> None:
    """Coalitions planned in forked workers give the values planned here.

    The parent solves first: a child forked from a process whose HiGHS thread pool is live
    once failed every solve (numerical-trouble errors) until it made a pool of its own.
    """
    from nevsim.network.planning import plan
    from nevsim.partnership import values

    scenario = scenario_from_dict(_tiny(), "tiny")
    assert plan(scenario).has_plan  # HiGHS's threads now live in this process
    found = {}
    for workers in (1, 2):
        values._PLANS.clear()  # plan every coalition again
        result = solve(scenario, workers=workers)
        assert result.workers == workers
        found[workers] = [c.value for c in result.coalitions]
    assert found[1] == pytest.approx(found[2], abs=1e-6)


def test_alliance_splits_add_up_and_their_stability_holds_coalition_by_coalition() -> None:
    """Every split of the alliance adds up to v(N), and a stable one leaves no one below.

    Stand-alone values excepted; stability is checked coalition by coalition.
    """
    from nevsim.document import load_scenario

    result = solve(load_scenario("alliance"))
    grand = result.grand.value
    assert result.grand.members == tuple(result.partners)
    for split in result.allocations:
        total = sum(split.amounts.values())
        if split.kind == "alone":
            assert total == pytest.approx(grand - result.joint_gain, rel=1e-9)
            continue
        assert total == pytest.approx(grand, rel=1e-9), split.name
        worst = max(c.value - sum(split.amounts[p] for p in c.members)
                    for c in result.coalitions)
        assert split.in_core == (worst <= 1e-6 * grand), split.name
    # the fair concepts are stable here (the core is not empty), the equal split is not
    assert not result.core_empty
    assert result.allocation("nucleolus").in_core
    assert not result.allocation("equal shares").in_core
    assert result.nucleolus_check["agree"] is True


def test_splits_by_capital_what_leaving_costs_and_the_duties_paid() -> None:
    """With capital 3:1, the capital split gives A 240,000 + 3/4 of 40,000 and B the rest.

    If A leaves, B keeps its 40,000 of the 320,000: the rest lose 280,000; if B leaves, 80,000.
    Duties: B alone pays 20% of 10,000 on 80 cars (160,000); together 40 cars come from
    China whichever model they are (80,000).
    """
    data = _tiny()
    data["partnership"]["partners"][0]["capital"] = 3e6
    data["partnership"]["partners"][1]["capital"] = 1e6
    result = solve(scenario_from_dict(data, "tiny"), workers=1)
    split = result.allocation("by capital")
    assert split.amounts == pytest.approx({"A": 270_000, "B": 50_000}, abs=1)
    table = result.allocation_table().set_index("partner")
    assert table.loc["A", "marginal"] == pytest.approx(280_000, abs=1)
    assert table.loc["B", "marginal"] == pytest.approx(80_000, abs=1)
    duties = result.summary()["duties_paid"]
    assert duties["apart"] == pytest.approx(160_000, abs=1)
    assert duties["together"] == pytest.approx(80_000, abs=1)


def test_cooperation_that_just_breaks_even_has_the_stand_alone_split_as_its_core() -> None:
    """A set-up of exactly what pooling adds leaves one stable split: each alone.

    The set-up is the 100,000 pooling adds, so v(N) = v(A) + v(B): the core is the single
    split (240,000, 40,000), not empty, and the least core's epsilon is 0.
    """
    result = solve(scenario_from_dict(_tiny(cooperation={"setup": 100000}), "tiny"),
                   workers=1)
    assert result.joint_gain == pytest.approx(0, abs=1)
    assert not result.core_empty and result.superadditive
    assert result.least_core_epsilon == pytest.approx(0, abs=1)
    assert result.allocation("nucleolus").amounts == pytest.approx(
        {"A": 240_000, "B": 40_000}, abs=1)


def test_a_coalition_network_carries_its_members_assets_and_technologies() -> None:
    """Plant costs and lead times change as the technologies say, for members only.

    Three partners: C brings a production system (variable cost x 0.5, lead time - 1) and a
    candidate plant in Germany (lead time 2, cost 1,200 a car); integration costs 7 a pair
    and set-up 100 once: 100 + 3 x 7 for all three.
    """
    from nevsim.network.model import Network
    from nevsim.partnership.coalitions import coalition_network, cooperation_cost
    from nevsim.partnership.model import Partnership

    data = _tiny(cooperation={"setup": 100, "per_pair": 7},
                 technologies=[{"name": "system", "variable_cost": 0.5, "lead_time_cut": 1}])
    data["network"]["plants"].append({"name": "C plant", "company": "C", "country": "DE",
                                      "lead_time": 2, "levels": [{"capacity": 50}],
                                      "variable_cost": 1200})
    data["partnership"]["partners"].append({"name": "C", "plants": ["C plant"],
                                            "technologies": ["system"]})
    net = Network.model_validate(data["network"])
    part = Partnership.model_validate(data["partnership"])
    together = coalition_network(net, part, frozenset({"A", "B", "C"}))
    assert together is not None
    plants = {p.name: p for p in together.plants}
    assert plants["A plant"].variable_cost == pytest.approx(500)
    assert plants["C plant"].variable_cost == pytest.approx(600)
    assert plants["C plant"].lead_time == 1 and plants["A plant"].lead_time == 2
    without = coalition_network(net, part, frozenset({"A", "B"}))
    assert without is not None
    assert {p.name: p.variable_cost for p in without.plants} == {"A plant": 1000,
                                                                  "B plant": 500}
    assert coalition_network(net, part, frozenset({"C"})) is None  # a plant, no model
    assert cooperation_cost(part, ["A", "B", "C"]) == pytest.approx(121)
    assert cooperation_cost(part, ["A", "B"]) == pytest.approx(107)
    assert cooperation_cost(part, ["C"]) == 0


def test_a_coalition_with_models_and_no_plant_earns_nothing() -> None:
    """D owns a model and no plant: alone it has nothing to plan and earns 0."""
    data = _tiny(cooperation={})
    data["network"]["models"].append({"name": "d-car", "customs_value": 10000,
                                      "bom": [{"component": "kit"}]})
    data["network"]["markets"][0]["demand"]["d-car"] = 10
    data["network"]["markets"][0]["price"]["d-car"] = 30000
    data["partnership"]["partners"].append({"name": "D", "models": ["d-car"]})
    result = solve(scenario_from_dict(data, "tiny"), workers=1)
    assert result.value(["D"]) == 0
    # with A's plant (room for 60 a-cars and 10 d-cars of 100), D's cars earn
    # 30,000 - 10,000 - 1,000 = 19,000 each
    assert result.value(["A", "D"]) == pytest.approx(240_000 + 10 * 19_000, abs=1)

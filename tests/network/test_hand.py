"""Tiny plans whose optimum is worked out by hand in each test."""

from __future__ import annotations

import pytest

from nevsim.network import Objective, SolveStatus
from nevsim.network.model import annuity
from tests.network.builders import base, solve


def test_import_only_margin_per_vehicle() -> None:
    # each car: price 100 - kit 30 - production 10 - freight 5 - duty 10% x 50 = 50
    result = solve(base())
    assert result.status is SolveStatus.OPTIMAL
    assert result.profit == pytest.approx(80 * 50)
    assert result.revenue == pytest.approx(80 * 100)
    row = result.landed.iloc[0]
    assert (row.components, row.production, row.logistics, row.duties) == \
        pytest.approx((30, 10, 5, 5))
    assert row.margin == pytest.approx(50)


def test_cheap_supplier_used_up_to_its_capacity() -> None:
    net = base()
    net["suppliers"].append({"name": "kit-cheap", "company": "K2", "country": "CN",
                             "chinese": True, "component": "kit", "capacity": 50,
                             "unit_cost": 20})
    result = solve(net)
    # 50 kits at 20, the other 30 at 30: components 1,900 instead of 2,400
    assert result.profit == pytest.approx(80 * 50 + 50 * 10)
    used = result.suppliers.set_index("supplier").units
    assert used["kit-cheap"] == pytest.approx(50)
    assert used["kit-cn"] == pytest.approx(30)


def test_loss_making_market_is_left_unserved_when_maximizing_profit() -> None:
    net = base()
    net["markets"].append({"name": "fr", "country": "FR", "demand": {"car": 40},
                           "price": {"car": 40}})  # 40 - 30 - 10 - 1 - 0 < 0
    net["lanes"].append({"origin": "CN", "destination": "FR", "cost": 1})
    result = solve(net)
    assert result.profit == pytest.approx(80 * 50)
    fr = result.exports.set_index("market").loc["fr"]
    assert fr.unmet == pytest.approx(40)


def test_cost_objective_serves_every_market() -> None:
    net = base()
    net["markets"].append({"name": "fr", "country": "FR", "demand": {"car": 20},
                           "price": {"car": 40}})
    net["lanes"].append({"origin": "CN", "destination": "FR", "cost": 1})
    result = solve(net, objective=Objective.COST)
    assert result.status is SolveStatus.OPTIMAL
    # DE: 80 x (30 + 10 + 5 + 5); FR: 20 x (30 + 10 + 1), no duty into FR
    assert result.objective == pytest.approx(80 * 50 + 20 * 41)
    assert result.exports.unmet.sum() == 0


def test_discounting_counts_later_years_less() -> None:
    net = base(years=(2025, 2026))
    net["discount_rate"] = 0.1
    result = solve(net)
    assert result.profit == pytest.approx(80 * 50 * (1 + 1 / 1.1))


def _build_case(fixed_cost: float, capex: float = 0.0) -> dict:
    """Three years; DE duty 40% (20 a car) makes a plant in DE worth 25 a car more.

    The plant takes a year to build and ramps up 50% then 100%.
    """
    net = base(years=(2025, 2027))
    net["markets"][0]["demand"] = {"car": 100}
    net["duties"][0]["rate"] = 0.40
    net["plants"][0]["levels"] = [{"capacity": 1000}]
    net["plants"].append({"name": "local", "country": "DE", "lead_time": 1,
                          "ramp_up": [0.5, 1.0], "variable_cost": 10,
                          "levels": [{"capacity": 100, "fixed_cost": fixed_cost,
                                      "capex": capex}]})
    return net


def test_build_early_when_the_local_margin_pays_for_fixed_cost() -> None:
    # import margin 100-30-10-5-20 = 35 a car; local 60. Start 2025: 50 + 100 local cars
    # (2026, 2027) gain 150 x 25 = 3,750 for fixed cost 2 x 1,000.
    # Start 2026: 50 local cars gain 1,250 for 1,000. Not building: 3 x 100 x 35 = 10,500.
    result = solve(_build_case(fixed_cost=1000))
    assert result.profit == pytest.approx(10_500 + 3_750 - 2_000)
    assert result.plants_opened() == ["local"]
    out = result.footprint.set_index(["plant", "year"]).output
    assert [out["local", y] for y in (2025, 2026, 2027)] == pytest.approx([0, 50, 100])
    plan = result.timeline.set_index("name").loc["local"]
    assert (plan.decide, plan.ready, plan.full_rate) == (2025, 2026, 2027)


def test_no_build_when_fixed_cost_eats_the_gain() -> None:
    result = solve(_build_case(fixed_cost=2000))  # 3,750 < 4,000 and 1,250 < 2,000
    assert result.profit == pytest.approx(10_500)
    assert result.plants_opened() == []


def test_capex_is_annualized_over_the_plant_life() -> None:
    result = solve(_build_case(fixed_cost=0, capex=10_000))
    crf = 0.08 / (1 - 1.08 ** -20)  # capital recovery factor, 8% over 20 years
    assert annuity(0.08, 20) == pytest.approx(crf)
    assert result.profit == pytest.approx(10_500 + 3_750 - 2 * 10_000 * crf)


def test_a_part_lane_may_charge_a_share_of_the_part_value() -> None:
    # the plant is in DE and buys Chinese kits (30) over a lane charging 1 + 5% of their
    # value: 2.5 a kit; cars sold in DE pay no freight and no duty: 100 - 32.5 - 10 = 57.5
    net = base()
    net["plants"][0]["country"] = "DE"
    net["lanes"] = [{"origin": "CN", "destination": "DE", "cargo": "part", "cost": 1,
                     "cost_share": 0.05}]
    result = solve(net)
    assert result.profit == pytest.approx(80 * 57.5)
    assert result.landed.iloc[0].logistics == pytest.approx(2.5)


def test_a_supplier_delivers_only_after_its_lead_time() -> None:
    # a cheaper kit supplier (20 instead of 30) needs two years of qualification: in a
    # 2025-2027 plan it delivers from 2027 only, decided in 2025
    net = base(years=(2025, 2027))
    net["suppliers"].append({"name": "kit-new", "company": "K2", "country": "CN",
                             "chinese": True, "component": "kit", "capacity": 1000,
                             "unit_cost": 20, "lead_time": 2})
    result = solve(net)
    used = result.suppliers.groupby(["supplier", "year"]).units.sum()
    assert "kit-new" not in {s for s, y in used.index if y < 2027}
    assert used[("kit-new", 2027)] == pytest.approx(80)
    assert result.profit == pytest.approx(3 * 80 * 50 + 80 * 10)
    item = result.timeline.set_index("name").loc["kit-new"]
    assert (item.decide, item.ready) == (2025, 2027)  # decided inside the horizon


@pytest.mark.parametrize("last", [2027, 2028, 2029])
def test_moving_the_horizon_end_does_not_flip_a_build_that_is_worth_it(last: int) -> None:
    # capex 8,000 over 20 years (a charge of about 815 a year from the first output) for a
    # gain of 25 a local car: the plan builds in 2025 whatever the last plan year, because
    # each year charges only its own share of the capital (the rest is residual value)
    net = _build_case(fixed_cost=200, capex=8000)
    net["years"]["last"] = last
    result = solve(net)
    assert result.plants_opened() == ["local"]
    assert result.timeline.set_index("name").loc["local"].decide == 2025


def test_an_existing_plant_that_loses_money_closes() -> None:
    # home earns 80 x 50 = 4,000 a year against a fixed cost of 5,000: closing in 2025 costs
    # 500 once and saves 3 x 5,000 for 3 x 4,000 of margin: profit -500 instead of -3,000
    net = base(years=(2025, 2027))
    net["plants"][0]["levels"] = [{"capacity": 100, "fixed_cost": 5000}]
    net["plants"][0]["closing_cost"] = 500
    result = solve(net)
    assert result.profit == pytest.approx(-500)
    item = result.timeline.set_index("name").loc["home"]
    assert (item.kind, item.decide) == ("closure", 2025)
    assert (result.footprint.capacity == 0).all()


def test_an_existing_plant_idles_through_a_dip_in_demand() -> None:
    """Idle in a bad year when the idle cost beats the year's loss.

    home makes up to 100 a year at a margin of 50 a car (price 100 less kit 30, making 10,
    freight 5, duty 5) against a fixed cost of 3,000; demand falls to 40 in 2026: working then
    earns 40 x 50 = 2,000 < 3,000, so idling for 800 loses 200 less (the 40 go unserved).
    Profit: 2 x (5,000 - 3,000) - 800 = 3,200. Closing for 100,000 is not worth it.
    """
    net = base(years=(2025, 2027))
    net["plants"][0]["levels"] = [{"capacity": 100, "fixed_cost": 3000}]
    net["plants"][0]["idle_cost"] = 800
    net["plants"][0]["closing_cost"] = 100000
    net["markets"][0]["demand"] = {"car": {2025: 100, 2026: 40, 2027: 100}}
    result = solve(net)
    assert result.profit == pytest.approx(3200)
    footprint = result.footprint.set_index("year")
    assert footprint.loc[2026, "capacity"] == 0 and footprint.loc[2025, "capacity"] == 100
    item = result.timeline.set_index("kind").loc["idle"]
    assert item["name"] == "home" and item["decide"] == 2026
    assert "closure" not in set(result.timeline.kind)


def test_idling_is_not_taken_when_working_pays() -> None:
    """At demand 80 in the dip, working earns 4,000 > 3,000 - 800: no idle year."""
    net = base(years=(2025, 2027))
    net["plants"][0]["levels"] = [{"capacity": 100, "fixed_cost": 3000}]
    net["plants"][0]["idle_cost"] = 800
    net["markets"][0]["demand"] = {"car": {2025: 100, 2026: 80, 2027: 100}}
    result = solve(net)
    assert result.profit == pytest.approx(2 * 2000 + 4000 - 3000)
    assert "idle" not in set(result.timeline.kind)


def test_a_plant_that_pays_stays_open_and_closing_is_an_option_only() -> None:
    net = base(years=(2025, 2027))
    net["plants"][0]["levels"] = [{"capacity": 100, "fixed_cost": 1000}]
    net["plants"][0]["closing_cost"] = 500
    result = solve(net)
    assert result.profit == pytest.approx(3 * (4000 - 1000))
    assert "closure" not in set(result.timeline.kind)

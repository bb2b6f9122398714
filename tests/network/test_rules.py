"""Duties and content rules: each worked out by hand, each shown to change the plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nevsim.network import SolveStatus
from tests.network.builders import base, solve


def _hungary_to_uk(local_supplier: dict[str, Any] | None) -> dict[str, Any]:
    """A plant in HU ships 80 cars to GB (10% duty on 50, unless the EU-UK rule is met)."""
    net = base()
    net["plants"] = [{"name": "szeged", "country": "HU", "existing": True,
                      "levels": [{"capacity": 100}], "variable_cost": 10}]
    net["markets"] = [{"name": "uk", "country": "GB", "demand": {"car": 80},
                       "price": {"car": 100}}]
    net["lanes"] = [{"origin": "HU", "destination": "GB", "cost": 5},
                    {"origin": "CN", "destination": "HU", "cargo": "part", "cost": 0}]
    net["duties"] = [{"name": "uk-car", "origin": "*", "destination": "GB", "rate": 0.10}]
    net["rules"] = [{"name": "tca", "kind": "preferential", "countries": ["HU"],
                     "destinations": ["GB"], "threshold": 0.55, "rate": 0.0}]
    if local_supplier:
        net["suppliers"].append(local_supplier)
    return net


KIT_HU = {"name": "kit-hu", "company": "L", "country": "HU", "chinese": False,
          "component": "kit", "capacity": 1000, "unit_cost": 33}


def test_without_local_parts_the_plant_pays_the_duty() -> None:
    # content = value added 10 / (kit 30 + 10) = 25% < 55%: 80 x (100-30-10-5-5)
    result = solve(_hungary_to_uk(None))
    assert result.profit == pytest.approx(80 * 50)
    row = result.content.iloc[0]
    assert row.content == pytest.approx(0.25)
    assert not row.met
    assert not row.access_used


def test_local_parts_lift_the_plant_over_the_threshold_and_the_duty_drops() -> None:
    # x local kits at 33 (3 more than China's): content needs
    # 33x + 800 >= 0.55 (33x + 30(80 - x) + 800)  <=>  x >= 960 / 31.35.
    # Buying them costs 3x < the 400 of duty saved, so the plan buys exactly that many.
    x = 960 / 31.35
    result = solve(_hungary_to_uk(KIT_HU))
    assert result.profit == pytest.approx(8000 - 800 - 400 - 2400 - 3 * x)
    used = result.suppliers.set_index("supplier").units
    assert used["kit-hu"] == pytest.approx(x)
    row = result.content.iloc[0]
    assert row.content == pytest.approx(0.55)
    assert row.met and row.access_used
    assert (result.flows.duty_rate == 0).all()
    assert result.landed.iloc[0].duties == pytest.approx(0)
    chain = result.chain.iloc[0]  # parts value bought in Hungary, not counting value added
    assert chain.regional_value_share == pytest.approx(33 * x / (33 * x + 30 * (80 - x)))
    assert chain.regional_families == "0 of 1"  # the kit family is bought in both countries


def test_a_local_supplier_that_arrives_too_late_changes_nothing() -> None:
    late = {**KIT_HU, "first_year": 2026}
    net = _hungary_to_uk(late)
    net["years"] = {"first": 2025, "last": 2026}
    result = solve(net)
    flows = result.flows.set_index("year")
    assert flows.loc[2025, "duty_rate"] == pytest.approx(0.10)
    assert flows.loc[2026, "duty_rate"] == pytest.approx(0.0)


def _with_cvd(maker: str) -> dict[str, Any]:
    net = base()
    net["maker"] = maker
    net["duties"].append({"name": "cvd", "origin": "CN", "destination": "DE",
                          "powertrains": ["BEV"], "companies": ["BYD"], "rate": 0.17})
    net["duties"].append({"name": "cvd-others", "origin": "CN", "destination": "DE",
                          "powertrains": ["BEV"], "except_companies": ["BYD", "Tesla"],
                          "rate": 0.207})
    return net


def test_company_specific_duty_applies_only_to_its_company() -> None:
    byd = solve(_with_cvd("BYD")).landed.iloc[0].duties
    other = solve(_with_cvd("Other")).landed.iloc[0].duties
    tesla = solve(_with_cvd("Tesla")).landed.iloc[0].duties
    assert byd == pytest.approx((0.10 + 0.17) * 50)
    assert other == pytest.approx((0.10 + 0.207) * 50)
    assert tesla == pytest.approx(0.10 * 50)


def test_drive_type_filter_spares_plug_in_hybrids() -> None:
    net = _with_cvd("BYD")
    net["models"][0]["powertrain"] = "PHEV"
    assert solve(net).landed.iloc[0].duties == pytest.approx(0.10 * 50)


def test_duty_schedules_apply_in_their_year() -> None:
    net = base(years=(2025, 2028))
    net["duties"][0]["rate"] = {2025: 0.10, 2026: 0.18, 2028: 0.35}
    duties = solve(net).landed.set_index("year").duties
    assert list(duties) == pytest.approx([5.0, 9.0, 9.0, 17.5])


def test_local_production_scheme_admits_imports_in_proportion() -> None:
    # TH: 80% duty on imports (40 a car) unless inside the scheme (0%), which admits one
    # import per 2 cars built in TH. Rayong makes 40: 20 scheme imports, and 40 more at full
    # duty (still 100-30-10-5-40 = 15 a car).
    net = base()
    net["plants"].append({"name": "rayong", "country": "TH", "existing": True,
                          "levels": [{"capacity": 40}], "variable_cost": 10})
    net["markets"] = [{"name": "th", "country": "TH", "demand": {"car": 100},
                       "price": {"car": 100}}]
    net["lanes"] = [{"origin": "CN", "destination": "TH", "cost": 5},
                    {"origin": "CN", "destination": "TH", "cargo": "part", "cost": 0}]
    net["duties"] = [{"name": "th-mfn", "origin": "*", "destination": "TH", "rate": 0.80}]
    net["rules"] = [{"name": "ev35", "kind": "local-production", "countries": ["TH"],
                     "rate": 0.0, "ratio": 2.0}]
    result = solve(net)
    assert result.profit == pytest.approx(40 * 60 + 20 * 55 + 40 * 15)
    by_channel = result.flows.groupby("channel").vehicles.sum()
    assert by_channel["ev35"] == pytest.approx(20)


def _indonesia(with_local_kit: bool) -> dict[str, Any]:
    net = base()
    net["plants"].append({"name": "subang", "country": "ID", "existing": True,
                          "levels": [{"capacity": 100}], "variable_cost": 10})
    net["markets"] = [{"name": "id", "country": "ID", "demand": {"car": 80},
                       "price": {"car": 100}}]
    net["lanes"] = [{"origin": "CN", "destination": "ID", "cost": 5},
                    {"origin": "CN", "destination": "ID", "cargo": "part", "cost": 0}]
    net["duties"] = [{"name": "id-cbu", "origin": "*", "destination": "ID", "rate": 0.5}]
    net["rules"] = [{"name": "tkdn", "kind": "mandatory", "countries": ["ID"],
                     "threshold": 0.6}]
    if with_local_kit:
        net["suppliers"].append({"name": "kit-id", "company": "L", "country": "ID",
                                 "chinese": False, "component": "kit", "capacity": 1000,
                                 "unit_cost": 32})
    return net


def test_mandatory_content_stops_a_plant_without_local_suppliers() -> None:
    # with Chinese kits content is 10/40 = 25% < 60%: the plant may not produce at all
    result = solve(_indonesia(with_local_kit=False))
    out = result.footprint.set_index("plant").output
    assert out["subang"] == pytest.approx(0)
    assert result.profit == pytest.approx(80 * (100 - 30 - 10 - 5 - 25))


def test_mandatory_content_is_met_with_the_cheapest_local_mix() -> None:
    # x local kits: 32x + 800 >= 0.6 (32x + 30(80-x) + 800) <=> 30.8x >= 1120
    x = 1120 / 30.8
    result = solve(_indonesia(with_local_kit=True))
    assert result.profit == pytest.approx(80 * 100 - 800 - 2400 - 2 * x)
    row = result.content.iloc[0]
    assert row.content == pytest.approx(0.6)
    assert row.met


def test_rules_that_cannot_open_access_are_not_a_problem() -> None:
    net = _hungary_to_uk(KIT_HU)
    net["rules"][0]["rate"] = 0.2  # above the normal 10%: never worth it
    result = solve(net)
    assert result.status is SolveStatus.OPTIMAL
    assert result.profit == pytest.approx(80 * 50)


def test_without_duties_the_plant_is_not_worth_building() -> None:
    # with the 40% duty the local plant gains 25 a car (see test_hand); without it only 5 a
    # car (import 100-30-10-5 = 55 vs local 60): 150 x 5 = 750 < 2 x 1,000 of fixed cost
    from tests.network.test_hand import _build_case

    result = solve(_build_case(fixed_cost=1000), compare_free_trade=True)
    assert result.plants_opened() == ["local"]
    assert result.free_trade is not None
    assert result.free_trade["plants_opened"] == []
    assert result.free_trade["profit"] == pytest.approx(300 * 55)


def test_a_carbon_price_moves_cargo_to_the_cleaner_lane() -> None:
    # sea: 5 a car and 700 kg; rail: 6 a car and 300 kg. At 10 per tonne sea costs
    # 5 + 7 = 12 and rail 6 + 3 = 9, so the plan takes the rail and pays for its CO2.
    net = base()
    net["lanes"] = [{"origin": "CN", "destination": "DE", "mode": "sea-roro", "cost": 5,
                     "co2_per_unit": 700},
                    {"origin": "CN", "destination": "DE", "mode": "rail", "cost": 6,
                     "co2_per_unit": 300},
                    {"origin": "CN", "destination": "DE", "cargo": "part", "cost": 0}]
    free = solve(net)
    assert free.landed.iloc[0].logistics == pytest.approx(5)
    assert free.co2.iloc[0].transport_kg == pytest.approx(700)
    net["carbon_price"] = 10.0
    priced = solve(net)
    assert priced.landed.iloc[0].logistics == pytest.approx(6)
    assert priced.co2.iloc[0].transport_kg == pytest.approx(300)
    # profit counts the carbon cost: 80 cars x (50 - 1 more freight - 3 of carbon)
    assert priced.profit == pytest.approx(80 * (50 - 1 - 3))


def test_sweep_shows_the_duty_at_which_the_plant_pays(tmp_path: Path) -> None:
    # 10% duty: local gains 10 a car x 150 = 1,500 < 2,000 of fixed cost, import all
    # (300 x 50); 40%: build, 10,500 + 3,750 - 2,000 (see test_hand)
    import yaml
    from typer.testing import CliRunner

    from nevsim.cli.app import app
    from nevsim.workflow.network import sweep
    from tests.network.test_hand import _build_case

    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump({"name": "case", "network": _build_case(1000)}))
    done = sweep(path, "network.duties[0].rate", [0.1, 0.4], report_dir=tmp_path,
                 store=f"sqlite:///{tmp_path / 'runs.sqlite'}")
    table = done.table.set_index("value")
    assert done.report is not None and done.run_id is not None
    assert "adds local" in done.report.read_text(encoding="utf-8")  # the plan difference
    assert table.loc[0.1, "plants_opened"] == ""
    assert table.loc[0.1, "profit"] == pytest.approx(300 * 50)
    assert table.loc[0.4, "plants_opened"] == "local"
    assert table.loc[0.4, "profit"] == pytest.approx(10_500 + 3_750 - 2_000)
    run = CliRunner().invoke(app, ["network", "sweep", str(path), "--set",
                                   "network.duties[0].rate=0.1,0.4", "--json"])
    assert run.exit_code == 0, run.output
    bad = CliRunner().invoke(app, ["network", "sweep", str(path), "--set",
                                   "network.duties[0].rate=35"])
    assert bad.exit_code == 2
    assert "network.duties[0].rate" in bad.output


def test_a_plant_far_below_the_threshold_simply_pays_the_duty() -> None:
    # dear Chinese kits (100): content = value added 10 / 110 = 9% of a car, far below 55%;
    # the rule is not used and nothing else changes: 80 x (200 - 100 - 10 - 5 - 5)
    net = _hungary_to_uk(None)
    net["suppliers"][0]["unit_cost"] = 100
    net["markets"][0]["price"] = {"car": 200}
    result = solve(net)
    assert result.status is SolveStatus.OPTIMAL
    assert result.profit == pytest.approx(80 * 80)
    assert not result.content.iloc[0].access_used


@pytest.mark.parametrize(("counts", "scheme_imports"), [("production", 20),
                                                        ("domestic-sales", 10)])
def test_a_scheme_counts_what_its_basis_says(counts: str, scheme_imports: float) -> None:
    # Rayong (TH) makes 40 but must export 20 to a market only it can reach; the scheme
    # admits one import per 2 local cars: per its production 20, per its domestic sales 10
    net = base()
    net["plants"].append({"name": "rayong", "country": "TH", "existing": True,
                          "levels": [{"capacity": 40}], "variable_cost": 10})
    net["markets"] = [{"name": "th", "country": "TH", "demand": {"car": 100},
                       "price": {"car": 100}},
                      {"name": "my", "country": "MY", "demand": {"car": 20},
                       "price": {"car": 200}}]
    net["lanes"] = [{"origin": "CN", "destination": "TH", "cost": 5},
                    {"origin": "TH", "destination": "MY", "cost": 5},
                    {"origin": "CN", "destination": "TH", "cargo": "part", "cost": 0}]
    net["duties"] = [{"name": "th-mfn", "origin": "*", "destination": "TH", "rate": 0.80}]
    net["rules"] = [{"name": "ev35", "kind": "local-production", "countries": ["TH"],
                     "rate": 0.0, "ratio": 2.0, "counts": counts}]
    result = solve(net)
    flows = result.flows.groupby(["market", "channel"]).vehicles.sum()
    assert flows[("my", "normal duties")] == pytest.approx(20)  # the export pays: 200 a car
    assert flows[("th", "ev35")] == pytest.approx(scheme_imports)


@pytest.mark.parametrize(("unions", "duty"), [(["EU"], 0.0), ([], 0.10 * 50)])
def test_no_duty_inside_a_customs_union_a_plain_group_is_only_a_name(
        unions: list[str], duty: float) -> None:
    # Szeged (HU) sells in DE, which charges 10% on cars from anywhere: inside the EU customs
    # union nothing; if EU were only a named group, HU -> DE pays like any import
    net = base()
    net["plants"] = [{"name": "szeged", "country": "HU", "existing": True,
                      "levels": [{"capacity": 100}], "variable_cost": 10}]
    net["lanes"] = [{"origin": "HU", "destination": "DE", "cost": 5},
                    {"origin": "CN", "destination": "HU", "cargo": "part", "cost": 0}]
    net["groups"] = {"EU": ["DE", "HU"]}
    net["customs_unions"] = unions
    net["duties"] = [{"name": "de-car", "origin": "*", "destination": "DE", "rate": 0.10},
                     {"name": "eu-parts", "origin": "*", "destination": "EU", "product": "part",
                      "rate": 0.02}]
    result = solve(net)
    assert result.landed.iloc[0].duties == pytest.approx(duty + 0.02 * 30)
    assert result.profit == pytest.approx(80 * (100 - 30 * 1.02 - 10 - 5 - duty))


def test_a_customs_union_must_be_a_group() -> None:
    from nevsim.scenario.errors import ScenarioError

    net = base()
    net["customs_unions"] = ["EEU"]
    net["groups"] = {"EU": ["DE"]}
    with pytest.raises(ScenarioError, match=r"customs_unions\[0\]: not a group .did you mean"):
        solve(net)


@pytest.mark.parametrize(("value", "duty"), [(50, 20.0), (100, 30.0)])
def test_a_minimum_duty_amount_binds_below_its_break_even_value(value: float,
                                                               duty: float) -> None:
    # 30% or at least 20 a car: on a customs value of 50 the minimum (20 > 15) is paid, on
    # 100 the rate (30 > 20); a 10% duty adds without a minimum of its own
    net = base()
    net["models"][0]["customs_value"] = value
    net["duties"].append({"name": "extra", "origin": "CN", "destination": "DE",
                          "rate": 0.30, "minimum": 20})
    result = solve(net)
    assert result.landed.iloc[0].duties == pytest.approx(0.10 * value + duty)
    assert result.profit == pytest.approx(80 * (100 - 30 - 10 - 5 - 0.10 * value - duty))


def _offset_scheme(settle_by: int, owed: float) -> dict[str, Any]:
    """Rayong (TH) makes 40 a year from 2025; scheme imports only in 2025, settled later."""
    net = base(years=(2025, 2027))
    net["plants"].append({"name": "rayong", "country": "TH", "existing": True,
                          "levels": [{"capacity": 40}], "variable_cost": 10})
    net["markets"] = [{"name": "th", "country": "TH", "demand": {"car": 100},
                       "price": {"car": 100}}]
    net["lanes"] = [{"origin": "CN", "destination": "TH", "cost": 5},
                    {"origin": "CN", "destination": "TH", "cargo": "part", "cost": 0}]
    net["duties"] = [{"name": "th-mfn", "origin": "*", "destination": "TH", "rate": 0.80}]
    net["rules"] = [{"name": "ev35", "kind": "local-production", "countries": ["TH"],
                     "rate": 0.0, "ratio": {2025: 1.0, 2026: 2.0, 2027: 3.0},
                     "imports_until": 2025, "settle_by": settle_by, "owed": owed}]
    return net


@pytest.mark.parametrize(("settle_by", "scheme_imports"), [(2027, 40 + 20 + 40 / 3 - 30),
                                                           (2026, 40 + 20 - 30)])
def test_an_offset_scheme_settles_its_imports_with_later_local_vehicles(
        settle_by: int, scheme_imports: float) -> None:
    # Rayong's 40 a year settle 40 imports in 2025 (1:1), 20 in 2026 (2:1), 13.3 in 2027 (3:1),
    # only the years up to the deadline count, and 30 are owed from 2024. Scheme imports (55
    # a car) enter only in 2025; the rest pay the 80% duty (15 a car); Rayong's cars make 60.
    result = solve(_offset_scheme(settle_by, owed=30))
    flows = result.flows.groupby(["year", "channel"]).vehicles.sum()
    assert flows[(2025, "ev35")] == pytest.approx(scheme_imports)
    assert "ev35" not in flows.loc[2026] and "ev35" not in flows.loc[2027]
    normal = 3 * 60 - scheme_imports
    assert result.profit == pytest.approx(3 * 40 * 60 + scheme_imports * 55 + normal * 15)


def test_an_offset_that_cannot_be_settled_is_named() -> None:
    # 200 owed against at most 40 + 20 + 13.3 local vehicles' worth: 126.7 stay unsettled
    result = solve(_offset_scheme(2027, owed=200))
    assert result.status is SolveStatus.INFEASIBLE
    assert result.explanation == [
        "Rule ev35: 127 imported vehicles stay unsettled by 2027: the local vehicles built by "
        "then, at the scheme's ratios, do not cover its imports and the 200 owed from before "
        "2025."]


def test_offset_fields_belong_to_local_production_rules() -> None:
    from nevsim.scenario.errors import ScenarioError
    net = _offset_scheme(2027, owed=30)
    net["rules"][0]["settle_by"] = None
    with pytest.raises(ScenarioError, match="owed imports are settled by a year"):
        solve(net)
    net = _offset_scheme(2025, owed=0)
    net["rules"][0]["imports_until"] = 2026
    with pytest.raises(ScenarioError, match="imports_until 2026 is after settle_by 2025"):
        solve(net)


def test_scheme_imports_end_with_imports_until() -> None:
    # TH wants only 60 in 2025: 20 scheme imports then; the 23.3 more the offset could settle
    # may not enter in 2026-27, after the import window
    net = _offset_scheme(2027, owed=30)
    net["markets"][0]["demand"] = {"car": {2025: 60, 2026: 100}}
    flows = solve(net).flows
    assert flows[flows.channel == "ev35"].vehicles.sum() == pytest.approx(20)


@pytest.mark.parametrize(("floor", "duty"), [(60, 6.0), (40, 5.0), (200, None)])
def test_a_price_undertaking_lifts_its_duty_within_the_cap(floor: float,
                                                           duty: float | None) -> None:
    # DE charges 10% and a 20% CVD (5 + 10 a car on 50). The undertaking, in force from 2026
    # for 30 cars a year, lifts the CVD on cars at or above a minimum import price, on which
    # the 10% is then charged: 60 -> 6 a car, 40 -> still 5 (the customs value is more), 200
    # -> 20, worse than the duty it replaces, so unused. Margins: 40 normally, 49 or 50 under it.
    net = base(years=(2025, 2026))
    net["duties"].append({"name": "cvd", "origin": "CN", "destination": "DE", "rate": 0.20})
    net["undertakings"] = [{"name": "mip", "duty": "cvd",
                            "models": {"car": {"minimum_price": floor,
                                               "cap": {2025: 0, 2026: 30}}}}]
    result = solve(net)
    flows = result.flows.groupby(["year", "channel"]).vehicles.sum()
    assert "mip" not in flows.loc[2025]
    if duty is None:
        assert "mip" not in flows.loc[2026]
        assert result.profit == pytest.approx(2 * 80 * 40)
        return
    assert flows[(2026, "mip")] == pytest.approx(30)
    assert result.profit == pytest.approx(80 * 40 + 30 * (55 - duty) + 50 * 40)
    landed = result.landed.set_index("year").duties
    assert landed[2026] == pytest.approx((30 * duty + 50 * 15) / 80)


def test_an_undertaking_names_a_vehicle_duty_and_declared_models() -> None:
    from nevsim.scenario.errors import ScenarioError
    net = base()
    net["undertakings"] = [{"name": "mip", "duty": "de-cra",
                            "models": {"van": {"minimum_price": 60, "cap": 30}}}]
    with pytest.raises(ScenarioError) as error:
        solve(net)
    text = str(error.value)
    assert "undertakings[0].duty" in text and "did you mean 'de-car'" in text
    assert "undertakings[0].models.van" in text and "no such model" in text

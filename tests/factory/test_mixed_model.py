"""The mixed-model line in the simulation kernel, against hand-derived deterministic lines.

Cars come in a given sequence, again and again; a car's work content lengthens its visit
(or goes to a utility worker), a change of colour at the paint booth costs a purge.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from nevsim.document import scenario_from_dict
from nevsim.factory.orders import Order
from nevsim.factory.simulation import simulate

VARIANTS: dict[str, Any] = {
    "models": [{"name": "A", "share": 0.5}, {"name": "B", "share": 0.5}],
    "colours": [{"name": "red", "share": 0.5}, {"name": "blue", "share": 0.5}],
    "paint": {"purge_time": "30s", "booth": "S1"}, "overload": "line-stop"}


def _line(**variants: Any) -> Any:
    """S1 60 s (the booth) feeding S2 40 s, a B car 50 s more at S2; no buffer between."""
    return scenario_from_dict({"name": "mixed", "factory": {
        "takt": "60s", "default_buffer": 0, "variants": {**VARIANTS, **variants},
        "stations": [{"name": "S1", "cycle": "60s"},
                     {"name": "S2", "cycle": "40s", "work_content": {"B": "50s"}}]}})


def _run(scenario: Any, cars: list[Order]) -> Any:
    return simulate(scenario, cars=cars, replications=1, horizon="10d", warmup="1d")


def test_alternating_models_on_a_line_without_buffer() -> None:
    """A B A B ...: S1 ends each car 60 s after the last left it; S2 takes 40 s or 90 s.

    Departures from S1 and S2 (blocking after service): A 60/100, B 120/210, A 210/250,
    B 270/360, A 360/400, ...: two cars every 150 s, 48 an hour, 24 of each model.
    """
    found = _run(_line(), [Order("1", "A", "red"), Order("2", "B", "red")])
    assert found.jph.mean == pytest.approx(48.0, abs=0.01)
    assert sorted(found.mix["jph"].round(2)) == [24.0, 24.0]
    assert found.stations["purges"].sum() == 0


def test_one_kind_of_car_with_work_content_keeps_it() -> None:
    """Only B cars and no booth: S2 takes 90 s a car and paces the line, 40 an hour.

    One class of car does not make a plain line when that class brings work content.
    """
    found = _run(_line(paint={}), [Order("1", "B", "red")])
    assert found.jph.mean == pytest.approx(40.0, abs=0.01)


def test_a_colour_change_at_the_booth_costs_its_purge() -> None:
    """Only A cars, colours red red blue blue: a purge of 30 s every second car at S1.

    S1 takes 60 + 60 + 30 = 150 s for two cars (S2's 40 s never blocks it): 48 an hour,
    24 purges an hour, a fifth of S1's time in setup.
    """
    cars = [Order("1", "A", "red"), Order("2", "A", "red"), Order("3", "A", "blue"),
            Order("4", "A", "blue")]
    found = _run(_line(), cars)
    assert found.jph.mean == pytest.approx(48.0, abs=0.01)
    s1 = found.stations.set_index("station").loc["S1"]
    assert s1["setup"] == pytest.approx(0.2, abs=1e-3)
    assert s1["purges"] == pytest.approx(24 * 9 * 24, rel=1e-3)  # 9 days of the window


def test_a_utility_worker_takes_the_work_content() -> None:
    """With utility workers, S2 stays at 40 s and S1's 60 s paces the line (60 an hour).

    The 30 B cars an hour bring 50 s each: 25 min of utility work an hour.
    """
    found = _run(_line(overload="utility-worker"),
                 [Order("1", "A", "red"), Order("2", "B", "red")])
    assert found.jph.mean == pytest.approx(60.0, abs=0.01)
    s2 = found.stations.set_index("station").loc["S2"]
    assert s2["utility_work_h"] == pytest.approx(9 * 24 * 30 * 50 / 3600, rel=1e-3)


def test_one_kind_of_car_gives_the_same_numbers_as_no_variants() -> None:
    """Variants with one model, one colour and no work content change nothing (same seed)."""
    stations = [{"name": "S1", "cycle": {"dist": "exponential", "mean": "50s"},
                 "failures": {"mtbf": {"dist": "exponential", "mean": "2h"},
                              "mttr": {"dist": "exponential", "mean": "5min"}}},
                {"name": "S2", "cycle": {"dist": "normal", "mean": "55s", "sd": "5s"},
                 "quality": {"yield": 0.95, "rework_to": "S1"}}]
    plain = scenario_from_dict({"name": "plain", "factory": {
        "takt": "60s", "default_buffer": 2, "stations": stations}})
    single = scenario_from_dict({"name": "plain", "factory": {
        "takt": "60s", "default_buffer": 2, "stations": stations, "variants": {
            "models": [{"name": "A", "share": 1.0}],
            "colours": [{"name": "red", "share": 1.0}], "order_book": 10, "policy": "fifo"}}})
    a = simulate(plain, seed=3, replications=2, horizon="3d", workers=1)
    b = simulate(single, seed=3, replications=2, horizon="3d", workers=1)
    assert np.array_equal(a.replications["jph"], b.replications["jph"])
    columns = ["working", "blocked", "starved", "down", "visits"]
    assert np.array_equal(a.stations[columns].to_numpy(), b.stations[columns].to_numpy())


def test_each_policy_is_simulated_with_the_same_seed() -> None:
    """On the line above with one colour, the order of the cars does not matter.

    With no buffer, S1 releases car j when it is done (60 s) and S2 has sent car j - 1 on
    (40 s or 90 s): a car leaves every max(60, S2's time of the car before) seconds, 60 after
    an A and 90 after a B, in any order: 60 + 30 x the share of B cars a car. No policy gains.
    """
    from nevsim.workflow.factory import sequence

    plant = _line(colours=[{"name": "red", "share": 1.0}])
    plan = sequence(plant, count=40, moves=2000, simulate_for=5 * 86400.0, replications=2)
    share_b = sum(o.model == "B" for o in plan.orders) / len(plan.orders)
    assert plan.simulated is not None and set(plan.simulated) == {
        "fifo", "colour-batches", "option-spacing", "optimized"}
    for found in plan.simulated.values():
        assert found.jph.mean == pytest.approx(3600 / (60 + 30 * share_b), abs=0.05)
        assert found.gain == pytest.approx(0.0, abs=0.05)


def test_the_summary_shows_output_by_model_and_colour() -> None:
    from typer.testing import CliRunner

    from nevsim.cli.app import app

    run = CliRunner().invoke(app, ["factory", "simulate", "yizhuang", "--horizon", "9d",
                                   "--replications", "2", "--no-report"])
    assert run.exit_code == 0, run.output
    text = " ".join(run.output.split())
    assert "output by model" in text and "sedan" in text and "SUV" in text
    assert "output by colour" in text and "Mixed-model line: 1,000 orders" in text


def test_the_report_has_a_mixed_model_section(tmp_path: Any) -> None:
    """The purging line above: its report shows the mix and S1's purges a week (24 an hour)."""
    from nevsim.report.factory import write_html

    cars = [Order("1", "A", "red"), Order("2", "A", "red"), Order("3", "A", "blue"),
            Order("4", "A", "blue")]
    page = write_html(_run(_line(), cars), tmp_path / "r.html").read_text()
    assert "Mixed model" in page and "colour purges a week" in page
    assert "4,032.0" in page  # 24 an hour x 168 hours

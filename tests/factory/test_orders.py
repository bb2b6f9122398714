"""Order books, the sequencing policies and `nevsim factory sequence`.

Hand-derived policies, the geometric batch lengths of random colours, located errors in the
order book and the scenario, and the command end to end.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from nevsim.cli.app import app
from nevsim.document import load_scenario, scenario_from_dict
from nevsim.factory.model import Variants
from nevsim.factory.orders import (
    Order,
    batches,
    colour_batches,
    draw_orders,
    option_spacing,
    problem,
)
from nevsim.factory.sequencing import score
from nevsim.scenario.errors import ScenarioError
from nevsim.workflow.factory import sequence
from tests.helpers import assert_located_error

VARIANTS: dict[str, Any] = {
    "models": [{"name": "sedan", "share": 0.7, "trims": [{"name": "pro", "share": 1.0}]},
               {"name": "SUV", "share": 0.3}],
    "options": [{"name": "roof", "share": 0.3, "rule": "1:2"},
                {"name": "tow", "share": 0.1, "rule": "1:4", "priority": "low"}],
    "colours": [{"name": "red", "share": 0.5}, {"name": "blue", "share": 0.3, "tone": "dark"},
                {"name": "green", "share": 0.2}],
    "paint": {"batch_limit": 2, "purge_time": "10min", "purge_cost": 100, "dark_to_light": 2},
}


def _variants(**changes: Any) -> Variants:
    return Variants.model_validate({**VARIANTS, **changes})


def _orders(colours: str, options: list[str] | None = None) -> list[Order]:
    names = {"r": "red", "b": "blue", "g": "green"}
    marks = options or [""] * len(colours)
    return [Order(str(i), "sedan", names[c], "", frozenset(m.split("+")) - {""})
            for i, (c, m) in enumerate(zip(colours, marks, strict=True))]


def test_colour_batches_by_hand() -> None:
    """Colours r b r r b g, batches of at most 2: the largest colour first, never twice.

    Red has 3 (its first batch takes orders 0 and 2), then blue (1, 4), then red and green
    tie at one car and red was booked first (3), then green (5): r r b b r g, 3 changes.
    """
    orders = _orders("rbrrbg")
    assert colour_batches(_variants(), orders) == [0, 2, 1, 4, 3, 5]


def test_option_spacing_by_hand() -> None:
    """Roof at 1:2 on orders roof, roof, -, roof, -: the earliest car keeping the rule.

    That is 0, then 2 (1 would follow a roof), then 1, then 4, then 3.
    """
    orders = _orders("rrrrr", ["roof", "roof", "", "roof", ""])
    chosen = option_spacing(_variants(), orders)
    assert chosen == [0, 2, 1, 4, 3]
    assert score(problem(_variants(), orders), chosen).violations == {"roof": 0, "tow": 0}


def test_purge_time_and_cost_weigh_dark_to_light_double() -> None:
    """Blue is dark: b r g r costs blue->red 2 (dark to light), red->green 1, green->red 1.

    4 purges' worth for 3 changes; the other way round (light to dark dearer) would be 3.
    """
    from nevsim.factory.orders import Policy, judge

    orders = _orders("brgr")
    found = judge(_variants(), orders, Policy.FIFO, [0, 1, 2, 3])
    assert found.score.colour_changes == 3
    assert found.score.change_cost == 4.0
    assert found.purge_hours == pytest.approx(4 * 10 / 60)
    assert found.purge_cost == pytest.approx(400.0)


def test_random_colours_come_in_geometric_batches() -> None:
    """Colours drawn independently come in batches of geometric length.

    A batch goes on with probability p = sum of squared shares, so its length has mean
    1 / (1 - p) (p = 0.38 here: 1.613 cars).
    """
    variants = _variants()
    orders = draw_orders(variants, 200_000, seed=4)
    p = sum(c.share ** 2 for c in variants.colours)
    found = batches([o.colour for o in orders])
    expected = 1 / (1 - p)
    spread = np.sqrt(p / (1 - p) ** 2 / found.count)  # standard error of the mean length
    assert abs(found.mean - expected) < 4 * spread
    roof = np.mean(["roof" in o.options for o in orders])
    assert abs(roof - 0.3) < 4 * np.sqrt(0.3 * 0.7 / len(orders))


def _book(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_an_order_book_is_sequenced_and_written(tmp_path: Path) -> None:
    scenario = scenario_from_dict({"name": "mixed", "factory": {
        "takt": "76s", "stations": [{"name": "S", "cycle": "60s"}], "variants": VARIANTS}})
    rng = np.random.default_rng(1)
    rows = [["order", "model", "trim", "colour", "options"]]
    for i in range(120):
        rows.append([f"A{i}", "sedan", "pro", str(rng.choice(["red", "blue", "green"])),
                     "+".join(o for o in ("roof", "tow") if rng.random() < 0.25)])
    book = _book(tmp_path / "orders.csv", rows)
    plan = sequence(scenario, orders=book, moves=300_000, out=tmp_path / "seq.csv")
    fifo, optimized = plan.result("fifo"), plan.result("optimized")
    assert optimized.score.objective <= fifo.score.objective
    assert optimized.score.longest_batch <= 2
    with (tmp_path / "seq.csv").open() as handle:
        written = list(csv.DictReader(handle))
    assert sorted(r["order"] for r in written) == sorted(r[0] for r in rows[1:])
    assert [r["order"] for r in written] == [rows[1 + i][0] for i in optimized.order]


@pytest.mark.parametrize(("rows", "expected"), [
    ([["order", "model", "colour"], ["1", "sedan", "rde"]],
     ["line 2, colour", "did you mean 'red'?"]),
    ([["order", "model", "colour", "options"], ["1", "sedan", "red", "rof"]],
     ["line 2, options", "did you mean 'roof'?"]),
    ([["order", "model", "colour"], ["1", "van", "red"], ["1", "SUV", "red"]],
     ["line 2, model", "models are sedan, SUV", "line 3, order", "the same id as line 2"]),
    ([["order", "colour"], ["1", "red"]], ["line 1", "model missing"]),
    ([["order", "model", "colour"]], ["the order book holds no orders"]),
])
def test_bad_order_books_are_located(tmp_path: Path, rows: list[list[str]],
                                     expected: list[str]) -> None:
    scenario = tmp_path / "plant.yaml"
    scenario.write_text(json.dumps({"name": "mixed", "factory": {
        "takt": "76s", "stations": [{"name": "S", "cycle": "60s"}], "variants": VARIANTS}}))
    book = _book(tmp_path / "orders.csv", rows)
    assert_located_error(["factory", "sequence", str(scenario), "--orders", str(book),
                          "--moves", "10", "--out", str(tmp_path / "s.csv")], book, expected)
    assert not (tmp_path / "s.csv").exists()


def test_bad_variants_are_located() -> None:
    bad = {**VARIANTS, "colours": [{"name": "red", "share": 0.5}, {"name": "red", "share": 0.4}],
           "options": [{"name": "roof", "share": 0.3, "rule": "3:2"}],
           "paint": {"booth": "Basecoat"}}
    with pytest.raises(ScenarioError) as caught:
        scenario_from_dict({"name": "x", "factory": {
            "takt": "76s", "stations": [{"name": "S", "cycle": "60s"}], "variants": bad}})
    text = caught.value.render()
    assert "factory.variants.colours[1].name: duplicate name" in text
    assert "factory.variants.colours: shares must add up to 1" in text
    assert "factory.variants.options[0].rule: at most 3 in any 2 never binds" in text
    assert "factory.variants.paint.booth: no main-line station of that name" in text


def test_the_command_compares_the_policies_on_yizhuang(tmp_path: Path) -> None:
    out = tmp_path / "seq.csv"
    run = CliRunner().invoke(app, ["factory", "sequence", "yizhuang", "--count", "300",
                                   "--moves", "300000", "--out", str(out), "--json",
                                   "--report-dir", str(tmp_path)])
    assert run.exit_code == 0, run.output
    done = json.loads(run.output)
    page = Path(done["report"]).read_text()
    for heading in ("Policies on the same order book", "Colour batches", "Option rules"):
        assert heading in page
    found = {p["policy"]: p for p in done["policies"]}
    assert set(found) == {"fifo", "colour-batches", "option-spacing", "optimized"}
    assert found["optimized"]["objective"] < found["fifo"]["objective"]
    assert found["optimized"]["colour_changes"] < found["fifo"]["colour_changes"]
    assert found["optimized"]["longest_batch"] <= 300
    assert len(out.read_text().splitlines()) == 301
    assert load_scenario("yizhuang").factory.variants is not None  # type: ignore[union-attr]


def _paced(overload: str) -> Any:
    """Two stations with work content: roof +24 s at S1 (zone 90 s), SUV +20 s at S2."""
    return scenario_from_dict({"name": "paced", "factory": {
        "takt": "76s", "stations": [
            {"name": "S1", "cycle": "60s", "work_content": {"roof": "24s"}, "zone": "90s"},
            {"name": "S2", "cycle": "50s", "work_content": {"SUV": "20s"}},
            {"name": "S3", "cycle": "70s"}],
        "variants": {**VARIANTS, "overload": overload, "utility_cost_per_hour": 36}}}).factory


def test_overload_of_a_fixed_sequence_counted_by_hand() -> None:
    """Roof, roof, none, roof at S1 (60 s + 24 s a roof, zone 90 s, takt 76 s).

    Car 1 ends at 84 s, the operator 8 s late for car 2; car 2 ends at 92 s, 2 s over the
    zone (overload), then 14 s late; car 3 ends at 74 s, on time; car 4 at 84 s. At S2 (50 s,
    an SUV 70 s, zone = takt 76 s) the SUVs 2 and 3 back to back end at 70 and 70: none over.
    Line stops: 4 cars in 4 x 76 + 2 s, 47.06 an hour; utility workers: 2 s at 36 USD/h.
    """
    from nevsim.factory.orders import overloads

    orders = [Order("1", "sedan", "red", "", frozenset({"roof"})),
              Order("2", "SUV", "red", "", frozenset({"roof"})),
              Order("3", "SUV", "red"), Order("4", "sedan", "red", "", frozenset({"roof"}))]
    stop = overloads(_paced("line-stop"), orders, [0, 1, 2, 3])
    assert stop.stations == ["S1", "S2"]
    assert stop.seconds == [2.0, 0.0] and stop.events == [1, 0]
    assert stop.jph == pytest.approx(3600 * 4 / (4 * 76 + 2)) and stop.cost == 0.0
    helped = overloads(_paced("utility-worker"), orders, [0, 1, 2, 3])
    assert helped.jph == pytest.approx(3600 / 76) and helped.cost == pytest.approx(0.02)
    spaced = overloads(_paced("line-stop"), orders, [0, 2, 1, 3])  # roof, none, roof, roof
    assert spaced.seconds == [2.0, 0.0]  # car 4 follows car 3's roof: 8 + 84 = 92


def test_work_content_names_an_option_or_a_model() -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario_from_dict({"name": "x", "factory": {
            "takt": "76s", "variants": VARIANTS,
            "stations": [{"name": "S", "cycle": "60s", "work_content": {"rooof": "20s"}}]}})
    assert ("factory.stations[0].work_content: 'rooof' is no option or model of "
            "factory.variants (did you mean 'roof'?)") in caught.value.render()

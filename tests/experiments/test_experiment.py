"""Experiments: designs, common random numbers, intervals, and the command with its files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from nevsim.cli.app import app
from nevsim.experiments.design import Experiment
from nevsim.experiments.executors import LocalPool
from nevsim.experiments.experiment import run
from tests.network.builders import base


def _network_spec(tmp_path: Path) -> Path:
    """DE buys 80 cars at 100; a car costs 40, ships for 5 and pays the duty on 50."""
    (tmp_path / "net.yaml").write_text(yaml.safe_dump({"name": "net", "network": base()}))
    spec = {"name": "duty", "scenario": "net.yaml",
            "factors": [{"path": "network.duties[name=de-car].rate",
                         "levels": [0.0, 0.1, 0.5]}]}
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    return path


def test_a_network_experiment_gives_the_profits_worked_out_by_hand(tmp_path: Path) -> None:
    """Margin 100 - 40 - 5 - 50 x rate on 80 cars: 4,400, 4,000 and 2,400."""
    path = _network_spec(tmp_path)
    done = CliRunner().invoke(app, ["experiment", "run", str(path), "--json", "--out",
                                    str(tmp_path / "out"), "--workers", "1"])
    assert done.exit_code == 0, done.output
    payload = json.loads(done.stdout)
    profits = [row["mean"] for row in payload["points"]]
    assert profits == pytest.approx([4400, 4000, 2400])
    assert payload["summary"]["best_design"] == {"network.duties[name=de-car].rate": 0.0}
    diffs = {row["point"]: row["difference"] for row in payload["differences"]}
    assert diffs == pytest.approx({0: 0, 1: -400, 2: -2000})
    runs = pd.read_parquet(Path(payload["report"]).with_suffix(".parquet"))
    assert len(runs) == 3 and set(runs.columns) >= {"point", "profit", "duties_paid"}
    listed = CliRunner().invoke(app, ["runs", "list"])
    text = " ".join(listed.output.split())
    assert "experiment" in text and "best of 3" in text


def test_common_random_numbers_make_equal_designs_exactly_equal() -> None:
    """Designs that differ in nothing simulated differ by exactly 0 (common random numbers).

    Their replications are identical, so the difference is 0 with an interval of width 0,
    while each design's own interval is wide: pairing removes the noise they share.
    """
    spec = Experiment.model_validate({
        "name": "same", "scenario": "yizhuang", "replications": 3, "horizon": "12h",
        "factors": [{"path": "factory.replications", "levels": [1, 7]}]})
    result = run(spec, LocalPool(1))
    points = result.points()
    assert points["high"].iloc[0] - points["low"].iloc[0] > 0
    diff = result.differences().set_index("point")
    assert diff.loc[1, "difference"] == 0 and diff.loc[1, "low"] == diff.loc[1, "high"] == 0


def test_replications_are_the_simulations_run_directly_with_their_seeds() -> None:
    """Replication k of every point is `simulate` with the k-th spawned seed."""
    import nevsim
    from nevsim.document import scenario_from_dict
    from nevsim.factory.engine import replication_seeds
    from nevsim.factory.orders import sequenced
    from nevsim.scenario.reading import builtin_text

    spec = Experiment.model_validate({
        "name": "store", "scenario": "yizhuang", "replications": 2, "horizon": "12h",
        "seed": 5, "factors": [{"path": "factory.buffers[name=painted-body store].capacity",
                                "levels": [5, 300]}]})
    result = run(spec, LocalPool(1))
    seeds = replication_seeds(5, 2)
    for (point, replication), row in result.runs.set_index(["point", "replication"]).iterrows():
        data = yaml.safe_load(builtin_text("yizhuang"))
        for buffer in data["factory"]["buffers"]:
            if buffer.get("name") == "painted-body store":
                buffer["capacity"] = [5, 300][int(point)]
        scenario = scenario_from_dict(data)
        assert scenario.factory is not None
        # the order book is the run's, drawn and sequenced with the experiment's seed
        direct = nevsim.factory.simulate(scenario, seed=seeds[int(replication)],
                                         replications=1, horizon="12h", workers=1,
                                         cars=sequenced(scenario.factory, 5))
        assert row["jph"] == pytest.approx(float(direct.replications.jph.iloc[0]), rel=1e-12)


@pytest.mark.parametrize(("spec", "expected"), [
    ({"name": "x", "scenario": "yizhuang", "factors": [{"path": "a", "levels": [1],
                                                        "low": 0, "high": 1}]},
     ["factors[0]", "give `levels`, or `low` and `high`, not both"]),
    ({"name": "x", "scenario": "yizhuang", "design": "latin-hypercube",
      "factors": [{"path": "a", "low": 0, "high": 1}]},
     ["needs `points`"]),
    ({"name": "x", "scenario": "yizhuang", "replications": 0,
      "factors": [{"path": "a", "levels": [1]}]},
     ["replications", "greater than or equal to 1"]),
    ({"name": "x", "scenario": "yizhuang",
      "factors": [{"path": "factory.nosuch", "levels": [1]}]},
     ["factory.nosuch", "design point 0"]),
])
def test_bad_specs_are_located(spec: dict[str, object], expected: list[str],
                               tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    done = CliRunner().invoke(app, ["experiment", "run", str(path), "--no-report"])
    assert done.exit_code == 2, done.output
    text = " ".join(done.output.split())
    assert "Traceback" not in text
    for fragment in expected:
        assert fragment in text, (fragment, text)


def test_latin_hypercube_points_cover_each_range_once_per_stratum() -> None:
    spec = Experiment.model_validate({
        "name": "lhs", "scenario": "yizhuang", "design": "latin-hypercube", "points": 8,
        "seed": 2, "factors": [{"path": "a", "low": 0, "high": 8},
                               {"path": "b", "levels": ["x", "y"]}]})
    points = spec.design_points()
    strata = sorted(int(p["a"]) for p in points)
    assert strata == list(range(8))  # one draw in each eighth of [0, 8)
    assert sorted(p["b"] for p in points) == ["x"] * 4 + ["y"] * 4
    assert spec.design_points() == points  # the same seed, the same design


def test_interactions_are_the_means_at_each_pair_of_levels(tmp_path: Path) -> None:
    """Profit 80 x (price - 45 - 50 x duty): 4,400 / 6,000 at no duty, 2,400 / 4,000 at 50%.

    The price adds 1,600 at either duty: no interaction.
    """
    (tmp_path / "net.yaml").write_text(yaml.safe_dump({"name": "net", "network": base()}))
    spec = Experiment.model_validate({
        "name": "two", "scenario": str(tmp_path / "net.yaml"),
        "factors": [{"path": "network.duties[name=de-car].rate", "levels": [0.0, 0.5]},
                    {"path": "network.markets[name=de].price.car", "levels": [100, 120]}]})
    result = run(spec, LocalPool(1))
    (a, b, table), = result.interactions()
    assert (a, b) == ("network.duties[name=de-car].rate", "network.markets[name=de].price.car")
    assert table.loc[0.0, 100] == pytest.approx(4400)
    assert table.loc[0.0, 120] == pytest.approx(6000)
    assert table.loc[0.5, 100] == pytest.approx(2400)
    assert table.loc[0.5, 120] == pytest.approx(4000)

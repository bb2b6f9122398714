"""The README's Python and YAML examples run as written."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from nevsim import factory, network
from nevsim.document import scenario_from_dict

README = Path(__file__).resolve().parents[1] / "README.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_python_examples_run() -> None:
    blocks = _blocks("python")
    assert blocks
    for code in blocks:
        exec(compile(code, str(README), "exec"), {})


def test_yaml_example_is_a_valid_plant_that_simulates() -> None:
    text = next(b for b in _blocks("yaml") if "factory:" in b)
    scenario = scenario_from_dict(yaml.safe_load(text), "README.md")
    result = factory.simulate(scenario, replications=2, horizon=3 * 86400.0)
    assert result.robots == 0
    assert 0 < result.jph.mean < 3600 / 60


def test_yaml_network_example_plans_the_hungarian_plant() -> None:
    text = next(b for b in _blocks("yaml") if "network:" in b)
    result = network.plan(scenario_from_dict(yaml.safe_load(text), "README.md"))
    assert result.status is network.SolveStatus.OPTIMAL
    # 27% duty on a 17,000 customs value is 4,590 a car from China; Szeged pays none
    assert result.plants_opened() == ["Szeged"]


def test_experiment_spec_example_is_a_valid_spec() -> None:
    from nevsim.experiments.design import Experiment

    text = next(b for b in _blocks("text") if b.startswith("name: painted-body-store"))
    spec = Experiment.model_validate(yaml.safe_load(text))
    assert len(spec.design_points()) == 6 and spec.replications == 10

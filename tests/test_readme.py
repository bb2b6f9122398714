"""The README's Python and YAML examples run as written."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from nevsim import factory
from nevsim.scenario.loading import scenario_from_dict

README = Path(__file__).resolve().parents[1] / "README.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_python_examples_run() -> None:
    blocks = _blocks("python")
    assert blocks
    for code in blocks:
        exec(compile(code, str(README), "exec"), {})


def test_yaml_example_is_a_valid_plant_that_simulates() -> None:
    (text,) = _blocks("yaml")
    scenario = scenario_from_dict(yaml.safe_load(text), "README.md")
    result = factory.simulate(scenario, replications=2, horizon=3 * 86400.0)
    assert result.robots == 0
    assert 0 < result.jph.mean < 3600 / 60

"""`nevsim schema` describes the files nevsim reads: a standard validator accepts them."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from nevsim.cli.app import app
from nevsim.scenario import yamlio
from nevsim.scenario.reading import builtin_names, builtin_text

README = Path(__file__).resolve().parents[2] / "README.md"


def _schema(part: str) -> Draft202012Validator:
    run = CliRunner().invoke(app, ["schema", part])
    assert run.exit_code == 0, run.output
    schema = json.loads(run.stdout)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _as_json(text: str) -> Any:
    """What an editor's validator sees: the YAML as JSON.

    Keys become strings; YAML 1.2 editors read a date such as 2025-01-06 as a string.
    """
    return json.loads(json.dumps(yamlio.load(text), default=str))


def _errors(validator: Draft202012Validator, document: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(document)]


def _readme_yaml() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


DOCUMENTS = {f"built-in {name}": builtin_text(name) for name in builtin_names()} | {
    f"README example {i}": text for i, text in enumerate(_readme_yaml())}


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_every_shipped_and_documented_scenario_validates(name: str) -> None:
    document = _as_json(DOCUMENTS[name])
    assert _errors(_schema("scenario"), document) == []
    for part in ("factory", "network", "program"):
        if part in document:
            assert _errors(_schema(part), document[part]) == []


@pytest.mark.parametrize(("field", "value"), [
    ("takt", "3 weeks"), ("takt", -5), ("takt", True), ("horizon", "0x10s"),
])
def test_the_schema_refuses_what_nevsim_refuses(field: str, value: Any) -> None:
    factory = _as_json(builtin_text("yizhuang"))["factory"]
    factory[field] = value
    assert _errors(_schema("factory"), factory)


def test_durations_and_clock_times_are_strings_or_numbers_in_the_schema() -> None:
    validator = _schema("factory")
    factory = _as_json(builtin_text("yizhuang"))["factory"]
    for takt in ("76s", "1.5min", 76, "76 S"):
        factory["takt"] = takt
        assert _errors(validator, factory) == [], takt
    factory["calendars"] = {"c": {"shifts": [{"start": "6:00", "end": "14:30"}]}}
    assert _errors(validator, factory) == []
    factory["calendars"] = {"c": {"shifts": [{"start": "25:00", "end": "14:30"}]}}
    assert _errors(validator, factory)

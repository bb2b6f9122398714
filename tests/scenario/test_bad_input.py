"""Every bad input gets a located error (file, field path, value, what was expected), exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nevsim.cli.app import app

GOOD = """name: bad
factory:
  takt: 76s
  stations:
    - {name: A, cycle: 60s}
    - {name: B, cycle: 70s}
"""

CASES = {
    "missing field": (GOOD.replace("  takt: 76s\n", ""), ["factory.takt", "Field required"]),
    "wrong unit": (GOOD.replace("cycle: 60s", "cycle: 60 parsecs"),
                   ["factory.stations[0].cycle", "unknown time unit 'parsecs'"]),
    "negative time": (GOOD.replace("cycle: 70s", "cycle: -5s"),
                      ["factory.stations[1].cycle", "-5s"]),
    "buffer between unknown stations": (
        GOOD + "  buffers:\n    - {between: [A, Z], capacity: 2}\n",
        ["factory.buffers[0].between", "no station named 'Z'"]),
    "buffer between non-adjacent stations": (
        GOOD + "    - {name: C, cycle: 60s}\n  buffers:\n    - {between: [A, C], capacity: 2}\n",
        ["factory.buffers[0].between", "does not directly follow"]),
    "rework target downstream": (
        GOOD.replace("{name: A, cycle: 60s}",
                     "{name: A, cycle: 60s, quality: {yield: 0.9, rework_to: B}}"),
        ["factory.stations[0].quality.rework_to", "downstream"]),
    "feeder to nowhere": (
        GOOD + "  feeders:\n    - {name: f, to: Nowhere, store: 5,"
        " stations: [{name: F, cycle: 9s}]}\n",
        ["factory.feeders[0].to", "feeds no main-line station", "'Nowhere'"]),
    "empty calendar": (
        GOOD + "  calendars:\n    c: {shifts: []}\n",
        ["factory.calendars.c", "at least one shift"]),
    "unknown distribution": (GOOD.replace("cycle: 60s", "cycle: {dist: gauss, mean: 60s}"),
                             ["factory.stations[0].cycle", "dist: deterministic"]),
    "yield above one": (GOOD.replace("{name: A, cycle: 60s}",
                                     "{name: A, cycle: 60s, quality: {yield: 1.5}}"),
                        ["factory.stations[0].quality.yield", "less than or equal to 1"]),
    "bad clock time": (GOOD + "  calendars:\n    c: {shifts: [{start: '25:00', end: '06:00'}]}\n",
                       ["factory.calendars.c.shifts[0].start", "HH:MM"]),
    "unknown shop": (GOOD.replace("{name: A, cycle: 60s}", "{name: A, cycle: 60s, shop: paint}"),
                     ["factory.stations[0].shop", "no such shop"]),
    "first station takes no time": (GOOD.replace("cycle: 60s", "cycle: 0s"),
                                    ["factory.stations[0].cycle", "must be positive"]),
    "failures without time between them": (
        GOOD.replace("{name: B, cycle: 70s}",
                     "{name: B, cycle: 70s, failures: {mtbf: 0s, mttr: 0s}}"),
        ["factory.stations[1].failures.mtbf", "must be positive"]),
    "not yaml": ("name: [unclosed\n", ["not valid YAML at line"]),
    "unknown key": (GOOD.replace("  takt: 76s", "  takt: 76s\n  tack: 3"),
                    ["factory.tack", "no field 'tack' here (did you mean 'takt'?)"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_scenario_gets_a_located_error_and_exit_2(case: str, tmp_path: Path) -> None:
    text, expected = CASES[case]
    path = tmp_path / "plant.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["factory", "simulate", str(path), "--no-report"])
    assert result.exit_code == 2, result.output
    message = " ".join(result.output.split())  # Rich may wrap long lines
    assert str(path) in message.replace(" ", "") or str(path) in message
    for fragment in expected:
        assert fragment in message, (fragment, message)
    assert "Traceback" not in result.output


def test_unknown_scenario_name_lists_the_built_ins() -> None:
    result = CliRunner().invoke(app, ["factory", "simulate", "nosuchplant"])
    assert result.exit_code == 2
    assert "yizhuang" in result.output


def test_bad_horizon_option_is_located() -> None:
    result = CliRunner().invoke(app, ["factory", "simulate", "yizhuang", "--horizon", "3 weeks"])
    assert result.exit_code == 2
    assert "--horizon" in result.output
    assert "unknown time unit" in result.output


def test_real_process_exits_2_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(CASES["rework target downstream"][0], encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "nevsim", "factory", "simulate", str(path)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "rework_to" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_key_given_twice_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "twice.yaml"
    path.write_text("name: x\nfactory:\n  takt: 76s\n  takt: 60s\n  stations: [{name: A, "
                    "cycle: 60s}]\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["factory", "simulate", str(path)])
    assert result.exit_code == 2
    assert "'takt' appears twice (line 3 and line 4)" in result.output


def test_yaml_1_2_exponents_are_numbers() -> None:
    from nevsim.scenario import yamlio

    assert yamlio.load("a: 1.5e5\nb: 2e-3\nc: 7\nd: 76s") == {"a": 150000.0, "b": 0.002,
                                                                  "c": 7, "d": "76s"}


@pytest.mark.parametrize(("text", "expected"), [
    ("name: t\nfactory:\n  takt: 76s\n  stations: [{name: Load, cycl: 60s}]\n",
     "factory.stations[0].cycl: no field 'cycl' here (did you mean 'cycle'?)"),
    ("name: t\nfactory:\n  takt: 76s\n  stations: [{name: Load, cycle: 60s}, {name: Weld, "
     "cycle: 60s}]\n  buffers: [{between: [Lod, Weld], capacity: 3}]\n",
     "no station named 'Lod' on this line (did you mean 'Load'?)"),
    ("name: t\nfactory:\n  takt: 76s\n  stations: [{name: A, cycle: 60s, shop: body}]\n"
     "  shops: [{name: bodyshop}]\n", "no such shop (did you mean 'bodyshop'?)"),
])
def test_a_misspelt_name_or_field_gets_a_suggestion(tmp_path: Path, text: str,
                                                    expected: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["factory", "simulate", str(path)])
    assert result.exit_code == 2
    assert expected in " ".join(result.output.split())


def test_a_misspelt_built_in_name_gets_a_suggestion() -> None:
    result = CliRunner().invoke(app, ["factory", "simulate", "yizhang"])
    assert result.exit_code == 2
    assert "did you mean 'yizhuang'?" in result.output
    assert "<root>" not in result.output

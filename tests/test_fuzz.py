"""Hostile and mutated input: a located error or a sound result, never a crash or a hang.

The case counts are a bounded budget for CI; `NEVSIM_FUZZ_CASES=10000` (and
`NEVSIM_FUZZ_CLI=300`) runs the long campaign. Every case is seeded, so a failure names the
case that reproduces it.
"""

from __future__ import annotations

import json
import math
import os
import random
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from nevsim.cli.app import app
from nevsim.document import scenario_from_dict, validate
from nevsim.factory import simulate
from nevsim.network import plan
from nevsim.scenario.errors import NevsimError, ScenarioError
from nevsim.scenario.reading import parse_yaml
from nevsim.store import RunStore
from tests.fuzzing import corrupt_text, mutate, seeds

CASES = int(os.environ.get("NEVSIM_FUZZ_CASES", "600"))
CLI_CASES = int(os.environ.get("NEVSIM_FUZZ_CLI", "40"))
ENGINE_EVERY = int(os.environ.get("NEVSIM_FUZZ_ENGINE_EVERY", "5"))  # engines: every 5th
STATES = ["working", "setup", "down", "blocked", "starved", "waiting_parts", "off_shift"]


def _sound_factory(scenario: Any, case: int) -> None:
    try:
        result = simulate(scenario, seed=case, replications=2, horizon=7200.0, warmup=0.0,
                          workers=1)
    except NevsimError:
        return  # refused as too large a run: a located error, not a crash
    json.dumps(result.to_dict(), allow_nan=False)  # no NaN or infinity escapes
    shares = result.stations[STATES]
    assert ((shares >= -1e-9) & (shares <= 1 + 1e-9)).all().all(), case
    assert (abs(shares.sum(axis=1) - 1) < 1e-6).all(), case
    capacity = result.stations["buffer_in_front"]
    assert (result.stations["mean_buffer_level"] <= capacity + 1e-9).all(), case
    assert (result.stations["utilization"].fillna(0) <= 1 + 1e-9).all(), case


def _sound_network(scenario: Any, case: int) -> None:
    result = plan(scenario, node_limit=20, time_limit=20)
    json.dumps(result.to_dict(), allow_nan=False)
    if result.has_plan:
        assert result.profit is not None and math.isfinite(result.profit), case
        assert (result.footprint["utilization"].dropna() <= 1 + 1e-6).all(), case
    else:
        assert result.explanation, case


def _sound_program(scenario: Any, case: int) -> None:
    from nevsim.program import simulate as sample

    result = sample(scenario, samples=200, seed=case, workers=1)
    json.dumps(result.to_dict(), allow_nan=False, default=str)
    levels = result.levels()
    assert all(math.isfinite(level.months) and level.cost >= 0 for level in levels), case
    assert [level.sop for level in levels] == sorted(level.sop for level in levels), case
    shares = result.schedule["criticality"].dropna()
    assert ((shares >= 0) & (shares <= 1)).all(), case
    assert (result.schedule["cruciality"].abs() <= 1 + 1e-9).all(), case


def test_mutated_scenarios_load_or_fail_located_and_run_soundly() -> None:
    rng = random.Random(20261127)
    base = seeds()
    seen: Counter[str] = Counter()
    started = time.perf_counter()
    for case in range(CASES):
        document = mutate(rng.choice(base), rng, rng.choice([1, 1, 2, 3]))
        try:
            scenario = scenario_from_dict(document, f"case {case}")
        except ScenarioError as exc:
            text = exc.render()
            assert text and len(text) < 50_000, case  # bounded, whatever was echoed
            assert all(p.message for p in exc.problems), case
            seen["refused"] += 1
            continue
        seen["valid"] += 1
        if seen["valid"] % ENGINE_EVERY:
            continue
        if scenario.factory is not None:
            _sound_factory(scenario, case)
            seen["simulated"] += 1
        if scenario.network is not None:
            _sound_network(scenario, case)
            seen["planned"] += 1
        if scenario.program is not None:
            _sound_program(scenario, case)
            seen["sampled"] += 1
    print(f"\n{CASES} cases in {time.perf_counter() - started:.0f} s: {dict(seen)}")
    assert seen["refused"] and seen["valid"]  # the mutations reach both outcomes


def test_corrupted_yaml_fails_located() -> None:
    rng = random.Random(7)
    texts = [yaml.safe_dump(d, allow_unicode=True) for d in seeds()]
    for case in range(CASES):
        text = corrupt_text(rng.choice(texts), rng)
        try:
            validate(parse_yaml(text, f"case {case}"), f"case {case}")
        except ScenarioError as exc:
            assert exc.render(), case


def test_mutated_files_through_the_cli_exit_cleanly_and_failures_record_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store_url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    monkeypatch.setenv("NEVSIM_STORE", store_url)
    rng = random.Random(99)
    base = seeds()
    runner = CliRunner()
    codes: Counter[int] = Counter()
    for case in range(CLI_CASES):
        document = mutate(rng.choice(base), rng, rng.randint(1, 3))
        path = tmp_path / f"case{case}.yaml"
        try:
            path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        except (yaml.YAMLError, ValueError):
            continue
        part = "network" if "network" in document else "factory"
        args = ["factory", "simulate", str(path), "--horizon", "2h", "--replications", "2",
                "--no-report", "--workers", "1"] if part == "factory" else \
            ["network", "solve", str(path), "--no-compare", "--no-report", "--time-limit", "20"]
        before = len(RunStore(store_url).runs(limit=100_000))
        result = runner.invoke(app, args)
        codes[result.exit_code] += 1
        assert result.exit_code in (0, 1, 2, 3), (case, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            (case, repr(result.exception))
        assert "Traceback" not in result.output, case
        after = len(RunStore(store_url).runs(limit=100_000))
        if result.exit_code in (2, 3):
            assert after == before, case  # a failed run records nothing
    print(f"\n{CLI_CASES} CLI cases: exit codes {dict(codes)}")

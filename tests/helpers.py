"""Small builders for test plants: a plain serial line must be short to write."""

from __future__ import annotations

from typing import Any

from nevsim.document import Scenario, scenario_from_dict
from nevsim.factory.compile import compile_plant
from nevsim.factory.engine import RawReplication, run_replication
from nevsim.factory.model import Plant


def plant(stations: list[dict[str, Any]], buffers: dict[tuple[str, str], int] | None = None,
          **factory: Any) -> Scenario:
    """A scenario with one plant: stations in flow order, buffers as {(up, down): capacity}."""
    body: dict[str, Any] = {"takt": "76s", **factory, "stations": stations}
    if buffers:
        body["buffers"] = [{"between": list(k), "capacity": v} for k, v in buffers.items()]
    return scenario_from_dict({"name": "test", "factory": body})


def serial(cycles: list[Any], capacity: int = 0, **factory: Any) -> Scenario:
    """Stations S0, S1, ... with the given cycle times and equal buffers."""
    stations = [{"name": f"S{i}", "cycle": c} for i, c in enumerate(cycles)]
    return plant(stations, default_buffer=capacity, **factory)


def trace(p: Plant, seed: int, horizon: float, visits: int = 5000, fails: int = 2000,
          exits: int = 5000) -> RawReplication:
    """One kernel run recording every draw and exit time."""
    return run_replication(compile_plant(p), seed, horizon, 0.0, visits, fails, exits)


def assert_located_error(args: list[str], path: Any, expected: list[str]) -> None:
    """The command exits 2 with a located message naming the file and each fragment."""
    from typer.testing import CliRunner

    from nevsim.cli.app import app

    run = CliRunner().invoke(app, args)
    assert run.exit_code == 2, run.output
    assert "Traceback" not in run.output
    text = " ".join(run.output.split())
    assert str(path) in text
    for fragment in expected:
        assert fragment in text, (fragment, text)

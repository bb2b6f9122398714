"""The analytic line evaluator against exact references; buffer allocation by enumeration.

Every split of a few places is scored with the exact Markov chain, and the search must find
the best one.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from nevsim.factory.analytic import Line, allocate, decomposition, exact, smallest_total
from tests.factory.test_markov import exact_throughput
from tests.helpers import plant


def _line(means: list[float], buffers: list[int], mtbf: list[float] | None = None,
          mttr: list[float] | None = None) -> Line:
    k = len(means)
    failure = np.zeros(k) if mtbf is None else 1.0 / np.array(mtbf)
    repair = np.ones(k) if mttr is None else 1.0 / np.array(mttr)
    return Line([f"S{i}" for i in range(k)], 1.0 / np.array(means), failure, repair, buffers)


def _random(seed: int, k: int) -> Line:
    rng = np.random.default_rng(seed)
    return _line(list(rng.uniform(50, 80, k)), [int(b) for b in rng.integers(0, 5, k - 1)],
                 list(rng.uniform(2000, 20000, k)), list(rng.uniform(100, 1000, k)))


@pytest.mark.parametrize(("means", "buffers"), [
    ([60.0, 70.0], [0, 2]), ([60.0, 60.0, 60.0], [0, 1, 3]), ([50.0, 70.0, 55.0], [0, 0, 2]),
    ([40.0, 90.0, 60.0, 50.0], [0, 2, 1, 0])])
def test_exact_chain_equals_the_independent_chain_of_reliable_lines(
        means: list[float], buffers: list[int]) -> None:
    """tests/factory/test_markov.py builds the same chain its own way (no failures)."""
    got = exact(_line(means, buffers[1:])).throughput
    assert got == pytest.approx(exact_throughput(means, buffers), rel=1e-9)


def test_one_unreliable_station_runs_at_its_availability() -> None:
    """Closed form: mu x r / (r + p): 1/60 a second, available 100 / (100 + 10)."""
    line = _line([60.0], [], [1000.0], [100.0])
    for estimate in (exact(line), decomposition(line)):
        assert estimate.throughput == pytest.approx(1 / 60 * 1000 / 1100, rel=1e-9)


@pytest.mark.parametrize("buffer", [0, 1, 4, 15])
def test_two_stations_decompose_into_their_own_exact_chain(buffer: int) -> None:
    """With one buffer the decomposition is its two-machine chain: equal to the full chain."""
    line = _line([60.0, 75.0], [buffer], [3000.0, 5000.0], [300.0, 200.0])
    assert decomposition(line).throughput == pytest.approx(exact(line).throughput, rel=1e-9)
    assert decomposition(line).buffer_levels == pytest.approx(exact(line).buffer_levels,
                                                              rel=1e-9, abs=1e-12)


def test_decomposition_error_against_the_exact_chain() -> None:
    """3-5 station lines: within 6% of the exact chain.

    Measured: unreliable lines -3.2% to -0.3% (mean |error| 1.4%); reliable lines with
    buffers of 0-3 places -0.9% to -5.4%, the largest with empty buffers (the exponential
    decomposition is known to be weakest there).
    """
    errors = []
    for seed in range(8):
        line = _random(seed, 3 + seed % 3 if seed % 3 < 2 else 3)
        errors.append(decomposition(line).throughput / exact(line).throughput - 1)
    rng = np.random.default_rng(0)
    for k in (3, 3, 3, 4, 4, 4, 5, 5, 5):
        line = _line(list(rng.uniform(50, 80, k)), [int(b) for b in rng.integers(0, 4, k - 1)])
        errors.append(decomposition(line).throughput / exact(line).throughput - 1)
    assert max(abs(e) for e in errors) < 0.06, errors


def test_long_repairs_become_the_pseudo_machines_failures() -> None:
    """Repairs of 10-40 min and buffers of 5-24 places: within 2% of the exact chain.

    A station starved behind a repair waits as long as the repair; read as a slower
    processing rate (rate absorption, this module's earlier scheme) the wait spreads
    over every part, and the estimate was up to 10% high on these lines. As the pseudo-
    machine's failures it is within 1.4% (measured, mean 0.4%).
    """
    rng = np.random.default_rng(1)
    errors = []
    for _ in range(12):
        k = int(rng.integers(3, 5))
        means = list(rng.uniform(50, 70, k))
        mtbf = list(rng.uniform(3600, 30000, k))
        mttr = list(rng.uniform(600, 2400, k))
        buffers = [int(b) for b in rng.integers(5, 25 if k == 3 else 10, k - 1)]
        line = _line(means, buffers, mtbf, mttr)
        errors.append(decomposition(line).throughput / exact(line).throughput - 1)
    assert max(abs(e) for e in errors) < 0.02, errors


def test_decomposition_against_simulation_of_a_longer_line() -> None:
    """Eight unreliable exponential stations with small buffers: within 7% of the kernel.

    Measured +5.8% (33.1 jph simulated, 35.0 estimated); the exact chain of the first three
    and four of these stations is within the simulation's interval, so the gap is the
    decomposition's.
    """
    from nevsim.factory import simulate

    rng = np.random.default_rng(4)
    means = rng.uniform(55, 70, 8)
    mtbf = rng.uniform(3000, 9000, 8)
    mttr = rng.uniform(120, 600, 8)
    caps = [int(c) for c in rng.integers(1, 6, 7)]
    stations = [{"name": f"S{i}", "cycle": {"dist": "exponential", "mean": float(m)},
                 "failures": {"mtbf": {"dist": "exponential", "mean": float(f)},
                              "mttr": {"dist": "exponential", "mean": float(r)}}}
                for i, (m, f, r) in enumerate(zip(means, mtbf, mttr, strict=True))]
    scenario = plant(stations, {(f"S{i}", f"S{i + 1}"): c for i, c in enumerate(caps)})
    simulated = simulate(scenario, seed=3, replications=10, horizon=20 * 86400.0,
                         warmup=86400.0, workers=1)
    estimated = decomposition(_line(list(means), caps, list(mtbf), list(mttr))).jph
    assert estimated == pytest.approx(simulated.jph.mean, rel=0.07)


def _compositions(total: int, parts: int) -> list[list[int]]:
    return [[b - a - 1 for a, b in itertools.pairwise((-1, *cut, total + parts - 1))]
            for cut in itertools.combinations(range(total + parts - 1), parts - 1)]


@pytest.mark.parametrize(("seed", "stations", "total"), [
    (0, 3, 4), (1, 3, 7), (2, 4, 5), (3, 4, 6), (5, 4, 8)])
def test_allocation_finds_the_true_optimum_of_every_split(seed: int, stations: int,
                                                          total: int) -> None:
    """Every split of `total` places scored by the exact chain: the search finds the best."""
    line = _random(seed, stations)

    def score(candidate: Line) -> float:
        return exact(candidate).throughput

    best = max(score(line.with_buffers(split)) for split in _compositions(total,
                                                                          stations - 1))
    found, throughput = allocate(line, total, score)
    assert sum(found) == total
    assert throughput == pytest.approx(best, rel=1e-12)


def test_smallest_total_reaching_a_target() -> None:
    """The fewest places reaching 97% of the best of 8 places, against enumeration."""
    line = _random(7, 3)

    def score(candidate: Line) -> float:
        return exact(candidate).throughput

    target = 0.97 * max(score(line.with_buffers(s)) for s in _compositions(8, 2))
    fewest = next(t for t in range(9) if max(
        score(line.with_buffers(s)) for s in _compositions(t, 2)) >= target)
    found = smallest_total(line, target, score)
    assert found is not None and sum(found[0]) == fewest and found[1] >= target


def test_buffer_command_splits_places_and_confirms_by_simulation(tmp_path: Path) -> None:
    """The search's split of 6 places beats the current one, in simulation too.

    Three unreliable exponential stations, the middle one slowest; the designs are
    simulated with common random numbers.
    """
    import json

    import yaml
    from typer.testing import CliRunner

    from nevsim.cli.app import app

    stations = [{"name": n, "cycle": {"dist": "exponential", "mean": m},
                 "failures": {"mtbf": {"dist": "exponential", "mean": 4000},
                              "mttr": {"dist": "exponential", "mean": 300}}}
                for n, m in (("A", 50), ("B", 60), ("C", 50))]
    data = {"name": "three", "factory": {"takt": "60s", "stations": stations,
                                         "default_buffer": 1}}
    path = tmp_path / "three.yaml"
    path.write_text(yaml.safe_dump(data))
    run = CliRunner().invoke(app, ["factory", "buffers", str(path), "--total", "6",
                                   "--confirm", "4", "--horizon", "5d", "--json"])
    assert run.exit_code == 0, run.output
    designs = {d["design"]: d for d in json.loads(run.stdout)["designs"]}
    search, current = designs["search"], designs["current"]
    assert sum(search["buffers"]) == 6 and current["buffers"] == [1, 1]
    assert search["estimated_jph"] > current["estimated_jph"]
    assert search["vs_current_low"] > 0  # better beyond the noise, paired by replication
    bad = CliRunner().invoke(app, ["factory", "buffers", str(path)])
    assert bad.exit_code == 2 and "--total" in bad.output


@pytest.mark.parametrize(("stations", "caps", "tolerance"), [
    (5, [2, 1, 3, 2], 0.04), (8, [3, 3, 3, 3, 5, 3, 2], 0.03)])
def test_constant_cycles_flow_in_units_closer_to_simulation(stations: int, caps: list[int],
                                                            tolerance: float) -> None:
    """Constant cycles with breakdowns: six units a part come near the kernel.

    The exponential reading is 20-25% low; six units a part come within 2.6% (5 stations)
    and 1.3% (8 stations) of the kernel (measured).
    """
    from nevsim.factory import simulate
    from nevsim.factory.analytic import line_of

    rng = np.random.default_rng(11)
    if stations == 8:
        rng.uniform(55, 70, 5), rng.uniform(3000, 9000, 5), rng.uniform(120, 600, 5)
    means = rng.uniform(55, 70, stations)
    mtbf = rng.uniform(3000, 9000, stations)
    mttr = rng.uniform(120, 600, stations)
    spec = [{"name": f"S{i}", "cycle": float(m),
             "failures": {"mtbf": {"dist": "exponential", "mean": float(f)},
                          "mttr": {"dist": "exponential", "mean": float(r)}}}
            for i, (m, f, r) in enumerate(zip(means, mtbf, mttr, strict=True))]
    scenario = plant(spec, {(f"S{i}", f"S{i + 1}"): c for i, c in enumerate(caps)})
    assert scenario.factory is not None
    line = line_of(scenario.factory)
    assert line.granularity == 6
    simulated = simulate(scenario, seed=3, replications=10, horizon=20 * 86400.0,
                         warmup=86400.0, workers=1).jph.mean
    assert decomposition(line).jph == pytest.approx(simulated, rel=tolerance)
    assert decomposition(line, granularity=1).jph < 0.85 * simulated


@pytest.mark.parametrize(("seed", "share"), [(2, 0.97), (7, 0.95)])
def test_least_cost_buffers_against_enumeration(seed: int, share: float) -> None:
    """The cheapest buffers reaching a target, within 5% of enumeration.

    Three stations, two buffers at 1 and 2.5 a place: every pair of sizes (0-40, 0-16) is
    scored by the exact chain; the search meets the target within 5% of the cheapest pair.

    The search is a heuristic (greedy by gain per cost, then drops and moves to cheaper
    buffers). Measured: +2.0% (seed 2) and the cheapest (seed 7) here; on seeds 6 and 9 (at
    99% and 98% of the best) the cheapest and +1.5%.
    """
    from nevsim.factory.analytic import least_cost

    line = _random(seed, 3)
    cost = [1.0, 2.5]

    def score(candidate: Line) -> float:
        return exact(candidate).throughput

    splits = list(itertools.product(range(41), range(17)))
    best = max(score(line.with_buffers(list(s))) for s in splits)
    target = share * best
    cheapest = min(s[0] * cost[0] + s[1] * cost[1] for s in splits
                   if score(line.with_buffers(list(s))) >= target)
    found = least_cost(line, target, score, cost)
    assert found is not None and found[1] >= target
    paid = found[0][0] * cost[0] + found[0][1] * cost[1]
    assert cheapest <= paid <= 1.05 * cheapest


def test_cycle_spread_and_the_units_a_part_flows_in() -> None:
    """Squared coefficients of variation from each law's closed form, and the units they give.

    Normal sd 6 on 60: 0.01; uniform 100-120: 20^2 / 12 / 110^2; triangular 50-60-80:
    (a^2 + b^2 + c^2 - ab - ac - bc) / 18 / mean^2; exponential 1; a constant 0.
    Spread 0.64 gives round(1 / 0.64) = 2 units; anything below 1/3, three (the most).
    """
    from nevsim.factory.analytic import _scv, line_of

    def law(text: dict[str, object]) -> object:
        from tests.helpers import plant as one

        scenario = one([{"name": "S", "cycle": text}])
        assert scenario.factory is not None
        return scenario.factory.stations[0].cycle

    assert _scv(law({"dist": "normal", "mean": 60, "sd": 6})) == pytest.approx(0.01)
    assert _scv(law({"dist": "uniform", "min": 100, "max": 120})) == pytest.approx(
        400 / 12 / 110 ** 2)
    a, c, b = 50.0, 60.0, 80.0
    assert _scv(law({"dist": "triangular", "min": a, "mode": c, "max": b})) == pytest.approx(
        (a * a + b * b + c * c - a * b - a * c - b * c) / 18 / ((a + b + c) / 3) ** 2)
    assert _scv(law({"dist": "exponential", "mean": 60})) == 1.0
    assert _scv(law(60)) == 0.0
    spread = plant([{"name": "S", "cycle": {"dist": "normal", "mean": 60, "sd": 48}},
                    {"name": "T", "cycle": {"dist": "normal", "mean": 60, "sd": 48}}])
    assert spread.factory is not None and line_of(spread.factory).granularity == 2
    steady = plant([{"name": "S", "cycle": {"dist": "normal", "mean": 60, "sd": 35}}])
    assert steady.factory is not None and line_of(steady.factory).granularity == 3  # 1/0.34
    constant = plant([{"name": "S", "cycle": 60}])
    assert constant.factory is not None and line_of(constant.factory).granularity == 6  # most


def test_a_target_met_at_a_stated_confidence_in_simulation(tmp_path: Path) -> None:
    """A target met at 95% in simulation, not only in the estimate.

    The estimate's fewest places reach 49 jph in the chain but not at 95% in simulation:
    the design grows until the simulated lower bound (recomputed here) reaches the target.
    """
    import json

    import yaml
    from scipy import stats
    from typer.testing import CliRunner

    from nevsim.cli.app import app

    stations = [{"name": n, "cycle": {"dist": "exponential", "mean": m},
                 "failures": {"mtbf": {"dist": "exponential", "mean": 4000},
                              "mttr": {"dist": "exponential", "mean": 300}}}
                for n, m in (("A", 50), ("B", 60), ("C", 50))]
    path = tmp_path / "three.yaml"
    path.write_text(yaml.safe_dump({"name": "three", "factory": {
        "takt": "60s", "stations": stations, "default_buffer": 1}}))
    args = ["factory", "buffers", str(path), "--target-jph", "49", "--confirm", "4",
            "--horizon", "5d", "--json"]
    plain = json.loads(CliRunner().invoke(app, args).stdout)
    run = CliRunner().invoke(app, [*args, "--confidence", "0.95"])
    assert run.exit_code == 0, run.output
    sure = json.loads(run.stdout)
    first = next(d for d in plain["designs"] if d["design"] == "search")
    final = next(d for d in sure["designs"] if d["design"] == "search")
    assert sum(final["buffers"]) > sum(first["buffers"])
    assert any("step(s) of places added" in note for note in sure["notes"])
    assert final["lower_bound"] >= 49
    half = (final["high"] - final["low"]) / 2  # the two-sided 95% half-width
    sd_over_root_n = half / stats.t.ppf(0.975, 3)
    assert final["lower_bound"] == pytest.approx(
        final["simulated_jph"] - stats.t.ppf(0.95, 3) * sd_over_root_n, rel=1e-9)
    bad = CliRunner().invoke(app, ["factory", "buffers", str(path), "--total", "4",
                                   "--confidence", "0.95"])
    assert bad.exit_code == 2 and "--confidence" in bad.output


def test_work_content_is_taken_at_its_mean_over_the_mix() -> None:
    """S1: 60 s, 30 s more for option X (share 0.4), 10 s more for model B (share 0.25).

    A mean of 60 + 12 + 2.5 = 74.5 s with line stops; with utility workers it keeps its 60 s.
    """
    from nevsim.document import scenario_from_dict
    from nevsim.factory.analytic import line_of

    def plant(overload: str) -> Line:
        scenario = scenario_from_dict({"name": "mix", "factory": {
            "takt": "76s", "stations": [
                {"name": "S1", "cycle": "60s", "work_content": {"X": "30s", "B": "10s"}},
                {"name": "S2", "cycle": "50s"}],
            "variants": {"models": [{"name": "A", "share": 0.75}, {"name": "B", "share": 0.25}],
                         "options": [{"name": "X", "share": 0.4, "rule": "1:2"}],
                         "colours": [{"name": "white", "share": 1.0}],
                         "overload": overload}}})
        assert scenario.factory is not None
        return line_of(scenario.factory)

    stops = plant("line-stop")
    assert 1.0 / stops.rate == pytest.approx([74.5, 50.0])
    assert any("work content" in note for note in stops.notes)
    helped = plant("utility-worker")
    assert 1.0 / helped.rate == pytest.approx([60.0, 50.0])

"""The smart factory's workflow: simulate, report and record a plant; sweep one field.

`sweep` answers "how big must this buffer be" or "what does this failure rate cost": every
variant uses the same seed (common random numbers), so the differences between variants are
not drowned by sampling noise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from nevsim.document import Scenario, variants
from nevsim.factory.results import FactoryResult
from nevsim.factory.simulation import simulate
from nevsim.records import records
from nevsim.scenario.units import Seconds
from nevsim.store import RunStore
from nevsim.workflow.common import Run, load, open_store, report_path

Progress = Callable[[int, int], None]


def run(
    scenario: str | Path | Scenario,
    *,
    seed: int = 0,
    replications: int | None = None,
    horizon: Seconds | None = None,
    warmup: Seconds | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    report_dir: Path | None = Path("out"),
    store: RunStore | str | None = None,
    record: bool = True,
    cluster: str | None = None,
) -> Run[FactoryResult]:
    """Simulate a plant, write its HTML report into `report_dir` and record the run.

    `store` is a run store or its URL (default: $NEVSIM_STORE or .nevsim/runs.sqlite);
    `record=False` or `report_dir=None` skip those steps. A run that fails records nothing.
    `cluster` runs the replications on a Dask cluster (or $NEVSIM_CLUSTER when set).
    """
    from nevsim.experiments.executors import close, executor

    loaded = load(scenario, "factory")
    runs = open_store(store, record)
    path = report_path(report_dir, "factory", loaded.name) if report_dir else None
    runner = executor(cluster, workers)
    try:
        result = simulate(loaded, seed=seed, replications=replications, horizon=horizon,
                          warmup=warmup, progress=progress, runner=runner)
    finally:
        close(runner)
    if path is not None:
        from nevsim.report.factory import write_html

        write_html(result, path)
    run_id = None
    if runs is not None:
        parameters = {"replications": result.jph.replications, "horizon_s": result.horizon,
                      "warmup_s": result.warmup, "report": str(path) if path else None}
        run_id = runs.record("factory", result.scenario, loaded.model_dump_json(), seed,
                             parameters, result.summary())
    return Run(loaded, result, path, run_id, runs.shown_url if runs else None)


@dataclass(frozen=True)
class Sweep:
    """One row per value, where its report is, and its run id."""

    table: pd.DataFrame
    report: Path | None
    run_id: int | None
    store: str | None


def sweep(
    scenario_ref: str | Path,
    path: str,
    values: list[Any],
    *,
    seed: int = 0,
    replications: int | None = None,
    horizon: Seconds | None = None,
    warmup: Seconds | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    report_dir: Path | None = Path("out"),
    store: RunStore | str | None = None,
    record: bool = True,
) -> Sweep:
    """Simulate the plant once per value of the field at `path`, with the same seed.

    One row per value: takt verdict, time between vehicles and JPH with intervals, the
    bottleneck. The sweep writes its report and is recorded like a single run.
    """
    scenarios = variants(scenario_ref, path, values)  # all validated before any is simulated
    runs = open_store(store, record)
    name = scenarios[0].name
    out = report_path(report_dir, "factory-sweep", name) if report_dir else None
    rows = []
    for i, (value, scenario) in enumerate(zip(values, scenarios, strict=True)):
        result = simulate(scenario, seed=seed, replications=replications, horizon=horizon,
                          warmup=warmup, workers=workers)
        rows.append({
            "value": value,
            "takt": result.verdict.value,
            "interdeparture_s": result.interdeparture.mean,
            "interdeparture_ci95_low": result.interdeparture.low,
            "interdeparture_ci95_high": result.interdeparture.high,
            "jph_on_shift": result.jph_on_shift.mean,
            "jph_on_shift_ci95_low": result.jph_on_shift.low,
            "jph_on_shift_ci95_high": result.jph_on_shift.high,
            "annual_output": result.annual_output.mean,
            "bottleneck": result.bottleneck,
        })
        if progress is not None:
            progress(i + 1, len(values))
    table = pd.DataFrame(rows)
    if out is not None:
        from nevsim.report.sweep import write_factory_sweep

        assert scenarios[0].factory is not None
        write_factory_sweep(table, name, path, scenarios[0].factory.takt, out)
    run_id = None
    if runs is not None:
        run_id = runs.record("factory-sweep", name, scenarios[0].model_dump_json(), seed,
                             {"path": path, "values": values, "horizon_s": horizon,
                              "replications": replications,
                              "report": str(out) if out else None},
                             {"rows": records(table)})
    return Sweep(table, out, run_id, runs.shown_url if runs else None)


@dataclass(frozen=True)
class BufferDesign:
    """Buffer designs side by side: the search's, equal shares of its total, and the current.

    `table` has one row per design: buffers, the estimated jph, and (when confirmed) the
    simulated jph with its interval and the paired difference from the current design
    (common random numbers: every design simulated with the same seed).
    """

    table: pd.DataFrame
    buffer_names: list[str]
    method: str
    notes: list[str]


def estimate(scenario: str | Path | Scenario, method: str = "auto") -> Any:
    """The analytic throughput estimate of a plant's main line (`nevsim.factory.analytic`)."""
    from nevsim.factory.analytic import estimate as estimated

    loaded = load(scenario, "factory")
    assert loaded.factory is not None
    return estimated(loaded.factory, method)


def buffers(
    scenario: str | Path | Scenario,
    *,
    total: int | None = None,
    target_jph: float | None = None,
    step: int = 1,
    cost_per_place: list[float] | None = None,
    confirm: int = 0,
    confidence: float | None = None,
    seed: int = 0,
    horizon: Seconds | None = None,
    workers: int | None = None,
) -> BufferDesign:
    """The best split of `total` places, or the fewest places reaching `target_jph`.

    With `cost_per_place` (one cost for every buffer, or one a buffer in flow order), the
    target is reached at the least cost instead of with the fewest places.

    The search scores designs analytically (the exact chain for short lines, else the
    decomposition); `confirm` > 0 simulates the designs with that many replications each,
    with the same seed, to check the choice. With `confidence` (0.95) and a target, the
    search's design grows, `step` places at a time by the same search, until its simulated
    throughput's one-sided lower confidence bound reaches the target.
    """
    from nevsim.experiments.experiment import interval, lower_bound
    from nevsim.factory.analytic import (
        allocate,
        cheapest_step,
        chosen_method,
        decomposition,
        exact,
        least_cost,
        line_of,
        smallest_total,
    )
    from nevsim.factory.model import Buffer
    from nevsim.scenario.errors import Problem, UsageError

    loaded = load(scenario, "factory")
    plant = loaded.factory
    assert plant is not None
    line = line_of(plant)
    if (total is None) == (target_jph is None):
        raise UsageError([Problem("--total", "give --total (places to split) or --target-jph "
                                  "(throughput to reach), one of them")])
    method = chosen_method(line)

    def score(candidate: Any) -> float:
        return (exact if method == "exact" else decomposition)(candidate).throughput

    costs = None
    if cost_per_place is not None:
        costs = cost_per_place * len(line.buffers) if len(cost_per_place) == 1 else \
            list(cost_per_place)
        if len(costs) != len(line.buffers) or target_jph is None:
            raise UsageError([Problem("--cost-per-place", f"one cost, or one for each of the "
                                      f"{len(line.buffers)} buffers, with --target-jph",
                                      cost_per_place)])
    if total is not None:
        chosen, _ = allocate(line, total, score, step)
    else:
        assert target_jph is not None
        found = (smallest_total(line, target_jph / 3600.0, score, step=step) if costs is None
                 else least_cost(line, target_jph / 3600.0, score, costs))
        if found is None:
            raise UsageError([Problem("--target-jph", "no split of up to 1,000 places reaches "
                                      "it in the estimate; the bottleneck station limits the "
                                      "line", target_jph)])
        chosen = found[0]
    notes = list(line.notes)
    named = {tuple(b.between): b.name for b in plant.buffers}
    pairs = list(zip(line.names, line.names[1:], strict=False))

    def simulated_jph(split: list[int]) -> Any:
        variant = plant.model_copy(update={"buffers": [
            Buffer(between=pair, capacity=c, name=named.get(pair))
            for pair, c in zip(pairs, split, strict=True)]})
        return simulate(variant, seed=seed, replications=confirm, horizon=horizon,
                        workers=workers, station_statistics=False).replications.jph.to_numpy()

    if confidence is not None:
        if target_jph is None or confirm < 2 or not 0.5 <= confidence < 1:
            raise UsageError([Problem("--confidence", "a confidence from 0.5 to below 1 needs "
                                      "--target-jph and --confirm of 2 or more replications",
                                      confidence)])
        grown = 0
        while lower_bound(simulated_jph(chosen), confidence) < target_jph:
            if grown >= MOST_GROWTH:
                raise UsageError([Problem("--target-jph", f"{MOST_GROWTH} more steps of "
                                          f"{step} place(s) did not reach it at "
                                          f"{confidence:.0%} in simulation", target_jph)])
            grown += 1
            chosen = (allocate(line, sum(chosen) + step, score, step)[0] if costs is None
                      else cheapest_step(chosen, lambda b: score(line.with_buffers(b)), costs))
        if grown:
            notes.append(f"the estimate's design fell short of {target_jph:g} jph at "
                         f"{confidence:.0%} in simulation; {grown} step(s) of places added")
    places = sum(chosen)
    k = len(chosen)
    equal = [places // k + (1 if i < places % k else 0) for i in range(k)]
    designs = {"search": chosen, "equal shares": equal, "current": list(line.buffers)}
    names = [f"{a} -> {b}" for a, b in zip(line.names, line.names[1:], strict=False)]
    rows = [{"design": name, "buffers": split, "places": sum(split),
             "cost": None if costs is None else sum(c * b for c, b in zip(costs, split,
                                                                          strict=True)),
             "estimated_jph": score(line.with_buffers(split)) * 3600.0}
            for name, split in designs.items()]
    if confirm > 0:

        simulated = {name: simulated_jph(split) for name, split in designs.items()}
        for row in rows:
            runs = simulated[str(row["design"])]
            row["simulated_jph"] = float(runs.mean())
            row["low"], row["high"] = interval(runs)
            diff = runs - simulated["current"]
            row["vs_current"] = float(diff.mean())
            row["vs_current_low"], row["vs_current_high"] = interval(diff)
            if confidence is not None:
                row["lower_bound"] = lower_bound(runs, confidence)
    return BufferDesign(pd.DataFrame(rows), names, method, notes)


MOST_GROWTH = 50
"""Steps a confirmed design may grow by before the target counts as out of reach."""


ORDER_BOOK = 1000
"""Orders drawn from the mix shares when no order book is given (a day and a half at 76 s)."""


@dataclass(frozen=True)
class SimulatedSequence:
    """A policy's sequence built again and again in the simulation, and its rate.

    The difference from FIFO is paired by replication (the same seed: common random numbers).
    """

    jph: Any  # Estimate, jobs an hour while the last shop works
    gain: float  # mean jobs an hour more than FIFO
    gain_low: float
    gain_high: float

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"jph_on_shift": self.jph.as_dict(), "jph_more_than_fifo": self.gain,
                "jph_more_than_fifo_low": self.gain_low, "jph_more_than_fifo_high":
                self.gain_high}


@dataclass(frozen=True)
class SequencePlan:
    """The policies compared on one order book, and where the optimized sequence went."""

    scenario: str
    source: str  # the order book's file, or how it was drawn
    orders: list[Any]  # nevsim.factory.orders.Order, in booking order
    goals: list[str]
    results: list[Any]  # nevsim.factory.orders.PolicyResult per policy, fifo first
    moves: int
    seed: int
    seconds: float  # the optimizer's wall time
    written: Path | None
    priorities: dict[str, str]  # option name -> "high" or "low"
    simulated: dict[str, Any] | None = None  # policy -> SimulatedSequence (with --simulate)
    report: Path | None = None  # the HTML report

    def result(self, policy: str) -> Any:
        """The result of one policy by name."""
        return next(r for r in self.results if r.policy.value == policy)

    @property
    def overloads(self) -> bool:
        """Whether the plant has stations with work content, so each sequence overloads some."""
        first = self.results[0].overload
        return first is not None and bool(first.stations)

    @property
    def line_stops(self) -> bool:
        """Whether the line stops for an overload (else a utility worker takes it)."""
        return self.overloads and bool(self.results[0].overload.mode.value == "line-stop")

    def broken(self, result: Any, priority: str) -> int:
        """Violations of the option rules of one priority in a policy's sequence."""
        return sum(n for name, n in result.score.violations.items()
                   if self.priorities[name] == priority)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "scenario": self.scenario, "source": self.source, "orders": len(self.orders),
            "goals": self.goals, "moves": self.moves, "seed": self.seed,
            "optimizer_seconds": self.seconds,
            "sequence_file": str(self.written) if self.written else None,
            "report": str(self.report) if self.report else None,
            "policies": [{
                "policy": r.policy.value, "objective": r.score.objective,
                "violations": r.score.violations,
                "high_priority_violations": self.broken(r, "high"),
                "low_priority_violations": self.broken(r, "low"),
                "colour_changes": r.score.colour_changes,
                "change_cost": r.score.change_cost, "batches": r.batches.count,
                "mean_batch": r.batches.mean, "longest_batch": r.batches.longest,
                "purge_hours": r.purge_hours, "purge_cost_usd": r.purge_cost,
                "simulated": (self.simulated[r.policy.value].to_dict() if self.simulated
                              else None),
                "overload": {
                    "mode": r.overload.mode.value, "hours": r.overload.hours,
                    "utility_cost_usd": r.overload.cost, "jph": r.overload.jph,
                    "stations": [{"station": s, "overload_s": sec, "cars": n}
                                 for s, sec, n in zip(r.overload.stations, r.overload.seconds,
                                                      r.overload.events, strict=True)],
                },
            } for r in self.results],
        }


def sequence(
    scenario: str | Path | Scenario,
    *,
    orders: Path | None = None,
    count: int = ORDER_BOOK,
    seed: int = 0,
    moves: int = 2_000_000,
    out: Path | None = None,
    simulate_for: Seconds | None = None,
    replications: int = 3,
    workers: int | None = None,
    report_dir: Path | None = None,
) -> SequencePlan:
    """Sequence an order book (a CSV, or `count` orders drawn from the mix) by each policy.

    The optimized sequence starts from the booking order and is written to `out` as a CSV.
    With `simulate_for` (a horizon), each policy's sequence is also simulated, built again and
    again, with the same seed and `replications`, and compared with FIFO replication by
    replication. With `report_dir`, the HTML report goes there.
    """
    import time

    from nevsim.factory import orders as book
    from nevsim.factory.model import Policy
    from nevsim.factory.sequence_files import read_orders, write_sequence
    from nevsim.factory.sequencing import optimize
    from nevsim.scenario.errors import Problem, ScenarioError, UsageError

    loaded = load(scenario, "factory")
    assert loaded.factory is not None
    variants = loaded.factory.variants
    if variants is None:
        raise ScenarioError([Problem("factory.variants", "the plant has no variants; add its "
                                     "models, options and colours to sequence orders")],
                            loaded.name)
    if count < 2:
        raise UsageError([Problem("--count", "at least 2 orders to sequence", count)])
    if moves < 0:
        raise UsageError([Problem("--moves", "0 or more moves", moves)])
    if orders is not None:
        booked = read_orders(orders, variants)
        source = str(orders)
    else:
        booked = book.draw_orders(variants, count, seed)
        source = f"{count:,} orders drawn from the mix, seed {seed}"
    problem = book.problem(variants, booked, loaded.name)
    started = time.perf_counter()
    found = optimize(problem, seed=seed, moves=moves)
    seconds = time.perf_counter() - started
    sequences = [(policy, found.order if policy is Policy.OPTIMIZED
                  else book.policy_order(variants, booked, policy)) for policy in Policy]
    results = [book.judge(variants, booked, policy, order, problem, loaded.factory)
               for policy, order in sequences]
    simulated = None
    if simulate_for is not None:
        from nevsim.experiments.experiment import interval

        runs = {policy.value: simulate(loaded, cars=[booked[i] for i in order], seed=seed,
                                       replications=replications, horizon=simulate_for,
                                       workers=workers)
                for policy, order in sequences}
        fifo = runs[Policy.FIFO.value].replications["jph_on_shift"].to_numpy()
        simulated = {}
        for name, run in runs.items():
            gain = run.replications["jph_on_shift"].to_numpy() - fifo
            low, high = interval(gain)
            simulated[name] = SimulatedSequence(run.jph_on_shift, float(gain.mean()), low, high)
    if out is not None:
        write_sequence(out, booked, found.order)
    plan = SequencePlan(loaded.name, source, booked, [g.value for g in variants.goals],
                        results, moves, seed, seconds, out,
                        {o.name: o.priority.value for o in variants.options}, simulated)
    if report_dir is not None:
        from nevsim.report.sequence import write_html

        path = report_path(report_dir, "sequence", loaded.name, "--report-dir")
        plan = replace(plan, report=write_html(plan, path))
    return plan

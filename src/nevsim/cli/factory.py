"""`nevsim factory ...`: a thin shell over `nevsim.workflow.factory`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from nevsim.cli.common import (
    emit_json,
    emit_run,
    examples,
    group,
    handled,
    print_where,
    progress_bar,
    stdout,
)

app = group("The smart factory: takt, bottleneck, buffers, failures, OEE.")

Scenario = Annotated[str, typer.Argument(help="A YAML file or a built-in scenario name.")]
Seed = Annotated[int, typer.Option(min=0, help="Random seed; the same seed gives the same "
                                   "numbers.")]
Replications = Annotated[int | None, typer.Option(min=1, help="Independent replications.")]
Horizon = Annotated[str | None, typer.Option(help="Calendar time to simulate: 8h, 30d, 1y.")]
Warmup = Annotated[str | None, typer.Option(help="Start-up time left out of the statistics.")]
Json = Annotated[bool, typer.Option("--json", help="Print the full result as JSON on stdout.")]
Out = Annotated[Path, typer.Option(help="Folder for the HTML report.")]
NoReport = Annotated[bool, typer.Option("--no-report", help="Do not write the HTML report.")]
Workers = Annotated[int | None, typer.Option(min=1, help="Local processes (default: chosen by "
                                             "the size of the run).")]


def simulate_and_print(scenario: str, seed: int, replications: int | None,
                       horizon: str | None, warmup: str | None, as_json: bool, out: Path,
                       report: bool, workers: int | None, cluster: str | None = None) -> None:
    """Run the factory workflow and print its summary (or JSON)."""
    from nevsim.report.factory import print_summary
    from nevsim.scenario.units import seconds
    from nevsim.workflow import factory as workflow

    with handled(), progress_bar("simulating", enabled=not as_json) as progress:
        done = workflow.run(scenario, seed=seed, replications=replications,
                            horizon=seconds(horizon, "--horizon"),
                            warmup=seconds(warmup, "--warmup", zero=True), workers=workers,
                            progress=progress, report_dir=out if report else None,
                            cluster=cluster)
    if as_json:
        emit_run(done.result.to_dict(), done.report, done.run_id)
        return
    print_summary(done.result, stdout)
    print_where(done.report, done.run_id, done.store)


@app.command("simulate", epilog=examples(
    "nevsim factory simulate yizhuang --horizon 14d --replications 3 --seed 7",
    "nevsim factory simulate yizhuang --horizon 2d --replications 2 --json --no-report"))
def simulate_command(
    scenario: Scenario,
    seed: Seed = 0,
    replications: Replications = None,
    horizon: Horizon = None,
    warmup: Warmup = None,
    as_json: Json = False,
    out: Out = Path("out"),
    no_report: NoReport = False,
    workers: Workers = None,
    cluster: Annotated[str | None, typer.Option(
        help="A Dask scheduler (tcp://HOST:PORT) or `local`; default: $NEVSIM_CLUSTER, else "
        "the local process pool.")] = None,
) -> None:
    """Simulate a plant and say whether it holds its takt, where the bottleneck is, the OEE."""
    simulate_and_print(scenario, seed, replications, horizon, warmup, as_json, out,
                       not no_report, workers, cluster)


@app.command("sweep", epilog=examples(
    "nevsim factory sweep yizhuang --set 'factory.buffers[name=painted-body store]"
    ".capacity=50,100,150' --horizon 7d --replications 2",
    "nevsim factory sweep yizhuang --set factory.default_buffer=1,4 --horizon 2d"))
def sweep_command(
    scenario: Scenario,
    set_: Annotated[str, typer.Option("--set", help="PATH=V1,V2,... e.g. "
                    "'factory.buffers[name=sealed-body buffer].capacity=2,10,40'")],
    seed: Seed = 0,
    replications: Replications = None,
    horizon: Horizon = None,
    warmup: Warmup = None,
    as_json: Json = False,
    workers: Workers = None,
    out: Out = Path("out"),
    no_report: NoReport = False,
) -> None:
    """Simulate the plant once per value of one field (same seed for all: common random numbers)."""
    from nevsim.records import records
    from nevsim.scenario.overrides import parse_set
    from nevsim.scenario.units import seconds
    from nevsim.workflow import factory as workflow

    with handled(), progress_bar("sweeping", enabled=not as_json) as progress:
        path, values = parse_set(set_)
        done = workflow.sweep(scenario, path, values, seed=seed, replications=replications,
                              horizon=seconds(horizon, "--horizon"),
                              warmup=seconds(warmup, "--warmup", zero=True), workers=workers,
                              progress=progress, report_dir=None if no_report else out)
    table = done.table
    if as_json:
        emit_json({"path": path, "rows": records(table),
                   "report": str(done.report) if done.report else None,
                   "run_id": done.run_id})
        return
    shown = Table(title=escape(f"{scenario}: {path}"))
    for col in ("value", "takt", "s between vehicles", "JPH on shift", "annual output",
                "bottleneck"):
        shown.add_column(col, justify="left" if col in ("value", "bottleneck") else "right")
    for row in table.itertuples():
        shown.add_row(escape(str(row.value)), str(row.takt),
                    f"{row.interdeparture_s:.1f} [{row.interdeparture_ci95_low:.1f}, "
                    f"{row.interdeparture_ci95_high:.1f}]",
                    f"{row.jph_on_shift:.1f}", f"{row.annual_output:,.0f}",
                    escape(str(row.bottleneck)))
    stdout.print(shown)
    print_where(done.report, done.run_id, done.store)


@app.command("estimate", epilog=examples("nevsim factory estimate yizhuang --json"))
def estimate_command(
    scenario: Scenario,
    method: Annotated[str, typer.Option(help="auto, exact (short lines) or decomposition.")
                      ] = "auto",
    as_json: Json = False,
) -> None:
    """Estimate the main line's throughput analytically, in milliseconds to seconds."""
    from nevsim.scenario.errors import Problem, UsageError
    from nevsim.workflow import factory as workflow

    with handled():
        if method not in ("auto", "exact", "decomposition"):
            raise UsageError([Problem("--method", "auto, exact or decomposition", method)])
        found = workflow.estimate(scenario, method)
    if as_json:
        emit_json({"jph": found.jph, "method": found.method, "iterations": found.iterations,
                   "buffer_levels": found.buffer_levels, "notes": found.notes})
        return
    stdout.print(f"Estimated throughput: [bold]{found.jph:,.2f} jobs an hour[/bold] "
                 f"({escape(found.method)}).")
    for note in found.notes:
        stdout.print(f"  - {escape(note)}")


@app.command("buffers", epilog=examples(
    "nevsim factory buffers my-plant.yaml --total 12 --confirm 5 --horizon 7d"))
def buffers_command(
    scenario: Scenario,
    total: Annotated[int | None, typer.Option(min=0, help="Places to split.")] = None,
    target_jph: Annotated[float | None, typer.Option(
        min=0.0, help="Throughput to reach with the fewest places.")] = None,
    step: Annotated[int, typer.Option(min=1, help="Places moved at a time (1: the best "
                                      "split; more for long lines).")] = 1,
    cost_per_place: Annotated[str | None, typer.Option(
        help="With --target-jph: cost of a place, one for all buffers or one each in flow "
        "order (`1,2.5,1`); the target is then met at the least cost.")] = None,
    confirm: Annotated[int, typer.Option(min=0, help="Replications to simulate each design "
                                         "with (0: estimate only).")] = 0,
    confidence: Annotated[float | None, typer.Option(
        help="With --target-jph and --confirm: grow the design until the simulated jph "
        "reaches the target at this confidence (0.95).")] = None,
    seed: Seed = 0,
    horizon: Horizon = None,
    workers: Workers = None,
    as_json: Json = False,
) -> None:
    """Design the buffers: the best split of a total, or the fewest places for a throughput."""
    from nevsim.records import records
    from nevsim.scenario.overrides import parse_values
    from nevsim.workflow import factory as workflow

    with handled():
        costs = None if cost_per_place is None else [float(v) for v in
                                                     parse_values(cost_per_place)]
        design = workflow.buffers(scenario, total=total, target_jph=target_jph, step=step,
                                  cost_per_place=costs, confirm=confirm,
                                  confidence=confidence, seed=seed, horizon=horizon,
                                  workers=workers)
    if as_json:
        emit_json({"buffers": design.buffer_names, "method": design.method,
                   "designs": records(design.table), "notes": design.notes})
        return
    table = Table(title=f"Buffer designs ({escape(design.method)} estimate)")
    table.add_column("design")
    table.add_column("places", justify="right")
    priced = design.table["cost"].notna().any()
    if priced:
        table.add_column("cost", justify="right")
    table.add_column("estimated jph", justify="right")
    confirmed = "simulated_jph" in design.table
    bounded = "lower_bound" in design.table
    if confirmed:
        table.add_column("simulated jph (95% CI)", justify="right")
        table.add_column("vs current (paired 95% CI)", justify="right")
    if bounded:
        table.add_column("lower bound", justify="right")
    for row in design.table.to_dict("records"):
        cells = [str(row["design"]), str(row["places"]),
                 *([f"{row['cost']:,.2f}"] if priced else []), f"{row['estimated_jph']:,.2f}"]
        if confirmed:
            cells += [f"{row['simulated_jph']:,.2f} ({row['low']:,.2f} to {row['high']:,.2f})",
                      f"{row['vs_current']:+,.2f} ({row['vs_current_low']:+,.2f} to "
                      f"{row['vs_current_high']:+,.2f})"]
        if bounded:
            cells.append(f"{row['lower_bound']:,.2f}")
        table.add_row(*cells)
    stdout.print(table)
    best = design.table.iloc[0]
    stdout.print("Search: " + ", ".join(f"{escape(n)} {c}" for n, c in zip(
        design.buffer_names, best["buffers"], strict=True)))
    for note in design.notes:
        stdout.print(f"  - {escape(note)}")


@app.command("sequence", epilog=examples(
    "nevsim factory sequence yizhuang --count 500 --seed 3 --out out/sequence.csv",
    "nevsim factory sequence yizhuang --orders out/sequence.csv --moves 0 --json",
    "nevsim factory sequence yizhuang --simulate 30d --replications 3"))
def sequence_command(
    scenario: Scenario,
    orders: Annotated[Path | None, typer.Option(
        help="Order book CSV: order, model, colour (and trim, options joined by +), one car "
        "a line in booking order. Default: orders drawn from the mix shares.")] = None,
    count: Annotated[int, typer.Option(min=2, help="Orders to draw when no --orders is "
                                       "given.")] = 1000,
    seed: Seed = 0,
    moves: Annotated[int, typer.Option(min=0, help="Moves of the optimizer; more is better "
                                       "and slower (2,000,000: about 3 s for 1,000 orders).")
                     ] = 2_000_000,
    out: Annotated[Path, typer.Option(help="CSV file for the optimized sequence.")
                   ] = Path("out/sequence.csv"),
    simulate_for: Annotated[str | None, typer.Option(
        "--simulate", help="Also simulate each policy's sequence over this horizon (30d), "
        "built again and again, and compare the line rates.")] = None,
    replications: Replications = None,
    as_json: Json = False,
    report_dir: Annotated[Path, typer.Option(help="Folder for the HTML report.")
                          ] = Path("out"),
    no_report: NoReport = False,
) -> None:
    """Sequence an order book: option rules, colour changes and batches, by four policies."""
    from nevsim.scenario.units import seconds
    from nevsim.workflow import factory as workflow

    with handled():
        plan = workflow.sequence(scenario, orders=orders, count=count, seed=seed, moves=moves,
                                 out=out, simulate_for=seconds(simulate_for, "--simulate"),
                                 replications=replications or 3,
                                 report_dir=None if no_report else report_dir)
    if as_json:
        emit_json(plan.to_dict())
        return
    stdout.print(f"[bold]{escape(plan.scenario)}[/bold]: {escape(plan.source)}; goals "
                 f"{escape(' > '.join(plan.goals))}.")
    table = Table(title="Sequencing policies on the same order book", box=box.SIMPLE_HEAD)
    table.add_column("policy", no_wrap=True)
    for column in ("rules\nbroken\nhigh", "rules\nbroken\nlow", "colour\nchanges",
                   "batch\nmean\n(cars)", "batch\nmax\n(cars)", "purge\n(h)", "purge\n(kUSD)"):
        table.add_column(column, justify="right", min_width=len(max(column.split(), key=len)))
    for r in plan.results:
        table.add_row(r.policy.value, f"{plan.broken(r, 'high'):,}",
                      f"{plan.broken(r, 'low'):,}", f"{r.score.colour_changes:,}",
                      f"{r.batches.mean:,.1f}", f"{r.batches.longest:,}",
                      f"{r.purge_hours:,.1f}", f"{r.purge_cost / 1000:,.1f}")
    stdout.print(table)
    if plan.overloads:
        stops = plan.line_stops
        costs = Table(title=f"What each sequence costs the stations with work content "
                      f"({'the line stops' if stops else 'utility workers help'})",
                      box=box.SIMPLE_HEAD)
        costs.add_column("policy", no_wrap=True)
        for column in ("overloaded\ncars", "overload\n(h)",
                       "line rate\n(JPH)" if stops else "utility\n(USD)"):
            costs.add_column(column, justify="right")
        for r in plan.results:
            o = r.overload
            costs.add_row(r.policy.value, f"{sum(o.events):,}", f"{o.hours:,.2f}",
                          f"{o.jph:,.2f}" if stops else f"{o.cost:,.0f}")
        stdout.print(costs)
    if plan.simulated:
        sims = Table(title="Each sequence built again and again in the simulation "
                     "(the same seed)", box=box.SIMPLE_HEAD)
        sims.add_column("policy", no_wrap=True)
        for column in ("jobs an hour\nwhile working", "more than FIFO\n(95% interval)"):
            sims.add_column(column, justify="right")
        for name, sim in plan.simulated.items():
            sims.add_row(name, f"{sim.jph.mean:,.2f}",
                         f"{sim.gain:+,.2f} ({sim.gain_low:+,.2f} to {sim.gain_high:+,.2f})"
                         if name != "fifo" else "")
        stdout.print(sims)
    worst = {name: n for name, n in plan.result("optimized").score.violations.items() if n}
    if worst:
        stdout.print("Rules the optimized sequence still breaks: "
                     + escape(", ".join(f"{name} {n:,}" for name, n in worst.items())) + ".")
    stdout.print(f"Optimized in {plan.seconds:,.1f} s ({plan.moves:,} moves, seed {plan.seed}); "
                 f"sequence written to {escape(str(plan.written))}.")
    print_where(plan.report, None, None)

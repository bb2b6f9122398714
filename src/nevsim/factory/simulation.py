"""simulate(): replications of the kernel, turned into the answers of a FactoryResult."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from nevsim.experiments.executors import DaskCluster, LocalPool
from nevsim.factory.blocks import to_tau
from nevsim.factory.compile import CompiledLine, compile_plant
from nevsim.factory.engine import HOUR, RawReplication, replication_seeds, run_replication
from nevsim.factory.model import Plant
from nevsim.factory.orders import Order, sequenced
from nevsim.factory.results import FactoryResult, TaktVerdict, estimate, takt_verdict
from nevsim.scenario.errors import Problem, ScenarioError, UsageError
from nevsim.scenario.units import Seconds, format_duration, seconds

if TYPE_CHECKING:  # the scenario document sits above the parts
    from nevsim.document import Scenario

YEAR = 365 * 86400.0
Progress = Callable[[int, int], None]


def simulate(
    scenario: Scenario | Plant,
    *,
    seed: int = 0,
    replications: int | None = None,
    horizon: Seconds | None = None,
    warmup: Seconds | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    runner: LocalPool | DaskCluster | None = None,
    cars: list[Order] | None = None,
    station_statistics: bool = True,
) -> FactoryResult:
    """Simulate a plant: independent replications over the horizon, statistics after warm-up.

    Durations are seconds or text with a unit (`"14d"`). Arguments left as None take the
    scenario's values, except that the scenario's warm-up is dropped when a shorter horizon
    is asked for (a warm-up given here must fit). `workers` None times the first replication
    and runs the rest on as many local processes as pay off on the cores free now. The same
    seed gives the same numbers, whatever the number of workers; `runner` (an executor, such
    as a Dask cluster) runs the replications in place of the local pool.

    A plant with `variants` builds `cars` in turn, again and again (default: its order book
    drawn with `seed` and sequenced by its policy).

    Without `station_statistics` a run keeps the line's outputs only (the replications table:
    throughput, exits, scrap, work in process), the same numbers in about two thirds of the
    time: what experiments and buffer searches read. Station states, buffer levels and the
    bottleneck are then left blank (NaN).
    """
    plant, name = _plant_of(scenario)
    horizon_s = seconds(horizon, "horizon") or plant.horizon
    warmup_s = seconds(warmup, "warmup", zero=True)
    notes = []
    if warmup_s is None:
        warmup_s = plant.warmup if plant.warmup < horizon_s else 0.0
        if plant.warmup >= horizon_s > 0 and plant.warmup > 0:
            notes.append(f"The horizon ({format_duration(horizon_s)}) is not longer than the "
                         f"scenario's warm-up ({format_duration(plant.warmup)}): statistics "
                         "start at time 0 and include the start-up of an empty line.")
    replications = plant.replications if replications is None else replications
    if warmup_s >= horizon_s:
        raise UsageError([Problem("warmup", f"warm-up must be shorter than the horizon "
                                  f"({horizon_s:g} s)", warmup)])
    if replications < 1:
        raise UsageError([Problem("replications", "need at least one replication",
                                  replications)])
    if seed < 0:
        raise UsageError([Problem("seed", "a seed is a whole number >= 0", seed)])
    _check_size(plant, horizon_s, replications)
    if plant.variants is not None and cars is None:
        cars = sequenced(plant, seed)
        notes.append(f"Mixed-model line: {len(cars):,} orders drawn from the mix shares, "
                     f"sequenced {plant.variants.policy.value}, built in turn again and again.")
    line = compile_plant(plant, cars)
    tasks = [(line, rep_seed, horizon_s, warmup_s, station_statistics)
             for rep_seed in replication_seeds(seed, replications)]
    pool = runner or LocalPool(workers)
    raws = pool.map(_replicate, tasks, progress)
    result = summarize(name, plant, line, raws, seed, horizon_s, warmup_s, notes,
                       station_statistics)
    return replace(result, workers=pool.workers)


MOST_VISITS = 5e9
"""Station visits a run may take: several minutes of the kernel. More is a typo (a horizon in
seconds meant as days, a cycle of milliseconds) or a job to split."""


def _check_size(plant: Plant, horizon: float, replications: int) -> None:
    """Refuse a run that would take hours: visits = the line's rate x horizon x stations."""
    stations = [*plant.stations, *(s for f in plant.feeders for s in f.stations)]
    rate = min(s.servers / max(s.cycle.mean(), 1e-9) for s in plant.stations)  # per second
    visits = rate * horizon * len(stations) * replications
    if visits > MOST_VISITS:
        raise UsageError([Problem("horizon", f"this run would take about {visits:.2g} station "
                                  f"visits (the line makes up to {rate * 3600:.3g} vehicles an "
                                  f"hour); nevsim runs up to {MOST_VISITS:.0e}: shorten the "
                                  "horizon, use fewer replications, or check the cycle times' "
                                  "units", format_duration(horizon))])


def _replicate(task: tuple[CompiledLine, int, float, float, bool]) -> RawReplication:
    line, rep_seed, horizon, warmup, station_statistics = task
    return run_replication(line, rep_seed, horizon, warmup,
                           station_statistics=station_statistics).compact(len(line.names))


def _plant_of(scenario: Scenario | Plant) -> tuple[Plant, str]:
    if isinstance(scenario, Plant):
        return scenario, "plant"
    if scenario.factory is None:
        raise ScenarioError([Problem("factory", "this scenario has no factory section; add "
                                     "one or pick a scenario with it")], scenario.name)
    return scenario.factory, scenario.name


def _on_shift(compiled: CompiledLine, k: int, t: float) -> float:
    line = compiled.line
    return float(to_tau(int(line.station[k]["calendar"]), t, line.calendar, line.interval))


def summarize(
    name: str,
    plant: Plant,
    line: CompiledLine,
    raws: list[RawReplication],
    seed: int,
    horizon: float,
    warmup: float,
    notes: list[str] | None = None,
    station_statistics: bool = True,
) -> FactoryResult:
    """Turn raw replications into the tables and estimates of a FactoryResult."""
    window = horizon - warmup
    last = line.main - 1
    n = len(line.names)
    on_window = np.array([_on_shift(line, k, horizon) - _on_shift(line, k, warmup)
                          for k in range(n)])
    reps = []
    for i, raw in enumerate(raws):
        totals = raw.totals[0]
        exits = int(totals["exits_in_window"])
        first, last_exit = totals["first_exit"], totals["last_exit"]
        gap = float("nan")
        if exits > 1:
            gap = (_on_shift(line, last, last_exit) - _on_shift(line, last, first)) / (exits - 1)
        reps.append({
            "replication": i,
            "jph": exits / window * HOUR,
            "jph_on_shift": exits / on_window[last] * HOUR if on_window[last] > 0 else 0.0,
            "interdeparture_s": gap,
            "vehicles": exits,
            "started": int(totals["started"]),
            "finished": int(totals["finished"]),
            "scrapped": int(totals["scrapped"]),
            "wip_end": int(totals["in_process_at_end"]),
        })
    rep_frame = pd.DataFrame(reps)
    stations = _station_table(line, raws, window, on_window)
    if not station_statistics:
        stations[BOOKED_PER_STATION] = np.nan
    shops = _shop_table(line, raws, stations, window)
    jph = estimate(rep_frame["jph"].to_numpy())
    interdeparture = estimate(rep_frame["interdeparture_s"].fillna(np.inf).to_numpy())
    hours = np.arange(len(raws[0].outputs.per_hour))
    clock = np.array([_on_shift(line, last, h * HOUR) for h in range(len(hours) + 1)])
    output = pd.DataFrame({
        "hour": hours,
        "vehicles": np.mean([r.outputs.per_hour for r in raws], axis=0),
        "on_shift_s": np.diff(clock),  # seconds of the hour the last station's shop works
    })
    buffers = _buffer_table(line, raws)
    if not station_statistics:
        buffers.loc[:, buffers.columns != "time_h"] = np.nan
    buffer_stats = _buffer_stats(line, stations, buffers)
    diagnostics = {
        "late_merges": int(sum(r.totals["late_merges"][0] for r in raws)),
        "reworks": int(sum(r.totals["reworks"][0] for r in raws)),
    }
    bottleneck = _bottleneck(stations) if station_statistics else ""
    verdict = takt_verdict(interdeparture, plant.takt)
    notes = list(notes or [])
    if window < 7 * 86400.0:
        notes.append(f"The statistics cover {format_duration(window)}: annual and weekly "
                     "output extrapolate less than a week of simulated time.")
    if verdict is TaktVerdict.CANNOT_TELL:
        notes.append("The takt verdict needs a tighter interval: " + (
            "run at least 2 replications." if len(raws) < 2 else
            "its 95% interval contains the takt; run more replications or a longer horizon."))
    return FactoryResult(
        scenario=name,
        takt=plant.takt,
        horizon=horizon,
        warmup=warmup,
        seed=seed,
        jph=jph,
        jph_on_shift=estimate(rep_frame["jph_on_shift"].to_numpy()),
        interdeparture=interdeparture,
        verdict=verdict,
        annual_output=estimate(rep_frame["jph"].to_numpy() * YEAR / HOUR),
        weekly_output=estimate(rep_frame["jph"].to_numpy() * 168.0),
        daily_output=estimate(rep_frame["jph"].to_numpy() * 24.0),
        bottleneck=bottleneck,
        robots=plant.robots_total(),
        stations=stations,
        shops=shops,
        replications=rep_frame,
        output=output,
        buffers=buffers,
        buffer_stats=buffer_stats,
        diagnostics=diagnostics,
        notes=notes,
        mix=_mix_table(line, raws, window),
        store=_store_table(line, raws),
    )


def _mix_table(line: CompiledLine, raws: list[RawReplication], window: float) -> pd.DataFrame:
    """Per car class: its share of the sequence and the cars made an hour (replication mean)."""
    if not line.classes:
        return pd.DataFrame()
    made = np.mean([r.outputs.class_exits for r in raws], axis=0)
    share = np.bincount(line.line.sequence, minlength=len(line.classes)) / len(line.line.sequence)
    return pd.DataFrame({
        "model": [c[0] for c in line.classes],
        "colour": [c[1] for c in line.classes],
        "options": ["+".join(sorted(c[2])) for c in line.classes],
        "share_of_sequence": share,
        "jph": made * 3600.0 / window,
    })


def _store_table(line: CompiledLine, raws: list[RawReplication]) -> pd.DataFrame:
    """The resequencing store: the order of the bodies coming in against the order handed on.

    Per 1,000 bodies (replication means): bodies behind one planned after them (`late`), and
    cars over the option rules' limits, window by window (`high`, `low` priority).
    """
    if int(line.line.store[0]["at"]) == 0:
        return pd.DataFrame()
    rows = []
    for side, label in (("in", "coming in"), ("out", "handed on")):
        cars = np.array([float(r.store[0][f"cars_{side}"]) for r in raws])
        per = 1000.0 / np.maximum(cars, 1.0)

        def rate(field: str, side: str = side, per: np.ndarray = per) -> float:
            return float(np.mean([r.store[0][f"{field}_{side}"] for r in raws] * per))

        rows.append({"side": label, "bodies": float(cars.mean()),
                     "late_per_1000": rate("late"), "high_per_1000": rate("high"),
                     "low_per_1000": rate("low")})
    return pd.DataFrame(rows)


BOOKED_PER_STATION = ["working", "setup", "down", "blocked", "starved", "waiting_parts",
                      "utilization", "availability", "performance", "oee",
                      "mean_buffer_level", "mean_active_period_s", "bottleneck_share"]
"""Station columns a run without station statistics leaves blank."""


def _bottleneck(stations: pd.DataFrame) -> str:
    """The station that is the momentary bottleneck for the largest share of time.

    A station is the momentary bottleneck while its current active period (working, in
    setup or down with all servers occupied) is the longest of all (the active-period method).
    """
    column = "bottleneck_share" if stations["bottleneck_share"].sum() > 0 \
        else "mean_active_period_s"
    return str(stations["station"].iloc[int(np.argmax(stations[column]))])


def _station_table(line: CompiledLine, raws: list[RawReplication], window: float,
                   on_window: np.ndarray) -> pd.DataFrame:
    def mean(field: str) -> np.ndarray:
        values: np.ndarray = np.mean([r.stats[field] for r in raws], axis=0)
        return values

    servers = line.servers.astype(float)
    capacity = servers * window
    planned = servers * on_window
    work, setup, down = mean("work"), mean("setup"), mean("down")
    done = mean("done")
    defects = mean("defects")
    active_count = mean("active_count")
    with np.errstate(divide="ignore", invalid="ignore"):
        availability = np.where(planned > 0, (planned - down) / planned, np.nan)
        performance = np.where(planned - down > 0,
                               line.ideal_cycle * done / (planned - down), np.nan)
        quality = np.where(done > 0, (done - defects) / done, 1.0)
        active_mean = np.where(active_count > 0, mean("active_sum") / active_count, 0.0)
    counts = np.sum([r.bottleneck_counts(len(line.names)) for r in raws], axis=0)
    share = counts / max(int(counts.sum()), 1)
    return pd.DataFrame({
        "station": line.names,
        "line": line.lines,
        "shop": line.shops,
        "servers": line.servers,
        "robots": line.robots,
        "buffer_in_front": line.buffer_capacity,
        "buffer_name": line.buffer_names,
        "working": work / capacity,
        "setup": setup / capacity,
        "down": down / capacity,
        "blocked": mean("blocked") / capacity,
        "starved": mean("starved") / capacity,
        "waiting_parts": mean("waiting_parts") / capacity,
        "off_shift": 1.0 - on_window / window,
        "utilization": (work + setup) / np.where(planned > 0, planned, np.nan),
        "availability": availability,
        "performance": performance,
        "quality": quality,
        "oee": availability * performance * quality,
        "visits": done,
        "defects": defects,
        "scrapped": mean("scrapped"),
        "mean_buffer_level": mean("queued") / window,
        "purges": mean("purges"),
        "utility_work_h": mean("utility_work") / 3600.0,
        "mean_active_period_s": active_mean,
        "bottleneck_share": share,
    })


def _shop_table(line: CompiledLine, raws: list[RawReplication], stations: pd.DataFrame,
                window: float) -> pd.DataFrame:
    wip = np.mean([r.outputs.shop["wip"] for r in raws], axis=0) / window
    lead_sum = np.mean([r.outputs.shop["lead"] for r in raws], axis=0)
    exits = np.mean([r.outputs.shop["exits"] for r in raws], axis=0)
    rows = []
    for s, shop in enumerate(line.shop_names):
        mine = stations[stations["shop"] == shop]
        main = bool((mine["line"] == "main").any())
        lead = lead_sum[s] / exits[s] if exits[s] > 0 else float("nan")
        rate = exits[s] / window
        rows.append({
            "shop": shop,
            "stations": len(mine),
            "robots": int(mine["robots"].sum()),
            "oee": float(mine["oee"].mean()),
            "main_line": main,
            "wip": wip[s] if main else float("nan"),
            "lead_time_s": lead if main else float("nan"),
            "exits_per_hour": rate * HOUR if main else float("nan"),
            "littles_law_wip": rate * lead if main else float("nan"),
        })
    return pd.DataFrame(rows)


def _buffer_stats(line: CompiledLine, stations: pd.DataFrame,
                  levels: pd.DataFrame) -> pd.DataFrame:
    """Each buffer and feeder store in flow order: places, mean level and fill, peak level."""
    rows = []
    for k in range(1, line.main):
        if line.buffer_capacity[k] > 0:
            name = line.buffer_names[k]
            rows.append(("buffer", name, line.buffer_capacity[k],
                         float(stations["mean_buffer_level"].iloc[k]), name))
    for f, feeder in enumerate(line.feeder_names):
        rows.append(("feeder store", f"{feeder} store", line.feeder_stores[f],
                     float(levels[f"{feeder} store"].mean()), f"{feeder} store"))
    frame = pd.DataFrame(rows, columns=["kind", "name", "capacity", "mean_level", "column"])
    frame["mean_fill"] = frame["mean_level"] / frame["capacity"]
    frame["peak_level"] = [float(levels[c].max()) for c in frame["column"]]
    return frame.drop(columns=["column"])


def _buffer_table(line: CompiledLine, raws: list[RawReplication]) -> pd.DataFrame:
    levels = np.mean([r.outputs.buffer_levels for r in raws], axis=0)
    dt = raws[0].buffer_dt
    frame = {"time_h": np.arange(levels.shape[1]) * dt / HOUR}
    for k in range(1, line.main):
        if line.buffer_capacity[k] > 0:
            frame[line.buffer_names[k]] = levels[k]
    for f, name in enumerate(line.feeder_names):
        frame[f"{name} store"] = levels[line.main + f]
    return pd.DataFrame(frame)

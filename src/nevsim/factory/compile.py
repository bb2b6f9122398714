"""Lower a validated Plant into the flat arrays the kernel reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nevsim.factory.calendar import WEEK
from nevsim.factory.model import (
    FailureMode,
    FailureScope,
    Goal,
    Overload,
    Plant,
    Priority,
    Retrieval,
    Station,
)
from nevsim.factory.orders import Order, mix
from nevsim.factory.structs import (
    CALENDAR,
    DISTRIBUTION,
    FAIL_NONE,
    FAIL_OPERATION,
    FAIL_TIME,
    FEEDER,
    INTERVAL,
    RECENT,
    RETRIEVE_FIFO,
    RETRIEVE_SEQUENCE,
    RETRIEVE_SPACING,
    RULE,
    STATION,
    STORE,
    Line,
)
from nevsim.scenario.distributions import AnyDistribution, Deterministic, Exponential

IMPLICIT_SHOP = "line"


@dataclass
class _Distributions:
    kinds: list[int] = field(default_factory=list)
    params: list[tuple[float, float, float]] = field(default_factory=list)
    offsets: list[int] = field(default_factory=lambda: [0])
    values: list[float] = field(default_factory=list)

    def add(self, dist: AnyDistribution) -> int:
        kind, params, samples = dist.kernel_code()
        self.kinds.append(kind)
        self.params.append(params)
        self.values.extend(samples)
        self.offsets.append(len(self.values))
        return len(self.kinds) - 1


@dataclass(frozen=True)
class CompiledLine:
    """A plant as kernel arrays (`line`), with the names needed to read the results back."""

    line: Line
    names: list[str]
    lines: list[str]          # "main" or the feeder's name, per station
    shops: list[str]          # shop name per station
    shop_names: list[str]     # shops in index order
    ring_size: int            # departure rings of all stations
    n_slots: int              # server slots of all stations
    taken_size: int           # rings of parts taken from feeder stores
    buffer_capacity: list[int]   # in front of each station (main and feeder lines)
    buffer_names: list[str]      # its name in the scenario, or "upstream -> station"
    feeder_names: list[str]
    feeder_stores: list[int]
    ideal_cycle: np.ndarray
    servers: np.ndarray
    robots: np.ndarray
    calendar_of_station: list[str | None]
    classes: list[tuple[str, str, frozenset[str]]]  # (model, colour, options) per car class

    @property
    def main(self) -> int:
        """Number of main-line stations (they come first)."""
        return self.line.main


def _pow2(n: int) -> int:
    return 1 << max(1, int(n - 1).bit_length())


def compile_plant(plant: Plant, cars: list[Order] | None = None) -> CompiledLine:
    """Flatten the plant: main line first, then each feeder's stations."""
    stations: list[Station] = list(plant.stations)
    lines = ["main"] * len(stations)
    shop_of = [s.shop or IMPLICIT_SHOP for s in plant.stations]
    caps = [0] + [_buffer_capacity(plant.buffers, plant.default_buffer, a.name, b.name)
                  for a, b in zip(plant.stations, plant.stations[1:], strict=False)]
    buffer_names = [""] + [_buffer_name(plant.buffers, a.name, b.name)
                           for a, b in zip(plant.stations, plant.stations[1:], strict=False)]
    ff, fl, ft, fq, fs = [], [], [], [], []
    main_index = {s.name: i for i, s in enumerate(plant.stations)}
    for feeder in plant.feeders:
        ff.append(len(stations))
        stations.extend(feeder.stations)
        fl.append(len(stations) - 1)
        lines.extend([feeder.name] * len(feeder.stations))
        default_shop = feeder.shop or IMPLICIT_SHOP
        shop_of.extend(s.shop or default_shop for s in feeder.stations)
        caps.append(0)
        caps.extend(_buffer_capacity(feeder.buffers, plant.default_buffer, a.name, b.name)
                    for a, b in zip(feeder.stations, feeder.stations[1:], strict=False))
        buffer_names.append("")
        buffer_names.extend(_buffer_name(feeder.buffers, a.name, b.name)
                            for a, b in zip(feeder.stations, feeder.stations[1:], strict=False))
        ft.append(main_index[feeder.to])
        fq.append(feeder.parts_per_vehicle)
        fs.append(feeder.store)

    shop_names = list(dict.fromkeys(shop_of))
    calendar_names = [c for c in plant.calendars]
    shop_calendar = {s.name: s.calendar for s in plant.shops}

    # calendars: one weekly pattern each
    cp, co, cio, starts, ends, cums = [], [], [0], [], [], []
    for name in calendar_names:
        intervals = plant.calendars[name].working_intervals()
        cum = 0.0
        for a, b in intervals:
            starts.append(a)
            ends.append(b)
            cums.append(cum)
            cum += b - a
        cp.append(WEEK)
        co.append(cum)
        cio.append(len(starts))

    dists = _Distributions()
    zero = dists.add(Deterministic(value=0.0))
    n = len(stations)
    col: dict[str, list[float]] = {name: [0] * n for name in STATION.names or ()}
    col["yield_"] = [1.0] * n
    col["scrap"] = [0.0] * n
    ring_off = 0
    slot_off = 0
    feeder_last = {last: i for i, last in enumerate(fl)}
    main = len(plant.stations)
    for k, st in enumerate(stations):
        col["servers"][k] = st.servers
        col["cycle"][k] = dists.add(st.cycle)
        col["mtbf"][k] = col["mttr"][k] = zero
        col["failure_mode"][k] = FAIL_NONE
        if st.failures is not None:
            mtbf = st.failures.mtbf
            if st.failures.per is FailureScope.ROBOT:
                mtbf = Exponential.model_validate(
                    {"dist": "exponential", "mean": mtbf.mean() / max(st.robots, 1)})
            col["mtbf"][k] = dists.add(mtbf)
            col["mttr"][k] = dists.add(st.failures.mttr)
            col["failure_mode"][k] = (FAIL_TIME if st.failures.mode is FailureMode.TIME
                                      else FAIL_OPERATION)
        col["repair"][k] = zero
        col["setup"][k] = zero
        if st.batch is not None:
            col["lot_size"][k] = st.batch.lot_size
            col["setup"][k] = dists.add(st.batch.changeover)
        cal = shop_calendar.get(shop_of[k])
        col["calendar"][k] = calendar_names.index(cal) if cal is not None else -1
        col["rework_to"][k] = k + 1
        if st.quality is not None:
            col["yield_"][k] = st.quality.yield_
            col["scrap"][k] = st.quality.scrap
            if st.quality.rework_to is not None:
                col["rework_to"][k] = main_index[st.quality.rework_to]
            col["repair"][k] = dists.add(st.quality.repair_time)
        col["buffer"][k] = caps[k]
        need = caps[k] + st.servers + 2
        if k in feeder_last:
            f = feeder_last[k]
            need += fs[f] + fq[f]
        size = _pow2(need)
        col["ring_from"][k] = ring_off
        col["ring_mask"][k] = size - 1
        ring_off += size
        col["first_server"][k] = slot_off
        slot_off += st.servers
        col["shop"][k] = shop_names.index(shop_of[k])
        col["ends_shop"][k] = int(k < main - 1 and shop_of[k + 1] != shop_of[k])
        col["fed_by"][k] = ft.count(k)
    taken_from = [0]
    taken_mask = []
    for f in range(len(ff)):
        size = _pow2(fs[f] + fq[f] + 2)
        taken_mask.append(size - 1)
        taken_from.append(taken_from[-1] + size)

    def i64(values: list[int]) -> np.ndarray:
        return np.asarray(values, dtype=np.int64)

    def f64(values: list[float]) -> np.ndarray:
        return np.asarray(values, dtype=np.float64)

    names = [s.name for s in stations]
    if cars is not None and plant.variants is not None:
        mixed = mix(plant, cars, names)
        variant_work, sequence, colour, purge = mixed.work, mixed.sequence, mixed.colour, \
            mixed.purge
        booth = plant.variants.paint.booth
        col["paints"][:main] = [int(s.name == booth) for s in plant.stations]
        col["utility"][:main] = [int(plant.variants.overload is Overload.UTILITY)] * main
        classes = mixed.classes
    else:  # one kind of car
        variant_work, sequence = np.zeros((n, 1)), np.zeros(1, dtype=np.int64)
        colour, purge = np.zeros(1, dtype=np.int64), np.zeros((1, 1))
        classes = []
    rules, marks = _spacing_rules(plant, classes)
    line = Line(
        main=main,
        station=_records(STATION, col, n),
        dist=_records(DISTRIBUTION, {
            "kind": dists.kinds, "p0": [p[0] for p in dists.params],
            "p1": [p[1] for p in dists.params], "p2": [p[2] for p in dists.params],
            "samples_from": dists.offsets[:-1], "samples_to": dists.offsets[1:]},
            len(dists.kinds)),
        samples=f64(dists.values) if dists.values else np.zeros(1),
        calendar=_records(CALENDAR, {"period": cp, "on_shift": co, "first": cio[:-1],
                                     "stop": cio[1:]}, len(cp)),
        interval=_records(INTERVAL, {"start": starts, "end": ends, "worked_before": cums},
                          len(starts)),
        feeder=_records(FEEDER, {"first": ff, "last": fl, "to": ft, "parts": fq, "store": fs,
                                 "taken_from": taken_from[:-1], "taken_mask": taken_mask},
                        len(ff)),
        variant_work=variant_work,
        sequence=sequence,
        colour=colour,
        purge=purge,
        store=_store(plant, main_index),
        marks=marks,
        rules=rules,
    )
    return CompiledLine(
        line=line,
        names=names,
        lines=lines,
        shops=shop_of,
        shop_names=shop_names,
        ring_size=ring_off,
        n_slots=slot_off,
        taken_size=taken_from[-1],
        buffer_capacity=caps,
        buffer_names=buffer_names,
        feeder_names=[f.name for f in plant.feeders],
        feeder_stores=fs,
        ideal_cycle=f64([s.ideal_cycle_time() for s in stations]),
        servers=i64([s.servers for s in stations]),
        robots=i64([s.robots * s.servers for s in stations]),
        calendar_of_station=[shop_calendar.get(s) for s in shop_of],
        classes=classes,
    )


RETRIEVAL_CODE = {Retrieval.FIFO: RETRIEVE_FIFO, Retrieval.SEQUENCE: RETRIEVE_SEQUENCE,
                  Retrieval.SPACING: RETRIEVE_SPACING}


def _store(plant: Plant, main_index: dict[str, int]) -> np.ndarray:
    """The line's resequencing store as one STORE record (`at` 0: none)."""
    out = np.zeros(1, dtype=STORE)
    for buffer in plant.buffers:
        if buffer.lanes is not None:
            places, extra = divmod(buffer.capacity, buffer.lanes)
            out[0] = (main_index[buffer.between[1]], buffer.lanes, places, extra,
                      RETRIEVAL_CODE[buffer.retrieval])
    return out


def _spacing_rules(plant: Plant, classes: list[tuple[str, str, frozenset[str]]],
                   ) -> tuple[np.ndarray, np.ndarray]:
    """The option rules (RULE records) and which car classes carry each option.

    A breach of a rule of the priority the goals rank first weighs 1,000 of the other.
    """
    options = plant.variants.options if plant.variants is not None else []
    goals = list(plant.variants.goals) if plant.variants is not None else []
    rank = {g: goals.index(g) if g in goals else len(goals) for g in (Goal.HIGH, Goal.LOW)}
    first = Priority.HIGH if rank[Goal.HIGH] <= rank[Goal.LOW] else Priority.LOW
    rules = np.zeros(len(options), dtype=RULE)
    for r, option in enumerate(options):
        most, window = option.limits()
        rules[r] = (most, min(window, RECENT), 1000.0 if option.priority is first else 1.0,
                    int(option.priority is Priority.HIGH))
    marks = np.zeros((max(len(classes), 1), len(options)), dtype=np.int64)
    for c, (_, _, carried) in enumerate(classes):
        marks[c] = [int(o.name in carried) for o in options]
    return rules, marks


def _records(dtype: np.dtype, columns: dict[str, list[Any]], n: int) -> np.ndarray:
    """A structured array of n records from one list per field."""
    out = np.zeros(n, dtype=dtype)
    for name, values in columns.items():
        out[name] = values
    return out


def _buffer_name(buffers: list, up: str, down: str) -> str:  # type: ignore[type-arg]
    for buffer in buffers:
        if tuple(buffer.between) == (up, down) and buffer.name:
            return str(buffer.name)
    return f"{up} -> {down}"


def _buffer_capacity(buffers: list, default: int, up: str, down: str) -> int:  # type: ignore[type-arg]
    for buffer in buffers:
        if tuple(buffer.between) == (up, down):
            return int(buffer.capacity)
    return default

"""Lower a validated Plant into the flat arrays the kernel reads."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nevsim.factory import kernel as kn
from nevsim.factory.calendar import WEEK
from nevsim.factory.model import FailureMode, FailureScope, Plant, Station
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
    """A plant as kernel arrays, with the names needed to read the results back."""

    names: list[str]
    lines: list[str]          # "main" or the feeder's name, per station
    shops: list[str]          # shop name per station
    shop_names: list[str]     # shops in index order
    K: int
    SI: np.ndarray
    SF: np.ndarray
    DK: np.ndarray
    DP: np.ndarray
    EO: np.ndarray
    EV: np.ndarray
    CP: np.ndarray
    CO: np.ndarray
    CIO: np.ndarray
    IS: np.ndarray
    IE: np.ndarray
    ICUM: np.ndarray
    FF: np.ndarray
    FL: np.ndarray
    FT: np.ndarray
    FQ: np.ndarray
    FS: np.ndarray
    CONS_OFF: np.ndarray
    CONS_MASK: np.ndarray
    ring_size: int
    n_slots: int
    buffer_capacity: list[int]   # in front of each station (main and feeder lines)
    feeder_names: list[str]
    feeder_stores: list[int]
    ideal_cycle: np.ndarray
    servers: np.ndarray
    robots: np.ndarray
    calendar_of_station: list[str | None]


def _pow2(n: int) -> int:
    return 1 << max(1, int(n - 1).bit_length())


def compile_plant(plant: Plant) -> CompiledLine:
    """Flatten the plant: main line first, then each feeder's stations."""
    stations: list[Station] = list(plant.stations)
    lines = ["main"] * len(stations)
    shop_of = [s.shop or IMPLICIT_SHOP for s in plant.stations]
    caps = [0] + [_buffer_capacity(plant.buffers, plant.default_buffer, a.name, b.name)
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
    si = np.zeros((n, kn.N_SI), dtype=np.int64)
    sf = np.ones((n, kn.N_SF))
    sf[:, kn.F_SCRAP] = 0.0
    ring_off = 0
    slot_off = 0
    feeder_last = {last: i for i, last in enumerate(fl)}
    for k, st in enumerate(stations):
        si[k, kn.I_SERVERS] = st.servers
        si[k, kn.I_CYC] = dists.add(st.cycle)
        si[k, kn.I_MTBF] = si[k, kn.I_MTTR] = zero
        if st.failures is not None:
            mtbf = st.failures.mtbf
            if st.failures.per is FailureScope.ROBOT:
                mtbf = Exponential.model_validate(
                    {"dist": "exponential", "mean": mtbf.mean() / max(st.robots, 1)})
            si[k, kn.I_MTBF] = dists.add(mtbf)
            si[k, kn.I_MTTR] = dists.add(st.failures.mttr)
            si[k, kn.I_FMODE] = (kn.FM_TIME if st.failures.mode is FailureMode.TIME
                                 else kn.FM_OPERATION)
        si[k, kn.I_REPAIR] = zero
        si[k, kn.I_SETUP] = zero
        if st.batch is not None:
            si[k, kn.I_LOT] = st.batch.lot_size
            si[k, kn.I_SETUP] = dists.add(st.batch.changeover)
        cal = shop_calendar.get(shop_of[k])
        si[k, kn.I_CAL] = calendar_names.index(cal) if cal is not None else -1
        si[k, kn.I_REWORK] = k + 1
        if st.quality is not None:
            sf[k, kn.F_YIELD] = st.quality.yield_
            sf[k, kn.F_SCRAP] = st.quality.scrap
            if st.quality.rework_to is not None:
                si[k, kn.I_REWORK] = main_index[st.quality.rework_to]
            si[k, kn.I_REPAIR] = dists.add(st.quality.repair_time)
        si[k, kn.I_BUF] = caps[k]
        need = caps[k] + st.servers + 2
        if k in feeder_last:
            f = feeder_last[k]
            need += fs[f] + fq[f]
        size = _pow2(need)
        si[k, kn.I_RING] = ring_off
        si[k, kn.I_MASK] = size - 1
        ring_off += size
        si[k, kn.I_SRV] = slot_off
        slot_off += st.servers
        si[k, kn.I_SHOP] = shop_names.index(shop_of[k])
        is_main = k < len(plant.stations)
        si[k, kn.I_SHOPEND] = int(
            is_main and k < len(plant.stations) - 1 and shop_of[k + 1] != shop_of[k]
        )
    cons_off = [0]
    cons_mask = []
    for f in range(len(ff)):
        size = _pow2(fs[f] + fq[f] + 2)
        cons_mask.append(size - 1)
        cons_off.append(cons_off[-1] + size)

    def i64(values: list[int]) -> np.ndarray:
        return np.asarray(values, dtype=np.int64)

    def f64(values: list[float]) -> np.ndarray:
        return np.asarray(values, dtype=np.float64)

    return CompiledLine(
        names=[s.name for s in stations],
        lines=lines,
        shops=shop_of,
        shop_names=shop_names,
        K=len(plant.stations),
        SI=si,
        SF=sf,
        DK=i64(dists.kinds),
        DP=np.asarray(dists.params, dtype=np.float64).reshape(-1, 3),
        EO=i64(dists.offsets),
        EV=f64(dists.values) if dists.values else np.zeros(1),
        CP=f64(cp) if cp else np.ones(1),
        CO=f64(co) if co else np.ones(1),
        CIO=i64(cio),
        IS=f64(starts) if starts else np.zeros(1),
        IE=f64(ends) if ends else np.zeros(1),
        ICUM=f64(cums) if cums else np.zeros(1),
        FF=i64(ff),
        FL=i64(fl),
        FT=i64(ft),
        FQ=i64(fq),
        FS=i64(fs),
        CONS_OFF=i64(cons_off),
        CONS_MASK=i64(cons_mask),
        ring_size=ring_off,
        n_slots=slot_off,
        buffer_capacity=caps,
        feeder_names=[f.name for f in plant.feeders],
        feeder_stores=fs,
        ideal_cycle=f64([s.ideal_cycle_time() for s in stations]),
        servers=i64([s.servers for s in stations]),
        robots=i64([s.robots * s.servers for s in stations]),
        calendar_of_station=[shop_calendar.get(s) for s in shop_of],
    )


def _buffer_capacity(buffers: list, default: int, up: str, down: str) -> int:  # type: ignore[type-arg]
    for buffer in buffers:
        if tuple(buffer.between) == (up, down):
            return int(buffer.capacity)
    return default

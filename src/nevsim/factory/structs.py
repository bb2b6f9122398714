"""The line and the workspace as the compiled kernels see them: arrays of named records.

Each table is a numpy structured array: one record per station, server, feeder or vehicle in
progress, with named fields. numba reads `line.station[k].servers` at a fixed offset, as fast
as a bare array, and a record keeps a station's fields on one cache line. Few arrays also keep
the kernels' argument lists short, which is what their compile time depends on. The kernels
allocate nothing: `workspace()` makes every array they fill, so they run without numba's
reference counting (which otherwise costs more than the simulation itself).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import NamedTuple

import numpy as np

KERNEL_SOURCES = ("structs.py", "blocks.py", "kernel.py", "serial_kernel.py",
                  "resequencing.py", "../scenario/distributions.py")
"""Files whose code the compiled kernels contain (inlined or as constants)."""


def use_kernel_cache() -> None:
    """Keep compiled kernels in a folder named after the hash of all their sources.

    numba's cache checks only the file of the function it compiles; the kernels inline
    building blocks from other files, so after an edit there it would load a stale kernel and
    run the old code. A folder per version of the sources cannot be stale. It lies under
    $NUMBA_CACHE_DIR if set, else ~/.cache/nevsim/numba.
    """
    import numba

    here = Path(__file__).parent
    digest = hashlib.sha256(b"".join((here / name).read_bytes()
                                     for name in KERNEL_SOURCES)).hexdigest()[:16]
    base = os.environ.get("NUMBA_CACHE_DIR") or Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nevsim" / "numba"
    folder = Path(base) / digest
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # numba's own place, next to the sources
    numba.config.CACHE_DIR = str(folder)  # type: ignore[attr-defined]


use_kernel_cache()

FAIL_NONE, FAIL_OPERATION, FAIL_TIME = 0, 1, 2
"""Failure modes: none, while working (operation-dependent), on the on-shift clock (time)."""

I8, F8 = np.int64, np.float64

STATION = np.dtype([
    ("servers", I8),  # parallel servers
    ("cycle", I8),  # distribution of the work per visit
    ("mtbf", I8),  # distribution of the up time between failures (per server)
    ("mttr", I8),  # distribution of a repair
    ("failure_mode", I8),  # FAIL_NONE, FAIL_OPERATION or FAIL_TIME
    ("setup", I8),  # distribution of a changeover between lots
    ("lot_size", I8),  # vehicles per lot (0: no lots)
    ("calendar", I8),  # calendar number, -1 when always working
    ("yield_", F8),  # share of visits without a defect
    ("scrap", F8),  # share of defects scrapped
    ("rework_to", I8),  # station a repaired vehicle rejoins (past the line: it leaves)
    ("repair", I8),  # distribution of the off-line repair time of a defect
    ("buffer", I8),  # places in the buffer in front
    ("ring_from", I8),  # offset of its ring in `Workspace.departures`
    ("ring_mask", I8),  # ring size - 1 (a power of two)
    ("first_server", I8),  # its first record in `Workspace.servers`
    ("shop", I8),  # shop number
    ("ends_shop", I8),  # 1 when the next main-line station is in another shop
    ("fed_by", I8),  # feeders whose parts it takes (0: none to wait for)
    ("paints", I8),  # 1: the paint booth, where a change of colour costs a purge
    ("utility", I8),  # 1: a utility worker does a car's extra work content (0: the station)
])
"""Per station: main line first in flow order, then each feeder's stations."""

DISTRIBUTION = np.dtype([
    ("kind", I8),  # kind code of `nevsim.scenario.distributions`
    ("p0", F8), ("p1", F8), ("p2", F8),  # its parameters
    ("samples_from", I8), ("samples_to", I8),  # its values in `Line.samples` (empirical)
])
"""Every random duration of the line, by number."""

CALENDAR = np.dtype([
    ("period", F8),  # seconds of one repeat (a week)
    ("on_shift", F8),  # working seconds in one period
    ("first", I8), ("stop", I8),  # its working intervals in `Line.interval`
])
"""A weekly working pattern; station clocks count on-shift seconds only."""

INTERVAL = np.dtype([
    ("start", F8), ("end", F8),  # within the period
    ("worked_before", F8),  # working seconds of the period before its start
])

FEEDER = np.dtype([
    ("first", I8), ("last", I8),  # its stations
    ("to", I8),  # main-line station that takes its parts
    ("parts", I8),  # parts per vehicle
    ("store", I8),  # places in the store
    ("taken_from", I8), ("taken_mask", I8),  # its ring in `Workspace.taken`
])
"""A side line that makes parts for one main-line station, through a store."""

RETRIEVE_FIFO, RETRIEVE_SEQUENCE, RETRIEVE_SPACING = 0, 1, 2
"""Retrieval rules of a resequencing store (`model.Retrieval`)."""

STORE = np.dtype([
    ("at", I8),  # main-line station it feeds (0: the line has no store)
    ("lanes", I8), ("places", I8),  # FIFO lanes and places in each ...
    ("extra", I8),  # ... but the first `extra` lanes, which have one more
    ("retrieval", I8),  # RETRIEVE_*
])
"""The resequencing store (painted-body store), one record; its capacity, `lanes * places +
extra`, is the buffer in front of station `at`."""

RULE = np.dtype([
    ("most", I8), ("window", I8),  # at most `most` cars with the option in `window` in a row
    ("weight", F8),  # what breaking it once costs the spacing rule
    ("high", I8),  # 1: a high-priority rule
])
"""An option's spacing rule, as the store's spacing retrieval and its counts read it."""


class Line(NamedTuple):
    """A compiled line: what the kernels read and never write."""

    main: int  # number of main-line stations (they come first)
    station: np.ndarray  # STATION records
    dist: np.ndarray  # DISTRIBUTION records
    samples: np.ndarray  # values of empirical distributions
    calendar: np.ndarray  # CALENDAR records
    interval: np.ndarray  # INTERVAL records
    feeder: np.ndarray  # FEEDER records
    variant_work: np.ndarray  # [station, car class] extra work content, seconds
    sequence: np.ndarray  # car class of each new car in turn (repeated)
    colour: np.ndarray  # [car class] its colour
    purge: np.ndarray  # [from colour, to colour] purge time at the paint booth, seconds
    store: np.ndarray  # one STORE record
    marks: np.ndarray  # [car class, rule] 1 when the class carries the rule's option
    rules: np.ndarray  # RULE records


STATION_STATS = np.dtype([
    ("work", F8), ("setup", F8), ("down", F8), ("blocked", F8), ("starved", F8),
    ("waiting_parts", F8),  # a vehicle in the station, its feeder parts not yet there
    ("queued", F8),  # vehicle-seconds waiting in the buffer in front
    ("active_sum", F8),  # total length of closed active periods (on-shift seconds)
    ("active_count", F8),  # number of closed active periods
    ("done", I8), ("defects", I8), ("scrapped", I8),  # visits completed
    ("utility_work", F8),  # extra work content a utility worker did (on-shift seconds)
    ("purges", I8),  # colour changes at the paint booth
])
"""Per station, within the statistics window: on-shift seconds and counts."""

STATION_STATE = np.dtype([
    ("visits", I8),  # visits started so far (new vehicles and reworks)
    ("new_visits", I8),  # visits by new vehicles (each takes feeder parts)
    ("last_start", F8), ("last_arrival", F8),
    ("active_start", F8), ("active_end", F8),  # open active period, real time ...
    ("active_start_tau", F8), ("active_end_tau", F8),  # ... and on the on-shift clock
    ("window_start_tau", F8), ("window_end_tau", F8),  # on-shift clock at the window's edges
    ("shift_start", F8), ("shift_end", F8),  # the working interval its last clock reading
    ("shift_start_tau", F8),  # fell in (real time), and the on-shift clock at its start
    ("last_colour", I8),  # colour of the last car it started (-1: none yet)
    ("server", I8),  # the server of its next visit (visits % servers, without a division)
])
"""Per station, the kernel's running state."""

SERVER = np.dtype([
    ("busy", F8),  # operating time so far (operation-dependent failures)
    ("next_failure", F8),
    ("repair_end", F8),  # end of the current or next repair (time-dependent failures)
    ("position", F8),  # how far the time-dependent stream has been read
    ("last_departure_tau", F8), ("last_completion_tau", F8),
    ("last_completion", F8),  # real time
])
"""Per server: failure stream and last visit, on the station's on-shift clock."""

FEEDER_COUNT = np.dtype([("produced", I8), ("consumed", I8)])

TOTALS = np.dtype([
    ("started", I8),
    ("finished", I8),  # left the line before the horizon
    ("scrapped", I8),
    ("in_process_at_end", I8),
    ("exits_in_window", I8),
    ("late_merges", I8),  # reworks that rejoined behind a vehicle that came later
    ("reworks", I8),
    ("exits", I8),  # exit events recorded, the horizon's included
    ("first_exit", F8), ("last_exit", F8),  # in the window (-1: none)
])
"""Line-level counts and times (one record)."""

SHOP = np.dtype([
    ("wip", F8),  # vehicle-seconds inside
    ("lead", F8),  # sum of lead times of vehicles leaving it
    ("exits", F8),  # vehicles leaving it
])

VEHICLE = [
    ("entry", F8),  # shop entry (-1: entry at the first start)
    ("cls", I8),  # its car class (model, options, colour)
    ("order", I8),  # its place in the line's sequence (the n-th new car)
    ("reached", I8),  # the furthest station it has visited (-1: none): parts are taken once
]

REWORK = np.dtype([("ready", F8), ("target", I8), *VEHICLE])
"""A defective vehicle on its way back: when and to which station."""

MOVING = np.dtype([
    ("station", I8), ("arrival", F8),
    ("phase", I8),  # 0: to process, 1: to depart
    ("completion", F8), ("completion_tau", F8),
    *VEHICLE,
])
"""A vehicle being moved; they form a stack (a rework merging in interrupts the one behind)."""

BODY = np.dtype([
    ("arrival", F8),  # when it came into the store
    *VEHICLE,
])
"""A body in the resequencing store, by its number of arrival (a ring)."""

LANE = np.dtype([("head", I8), ("count", I8), ("tail_order", I8)])
"""A FIFO lane of the store: its head's place in `Workspace.lanes`, its bodies, the last one's
order."""

STORE_TOTALS = np.dtype([
    ("parked", I8),  # bodies that came in
    ("placed", I8),  # of them, put in a lane
    ("released", I8),  # bodies handed on
    ("top_in", I8), ("top_out", I8),  # the latest `order` seen coming in / going out
    ("cars_in", I8), ("cars_out", I8),  # bodies in and out within the window
    ("late_in", I8), ("late_out", I8),  # bodies behind one planned after them (window)
    ("high_in", I8), ("low_in", I8),  # option-rule breaches of the order coming in (window)
    ("high_out", I8), ("low_out", I8),  # ... and of the order handed on (window)
])
"""Counts of the resequencing store (one record)."""

RECENT = 64
"""Cars remembered on each side of the store for the spacing rules (the longest window)."""

GRID = np.dtype([("arrivals", I8), ("starts", I8)])
"""Per station, the next buffer grid point to count arrivals and starts into (plain line)."""


class Outputs(NamedTuple):
    """Time series over the run and per-shop sums over the window."""

    per_hour: np.ndarray  # vehicles off the line per hour of calendar time
    buffer_levels: np.ndarray  # [main station (buffer in front) | main + feeder store, point]
    bottleneck_duration: np.ndarray  # [point] longest active period covering it
    bottleneck_station: np.ndarray  # [point] its station (-1: none)
    shop: np.ndarray  # SHOP records
    bottleneck_counts: np.ndarray  # [station] points it is the bottleneck (after the run)
    class_exits: np.ndarray  # [car class] cars off the line in the window


class Trace(NamedTuple):
    """Every draw and exit, for tests that feed them to an independent model (size 0: off)."""

    work: np.ndarray  # [station, visit]
    up: np.ndarray  # [server, failure]
    down: np.ndarray  # [server, failure]
    failures: np.ndarray  # [server] failure draws made
    exits: np.ndarray  # exit times in order of completion
    released: np.ndarray  # the `order` of each body the store hands on, in turn


class Workspace(NamedTuple):
    """Everything one kernel run writes."""

    stats: np.ndarray  # STATION_STATS records
    state: np.ndarray  # STATION_STATE records
    servers: np.ndarray  # SERVER records
    departures: np.ndarray  # rings of departure times, one per station
    taken: np.ndarray  # rings of the times parts left each feeder's store
    feeder_count: np.ndarray  # FEEDER_COUNT records
    totals: np.ndarray  # one TOTALS record
    outputs: Outputs
    trace: Trace
    lane: np.ndarray  # REWORK records (general kernel)
    waiting_at: np.ndarray  # [station + 1] reworks waiting for each station
    moving: np.ndarray  # MOVING records (general kernel)
    grid: np.ndarray  # GRID records (plain-line kernel)
    bodies: np.ndarray  # BODY records, a ring by number of arrival (general kernel)
    lanes: np.ndarray  # [lane, place] body numbers in each lane (a ring per lane)
    lane_state: np.ndarray  # LANE records
    store_totals: np.ndarray  # one STORE_TOTALS record
    recent: np.ndarray  # [in | out, RECENT] the classes of the last cars in and out
    rule_counts: np.ndarray  # [in | out, rule] cars with its option in its last window - 1
    station_statistics: int  # 1: station states, buffer levels, bottlenecks; 0: line outputs
    rng: np.random.Generator  # the run's random stream (its state is written too)


def workspace(line: Line, seed: int, ring_size: int, servers: int, taken_size: int,
              hours: int, buffer_points: int, bottleneck_points: int, shops: int, lane: int,
              trace_visits: int = 0, trace_fails: int = 0,
              trace_exits: int = 0, station_statistics: bool = True) -> Workspace:
    """Zeroed arrays for one run of a kernel on `line`, and its random stream from `seed`.

    Without `station_statistics` the general kernel keeps the line's outputs only (exits,
    work in process, scrap): what an experiment reads, in about two thirds of the time.

    numpy's PCG64 generator with its ziggurat normal and exponential samplers: a normal draw
    costs 4 ns where the legacy `np.random` stream took 30 ns, most of a station visit.
    """
    n = len(line.station)
    feeders = len(line.feeder)
    state = np.zeros(n, dtype=STATION_STATE)
    state["shift_end"] = -1.0  # no shift remembered yet
    state["last_colour"] = -1
    lanes, places = int(line.store[0]["lanes"]), int(line.store[0]["places"]) + 1
    held = lanes * places + int(line.station[int(line.store[0]["at"])]["servers"]) + 4
    store_totals = np.zeros(1, dtype=STORE_TOTALS)
    store_totals["top_in"] = store_totals["top_out"] = -1
    return Workspace(
        stats=np.zeros(n, dtype=STATION_STATS),
        state=state,
        servers=np.zeros(servers, dtype=SERVER),
        departures=np.zeros(ring_size),
        taken=np.zeros(max(taken_size, 1)),
        feeder_count=np.zeros(max(feeders, 1), dtype=FEEDER_COUNT),
        totals=np.zeros(1, dtype=TOTALS),
        outputs=Outputs(
            per_hour=np.zeros(hours),
            buffer_levels=np.zeros((line.main + feeders, buffer_points + 1)),
            bottleneck_duration=np.zeros(bottleneck_points),
            bottleneck_station=np.zeros(bottleneck_points, dtype=I8),
            shop=np.zeros(shops, dtype=SHOP), bottleneck_counts=np.zeros(n, dtype=I8),
            class_exits=np.zeros(line.colour.shape[0])),
        trace=Trace(np.zeros((n, trace_visits)), np.zeros((servers, trace_fails)),
                    np.zeros((servers, trace_fails)), np.zeros(servers, dtype=I8),
                    np.zeros(trace_exits), np.zeros(trace_exits, dtype=I8)),
        lane=np.zeros(lane, dtype=REWORK),
        waiting_at=np.zeros(line.main + 1, dtype=I8),
        moving=np.zeros(line.main + 2, dtype=MOVING),
        grid=np.zeros(n, dtype=GRID),
        bodies=np.zeros(1 << max(1, (held - 1).bit_length()), dtype=BODY),
        lanes=np.zeros((max(lanes, 1), max(places, 1)), dtype=I8),
        lane_state=np.zeros(max(lanes, 1), dtype=LANE),
        store_totals=store_totals,
        recent=np.zeros((2, RECENT), dtype=I8),
        rule_counts=np.zeros((2, max(line.rules.shape[0], 1)), dtype=I8),
        station_statistics=int(station_statistics),
        rng=np.random.Generator(np.random.PCG64(seed)),
    )

"""The resequencing store (painted-body store): lanes, a retrieval rule, and its counts.

The kernel decides each body handed on lazily, inside its departure-time recursion. The
reference here is an independent model of the same small line stepped second by second
(stations, a store of FIFO lanes, blocking after service), written from the definitions.
"""

from __future__ import annotations

from collections import deque
from typing import Any

import numpy as np
import pytest

from nevsim.document import scenario_from_dict
from nevsim.factory.compile import compile_plant
from nevsim.factory.engine import run_replication
from nevsim.factory.orders import Order
from nevsim.factory.simulation import simulate
from nevsim.scenario.errors import ScenarioError

UPSTREAM, BASE, EXTRA, LAST = 30, 40, 50, 60
"""S1 30 s; S2 40 s, 50 s more for a car with option X; S3 60 s (seconds)."""

DAY = 86400

PLAN = [frozenset({"X"})] * 3 + [frozenset()] * 3
"""The line's sequence, over and over: option X batched, as a paint-first plan would give."""


def _scenario(lanes: int, capacity: int, retrieval: str, servers: int = 1,
              **extra: Any) -> Any:
    """S1 -> store -> S2 -> S3, no other buffer; X at most 1 in 2 (high priority).

    S1 has `servers` cells, each `servers` x 30 s a car (the same rate).
    """
    return scenario_from_dict(_data(lanes, capacity, retrieval, servers, **extra))


def _data(lanes: int, capacity: int, retrieval: str, servers: int = 1,
          **extra: Any) -> dict[str, Any]:
    return ({"name": "store", "factory": {
        "takt": "60s", "default_buffer": 0, "horizon": "1d",
        "variants": {"models": [{"name": "A", "share": 1.0}],
                     "options": [{"name": "X", "share": 0.5, "rule": "1:2"},
                                 {"name": "Y", "share": 0.1, "rule": "1:3", "priority": "low"}],
                     "colours": [{"name": "white", "share": 1.0}], "overload": "line-stop"},
        "stations": [{"name": "S1", "cycle": f"{UPSTREAM * servers}s", "servers": servers},
                     {"name": "S2", "cycle": f"{BASE}s", "work_content": {"X": f"{EXTRA}s"}},
                     {"name": "S3", "cycle": f"{LAST}s"}],
        "buffers": [{"between": ["S1", "S2"], "capacity": capacity, "lanes": lanes,
                     "retrieval": retrieval}],
        **extra}})


def _cars() -> list[Order]:
    return [Order(str(i), "A", "white", options=o) for i, o in enumerate(PLAN)]


def _reference(lanes: int, capacity: int, retrieval: str, bodies: int,
               servers: int = 1) -> tuple[list[int], int]:
    """Step the line second by second; the planned positions handed on and exits by 1 day.

    Each second, in this order: S3 lets its car go when done; S2 passes a finished car to an
    empty S3; S1's cells pass their finished cars, in order, into the store while the store
    and S2 hold fewer than capacity + 1 cars, and start the next cars; an empty S2 pulls a
    body: bodies waiting at the store's entrance go into lanes (in arrival order, while one
    has room), then the rule picks a lane head.
    """
    places = [capacity // lanes + (i < capacity % lanes) for i in range(lanes)]
    lane: list[deque[tuple[int, int]]] = [deque() for _ in range(lanes)]  # (arrival no, order)
    tail = [-1] * lanes
    entrance: deque[tuple[int, int]] = deque()
    handed: list[int] = []
    cycle = UPSTREAM * servers
    s1: deque[list[int]] = deque([order, cycle] for order in range(servers))  # order, done
    started = servers
    s2: int | None = None
    s2_done = s3_done = 0
    s3: int | None = None
    arrivals = exits = 0
    t = 0
    while len(handed) < bodies:
        if s3 is not None and s3_done <= t:
            s3 = None
            exits += t < DAY
        if s2 is not None and s2_done <= t and s3 is None:
            s3, s3_done, s2 = s2, t + LAST, None
        held = sum(len(q) for q in lane) + len(entrance)
        while s1 and s1[0][1] <= t and held + (s2 is not None) < capacity + 1:
            entrance.append((arrivals, s1.popleft()[0]))
            arrivals += 1
            held += 1
        while len(s1) < servers and t < DAY:  # no car starts after the day
            s1.append([started, t + cycle])
            started += 1
        if s2 is None and (entrance or any(lane)):
            while entrance:
                order = entrance[0][1]
                open_lanes = [i for i in range(lanes) if len(lane[i]) < places[i]]
                if not open_lanes:
                    break
                behind = [i for i in open_lanes if lane[i] and tail[i] < order]
                empty = [i for i in open_lanes if not lane[i]]
                if behind:
                    chosen = max(behind, key=lambda i: tail[i])
                elif empty:
                    chosen = empty[0]
                else:
                    chosen = min(open_lanes, key=lambda i: (len(lane[i]), i))
                lane[chosen].append(entrance.popleft())
                tail[chosen] = order
            heads = [(i, q[0]) for i, q in enumerate(lane) if q]
            if heads:
                def key(head: tuple[int, tuple[int, int]]) -> tuple[float, int]:
                    number, order = head[1]
                    if retrieval == "fifo":
                        return 0.0, number
                    if retrieval == "sequence":
                        return 0.0, order
                    x = "X" in PLAN[order % len(PLAN)]
                    count = x + sum("X" in PLAN[o % len(PLAN)] for o in handed[-1:])
                    return 1000.0 * max(0, count - 1), order
                chosen = min(heads, key=key)[0]
                _, order = lane[chosen].popleft()
                handed.append(order)
                s2 = order
                s2_done = t + BASE + EXTRA * ("X" in PLAN[order % len(PLAN)])
        t += 1
    return handed, exits


@pytest.mark.parametrize("retrieval", ["fifo", "sequence", "spacing"])
@pytest.mark.parametrize(("lanes", "capacity", "servers"), [
    (3, 6, 1), (2, 6, 1), (1, 4, 1), (2, 5, 1), (4, 6, 1), (3, 6, 2), (2, 3, 3)])
def test_bodies_are_handed_on_as_the_stepped_model_does(retrieval: str, lanes: int,
                                                        capacity: int, servers: int) -> None:
    """Same bodies in the same order, and the same cars off the line in a day.

    With several cells upstream, bodies come in at the same moment: a body due at the pull
    time is one to choose from.
    """
    plant = _scenario(lanes, capacity, retrieval, servers).factory
    line = compile_plant(plant, _cars())
    raw = run_replication(line, 1, 86400.0, 0.0, trace_exits=2000)
    count = int(raw.store[0]["released"])
    expected, exits = _reference(lanes, capacity, retrieval, count, servers)
    assert list(raw.trace.released[:count]) == expected
    assert int(raw.totals[0]["exits_in_window"]) == exits


def test_spacing_hands_on_the_batched_plan_spaced() -> None:
    """With room to choose, spacing breaks X's 1:2 rule less than the plan coming in does."""
    found = simulate(_scenario(3, 6, "spacing"), cars=_cars(), replications=1,
                     horizon="1d", warmup="1h").store.set_index("side")
    # the plan X X X - - - breaks 1:2 twice every 6 cars coming in: 333 per 1,000
    assert found.loc["coming in", "high_per_1000"] == pytest.approx(1000 / 3, abs=2)
    assert found.loc["handed on", "high_per_1000"] < found.loc["coming in",
                                                               "high_per_1000"] / 2
    assert found.loc["coming in", "late_per_1000"] == 0.0


def test_a_fifo_store_is_a_plain_buffer() -> None:
    """Lanes handing on the first body in are a buffer of their capacity: same numbers."""
    cars = [Order(str(i), "A", "white", options=o) for i, o in enumerate(PLAN)]
    shifts = {"calendars": {"two": {"shifts": [{"start": "06:00", "end": "14:00"},
                                               {"start": "14:30", "end": "22:30"}]}},
              "shops": [{"name": "line", "calendar": "two"}]}
    store = simulate(_scenario(3, 6, "fifo", **shifts), cars=cars, replications=1,
                     horizon="3d")
    plain = _data(3, 6, "fifo", **shifts)
    plain["factory"]["buffers"] = [{"between": ["S1", "S2"], "capacity": 6}]
    buffer = simulate(scenario_from_dict(plain), cars=cars, replications=1, horizon="3d")
    assert store.jph.mean == buffer.jph.mean
    assert store.output.equals(buffer.output)
    for column in ("visits", "utilization", "blocked", "starved", "mean_buffer_level"):
        assert np.array_equal(store.stations[column].to_numpy(),
                              buffer.stations[column].to_numpy())
    assert store.buffer_stats.equals(buffer.buffer_stats)


def test_repairs_upstream_scramble_the_bodies_and_the_rules_put_them_back() -> None:
    """A fifth of the cars go back through S1 after a 10 min repair: bodies come in late.

    A FIFO store hands them on as they came; the sequence rule hands on fewer late (it can
    only choose among bodies there: a body that comes back after later ones left stays late);
    the spacing rule breaks X's rule far less than the order coming in. Every body that came
    in is handed on once.
    """
    def run(retrieval: str) -> tuple[Any, Any]:
        data = _data(10, 50, retrieval, horizon="5d")
        data["factory"]["stations"][0]["quality"] = {"yield": 0.8, "repair_time": "10min",
                                                     "rework_to": "S1"}
        plant = scenario_from_dict(data).factory
        raw = run_replication(compile_plant(plant, _cars()), 3, 5 * 86400.0, 0.0,
                              trace_exits=20000)
        return raw.store[0], raw.trace.released[:int(raw.store[0]["released"])]

    fifo, _ = run("fifo")
    sequence, handed = run("sequence")
    spacing, _ = run("spacing")
    assert sequence["released"] == sequence["parked"]
    assert len(set(handed.tolist())) == len(handed)  # no body handed on twice
    assert fifo["late_in"] > 1000
    # in and out differ only by the bodies inside the store at the window's edges
    assert fifo["late_out"] == pytest.approx(fifo["late_in"], rel=0.02)
    assert sequence["late_out"] < 0.7 * sequence["late_in"]
    assert spacing["high_out"] < 0.3 * spacing["high_in"]


@pytest.mark.parametrize(("change", "path", "words"), [
    ({"buffers": [{"between": ["S1", "S2"], "capacity": 0, "lanes": 2}]},
     "factory.buffers[0].capacity", "at least one place"),
    ({"buffers": [{"between": ["S1", "S2"], "capacity": 4, "lanes": 2},
                  {"between": ["S2", "S3"], "capacity": 4, "lanes": 2}]},
     "factory.buffers[1].lanes", "one resequencing store"),
    ({"variants": None, "buffers": [{"between": ["S1", "S2"], "capacity": 4, "lanes": 2,
                                     "retrieval": "spacing"}]},
     "factory.buffers[0].retrieval", "option rules"),
    ({"stations": [{"name": "S1", "cycle": "30s", "quality": {"yield": 0.9,
                                                              "repair_time": "1min"}},
                   {"name": "S2", "cycle": "40s"}, {"name": "S3", "cycle": "60s"}]},
     "factory.stations[0].quality.rework_to", "across the store"),
    ({"stations": [{"name": "S1", "cycle": "30s"}, {"name": "S2", "cycle": "40s"},
                   {"name": "S3", "cycle": "60s", "quality": {
                       "yield": 0.9, "repair_time": "1min", "rework_to": "S2"}}]},
     "factory.stations[2].quality.rework_to", "across the store"),
])
def test_a_store_that_cannot_work_is_refused_where_it_is_wrong(change: dict[str, Any],
                                                              path: str, words: str) -> None:
    data = _data(2, 4, "sequence")
    data["factory"].update(change)
    data["factory"] = {k: v for k, v in data["factory"].items() if v is not None}
    with pytest.raises(ScenarioError) as error:
        scenario_from_dict(data)
    found = [p for p in error.value.problems if p.path == path]
    assert found and words in found[0].message, error.value.problems


def test_a_reworked_car_takes_its_parts_once_at_each_station() -> None:
    """A car repaired back to S1 takes its part at S2 on its first visit only.

    S2 takes one part a car from a feeder; a defect at S1 or at S2 goes back to S1. Every
    S2 defect brings one more visit to S2 by a car that has its part: parts made = S2 visits
    - S2 defects, up to the 3 parts in the store, a car in S2 and the few S2 repairs not back
    at the end (a car that took its part twice, or never, would soon make it hundreds).
    """
    data = {"name": "parts", "factory": {
        "takt": "60s", "default_buffer": 2, "horizon": "2d",
        "stations": [{"name": "S1", "cycle": "50s", "quality": {
                         "yield": 0.7, "repair_time": "5min", "rework_to": "S1"}},
                     {"name": "S2", "cycle": "55s", "quality": {
                         "yield": 0.8, "repair_time": "5min", "rework_to": "S1"}}],
        "feeders": [{"name": "parts", "to": "S2", "store": 3,
                     "stations": [{"name": "F1", "cycle": "30s"}]}]}}
    found = simulate(scenario_from_dict(data), replications=1,
                     horizon="2d").stations.set_index("station")
    made = float(found.loc["F1", "visits"])
    first_visits = float(found.loc["S2", "visits"] - found.loc["S2", "defects"])
    assert found.loc["S2", "defects"] > 300
    assert abs(made - first_visits) <= 12

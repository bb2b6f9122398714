"""Named cross-entity checks on a plant: each yields located problems, each with a fix."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from nevsim.factory.model import Buffer, FailureScope, Plant, Station
from nevsim.scenario.distributions import Exponential
from nevsim.scenario.errors import Problem, did_you_mean, duplicate_names

Check = Callable[[Plant, str], Iterator[Problem]]


def _lines(plant: Plant, root: str) -> Iterator[tuple[str, list[Station], list[Buffer]]]:
    yield f"{root}", plant.stations, plant.buffers
    for i, feeder in enumerate(plant.feeders):
        yield f"{root}.feeders[{i}]", feeder.stations, feeder.buffers


def check_unique_names(plant: Plant, root: str) -> Iterator[Problem]:
    """Station, feeder and shop names must be unique: they are how everything refers to them."""
    seen: dict[str, str] = {}
    for where, stations, _ in _lines(plant, root):
        for i, station in enumerate(stations):
            path = f"{where}.stations[{i}].name"
            if station.name in seen:
                yield Problem(path, f"duplicate station name, first used at {seen[station.name]}",
                              station.name)
            seen.setdefault(station.name, path)
    feeders = [f.name for f in plant.feeders]
    for i, name in enumerate(feeders):
        if name in feeders[:i]:
            yield Problem(f"{root}.feeders[{i}].name", "duplicate feeder name", name)
    shops = [s.name for s in plant.shops]
    for i, name in enumerate(shops):
        if name in shops[:i]:
            yield Problem(f"{root}.shops[{i}].name", "duplicate shop name", name)


def check_buffers_join_adjacent_stations(plant: Plant, root: str) -> Iterator[Problem]:
    """A buffer sits between two stations that exist and follow each other on the same line."""
    for where, stations, buffers in _lines(plant, root):
        order = {s.name: i for i, s in enumerate(stations)}
        seen: set[tuple[str, str]] = set()
        for i, buffer in enumerate(buffers):
            path = f"{where}.buffers[{i}].between"
            up, down = buffer.between
            missing = [n for n in (up, down) if n not in order]
            if missing:
                yield Problem(path, f"no station named {', '.join(map(repr, missing))} on this "
                              f"line{did_you_mean(missing[0], order)}; stations are "
                              f"{', '.join(order)}", list(buffer.between))
            elif order[down] != order[up] + 1:
                yield Problem(path, f"{down!r} does not directly follow {up!r}; a buffer joins a "
                              "station to the next one in flow order", list(buffer.between))
            elif buffer.between in seen:
                yield Problem(path, "two buffers between the same stations", list(buffer.between))
            seen.add(buffer.between)


def check_shops_and_calendars_exist(plant: Plant, root: str) -> Iterator[Problem]:
    """Every shop a station names is declared, and every calendar a shop names too."""
    shops = {s.name for s in plant.shops}
    for i, shop in enumerate(plant.shops):
        if shop.calendar is not None and shop.calendar not in plant.calendars:
            yield Problem(f"{root}.shops[{i}].calendar", "no such calendar"
                          f"{did_you_mean(shop.calendar, plant.calendars)}; declared calendars: "
                          f"{', '.join(plant.calendars) or 'none'}", shop.calendar)
    for where, stations, _ in _lines(plant, root):
        for i, station in enumerate(stations):
            if station.shop is not None and station.shop not in shops:
                yield Problem(f"{where}.stations[{i}].shop", "no such shop"
                              f"{did_you_mean(station.shop, shops)}; declared shops: "
                              f"{', '.join(shops) or 'none'}", station.shop)
    for i, feeder in enumerate(plant.feeders):
        if feeder.shop is not None and feeder.shop not in shops:
            yield Problem(f"{root}.feeders[{i}].shop",
                          f"no such shop{did_you_mean(feeder.shop, shops)}", feeder.shop)


def check_main_line_shops_contiguous(plant: Plant, root: str) -> Iterator[Problem]:
    """A shop's main-line stations follow each other: a vehicle enters and leaves a shop once."""
    names = [s.shop for s in plant.stations]
    closed: set[str | None] = set()
    for i, shop in enumerate(names):
        if i and names[i - 1] != shop:
            closed.add(names[i - 1])
            if shop in closed:
                yield Problem(f"{root}.stations[{i}].shop", "shop appears again after another "
                              "shop; keep a shop's stations together in flow order", shop)


def check_rework_targets_upstream(plant: Plant, root: str) -> Iterator[Problem]:
    """Rework returns to this station or an earlier one of the same shop, never downstream."""
    order = {s.name: i for i, s in enumerate(plant.stations)}
    for i, station in enumerate(plant.stations):
        quality = station.quality
        if quality is None or quality.rework_to is None:
            continue
        path = f"{root}.stations[{i}].quality.rework_to"
        target = order.get(quality.rework_to)
        if target is None:
            yield Problem(path, "no main-line station of that name"
                          f"{did_you_mean(quality.rework_to, order)}", quality.rework_to)
        elif target > i:
            yield Problem(path, f"rework target is downstream of {station.name!r}; rework goes "
                          "back to this station or an earlier one", quality.rework_to)
        elif plant.stations[target].shop != station.shop:
            yield Problem(path, f"rework target is in shop {plant.stations[target].shop!r}, not "
                          f"{station.shop!r}; rework stays inside its shop", quality.rework_to)
    for i, feeder in enumerate(plant.feeders):
        for j, station in enumerate(feeder.stations):
            if station.quality is not None:
                yield Problem(f"{root}.feeders[{i}].stations[{j}].quality", "quality losses are "
                              "modelled on main-line stations only; remove it from the feeder",
                              None)


def check_feeders_reach_main_line(plant: Plant, root: str) -> Iterator[Problem]:
    """A feeder delivers to a main-line station, and its store holds at least one vehicle's set."""
    order = {s.name for s in plant.stations}
    for i, feeder in enumerate(plant.feeders):
        if feeder.to not in order:
            yield Problem(f"{root}.feeders[{i}].to", "feeds no main-line station"
                          f"{did_you_mean(feeder.to, order)}; main-line stations are "
                          f"{', '.join(order)}", feeder.to)
        if feeder.store < feeder.parts_per_vehicle:
            yield Problem(f"{root}.feeders[{i}].store", f"store must hold at least "
                          f"parts_per_vehicle={feeder.parts_per_vehicle} parts", feeder.store)


def check_failure_specs(plant: Plant, root: str) -> Iterator[Problem]:
    """Per-robot failures need robots and an exponential MTBF (their superposition is exact)."""
    for where, stations, _ in _lines(plant, root):
        for i, station in enumerate(stations):
            failures = station.failures
            if failures is None or failures.per is not FailureScope.ROBOT:
                continue
            path = f"{where}.stations[{i}].failures"
            if station.robots == 0:
                yield Problem(f"{path}.per", "per: robot needs robots > 0 on the station; give "
                              "robots or use per: station", "robot")
            if not isinstance(failures.mtbf, Exponential):
                yield Problem(f"{path}.mtbf", "per: robot needs dist: exponential (the station "
                              "then fails at the summed rate exactly); use per: station for "
                              "other distributions", failures.mtbf.dist)


def check_time_advances(plant: Plant, root: str) -> Iterator[Problem]:
    """The first station takes time and failures are spaced out, or the clock would never move."""
    first = plant.stations[0]
    if first.cycle.mean() <= 0:
        yield Problem(f"{root}.stations[0].cycle", "the first station's mean cycle time must be "
                      "positive: vehicles would start without end at time zero", first.cycle.mean())
    for where, stations, _ in _lines(plant, root):
        for i, station in enumerate(stations):
            if station.failures is not None and station.failures.mtbf.mean() <= 0:
                yield Problem(f"{where}.stations[{i}].failures.mtbf", "mean time between "
                              "failures must be positive", station.failures.mtbf.mean())
            mtbf = station.station_mtbf()
            if mtbf is not None and 0 < mtbf < station.cycle.mean() / FAILURES_PER_CYCLE:
                yield Problem(f"{where}.stations[{i}].failures.mtbf", f"the station would fail "
                              f"more than {FAILURES_PER_CYCLE:,} times in one cycle (every "
                              f"{mtbf:.3g} s, cycle {station.cycle.mean():.3g} s); check the "
                              "units", station.failures.mtbf.mean() if station.failures else mtbf)


def check_work_content(plant: Plant, root: str) -> Iterator[Problem]:
    """Work content names an option or a model of the plant's variants."""
    known = ([o.name for o in plant.variants.options] + [m.name for m in plant.variants.models]
             if plant.variants is not None else [])
    for f, feeder in enumerate(plant.feeders):
        for i, station in enumerate(feeder.stations):
            if station.work_content:
                yield Problem(f"{root}.feeders[{f}].stations[{i}].work_content", "work content "
                              "belongs to main-line stations: feeders make parts, not cars",
                              list(station.work_content))
    for i, station in enumerate(plant.stations):
        for name in station.work_content:
            if name not in known:
                yield Problem(f"{root}.stations[{i}].work_content", (
                    f"{name!r} is no option or model of factory.variants"
                    f"{did_you_mean(name, known)}" if known else
                    "work content needs factory.variants (models, options, colours)"), name)


def check_variants(plant: Plant, root: str) -> Iterator[Problem]:
    """Names unique, shares that add up to one, each goal ranked once, rules that can hold."""
    variants = plant.variants
    if variants is None:
        return
    where = f"{root}.variants"
    for key, items in (("models", variants.models), ("options", variants.options),
                       ("colours", variants.colours)):
        yield from duplicate_names(items, f"{where}.{key}", "orders name them")
    groups: list[tuple[str, list[float]]] = [
        (f"{where}.models", [m.share for m in variants.models]),
        (f"{where}.colours", [c.share for c in variants.colours])]
    groups += [(f"{where}.models[{i}].trims", [t.share for t in m.trims])
               for i, m in enumerate(variants.models) if m.trims]
    for path, shares in groups:
        if abs(sum(shares) - 1.0) > 1e-6:
            yield Problem(path, "shares must add up to 1", round(sum(shares), 6))
    for i, option in enumerate(variants.options):
        most, window = option.limits()
        if most >= window:
            yield Problem(f"{where}.options[{i}].rule", f"at most {most} in any {window} "
                          "never binds; H must be smaller than N", option.rule)
    booth = variants.paint.booth
    main = [s.name for s in plant.stations]
    if booth is not None and booth not in main:
        yield Problem(f"{where}.paint.booth", f"no main-line station of that name"
                      f"{did_you_mean(booth, main)}", booth)
    for i, goal in enumerate(variants.goals):
        if goal in variants.goals[:i]:
            yield Problem(f"{where}.goals[{i}]", "each goal is ranked once", goal.value)


def check_stores(plant: Plant, root: str) -> Iterator[Problem]:
    """One resequencing store at most, on the main line, with a place, no repair loop across.

    A vehicle repaired across the store would pass it a second time or bypass it, and its
    bodies could no longer be handed on in the order the retrieval rule chooses.
    """
    for i, feeder in enumerate(plant.feeders):
        for j, buffer in enumerate(feeder.buffers):
            if buffer.lanes is not None:
                yield Problem(f"{root}.feeders[{i}].buffers[{j}].lanes", "a resequencing "
                              "store holds cars, so it belongs on the main line", buffer.lanes)
    stores = [(i, b) for i, b in enumerate(plant.buffers) if b.lanes is not None]
    for i, _ in stores[1:]:
        yield Problem(f"{root}.buffers[{i}].lanes", "one resequencing store per line; "
                      f"{root}.buffers[{stores[0][0]}] is one already", plant.buffers[i].lanes)
    if not stores:
        return
    i, store = stores[0]
    assert store.lanes is not None
    if store.capacity < 1:
        yield Problem(f"{root}.buffers[{i}].capacity", "a store needs at least one place",
                      store.capacity)
    if store.retrieval.value == "spacing" and (plant.variants is None
                                               or not plant.variants.options):
        yield Problem(f"{root}.buffers[{i}].retrieval", "spacing follows the option rules; "
                      "declare factory.variants.options or retrieve by sequence",
                      store.retrieval.value)
    order = {s.name: k for k, s in enumerate(plant.stations)}
    if store.between[1] not in order:
        return  # reported by check_buffers_join_adjacent_stations
    after = order[store.between[1]]  # the station the store feeds
    for k, station in enumerate(plant.stations):
        quality = station.quality
        if quality is None or quality.yield_ >= 1.0:
            continue
        target = order.get(quality.rework_to, -1) if quality.rework_to else k + 1
        if target < 0 or target >= len(plant.stations):
            continue
        if (k < after) != (target < after) or target == after:
            yield Problem(f"{root}.stations[{k}].quality.rework_to", "a repaired vehicle "
                          f"would rejoin at {plant.stations[target].name!r}, across the "
                          f"store {store.name or ' -> '.join(store.between)!r}; rejoin on "
                          f"its side of the store (before {store.between[1]!r}), or after "
                          f"{store.between[1]!r}", quality.rework_to)


FAILURES_PER_CYCLE = 1000
"""More failures per visit than this is a typo (seconds for hours) and would crawl."""


CHECKS: tuple[Check, ...] = (
    check_unique_names,
    check_buffers_join_adjacent_stations,
    check_shops_and_calendars_exist,
    check_main_line_shops_contiguous,
    check_rework_targets_upstream,
    check_feeders_reach_main_line,
    check_failure_specs,
    check_time_advances,
    check_variants,
    check_work_content,
    check_stores,
)


def plant_problems(plant: Plant, root: str = "factory") -> list[Problem]:
    """Every cross-entity problem of a plant."""
    return [problem for check in CHECKS for problem in check(plant, root)]

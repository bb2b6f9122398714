"""Named cross-entity checks on a network: each yields located problems, each with a fix."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from nevsim.network.model import NORMAL, Network, ProductKind, Schedule, first_step
from nevsim.scenario.errors import Problem, did_you_mean, duplicate_names

Check = Callable[[Network, str], Iterator[Problem]]


def _duplicates(items: Sequence[object], path: str) -> Iterable[Problem]:
    return duplicate_names(items, path, "names are how entities refer to each other")


def check_unique_names(net: Network, root: str) -> Iterator[Problem]:
    """Entities of each kind have unique names; rules and undertakings, both channels, too.

    A rule and an undertaking name a duty channel each, so they differ from each other.
    """
    for field in ("components", "models", "suppliers", "plants", "markets", "duties", "rules",
                  "undertakings"):
        yield from _duplicates(getattr(net, field), f"{root}.{field}")
    rules = {r.name for r in net.rules} | {NORMAL}
    for i, u in enumerate(net.undertakings):
        if u.name in rules:
            yield Problem(f"{root}.undertakings[{i}].name", "a rule has this name (or it is "
                          "reserved); name each duty channel apart", u.name)


def check_components_exist(net: Network, root: str) -> Iterator[Problem]:
    """Bills of materials and suppliers name component families that are declared."""
    known = {c.name for c in net.components}
    hint = f"declared components are {', '.join(sorted(known))}"
    for i, model in enumerate(net.models):
        for j, line in enumerate(model.bom):
            if line.component not in known:
                yield Problem(f"{root}.models[{i}].bom[{j}].component",
                              f"no such component{did_you_mean(line.component, known)}; {hint}",
                              line.component)
    for i, supplier in enumerate(net.suppliers):
        if supplier.component not in known:
            yield Problem(f"{root}.suppliers[{i}].component",
                          f"no such component{did_you_mean(supplier.component, known)}; {hint}",
                          supplier.component)


def check_models_exist(net: Network, root: str) -> Iterator[Problem]:
    """Plants and markets name vehicle models that are declared; demanded models have a price."""
    known = {m.name for m in net.models}
    hint = f"declared models are {', '.join(sorted(known))}"
    for i, plant in enumerate(net.plants):
        for j, name in enumerate(plant.models or []):
            if name not in known:
                yield Problem(f"{root}.plants[{i}].models[{j}]",
                              f"no such model{did_you_mean(name, known)}; {hint}", name)
    for i, market in enumerate(net.markets):
        for field in ("demand", "price"):
            for name in getattr(market, field):
                if name not in known:
                    yield Problem(f"{root}.markets[{i}].{field}.{name}",
                                  f"no such model{did_you_mean(name, known)}; {hint}", name)
        for name in market.demand:
            if name in known and name not in market.price:
                yield Problem(f"{root}.markets[{i}].price",
                              f"model {name!r} has demand here but no price; add price.{name}")


def check_every_component_has_a_supplier(net: Network, root: str) -> Iterator[Problem]:
    """A component some model needs must have at least one supplier."""
    supplied = {s.component for s in net.suppliers}
    for i, model in enumerate(net.models):
        for j, line in enumerate(model.bom):
            if line.component not in supplied:
                yield Problem(f"{root}.models[{i}].bom[{j}].component",
                              "no supplier makes this component; add one under suppliers",
                              line.component)


def _schedules(net: Network, root: str) -> Iterator[tuple[str, Schedule]]:
    for i, s in enumerate(net.suppliers):
        yield f"{root}.suppliers[{i}].capacity", s.capacity
        yield f"{root}.suppliers[{i}].unit_cost", s.unit_cost
    for i, p in enumerate(net.plants):
        yield f"{root}.plants[{i}].variable_cost", p.variable_cost
    for i, m in enumerate(net.markets):
        for field in ("demand", "price"):
            for name, sched in getattr(m, field).items():
                yield f"{root}.markets[{i}].{field}.{name}", sched
    for i, d in enumerate(net.duties):
        yield f"{root}.duties[{i}].rate", d.rate
        yield f"{root}.duties[{i}].minimum", d.minimum
    for i, u in enumerate(net.undertakings):
        for name, terms in u.models.items():
            yield f"{root}.undertakings[{i}].models.{name}.minimum_price", terms.minimum_price
            yield f"{root}.undertakings[{i}].models.{name}.cap", terms.cap
    for i, r in enumerate(net.rules):
        for field in ("threshold", "rate", "ratio"):
            sched = getattr(r, field)
            if sched is not None:
                yield f"{root}.rules[{i}].{field}", sched


def check_schedules_cover_the_horizon(net: Network, root: str) -> Iterator[Problem]:
    """A by-year value starts at or before the first plan year, so every year has a value."""
    for path, sched in _schedules(net, root):
        first = first_step(sched)
        if isinstance(sched, dict) and not sched:
            yield Problem(path, "empty schedule; give a number or {year: value} steps")
        elif first is not None and first > net.years.first:
            yield Problem(path, f"first step is {first}, after the first plan year "
                          f"{net.years.first}; add a step for {net.years.first}", sched)


def _known_places(net: Network) -> set[str]:
    countries = {p.country for p in net.plants} | {s.country for s in net.suppliers}
    countries |= {m.country for m in net.markets}
    return countries | set(net.groups) | {c for cs in net.groups.values() for c in cs}


def check_places_are_known(net: Network, root: str) -> Iterator[Problem]:
    """Duty and rule places are countries used somewhere, groups, or `*`."""
    known = _known_places(net)
    hint = "a country of a plant, supplier or market, a group under groups, or *"
    for i, duty in enumerate(net.duties):
        for field in ("origin", "destination"):
            place = getattr(duty, field)
            if place != "*" and place not in known:
                yield Problem(f"{root}.duties[{i}].{field}",
                              f"unknown place{did_you_mean(place, known)}; expected {hint}",
                              place)
    for i, rule in enumerate(net.rules):
        for field in ("countries", "destinations"):
            for j, place in enumerate(getattr(rule, field)):
                if place not in known:
                    yield Problem(f"{root}.rules[{i}].{field}[{j}]",
                                  f"unknown place{did_you_mean(place, known)}; expected {hint}",
                                  place)


def _reachable(net: Network, origin: str, destination: str, cargo: ProductKind) -> bool:
    if origin == destination:
        return True
    return any(lane.origin == origin and lane.destination == destination
               and (lane.cargo is ProductKind.VEHICLE) == (cargo is ProductKind.VEHICLE)
               for lane in net.lanes)


def check_markets_are_reachable(net: Network, root: str) -> Iterator[Problem]:
    """Each demanded model can reach its market from some plant that makes it."""
    for i, market in enumerate(net.markets):
        for name in market.demand:
            makers = [p for p in net.plants if p.models is None or name in p.models]
            if not any(_reachable(net, p.country, market.country, ProductKind.VEHICLE)
                       for p in makers):
                yield Problem(f"{root}.markets[{i}].demand.{name}",
                              f"no plant making {name!r} has a vehicle lane to "
                              f"{market.country}; add a lane or a plant", name)


def check_plants_can_produce_in_time(net: Network, root: str) -> Iterator[Problem]:
    """A candidate plant must be able to start production within the horizon."""
    for i, plant in enumerate(net.plants):
        if plant.existing:
            continue
        sop = max(net.years.first + plant.lead_time, plant.earliest_start or 0)
        if sop > net.years.last:
            yield Problem(f"{root}.plants[{i}]", f"cannot produce before {sop} (lead time "
                          f"{plant.lead_time} y), after the last plan year {net.years.last}; "
                          "shorten the lead time or extend years.last", plant.name)


def check_shares_are_shares(net: Network, root: str) -> Iterator[Problem]:
    """Duty rates, thresholds and ramp-up shares are fractions (0.1 = 10%), not percent."""
    for path, sched in _schedules(net, root):
        values = sched.values() if isinstance(sched, dict) else [sched]
        for v in values:
            if path.endswith(".threshold") and v > 1:
                yield Problem(path, "a content share is at most 1 (0.55 for 55%)", v)
            elif path.endswith(".rate") and v > 5:
                yield Problem(path, "looks like a percentage; write rates as fractions "
                              "(0.35 for 35%)", v)


def check_only_existing_plants_close_or_idle(net: Network, root: str) -> Iterator[Problem]:
    """Closing and idling are options of plants that exist; a candidate simply is not built."""
    for i, plant in enumerate(net.plants):
        for field in ("closing_cost", "idle_cost"):
            if getattr(plant, field) is not None and not plant.existing:
                yield Problem(f"{root}.plants[{i}].{field}", "only an existing plant can close "
                              "or idle; a candidate plant is simply not built", None)


def check_customs_unions_are_groups(net: Network, root: str) -> Iterator[Problem]:
    """A customs union names one of the groups (its members are the group's countries)."""
    for i, name in enumerate(net.customs_unions):
        if name not in net.groups:
            yield Problem(f"{root}.customs_unions[{i}]", "not a group"
                          f"{did_you_mean(name, net.groups)}; declare it under groups with "
                          "its member countries", name)


def check_minimum_duties_have_values(net: Network, root: str) -> Iterator[Problem]:
    """A minimum duty amount is a vehicle's, compared with rate x its customs value."""
    minimum = [i for i, d in enumerate(net.duties) if d.has_minimum]
    for i in minimum:
        if net.duties[i].product is not ProductKind.VEHICLE:
            yield Problem(f"{root}.duties[{i}].minimum", "a minimum amount applies to vehicle "
                          "duties only; give parts duties as a rate", net.duties[i].minimum)
    if any(net.duties[i].product is ProductKind.VEHICLE for i in minimum):
        for i, model in enumerate(net.models):
            if model.customs_value <= 0:
                yield Problem(f"{root}.models[{i}].customs_value", "a duty with a minimum "
                              "amount needs the customs value of the vehicles it applies to",
                              model.customs_value)


def check_undertakings_name_a_duty_and_models(net: Network, root: str) -> Iterator[Problem]:
    """An undertaking replaces a declared vehicle duty for declared models with a value."""
    duties = {d.name: d for d in net.duties}
    models = {m.name: m for m in net.models}
    for i, u in enumerate(net.undertakings):
        path = f"{root}.undertakings[{i}]"
        duty = duties.get(u.duty)
        if duty is None:
            yield Problem(f"{path}.duty", f"no such duty{did_you_mean(u.duty, duties)}", u.duty)
        elif duty.product is not ProductKind.VEHICLE:
            yield Problem(f"{path}.duty", "an undertaking replaces a vehicle duty; this one is "
                          f"on {duty.product.value}", u.duty)
        for name in u.models:
            model = models.get(name)
            if model is None:
                yield Problem(f"{path}.models.{name}",
                              f"no such model{did_you_mean(name, models)}", name)
            elif model.customs_value <= 0:
                yield Problem(f"{path}.models.{name}", "the model needs a customs_value: its "
                              "duties are compared on it", name)


CHECKS: tuple[Check, ...] = (
    check_unique_names,
    check_components_exist,
    check_models_exist,
    check_every_component_has_a_supplier,
    check_schedules_cover_the_horizon,
    check_shares_are_shares,
    check_places_are_known,
    check_customs_unions_are_groups,
    check_only_existing_plants_close_or_idle,
    check_minimum_duties_have_values,
    check_undertakings_name_a_duty_and_models,
    check_markets_are_reachable,
    check_plants_can_produce_in_time,
)


def network_problems(net: Network, root: str = "network") -> list[Problem]:
    """Every cross-entity problem of a network, in check order."""
    return [problem for check in CHECKS for problem in check(net, root)]

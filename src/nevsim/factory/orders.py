"""The order book of a mixed-model line and the sequencing policies planners compare.

An order is a car to build: its model, trim, colour and options. The order book is the day's
orders in the order sales released them (first in, first out). A sequencing policy turns it
into the order of cars into the line:
- `fifo`: as booked;
- `colour-batches`: the paint shop's rule of thumb, the largest colour's next batch (at most
  the batch limit) after the other colours', with no thought for options;
- `option-spacing`: the assembly line's rule of thumb, each car the earliest booked one that
  breaks no option rule there (looking a window ahead), with no thought for paint;
- `optimized`: `nevsim.factory.sequencing.optimize` on the plant's ranked goals, from `fifo`.

`overloads` says what a sequence costs the stations whose work depends on the car, in the
classic paced-line model of mixed-model sequencing (Yano and Rachamadugu; Boysen, Fliedner and
Scholl's review): the operator starts a car where the last one left off, may follow it for
the station's zone, and what is left at the zone's end is overload, finished by a utility
worker or by stopping the line.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from nevsim.factory.model import Goal, Overload, Plant, Policy, Priority, Tone, Variants
from nevsim.factory.sequencing import ROADEF_WEIGHTS, Counting, Problem, Rule, Score, score

LOOKAHEAD = 60
"""Orders `option-spacing` looks at for each place (a day's order book is a thousand)."""


@dataclass(frozen=True)
class Order:
    """One car to build."""

    id: str
    model: str
    colour: str
    trim: str = ""
    options: frozenset[str] = frozenset()


def draw_orders(variants: Variants, count: int, seed: int) -> list[Order]:
    """An order book of `count` cars drawn from the mix shares (options independently)."""
    rng = np.random.default_rng(seed)
    model_of = rng.choice(len(variants.models), size=count, p=[m.share for m in variants.models])
    colour_of = rng.choice(len(variants.colours), size=count,
                           p=[c.share for c in variants.colours])
    carries = rng.random((count, len(variants.options))) < [o.share for o in variants.options]
    orders = []
    for i in range(count):
        model = variants.models[int(model_of[i])]
        trim = ""
        if model.trims:
            trim = model.trims[int(rng.choice(len(model.trims),
                                              p=[t.share for t in model.trims]))].name
        options = frozenset(o.name for o, on in zip(variants.options, carries[i], strict=True)
                            if on)
        orders.append(Order(f"{i + 1:05d}", model.name, variants.colours[int(colour_of[i])].name,
                            trim, options))
    return orders


def change_costs(variants: Variants) -> np.ndarray:
    """Purges a colour change is worth: 1, or the dark-to-light factor from dark to light."""
    tones = [c.tone for c in variants.colours]
    n = len(tones)
    costs = np.ones((n, n))
    for a, b in itertools.product(range(n), range(n)):
        if tones[a] is Tone.DARK and tones[b] is Tone.LIGHT:
            costs[a, b] = variants.paint.dark_to_light
    np.fill_diagonal(costs, 0.0)
    return costs


def problem(variants: Variants, orders: list[Order], name: str = "order book") -> Problem:
    """The order book as a sequencing problem with the plant's ranked goals."""
    rank = {goal: i for i, goal in enumerate(variants.goals)}
    level = {Priority.HIGH: Goal.HIGH, Priority.LOW: Goal.LOW}
    rules = []
    for option in variants.options:
        most, window = option.limits()
        goal = level[option.priority]
        rules.append(Rule(option.name, most, window, rank.get(goal, len(variants.goals))))
    marks = np.array([[option.name in o.options for o in orders] for option in variants.options],
                     dtype=np.int64).reshape(len(variants.options), len(orders))
    palette = [c.name for c in variants.colours]
    weights = (*ROADEF_WEIGHTS[:len(variants.goals)], 0.0)  # a goal left out weighs nothing
    colours = np.array([palette.index(o.colour) for o in orders], dtype=np.int64)
    return Problem(name, marks, rules, colours=colours, colour_names=palette,
                   change_cost=change_costs(variants),
                   colour_rank=rank.get(Goal.PAINT, len(variants.goals)),
                   batch_limit=variants.paint.batch_limit or 0, weights=weights,
                   counting=Counting.EXCESS)


def colour_batches(variants: Variants, orders: list[Order]) -> list[int]:
    """Batches of one colour, each at most the batch limit, largest colour first."""
    limit = variants.paint.batch_limit or len(orders)
    waiting: dict[str, list[int]] = {}
    for i, order in enumerate(orders):
        waiting.setdefault(order.colour, []).append(i)
    sequence: list[int] = []
    last = ""
    while any(waiting.values()):
        # the same colour again only when it is the last one left (a batch limit then breaks)
        choices = [c for c, q in waiting.items() if q and c != last] or [last]
        colour = max(choices, key=lambda c: (len(waiting[c]), -waiting[c][0]))
        sequence += waiting[colour][:limit]
        del waiting[colour][:limit]
        last = colour
    return sequence


def option_spacing(variants: Variants, orders: list[Order]) -> list[int]:
    """Each place takes the earliest booked car (of the next LOOKAHEAD) that breaks no rule.

    When every one would, the one that breaks the fewest high-priority rules, then low.
    """
    rules = [(o.name, *o.limits(), 1000 if o.priority is Priority.HIGH else 1)
             for o in variants.options]
    waiting = list(range(len(orders)))
    sequence: list[int] = []
    for _ in range(len(orders)):
        best, best_cost = waiting[0], None
        for i in waiting[:LOOKAHEAD]:
            cost = 0
            for name, most, window, weight in rules:
                if name in orders[i].options:
                    recent = sequence[-(window - 1):] if window > 1 else []
                    if sum(name in orders[j].options for j in recent) + 1 > most:
                        cost += weight
            if best_cost is None or cost < best_cost:
                best, best_cost = i, cost
            if cost == 0:
                break
        sequence.append(best)
        waiting.remove(best)
    return sequence


@dataclass(frozen=True)
class Batches:
    """Runs of one colour in a sequence: how many, how long."""

    count: int
    mean: float
    longest: int
    lengths: list[int]


def batches(colours: list[str]) -> Batches:
    """The colour batches of a sequence of colours."""
    lengths = [len(list(run)) for _, run in itertools.groupby(colours)]
    return Batches(len(lengths), float(np.mean(lengths)) if lengths else 0.0,
                   max(lengths, default=0), lengths)


@dataclass(frozen=True)
class Overloads:
    """Overload a sequence causes at each station with work content (seconds, cars)."""

    stations: list[str]
    seconds: list[float]  # overload at each station
    events: list[int]  # cars that overloaded it
    mode: Overload
    cars: int
    takt: float
    utility_cost_per_hour: float

    @property
    def hours(self) -> float:
        """All stations' overload, in hours."""
        return sum(self.seconds) / 3600.0

    @property
    def cost(self) -> float:
        """Utility workers' pay, USD (nothing when the line stops instead)."""
        return self.hours * self.utility_cost_per_hour if self.mode is Overload.UTILITY else 0.0

    @property
    def jph(self) -> float:
        """Cars an hour over the sequence: at the takt, less the stops (at most their sum).

        Stops at different stations may overlap in time; counting each in full gives the
        lower bound of the line's rate.
        """
        stopped = sum(self.seconds) if self.mode is Overload.STOP else 0.0
        return 3600.0 * self.cars / (self.cars * self.takt + stopped)


def extra_work(content: dict[str, float], model: str, options: frozenset[str]) -> float:
    """A car's work content at a station: the seconds its model and its options add."""
    return sum(extra for name, extra in content.items() if name == model or name in options)


def overloads(plant: Plant, orders: list[Order], sequence: list[int]) -> Overloads:
    """Overload of each station with work content when the cars come in `sequence`.

    A car's work at a station is the station's mean cycle plus the work content of its model
    and options. The operator starts car j at offset s (0: as it enters the zone), ends at
    s + w; beyond the zone z the overload u = max(0, s + w - z) is finished by a utility worker
    or a line stop; the next car enters a takt c later, so s' = max(0, s + w - u - c).
    """
    assert plant.variants is not None
    names, seconds, events = [], [], []
    for station in plant.stations:  # work content is checked to stay off feeders
        if not station.work_content:
            continue
        base = station.cycle.mean()
        zone = station.zone or plant.takt
        offset, total, count = 0.0, 0.0, 0
        for j in sequence:
            order = orders[j]
            work = base + extra_work(station.work_content, order.model, order.options)
            over = max(0.0, offset + work - zone)
            total += over
            count += over > 0.0
            offset = max(0.0, offset + work - over - plant.takt)
        names.append(station.name)
        seconds.append(total)
        events.append(count)
    return Overloads(names, seconds, events, plant.variants.overload, len(sequence),
                     plant.takt, plant.variants.utility_cost_per_hour)


@dataclass(frozen=True)
class PolicyResult:
    """One policy's sequence and what it costs the line and the paint shop."""

    policy: Policy
    order: list[int]  # order book positions in sequence
    score: Score
    batches: Batches
    purge_hours: float
    purge_cost: float
    overload: Overloads | None  # with the plant: what the sequence costs the stations


def judge(variants: Variants, orders: list[Order], policy: Policy,
          sequence: list[int], sequencing: Problem | None = None,
          plant: Plant | None = None) -> PolicyResult:
    """Score a sequence of order-book positions for a policy (and its overload, given the plant)."""
    found = score(sequencing or problem(variants, orders), sequence)
    paint = variants.paint
    return PolicyResult(policy, sequence, found, batches([orders[i].colour for i in sequence]),
                        found.change_cost * paint.purge_time / 3600.0,
                        found.change_cost * paint.purge_cost,
                        overloads(plant, orders, sequence) if plant is not None else None)


SIMULATION_MOVES = 200_000
"""Optimizer moves for a simulation's sequence (a tenth of `factory sequence`'s default)."""


def policy_order(variants: Variants, orders: list[Order], policy: Policy, *, seed: int = 0,
                 moves: int = SIMULATION_MOVES) -> list[int]:
    """The order-book positions in the sequence a policy makes of them."""
    from nevsim.factory.sequencing import optimize

    if policy is Policy.COLOUR_BATCHES:
        return colour_batches(variants, orders)
    if policy is Policy.OPTION_SPACING:
        return option_spacing(variants, orders)
    if policy is Policy.OPTIMIZED:
        return optimize(problem(variants, orders), seed=seed, moves=moves).order
    return list(range(len(orders)))


def sequenced(plant: Plant, seed: int) -> list[Order]:
    """The cars a simulation builds in turn, in the order the plant's policy gives them.

    They are the plant's order book, drawn from the mix shares with `seed`.
    """
    variants = plant.variants
    assert variants is not None
    booked = draw_orders(variants, variants.order_book, seed)
    return [booked[i] for i in policy_order(variants, booked, variants.policy, seed=seed)]


@dataclass(frozen=True)
class Mix:
    """A sequence of cars as the kernel reads it: car classes and what each costs a station."""

    classes: list[tuple[str, str, frozenset[str]]]  # (model, colour, options) of each class
    sequence: np.ndarray  # class of each car in turn
    work: np.ndarray  # [station, class] extra work content, seconds
    colour: np.ndarray  # [class] colour number
    purge: np.ndarray  # [from colour, to colour] purge seconds at the booth


def mix(plant: Plant, cars: list[Order], stations: list[str]) -> Mix:
    """The kernel's view of `cars` (in sequence) on the plant's stations (flattened order)."""
    variants = plant.variants
    assert variants is not None
    index: dict[tuple[str, str, frozenset[str]], int] = {}
    sequence = np.array([index.setdefault((c.model, c.colour, c.options), len(index))
                         for c in cars], dtype=np.int64)
    classes = list(index)
    content = {s.name: s.work_content for s in plant.stations}
    work = np.zeros((len(stations), len(classes)))
    for k, name in enumerate(stations):
        for c, (model, _, options) in enumerate(classes):
            work[k, c] = extra_work(content.get(name, {}), model, options)
    palette = [c.name for c in variants.colours]
    return Mix(classes, sequence, work,
               np.array([palette.index(colour) for _, colour, _ in classes], dtype=np.int64),
               change_costs(variants) * variants.paint.purge_time)

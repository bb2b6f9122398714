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
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from nevsim.factory.model import Goal, Priority, Tone, Variants
from nevsim.factory.sequencing import ROADEF_WEIGHTS, Counting, Problem, Rule, Score, score

LOOKAHEAD = 60
"""Orders `option-spacing` looks at for each place (a day's order book is a thousand)."""


class Policy(StrEnum):
    """How the order book becomes the line's sequence."""

    FIFO = "fifo"
    COLOUR_BATCHES = "colour-batches"
    OPTION_SPACING = "option-spacing"
    OPTIMIZED = "optimized"


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
    models = [m.name for m in variants.models]
    model_of = rng.choice(len(models), size=count, p=[m.share for m in variants.models])
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
class PolicyResult:
    """One policy's sequence and what it costs the line and the paint shop."""

    policy: Policy
    order: list[int]  # order book positions in sequence
    score: Score
    batches: Batches
    purge_hours: float
    purge_cost: float


def judge(variants: Variants, orders: list[Order], policy: Policy,
          sequence: list[int], sequencing: Problem | None = None) -> PolicyResult:
    """Score a sequence of order-book positions for a policy."""
    found = score(sequencing or problem(variants, orders), sequence)
    paint = variants.paint
    return PolicyResult(policy, sequence, found, batches([orders[i].colour for i in sequence]),
                        found.change_cost * paint.purge_time / 3600.0,
                        found.change_cost * paint.purge_cost)

"""Car sequencing: the order of cars into a mixed-model line, under option rules and paint.

An option rule H:N says that at most H of any N consecutive cars may carry the option (a
station that fits the option's extra work content into N cycles only H times). The paint shop
wants few colour changes (each costs purge time and paint; changes may cost more one way than
the other, dark to light dearer than light to dark) and never more than a batch limit of one
colour in a row (the guns must be cleaned). The user ranks these goals; each rank has a
weight (by default 1,000,000, 1,000 and 1, the ROADEF 2005 Renault challenge's).

Violations of a rule are counted in one of two ways, both from the literature:
- `WINDOWS` (CSPLib problem 001): every window of N consecutive cars wholly inside the
  sequence with more than H cars carrying the option counts once;
- `EXCESS` (ROADEF 2005): every window counts the cars over H in it; windows run from the
  last cars already built (the previous day's, `Problem.fixed`) and are cut short at the end.
Colour changes count each pair of neighbours of different colours from the last car already
built on; a run of one colour counts the cars already built that end it, too.

`optimize` searches by swapping two cars (often of one colour), moving a car, reversing a
stretch or moving a block, each move judged by the windows and neighbours it touches only
(compiled), accepting a worse sequence with a falling probability (simulated annealing) and
keeping the best seen. The batch limit is
never broken. A fixed number of moves and a seed make it repeatable on any machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from nevsim.factory.sequence_search import anneal, colour_cost, longest_run, rule_cost

ROADEF_WEIGHTS = (1_000_000.0, 1_000.0, 1.0)
"""Weights of the first, second and third ranked goals in the ROADEF 2005 challenge."""


class Counting(Enum):
    """How the violations of an option rule are counted."""

    WINDOWS = "windows"  # windows over the limit (CSPLib)
    EXCESS = "excess"  # cars over the limit, window by window (ROADEF 2005)


@dataclass(frozen=True)
class Rule:
    """At most `most` of any `window` consecutive cars carry option `name`."""

    name: str
    most: int
    window: int
    rank: int = 0  # the goal it belongs to (0: first)


@dataclass(frozen=True)
class Problem:
    """Cars to sequence: their options and colours, the rules, the paint shop and the goals.

    The first `fixed` cars are already built, in this order; the others are to be ordered.
    """

    name: str
    marks: np.ndarray  # [rule, car] 1 if the car carries the rule's option
    rules: list[Rule]
    colours: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # [car]
    colour_names: list[str] = field(default_factory=list)
    change_cost: np.ndarray | None = None  # [from, to] cost of a change (default: 1 each)
    colour_rank: int = -1  # the goal colour changes belong to (-1: not a goal)
    batch_limit: int = 0  # most cars of one colour in a row (0: no limit)
    fixed: int = 0
    weights: tuple[float, ...] = (1.0,)  # per goal, by rank
    counting: Counting = Counting.WINDOWS

    @property
    def cars(self) -> int:
        """All cars, the ones already built included."""
        return int(self.marks.shape[1]) if self.marks.size else len(self.colours)

    def costs(self) -> np.ndarray:
        """The colour change cost matrix (1 for every change unless given)."""
        if self.change_cost is not None:
            return np.asarray(self.change_cost, dtype=np.float64)
        n = max(len(self.colour_names), int(self.colours.max()) + 1 if self.colours.size else 1)
        return 1.0 - np.eye(n)


@dataclass(frozen=True)
class Score:
    """A sequence's goals: violations per rule, colour changes, their cost, the weighted sum."""

    violations: dict[str, int]
    colour_changes: int
    change_cost: float
    longest_batch: int
    by_rank: list[float]
    objective: float


@dataclass(frozen=True)
class Sequence:
    """An order of all cars (the fixed ones first) and its score."""

    order: list[int]
    score: Score
    moves: int  # moves tried


def _arrays(problem: Problem) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                       np.ndarray, float]:
    """The problem as the compiled search's arrays; the colour goal's weight (0: none)."""
    marks = np.ascontiguousarray(problem.marks, dtype=np.int64).reshape(len(problem.rules),
                                                                         problem.cars)
    colours = (np.asarray(problem.colours, dtype=np.int64) if problem.colours.size
               else np.zeros(problem.cars, dtype=np.int64))
    most = np.array([r.most for r in problem.rules], dtype=np.int64)
    window = np.array([r.window for r in problem.rules], dtype=np.int64)
    weight = np.array([problem.weights[r.rank] for r in problem.rules], dtype=np.float64)
    colour_weight = problem.weights[problem.colour_rank] if problem.colour_rank >= 0 else 0.0
    return marks, colours, most, window, weight, float(colour_weight)


def _checked(problem: Problem, order: list[int] | np.ndarray) -> np.ndarray:
    """The order as an array, once it holds every car once and the fixed ones in front."""
    order = np.asarray(order, dtype=np.int64)
    if sorted(order.tolist()) != list(range(problem.cars)):
        raise ValueError(f"a sequence of {problem.name} must hold each of its "
                         f"{problem.cars} cars once")
    if problem.fixed and not np.array_equal(order[:problem.fixed], np.arange(problem.fixed)):
        raise ValueError(f"the first {problem.fixed} cars of {problem.name} are already built "
                         "and keep their order")
    return order


def score(problem: Problem, order: list[int] | np.ndarray) -> Score:
    """The goals of a sequence of all cars (the fixed ones first, in their order)."""
    order = _checked(problem, order)
    marks, colours, most, window, _, _ = _arrays(problem)
    excess = problem.counting is Counting.EXCESS
    pm = marks[:, order]
    pc = colours[order]
    costs = problem.costs()
    found = {r.name: int(rule_cost(pm[k], problem.fixed, most[k], window[k], excess, 0,
                                    problem.cars))
             for k, r in enumerate(problem.rules)}
    changes = int(colour_cost(pc, problem.fixed, 1.0 - np.eye(costs.shape[0]), 0, problem.cars))
    cost = float(colour_cost(pc, problem.fixed, costs, 0, problem.cars))
    by_rank = [0.0] * len(problem.weights)
    for r in problem.rules:
        by_rank[r.rank] += found[r.name]
    if problem.colour_rank >= 0:
        by_rank[problem.colour_rank] += cost
    longest = int(longest_run(pc, problem.fixed))
    return Score(found, changes, cost, longest, by_rank,
                 float(sum(w * v for w, v in zip(problem.weights, by_rank, strict=True))))


def _within_batches(problem: Problem, order: np.ndarray, rng: np.random.Generator) -> None:
    """Break runs over the batch limit by swapping in a car of another colour (in place)."""
    colours = problem.colours
    limit = problem.batch_limit
    for _ in range(4):
        run = 0
        broken = False
        for q in range(len(order)):
            run = run + 1 if q > 0 and colours[order[q]] == colours[order[q - 1]] else 1
            if run > limit and q >= problem.fixed:
                others = [p for p in range(problem.fixed, len(order))
                          if colours[order[p]] != colours[order[q]] and abs(p - q) > 1]
                if not others:
                    raise ValueError(f"{problem.name}: no order keeps every colour within "
                                     f"batches of {limit}")
                p = others[int(rng.integers(len(others)))]
                order[q], order[p] = order[p], order[q]
                run = 1
                broken = True
        if not broken:
            return
    if longest_run(colours[order], problem.fixed) > limit:
        raise ValueError(f"{problem.name}: found no order that keeps every colour within "
                         f"batches of {limit}")


def optimize(problem: Problem, *, seed: int = 0, moves: int = 2_000_000,
             start: list[int] | None = None, span: int = 0) -> Sequence:
    """The best sequence the search finds in `moves` moves, from `start` or the given order.

    The search anneals once per goal, in rank order, each time from half a unit of that goal
    down to a two-hundredth (the goals above are then out of reach of any worse move), the
    last phase down to a twentieth of the last goal's unit. It stops early at a zero objective.
    The same seed and moves give the same sequence on any machine. `span` bounds how far a
    car moves in one step, or a stretch reversed (default: twice the longest window, at most
    30); swaps reach anywhere.
    """
    rng = np.random.default_rng(seed)
    fixed = problem.fixed
    order = _checked(problem, start if start is not None else list(range(problem.cars)))
    marks, colours, most, window, weight, colour_weight = _arrays(problem)
    if problem.batch_limit > 0 and problem.colours.size:
        _within_batches(problem, order, rng)
    longest = int(window.max()) if window.size else 1
    span = span or max(min(2 * longest, 30), 2)
    used = sorted({r.rank for r in problem.rules}
                  | ({problem.colour_rank} if problem.colour_rank >= 0 else set()))
    units = [problem.weights[r] for r in used if problem.weights[r] > 0] or [1.0]
    phases = np.array([[moves // len(units), 0.5 * w, 0.005 * w] for w in units])
    phases[-1, 2] = 0.05 * units[-1]
    phases[-1, 0] += moves - phases[:, 0].sum()
    best, _ = anneal(order.copy(), marks, colours, fixed, most, window, weight,
                      problem.counting is Counting.EXCESS, problem.costs(), colour_weight,
                      int(problem.batch_limit if problem.colours.size else 0), phases,
                      longest, span, rng)
    return Sequence([int(c) for c in best], score(problem, best), int(moves))


@dataclass(frozen=True)
class Instance:
    """A CSPLib car sequencing instance: cars by class, each class's options, the rules."""

    name: str
    counts: list[int]  # cars of each class
    options: list[list[int]]  # class x option: 1 if the class carries it
    rules: list[tuple[int, int]]  # per option: (H, N), at most H in any N consecutive cars

    @property
    def cars(self) -> int:
        """Cars to sequence."""
        return sum(self.counts)

    def classes(self) -> np.ndarray:
        """The class of each car."""
        return np.repeat(np.arange(len(self.counts)), self.counts)

    def problem(self, classes: list[int] | None = None) -> Problem:
        """The instance as a sequencing problem: violated windows, one goal, no paint.

        Its cars are the instance's, or one of each class in `classes`, in that order.
        """
        cars = self.classes() if classes is None else np.asarray(classes, dtype=np.int64)
        marks = np.asarray(self.options, dtype=np.int64)[cars].T
        rules = [Rule(f"option {k + 1}", h, n) for k, (h, n) in enumerate(self.rules)]
        return Problem(self.name, marks, rules)


def violations(classes: list[int], instance: Instance) -> int:
    """Windows of N consecutive cars holding more than H cars with an option, over options."""
    return int(score(instance.problem(classes), list(range(len(classes)))).objective)


def solve(instance: Instance, *, seed: int = 0, moves: int = 2_000_000) -> tuple[list[int], int]:
    """The classes in the order of the best sequence found, and its violations."""
    found = optimize(instance.problem(), seed=seed, moves=moves)
    classes = instance.classes()
    return [int(classes[c]) for c in found.order], int(found.score.objective)

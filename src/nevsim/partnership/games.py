"""Cooperative games in characteristic-function form, and how to split what a coalition earns.

A game gives every coalition S of players its value v(S) (the empty coalition 0). The
solution concepts: the Shapley value (each player's average marginal contribution over all
orders of joining), the core (splits no coalition would leave), the least core (the split that
gives the worst-off coalition the most above its value, when the core is empty the least it
must give up) and the nucleolus (lexicographically the best for the worst-off coalitions,
unique and in the core whenever the core is not empty). The LPs run on HiGHS (scipy).

The nucleolus is computed by the sequential LPs with the fixing step done right: after each LP
only the coalitions whose excess is the same in every optimal solution are fixed, each found
by a test LP, never every coalition that happens to be tight in the solution the solver
returned (Guajardo and Jornsten, EJOR 2015, show that shortcut can give a wrong answer).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

TOLERANCE = 1e-7
"""Slack below which a coalition counts as tight, relative to the values' scale."""

MAX_PLAYERS = 16
"""Games are given by all 2^n coalition values; beyond this they are too big to list."""


@dataclass(frozen=True)
class Game:
    """Players and the value of every coalition (a frozenset of players)."""

    players: tuple[str, ...]
    values: dict[frozenset[str], float]

    @staticmethod
    def of(players: Sequence[str], value: Callable[[frozenset[str]], float]) -> Game:
        """A game from a function of coalitions (called once per coalition)."""
        if len(players) > MAX_PLAYERS:
            raise ValueError(f"at most {MAX_PLAYERS} players, got {len(players)}")
        if len(set(players)) != len(players):
            raise ValueError("player names must be unique")
        values: dict[frozenset[str], float] = {frozenset(): 0.0}
        for size in range(1, len(players) + 1):
            for members in itertools.combinations(players, size):
                values[frozenset(members)] = float(value(frozenset(members)))
        return Game(tuple(players), values)

    def v(self, coalition: Iterable[str]) -> float:
        """The value of a coalition."""
        return self.values[frozenset(coalition)]

    @property
    def grand(self) -> frozenset[str]:
        """All players together."""
        return frozenset(self.players)

    def coalitions(self, proper: bool = True) -> list[frozenset[str]]:
        """Every non-empty coalition (without the grand one when `proper`)."""
        return [s for s in self.values if s and (not proper or s != self.grand)]

    def _scale(self) -> float:
        return max(1.0, max(abs(x) for x in self.values.values()))

    def is_superadditive(self) -> bool:
        """Whether any two disjoint coalitions together are worth at least what they are apart."""
        return not self.superadditivity_gaps(TOLERANCE * self._scale())

    def superadditivity_gaps(self, tolerance: float
                             ) -> list[tuple[frozenset[str], frozenset[str], float]]:
        """Disjoint coalitions worth more apart than together, with the shortfall.

        Only shortfalls above `tolerance` count; the worst come first.
        """
        found = []
        for a, b in itertools.combinations(self.coalitions(proper=False), 2):
            if not a & b:
                shortfall = self.values[a] + self.values[b] - self.values[a | b]
                if shortfall > tolerance:
                    found.append((a, b, shortfall))
        return sorted(found, key=lambda gap: -gap[2])

    def is_convex(self) -> bool:
        """Whether v(S u T) + v(S n T) >= v(S) + v(T) for all S, T.

        Then the core is large and holds the Shapley value.
        """
        eps = TOLERANCE * self._scale()
        items = list(self.values.items())
        return all(self.v(a | b) + self.v(a & b) >= va + vb - eps for a, va in items
                   for b, vb in items)


def shapley(game: Game) -> dict[str, float]:
    """Each player's average marginal contribution over every order in which players join."""
    n = len(game.players)
    weight = [math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n)
              for s in range(n)]
    out = {}
    for player in game.players:
        others = [p for p in game.players if p != player]
        total = 0.0
        for size in range(n):
            for members in itertools.combinations(others, size):
                s = frozenset(members)
                total += weight[size] * (game.values[s | {player}] - game.values[s])
        out[player] = total
    return out


def _bounds(game: Game, imputations: bool) -> list[tuple[float | None, None]]:
    """Each player's lower bound: its own value among imputations, else none."""
    return [(game.values[frozenset([p])] if imputations else None, None) for p in game.players]


def has_imputations(game: Game) -> bool:
    """Whether some split gives every player at least its value alone (v(N) >= sum v(i))."""
    alone = sum(game.values[frozenset([p])] for p in game.players)
    return game.values[game.grand] >= alone - TOLERANCE * game._scale()


def _least_core_lp(game: Game, fixed: list[tuple[frozenset[str], float]],
                   free: list[frozenset[str]], imputations: bool = False,
                   ) -> tuple[float, np.ndarray] | None:
    """Max e with x(S) - v(S) >= e for free coalitions, = e_S for fixed ones, x(N) = v(N).

    The variables are x (one per player) and e; `imputations` keeps x_i >= v(i).
    """
    n = len(game.players)
    index = {p: k for k, p in enumerate(game.players)}

    def row(s: frozenset[str]) -> np.ndarray:
        r = np.zeros(n + 1)
        for p in s:
            r[index[p]] = 1.0
        return r

    a_ub = [np.append(-row(s)[:n], 1.0) for s in free]
    b_ub = [-game.values[s] for s in free]
    a_eq = [np.append(row(game.grand)[:n], 0.0)]
    b_eq = [game.values[game.grand]]
    for s, excess in fixed:
        a_eq.append(np.append(row(s)[:n], 0.0))
        b_eq.append(game.values[s] + excess)
    c = np.zeros(n + 1)
    c[-1] = -1.0
    result = linprog(c, A_ub=np.array(a_ub) if a_ub else None, b_ub=b_ub or None,
                     A_eq=np.array(a_eq), b_eq=b_eq,
                     bounds=[*_bounds(game, imputations), (None, None)], method="highs")
    if result.status != 0:
        return None
    return float(result.x[-1]), result.x[:n]


def least_core(game: Game) -> tuple[float, dict[str, float]]:
    """The largest e such that a split gives every proper coalition v(S) + e, and the split.

    The core is empty exactly when e < 0.
    """
    unit, scale = _unit(game)
    found = _least_core_lp(unit, [], unit.coalitions())
    if found is None:  # cannot happen: x(N) = v(N) always has solutions with e finite
        raise ArithmeticError("the least-core LP has no solution")
    e, x = found
    return float(e * scale), {p: float(v * scale) for p, v in zip(game.players, x, strict=True)}


def _unit(game: Game) -> tuple[Game, float]:
    """The game in units of its largest value, and that unit.

    HiGHS's tolerances are absolute: values in the billions would make a 1e-7 feasibility
    tolerance meaningless and the sequential LPs wrong, so the LPs see numbers near 1.
    """
    scale = game._scale()
    return Game(game.players, {s: x / scale for s, x in game.values.items()}), scale


def core_is_empty(game: Game) -> bool:
    """Whether no split gives every coalition at least its value."""
    e, _ = least_core(game)
    return e < -TOLERANCE * game._scale()


def core_violation(game: Game, split: dict[str, float]) -> tuple[float, frozenset[str] | None]:
    """How far a split is from the core, and the coalition that would gain most by leaving.

    The distance is the largest v(S) - x(S): 0 or less means the split is in the core.
    """
    worst, who = -math.inf, None
    for s in game.coalitions():
        gap = game.values[s] - sum(split[p] for p in s)
        if gap > worst:
            worst, who = gap, s
    return worst, who


def nucleolus(game: Game, imputations: bool = True) -> dict[str, float]:
    """The nucleolus, by sequential LPs that fix only coalitions tight in every optimum.

    Among imputations (no player below its value alone) by default; `imputations=False`
    gives the prenucleolus, the same point whenever the core is not empty and the only one
    when cooperating costs more than it brings (v(N) < sum v(i): no imputation exists).
    """
    if imputations and not has_imputations(game):
        raise ValueError("no imputation exists (v(N) < sum of v(i)): use the prenucleolus")
    unit, scale = _unit(game)
    return {p: float(x * scale) for p, x in _nucleolus(unit, imputations).items()}


def _nucleolus(game: Game, imputations: bool) -> dict[str, float]:
    n = len(game.players)
    fixed: list[tuple[frozenset[str], float]] = []
    free = game.coalitions()
    scale = game._scale()
    while True:
        found = _least_core_lp(game, fixed, free, imputations)
        if found is None:
            raise ArithmeticError("a nucleolus LP has no solution")
        e, x = found
        newly = []
        for s in free:  # tight in every optimum: its excess cannot rise above e
            others = [t for t in free if t != s]
            probe = _max_excess(game, fixed, others, s, e, imputations)
            if probe <= e + TOLERANCE * scale:
                newly.append(s)
        if not newly:  # numerically impossible in exact arithmetic; stop with what we have
            return dict(zip(game.players, x, strict=True))
        fixed += [(s, e) for s in newly]
        free = [s for s in free if s not in newly]
        if _rank(game, [s for s, _ in fixed]) >= n or not free:
            final = _least_core_lp(game, fixed, free, imputations) if free else (e, x)
            assert final is not None
            return dict(zip(game.players, final[1], strict=True))


def _max_excess(game: Game, fixed: list[tuple[frozenset[str], float]],
                free: list[frozenset[str]], probe: frozenset[str], e: float,
                imputations: bool) -> float:
    """The most x(S) - v(S) can be for one coalition, the others keeping their excess.

    Every other free coalition keeps at least e and the fixed ones keep theirs.
    """
    n = len(game.players)
    index = {p: k for k, p in enumerate(game.players)}

    def row(s: frozenset[str]) -> np.ndarray:
        r = np.zeros(n)
        for p in s:
            r[index[p]] = 1.0
        return r

    a_ub = [-row(s) for s in free] + [-row(probe)]
    b_ub = [-(game.values[s] + e) for s in free] + [-(game.values[probe] + e)]
    a_eq = [row(game.grand)] + [row(s) for s, _ in fixed]
    b_eq = [game.values[game.grand]] + [game.values[s] + x for s, x in fixed]
    result = linprog(-row(probe), A_ub=np.array(a_ub), b_ub=b_ub, A_eq=np.array(a_eq),
                     b_eq=b_eq, bounds=_bounds(game, imputations), method="highs")
    if result.status == 3:  # unbounded: the coalition can gain without limit
        return math.inf
    if result.status != 0:
        return e
    return float(-result.fun) - game.values[probe]


def _rank(game: Game, coalitions: list[frozenset[str]]) -> int:
    index = {p: k for k, p in enumerate(game.players)}
    rows = [np.ones(len(game.players))]
    for s in coalitions:
        r = np.zeros(len(game.players))
        for p in s:
            r[index[p]] = 1.0
        rows.append(r)
    return int(np.linalg.matrix_rank(np.array(rows)))

"""Solution concepts on textbook games whose answers are known in closed form."""

from __future__ import annotations

import numpy as np
import pytest

from nevsim.partnership.games import (
    Game,
    core_is_empty,
    core_violation,
    has_imputations,
    least_core,
    nucleolus,
    shapley,
)


def _close(got: dict[str, float], want: dict[str, float]) -> None:
    assert got.keys() == want.keys()
    for player, value in want.items():
        assert got[player] == pytest.approx(value, abs=1e-6), (player, got)


def glove() -> Game:
    """L holds a left glove, R1 and R2 a right one each; a pair is worth 1."""
    return Game.of(["L", "R1", "R2"],
                   lambda s: float("L" in s and bool(s & {"R1", "R2"})))


def test_glove_game() -> None:
    """The glove game: one left glove, two right ones.

    Shapley (2/3, 1/6, 1/6): L is pivotal in 4 of 6 orders. The core is the single split
    (1, 0, 0) (each right glove is abundant), so it is the nucleolus and the least core.
    """
    game = glove()
    _close(shapley(game), {"L": 2 / 3, "R1": 1 / 6, "R2": 1 / 6})
    _close(nucleolus(game), {"L": 1, "R1": 0, "R2": 0})
    e, split = least_core(game)
    assert e == pytest.approx(0, abs=1e-9)
    _close(split, {"L": 1, "R1": 0, "R2": 0})
    assert game.is_superadditive() and not game.is_convex()


def test_airport_game_shapley_is_the_littlechild_owen_split() -> None:
    """Each runway segment's cost is shared equally by the players who need it.

    Runway costs 1, 3, 6 (a cost game v(S) = the longest runway S needs); Littlechild and
    Owen: 1/3; 1/3 + 2/2; 1/3 + 2/2 + 3/1.
    """
    cost = {"a": 1.0, "b": 3.0, "c": 6.0}
    game = Game.of(list(cost), lambda s: max(cost[p] for p in s))
    _close(shapley(game), {"a": 1 / 3, "b": 1 / 3 + 1, "c": 1 / 3 + 1 + 3})


@pytest.mark.parametrize(("estate", "talmud"), [
    (100, {"1": 100 / 3, "2": 100 / 3, "3": 100 / 3}),
    (200, {"1": 50, "2": 75, "3": 75}),
    (300, {"1": 50, "2": 100, "3": 150}),
    (400, {"1": 50, "2": 125, "3": 225}),
])
def test_bankruptcy_nucleolus_is_the_talmud_rule(estate: float,
                                                 talmud: dict[str, float]) -> None:
    """Aumann and Maschler (1985): the Talmud's division is the nucleolus.

    Claims 100, 200, 300 on an estate; v(S) = what S gets for sure, max(0, estate - the
    others' claims).
    """
    claims = {"1": 100.0, "2": 200.0, "3": 300.0}
    game = Game.of(list(claims), lambda s: max(0.0, estate - sum(
        c for p, c in claims.items() if p not in s)))
    split = nucleolus(game)
    _close(split, talmud)
    assert core_violation(game, split)[0] <= 1e-6  # bankruptcy games have a core


def test_majority_game_has_an_empty_core() -> None:
    """Any two of three players win 1: every split leaves some pair with less than 1.

    The least core gives each pair 2/3 (e = -1/3); the nucleolus is (1/3, 1/3, 1/3).
    """
    game = Game.of(["a", "b", "c"], lambda s: float(len(s) >= 2))
    assert core_is_empty(game)
    e, _ = least_core(game)
    assert e == pytest.approx(-1 / 3)
    _close(nucleolus(game), {"a": 1 / 3, "b": 1 / 3, "c": 1 / 3})
    gap, who = core_violation(game, {"a": 0.5, "b": 0.5, "c": 0.0})
    assert gap == pytest.approx(0.5) and who is not None and "c" in who


def test_allocations_are_efficient_and_convex_games_hold_shapley_in_the_core() -> None:
    game = Game.of(["a", "b", "c", "d"], lambda s: float(len(s)) ** 2)
    assert game.is_convex()
    for split in (shapley(game), nucleolus(game), least_core(game)[1]):
        assert sum(split.values()) == pytest.approx(16)
        assert core_violation(game, split)[0] <= 1e-6


def test_a_game_where_a_player_adds_nothing() -> None:
    """A dummy player (adds 0 to every coalition) gets 0 in every concept."""
    game = Game.of(["a", "b", "dummy"], lambda s: 10.0 * len(s & {"a", "b"}) ** 1.5)
    assert shapley(game)["dummy"] == pytest.approx(0)
    assert nucleolus(game)["dummy"] == pytest.approx(0, abs=1e-6)


def _coopgame(game: Game) -> object:
    """The same game for coopgame (values in its binary order: bit i = player i)."""
    import coopgame

    n = len(game.players)
    return coopgame.Game([game.v([game.players[i] for i in range(n) if mask >> i & 1])
                          for mask in range(1, 2 ** n)])


def _random_game(seed: int, n: int, scale: float) -> Game:
    """A random game: mostly superadditive values with noise, some coalitions worth less."""
    rng = np.random.default_rng(seed)
    players = [f"p{i}" for i in range(n)]
    weight = dict(zip(players, rng.uniform(0.5, 2.0, n), strict=True))
    return Game.of(players, lambda s: scale * (sum(weight[p] for p in s) ** 1.3
                                               * rng.uniform(0.7, 1.1)))


@pytest.mark.parametrize("scale", [1e-3, 1.0, 1e10])
@pytest.mark.parametrize("seed", range(6))
def test_nucleolus_and_shapley_agree_with_coopgame(seed: int, scale: float) -> None:
    """The Rust library coopgame (exact sequential LPs) is an independent reference.

    Values in the billions, as network profits are, once made the sequential LPs stop early
    or fail on HiGHS's absolute tolerances; the scales here keep that from coming back.
    """
    import coopgame

    game = _random_game(seed, 3 + seed % 3, scale)
    reference = _coopgame(game)
    tol = 1e-6 * scale
    pre = coopgame.prenucleolus(reference)["allocation"]
    _close_to(nucleolus(game, imputations=False), pre, game, tol)
    _close_to(shapley(game), coopgame.shapley(reference), game, tol)
    if has_imputations(game):
        _close_to(nucleolus(game), coopgame.nucleolus(reference)["allocation"], game, tol)
        e, _ = least_core(game)
        theirs = coopgame.least_core(reference)["epsilon"]
        if e > 0 or theirs <= 0:  # non-empty core: both define the same least core
            assert -e == pytest.approx(theirs, abs=tol)
    else:
        with pytest.raises(ValueError, match="no imputation"):
            nucleolus(game)


def _close_to(got: dict[str, float], want: list[float], game: Game, tol: float) -> None:
    for player, value in zip(game.players, want, strict=True):
        assert got[player] == pytest.approx(value, abs=tol), (player, got, want)


def test_nucleolus_leaves_the_prenucleolus_when_a_player_would_get_less_than_alone() -> None:
    """Imputations keep each player at its value alone; the prenucleolus may not.

    v = (0, 0, 0 | 10, 0, 0 | 2) for three players (coopgame's documented example) gives
    the prenucleolus (3, 3, -4) and the nucleolus (1, 1, 0): player 3 adds nothing to 1 + 2
    but can break up the grand coalition's value.
    """
    values = {"1": 0, "2": 0, "3": 0, "12": 10, "13": 0, "23": 0, "123": 2}
    game = Game(("1", "2", "3"), {frozenset(): 0.0,
                                  **{frozenset(k): float(v) for k, v in values.items()}})
    _close(nucleolus(game, imputations=False), {"1": 3, "2": 3, "3": -4})
    _close(nucleolus(game), {"1": 1, "2": 1, "3": 0})

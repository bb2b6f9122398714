"""Solution concepts on textbook games whose answers are known in closed form."""

from __future__ import annotations

import pytest

from nevsim.partnership.games import (
    Game,
    core_is_empty,
    core_violation,
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

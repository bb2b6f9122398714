"""`solve`: plan every coalition, then the game: gain, stability and fair splits.

The nucleolus comes from coopgame (exact sequential LPs); nevsim's own HiGHS LPs compute it
again beside it as an independent check, and the run says how far the two are apart.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from nevsim.experiments.executors import DaskCluster, LocalPool
from nevsim.partnership import games
from nevsim.partnership.games import Game
from nevsim.partnership.results import Allocation, PartnershipResult
from nevsim.partnership.values import Progress, evaluate

if TYPE_CHECKING:
    from nevsim.document import Scenario

RELATIVE = 1e-6
"""Differences below this share of the largest coalition value are rounding, not findings."""

CHECKED_UP_TO = 8
"""Partners up to which nevsim's own LPs check coopgame's nucleolus on every run: they probe
every coalition at every level, 3.5 s at 8 partners and 34 s at 10 (coopgame: 0.01 s)."""


def solve(scenario: Scenario, *, time_limit: float | None = None, workers: int | None = None,
          progress: Progress | None = None,
          runner: LocalPool | DaskCluster | None = None) -> PartnershipResult:
    """Value every coalition with the network planner, then split the grand coalition's value.

    The plans run on `runner` (an executor), else on the local pool with `workers` processes
    (None: picked from the free cores and the first plan's time).
    """
    assert scenario.network is not None and scenario.partnership is not None
    part = scenario.partnership
    started = time.perf_counter()
    values, used = evaluate(scenario.network, part, time_limit=time_limit,
                            runner=runner or LocalPool(workers), progress=progress,
                            source=scenario.name)
    players = part.names()
    game = Game(tuple(players), {frozenset(): 0.0,
                                 **{frozenset(c.members): c.value for c in values}})
    scale = max(1.0, max(abs(c.value) for c in values))
    epsilon, _ = games.least_core(game)
    core_empty = epsilon < -RELATIVE * scale
    nucleolus, check = _nucleolus(game, scale)
    notes = []
    if any(c.plan is not None and c.plan.gap for c in values):
        notes.append("some coalitions stopped at the time limit: their values are within "
                     "the gap shown in the coalition table")
    allocations = [
        _allocation(game, "Shapley value", "fair", games.shapley(game), scale),
        _allocation(game, check["concept"], "fair", nucleolus, scale),
    ]
    allocations += _stated(game, scenario, scale)
    alone = {p: game.v([p]) for p in players}
    gaps = [{"apart": [[p for p in players if p in s] for s in (a, b)], "shortfall": short}
            for a, b, short in game.superadditivity_gaps(RELATIVE * scale)]
    allocations.append(_allocation(game, "stand-alone", "alone", alone, scale,
                                   note="each partner's own plan; adds up to v(N) minus "
                                        "the joint gain"))
    return PartnershipResult(
        scenario=scenario.name, currency=scenario.network.currency, partners=players,
        coalitions=values, superadditive=not gaps,
        superadditivity_gaps=gaps[:5],
        convex=game.is_convex(), core_empty=core_empty, least_core_epsilon=epsilon,
        allocations=allocations, nucleolus_check=check, workers=used,
        seconds=time.perf_counter() - started, notes=notes)


def _allocation(game: Game, name: str, kind: str, amounts: dict[str, float], scale: float,
                note: str = "") -> Allocation:
    gap, who = games.core_violation(game, amounts)
    if gap <= RELATIVE * scale:
        gap, who = min(gap, 0.0), None
    return Allocation(name, kind, {p: float(amounts[p]) for p in game.players}, float(gap),
                      tuple(p for p in game.players if who and p in who) or None, note)


def _stated(game: Game, scenario: Scenario, scale: float) -> list[Allocation]:
    """Equal shares, shares by capital and the deal's stated shares, of the joint gain."""
    part = scenario.partnership
    assert part is not None
    players = list(game.players)
    splits: list[tuple[str, dict[str, float]]] = [
        ("equal shares", {p: 1 / len(players) for p in players})]
    if all(p.capital is not None for p in part.partners):
        total = sum(p.capital or 0.0 for p in part.partners)
        splits.append(("by capital", {p.name: (p.capital or 0.0) / total
                                      for p in part.partners}))
    splits += [(s.name, dict(s.shares)) for s in part.splits]
    alone = {p: game.v([p]) for p in players}
    gain = game.v(players) - sum(alone.values())
    return [_allocation(game, name, "stated",
                        {p: alone[p] + shares[p] * gain for p in players}, scale,
                        note="stand-alone value + share of the joint gain")
            for name, shares in splits]


def _nucleolus(game: Game, scale: float) -> tuple[dict[str, float], dict[str, Any]]:
    """The nucleolus by coopgame, checked against nevsim's LPs on HiGHS.

    When cooperating costs more than it brings no imputation exists: then the prenucleolus.
    """
    import coopgame  # type: ignore[import-untyped]

    imputations = games.has_imputations(game)
    concept = "nucleolus" if imputations else "prenucleolus"
    n = len(game.players)
    vector = [game.v([game.players[i] for i in range(n) if mask >> i & 1])
              for mask in range(1, 2 ** n)]
    try:
        found = (coopgame.nucleolus if imputations else coopgame.prenucleolus)(
            coopgame.Game(vector))
        theirs = dict(zip(game.players, found["allocation"], strict=True))
    except (ValueError, RuntimeError) as exc:  # an LP failure inside coopgame
        ours = games.nucleolus(game, imputations=imputations)
        return ours, {"concept": concept, "by": "nevsim (HiGHS)", "agree": None,
                      "difference": None, "reason": f"coopgame failed: {exc}"}
    if n > CHECKED_UP_TO:
        return theirs, {"concept": concept, "by": "coopgame", "agree": None,
                        "difference": None, "reason": f"not checked: {n} partners (nevsim's "
                        f"own LPs check up to {CHECKED_UP_TO})"}
    ours = games.nucleolus(game, imputations=imputations)
    difference = max(abs(theirs[p] - ours[p]) for p in game.players)
    agree = difference <= RELATIVE * scale
    return theirs, {"concept": concept, "by": "coopgame", "agree": agree,
                    "difference": difference,
                    "reason": "" if agree else "coopgame and nevsim's HiGHS LPs differ; "
                    "both are reported in the JSON (nevsim's under `nucleolus_check`)",
                    "nevsim": ours}

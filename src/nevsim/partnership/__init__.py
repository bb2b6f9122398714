"""Win-win partnership: the joint gain of pooling assets, and a fair, stable split.

`solve(scenario)` plans every coalition of the partners on the network planner (v(S)), then
the cooperative game (`nevsim.partnership.games`): joint gain, superadditivity and
convexity, the Shapley value, the core, the least core and the nucleolus, beside the splits
a deal would state.
"""

from typing import TYPE_CHECKING

from nevsim.lazy import lazy

if TYPE_CHECKING:
    from nevsim.partnership.games import Game
    from nevsim.partnership.results import PartnershipResult
    from nevsim.partnership.solution import solve

__all__ = ["Game", "PartnershipResult", "solve"]
__getattr__ = lazy(globals(), {
    "Game": "nevsim.partnership.games", "PartnershipResult": "nevsim.partnership.results",
    "solve": "nevsim.partnership.solution",
})

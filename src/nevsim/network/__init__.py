"""Full-stack localization: where to build, what to source where, landed cost and timeline."""

from typing import TYPE_CHECKING

from nevsim.lazy import lazy
from nevsim.network.objective import Objective

if TYPE_CHECKING:
    from nevsim.network.model import Network
    from nevsim.network.planning import plan
    from nevsim.network.results import NetworkResult
    from nevsim.network.solve import SolveStatus

__all__ = ["Network", "NetworkResult", "Objective", "SolveStatus", "plan"]
__getattr__ = lazy(globals(), {
    "Network": "nevsim.network.model", "plan": "nevsim.network.planning",
    "NetworkResult": "nevsim.network.results", "SolveStatus": "nevsim.network.solve",
})

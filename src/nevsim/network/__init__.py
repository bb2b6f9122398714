"""Full-stack localization: where to build, what to source where, landed cost and timeline."""

from nevsim.network.model import Network, Objective
from nevsim.network.plan import plan
from nevsim.network.results import NetworkResult
from nevsim.network.solve import SolveStatus

__all__ = ["Network", "NetworkResult", "Objective", "SolveStatus", "plan"]

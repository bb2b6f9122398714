"""The smart factory: can this line hold its takt, where is the bottleneck, what is the OEE."""

from nevsim.factory.model import Plant
from nevsim.factory.results import Estimate, FactoryResult
from nevsim.factory.simulate import simulate

__all__ = ["Estimate", "FactoryResult", "Plant", "simulate"]

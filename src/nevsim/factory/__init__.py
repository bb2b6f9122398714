"""The smart factory: can this line hold its takt, where is the bottleneck, what is the OEE."""

from typing import TYPE_CHECKING

from nevsim.lazy import lazy

if TYPE_CHECKING:
    from nevsim.factory.model import Plant
    from nevsim.factory.results import Estimate, FactoryResult
    from nevsim.factory.simulation import simulate

__all__ = ["Estimate", "FactoryResult", "Plant", "simulate"]
__getattr__ = lazy(globals(), {
    "Plant": "nevsim.factory.model", "Estimate": "nevsim.factory.results",
    "FactoryResult": "nevsim.factory.results", "simulate": "nevsim.factory.simulation",
})

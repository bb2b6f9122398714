"""A scenario: a name, a description and one section per part of nevsim."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from nevsim.factory.checks import plant_problems
from nevsim.factory.model import Plant
from nevsim.network.checks import network_problems
from nevsim.network.model import Network
from nevsim.scenario.errors import Problem
from nevsim.scenario.provenance import Basis


class Scenario(BaseModel):
    """Everything nevsim knows about one world to analyse."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    description: str = ""
    factory: Plant | None = Field(default=None, description="A car plant to simulate.")
    network: Network | None = Field(
        default=None, description="A production and supply network to plan."
    )
    basis: list[Basis] = Field(default_factory=list)

    def problems(self) -> list[Problem]:
        """Cross-entity problems of every part present."""
        found: list[Problem] = []
        if self.factory is not None:
            found += plant_problems(self.factory, "factory")
        if self.network is not None:
            found += network_problems(self.network, "network")
        return found


PARTS: dict[str, type[BaseModel]] = {"factory": Plant, "network": Network}
"""Part name -> the schema of its section, for `nevsim schema PART`."""

"""A partnership as the partners state it: who brings which assets, and what cooperating costs.

The world the partners act in (markets, duties, lanes, content rules, suppliers anyone may buy
from) is the scenario's `network:`; this section says which of its plants, models and
suppliers each partner owns, and adds what a coalition gains by pooling them: technologies
that change the economics of everything the coalition builds, and market access (dealers, a
brand) without which a model sells less, cheaper, or not at all. Only shape and units are
checked here; names against the network are checked in `nevsim.partnership.checks`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from nevsim.network.model import LARGEST
from nevsim.scenario.provenance import Basis

MAX_PARTNERS = 10
"""Every coalition is a plan of its own: 10 partners are 1,023 plans, about the most a run
can afford; beyond it the game is too big to list."""

Money = Annotated[float, Field(ge=0, le=LARGEST, json_schema_extra={"unit": "currency"})]
Factor = Annotated[float, Field(gt=0, le=10)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Technology(_Strict):
    """Know-how that changes the economics of whatever a coalition holding it builds.

    Its effects apply to the coalition's whole network whenever its owner is a member: a
    shared electric architecture makes every model cheaper to equip, a production system
    every plant cheaper to run.
    """

    name: str = Field(min_length=1)
    component_cost: dict[str, Factor] = Field(
        default_factory=dict, description="Factor on the unit cost of every supplier of these "
        "component families (0.8: 20% cheaper).")
    variable_cost: Factor = Field(
        default=1.0, description="Factor on every plant's production cost per vehicle.")
    price_premium: Money = Field(
        default=0.0, description="Added to the net price per vehicle of `models`.")
    models: list[str] | None = Field(
        default=None, description="Models the price premium applies to; none = all.")
    lead_time_cut: int = Field(
        default=0, ge=0, le=10,
        description="Years off every candidate plant's lead time (not below zero).")
    licence_per_vehicle: Money = Field(
        default=0.0, description="Paid outside the coalition (royalties, certification) for "
        "each vehicle of another partner's model sold with it; its owner's models carry it "
        "already.")
    basis: list[Basis] = Field(default_factory=list)


class WithoutAccess(_Strict):
    """How a model sells in a market where the coalition has no access."""

    demand: Annotated[float, Field(ge=0, le=1)] = Field(
        default=0.0, description="Share of the network's demand still reachable (0: none).")
    price: Annotated[float, Field(gt=0, le=1)] = Field(
        default=1.0, description="Factor on the network's price (0.9: 10% lower).")


class Access(_Strict):
    """Market access: dealers, service and a brand customers know in some markets.

    The network's demand and price are what a model gets with access; a coalition without
    the owner sells the listed models in these markets as `without` says.
    """

    name: str = Field(min_length=1)
    markets: list[str] = Field(min_length=1, description="Markets, by name.")
    models: list[str] | None = Field(
        default=None, description="Models that need it; none = every model.")
    without: WithoutAccess = Field(default_factory=WithoutAccess)
    basis: list[Basis] = Field(default_factory=list)


class Partner(_Strict):
    """One partner and what it brings."""

    name: str = Field(min_length=1)
    capital: Money | None = Field(
        default=None, description="Capital it puts in, for a split by invested capital.")
    plants: list[str] = Field(default_factory=list, description="Car plants it owns.")
    models: list[str] = Field(default_factory=list, description="Models (brands) it owns.")
    suppliers: list[str] = Field(
        default_factory=list, description="Supplier sites it owns; suppliers no partner owns "
        "sell to every coalition.")
    technologies: list[str] = Field(default_factory=list)
    access: list[str] = Field(default_factory=list, description="Market access it owns.")
    basis: list[Basis] = Field(default_factory=list)

    def assets(self) -> list[str]:
        """Every asset name it lists."""
        return [*self.plants, *self.models, *self.suppliers, *self.technologies, *self.access]


class Cooperation(_Strict):
    """What working together costs, once, in the plan's first year (undiscounted)."""

    setup: Money = Field(
        default=0.0, description="Setting up the joint venture: any coalition of two or more.")
    per_pair: Money = Field(
        default=0.0, description="Integration per pair of members (systems, processes).")
    basis: list[Basis] = Field(default_factory=list)


class Split(_Strict):
    """A split of the joint result a deal might state (51:49), by share."""

    name: str = Field(min_length=1)
    shares: dict[str, Annotated[float, Field(ge=0, le=1)]] = Field(
        min_length=1, description="Partner -> share; the shares add up to 1.")


class Partnership(_Strict):
    """Partners pooling the assets of one network."""

    partners: list[Partner] = Field(min_length=2)
    technologies: list[Technology] = Field(default_factory=list)
    access: list[Access] = Field(default_factory=list)
    cooperation: Cooperation = Field(default_factory=Cooperation)
    splits: list[Split] = Field(
        default_factory=list, description="Splits to compare with the fair ones; an equal "
        "split, and one by capital when every partner gives it, are always compared.")
    basis: list[Basis] = Field(default_factory=list)

    def names(self) -> list[str]:
        """Partner names in order."""
        return [p.name for p in self.partners]

"""What a coalition can do: the network of its pooled assets, and what cooperating costs it.

A coalition's network is the world's network with only its members' plants and models, the
suppliers its members own or anyone may buy from, its members' technologies applied, and
the markets where no member has access served as the access owner's absence says. The
planner then treats the coalition as one maker: a member's plant builds another member's
models, and a plant in a market is local there, whoever owned it before.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass

from nevsim.network.model import Network, Schedule
from nevsim.partnership.model import Partnership


def _scale(schedule: Schedule, factor: float) -> Schedule:
    if isinstance(schedule, dict):
        return {year: value * factor for year, value in schedule.items()}
    return schedule * factor


def _shift(schedule: Schedule, amount: float) -> Schedule:
    """A schedule moved by an amount, not below zero (a licence never makes a price negative)."""
    if isinstance(schedule, dict):
        return {year: max(0.0, value + amount) for year, value in schedule.items()}
    return max(0.0, schedule + amount)


@dataclass(frozen=True)
class Owners:
    """Who owns what: asset kind -> asset name -> partner."""

    of: dict[str, dict[str, str]]

    @staticmethod
    def of_partnership(part: Partnership) -> Owners:
        """Read ownership off the partners' lists."""
        kinds = ("plants", "models", "suppliers", "technologies", "access")
        return Owners({kind: {name: p.name for p in part.partners for name in getattr(p, kind)}
                       for kind in kinds})

    def member(self, kind: str, name: str, members: frozenset[str]) -> bool:
        """Whether a coalition holds an asset; an asset no partner owns is open to all."""
        owner = self.of[kind].get(name)
        return owner is None or owner in members


def cooperation_cost(part: Partnership, members: Iterable[str]) -> float:
    """Set-up and integration a coalition pays, once: nothing for a partner alone."""
    n = len(set(members))
    if n < 2:
        return 0.0
    return part.cooperation.setup + part.cooperation.per_pair * math.comb(n, 2)


def coalition_network(net: Network, part: Partnership,
                      members: frozenset[str]) -> Network | None:
    """The network a coalition plans, or None when it has no model or no plant to build it."""
    owners = Owners.of_partnership(part)
    models = [m for m in net.models if owners.member("models", m.name, members)]
    plants = [p for p in net.plants if owners.member("plants", p.name, members)]
    if not models or not plants:
        return None
    names = {m.name for m in models}
    techs = [t for t in part.technologies if owners.member("technologies", t.name, members)]

    component_factor: dict[str, float] = {}
    for tech in techs:
        for family, factor in tech.component_cost.items():
            component_factor[family] = component_factor.get(family, 1.0) * factor
    suppliers = [
        s.model_copy(update={"unit_cost": _scale(s.unit_cost,
                                                  component_factor.get(s.component, 1.0))})
        for s in net.suppliers if owners.member("suppliers", s.name, members)]

    variable = math.prod(t.variable_cost for t in techs)
    cut = sum(t.lead_time_cut for t in techs)
    kept_plants = []
    for plant in plants:
        update: dict[str, object] = {"variable_cost": _scale(plant.variable_cost, variable)}
        if plant.models is not None:
            update["models"] = [m for m in plant.models if m in names]
        if not plant.existing:
            update["lead_time"] = max(0, plant.lead_time - cut)
        kept_plants.append(plant.model_copy(update=update))

    price_change = {m: 0.0 for m in names}
    for tech in techs:
        owner = owners.of["technologies"][tech.name]
        for model in tech.models or sorted(names):
            if model in names:
                price_change[model] += tech.price_premium
                if owners.of["models"].get(model) != owner:
                    price_change[model] -= tech.licence_per_vehicle

    markets = []
    for market in net.markets:
        demand = {m: d for m, d in market.demand.items() if m in names}
        price = {m: _shift(p, price_change[m]) for m, p in market.price.items() if m in names}
        for access in part.access:
            if owners.member("access", access.name, members) or \
                    market.name not in access.markets:
                continue
            for model in access.models or sorted(names):
                if model in demand:
                    demand[model] = _scale(demand[model], access.without.demand)
                if model in price:
                    price[model] = _scale(price[model], access.without.price)
        if demand:
            markets.append(market.model_copy(update={"demand": demand, "price": price}))
    if not markets:
        return None

    undertakings = []
    for u in net.undertakings:
        covered = {m: terms for m, terms in u.models.items() if m in names}
        if covered:
            undertakings.append(u.model_copy(update={"models": covered}))
    return net.model_copy(update={
        "models": models, "plants": kept_plants, "suppliers": suppliers, "markets": markets,
        "undertakings": undertakings})


def network_key(net: Network | None) -> str:
    """A digest of everything a plan depends on: equal networks have equal plans."""
    text = "none" if net is None else net.model_dump_json()
    return hashlib.sha256(text.encode()).hexdigest()

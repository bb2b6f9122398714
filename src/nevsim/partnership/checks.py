"""Named checks of a partnership against its network: each yields located problems with a fix."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator

from nevsim.network.model import Network
from nevsim.partnership.model import MAX_PARTNERS, Partnership
from nevsim.scenario.errors import Problem, did_you_mean, duplicate_names

Check = Callable[[Partnership, Network, str], Iterator[Problem]]


def check_partner_count(part: Partnership, net: Network, root: str) -> Iterator[Problem]:
    """At most MAX_PARTNERS partners: each coalition is a plan of its own."""
    n = len(part.partners)
    if n > MAX_PARTNERS:
        yield Problem(f"{root}.partners", f"{n} partners make {2 ** n - 1:,} coalitions to "
                      f"plan; at most {MAX_PARTNERS} partners are allowed (merge partners "
                      "that always act together)", n)


def check_unique_names(part: Partnership, net: Network, root: str) -> Iterator[Problem]:
    """Partners, technologies, access and splits have unique names."""
    for field in ("partners", "technologies", "access", "splits"):
        yield from duplicate_names(getattr(part, field), f"{root}.{field}",
                                   "names are how partners and assets are referred to")


def _kinds(part: Partnership, net: Network) -> dict[str, set[str]]:
    return {"plants": {p.name for p in net.plants}, "models": {m.name for m in net.models},
            "suppliers": {s.name for s in net.suppliers},
            "technologies": {t.name for t in part.technologies},
            "access": {a.name for a in part.access}}


def check_assets_exist(part: Partnership, net: Network, root: str) -> Iterator[Problem]:
    """Every asset a partner lists exists in the network (or in this section)."""
    for kind, known in _kinds(part, net).items():
        where = "network" if kind in ("plants", "models", "suppliers") else "partnership"
        for i, partner in enumerate(part.partners):
            yield from _unknown(((f"{root}.partners[{i}].{kind}[{j}]", name)
                                 for j, name in enumerate(getattr(partner, kind))),
                                known, f"{kind.rstrip('s')} in the {where}")


def check_one_owner(part: Partnership, net: Network, root: str) -> Iterator[Problem]:
    """Each asset has one owner; every plant, model, technology and access has one.

    Suppliers no partner owns are the open market; a plant or a model without an owner would
    belong to no coalition, so it is an error rather than a silent drop.
    """
    for kind, known in _kinds(part, net).items():
        owner: dict[str, str] = {}
        for i, partner in enumerate(part.partners):
            for j, name in enumerate(getattr(partner, kind)):
                if name in owner:
                    yield Problem(f"{root}.partners[{i}].{kind}[{j}]",
                                  f"{owner[name]!r} owns it already; an asset has one owner "
                                  "(make a joint plant a partner of its own)", name)
                owner.setdefault(name, partner.name)
        if kind == "suppliers":
            continue
        for name in sorted(known - set(owner)):
            yield Problem(f"{root}.partners", f"no partner owns the {kind.rstrip('s')} "
                          f"{name!r}; list it under the partner that owns it", name)


def check_partners_bring_something(part: Partnership, net: Network,
                                   root: str) -> Iterator[Problem]:
    """A partner brings at least one asset (else it is a dummy with nothing to split)."""
    for i, partner in enumerate(part.partners):
        if not partner.assets():
            yield Problem(f"{root}.partners[{i}]", "this partner owns no asset; list its "
                          "plants, models, suppliers, technologies or access", partner.name)


def check_effects_name_known_things(part: Partnership, net: Network,
                                    root: str) -> Iterator[Problem]:
    """Technologies and access name components, models and markets of the network."""
    models = _kinds(part, net)["models"]
    components = {c.name for c in net.components}
    markets = {m.name for m in net.markets}
    for i, tech in enumerate(part.technologies):
        at = f"{root}.technologies[{i}]"
        yield from _unknown(((f"{at}.component_cost.{f}", f) for f in tech.component_cost),
                            components, "component")
        yield from _unknown(((f"{at}.models[{j}]", m) for j, m in enumerate(tech.models or [])),
                            models, "model")
    for i, access in enumerate(part.access):
        at = f"{root}.access[{i}]"
        yield from _unknown(((f"{at}.markets[{j}]", m) for j, m in enumerate(access.markets)),
                            markets, "market")
        yield from _unknown(((f"{at}.models[{j}]", m)
                             for j, m in enumerate(access.models or [])), models, "model")


def _unknown(named: Iterable[tuple[str, str]], known: set[str], kind: str
             ) -> Iterator[Problem]:
    """A located problem for each (path, name) whose name is not among the known ones."""
    for path, name in named:
        if name not in known:
            yield Problem(path, f"no such {kind}{did_you_mean(name, known)}", name)


def check_splits(part: Partnership, net: Network, root: str) -> Iterator[Problem]:
    """A stated split names every partner once and its shares add up to 1."""
    names = set(part.names())
    for i, split in enumerate(part.splits):
        for name in split.shares:
            if name not in names:
                yield Problem(f"{root}.splits[{i}].shares.{name}",
                              f"no such partner{did_you_mean(name, names)}", name)
        missing = sorted(names - set(split.shares))
        if missing:
            yield Problem(f"{root}.splits[{i}].shares", "a split gives every partner a share; "
                          f"missing: {', '.join(missing)} (0 is a share)", None)
        total = sum(split.shares.values())
        if not math.isclose(total, 1.0, abs_tol=1e-9):
            yield Problem(f"{root}.splits[{i}].shares", "shares add up to 1", round(total, 9))


def check_capital_for_all_or_none(part: Partnership, net: Network,
                                  root: str) -> Iterator[Problem]:
    """Capital is given for every partner or for none (a split by capital needs all)."""
    given = [p.capital is not None for p in part.partners]
    if any(given) and not all(given):
        for i, partner in enumerate(part.partners):
            if partner.capital is None:
                yield Problem(f"{root}.partners[{i}].capital", "capital is given for some "
                              "partners: give it for every partner, or for none", None)
    elif all(given) and sum(p.capital or 0.0 for p in part.partners) <= 0:
        yield Problem(f"{root}.partners", "capital adds up to 0: a split by capital needs "
                      "some", 0)


CHECKS: list[Check] = [
    check_partner_count, check_unique_names, check_assets_exist, check_one_owner,
    check_partners_bring_something, check_effects_name_known_things, check_splits,
    check_capital_for_all_or_none,
]


def partnership_problems(part: Partnership, net: Network | None, root: str) -> list[Problem]:
    """Every problem of a partnership against its network."""
    if net is None:
        return [Problem(root, "a partnership pools the assets of a network: add a `network:` "
                        "section with the plants, models and markets")]
    return [p for check in CHECKS for p in check(part, net, root)]

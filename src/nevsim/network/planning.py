"""`plan()`: prepare, build, solve, explain or analyse: the network part's one entry point."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xarray as xr

from nevsim.network import analysis
from nevsim.network.data import NetworkData, prepare
from nevsim.network.explain import explain
from nevsim.network.formulation import build_model
from nevsim.network.milp import SparseMILP
from nevsim.network.model import Network
from nevsim.network.objective import Objective
from nevsim.network.results import NetworkResult
from nevsim.network.solve import SolveStatus, solve
from nevsim.scenario.errors import Problem, ScenarioError, UsageError

if TYPE_CHECKING:  # the scenario document imports this package's schema
    from nevsim.document import Scenario


def _network_of(scenario: Scenario | Network) -> tuple[str, Network]:
    if isinstance(scenario, Network):
        return "network", scenario
    if scenario.network is None:
        raise ScenarioError([Problem("network", "this scenario has no network section; add "
                                     "one or pick a scenario with it")], scenario.name)
    return scenario.name, scenario.network


def solution_of(milp: SparseMILP, data: NetworkData, values: np.ndarray) -> analysis.Solution:
    """Decision values of a solved model as labelled arrays (zeros where none exist)."""

    def labelled(name: str) -> xr.DataArray:
        block = milp.columns[name]
        index = [pd.Index(labels, name=dim) for dim, labels in block.coords.items()]
        return xr.DataArray(milp.values(name, values), coords=index, dims=block.dims)

    return analysis.Solution(
        supply=labelled("supply"), make=labelled("make"), ship=labelled("ship"),
        build=labelled("build") if "build" in milp.columns else None,
        close=labelled("close") if "close" in milp.columns else None,
        idle=labelled("idle") if "idle" in milp.columns else None,
        unmet=labelled("unmet") if "unmet" in milp.columns else xr.zeros_like(data.demand))


def _unservable(d: NetworkData) -> bool:
    """Whether some demand has no plant that could serve it that year at all."""
    return bool(((d.demand > 0) & ~d.flow_open.any(["plant", "channel"])).any())


def _money(d: NetworkData, sol: analysis.Solution, objective: float) -> tuple[float, float]:
    """Revenue and cost (discounted), counting existing plants' fixed costs the model omits."""
    revenue = float((sol.ship.sum("channel") * d.price * d.discount).sum())
    existing_fixed = sum(level.fixed_cost for p in d.net.plants if p.existing
                         for level in p.levels) * float(d.discount.sum())
    model_cost = objective + revenue if d.net.objective is Objective.PROFIT else objective
    return revenue, model_cost + existing_fixed


def free_trade(net: Network) -> Network:
    """The same network with no duties, rules or undertakings: what the barriers change."""
    return net.model_copy(update={"duties": [], "rules": [], "undertakings": []})


def plan(scenario: Scenario | Network, *, time_limit: float | None = None, gap: float = 0.0,
         objective: Objective | None = None, threads: int | None = None,
         node_limit: int | None = None, seed: int = 0,
         compare_free_trade: bool = False, tables: bool = True) -> NetworkResult:
    """Plan the network: where to build, what to source where, what to ship, year by year.

    Returns a `NetworkResult` whatever the outcome; an infeasible plan carries the reasons in
    `explanation`, a time or node limit the gap reached. `seed` seeds HiGHS's random choices:
    the same seed gives the same plan (another may pick another plan of the same value).
    `compare_free_trade` also plans the network without duties and content rules and keeps
    that plan's headline in `free_trade`, to show what the barriers make the plan do.
    `tables=False` keeps only the money, the footprint and the vehicle flows: the other
    tables take most of a small plan's time, and a caller planning many networks (every
    coalition of a partnership) may not need them.
    """
    if seed < 0:
        raise UsageError([Problem("seed", "a seed is a whole number >= 0", seed)])
    limits = _Limits(time_limit, gap, threads, node_limit, seed)
    result = _plan(scenario, objective, limits, tables)
    if compare_free_trade and result.has_plan:
        _, net = _network_of(scenario)
        open_market = _plan(free_trade(net), objective, limits, tables)
        if open_market.has_plan:
            result = replace(result, free_trade={
                "plants_opened": open_market.plants_opened(), "profit": open_market.profit,
                "duties_paid": open_market.duties_paid()})
    return result


@dataclass(frozen=True)
class _Limits:
    """When HiGHS may stop: seconds, relative gap, threads, branch-and-bound nodes."""

    time_limit: float | None
    gap: float
    threads: int | None
    node_limit: int | None
    seed: int


def _plan(scenario: Scenario | Network, objective: Objective | None,
          limits: _Limits, tables: bool = True) -> NetworkResult:
    name, net = _network_of(scenario)
    if objective is not None and objective is not net.objective:
        net = net.model_copy(update={"objective": objective})
    t0 = time.perf_counter()
    data = prepare(net)
    milp = build_model(data)
    out = solve(milp, build_seconds=time.perf_counter() - t0, time_limit=limits.time_limit,
                gap=limits.gap, threads=limits.threads, node_limit=limits.node_limit,
                seed=limits.seed)
    if data.must_meet_demand and _unservable(data):
        # a demand row no flow can enter has no variables: say infeasible and explain it
        out = replace(out, status=SolveStatus.INFEASIBLE, values=None, objective=None)
    bare = NetworkResult(scenario=name, currency=net.currency, home=net.home,
                         objective_kind=net.objective.value, status=out.status, stats=out.stats,
                         market_countries={m.name: m.country for m in net.markets},
                         first_year=net.years.first)
    if out.status is SolveStatus.INFEASIBLE:
        elastic = milp.relaxed()
        relaxed = solve(elastic, build_seconds=0.0, time_limit=limits.time_limit,
                        gap=limits.gap, threads=limits.threads, node_limit=limits.node_limit,
                        seed=limits.seed)
        reasons = explain(data, elastic, relaxed.values) if relaxed.values is not None else \
            ["The relaxed plan could not be solved either; check the rules for contradictions."]
        return replace(bare, explanation=reasons)
    if out.status is SolveStatus.ERROR:
        return replace(bare, explanation=[
            "HiGHS could not solve the model (numerical trouble). The likely cause is badly "
            "scaled numbers: capacities, prices or costs many orders of magnitude apart, or "
            "beyond what a plan can use; check the largest and smallest values."])
    if out.values is None or out.objective is None:
        return replace(bare, explanation=[
            f"HiGHS stopped ({out.status.value}) before finding any plan; raise --time-limit."])
    sol = solution_of(milp, data, out.values)
    revenue, cost = _money(data, sol, out.objective)
    headline = replace(bare, objective=out.objective, bound=out.bound, gap=out.gap,
                       revenue=revenue, cost=cost, footprint=analysis.footprint(data, sol),
                       flows=analysis.channel_flows(data, sol))
    if not tables:
        return headline
    suppliers = analysis.suppliers(data, sol)
    return replace(
        headline,
        exports=analysis.exports(data, sol),
        suppliers=suppliers, composition=analysis.composition(suppliers),
        content=analysis.content(data, sol), landed=analysis.landed(data, sol),
        co2=analysis.co2(data, sol), timeline=analysis.timeline(data, sol, suppliers),
        chain=analysis.chain(data, sol, suppliers),
        reasons=analysis.reasons(data, sol),
    )

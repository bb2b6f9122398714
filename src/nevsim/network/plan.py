"""`plan()`: prepare, build, solve, explain or analyse: the network part's one entry point."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING

import xarray as xr

from nevsim.network import analysis
from nevsim.network.build import BuiltModel, build_model
from nevsim.network.data import NetworkData, prepare
from nevsim.network.explain import explain
from nevsim.network.model import Network, Objective
from nevsim.network.results import NetworkResult
from nevsim.network.solve import SolverOutcome, SolveStatus, run_highs
from nevsim.scenario.errors import Problem, ScenarioError

if TYPE_CHECKING:  # the scenario document imports this package's schema
    from nevsim.scenario.document import Scenario


def _network_of(scenario: Scenario | Network) -> tuple[str, Network]:
    if isinstance(scenario, Network):
        return "network", scenario
    if scenario.network is None:
        raise ScenarioError([Problem("network", "this scenario has no network section")])
    return scenario.name, scenario.network


def solution_of(built: BuiltModel, out: SolverOutcome) -> analysis.Solution:
    """Decision values of a solved model as labelled arrays."""
    m, d = built.model, built.data
    unmet = out.solution(m["unmet"]) if "unmet" in m.variables else xr.zeros_like(d.demand)
    return analysis.Solution(
        supply=out.solution(m["supply"]), make=out.solution(m["make"]),
        ship=out.solution(m["ship"]),
        build=out.solution(m["build"]) if "build" in m.variables else None,
        unmet=unmet)


def _money(d: NetworkData, sol: analysis.Solution, objective: float) -> tuple[float, float]:
    """Revenue and cost (discounted), counting existing plants' fixed costs the model omits."""
    revenue = float((sol.ship.sum("channel") * d.price * d.discount).sum())
    existing_fixed = sum(level.fixed_cost for p in d.net.plants if p.existing
                         for level in p.levels) * float(d.discount.sum())
    model_cost = objective + revenue if d.net.objective is Objective.PROFIT else objective
    return revenue, model_cost + existing_fixed


def plan(scenario: Scenario | Network, *, time_limit: float | None = None, gap: float = 0.0,
         objective: Objective | None = None, threads: int | None = None) -> NetworkResult:
    """Plan the network: where to build, what to source where, what to ship, year by year.

    Returns a `NetworkResult` whatever the outcome; an infeasible plan carries the reasons in
    `explanation`, a time limit the gap reached.
    """
    name, net = _network_of(scenario)
    if objective is not None and objective is not net.objective:
        net = net.model_copy(update={"objective": objective})
    t0 = time.perf_counter()
    data = prepare(net)
    built = build_model(data)
    out = run_highs(built.model, build_seconds=time.perf_counter() - t0, time_limit=time_limit,
                    gap=gap, threads=threads)
    bare = NetworkResult(scenario=name, currency=net.currency,
                         objective_kind=net.objective.value, status=out.status, stats=out.stats)
    if out.status is SolveStatus.INFEASIBLE:
        elastic = build_model(data, elastic=True)
        relaxed = run_highs(elastic.model, build_seconds=0.0, time_limit=time_limit, gap=gap)
        reasons = explain(elastic, relaxed) if relaxed.values is not None else \
            ["The relaxed plan could not be solved either; check the rules for contradictions."]
        return replace(bare, explanation=reasons)
    if out.values is None or out.objective is None:
        return replace(bare, explanation=[
            f"HiGHS stopped ({out.status.value}) before finding any plan; raise --time-limit."])
    sol = solution_of(built, out)
    revenue, cost = _money(data, sol, out.objective)
    suppliers = analysis.suppliers(data, sol)
    return replace(
        bare, objective=out.objective, bound=out.bound, gap=out.gap,
        revenue=revenue, cost=cost,
        footprint=analysis.footprint(data, sol), exports=analysis.exports(data, sol),
        suppliers=suppliers, composition=analysis.composition(suppliers),
        content=analysis.content(data, sol), landed=analysis.landed(data, sol),
        co2=analysis.co2(data, sol), timeline=analysis.timeline(data, sol),
        chain=analysis.chain(data, sol), flows=analysis.channel_flows(data, sol),
        reasons=analysis.reasons(data, sol),
    )

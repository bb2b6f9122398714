"""v(S) for every coalition: the network planner's profit on its pooled assets, less cooperating.

Coalitions are independent plans, so they run on the local process pool; coalitions whose
networks are equal (a partner that adds nothing they use) share one plan, and plans are
kept by their network's digest for the rest of the process, so a second run on the same
world (another split, a changed set-up cost) solves nothing again.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass

from nevsim.experiments.executors import DaskCluster, LocalPool
from nevsim.network.model import Network
from nevsim.network.planning import plan
from nevsim.network.results import NetworkResult
from nevsim.partnership.coalitions import coalition_network, cooperation_cost, network_key
from nevsim.partnership.model import Partnership
from nevsim.scenario.errors import Problem, ScenarioError

Progress = Callable[[int, int], None]

_PLANS: dict[tuple[str, float | None], tuple[NetworkResult, bool]] = {}
"""Plans by (network digest, time limit), with whether they have every table, for the life
of the process."""

_KEEP = 4096
"""The most plans kept; beyond it the oldest go (a plan is some kilobytes of tables)."""


@dataclass(frozen=True)
class CoalitionValue:
    """One coalition's plan and value."""

    members: tuple[str, ...]
    profit: float  # the plan's profit; 0 when it has no model or no plant to plan
    cooperation: float  # set-up and integration, once
    plan: NetworkResult | None
    key: str  # digest of the coalition's network
    seconds: float  # planning it took (0 when it shared another coalition's plan)
    shared: bool  # its network equals an earlier coalition's, or a kept plan

    @property
    def value(self) -> float:
        """v(S): what the coalition earns together."""
        return self.profit - self.cooperation


def coalitions(players: list[str]) -> list[tuple[str, ...]]:
    """Every non-empty coalition, smallest first, members in the partners' order."""
    return [c for size in range(1, len(players) + 1)
            for c in itertools.combinations(players, size)]


def _plan_one(task: tuple[Network, float | None, bool]) -> tuple[NetworkResult, float]:
    net, time_limit, tables = task
    started = time.perf_counter()
    # one thread per plan: the coalitions themselves fill the cores
    result = plan(net, gap=0.0, threads=1, time_limit=time_limit, tables=tables)
    return result, time.perf_counter() - started


def evaluate(net: Network, part: Partnership, *, time_limit: float | None = None,
             runner: LocalPool | DaskCluster | None = None, progress: Progress | None = None,
             source: str = "<scenario>") -> tuple[list[CoalitionValue], int]:
    """Every coalition's value, and the workers used; a coalition without a plan is an error.

    `time_limit` bounds each plan; a plan stopped at it counts with its gap (see the result).
    `runner` is the executor (default: the local pool, its workers chosen by the first plan).
    The partners alone and all together get every table of a plan (the report compares
    them); the coalitions between get the money, footprint and flows.
    """
    players = part.names()
    members_list = coalitions(players)
    networks = [coalition_network(net, part, frozenset(m)) for m in members_list]
    keys = [network_key(n) for n in networks]
    todo: dict[str, tuple[Network, bool]] = {}
    for members, key, network in zip(members_list, keys, networks, strict=True):
        tables = len(members) in (1, len(players))
        kept = _PLANS.get((key, time_limit))
        if network is None or (kept is not None and (kept[1] or not tables)):
            continue
        todo[key] = (network, tables or (key in todo and todo[key][1]))
    runner = runner or LocalPool()
    results = runner.map(_plan_one, [(n, time_limit, t) for n, t in todo.values()], progress)
    took: dict[str, float] = {}
    for (key, (_, tables)), (planned, seconds) in zip(todo.items(), results, strict=True):
        _PLANS[(key, time_limit)] = (planned, tables)
        took[key] = seconds
    values = []
    for members, network, key in zip(members_list, networks, keys, strict=True):
        result = None if network is None else _PLANS[(key, time_limit)][0]
        if result is not None and not result.has_plan:
            reasons = "; ".join(result.explanation[:3]) or result.status.value
            raise ScenarioError([Problem("partnership", f"the coalition of "
                                         f"{' + '.join(members)} has no plan: {reasons}")],
                                source)
        profit = 0.0 if result is None else float(result.profit or 0.0)
        planned_here = key in took  # the first coalition with this network
        values.append(CoalitionValue(
            members=members, profit=profit, cooperation=cooperation_cost(part, members),
            plan=result, key=key, seconds=took.pop(key, 0.0),
            shared=network is not None and not planned_here))
    while len(_PLANS) > _KEEP:
        del _PLANS[next(iter(_PLANS))]
    return values, runner.workers

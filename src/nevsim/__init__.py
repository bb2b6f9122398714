"""nevsim: simulate and plan the new-energy-vehicle industrial chain, end to end.

import nevsim
scenario = nevsim.load_scenario("yizhuang")
result = nevsim.factory.simulate(scenario, seed=1, replications=10, horizon="30d")
result.stations  # a pandas DataFrame
plan = nevsim.network.plan(nevsim.load_scenario("fullstack"))
plan.footprint  # plants, capacity and output by year
program = nevsim.program.simulate(nevsim.load_scenario("co-creation"), samples=10_000, seed=1)
program.percentiles()  # P10/P50/P80/P90 SOP date, months and cost
deal = nevsim.partnership.solve(nevsim.load_scenario("alliance"))
deal.allocation_table()  # each partner alone, Shapley value, nucleolus, stated splits
run = nevsim.workflow.factory.run("yizhuang")  # simulate, write the report, record the run

Parts are imported on first use, so the command line starts fast.
"""

from typing import TYPE_CHECKING

from nevsim.lazy import lazy
from nevsim.scenario.errors import NevsimError, ScenarioError, StoreError, UsageError

if TYPE_CHECKING:
    from nevsim import factory, network, partnership, program, workflow
    from nevsim.document import Scenario, load_scenario
    from nevsim.scenario.reading import builtin_names

__version__ = "0.1.0"
__all__ = ["NevsimError", "Scenario", "ScenarioError", "StoreError", "UsageError",
           "__version__", "builtin_names", "factory", "load_scenario", "network", "partnership",
           "program", "workflow"]
__getattr__ = lazy(globals(), {
    "factory": "nevsim.factory", "network": "nevsim.network", "program": "nevsim.program",
    "partnership": "nevsim.partnership",
    "workflow": "nevsim.workflow",
    "Scenario": "nevsim.document", "load_scenario": "nevsim.document",
    "builtin_names": "nevsim.scenario.reading",
})

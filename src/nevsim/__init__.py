"""nevsim: simulate and plan the new-energy-vehicle industrial chain, end to end.

import nevsim
scenario = nevsim.load_scenario("yizhuang")
result = nevsim.factory.simulate(scenario, seed=1, replications=10)
result.stations  # a pandas DataFrame
plan = nevsim.network.plan(nevsim.load_scenario("fullstack"))
plan.footprint  # plants, capacity and output by year
"""

from nevsim import factory, network
from nevsim.scenario.document import Scenario
from nevsim.scenario.errors import ScenarioError
from nevsim.scenario.loading import builtin_names, load_scenario

__version__ = "0.1.0"
__all__ = ["Scenario", "ScenarioError", "__version__", "builtin_names", "factory", "load_scenario",
           "network"]

"""Small networks for tests: one component, one home plant, one market unless told otherwise."""

from __future__ import annotations

import copy
from typing import Any

from nevsim.document import scenario_from_dict
from nevsim.network import NetworkResult, plan


def base(years: tuple[int, int] = (2025, 2025)) -> dict[str, Any]:
    """Home plant in CN (capacity 100, cost 10 a vehicle), a kit supplier at 30, market DE.

    DE wants 80 cars at 100; they cost 5 to ship and pay 10% duty on a customs value of 50.
    """
    return {
        "maker": "M", "years": {"first": years[0], "last": years[1]},
        "components": [{"name": "kit"}],
        "models": [{"name": "car", "customs_value": 50, "bom": [{"component": "kit"}]}],
        "suppliers": [{"name": "kit-cn", "company": "K", "country": "CN", "chinese": True,
                       "component": "kit", "capacity": 1000, "unit_cost": 30}],
        "plants": [{"name": "home", "country": "CN", "existing": True,
                    "levels": [{"capacity": 100}], "variable_cost": 10}],
        "markets": [{"name": "de", "country": "DE", "demand": {"car": 80},
                     "price": {"car": 100}}],
        "lanes": [{"origin": "CN", "destination": "DE", "cost": 5},
                  {"origin": "CN", "destination": "DE", "cargo": "part", "cost": 0}],
        "duties": [{"name": "de-car", "origin": "*", "destination": "DE", "rate": 0.10}],
    }


def solve(network: dict[str, Any], **options: Any) -> NetworkResult:
    """Validate a network section (with its cross-entity checks) and plan it."""
    scenario = scenario_from_dict({"name": "test", "network": copy.deepcopy(network)})
    return plan(scenario, **options)

"""OR-Library capacitated warehouse location instances as networks for the planner.

Beasley's files (cap41 ... cap134) give warehouses (capacity, fixed cost) and customers
(demand, and the cost of serving all of it from each warehouse). As a one-year network:
each warehouse is a candidate plant in a country of its own (no lead time, its fixed cost a
year), each customer a market in another that must be served (the cost objective), and the
cost of serving a customer from a warehouse a lane whose cost per vehicle is that cost over
the customer's demand. Splitting a customer's demand is allowed, as in the classic model, so
the plan's cost is the instance's optimum.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def read_cap(path: Path) -> dict[str, Any]:
    """An OR-Library `cap` file as a network section (plain dict, validate it)."""
    numbers = [float(token) for token in path.read_text(encoding="ascii").split()]
    m, n = int(numbers[0]), int(numbers[1])
    pos = 2
    plants = []
    for i in range(m):
        capacity, fixed = numbers[pos], numbers[pos + 1]
        pos += 2
        plants.append({"name": f"w{i + 1}", "country": f"W{i + 1}", "lead_time": 0,
                       "variable_cost": 0.0, "life": 1,
                       "levels": [{"capacity": capacity, "fixed_cost": fixed}]})
    markets = []
    lanes = []
    for j in range(n):
        demand = numbers[pos]
        costs = numbers[pos + 1: pos + 1 + m]
        pos += 1 + m
        markets.append({"name": f"c{j + 1}", "country": f"C{j + 1}",
                        "demand": {"unit": demand}, "price": {"unit": 0.0}})
        for i, cost in enumerate(costs):
            lanes.append({"origin": f"W{i + 1}", "destination": f"C{j + 1}",
                          "cost": cost / demand if demand > 0 else 0.0})
    suppliers = [{"name": f"s{i + 1}", "company": "any", "country": f"W{i + 1}",
                  "chinese": False, "component": "unit", "capacity": 1e9, "unit_cost": 0.0}
                 for i in range(m)]
    return {
        "maker": "warehouses", "objective": "cost", "years": {"first": 2025, "last": 2025},
        "components": [{"name": "unit"}],
        "models": [{"name": "unit", "customs_value": 0.0, "bom": [{"component": "unit"}]}],
        "suppliers": suppliers, "plants": plants, "markets": markets, "lanes": lanes,
    }


def optima(readme: Path) -> dict[str, float]:
    """Optimal values from a README table of `| capNN | value |` cells."""
    import re

    return {name: float(value) for name, value in
            re.findall(r"\| (cap\d+) \| ([\d.]+) ", readme.read_text(encoding="utf-8"))}

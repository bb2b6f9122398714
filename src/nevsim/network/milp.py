"""A sparse mixed-integer program built from named families of columns and rows.

The planner's formulation (`nevsim.network.formulation`) is written once against this small
container: each decision family is a block of columns and each constraint family a block of
rows, both laid out over named dimensions. Because every row block knows its shape, its unit
and which way it may give, the elastic model behind the explanations of an infeasible plan is
derived from the same model by `relaxed()`: one slack column per row of each relaxable block,
priced per unit, and nothing else written twice. Nothing here knows plants or markets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

import numpy as np

INF = float("inf")


class Give(IntEnum):
    """Which way a row may give in the elastic model (the sign of its slack column)."""

    DOWN = -1  # a `<=` limit: the left side may exceed the limit by the slack
    UP = 1  # a `>=` or `==` obligation: the left side may fall short by the slack


@dataclass(frozen=True)
class Elastic:
    """How a row block gives in the elastic model: direction, price and unit of its slack."""

    give: Give
    weight: np.ndarray | float  # price of one unit of slack, broadcast to the block's shape
    unit: str  # what one unit of slack is: "vehicles", "units", "USD"


Coords = dict[str, Sequence[Any]]
"""Named dimensions of a block and the labels along each, in order."""


@dataclass
class Block:
    """Numbered cells laid out over named dimensions; -1 where a cell does not exist."""

    name: str
    ids: np.ndarray
    coords: Coords

    @property
    def dims(self) -> tuple[str, ...]:
        """Dimension names, in axis order."""
        return tuple(self.coords)

    def nonzero(self, values: np.ndarray, tolerance: float = 1e-9
                ) -> list[tuple[tuple[Any, ...], float]]:
        """(labels, value) of every cell of `values` (this block's shape) above tolerance."""
        labels = [list(v) for v in self.coords.values()]
        return [(tuple(labels[axis][i] for axis, i in enumerate(at)), float(values[tuple(at)]))
                for at in np.argwhere(values > tolerance)]


@dataclass
class RowBlock(Block):
    """A family of constraints: its rows and, if it may give, how."""

    elastic: Elastic | None = None


@dataclass
class SparseMILP:
    """Columns, rows and nonzeros of a minimization MILP, ready for HiGHS."""

    columns: dict[str, Block] = field(default_factory=dict)
    rows: dict[str, RowBlock] = field(default_factory=dict)
    cost: list[np.ndarray] = field(default_factory=list)
    binary: list[np.ndarray] = field(default_factory=list)
    n_cols: int = 0
    row_lower: list[np.ndarray] = field(default_factory=list)
    row_upper: list[np.ndarray] = field(default_factory=list)
    n_rows: int = 0
    entries: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)

    def add_columns(self, name: str, coords: Coords, mask: np.ndarray | bool = True,
                    binary: bool = False) -> Block:
        """Number the cells of `mask` (over `coords`) as new columns, lower bound 0.

        Binary columns are 0 or 1; every cost is 0 until `set_cost`.
        """
        shape = tuple(len(v) for v in coords.values())
        mask = np.broadcast_to(np.asarray(mask, dtype=bool), shape)
        if name in self.columns:
            raise ValueError(f"column block {name!r} defined twice")
        ids = np.full(mask.shape, -1, dtype=np.int64)
        count = int(mask.sum())
        ids[mask] = np.arange(self.n_cols, self.n_cols + count)
        self.n_cols += count
        self.cost.append(np.zeros(count))
        self.binary.append(np.full(count, binary))
        block = Block(name, ids, dict(coords))
        self.columns[name] = block
        return block

    def set_cost(self, block: Block, coefficient: np.ndarray | float) -> None:
        """Objective coefficients of a column family (broadcast to its shape)."""
        costs = np.concatenate(self.cost)
        full = np.broadcast_to(coefficient, block.ids.shape)
        present = block.ids >= 0
        costs[block.ids[present]] = full[present]
        self.cost = [costs]

    def add_rows(self, name: str, coords: Coords, lower: np.ndarray | float,
                 upper: np.ndarray | float, mask: np.ndarray | bool = True,
                 elastic: Elastic | None = None) -> np.ndarray:
        """A family of rows over `coords` with bounds; returns their numbers (-1 where masked).

        `lower`, `upper` and `mask` broadcast to the shape of `coords`.
        """
        if name in self.rows:
            raise ValueError(f"row block {name!r} defined twice")
        shape = tuple(len(v) for v in coords.values())
        lower_a = np.broadcast_to(np.asarray(lower, dtype=float), shape)
        upper_a = np.broadcast_to(np.asarray(upper, dtype=float), shape)
        present = np.broadcast_to(np.asarray(mask, dtype=bool), shape)
        ids = np.full(lower_a.shape, -1, dtype=np.int64)
        count = int(present.sum())
        ids[present] = np.arange(self.n_rows, self.n_rows + count)
        self.n_rows += count
        self.row_lower.append(lower_a[present].astype(float))
        self.row_upper.append(upper_a[present].astype(float))
        self.rows[name] = RowBlock(name, ids, dict(coords), elastic)
        return ids

    def add(self, rows: np.ndarray, cols: np.ndarray, values: np.ndarray | float) -> None:
        """Nonzeros at broadcast (rows, cols, values), skipping absent cells and zeros."""
        rows, cols, values = np.broadcast_arrays(rows, cols, values)
        keep = (cols >= 0) & (rows >= 0) & (values != 0)
        self.entries.append((rows[keep].astype(np.int64), cols[keep].astype(np.int64),
                             values[keep].astype(float)))

    def objective(self) -> np.ndarray:
        """Cost per column."""
        return np.concatenate(self.cost) if self.cost else np.zeros(0)

    def integer(self) -> np.ndarray:
        """Whether each column is binary."""
        return np.concatenate(self.binary) if self.binary else np.zeros(0, dtype=bool)

    def relaxed(self) -> SparseMILP:
        """The elastic model: this model plus a priced slack on each row of a relaxable block.

        The total price of the slack is the only objective: the least give that makes the
        model feasible.
        """
        out = SparseMILP(
            columns=dict(self.columns), rows=dict(self.rows),
            cost=[np.zeros(self.n_cols)], binary=list(self.binary), n_cols=self.n_cols,
            row_lower=list(self.row_lower), row_upper=list(self.row_upper),
            n_rows=self.n_rows, entries=list(self.entries))
        for name, block in self.rows.items():
            if block.elastic is None:
                continue
            slack = out.add_columns(slack_name(name), block.coords, block.ids >= 0)
            out.set_cost(slack, np.broadcast_to(block.elastic.weight, block.ids.shape))
            out.add(block.ids, slack.ids, float(block.elastic.give))
        return out

    def values(self, name: str, solution: np.ndarray) -> np.ndarray:
        """Primal values of a column family in its cell shape (0 where absent)."""
        ids = self.columns[name].ids
        return np.where(ids >= 0, solution[np.maximum(ids, 0)], 0.0)


def slack_name(block: str) -> str:
    """Name of the slack column family of a row block in the elastic model."""
    return f"slack:{block}"

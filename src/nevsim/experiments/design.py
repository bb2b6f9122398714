"""An experiment as an engineer writes it: a base scenario, factors, a design, replications.

Factors are field paths in the sweep's `--set` syntax (`factory.buffers[name=store].capacity`);
the design is the full grid of their levels, a Latin hypercube (scipy.stats.qmc) over levels
or ranges, or an explicit list of design points. Only shape is checked here; the points are
checked as scenarios when they are built.
"""

from __future__ import annotations

import itertools
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from nevsim.scenario.errors import Problem, ScenarioError, format_loc

MAX_POINTS = 10_000
"""Design points a spec may make: beyond it a grid is almost surely a typo."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Factor(_Strict):
    """One field that varies: its levels, or a range for a Latin hypercube."""

    path: str = Field(min_length=1, description="A field path, as in `--set`.")
    levels: list[Any] | None = Field(default=None, min_length=1)
    low: float | None = None
    high: float | None = None
    integer: bool = Field(default=False, description="Ranges: round to whole numbers.")

    @model_validator(mode="after")
    def _levels_or_range(self) -> Factor:
        ranged = self.low is not None and self.high is not None
        if (self.levels is None) == (not ranged):
            raise ValueError("give `levels`, or `low` and `high`, not both")
        if ranged and self.high is not None and self.low is not None and self.high < self.low:
            raise ValueError(f"high ({self.high}) is below low ({self.low})")
        return self


class DesignKind(StrEnum):
    """How design points are chosen."""

    GRID = "grid"  # every combination of levels
    LATIN_HYPERCUBE = "latin-hypercube"  # `points` stratified draws
    LIST = "list"  # the points written out


class Experiment(_Strict):
    """A base scenario, factors, a design, replications and what to compare."""

    name: str = Field(min_length=1)
    scenario: str = Field(min_length=1, description="A built-in name or a YAML path (relative "
                          "to the spec).")
    factors: list[Factor] = Field(default_factory=list)
    design: DesignKind = DesignKind.GRID
    points: int | None = Field(default=None, ge=1, le=MAX_POINTS,
                               description="Latin hypercube: how many points.")
    runs: list[dict[str, Any]] = Field(default_factory=list,
                                       description="List design: {path: value} per point.")
    replications: int = Field(default=5, ge=1, le=10_000,
                              description="Factory: replications per point (common random "
                              "numbers: replication k has the same seed at every point).")
    seed: int = Field(default=0, ge=0)
    horizon: str | None = Field(default=None, description="Factory: simulated time per "
                                "replication (`7d`); none = the scenario's.")
    objective: str | None = Field(default=None, description="The output that ranks designs; "
                                  "none = the part's headline (jph, profit).")
    maximize: bool = True

    @model_validator(mode="after")
    def _design_needs(self) -> Experiment:
        if self.design is DesignKind.LIST:
            if not self.runs:
                raise ValueError("a list design needs `runs`")
        elif not self.factors:
            raise ValueError(f"a {self.design.value} design needs `factors`")
        if self.design is DesignKind.LATIN_HYPERCUBE and self.points is None:
            raise ValueError("a latin-hypercube design needs `points`")
        if self.design is DesignKind.GRID and any(f.levels is None for f in self.factors):
            raise ValueError("a grid needs `levels` for every factor (ranges are for a "
                             "latin-hypercube design)")
        return self

    def design_points(self) -> list[dict[str, Any]]:
        """Every design point as {path: value}, in a fixed order."""
        if self.design is DesignKind.LIST:
            return [dict(run) for run in self.runs]
        if self.design is DesignKind.GRID:
            levels = [f.levels or [] for f in self.factors]
            count = int(np.prod([len(lv) for lv in levels]))
            if count > MAX_POINTS:
                raise ValueError(f"the grid has {count:,} points; at most {MAX_POINTS:,}")
            return [dict(zip([f.path for f in self.factors], combo, strict=True))
                    for combo in itertools.product(*levels)]
        from scipy.stats import qmc

        assert self.points is not None
        sample = qmc.LatinHypercube(d=len(self.factors), seed=self.seed).random(self.points)
        out = []
        for row in sample:
            point: dict[str, Any] = {}
            for u, factor in zip(row, self.factors, strict=True):
                if factor.levels is not None:
                    point[factor.path] = factor.levels[min(int(u * len(factor.levels)),
                                                           len(factor.levels) - 1)]
                else:
                    assert factor.low is not None and factor.high is not None
                    value = factor.low + u * (factor.high - factor.low)
                    point[factor.path] = round(value) if factor.integer else float(value)
            out.append(point)
        return out


def load_experiment(path: str | Path) -> Experiment:
    """Read and check a spec file; a bad one is a ScenarioError with located problems."""
    from nevsim.scenario.reading import parse_yaml, read_text

    source = str(path)
    data = parse_yaml(read_text(Path(path)), source)
    try:
        spec = Experiment.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError([Problem(format_loc(tuple(e["loc"])) or "spec",
                                     e["msg"].removeprefix("Value error, "),
                                     None if isinstance(e.get("input"), dict | list)
                                     else e.get("input"))
                             for e in exc.errors()], source) from None
    try:
        spec.design_points()
    except ValueError as exc:
        raise ScenarioError([Problem("factors", str(exc))], source) from None
    return spec

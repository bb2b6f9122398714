"""The planning MILP assembled straight into a sparse matrix for HiGHS.

The same model as `nevsim.network.build` (its readable linopy form, which also builds the
elastic model behind the explanations), written as index arithmetic over the prepared
arrays. linopy costs ~0.05 s per statement whatever the size, which dominates models that
HiGHS solves in a second or two; assembling the matrix with numpy takes milliseconds. Tests
hold the two forms to the same optimum on every instance they solve.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import highspy
import numpy as np
import pandas as pd
import xarray as xr

from nevsim.network.data import (
    NetworkData,
    bound_array,
    content_big_m_array,
    origin_arrays,
    value_floor_array,
)
from nevsim.network.model import RuleKind, value_in
from nevsim.network.solve import SolverOutcome, quiet, solve_highs

INF = highspy.kHighsInf


@dataclass
class Column:
    """One family of decision variables: column number per cell (-1 where none)."""

    ids: np.ndarray
    dims: tuple[str, ...]


@dataclass
class MatrixModel:
    """Columns, rows and nonzeros of the planning MILP, ready for `Highs.passModel`."""

    data: NetworkData
    columns: dict[str, Column] = field(default_factory=dict)
    cost: np.ndarray = field(default_factory=lambda: np.zeros(0))
    integer: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    n_cols: int = 0
    row_lower: list[np.ndarray] = field(default_factory=list)
    row_upper: list[np.ndarray] = field(default_factory=list)
    n_rows: int = 0
    entries: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)
    _origins: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray, np.ndarray]] = field(
        default_factory=dict)

    def origins(self, rules: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Threshold [rule, year], supplier in region [supplier, rule], plant in region."""
        key = tuple(rules)
        if key not in self._origins:
            self._origins[key] = origin_arrays(self.data, rules)
        return self._origins[key]

    def add_columns(self, name: str, mask: np.ndarray, dims: tuple[str, ...],
                    binary: bool = False) -> Column:
        """Number the cells of `mask` as new columns (cost 0 until `set_cost`)."""
        ids = np.full(mask.shape, -1, dtype=np.int64)
        count = int(mask.sum())
        ids[mask] = np.arange(self.n_cols, self.n_cols + count)
        self.n_cols += count
        self.cost = np.concatenate([self.cost, np.zeros(count)])
        self.integer = np.concatenate([self.integer, np.full(count, binary)])
        column = Column(ids, dims)
        self.columns[name] = column
        return column

    def set_cost(self, column: Column, coefficient: np.ndarray) -> None:
        """Objective coefficients of a column family (broadcast to its shape)."""
        full = np.broadcast_to(coefficient, column.ids.shape)
        mask = column.ids >= 0
        self.cost[column.ids[mask]] = full[mask]

    def add_rows(self, lower: np.ndarray, upper: np.ndarray | float) -> np.ndarray:
        """New rows with bounds (same shape); returns their numbers in that shape."""
        lower = np.asarray(lower, dtype=float)
        upper = np.broadcast_to(np.asarray(upper, dtype=float), lower.shape)
        rows = np.arange(self.n_rows, self.n_rows + lower.size).reshape(lower.shape)
        self.n_rows += lower.size
        self.row_lower.append(lower.ravel())
        self.row_upper.append(np.array(upper).ravel())
        return rows

    def add(self, rows: np.ndarray, cols: np.ndarray, values: np.ndarray | float) -> None:
        """Nonzeros at broadcast (rows, cols, values), skipping absent columns and zeros."""
        rows, cols, values = np.broadcast_arrays(rows, cols, values)
        keep = (cols >= 0) & (rows >= 0) & (values != 0)
        self.entries.append((rows[keep].astype(np.int64), cols[keep].astype(np.int64),
                             values[keep].astype(float)))

    def to_highs(self) -> highspy.Highs:
        """A Highs instance holding the model (column-wise matrix, minimization)."""
        from scipy.sparse import coo_matrix

        rows = np.concatenate([e[0] for e in self.entries])
        cols = np.concatenate([e[1] for e in self.entries])
        vals = np.concatenate([e[2] for e in self.entries])
        lower = np.concatenate(self.row_lower)
        upper = np.concatenate(self.row_upper)
        # drop rows without entries that 0 satisfies (masked cells); keep any that 0 breaks
        keep = np.zeros(self.n_rows, dtype=bool)
        keep[rows] = True
        keep |= (lower > 0) | (upper < 0)
        renumber = np.cumsum(keep) - 1
        n_rows = int(keep.sum())
        matrix = coo_matrix((vals, (renumber[rows], cols)), shape=(n_rows, self.n_cols)).tocsc()
        lp = highspy.HighsLp()
        lp.num_col_ = self.n_cols
        lp.num_row_ = n_rows
        lp.col_cost_ = self.cost
        lp.col_lower_ = np.zeros(self.n_cols)
        lp.col_upper_ = np.where(self.integer, 1.0, INF)
        lp.row_lower_ = lower[keep]
        lp.row_upper_ = upper[keep]
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrix.indptr
        lp.a_matrix_.index_ = matrix.indices
        lp.a_matrix_.value_ = matrix.data
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
        highs.setOptionValue("output_flag", False)
        highs.passModel(lp)
        binary = np.flatnonzero(self.integer).astype(np.int32)
        if len(binary):
            highs.changeColsIntegrality(len(binary), binary,
                                        np.ones(len(binary), dtype=np.uint8))
        return highs

    def values(self, name: str, solution: np.ndarray) -> np.ndarray:
        """Primal values of a column family in its cell shape (0 where absent)."""
        ids = self.columns[name].ids
        return np.where(ids >= 0, solution[np.maximum(ids, 0)], 0.0)


def _define_columns(mm: MatrixModel) -> None:
    d = mm.data
    producing = d.values("producing", "plant", "year") > 0
    route = d.values("part_route", "supplier", "plant") > 0
    available = d.values("supplier_available", "supplier", "year") > 0
    mm.add_columns("supply", route[:, :, None] & available[:, None, :] & producing[None],
                   ("supplier", "plant", "year"))
    makes = d.values("makes", "plant", "model") > 0
    mm.add_columns("make", makes[:, :, None] & producing[:, None, :], ("plant", "model", "year"))
    mm.add_columns("ship", d.values("flow_open"),
                   ("plant", "market", "model", "year", "channel"))
    if len(d.steps):
        mm.add_columns("build", d.values("step_may_start", "step", "start") > 0, ("step", "start"),
                       binary=True)
    if not d.must_meet_demand:
        mm.add_columns("unmet", d.values("demand", "market", "model", "year") > 0,
                       ("market", "model", "year"))
    pref = _preferential(d)
    if pref:
        h = [list(d.channels).index(r) for r in pref]
        flow = d.values("flow_open")[..., h]
        opened = np.asarray(flow.any(axis=(1, 2)))  # [plant, year, rule]
        mm.add_columns("access", opened.transpose(0, 2, 1), ("plant", "channel", "year"),
                       binary=True)


def _preferential(d: NetworkData) -> list[str]:
    names = [r.name for r in d.content_rules if r.kind is RuleKind.PREFERENTIAL]
    flow = d.values("flow_open")
    return [n for n in names if flow[..., list(d.channels).index(n)].any()]


def _define_balance_and_capacity(mm: MatrixModel) -> None:
    d = mm.data
    supply, make = mm.columns["supply"].ids, mm.columns["make"].ids
    n_s, n_p, n_t = supply.shape
    n_c = len(d.components)
    comp_of = np.array([list(d.components).index(c) for c in d.values("supplier_component")])
    rows = mm.add_rows(np.zeros((n_p, n_c, n_t)), 0.0)  # parts bought = parts needed
    mm.add(rows[:, comp_of, :].transpose(1, 0, 2), supply, 1.0)
    bom = d.values("bom", "model", "component")
    mm.add(rows[:, None, :, :], make[:, :, None, :], -bom[None, :, :, None])

    cap = d.values("supplier_capacity", "supplier", "year")
    rows = mm.add_rows(np.full((n_s, n_t), -INF), cap)
    mm.add(rows[:, None, :], supply, 1.0)

    existing = d.values("existing_capacity", "plant", "year")
    rows = mm.add_rows(np.full((n_p, n_t), -INF), existing)  # output within capacity
    mm.add(rows[:, None, :], make, 1.0)
    if "build" in mm.columns:
        build = mm.columns["build"].ids
        plant_of = np.array([list(d.plants).index(p) for p in d.values("step_plant")])
        step_cap = d.values("step_capacity", "step", "start", "year")
        mm.add(rows[plant_of][:, None, :], build[:, :, None], -step_cap)


def _define_builds(mm: MatrixModel) -> None:
    d = mm.data
    if "build" not in mm.columns:
        return
    build = mm.columns["build"].ids
    n_st = build.shape[0]
    once = mm.add_rows(np.full(n_st, -INF), 1.0)
    mm.add(once[:, None], build, 1.0)
    steps = list(d.steps)
    starts = np.asarray(d.starts)
    years = np.asarray(d.years)
    started_by = (starts[:, None] <= years[None, :]).astype(float)  # [start, year]
    for earlier, later in d.step_order:
        rows = mm.add_rows(np.full(len(years), -INF), 0.0)
        mm.add(rows[None, :], build[steps.index(later)][:, None], started_by)
        mm.add(rows[None, :], build[steps.index(earlier)][:, None], -started_by)


def _define_flows(mm: MatrixModel) -> None:
    d = mm.data
    ship, make = mm.columns["ship"].ids, mm.columns["make"].ids
    n_p, _, n_m, n_t, _ = ship.shape
    rows = mm.add_rows(np.zeros((n_p, n_m, n_t)), 0.0)  # everything made is shipped
    mm.add(rows[:, None, :, :, None], ship, 1.0)
    mm.add(rows, make, -1.0)
    demand = d.values("demand", "market", "model", "year")
    rows = mm.add_rows(demand, demand)  # sales (+ unmet) = demand
    mm.add(rows[None, :, :, :, None], ship, 1.0)
    if "unmet" in mm.columns:
        mm.add(rows, mm.columns["unmet"].ids, 1.0)


def _content_terms(mm: MatrixModel, rows: np.ndarray, rules: list[str],
                   minus_threshold: bool) -> None:
    """Add originating value (minus threshold x total value) of each plant-rule-year row."""
    d = mm.data
    th, s_in, p_in = mm.origins(rules)  # [r, t], [s, r], [p, r]
    cost = d.values("unit_cost", "supplier", "year")
    vc = d.values("variable_cost", "plant", "year")
    sub = th if minus_threshold else np.zeros_like(th)
    supply, make = mm.columns["supply"].ids, mm.columns["make"].ids
    # rows [p, r, t]; supply [s, p, t]; coefficient cost[s, t] (in[s, r] - theta[r, t])
    coef = cost[:, None, :] * (s_in[:, :, None] - sub[None, :, :])  # [s, r, t]
    mm.add(rows[None, :, :, :], supply[:, :, None, :], coef[:, None, :, :])
    coef_m = vc[:, None, :] * (p_in[:, :, None] - sub[None, :, :])  # [p, r, t]
    mm.add(rows[:, None, :, :], make[:, :, None, :], coef_m[:, None, :, :])


def _define_preferential(mm: MatrixModel) -> None:
    d = mm.data
    if "access" not in mm.columns:
        return
    rules = _preferential(d)
    h = [list(d.channels).index(r) for r in rules]
    access = mm.columns["access"].ids  # [p, r, t]
    ship = mm.columns["ship"].ids[..., h]  # [p, k, m, t, r]
    demand = d.values("demand", "market", "model", "year")
    rows = mm.add_rows(np.full(ship.shape, -INF), 0.0)  # ship <= demand x access
    rows = np.where(ship >= 0, rows, -1)
    mm.add(rows, ship, 1.0)
    mm.add(rows, access.transpose(0, 2, 1)[:, None, None, :, :],
           -demand[None, :, :, :, None])

    big = content_big_m_array(d, rules)
    n_p, n_r, n_t = access.shape
    lower = np.broadcast_to(-big[:, :, None], (n_p, n_r, n_t)).copy()
    rows = mm.add_rows(lower, np.full_like(lower, INF))  # content >= -M (1 - access)
    rows = np.where(access >= 0, rows, -1)
    _content_terms(mm, rows, rules, minus_threshold=True)
    mm.add(rows, access, -big[:, :, None])

    rows = mm.add_rows(np.zeros((n_p, n_r, n_t)), INF)  # originating value cut
    rows = np.where(access >= 0, rows, -1)
    _content_terms(mm, rows, rules, minus_threshold=False)
    th = mm.origins(rules)[0]
    floor = value_floor_array(d)
    coef = th.T[None, None, None, :, :] * floor[:, None, :, :, None]  # [p, 1, m, t, r]
    mm.add(rows.transpose(0, 2, 1)[:, None, None, :, :], ship, -coef)


def _define_mandatory(mm: MatrixModel) -> None:
    d = mm.data
    rules = [r.name for r in d.content_rules if r.kind is RuleKind.MANDATORY]
    if not rules:
        return
    bound = bound_array(d, rules)[:, :, None] & (d.values("producing", "plant", "year")[:, None, :]
                                                  > 0)
    rows = mm.add_rows(np.zeros(bound.shape), INF)
    rows = np.where(bound, rows, -1)
    _content_terms(mm, rows, rules, minus_threshold=True)


def _define_local_production(mm: MatrixModel) -> None:
    d = mm.data
    ship, make = mm.columns["ship"].ids, mm.columns["make"].ids
    markets, plants, models = list(d.markets), list(d.plants), list(d.models)
    for rule in d.local_rules:
        if rule.name not in d.channels:
            continue
        h = list(d.channels).index(rule.name)
        countries = {c for name in rule.countries for c in d.net.members(name)}
        local = [plants.index(p.name) for p in d.net.plants if p.country in countries]
        inside = [markets.index(k.name) for k in d.net.markets if k.country in countries]
        pts = None if rule.powertrains is None else set(rule.powertrains)
        chosen = [models.index(m.name) for m in d.net.models
                  if pts is None or m.powertrain in pts]
        assert rule.ratio is not None
        ratio = np.array([value_in(rule.ratio, y) for y in d.years])
        rows = mm.add_rows(np.zeros(len(d.years)), INF)
        made = make[np.ix_(local, chosen)] if local else np.full((0, 0, len(d.years)), -1)
        mm.add(rows[None, None, :], made, 1.0)
        imported = ship[:, inside][:, :, chosen][..., h]  # [p, k, m, t]
        mm.add(rows[None, None, None, :], imported, -ratio[None, None, None, :])


def _define_objective(mm: MatrixModel) -> None:
    d = mm.data
    df = d.values("discount")
    carbon = d.net.carbon_price / 1000
    mm.set_cost(mm.columns["supply"], d.values("part_landed", "supplier", "plant", "year") * df)
    co2 = np.array([p.co2_per_vehicle for p in d.net.plants])
    vc = d.values("variable_cost", "plant", "year") + carbon * co2[:, None]
    mm.set_cost(mm.columns["make"], (vc * df)[:, None, :])
    per_vehicle = (d.values("vehicle_freight", "plant", "market") + carbon *
                   d.values("vehicle_co2", "plant", "market"))[:, :, None, None, None] + \
        d.values("duty_rate") * \
        d.values("customs_value")[None, None, :, None, None]
    if not d.must_meet_demand:
        price = d.values("price", "market", "model", "year")
        per_vehicle = per_vehicle - price[None, :, :, :, None]
    mm.set_cost(mm.columns["ship"], per_vehicle * df[None, None, None, :, None])
    if "build" in mm.columns:
        mm.set_cost(mm.columns["build"], d.values("step_cost", "step", "start"))


STEPS = (_define_columns, _define_balance_and_capacity, _define_builds, _define_flows,
         _define_preferential, _define_mandatory, _define_local_production, _define_objective)


def build_matrix(data: NetworkData) -> MatrixModel:
    """The planning MILP of a prepared network as a sparse matrix."""
    mm = MatrixModel(data)
    for step in STEPS:
        step(mm)
    return mm


def run_matrix(mm: MatrixModel, *, build_seconds: float, time_limit: float | None = None,
               gap: float = 1e-4, threads: int | None = None) -> SolverOutcome:
    """Hand the matrix to HiGHS and solve; values come back by column."""
    t0 = time.perf_counter()
    with quiet():
        highs = mm.to_highs()
    handoff = time.perf_counter() - t0
    return solve_highs(highs, build_seconds=build_seconds, handoff_seconds=handoff,
                       binaries=int(mm.integer.sum()), time_limit=time_limit, gap=gap,
                       threads=threads)


def solution_arrays(mm: MatrixModel, values: np.ndarray) -> dict[str, xr.DataArray]:
    """Primal values of each column family as labelled arrays."""
    d = mm.data
    coords = {"supplier": d.suppliers, "plant": d.plants, "year": d.years, "model": d.models,
              "market": d.markets, "channel": d.channels, "step": d.steps,
              "start": d.starts}
    out = {}
    for name, column in mm.columns.items():
        dims = column.dims
        if name == "access":
            channel = pd.Index(_preferential(d), name="channel")
            index = [channel if dim == "channel" else coords[dim] for dim in dims]
        else:
            index = [coords[dim] for dim in dims]
        out[name] = xr.DataArray(mm.values(name, values), coords=index, dims=dims)
    return out

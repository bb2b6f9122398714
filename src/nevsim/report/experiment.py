"""An experiment's summary and report: which design is best, by how much, and how sure."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from nevsim.experiments.experiment import CONFIDENCE, ExperimentResult
from nevsim.report.html import FigureRenderer, Section, human_table, write_page

SHOWN = 10
"""Design points listed in the terminal summary (the best first)."""


def _num(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:,.2f}"


def headline(result: ExperimentResult) -> str:
    """The best design, its objective and how many designs the experiment cannot tell from it."""
    best = result.points().set_index("point").loc[result.best].to_dict()
    diff = result.differences()
    tied = int((diff["distinguishable"] == False).sum())  # noqa: E712 - None is the best
    first = result.runs[result.runs["point"] == result.best].iloc[0]
    design = ", ".join(f"{label(f)} = {first[f]}" for f in result.factors)
    interval = "" if math.isnan(best["low"]) else (
        f" ({CONFIDENCE:.0%} CI {best['low']:,.2f} to {best['high']:,.2f})")
    return (f"Best of {len(diff)} designs by {'highest' if result.maximize else 'lowest'} "
            f"{result.objective}: {design}, {best['mean']:,.2f}{interval}. "
            + (f"{tied} other design(s) cannot be told from it at {CONFIDENCE:.0%} (common "
               "random numbers, paired by replication)." if tied else
               "Every other design is worse, beyond the noise."))


def label(path: str) -> str:
    """A factor's path as a short name (`painted-body store capacity`).

    `factory.buffers[name=painted-body store].capacity` is the path it shortens.
    """
    last = path.rsplit(".", 1)[-1]
    if "[" in path and "=" in path:
        chosen = path[path.rindex("=") + 1:path.rindex("]")]
        return f"{chosen} {last}"
    return last


def _ranked(result: ExperimentResult) -> list[dict[str, Any]]:
    table = result.points().merge(result.differences(), on="point", suffixes=("", "_diff"))
    ranked = table.sort_values("mean", ascending=not result.maximize)
    return [{str(k): v for k, v in row.items()} for row in ranked.to_dict("records")]


def print_summary(result: ExperimentResult, console: Console) -> None:
    """The best designs with their intervals and their differences from the best."""
    table = Table(title=escape(f"nevsim experiment: {result.name} ({result.scenario}, "
                               f"{result.executor}, {result.workers} worker(s), "
                               f"{result.seconds:.1f} s)"))
    table.add_column("point", justify="right")
    for f in result.factors:
        table.add_column(escape(f), justify="right")
    for col in (f"mean {result.objective}", "CI", "vs best", "CI of the difference"):
        table.add_column(col, justify="right")
    for row in _ranked(result)[:SHOWN]:
        table.add_row(str(row["point"]), *[escape(str(row[f])) for f in result.factors],
                      _num(float(row["mean"])),
                      f"{_num(float(row['low']))} to {_num(float(row['high']))}",
                      _num(float(row["difference"])),
                      f"{_num(float(row['low_diff']))} to "
                      f"{_num(float(row['high_diff']))}")
    console.print(table)
    console.print(headline(result))


def write_html(result: ExperimentResult, path: Path) -> Path:
    """Main effects, every design with its interval, differences from the best, the runs."""
    figure = FigureRenderer()
    points = result.points()
    diff = result.differences()
    columns = {"point": ("point", "int"), **{f: (f, "text") for f in result.factors},
               "mean": (f"mean {result.objective}", "num2"), "low": ("CI low", "num2"),
               "high": ("CI high", "num2"), "replications": ("replications", "int")}
    sections = [
        Section("Which design is best?", figure(_designs(result)), headline(result)),
        Section("What each factor does (main effects)", figure(_effects(result)),
                f"The mean {result.objective} at each level of each factor, over the other "
                "factors' levels in the design."),
        *([Section("Do the factors interact?", figure(_interactions(result)),
                   f"The mean {result.objective} against one factor's levels, a line for each "
                   "level of another: lines that are not parallel mean the gain of one "
                   "factor depends on the other.")] if len(result.factors) > 1 else []),
        Section("Every design", human_table(points, columns) + human_table(diff, {
            "point": ("point", "int"), "difference": ("difference from the best", "num2"),
            "low": ("CI low", "num2"), "high": ("CI high", "num2"),
            "distinguishable": ("told apart from the best", "yes")}),
            f"Intervals at {CONFIDENCE:.0%}; differences are paired by replication (common "
            "random numbers), so they are narrower than the designs' own intervals."),
    ]
    return write_page(path, f"Experiment: {result.name}",
                      f"{result.scenario}: {len(points)} designs x "
                      f"{result.runs.replication.nunique()} replications, seed {result.seed}, "
                      f"{result.executor}", sections)


def _designs(result: ExperimentResult) -> go.Figure:
    ranked = _ranked(result)
    labels = [f"#{r['point']}: " + ", ".join(f"{label(f)} = {r[f]}"
                                              for f in result.factors) for r in ranked]
    means = [float(r["mean"]) for r in ranked]
    err = [0.0 if math.isnan(float(r["high"])) else float(r["high"]) - float(r["mean"])
           for r in ranked]
    fig = go.Figure(go.Bar(y=labels, x=means, orientation="h",
                           error_x={"type": "data", "array": err, "visible": True},
                           marker_color=["#2e8b57" if r["point"] == result.best else "#5d8aa8"
                                         for r in ranked]))
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(xaxis_title=f"mean {result.objective} ({CONFIDENCE:.0%} CI)",
                      height=max(300, 26 * len(ranked) + 120), margin={"l": 10, "r": 10})
    return fig


def _effects(result: ExperimentResult) -> go.Figure:
    effects = result.main_effects()
    fig = make_subplots(rows=1, cols=max(1, len(result.factors)),
                        subplot_titles=[label(f) for f in result.factors])
    for i, f in enumerate(result.factors, start=1):
        part = effects[effects["factor"] == f]
        fig.add_trace(go.Scatter(x=[str(v) for v in part["level"]], y=part["mean"],
                                 mode="lines+markers", name=f), row=1, col=i)
    fig.update_layout(showlegend=False, yaxis_title=f"mean {result.objective}",
                      margin={"l": 10, "r": 10})
    return fig


def _interactions(result: ExperimentResult) -> go.Figure:
    pairs = result.interactions()[:3]
    fig = make_subplots(rows=1, cols=len(pairs),
                        subplot_titles=[f"{label(a)} x {label(b)}" for a, b, _ in pairs])
    for i, (a, b, table) in enumerate(pairs, start=1):
        for level in table.columns:
            fig.add_trace(go.Scatter(x=[str(v) for v in table.index], y=table[level],
                                     mode="lines+markers", name=f"{label(b)} = {level}",
                                     legendgroup=str(i)), row=1, col=i)
        fig.update_xaxes(title_text=label(a), row=1, col=i)
    fig.update_layout(yaxis_title=f"mean {result.objective}", legend_orientation="h",
                      margin={"l": 10, "r": 10})
    return fig

"""The HTML report of `factory sequence`: what each sequencing policy costs the line."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from nevsim.report.html import FigureRenderer, Section, human_table, write_page

COLOURS = {"fifo": "#9aa5b1", "colour-batches": "#d62728", "option-spacing": "#ff7f0e",
           "optimized": "#1f77b4"}


def write_html(plan: Any, path: Path) -> Path:
    """The policies side by side: rules, colour batches, purges, overload, simulated rate.

    `plan` is a `nevsim.workflow.factory.SequencePlan`.
    """
    render = FigureRenderer()
    sections = [
        Section("Policies on the same order book", human_table(_policy_table(plan), {
            "policy": ("policy", "text"), "high": ("high-priority rules broken", "int"),
            "low": ("low-priority rules broken", "int"),
            "changes": ("colour changes", "int"), "mean_batch": ("mean batch (cars)", "num1"),
            "longest": ("longest batch (cars)", "int"),
            "purge_hours": ("purge (h)", "num1"), "purge_cost": ("purge cost (USD)", "int"),
            **({"overloaded": ("overloaded cars", "int"),
                "overload_hours": ("overload (h)", "num2"),
                "rate": ("line rate (JPH)", "num2") if plan.line_stops
                else ("utility cost (USD)", "int")}
               if plan.overloads else {})}),
            f"{plan.source}; goals {' > '.join(plan.goals)}. A rule H:N is broken once for "
            "each car over H in a window of N cars (ROADEF 2005 counting). Purge time and cost "
            "follow the paint shop's change costs (dark to light dearer)."),
        Section("Colour batches", render(_batch_figure(plan)),
                "Share of the cars painted in a batch of at least this many cars of one colour: "
                "the further right a policy's line runs, the fewer colour changes the paint "
                "shop makes."),
        Section("Option rules", render(_rules_figure(plan)),
                "Cars over each option's limit, window by window, in each policy's sequence."),
    ]
    if plan.simulated:
        sections.append(Section("Simulated line rate", render(_rate_figure(plan)),
                                "Each sequence built again and again on the plant with the "
                                "same seed; jobs an hour while the last shop works, and the "
                                "difference from FIFO with its 95% interval (paired by "
                                "replication)."))
    subtitle = (f"{plan.scenario}: {len(plan.orders):,} orders, {plan.moves:,} optimizer moves, "
                f"seed {plan.seed}")
    return write_page(path, f"nevsim sequencing report: {plan.scenario}", subtitle, sections)


def _policy_table(plan: Any) -> pd.DataFrame:
    rows = []
    for r in plan.results:
        row: dict[str, Any] = {
            "policy": r.policy.value, "high": plan.broken(r, "high"),
            "low": plan.broken(r, "low"), "changes": r.score.colour_changes,
            "mean_batch": r.batches.mean, "longest": r.batches.longest,
            "purge_hours": r.purge_hours, "purge_cost": r.purge_cost}
        if plan.overloads:
            o = r.overload
            row.update(overloaded=sum(o.events), overload_hours=o.hours,
                       rate=o.jph if plan.line_stops else o.cost)
        rows.append(row)
    return pd.DataFrame(rows)


def _batch_figure(plan: Any) -> go.Figure:
    """Per policy: the share of cars in batches of at least x cars (a survival curve)."""
    fig = go.Figure()
    for r in plan.results:
        cars_in = Counter(r.batches.lengths)
        lengths = np.array(sorted(cars_in))
        cars = np.array([length * cars_in[length] for length in lengths], dtype=float)
        at_least = cars[::-1].cumsum()[::-1] / max(cars.sum(), 1.0)
        name = r.policy.value
        fig.add_scatter(x=lengths, y=at_least, mode="lines+markers", line_shape="hv",
                        name=name, line_color=COLOURS.get(name),
                        hovertemplate=f"{name}: %{{y:.0%}} of the cars in batches of "
                        "%{x} or more<extra></extra>")
    fig.update_layout(height=380, xaxis={"type": "log", "title": "batch length (cars)"},
                      yaxis={"tickformat": ".0%", "title": "share of the cars", "range": [0, 1.05]},
                      margin={"l": 70, "r": 20, "t": 20, "b": 50})
    return fig


def _rules_figure(plan: Any) -> go.Figure:
    """Violations of each option rule, grouped by policy."""
    fig = go.Figure()
    for r in plan.results:
        names = list(r.score.violations)
        name = r.policy.value
        fig.add_bar(x=[f"{n} ({plan.priorities[n]})" for n in names],
                    y=[r.score.violations[n] for n in names], name=name,
                    marker_color=COLOURS.get(name),
                    hovertemplate=f"{name}: %{{y:,}} cars over the limit<extra></extra>")
    fig.update_layout(barmode="group", height=360, yaxis={"title": "cars over the limit"},
                      margin={"l": 70, "r": 20, "t": 20, "b": 60})
    return fig


def _rate_figure(plan: Any) -> go.Figure:
    """Each policy's simulated rate, as its difference from FIFO with the interval."""
    names = list(plan.simulated)
    sims = [plan.simulated[n] for n in names]
    fig = go.Figure()
    fig.add_scatter(x=[s.gain for s in sims], y=names, mode="markers",
                    marker={"size": 11, "color": [COLOURS.get(n) for n in names]},
                    error_x={"type": "data", "symmetric": False,
                             "array": [s.gain_high - s.gain for s in sims],
                             "arrayminus": [s.gain - s.gain_low for s in sims]},
                    customdata=[s.jph.mean for s in sims], showlegend=False,
                    hovertemplate="%{y}: %{customdata:.2f} jobs an hour, %{x:+.2f} on "
                    "FIFO<extra></extra>")
    fig.add_vline(x=0.0, line_dash="dot", line_color="#555")
    fig.update_layout(height=90 * len(names) + 100,
                      xaxis={"title": "jobs an hour more than FIFO (95% interval)"},
                      yaxis={"autorange": "reversed"},
                      margin={"l": 130, "r": 20, "t": 20, "b": 50})
    return fig

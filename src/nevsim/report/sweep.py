"""Sweep reports: the swept value against the answer, and what changes from value to value.

The answer is throughput with its intervals (factory) or profit and duties (network).
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from nevsim.report.html import FigureRenderer, Section, human_table, write_page


def _x(table: pd.DataFrame) -> list[str]:
    return [str(v) for v in table["value"]]


def write_factory_sweep(table: pd.DataFrame, scenario: str, path_expr: str, takt: float,
                        out: Path) -> Path:
    """Time between vehicles (with 95% intervals) and JPH per value, against the takt."""
    figure = FigureRenderer()
    x = _x(table)
    fig = go.Figure()
    fig.add_scatter(x=x, y=table["interdeparture_s"], mode="lines+markers",
                    name="time between vehicles on shift",
                    error_y={"type": "data", "symmetric": False,
                             "array": table["interdeparture_ci95_high"] - table["interdeparture_s"],
                             "arrayminus": table["interdeparture_s"]
                             - table["interdeparture_ci95_low"]},
                    hovertemplate="%{x}: %{y:.1f} s<extra></extra>")
    fig.add_scatter(x=x, y=[takt] * len(x), mode="lines", name=f"takt {takt:g} s",
                    line={"color": "#c62828", "dash": "dash"})
    fig.update_layout(xaxis={"title": path_expr, "type": "category"},
                      yaxis={"title": "seconds between vehicles (95% interval)"}, height=420)
    sections = [
        Section("Does the line hold its takt at each value?", figure(fig),
                "Every value is simulated with the same seed (common random numbers), so "
                "the differences between values are not sampling noise."),
        Section("Values", human_table(table, {
            "value": ("value", "text"), "takt": ("takt (95% confidence)", "text"),
            "interdeparture_s": ("s between vehicles", "num1"),
            "interdeparture_ci95_low": ("95% low", "num1"),
            "interdeparture_ci95_high": ("95% high", "num1"),
            "jph_on_shift": ("JPH on shift", "num1"),
            "annual_output": ("annual output", "int"), "bottleneck": ("bottleneck", "text")})),
    ]
    return write_page(out, f"nevsim factory sweep: {scenario}",
                      html.escape(f"{path_expr} = {', '.join(x)}"), sections)


def write_network_sweep(table: pd.DataFrame, scenario: str, path_expr: str, currency: str,
                        out: Path) -> Path:
    """Profit and duties per value, and which plants each plan opens."""
    figure = FigureRenderer()
    x = _x(table)
    fig = go.Figure()
    fig.add_bar(x=x, y=table["profit"], name=f"profit ({currency}, discounted)",
                marker_color="#2e7d32", hovertemplate="%{x}: %{y:,.3s}<extra></extra>")
    fig.add_bar(x=x, y=table["duties_paid"], name=f"duties paid ({currency})",
                marker_color="#c62828", hovertemplate="%{x}: %{y:,.3s}<extra></extra>")
    fig.update_layout(barmode="group", xaxis={"title": path_expr, "type": "category"},
                      yaxis={"title": currency}, height=420)
    base = set(str(table["plants_opened"].iloc[0]).split(", ")) - {""}
    changes = []
    for opened in table["plants_opened"]:
        now = set(str(opened).split(", ")) - {""}
        added, dropped = sorted(now - base), sorted(base - now)
        changes.append("; ".join(part for part in (
            f"adds {', '.join(added)}" if added else "",
            f"drops {', '.join(dropped)}" if dropped else "") if part) or "same plants")
    frame = table.assign(change=changes)
    sections = [
        Section("Profit and duties at each value", figure(fig)),
        Section("What the plan does differently", human_table(frame, {
            "value": ("value", "text"), "status": ("outcome", "text"),
            "profit": (f"profit ({currency})", "bn"), "plants_opened": ("plants", "text"),
            "change": ("against the first value", "text"),
            "duties_paid": (f"duties ({currency})", "bn"),
            "chinese_value_share_abroad": ("Chinese-owned share abroad", "pct0")})),
    ]
    return write_page(out, f"nevsim network sweep: {scenario}",
                      html.escape(f"{path_expr} = {', '.join(x)}"), sections)

"""The factory report: a terminal summary (Rich) and an HTML page with plots (Plotly)."""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from rich.console import Console
from rich.table import Table

from nevsim.factory.results import Estimate, FactoryResult, TaktVerdict
from nevsim.report.html import FigureRenderer, Section, table_html, write_page
from nevsim.scenario.units import format_duration

STATES = ["working", "setup", "down", "blocked", "starved", "off_shift"]
STATE_COLOURS = {"working": "#2e7d32", "setup": "#9e9d24", "down": "#c62828",
                 "blocked": "#ef6c00", "starved": "#1565c0", "off_shift": "#bdbdbd"}


def _ci(e: Estimate, digits: int = 1) -> str:
    if e.replications < 2:
        return f"{e.mean:,.{digits}f}"
    return f"{e.mean:,.{digits}f}  [{e.low:,.{digits}f}, {e.high:,.{digits}f}]"


def _duration(seconds: object) -> str:
    return format_duration(float(seconds))  # type: ignore[arg-type]


BOTTLENECK_DEFINITION = (
    "The bottleneck is the station that is the momentary bottleneck for the largest share of "
    "time: at each moment, the station whose current active period (working, in setup or "
    "down with all servers occupied) is the longest (the active-period method).")

_VERDICT_WORDS = {TaktVerdict.HOLDS: "holds", TaktVerdict.FAILS: "does NOT hold",
                  TaktVerdict.CANNOT_TELL: "may or may not hold"}
_VERDICT_CLASS = {TaktVerdict.HOLDS: "ok", TaktVerdict.FAILS: "bad",
                  TaktVerdict.CANNOT_TELL: "unsure"}
_VERDICT_STYLE = {TaktVerdict.HOLDS: "green", TaktVerdict.FAILS: "red",
                  TaktVerdict.CANNOT_TELL: "yellow"}


def verdict(result: FactoryResult) -> str:
    """One sentence: does the line hold its takt (holds, does not hold, cannot tell)."""
    e = result.interdeparture
    interval = (f"95% CI {e.low:.1f}-{e.high:.1f} s" if np.isfinite([e.low, e.high]).all()
                else "one replication, no interval")
    return (f"The line {_VERDICT_WORDS[result.verdict]} its {result.takt:g} s takt: a vehicle "
            f"every {e.mean:.1f} s of working time ({interval}).")


def print_summary(result: FactoryResult, console: Console) -> None:
    """The headline table, OEE and robots by shop, and the bottleneck ranking."""
    head = Table(title=f"nevsim factory: {result.scenario}", show_header=False)
    head.add_column("what", style="bold")
    head.add_column("value")
    style = _VERDICT_STYLE[result.verdict]
    head.add_row("takt target", f"{result.takt:g} s  ({3600 / result.takt:.1f} JPH)")
    head.add_row("takt", f"[{style}]{result.verdict.value}[/{style}] (95% confidence)")
    head.add_row("time between vehicles (s, on shift)", _ci(result.interdeparture))
    head.add_row("JPH while working", _ci(result.jph_on_shift))
    head.add_row("JPH over calendar time", _ci(result.jph, 2))
    head.add_row("output per day / week", f"{result.daily_output.mean:,.0f} / "
                 f"{result.weekly_output.mean:,.0f}")
    head.add_row("annual output (vehicles)", _ci(result.annual_output, 0))
    shares = result.stations.set_index("station")["bottleneck_share"]
    share = float(shares[result.bottleneck])
    head.add_row("bottleneck (most often the momentary one)",
                 f"{result.bottleneck} ({share:.0%} of the time)")
    head.add_row("robots", f"{result.robots:,}")
    head.add_row("simulated", f"{format_duration(result.horizon)} x "
                 f"{result.jph.replications} replications, warm-up "
                 f"{format_duration(result.warmup)}, seed {result.seed}, "
                 f"{result.workers} worker{'s' if result.workers > 1 else ''}")
    console.print(head)

    shops = Table(title="Shops")
    for col in ("shop", "robots", "OEE", "WIP", "lead time", "vehicles/h"):
        shops.add_column(col, justify="left" if col == "shop" else "right")
    for row in result.shops.itertuples():
        main = bool(row.main_line)
        shops.add_row(str(row.shop), f"{row.robots}", f"{row.oee:.1%}",
                      f"{row.wip:.1f}" if main else "-",
                      _duration(row.lead_time_s) if main else "-",
                      f"{row.exits_per_hour:.1f}" if main else "-")
    console.print(shops)

    ranking = result.stations.sort_values("bottleneck_share", ascending=False).head(5)
    bn = Table(title="Momentary bottleneck share (top 5)")
    for col in ("station", "shop", "share", "mean active period", "utilization", "OEE"):
        bn.add_column(col, justify="left" if col in ("station", "shop") else "right")
    for row in ranking.itertuples():
        bn.add_row(str(row.station), str(row.shop), f"{row.bottleneck_share:.1%}",
                   _duration(row.mean_active_period_s),
                   f"{row.utilization:.1%}", f"{row.oee:.1%}")
    console.print(bn)
    console.print(verdict(result))
    for note in result.notes:
        console.print(f"[yellow]Note:[/yellow] {note}")


def write_html(result: FactoryResult, path: Path) -> Path:
    """The self-contained HTML report."""
    render = FigureRenderer()
    stations = result.stations
    summary = pd.DataFrame([
        ("takt target (s)", f"{result.takt:g}"),
        ("takt (95% confidence)", result.verdict.value),
        ("time between vehicles on shift (s)", _ci(result.interdeparture)),
        ("JPH while working", _ci(result.jph_on_shift)),
        ("JPH over calendar time", _ci(result.jph, 2)),
        ("output per calendar day", _ci(result.daily_output, 0)),
        ("output per week", _ci(result.weekly_output, 0)),
        ("annual output", _ci(result.annual_output, 0)),
        ("bottleneck", result.bottleneck),
        ("robots", f"{result.robots:,}"),
    ], columns=["figure", "value"])
    sections = [
        Section("Verdict", f'<p class="verdict {_VERDICT_CLASS[result.verdict]}">'
                f"{html.escape(verdict(result))}</p>"
                + "".join(f'<p class="note">{html.escape(note)}</p>' for note in result.notes)
                + table_html(summary)),
        Section("Station states", render(_state_figure(stations)),
                "Share of calendar time each station spends working, in setup, down, blocked, "
                "starved or off shift (mean over replications)."),
        Section("Bottleneck", render(_bottleneck_figure(stations)),
                BOTTLENECK_DEFINITION + " Bars: that share per station; dots: its mean "
                "active period."),
        Section("Output over time", render(_output_figure(result.output)),
                "Vehicles off the line per day (mean over replications)."),
        Section("Buffer levels", render(_buffer_figure(result.buffers)),
                "Mean number of vehicles (or part sets) waiting, over the horizon."),
        Section("Shops", table_html(result.shops)),
        Section("Stations", table_html(stations.drop(columns=["line"]))),
    ]
    subtitle = (f"{format_duration(result.horizon)} simulated, {result.jph.replications} "
                f"replications, warm-up {format_duration(result.warmup)}, seed {result.seed}")
    return write_page(path, f"nevsim factory report: {result.scenario}", subtitle, sections)


def _state_figure(stations: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    for state in STATES:
        fig.add_bar(y=stations["station"], x=stations[state], name=state, orientation="h",
                    marker_color=STATE_COLOURS[state])
    fig.update_layout(barmode="stack", height=28 * len(stations) + 120,
                      yaxis={"autorange": "reversed"}, xaxis={"tickformat": ".0%"},
                      margin={"l": 220})
    return fig


def _bottleneck_figure(stations: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    fig.add_bar(x=stations["station"], y=stations["bottleneck_share"], name="bottleneck share")
    fig.add_scatter(x=stations["station"], y=stations["mean_active_period_s"], yaxis="y2",
                    mode="markers", name="mean active period (s)")
    fig.update_layout(yaxis={"tickformat": ".0%", "title": "share of time"},
                      yaxis2={"overlaying": "y", "side": "right", "type": "log",
                              "title": "mean active period (s)"},
                      height=480, margin={"b": 200})
    return fig


def _output_figure(output: pd.DataFrame) -> go.Figure:
    daily = output.groupby(output["hour"] // 24)["vehicles"].sum()
    fig = go.Figure(go.Scatter(x=daily.index, y=daily.values, mode="lines", name="vehicles/day"))
    fig.update_layout(xaxis_title="day", yaxis_title="vehicles per day", height=360)
    return fig


def _buffer_figure(buffers: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    for col in buffers.columns.drop("time_h"):
        fig.add_scatter(x=buffers["time_h"] / 24, y=buffers[col], mode="lines", name=col)
    fig.update_layout(xaxis_title="day", yaxis_title="level", height=420)
    return fig

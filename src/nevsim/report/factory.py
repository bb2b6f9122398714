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
from nevsim.report.html import FigureRenderer, Section, human_table, table_html, write_page
from nevsim.scenario.units import format_duration

STATES = ["working", "setup", "down", "blocked", "starved", "waiting_parts", "off_shift"]
STATE_COLOURS = {"working": "#2e7d32", "setup": "#9e9d24", "down": "#c62828",
                 "blocked": "#ef6c00", "starved": "#1565c0", "waiting_parts": "#6a1b9a",
                 "off_shift": "#bdbdbd"}


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
    if not result.mix.empty:  # a mixed-model line: output by model and by colour
        total = float(result.mix["jph"].sum()) or 1.0
        for key in ("model", "colour"):
            shares = result.mix.groupby(key, sort=False)["jph"].sum() / total
            head.add_row(f"output by {key}", ", ".join(
                f"{name} {share:.0%}" for name, share in shares.sort_values(
                    ascending=False).items()))
        purges = result.stations["purges"].sum()
        if purges:
            head.add_row("colour purges", f"{purges:,.0f} over the window")
    if not result.store.empty:  # in -> out, per 1,000 bodies
        side = result.store.set_index("side")
        head.add_row("store: option-rule breaches", "high {:,.0f} -> {:,.0f}, low {:,.0f} -> "
                     "{:,.0f} per 1,000 bodies (in -> handed on)".format(
                         *side[["high_per_1000", "low_per_1000"]].T.to_numpy().ravel()))
        head.add_row("store: bodies behind a later one", "{:,.0f} -> {:,.0f} per 1,000".format(
            *side["late_per_1000"]))
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
    """The self-contained HTML report, one section per question an engineer asks."""
    render = FigureRenderer()
    stations = result.stations
    summary = pd.DataFrame([
        ("takt target", f"{result.takt:g} s ({3600 / result.takt:.1f} JPH)"),
        ("takt (95% confidence)", result.verdict.value),
        ("time between vehicles on shift", f"{_ci(result.interdeparture)} s"),
        ("JPH while working", _ci(result.jph_on_shift)),
        ("JPH over calendar time", _ci(result.jph, 2)),
        ("output per calendar day", _ci(result.daily_output, 0)),
        ("output per week", _ci(result.weekly_output, 0)),
        ("annual output", _ci(result.annual_output, 0)),
        ("bottleneck", result.bottleneck),
        ("robots", f"{result.robots:,}"),
        ("local processes", f"{result.workers}"),
    ], columns=["figure", "value"])
    notes = "".join(f'<p class="note">{html.escape(note)}</p>' for note in result.notes)
    sections = [
        Section("Verdict", f'<p class="verdict {_VERDICT_CLASS[result.verdict]}">'
                f"{html.escape(verdict(result))}</p>{notes}" + table_html(summary)),
        Section("Output against the takt", render(_output_figure(result)),
                "Vehicles off the line per calendar day (mean over replications) against "
                "what the takt allows in the hours the last shop works that day."),
        Section("Where the time goes", render(_state_figure(stations)),
                "Share of each station's on-shift time spent working, in setup, down, blocked "
                "(waiting for room downstream), starved (waiting for a vehicle) or waiting for "
                "parts from a feeder, mean over replications; off-shift time is left out."),
        Section("Bottleneck", render(_bottleneck_figure(stations)),
                BOTTLENECK_DEFINITION + " The chart shows that share for the stations that are "
                "ever the bottleneck."),
        Section("Buffers against their places", render(_buffer_fill_figure(result))
                + "<p>The large buffers and stores (10 places or more) over time:</p>"
                + render(_buffer_figure(result))
                + human_table(result.buffer_stats, {
                    "name": ("buffer", "text"), "kind": ("kind", "text"),
                    "capacity": ("places", "int"), "mean_level": ("mean level", "num1"),
                    "mean_fill": ("mean fill", "pct"),
                    "peak_level": ("peak of the mean level", "num1")}),
                "Vehicles waiting in each buffer (part sets in each feeder store) as a share "
                "of its places, in flow order: a buffer that is mostly full blocks the station "
                "before it, a mostly empty one may be larger than it needs to be. Names are "
                "those of the scenario, the ones `--set factory.buffers[name=...]` takes."),
        Section("Shops", human_table(result.shops, {
            "shop": ("shop", "text"), "stations": ("stations", "int"), "robots": ("robots", "int"),
            "oee": ("OEE", "pct"), "wip": ("vehicles inside", "num1"),
            "lead_time_s": ("lead time", "duration"),
            "exits_per_hour": ("vehicles per hour", "num1")})),
        Section("Stations", human_table(_station_rows(stations), {
            "station": ("station", "text"), "shop": ("shop", "text"),
            "robots": ("robots", "int"), "working": ("working", "pct"),
            "setup": ("setup", "pct"), "down": ("down", "pct"), "blocked": ("blocked", "pct"),
            "starved": ("starved", "pct"), "waiting_parts": ("waiting for parts", "pct"),
            "availability": ("availability", "pct"),
            "performance": ("performance", "pct"), "quality": ("quality", "pct"),
            "oee": ("OEE", "pct"), "bottleneck_share": ("bottleneck", "pct")}),
            "Shares of on-shift time, as in the chart above; OEE = availability x "
            "performance x quality against the design cycle time. Every figure, with the "
            "calendar-time shares and more, is in `--json` and `result.stations`."),
    ]
    if not result.mix.empty:
        sections.insert(3, Section(
            "Mixed model", render(_mix_figure(result.mix)) + _mix_station_table(result)
            + _store_table(result),
            "The line builds its order book's cars in sequence, again and again. Each model "
            "and colour's share of the cars made against its share of the sequence: they "
            "differ only where scrap or the run's end falls unevenly. Work content lengthens "
            "a car's visit at a station (or is a utility worker's), a colour change at the "
            "paint booth costs its purge."))
    subtitle = (f"{format_duration(result.horizon)} simulated, {result.jph.replications} "
                f"replications, warm-up {format_duration(result.warmup)}, seed {result.seed}")
    return write_page(path, f"nevsim factory report: {result.scenario}", subtitle, sections)


def _mix_figure(mix: pd.DataFrame) -> go.Figure:
    """Share of the sequence and of the output, by model then by colour."""
    made = mix["jph"] / (mix["jph"].sum() or 1.0)
    rows = []
    for key in ("model", "colour"):
        grouped = pd.DataFrame({"sequence": mix["share_of_sequence"], "made": made,
                                "name": mix[key]}).groupby("name", sort=False).sum()
        rows += [(f"{key}: {name}", r.sequence, r.made) for name, r in grouped.iterrows()]
    names = [r[0] for r in rows]
    fig = go.Figure()
    fig.add_bar(y=names, x=[r[1] for r in rows], name="share of the sequence",
                orientation="h", marker_color="#9aa5b1",
                hovertemplate="%{y}: %{x:.1%} of the sequence<extra></extra>")
    fig.add_bar(y=names, x=[r[2] for r in rows], name="share of the cars made",
                orientation="h", marker_color="#1f77b4",
                hovertemplate="%{y}: %{x:.1%} of the cars made<extra></extra>")
    fig.update_layout(barmode="group", height=30 * len(rows) + 140,
                      yaxis={"autorange": "reversed"},
                      xaxis={"tickformat": ".0%", "title": "share of the cars"},
                      margin={"l": 160, "r": 20, "t": 20, "b": 50},
                      legend={"orientation": "h", "y": -0.2})
    return fig


def _mix_station_table(result: FactoryResult) -> str:
    """Stations with colour purges or utility work, per week of the window."""
    weeks = max((result.horizon - result.warmup) / (7 * 86400.0), 1e-9)
    busy = result.stations[(result.stations["purges"] > 0)
                           | (result.stations["utility_work_h"] > 0)]
    if busy.empty:
        return ("<p>No station purges colours or calls a utility worker in this run (no "
                "paint booth named, and work content lengthens the visits).</p>")
    return human_table(busy.assign(purges_week=busy["purges"] / weeks,
                                   utility_week=busy["utility_work_h"] / weeks), {
        "station": ("station", "text"), "purges_week": ("colour purges a week", "num1"),
        "utility_week": ("utility work a week (h)", "num1")})


def _store_table(result: FactoryResult) -> str:
    """The resequencing store: the bodies' order coming in against the order handed on."""
    if result.store.empty:
        return ""
    return ("<h3>Resequencing store</h3><p>Per 1,000 bodies: cars over an option rule's "
            "limit, window by window, and bodies behind one planned after them. The store "
            "hands on a body whenever the next station can take one; its rule only chooses "
            "which.</p>" + human_table(result.store, {
                "side": ("bodies", "text"), "bodies": ("bodies in the window", "int"),
                "high_per_1000": ("high-priority breaches", "num1"),
                "low_per_1000": ("low-priority breaches", "num1"),
                "late_per_1000": ("late bodies", "num1")}))


def _station_rows(stations: pd.DataFrame) -> pd.DataFrame:
    """The station table with its state shares over on-shift time."""
    return stations.assign(**_on_shift_shares(stations))


def _on_shift_shares(stations: pd.DataFrame) -> pd.DataFrame:
    on = (1.0 - stations["off_shift"]).where(lambda x: x > 0)
    return pd.DataFrame({state: stations[state] / on for state in STATES[:-1]})


def _state_figure(stations: pd.DataFrame) -> go.Figure:
    shares = _on_shift_shares(stations)
    fig = go.Figure()
    for state in STATES[:-1]:
        fig.add_bar(y=stations["station"], x=shares[state], name=state, orientation="h",
                    marker_color=STATE_COLOURS[state],
                    hovertemplate="%{y}: %{x:.1%} " + state + "<extra></extra>")
    fig.update_layout(barmode="stack", height=22 * len(stations) + 140,
                      yaxis={"autorange": "reversed"},
                      xaxis={"tickformat": ".0%", "title": "share of on-shift time",
                             "range": [0, 1]},
                      margin={"l": 220}, legend={"orientation": "h", "y": 1.02})
    return fig


def _bottleneck_figure(stations: pd.DataFrame) -> go.Figure:
    ever = stations[stations["bottleneck_share"] > 0].sort_values("bottleneck_share")
    fig = go.Figure(go.Bar(
        y=ever["station"], x=ever["bottleneck_share"], orientation="h",
        text=[f"{s:.0%}" for s in ever["bottleneck_share"]], textposition="outside",
        customdata=[format_duration(v) for v in ever["mean_active_period_s"]],
        hovertemplate="%{y}: bottleneck %{x:.1%} of the time; mean active period "
                      "%{customdata}<extra></extra>"))
    fig.update_layout(xaxis={"tickformat": ".0%", "title": "share of time as the momentary "
                             "bottleneck"}, height=26 * len(ever) + 140, margin={"l": 220})
    return fig


def _output_figure(result: FactoryResult) -> go.Figure:
    output = result.output
    day = output["hour"] // 24
    daily = output.groupby(day)["vehicles"].sum()
    target = output.groupby(day)["on_shift_s"].sum() / result.takt
    fig = go.Figure()
    fig.add_bar(x=daily.index, y=daily.values, name="vehicles off the line",
                marker_color="#1565c0", hovertemplate="day %{x}: %{y:,.0f}<extra></extra>")
    fig.add_scatter(x=target.index, y=target.values, mode="lines", name="takt target",
                    line={"color": "#c62828", "shape": "hvh"},
                    hovertemplate="day %{x}: %{y:,.0f} at the takt<extra></extra>")
    fig.update_layout(xaxis_title="day", yaxis_title="vehicles per day", height=380,
                      legend={"orientation": "h", "y": 1.1})
    return fig


def _buffer_fill_figure(result: FactoryResult) -> go.Figure:
    stats = result.buffer_stats
    fig = go.Figure(go.Bar(
        y=stats["name"], x=stats["mean_fill"], orientation="h",
        marker_color=["#c62828" if f > 0.8 else "#ef6c00" if f > 0.5 else "#2e7d32"
                      for f in stats["mean_fill"]],
        text=[f"{m:.1f} of {c}" for m, c in zip(stats["mean_level"], stats["capacity"],
                                                strict=True)],
        textposition="outside",
        hovertemplate="%{y}: %{x:.0%} of its places taken on average<extra></extra>"))
    fig.update_layout(xaxis={"tickformat": ".0%", "range": [0, 1.25],
                             "title": "mean share of places taken"},
                      yaxis={"autorange": "reversed"}, height=22 * len(stats) + 140,
                      margin={"l": 300})
    return fig


def _buffer_figure(result: FactoryResult) -> go.Figure:
    """Daily mean fill of the large buffers and stores: whether they run full or empty."""
    stats = result.buffer_stats
    large = stats[stats["capacity"] >= 10]
    levels = result.buffers
    day = (levels["time_h"] // 24).astype(int)
    fig = go.Figure()
    for name, places in zip(large["name"], large["capacity"], strict=True):
        fill = (levels[str(name)] / int(places)).groupby(day).mean()
        fig.add_scatter(x=fill.index, y=fill.values, mode="lines", name=str(name),
                        hovertemplate=f"{name}: " + "%{y:.0%} full on day %{x}"
                        "<extra></extra>")
    fig.update_layout(xaxis_title="day", yaxis={"title": "share of places taken (daily mean)",
                                                "tickformat": ".0%", "range": [0, 1.05]},
                      height=400, legend={"font": {"size": 10}})
    return fig

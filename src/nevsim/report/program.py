"""The program report: a terminal summary (Rich) and an HTML page with plots (Plotly)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from nevsim.program.compare import Comparison
from nevsim.program.results import ProgramResult
from nevsim.report.html import FigureRenderer, Section, human_table, write_page


def _money(value: float | None, currency: str) -> str:
    if value is None:
        return "-"
    return f"{value / 1e6:,.0f} M {currency}"


def headline(result: ProgramResult) -> str:
    """One sentence: the SOP the plan promises, and what the samples say of it."""
    p = {level.level: level for level in result.levels()}
    return (f"The plan says SOP on {result.plan_sop:%d %b %Y} ({result.plan_months:.1f} months); "
            f"with the uncertainty, P50 is {p['P50'].sop:%d %b %Y} "
            f"({p['P50'].months:.1f} months) and P80 {p['P80'].sop:%d %b %Y} "
            f"({p['P80'].months:.1f} months).")


def print_summary(result: ProgramResult, console: Console) -> None:
    """SOP and cost at each confidence, the confidence of the target, the drivers."""
    head = Table(title=f"nevsim program: {escape(result.scenario)}", show_header=False)
    head.add_column("what", style="bold")
    head.add_column("value")
    head.add_row("samples", f"{result.samples:,} (seed {result.seed}"
                 + (", Latin hypercube)" if result.latin_hypercube else ")"))
    head.add_row("deterministic plan", f"SOP {result.plan_sop:%d %b %Y}, "
                 f"{result.plan_months:.1f} months, {_money(result.plan_cost, result.currency)}")
    head.add_row("merge bias (P50 - plan)", f"{result.merge_bias_months():+.1f} months")
    conf = result.confidence()
    if result.target is not None:
        target = result.target
        parts = []
        if target.sop is not None:
            parts.append(f"SOP by {target.sop:%d %b %Y}: {conf['on_time']:.0%}")
        if target.budget is not None:
            parts.append(f"within {_money(target.budget, result.currency)}: "
                         f"{conf['in_budget']:.0%}")
        if conf["joint"] is not None:
            parts.append(f"both: {conf['joint']:.0%}")
        head.add_row("confidence", "; ".join(parts))
    console.print(head)
    levels = Table(title="SOP and cost by confidence")
    for col in ("level", "SOP", "months", f"cost (M {result.currency})"):
        levels.add_column(col, justify="left" if col in {"level", "SOP"} else "right")
    for row in result.levels():
        levels.add_row(row.level, f"{row.sop:%d %b %Y}", f"{row.months:.1f}",
                       f"{row.cost / 1e6:,.0f}")
    console.print(levels)
    drivers = Table(title="What drives SOP (most crucial tasks)")
    for col in ("task", "critical in", "cruciality", "months if short / long"):
        drivers.add_column(col, justify="left" if col == "task" else "right")
    crit = dict(zip(result.schedule["task"], result.schedule["criticality"], strict=True))
    for bar in result.tornado.head(6).to_dict("records"):
        share = crit[bar["task"]]
        drivers.add_row(escape(str(bar["task"])), "-" if np.isnan(share) else f"{share:.0%}",
                        f"{bar['cruciality']:+.2f}",
                        f"{bar['months_if_short']:.1f} / {bar['months_if_long']:.1f}")
    console.print(drivers)
    console.print(headline(result))


def write_html(result: ProgramResult, path: Path) -> Path:
    """The program report: plan, Gantt with P50/P80, SOP distribution, S-curve, tornado."""
    figure = FigureRenderer()
    p = result.percentiles()
    sections = [
        Section("When is SOP, and at what cost?", human_table(
            p.assign(sop=p["sop"].map(lambda d: f"{d:%d %b %Y}")),
            {"level": ("confidence", "text"), "sop": ("SOP", "text"),
             "months": ("months from start", "num1"), "cost": (f"cost ({result.currency})", "m")}),
            headline(result) + f" Merge bias: {result.merge_bias_months():+.1f} months."),
        Section("Plan and uncertainty, task by task", figure(_gantt(result)),
                "Bars and triangles (milestones): the deterministic plan at the most likely "
                "durations, red where on the critical path; diamonds: the P50 and P80 finish "
                "dates from the samples."),
        Section("SOP distribution and S-curve", figure(_s_curve(result)),
                "The share of samples reaching SOP by each date (the S-curve) over the "
                "histogram of SOP months; the dotted line is the deterministic plan."),
        Section("What drives the SOP date", figure(_tornado(result)),
                "Mean months to SOP when a task is in its shortest and its longest tenth of "
                "samples, for the tasks whose durations move SOP most (cruciality)."),
        Section("Tasks", human_table(result.schedule, {
            "task": ("task", "text"), "phase": ("phase", "text"),
            "duration": ("likely working days", "num1"),
            "start_date": ("plan start", "text"), "finish_date": ("plan finish", "text"),
            "total_float": ("total float (working days)", "num1"),
            "p50_finish_date": ("P50 finish", "text"), "p80_finish_date": ("P80 finish", "text"),
            "criticality": ("critical in", "pct0"), "cruciality": ("cruciality", "num2")})),
    ]
    if not result.risks.empty:
        sections.append(Section("Risk register", human_table(result.risks, {
            "risk": ("risk", "text"), "probability": ("probability", "pct0"),
            "mitigated": ("mitigated", "yes"), "occurred": ("occurred in", "pct")})))
    if not result.loops.empty:
        sections.append(Section("Loops", human_table(result.loops, {
            "loop": ("loop", "text"), "mean_passes": ("mean passes", "num2"),
            "max_passes": ("most passes", "int")})))
    return write_page(path, f"Development program: {result.scenario}",
                      f"{result.samples:,} samples, seed {result.seed}", sections)


def _gantt(result: ProgramResult) -> go.Figure:
    table = result.schedule
    fig = go.Figure()
    for critical, colour, label in ((True, "#c0392b", "critical"), (False, "#5d8aa8", "plan")):
        part = table[table["critical"] == critical]
        start = pd.to_datetime(part["start_date"])
        finish = pd.to_datetime(part["finish_date"]) + pd.Timedelta(days=1)
        fig.add_trace(go.Bar(y=part["task"], x=(finish - start).dt.days * 86_400_000,
                             base=start, orientation="h", marker_color=colour, name=label))
    milestones = table[table["duration"] == 0]
    fig.add_trace(go.Scatter(y=milestones["task"], x=pd.to_datetime(milestones["finish_date"]),
                             mode="markers", marker_symbol="triangle-down", marker_size=11,
                             marker_color="#c0392b", name="milestone (plan)"))
    for column, symbol, label in (("p50_finish_date", "diamond", "P50 finish"),
                                  ("p80_finish_date", "diamond-open", "P80 finish")):
        fig.add_trace(go.Scatter(y=table["task"], x=pd.to_datetime(table[column]),
                                 mode="markers", marker_symbol=symbol, marker_size=9,
                                 marker_color="#222", name=label))
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=table["task"])
    fig.update_layout(barmode="overlay", height=max(300, 26 * len(table) + 120),
                      xaxis_type="date", legend_orientation="h", margin={"l": 10, "r": 10})
    return fig


def _s_curve(result: ProgramResult) -> go.Figure:
    months = np.sort(result.sop_months)
    share = np.arange(1, len(months) + 1) / len(months)
    step = max(1, len(months) // 400)
    fig = go.Figure()
    fig.add_trace(go.Histogram(x=result.sop_months, histnorm="probability", name="SOP months",
                               marker_color="#b9cfe0"))
    fig.add_trace(go.Scatter(x=months[::step], y=share[::step], mode="lines", name="S-curve",
                             line_color="#1f4e79", line_width=3, yaxis="y2"))
    fig.add_vline(x=result.plan_months, line_dash="dot",
                  annotation_text=f"plan {result.plan_months:.1f}")
    fig.update_layout(xaxis_title="months from the start to SOP",
                      yaxis={"title": "share of samples", "tickformat": ".0%"},
                      yaxis2={"overlaying": "y", "side": "right", "showgrid": False,
                              "tickformat": ".0%", "range": [0, 1.02],
                              "title": "share of samples with SOP by then (S-curve)"},
                      legend_orientation="h")
    return fig


def _tornado(result: ProgramResult) -> go.Figure:
    t = result.tornado.iloc[::-1]
    base = float(np.mean(result.sop_months))
    fig = go.Figure()
    fig.add_trace(go.Bar(y=t["task"], x=t["months_if_short"] - base, base=base,
                         orientation="h", name="task in its shortest tenth",
                         marker_color="#5d8aa8"))
    fig.add_trace(go.Bar(y=t["task"], x=t["months_if_long"] - base, base=base,
                         orientation="h", name="task in its longest tenth",
                         marker_color="#c0392b"))
    fig.add_vline(x=base, line_dash="dot", annotation_text=f"mean {base:.1f}")
    fig.update_layout(barmode="overlay", xaxis_title="mean months to SOP",
                      height=max(300, 32 * len(t) + 120), legend_orientation="h")
    return fig


def print_comparison(done: Comparison, console: Console) -> None:
    """Both programs side by side, then the waterfall of the changes."""
    a, b = done.baseline, done.variant
    side = Table(title=f"nevsim program compare: {escape(a.scenario)} -> {escape(b.scenario)}")
    for col in ("", escape(a.scenario), escape(b.scenario), "change"):
        side.add_column(col, justify="left" if not col else "right")
    side.add_row("plan SOP (months)", f"{a.plan_months:.1f}", f"{b.plan_months:.1f}",
                 f"{b.plan_months / a.plan_months - 1:+.0%}")
    for la, lb in zip(a.levels(), b.levels(), strict=True):
        side.add_row(f"{la.level} SOP (months)", f"{la.months:.1f}", f"{lb.months:.1f}",
                     f"{lb.months / la.months - 1:+.0%}")
    side.add_row(f"mean cost (M {a.currency})", f"{a.cost.mean() / 1e6:,.0f}",
                 f"{b.cost.mean() / 1e6:,.0f}", f"{b.cost.mean() / a.cost.mean() - 1:+.0%}")
    console.print(side)
    steps = Table(title="What each change gives (applied in order, same seed)")
    for col in ("step", "plan months", "P50 months", "mean cost (M)"):
        steps.add_column(col, justify="left" if col == "step" else "right")
    for row in done.waterfall.to_dict("records"):
        first = row["step"] == "start"
        name = {"start": a.scenario, "end": f"= {b.scenario}"}.get(str(row["step"]),
                                                                     str(row["step"]))
        if first or row["step"] == "end":
            steps.add_row(escape(name), f"{row['plan_months']:.1f}", f"{row['p50_months']:.1f}",
                          f"{row['mean_cost'] / 1e6:,.0f}")
        else:
            steps.add_row(escape(name), f"{row['plan_months_change']:+.1f}",
                          f"{row['p50_months_change']:+.1f}",
                          f"{row['mean_cost_change'] / 1e6:+,.0f}")
    console.print(steps)


def write_comparison_html(done: Comparison, path: Path) -> Path:
    """Side by side: levels, S-curves; the waterfalls of months and cost."""
    figure = FigureRenderer()
    a, b = done.baseline, done.variant
    side = pd.DataFrame([
        {"what": f"{la.level} SOP", a.scenario: f"{la.sop:%d %b %Y} ({la.months:.1f} months)",
         b.scenario: f"{lb.sop:%d %b %Y} ({lb.months:.1f} months)",
         "change": f"{lb.months / la.months - 1:+.0%}"}
        for la, lb in zip(a.levels(), b.levels(), strict=True)] + [
        {"what": "plan SOP", a.scenario: f"{a.plan_sop:%d %b %Y} ({a.plan_months:.1f} months)",
         b.scenario: f"{b.plan_sop:%d %b %Y} ({b.plan_months:.1f} months)",
         "change": f"{b.plan_months / a.plan_months - 1:+.0%}"},
        {"what": f"mean cost ({a.currency})", a.scenario: f"{a.cost.mean() / 1e6:,.0f} M",
         b.scenario: f"{b.cost.mean() / 1e6:,.0f} M",
         "change": f"{b.cost.mean() / a.cost.mean() - 1:+.0%}"}])
    columns = {c: (c, "text") for c in side.columns}
    table = done.waterfall
    p50 = table["p50_months"]
    sections = [
        Section(f"{b.scenario} against {a.scenario}", human_table(side, columns),
                f"P50 SOP {p50.iloc[-1]:.1f} months instead of {p50.iloc[0]:.1f} "
                f"({p50.iloc[-1] / p50.iloc[0] - 1:+.0%}); mean cost "
                f"{b.cost.mean() / a.cost.mean() - 1:+.0%}."),
        Section("What each change gives: months to SOP (P50)",
                figure(_waterfall(table, "p50_months", a.scenario, b.scenario, 1.0, "months")),
                "The changes applied one at a time in the order the program lists them, each "
                "step simulated with the same seed; a change's bar is what it adds given "
                "the ones before it."),
        Section("What each change gives: cost (mean)",
                figure(_waterfall(table, "mean_cost", a.scenario, b.scenario, 1e6,
                                  f"M {a.currency}"))),
        Section("SOP S-curves", figure(_two_curves(a, b)),
                "The share of samples reaching SOP by each month from the start."),
    ]
    return write_page(path, f"Development programs: {a.scenario} and {b.scenario}",
                      f"{a.samples:,} samples each, seed {a.seed}", sections)


def _waterfall(table: pd.DataFrame, column: str, first: str, last: str, scale: float,
               unit: str) -> go.Figure:
    values = table[column].to_numpy() / scale
    steps = list(table["step"])
    x = [first, *steps[1:-1], last]
    y = [values[0], *(values[1:-1] - values[:-2]), values[-1]]
    measure = ["absolute", *["relative"] * (len(steps) - 2), "total"]
    fig = go.Figure(go.Waterfall(x=x, y=y, measure=measure,
                                 text=[f"{v:,.1f}" if m != "relative" else f"{v:+,.1f}"
                                       for v, m in zip(y, measure, strict=True)],
                                 textposition="outside",
                                 decreasing={"marker": {"color": "#2e7d32"}},
                                 increasing={"marker": {"color": "#c0392b"}},
                                 totals={"marker": {"color": "#5d8aa8"}}))
    fig.update_layout(yaxis_title=unit, showlegend=False,
                      yaxis_range=[0, max(values) * 1.15])
    return fig


def _two_curves(a: ProgramResult, b: ProgramResult) -> go.Figure:
    fig = go.Figure()
    for result, colour in ((a, "#c0392b"), (b, "#1f4e79")):
        months = np.sort(result.sop_months)
        share = np.arange(1, len(months) + 1) / len(months)
        step = max(1, len(months) // 400)
        fig.add_trace(go.Scatter(x=months[::step], y=share[::step], mode="lines",
                                 name=result.scenario, line_color=colour, line_width=3))
    fig.update_layout(xaxis_title="months from the start to SOP",
                      yaxis={"title": "share of samples with SOP by then", "tickformat": ".0%"},
                      legend_orientation="h")
    return fig

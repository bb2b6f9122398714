"""The partnership's summary and report: what pooling earns, which coalitions pay, fair splits."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from nevsim.partnership.coalitions import Owners
from nevsim.partnership.results import PartnershipResult
from nevsim.report.html import FigureRenderer, Section, human_table, write_page

if TYPE_CHECKING:
    from nevsim.document import Scenario


def _unit(result: PartnershipResult) -> tuple[float, str, str]:
    """Billions when the values run into them, else millions: (divisor, suffix, table kind)."""
    largest = max(abs(c.value) for c in result.coalitions)
    return (1e9, "bn", "bn") if largest >= 1e9 else (1e6, "M", "m")


def _money(value: float, result: PartnershipResult) -> str:
    div, suffix, _ = _unit(result)
    return f"{value / div:,.2f} {suffix} {result.currency}"


def headline(result: PartnershipResult) -> str:
    """One sentence on the gain, one on stability."""
    alone = sum(result.value([p]) for p in result.partners)
    gain = result.joint_gain
    share = f" ({gain / abs(alone):+.0%})" if abs(alone) > 0 else ""
    verb = "more" if gain >= 0 else "less"
    first = (f"Together the partners earn {_money(result.grand.value, result)}, "
             f"{_money(abs(gain), result)} {verb} than apart{share}.")
    if result.core_empty:
        second = (" No split is stable: some coalition always gains by leaving (the core is "
                  "empty); the nucleolus keeps the largest such gain smallest.")
    else:
        second = (" Stable splits exist (the core is not empty); the nucleolus is one, the "
                  "Shapley value " + ("is one too." if result.allocation("Shapley value").in_core
                                      else "is not."))
    return first + second


def print_summary(result: PartnershipResult, console: Console) -> None:
    """The gain, the game's properties, and every split side by side."""
    div, suffix, _ = _unit(result)
    head = Table(title=f"nevsim partnership: {escape(result.scenario)}", show_header=False)
    head.add_column("what", style="bold")
    head.add_column("value")
    head.add_row("together, v(N)", _money(result.grand.value, result))
    head.add_row("joint gain", _money(result.joint_gain, result))
    head.add_row("superadditive / convex", f"{_yes(result.superadditive)} / "
                 f"{_yes(result.convex)}")
    head.add_row("core", "empty" if result.core_empty else "not empty")
    check = result.nucleolus_check
    head.add_row("nucleolus check", f"{check['by']}; " + (
        "nevsim's LPs agree" if check["agree"] else check["reason"]))
    plans = result.summary()["plans"]
    head.add_row("plans", f"{plans['solved']} solved, {plans['shared']} shared, "
                 f"{plans['workers']} worker(s), {result.seconds:.1f} s")
    console.print(head)
    table = Table(title=f"Splits ({suffix} {result.currency})")
    table.add_column("split")
    for p in result.partners:
        table.add_column(escape(p), justify="right")
    table.add_column("stable")
    rows = result.allocation_table()
    for column, label in (("alone", "each alone"), ("marginal", "the rest lose if it leaves")):
        table.add_row(label, *[f"{v / div:,.2f}" for v in rows[column]], "")
    for a in result.allocations:
        if a.kind == "alone":
            continue
        table.add_row(escape(a.name), *[f"{a.amounts[p] / div:,.2f}" for p in result.partners],
                      "yes" if a.in_core else f"no: {escape(' + '.join(a.blocking or ()))} "
                      "would leave")
    console.print(table)
    console.print(headline(result))


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def write_html(result: PartnershipResult, scenario: Scenario, path: Path) -> Path:
    """The report: gain, coalition values, splits side by side, the grand plan's changes."""
    assert scenario.partnership is not None
    owners = Owners.of_partnership(scenario.partnership).of
    figure = FigureRenderer()
    kind = _unit(result)[2]
    money = f"({result.currency})"
    coalitions = result.coalition_table()
    allocations = result.allocation_table()
    cross = result.cross_built(owners)
    sections = [
        Section("How much more together than apart?", figure(_waterfall(result)),
                headline(result) + " From each partner's own plan, what pooling adds to the "
                "plans' profit, less what cooperating costs, to the value of all together."),
        Section("Which coalitions are worth forming?", figure(_gains(coalitions, result)),
                "Each coalition's value over what its members earn apart. "
                + _properties(result)),
        Section("What is a fair, stable split?", figure(_splits(result)),
                "Each partner's share under each split; the black dash is what the partner "
                "earns alone. A split is stable (in the core) when no group of partners earns "
                "more by leaving; stated splits give each partner its stand-alone value plus "
                "its share of the joint gain."),
        Section("Splits side by side", human_table(allocations, {
            "partner": ("partner", "text"), "alone": (f"alone {money}", kind),
            "marginal": (f"the rest lose if it leaves {money}", kind),
            **{a.name: (f"{a.name} {money}", kind) for a in result.allocations
               if a.kind != "alone"}}) + human_table(_stability(result), {
            "split": ("split", "text"), "stable": ("stable", "yes"),
            "blocking": ("who would leave", "text"),
            "violation": (f"what they gain by leaving {money}", kind)})),
        Section("What the partners do differently together", human_table(cross.assign(
            built_for_partner=cross.plant_owner != cross.model_owner), {
            "plant": ("plant", "text"), "plant_owner": ("plant owner", "text"),
            "model": ("model", "text"), "model_owner": ("model owner", "text"),
            "vehicles": ("vehicles over the plan", "int"),
            "built_for_partner": ("built for a partner", "yes")}),
            _differences(result)),
        Section("Every coalition", human_table(coalitions, {
            "coalition": ("coalition", "text"), "profit": (f"plan profit {money}", kind),
            "cooperation": (f"cooperation cost {money}", kind),
            "value": (f"value {money}", kind), "gain": (f"gain over apart {money}", kind),
            "plants_opened": ("plants opened", "text"),
            "duties_paid": (f"duties paid {money}", kind), "status": ("plan", "text"),
            "seconds": ("seconds", "num2"), "shared_plan": ("shared plan", "yes")})),
    ]
    return write_page(path, f"Partnership: {result.scenario}",
                      f"{len(result.partners)} partners, {len(result.coalitions)} coalitions "
                      f"planned; money discounted to the plan's first year", sections)


def _properties(result: PartnershipResult) -> str:
    parts = ["The game is " + ("" if result.superadditive else "not ") + "superadditive"]
    if result.superadditivity_gaps:
        worst = result.superadditivity_gaps[0]
        parts[-1] += (f" ({' + '.join(worst['apart'][0])} and "
                      f"{' + '.join(worst['apart'][1])} earn "
                      f"{_money(worst['shortfall'], result)} more apart)")
    parts.append("convex" if result.convex else "not convex")
    return ", ".join(parts) + "."


def _stability(result: PartnershipResult) -> pd.DataFrame:
    return pd.DataFrame([{"split": a.name, "stable": a.in_core,
                          "blocking": " + ".join(a.blocking or ()) or "none",
                          "violation": max(a.violation, 0.0)}
                         for a in result.allocations if a.kind != "alone"])


def _differences(result: PartnershipResult) -> str:
    apart = result.coalitions[:len(result.partners)]
    opened_apart = sorted({p for c in apart if c.plan for p in c.plan.plants_opened()})
    grand = result.grand.plan
    opened = grand.plants_opened() if grand else []
    duties = result.summary()["duties_paid"]
    return (f"Plants opened together: {', '.join(opened) or 'none'}; apart: "
            f"{', '.join(opened_apart) or 'none'}. Duties paid over the plan: "
            f"{_money(duties['together'], result)} together, "
            f"{_money(duties['apart'], result)} apart. The table lists the grand plan's "
            "vehicles by plant and model; 'built for a partner' marks a plant building "
            "another partner's model.")


def _waterfall(result: PartnershipResult) -> go.Figure:
    div, suffix, _ = _unit(result)
    alone = [(p, result.value([p])) for p in result.partners]
    pooled = result.grand.profit - sum(v for _, v in alone)
    labels = [f"{p} alone" for p, _ in alone] + ["pooling", "cooperation costs", "together"]
    values = [v / div for _, v in alone] + [pooled / div, -result.grand.cooperation / div, 0.0]
    fig = go.Figure(go.Waterfall(
        x=labels, y=values, measure=["relative"] * (len(values) - 1) + ["total"],
        text=[f"{v:,.2f}" for v in values[:-1]] + [f"{result.grand.value / div:,.2f}"],
        textposition="outside", connector={"line": {"color": "#999"}}))
    fig.update_layout(yaxis_title=f"{suffix} {result.currency}", showlegend=False,
                      margin={"l": 10, "r": 10})
    return fig


def _gains(coalitions: pd.DataFrame, result: PartnershipResult) -> go.Figure:
    div, suffix, _ = _unit(result)
    shown = coalitions[coalitions["size"] > 1].sort_values("gain")
    colours = ["#2e8b57" if g >= 0 else "#c0392b" for g in shown["gain"]]
    fig = go.Figure(go.Bar(y=shown["coalition"], x=shown["gain"] / div, orientation="h",
                           marker_color=colours,
                           text=[f"{g / div:,.2f}" for g in shown["gain"]]))
    fig.update_layout(xaxis_title=f"gain over the members apart ({suffix} {result.currency})",
                      height=max(300, 28 * len(shown) + 120), margin={"l": 10, "r": 10})
    return fig


def _splits(result: PartnershipResult) -> go.Figure:
    div, suffix, _ = _unit(result)
    fig = go.Figure()
    for a in result.allocations:
        if a.kind == "alone":
            continue
        fig.add_trace(go.Bar(x=result.partners, y=[a.amounts[p] / div for p in result.partners],
                             name=a.name + ("" if a.in_core else " (unstable)")))
    alone = result.allocation("stand-alone")
    fig.add_trace(go.Scatter(x=result.partners, y=[alone.amounts[p] / div
                                                   for p in result.partners],
                             mode="markers", marker_symbol="line-ew-open", marker_size=40,
                             marker_line_width=3, marker_color="#222", name="alone"))
    fig.update_layout(barmode="group", yaxis_title=f"{suffix} {result.currency}",
                      legend_orientation="h", margin={"l": 10, "r": 10})
    return fig

"""The network report: a terminal summary (Rich) and an HTML page with plots (Plotly)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from nevsim.network.analysis import COST_PARTS
from nevsim.network.results import NetworkResult
from nevsim.network.solve import SolveStatus
from nevsim.report.html import FigureRenderer, Section, table_html, write_page


def _money(value: float | None, currency: str) -> str:
    if value is None:
        return "-"
    return f"{value / 1e9:,.2f} bn {currency}"


NO_PLAN = {
    SolveStatus.INFEASIBLE: "No plan exists",
    SolveStatus.NO_SOLUTION: "No plan found before the solver's limit",
    SolveStatus.ERROR: "The solver failed",
}
"""What a result without a plan means, by status."""


def headline(result: NetworkResult) -> str:
    """One sentence: the outcome and the plan's footprint."""
    if not result.has_plan:
        return f"{NO_PLAN.get(result.status, 'No plan')}."
    opened = ", ".join(result.plants_opened()) or "no new plant"
    gap = f" (gap {result.gap:.2%})" if result.gap else ""
    return (f"{result.status.value.replace('_', ' ')}{gap}: profit "
            f"{_money(result.profit, result.currency)} over the horizon; builds {opened}.")


def print_summary(result: NetworkResult, console: Console) -> None:
    """Outcome, footprint, exports, landed cost, suppliers, content and the timeline."""
    head = Table(title=f"nevsim network: {result.scenario}", show_header=False)
    head.add_column("what", style="bold")
    head.add_column("value")
    s = result.summary()
    head.add_row("status", result.status.value + (f", gap {result.gap:.3%}"
                                                  if result.gap is not None else ""))
    if not result.has_plan:
        console.print(head)
        console.print(f"[bold red]{NO_PLAN[result.status]}:[/bold red]")
        for line in result.explanation:
            console.print(f"  - {escape(line)}")
        return
    head.add_row("objective", result.objective_kind)
    head.add_row("revenue / cost / profit (discounted)",
                 f"{_money(result.revenue, result.currency)} / "
                 f"{_money(result.cost, result.currency)} / "
                 f"{_money(result.profit, result.currency)}")
    head.add_row("plants opened", ", ".join(result.plants_opened()) or "none")
    head.add_row("vehicles delivered", f"{s['vehicles_delivered']:,.0f}")
    head.add_row("CO2 per delivered vehicle", f"{s['co2_kg_per_vehicle']:,.0f} kg")
    share = s["chinese_value_share_abroad"]
    if share is not None:
        head.add_row("Chinese-owned share of parts value abroad",
                     f"{share:.0%} : {1 - share:.0%} international ({_last_year(result)})")
    head.add_row("model", f"{result.stats.variables:,} variables ({result.stats.binaries:,} "
                 f"binary), {result.stats.constraints:,} constraints")
    head.add_row("seconds: build / handoff / HiGHS",
                 f"{result.stats.build_seconds:.2f} / {result.stats.handoff_seconds:.2f} / "
                 f"{result.stats.solver_seconds:.2f}")
    console.print(head)
    console.print(_frame_table("Output by plant and year (vehicles)",
                               _pivot(result.footprint, "output")))
    console.print(_frame_table("Share of sales built in the market or its region (EU)",
                               _pivot(result.exports, "regional_share", index="market",
                                      percent=True)))
    console.print(_frame_table(f"Per vehicle, {_last_year(result)} ({result.currency}; home "
                               "= price in the home market)", _landed_last(result)))
    console.print(_frame_table(f"Suppliers, {_last_year(result)}: Chinese vs international",
                               _composition_last(result)))
    console.print(_frame_table("Plan: decide, start, ready (critical = no slack)",
                               _timeline(result)))
    if not result.chain.empty:
        chain = result.chain.set_index("plant")[["decided", "check_year",
                                                 "regional_value_share", "regional_families"]]
        chain["regional_value_share"] = chain["regional_value_share"].map(lambda v: f"{v:.0%}")
        chain["decided"] = chain["decided"].map(lambda v: "existing" if pd.isna(v) else str(v))
        console.print(_frame_table("Supply chain three years after the decision",
                                   chain.astype(str)))
    for line in [*result.reasons, *barriers(result)]:
        console.print(f"- {escape(line)}")


def barriers(result: NetworkResult) -> list[str]:
    """What duties and content rules make the plan do, against the same network without them."""
    if result.free_trade is None or result.profit is None:
        return []
    free = result.free_trade
    opened = ", ".join(free["plants_opened"]) or "no new plant"
    paid = result.duties_paid() or 0.0
    return [f"Without duties and content rules the plan would build {opened} and earn "
            f"{_money(free['profit'], result.currency)} (this plan: "
            f"{_money(result.profit, result.currency)}, with "
            f"{_money(paid, result.currency)} of duties paid)."]


def _last_year(result: NetworkResult) -> int:
    return int(result.footprint.year.max())


def _pivot(frame: pd.DataFrame, value: str, index: str = "plant",
           percent: bool = False) -> pd.DataFrame:
    table = frame.pivot_table(index=index, columns="year", values=value, aggfunc="sum")
    if percent:
        return table.map(lambda v: f"{v:.0%}" if pd.notna(v) else "")
    return table.map(lambda v: f"{v:,.0f}" if pd.notna(v) else "")


def _landed_last(result: NetworkResult) -> pd.DataFrame:
    """Per market and model, in thousands: duties, landed cost, price, margin."""
    landed = result.landed[result.landed.year == _last_year(result)].copy()
    table = pd.DataFrame({
        "market": landed.market, "model": landed.model, "duties": landed.duties,
        "landed": landed.landed_cost, "price": landed.price, "margin": landed.margin})
    if "home_price" in landed:
        table["home"] = landed.home_price
    return table.set_index(["market", "model"]).map(lambda v: f"{v / 1000:,.1f}k")


def _composition_last(result: NetworkResult) -> pd.DataFrame:
    comp = result.composition[result.composition.year == _last_year(result)]
    out = comp.set_index("plant")[["chinese_value_share", "chinese_suppliers",
                                   "international_suppliers"]].copy()
    out["chinese_value_share"] = out["chinese_value_share"].map(lambda v: f"{v:.0%}")
    return out.astype(str)


def _timeline(result: NetworkResult) -> pd.DataFrame:
    t = result.timeline.copy()
    t["critical"] = t["critical"].map({True: "critical", False: ""})
    return t.set_index("item")[["decide", "ready", "full_rate", "slack", "critical"]].astype(str)


def _frame_table(title: str, frame: pd.DataFrame) -> Table:
    table = Table(title=title)
    names = [str(n) for n in frame.index.names]
    for name in names:
        table.add_column(name, justify="left")
    for col in frame.columns:
        table.add_column(str(col), justify="right")
    for idx, row in frame.iterrows():
        keys = idx if isinstance(idx, tuple) else (idx,)
        table.add_row(*[escape(str(k)) for k in keys], *[escape(str(v)) for v in row])
    return table


def write_html(result: NetworkResult, path: Path) -> Path:
    """A self-contained page: the outcome, why, flows, landed cost, suppliers, timeline."""
    figure = FigureRenderer()
    sections = [Section("Outcome", table_html(pd.DataFrame([_flat_summary(result)])),
                        headline(result))]
    if not result.has_plan:
        sections.append(Section("Why no plan exists",
                                "<ul>" + "".join(f"<li>{line}</li>"
                                                 for line in result.explanation) + "</ul>"))
        return write_page(path, f"nevsim network: {result.scenario}", headline(result),
                          sections)
    sections += [
        Section("Why the plan builds where it does",
                "<ul>" + "".join(f"<li>{line}</li>" for line in
                                 [*result.reasons, *barriers(result)]) + "</ul>"),
        Section("Export timeline: where each market's vehicles come from",
                figure(_flows_figure(result.exports)),
                "Per market and year: shipped from home, built in the market, built in its "
                "region (another EU country), or in another plant abroad; unmet demand in "
                "grey."),
        Section("Landed cost and price per market", figure(_landed_figure(result)),
                f"Cost per vehicle by part in {_last_year(result)}, against the net price "
                "(diamonds) and the home-market price (circles)."),
        Section("Supplier origin by plant", figure(_origin_figure(result.suppliers)),
                "Component value by the supplier's country, every plan year added up."),
        Section("The plan on a timeline", figure(_gantt(result.timeline)),
                "Decide, build or qualify, ramp up; red items have no slack."),
        Section("Footprint: capacity and utilization", table_html(result.footprint, 2)),
        Section("Local content against the rules", table_html(result.content, 3)),
        Section("Supplier composition (Chinese vs international)",
                table_html(result.composition, 2)),
        Section("Landed cost per vehicle", table_html(result.landed, 0)),
        Section("CO2 per delivered vehicle (kg)", table_html(result.co2, 0)),
        Section("Supply chain three years after each decision", table_html(result.chain, 2),
                "Share of component value bought in the plant's region (its country and "
                "groups such as the EU), the families bought only there, and the first year "
                "the whole chain is regional."),
    ]
    return write_page(path, f"nevsim network: {result.scenario}", headline(result), sections)


def _flat_summary(result: NetworkResult) -> dict[str, object]:
    s = result.summary()
    return {k: v for k, v in s.items() if not isinstance(v, dict | list)} | {
        "plants_opened": ", ".join(s["plants_opened"])}


def _flows_figure(exports: pd.DataFrame) -> go.Figure:
    long = exports.melt(id_vars=["market", "year"],
                        value_vars=["from_home", "built_locally", "built_in_region",
                                    "from_abroad", "unmet"],
                        var_name="source", value_name="vehicles")
    fig = px.bar(long, x="year", y="vehicles", color="source", facet_col="market",
                 facet_col_wrap=4, color_discrete_map={"from_home": "#c62828",
                                                        "built_locally": "#2e7d32",
                                                        "built_in_region": "#66bb6a",
                                                        "from_abroad": "#1565c0",
                                                        "unmet": "#bdbdbd"})
    fig.update_yaxes(matches=None)
    fig.update_layout(height=700)
    return fig


def _landed_figure(result: NetworkResult) -> go.Figure:
    last = result.landed[result.landed.year == _last_year(result)].copy()
    last["where"] = last.market + " / " + last.model
    fig = go.Figure()
    for part in COST_PARTS:
        fig.add_bar(x=last["where"], y=last[part], name=part)
    fig.add_scatter(x=last["where"], y=last["price"], mode="markers", name="price",
                    marker={"symbol": "diamond", "size": 10, "color": "black"})
    if "home_price" in last:
        fig.add_scatter(x=last["where"], y=last["home_price"], mode="markers",
                        name="home price", marker={"size": 8, "color": "grey"})
    fig.update_layout(barmode="stack", height=500, yaxis_title=result.currency)
    return fig


def _origin_figure(suppliers: pd.DataFrame) -> go.Figure:
    value = suppliers.groupby(["plant", "country"], as_index=False)["value"].sum()
    value["share"] = value["value"] / value.groupby("plant")["value"].transform("sum")
    fig = px.bar(value, x="plant", y="share", color="country")
    fig.update_yaxes(tickformat=".0%")
    return fig


def _gantt(timeline: pd.DataFrame) -> go.Figure:
    rows = []
    for t in timeline.to_dict("records"):
        decide, ready, full = int(t["decide"]), int(t["ready"]), int(t["full_rate"])
        colour = "critical" if t["critical"] else "has slack"
        if ready > decide:
            rows.append({"item": t["item"], "phase": f"build or qualify ({colour})",
                         "start": f"{decide}-01-01", "end": f"{ready}-01-01"})
        if full > ready:
            rows.append({"item": t["item"], "phase": "ramp-up", "start": f"{ready}-01-01",
                         "end": f"{full}-12-31"})
    frame = pd.DataFrame(rows, columns=["item", "phase", "start", "end"])
    fig = px.timeline(frame, x_start="start", x_end="end", y="item", color="phase",
                      color_discrete_map={"build or qualify (critical)": "#c62828",
                                          "build or qualify (has slack)": "#1565c0",
                                          "ramp-up": "#9e9d24"})
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(height=max(300, 28 * len(timeline) + 120))
    return fig

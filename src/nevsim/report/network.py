"""The network report: a terminal summary (Rich) and an HTML page with plots (Plotly)."""

from __future__ import annotations

import html
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
from nevsim.report.html import FigureRenderer, Section, human_table, table_html, write_page
from nevsim.report.world import countries, outline


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
    head.add_row(f"revenue / cost / profit (discounted to {result.first_year})",
                 f"{_money(result.revenue, result.currency)} / "
                 f"{_money(result.cost, result.currency)} / "
                 f"{_money(result.profit, result.currency)}")
    head.add_row("plants opened", ", ".join(result.plants_opened()) or "none")
    head.add_row("vehicles delivered", f"{s['vehicles_delivered']:,.0f}")
    unmet = float(result.exports["unmet"].sum()) if not result.exports.empty else 0.0
    if unmet > 0:
        head.add_row("[yellow]demand left unserved[/yellow]",
                     f"[yellow]{unmet:,.0f} vehicles "
                     f"({unmet / (unmet + (s['vehicles_delivered'] or 0)):.1%})[/yellow]")
    co2 = s["co2_kg_per_vehicle"]
    head.add_row("CO2 per delivered vehicle", "-" if co2 is None else f"{co2:,.0f} kg")
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


def _outcome_rows(result: NetworkResult) -> pd.DataFrame:
    """The headline figures, formatted for people."""
    s = result.summary()
    money = result.currency
    delivered = s["vehicles_delivered"] or 0.0
    unmet = float(result.exports["unmet"].sum()) if not result.exports.empty else 0.0
    rows = [
        ("status", result.status.value.replace("_", " ") + (
            f", gap {result.gap:.2%}" if result.gap else "")),
        ("objective", result.objective_kind),
        (f"revenue (discounted to {result.first_year})", _money(result.revenue, money)),
        (f"cost (discounted to {result.first_year})", _money(result.cost, money)),
        (f"profit (discounted to {result.first_year})", _money(result.profit, money)),
        ("plants opened", ", ".join(result.plants_opened()) or "none"),
        ("vehicles delivered", f"{delivered:,.0f}"),
        ("demand left unserved", f"{unmet:,.0f} vehicles"
         + (f" ({unmet / (unmet + delivered):.1%} of demand)" if unmet else "")),
        ("duties paid (undiscounted)", _money(result.duties_paid(), money)),
        ("Chinese-owned share of parts value abroad (last year)",
         "-" if s["chinese_value_share_abroad"] is None
         else f"{s['chinese_value_share_abroad']:.0%}"),
        ("CO2 per delivered vehicle",
         "-" if s["co2_kg_per_vehicle"] is None else f"{s['co2_kg_per_vehicle']:,.0f} kg"),
        ("model and solve", f"{s['size']['variables']:,} variables, "
         f"{s['size']['constraints']:,} constraints; HiGHS {s['seconds']['highs']:.1f} s"),
    ]
    return pd.DataFrame(rows, columns=["figure", "value"])


def write_html(result: NetworkResult, path: Path) -> Path:
    """A self-contained page: the outcome, why, where, flows, landed cost, suppliers, timeline."""
    figure = FigureRenderer()
    outcome = table_html(_outcome_rows(result))
    unmet = float(result.exports["unmet"].sum()) if not result.exports.empty else 0.0
    if unmet > 0:
        outcome = (f'<p class="note">{unmet:,.0f} vehicles of demand stay unserved over the '
                   "horizon (see the export timeline, grey).</p>" + outcome)
    sections = [Section("Outcome", outcome, headline(result))]
    if not result.has_plan:
        sections.append(Section(NO_PLAN.get(result.status, "No plan"),
                                "<ul>" + "".join(f"<li>{html.escape(line)}</li>"
                                                 for line in result.explanation) + "</ul>"))
        return write_page(path, f"nevsim network: {result.scenario}", headline(result),
                          sections)
    last = _last_year(result)
    sections += [
        Section("Why the plan builds where it does",
                "<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in
                                 [*result.reasons, *barriers(result)]) + "</ul>"),
        Section(f"The network in {last}", figure(_map_figure(result)),
                "Plants (squares: existing, triangles: built by the plan; size: capacity), "
                "markets (circles; size: demand) and the vehicles each plant ships to each "
                "market that year (line width). Drawn from a map shipped with nevsim."),
        Section("Export timeline: where each market's vehicles come from",
                figure(_flows_figure(result.exports)),
                "Per market and year: shipped from home, built in the market, built in its "
                "region (another EU country), or in another plant abroad; unmet demand in "
                "grey."),
        Section("Landed cost and price per market", figure(_landed_figure(result)),
                f"Cost per vehicle by part in {last}, against the net price "
                "(diamonds) and the home-market price (circles)."),
        Section("Chinese-owned and international suppliers over the years",
                figure(_ownership_figure(result.composition)),
                "Share of each plant's component value bought from Chinese-owned suppliers. "
                "Ownership is the supplier company's, not where it makes the part: a Chinese "
                "cell maker's plant in Hungary is Chinese-owned and local (it counts for local "
                "content), a European supplier's plant in China is international and imported."),
        Section("Supplier country by plant", figure(_origin_figure(result.suppliers)),
                "Component value by the country where the supplier makes it, every plan year "
                "added up."),
        Section("The plan on a timeline", figure(_gantt(result.timeline)),
                "Decide, build or qualify, ramp up; red items have no slack; diamonds are "
                "items ready the year they are decided (a supplier already qualified)."),
        Section("Footprint: capacity and utilization", human_table(
            result.footprint.dropna(subset=["utilization"]), {
                "plant": ("plant", "text"), "country": ("country", "text"),
                "year": ("year", "text"), "capacity": ("capacity", "int"),
                "output": ("output", "int"), "utilization": ("utilization", "pct0")})),
        Section("Local content against the rules", human_table(result.content, {
            column: (column.replace("_", " "), _kind(result.content[column]))
            for column in result.content.columns})),
        Section("Supplier composition (Chinese-owned vs international)",
                human_table(result.composition, {
                    "plant": ("plant", "text"), "year": ("year", "text"),
                    "chinese_value": ("Chinese-owned value", "m"),
                    "international_value": ("international value", "m"),
                    "chinese_value_share": ("Chinese-owned share", "pct0"),
                    "chinese_suppliers": ("Chinese-owned suppliers", "int"),
                    "international_suppliers": ("international suppliers", "int")}),
                f"Money in millions of {result.currency}."),
        Section("Landed cost per vehicle", human_table(result.landed, {
            column: (column.replace("_", " "), "text" if column in ("market", "model", "year")
                     else _kind(result.landed[column])) for column in result.landed.columns}),
            f"{result.currency} per vehicle."),
        Section("CO2 per delivered vehicle (kg)", human_table(result.co2, {
            column: (column.replace("_", " "), "text" if column in ("market", "model", "year")
                     else _kind(result.co2[column])) for column in result.co2.columns})),
        Section("Supply chain three years after each decision", human_table(result.chain, {
            column: (column.replace("_", " "), _kind(result.chain[column]))
            for column in result.chain.columns}),
                "Share of component value bought in the plant's region (its country and "
                "groups such as the EU), the families bought only there, and the first year "
                "the whole chain is regional."),
    ]
    return write_page(path, f"nevsim network: {result.scenario}", headline(result), sections)


def _kind(column: pd.Series) -> str:
    """How to show a column: shares as percentages, other numbers rounded, the rest as text."""
    name = str(column.name)
    if column.dtype == bool:
        return "yes"
    if not pd.api.types.is_numeric_dtype(column) or name == "year" or name.endswith("year"):
        return "text"
    if "share" in name or name in ("content", "threshold", "utilization", "duty_rate"):
        return "pct0"
    return "int"


def _map_figure(result: NetworkResult) -> go.Figure:
    last = _last_year(result)
    table = countries()
    foot = result.footprint[(result.footprint.year == last)]
    flows = result.flows[result.flows.year == last]
    plant_country = dict(zip(foot.plant, foot.country, strict=True))
    countries_of = result.market_countries
    used = sorted({*foot.country, *countries_of.values()} & set(table))
    xs, ys = outline()
    fig = go.Figure()
    fig.add_scatter(x=xs, y=ys, fill="toself", fillcolor="#eceff1", mode="lines",
                    line={"color": "#b0bec5", "width": 0.5}, hoverinfo="skip",
                    showlegend=False)
    hx, hy = outline(used)
    fig.add_scatter(x=hx, y=hy, fill="toself", fillcolor="#cfd8dc", mode="lines",
                    line={"color": "#90a4ae", "width": 0.8}, hoverinfo="skip",
                    showlegend=False)
    centre = {code: table[code].centre for code in used}
    pair = flows.groupby(["plant", "market"], as_index=False)["vehicles"].sum()
    top = float(pair["vehicles"].max()) if not pair.empty else 1.0
    for row in pair.itertuples():
        a = centre.get(plant_country.get(str(row.plant), ""))
        b = centre.get(countries_of.get(str(row.market), ""))
        if a is None or b is None or a == b or row.vehicles <= 0:
            continue
        fig.add_scatter(x=[a[0], b[0]], y=[a[1], b[1]], mode="lines", showlegend=False,
                        line={"color": "rgba(21,101,192,0.45)",
                              "width": 1 + 7 * row.vehicles / top},
                        hovertext=f"{row.plant} -> {row.market}: {row.vehicles:,.0f} vehicles",
                        hoverinfo="text")
    demand = result.exports[result.exports.year == last].set_index("market")["demand"]
    mx = [centre[countries_of[m]][0] for m in demand.index if countries_of[m] in centre]
    my = [centre[countries_of[m]][1] for m in demand.index if countries_of[m] in centre]
    names = [m for m in demand.index if countries_of[m] in centre]
    size = [8 + 22 * (demand[m] / max(float(demand.max()), 1.0)) ** 0.5 for m in names]
    fig.add_scatter(x=mx, y=my, mode="markers", name="markets", marker={
        "size": size, "color": "rgba(46,125,50,0.55)", "line": {"color": "#1b5e20"}},
        text=[f"{m}: demand {demand[m]:,.0f}" for m in names], hoverinfo="text")
    for existing, symbol, label in ((True, "square", "existing plants"),
                                    (False, "triangle-up", "plants built by the plan")):
        mine = foot[(foot.existing == existing) & (foot.capacity > 0)
                    & foot.country.isin(list(centre))]
        if mine.empty:
            continue
        biggest = max(float(foot.capacity.max()), 1.0)
        fig.add_scatter(
            x=[centre[c][0] for c in mine.country], y=[centre[c][1] for c in mine.country],
            mode="markers", name=label, marker={
                "symbol": symbol, "color": "#c62828" if existing else "#ef6c00",
                "size": [10 + 20 * (c / biggest) ** 0.5 for c in mine.capacity],
                "line": {"color": "#212121", "width": 1}},
            text=[f"{p} ({c}): {cap:,.0f} capacity, {out:,.0f} made" for p, c, cap, out in
                  zip(mine.plant, mine.country, mine.capacity, mine.output, strict=True)],
            hoverinfo="text")
    lons = [centre[c][0] for c in centre] or [0.0]
    lats = [centre[c][1] for c in centre] or [0.0]
    fig.update_layout(
        xaxis={"range": [min(lons) - 20, max(lons) + 20], "visible": False},
        yaxis={"range": [min(lats) - 15, max(lats) + 15], "visible": False,
               "scaleanchor": "x", "scaleratio": 1.2},
        height=560, plot_bgcolor="#e3f2fd", legend={"orientation": "h", "y": -0.02},
        margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return fig


def _ownership_figure(composition: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    for plant, rows in composition.groupby("plant"):
        fig.add_scatter(x=rows["year"], y=rows["chinese_value_share"], mode="lines+markers",
                        name=str(plant),
                        hovertemplate=f"{plant} " + "%{x}: %{y:.0%} Chinese-owned"
                        "<extra></extra>")
    fig.update_layout(yaxis={"tickformat": ".0%", "range": [0, 1.05],
                             "title": "Chinese-owned share of component value"},
                      xaxis={"title": "year", "dtick": 1}, height=380)
    return fig


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
    """Every item: build or qualify and ramp-up as bars, items ready at once as milestones."""
    fig = go.Figure()
    colours = {True: "#c62828", False: "#1565c0"}
    items = list(timeline["item"])
    shown: set[str] = set()
    for t in timeline.to_dict("records"):
        decide, ready, full = int(t["decide"]), int(t["ready"]), int(t["full_rate"])
        critical = bool(t["critical"])
        label = f"build or qualify ({'critical' if critical else 'has slack'})"
        if ready > decide:
            fig.add_bar(y=[t["item"]], x=[ready - decide], base=[decide], orientation="h",
                        marker_color=colours[critical], name=label,
                        showlegend=label not in shown, legendgroup=label,
                        hovertemplate=f"{t['item']}: decide {decide}, ready {ready}"
                        "<extra></extra>")
            shown.add(label)
        else:
            name = f"ready when decided ({'critical' if critical else 'has slack'})"
            fig.add_scatter(y=[t["item"]], x=[decide + 0.5], mode="markers", name=name,
                            marker={"symbol": "diamond", "size": 12,
                                    "color": colours[critical]},
                            showlegend=name not in shown, legendgroup=name,
                            hovertemplate=f"{t['item']}: decided and ready in {decide}"
                            "<extra></extra>")
            shown.add(name)
        if full > ready:
            fig.add_bar(y=[t["item"]], x=[full + 1 - ready], base=[ready], orientation="h",
                        marker_color="#9e9d24", name="ramp-up",
                        showlegend="ramp-up" not in shown, legendgroup="ramp-up",
                        hovertemplate=f"{t['item']}: ramp-up {ready}-{full}<extra></extra>")
            shown.add("ramp-up")
    fig.update_layout(barmode="overlay", height=max(300, 26 * len(items) + 140),
                      yaxis={"autorange": "reversed", "categoryorder": "array",
                             "categoryarray": items},
                      xaxis={"title": "year", "dtick": 1}, margin={"l": 320})
    return fig

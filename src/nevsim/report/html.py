"""A self-contained HTML page: headings, text, tables and Plotly figures (plotly.js inlined)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from nevsim.scenario.units import format_duration


@dataclass(frozen=True)
class Section:
    """One part of a report: a heading, a sentence, and rendered HTML (a table or a figure)."""

    heading: str
    html: str
    text: str = ""


class FigureRenderer:
    """Renders Plotly figures; the first carries plotly.js so the page works offline."""

    def __init__(self) -> None:
        self._first = True

    def __call__(self, figure: Any) -> str:
        """HTML div of a figure."""
        html: str = figure.to_html(full_html=False, include_plotlyjs=self._first)
        self._first = False
        return html


def table_html(frame: pd.DataFrame, digits: int = 3) -> str:
    """A DataFrame as a plain HTML table with rounded numbers."""
    return frame.to_html(index=False, float_format=lambda x: f"{x:,.{digits}f}", border=0,
                         na_rep="")


def _cell(value: Any, kind: str) -> str:
    """One value as a person reads it: units, rounding, a dash for none."""
    if value is None or value is pd.NA or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if kind == "text":
        return str(value)
    if kind == "duration":
        return format_duration(float(value))
    if kind == "yes":
        return "yes" if value else "no"
    number = float(value)
    formats = {"int": f"{number:,.0f}", "pct": f"{number:.1%}", "pct0": f"{number:.0%}",
               "num1": f"{number:,.1f}", "num2": f"{number:,.2f}", "num3": f"{number:,.3f}",
               "bn": f"{number / 1e9:,.2f} bn", "m": f"{number / 1e6:,.1f} M"}
    return formats[kind]


def human_table(frame: pd.DataFrame, columns: dict[str, tuple[str, str]]) -> str:
    """Chosen columns of a table, headed and formatted for people.

    `columns` maps a column to (heading, kind): text, int, pct, pct0, num1, num2, num3,
    duration (seconds), yes, bn or m (money in billions or millions).
    """
    shown = pd.DataFrame({heading: [_cell(v, kind) for v in frame[column]]
                          for column, (heading, kind) in columns.items()})
    return f'<div class="wide">{shown.to_html(index=False, border=0, escape=True)}</div>'


def write_page(path: Path, title: str, subtitle: str, sections: list[Section]) -> Path:
    """Write the page and return its path."""
    from nevsim import __version__

    env = Environment(loader=PackageLoader("nevsim.report", "templates"),
                      autoescape=select_autoescape(["html"]))
    html = env.get_template("report.html").render(
        title=title, subtitle=subtitle, sections=sections, version=__version__)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path

"""A self-contained HTML page: headings, text, tables and Plotly figures (plotly.js inlined)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape


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

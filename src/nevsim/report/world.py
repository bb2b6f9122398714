"""A world map drawn from shipped TopoJSON: country outlines and centres, no network needed.

The TopoJSON arcs are delta-encoded integer positions under a linear transform; decoding them
gives each country's rings in longitude and latitude, which the reports draw as filled
shapes on a plain Plotly chart (Plotly's own geo charts fetch their map from the internet).
"""

from __future__ import annotations

import csv
import functools
import json
from dataclasses import dataclass
from importlib import resources

import numpy as np

_DATA = "nevsim.report.data"


@dataclass(frozen=True)
class Country:
    """A country's outline (rings of lon, lat) and the centre of its largest ring."""

    name: str
    rings: list[np.ndarray]
    centre: tuple[float, float]


def _decode_arcs(topology: dict) -> list[np.ndarray]:  # type: ignore[type-arg]
    scale = np.array(topology["transform"]["scale"])
    shift = np.array(topology["transform"]["translate"])
    return [np.cumsum(np.array(arc, dtype=float), axis=0) * scale + shift
            for arc in topology["arcs"]]


def _ring(arcs: list[np.ndarray], indexes: list[int]) -> np.ndarray:
    points: list[np.ndarray] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]  # ~i: the arc walked backwards
        points.append(arc if not points else arc[1:])
    return np.vstack(points)


def _area_and_centre(ring: np.ndarray) -> tuple[float, tuple[float, float]]:
    x, y = ring[:, 0], ring[:, 1]
    cross = x[:-1] * y[1:] - x[1:] * y[:-1]
    area = cross.sum() / 2
    if abs(area) < 1e-12:
        return 0.0, (float(x.mean()), float(y.mean()))
    cx = ((x[:-1] + x[1:]) * cross).sum() / (6 * area)
    cy = ((y[:-1] + y[1:]) * cross).sum() / (6 * area)
    return abs(area), (float(cx), float(cy))


@functools.cache
def countries() -> dict[str, Country]:
    """Every country of the shipped map by ISO 3166-1 alpha-2 code."""
    topology = json.loads((resources.files(_DATA) / "countries-110m.json")
                          .read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    with (resources.files(_DATA) / "iso3166.csv").open(encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        alpha2 = {row["numeric"]: row["alpha2"] for row in csv.DictReader(lines)}
    out: dict[str, Country] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = alpha2.get(str(geometry.get("id")))
        if code is None or "arcs" not in geometry:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [_ring(arcs, ring) for polygon in polygons for ring in polygon]
        outer = [_area_and_centre(_ring(arcs, polygon[0])) for polygon in polygons]
        centre = max(outer)[1]
        out[code] = Country(geometry["properties"]["name"], rings, centre)
    return out


def outline(codes: list[str] | None = None) -> tuple[list[float | None], list[float | None]]:
    """Lon and lat of these countries' outlines (all when None), rings split by None.

    One filled Plotly trace draws them all.
    """
    xs: list[float | None] = []
    ys: list[float | None] = []
    table = countries()
    for code in table if codes is None else codes:
        for ring in table[code].rings if code in table else []:
            # a ring that crosses the date line is drawn as its pieces on either side
            jumps = np.flatnonzero(np.abs(np.diff(ring[:, 0])) > 180) + 1
            for piece in np.split(ring, jumps):
                xs += [*piece[:, 0].tolist(), None]
                ys += [*piece[:, 1].tolist(), None]
    return xs, ys

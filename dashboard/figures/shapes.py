"""The country shapes the map draws (the topojson served to the browser), read for where each state is.

Which ISO-3 codes have a shape, and each shape's centroid and extent: the map needs them to draw a
marker for a state it has no shape for (or one too small to see), and to frame the actors in view.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
# 50m rather than 110m: 110m has no shape for 30 states (Singapore, Bahrain, Malta, ...); see SOURCES.md.
WORLD_TOPOJSON = STATIC_DIR / "world_50m.json"
# Plotly names the file it fetches from topojsonURL by this resolution (world_50m.json).
SHAPE_RESOLUTION = 50


class Extent(NamedTuple):
    """A shape's bounding box in degrees."""

    lon_min: float
    lat_min: float
    lon_max: float
    lat_max: float


class Shape(NamedTuple):
    centroid: tuple[float, float]  # (lat, lon)
    extent: Extent  # of the whole shape
    # Of its largest piece: what can be seen of it (Kiribati's atolls span the whole Pacific, each a speck).
    largest_piece: Extent


@lru_cache(maxsize=1)
def country_shapes() -> dict[str, Shape]:
    """ISO-3 -> Shape for every country in the shipped topojson ({} if the file cannot be read)."""
    try:
        topology = json.loads(WORLD_TOPOJSON.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    arc_extents = _arc_extents(topology)
    # The same boxes with longitudes taken in [0, 360), for the pieces that cross the antimeridian.
    arc_extents_east = _arc_extents(topology, east=True)
    shapes = {}
    for geometry in topology.get("objects", {}).get("countries", {}).get("geometries", []):
        code, centre = geometry.get("id"), geometry.get("properties", {}).get("ct")
        indices = list(_arc_indices(geometry.get("arcs", [])))
        if not code or not centre or not indices:
            continue
        extent = _union([arc_extents[i if i >= 0 else ~i] for i in indices])
        polygons = geometry["arcs"] if geometry.get("type") == "MultiPolygon" else [geometry["arcs"]]
        pieces = []
        for polygon in polygons:
            outer = [i if i >= 0 else ~i for i in polygon[0]] if polygon else []
            if outer:
                piece = _union([arc_extents[i] for i in outer])
                if piece.lon_max - piece.lon_min > ANTIMERIDIAN_SPAN:
                    piece = _union([arc_extents_east[i] for i in outer])
                pieces.append(piece)
        largest = max(pieces, key=lambda e: (e.lon_max - e.lon_min) * (e.lat_max - e.lat_min), default=extent)
        shapes[code] = Shape((float(centre[1]), float(centre[0])), extent, largest)
    return shapes


# A piece whose box spans more longitude than this crosses the antimeridian (Fiji's Vanua Levu, Russia's
# mainland): its size is measured with longitudes in [0, 360) instead.
ANTIMERIDIAN_SPAN = 300.0


def _union(boxes: list[Extent]) -> Extent:
    return Extent(
        min(b.lon_min for b in boxes),
        min(b.lat_min for b in boxes),
        max(b.lon_max for b in boxes),
        max(b.lat_max for b in boxes),
    )


def _arc_indices(arcs) -> list[int]:
    """Every arc index in a geometry's nested rings (negative indices mean the arc reversed)."""
    if isinstance(arcs, int):
        return [arcs]
    return [index for part in arcs for index in _arc_indices(part)]


def _arc_extents(topology: dict, east: bool = False) -> list[Extent]:
    """The bounding box of every arc, decoding topojson's quantised, delta-encoded positions (with `east`,
    longitudes in [0, 360))."""
    transform = topology.get("transform")
    extents = []
    for arc in topology.get("arcs", []):
        lons, lats = [], []
        x = y = 0
        for point in arc:
            if transform:
                x, y = x + point[0], y + point[1]
                lons.append(x * transform["scale"][0] + transform["translate"][0])
                lats.append(y * transform["scale"][1] + transform["translate"][1])
            else:
                lons.append(point[0])
                lats.append(point[1])
        if east:
            lons = [lon % 360 for lon in lons]
        extents.append(Extent(min(lons), min(lats), max(lons), max(lats)) if arc else Extent(0, 0, 0, 0))
    return extents

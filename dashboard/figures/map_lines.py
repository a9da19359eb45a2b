"""The map's lines: a curve from each actor to each party its stance is aimed at, with a hover mark at
its middle (map lines carry no hover of their own)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.map_frame import MAP_LATITUDE_RANGE
from dashboard.figures.selection import selector
from dashboard.figures.style import escape, stance_colour, wrapped_quote
from dashboard.summary import stance_order_for

# Map lines are drawn as curves in longitude/latitude (not great circles): on a world map centred on
# Greenwich a great circle from Washington to Moscow leaves over the pole, and A -> B would lie on
# B -> A. Each curve bows to the left of its direction of travel by BOW_SHARE of its length (within
# BOW_DEGREES); a pair's further stances bow one step more each, so no line hides another.
BOW_SHARE = 0.09
BOW_DEGREES = (1.5, 9.0)
ARC_POINTS = 25
# The most links the map draws: past a few hundred lines a map is a hairball, and each line costs the
# browser its arc points and a hover. The busiest links are kept and the map says how many were left out.
MAP_LINK_LIMIT = 400
# Lines are drawn at full strength up to this many links; past it they fade (to LINE_OPACITY_FLOOR at
# most), so 150 actors' lines read as a wash of colour over which markers and labels still show.
CLEAR_LINK_COUNT = 40
LINE_OPACITY = (0.85, 0.7)  # line, casing
LINE_OPACITY_FLOOR = 0.3


def line_opacity(links: int) -> tuple[float, float]:
    """(line, casing) opacity for a map drawing `links` links."""
    fade = 1.0 if links <= CLEAR_LINK_COUNT else max(math.sqrt(CLEAR_LINK_COUNT / links), LINE_OPACITY_FLOOR)
    return round(LINE_OPACITY[0] * fade, 3), round(LINE_OPACITY[1] * fade, 3)


def _arc(lat0: float, lon0: float, lat1: float, lon1: float, bow: float) -> tuple[list[float], list[float]]:
    """Latitudes and longitudes of a quadratic curve from (lat0, lon0) to (lat1, lon1) whose middle
    sits `bow` steps to the left of the straight line; it never crosses the map's left or right edge."""
    dlat, dlon = lat1 - lat0, lon1 - lon0
    length = math.hypot(dlat, dlon) or 1.0
    step = min(max(length * BOW_SHARE, BOW_DEGREES[0]), BOW_DEGREES[1])
    mid_lat = (lat0 + lat1) / 2 + dlon / length * step * bow
    mid_lon = (lon0 + lon1) / 2 - dlat / length * step * bow
    # The control point that makes the curve pass through the bowed middle at t = 0.5.
    control_lat, control_lon = 2 * mid_lat - (lat0 + lat1) / 2, 2 * mid_lon - (lon0 + lon1) / 2
    lats, lons = [], []
    for i in range(ARC_POINTS):
        t = i / (ARC_POINTS - 1)
        u = 1 - t
        lat = u * u * lat0 + 2 * u * t * control_lat + t * t * lat1
        lats.append(max(min(lat, MAP_LATITUDE_RANGE[1]), MAP_LATITUDE_RANGE[0]))
        lons.append(u * u * lon0 + 2 * u * t * control_lon + t * t * lon1)
    return lats, lons


def _link_hover(actor: str, target: str, stance: str, records: int, text: str | None) -> str:
    quote = wrapped_quote(text) if text is not None else ""
    more = f"<br>(and {records - 1} more record(s))" if records > 1 else ""
    return (
        f"<b>{escape(actor)} → {escape(target)}</b><br>stance: {escape(stance)} · "
        f"{records} record(s)<br>“{quote}”{more}"
    )


def _line_width(records: int) -> float:
    """A link's line width: wider the more records it carries, up to five (so five widths in all)."""
    return 1.5 + min(records, 5) * 0.7


def line_traces(scene: Any) -> tuple[list[go.Scattergeo], list[str]]:
    """A curve from each actor to each target per stance (with a white casing, so it shows over a
    country of its own colour), and per stance one trace of midpoint marks that carry the hover
    (map lines have none of their own). Also returns the names that could not be placed.

    All curves of one stance and one line width are drawn by one casing trace and one coloured
    trace, the curves separated by None (a gap, as connectgaps is off): a few traces per stance
    rather than two per link, which at scale were tens of thousands. The links are the view's busiest
    (MapCounts.links), in the order they first appear."""
    links = scene.counts.links
    stances_per_pair = links.groupby(["actor", "target"])["stance"].agg(stance_order_for).to_dict()
    traces: list[go.Scattergeo] = []
    unplaced: list[str] = []
    opacity_of_line, casing_opacity = line_opacity(len(links))
    texts = links["text"] if "text" in links else pd.Series(None, index=links.index, dtype=object)
    rows = zip(links["actor"], links["target"], links["stance"], links["records"], texts, strict=True)
    links_by_stance: dict[str, list[tuple]] = {}
    for row in rows:
        links_by_stance.setdefault(row[2], []).append(row)
    for stance in stance_order_for(list(links_by_stance)):
        midpoints: list[tuple[float, float, str, list[str]]] = []  # lat, lon, hover, selector
        curves: dict[int, tuple[list[float | None], list[float | None]]] = {}  # records (1..5) -> lats, lons
        for actor, target, _, records, text in links_by_stance[stance]:
            if actor not in scene.positions or target not in scene.positions:
                unplaced += [n for n in (actor, target) if n not in scene.positions and n not in unplaced]
                continue
            (lat0, lon0), (lat1, lon1) = scene.positions[actor], scene.positions[target]
            lats, lons = _arc(lat0, lon0, lat1, lon1, bow=1 + stances_per_pair[(actor, target)].index(stance))
            bucket_lats, bucket_lons = curves.setdefault(min(int(records), 5), ([], []))
            if bucket_lats:
                bucket_lats.append(None)
                bucket_lons.append(None)
            bucket_lats.extend(lats)
            bucket_lons.extend(lons)
            middle = ARC_POINTS // 2
            hover = _link_hover(actor, target, stance, int(records), text)
            midpoints.append((lats[middle], lons[middle], hover, selector(actor=actor, stance=stance, target=target)))
        for records in sorted(curves):
            lats, lons = curves[records]
            width = _line_width(records)
            label = f"{stance} lines ({records}+ records)" if records == 5 else f"{stance} lines ({records} record(s))"
            for colour, line_width, opacity, suffix in (
                ("#FFFFFF", width + 2, casing_opacity, " casing"),
                (stance_colour(stance), width, opacity_of_line, ""),
            ):
                traces.append(
                    go.Scattergeo(
                        lat=lats,
                        lon=lons,
                        mode="lines",
                        connectgaps=False,
                        line={"color": colour, "width": line_width},
                        opacity=opacity,
                        name=label + suffix,
                        legendgroup=stance,
                        showlegend=False,
                        hoverinfo="skip",
                    )
                )
        if midpoints:
            traces.append(
                go.Scattergeo(
                    lat=[m[0] for m in midpoints],
                    lon=[m[1] for m in midpoints],
                    mode="markers",
                    marker={"size": 7, "color": stance_colour(stance), "line": {"color": "#FFFFFF", "width": 1}},
                    name=f"{stance} (links)",
                    legendgroup=stance,
                    showlegend=False,
                    hovertext=[m[2] for m in midpoints],
                    hovertemplate="%{hovertext}<extra></extra>",
                    customdata=[m[3] for m in midpoints],
                )
            )
    return traces, unplaced

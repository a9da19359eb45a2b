"""Plotly figure builders, one per chart; each takes a scored records frame and returns a go.Figure.

No streamlit here. Every builder draws an empty figure saying "No records match the filters" when the
frame is empty. Stances always have the same colour (STANCE_COLOURS) and are named in legends, labels
and hovers, never shown by colour alone.

Selections map back to records. A mark that stands for a group of records (a bar segment, a map country,
seat marker or line midpoint, a Sankey link) carries as its `customdata` a one-item list holding a
*selector*: "select?" and the URL-encoded fields that pick its records out of the view (actor, stance,
target), so its payload is a few bytes however many records it counts (carrying every id cost 18 to 57 MB
per chart at a million records). A mark for one record (a tone mark) carries its id. Sankey links carry the
string itself. `records_behind_selection(event, records)` turns a Streamlit selection event into the
records behind the selected marks.
"""

from __future__ import annotations

import html
import json
import math
import textwrap
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.filters import NO_TARGET, aimed_at
from dashboard.summary import (
    NO_TARGET_LABEL,
    STANCE_ORDER,
    dominant_stance_by_actor,
    explode_targets,
    stance_order_for,
)

__all__ = [
    "EMPTY_MESSAGE",
    "STANCE_COLOURS",
    "STANCE_ORDER",
    "empty_figure",
    "flows_figure",
    "RECORD_ID_SEPARATOR",
    "record_ids_from_points",
    "record_ids_from_selection",
    "records_behind_points",
    "records_behind_selection",
    "stance_by_actor_figure",
    "stance_map_figure",
    "tone_figure",
    "tone_sample",
]

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies (INTERFACES.md).
STANCE_COLOURS: dict[str, str] = {
    "condemn": "#D55E00",
    "warn": "#E69F00",
    "deny": "#CC79A7",
    "concern": "#F0E442",
    "call_for": "#0072B2",
    "neutral": "#999999",
    "condolence": "#56B4E9",
    "support": "#009E73",
}
# A stance label outside the codebook (from a user's own file) still gets a visible, neutral colour.
UNKNOWN_STANCE_COLOUR = "#6B6B6B"

EMPTY_MESSAGE = "No records match the filters"
# Joins the record ids a mark stands for in its customdata (the same separator as joined targets);
# a record id must not contain it.
RECORD_ID_SEPARATOR = ";"
# Streamlit's own font, so charts and page read as one.
FONT_FAMILY = '"Source Sans Pro", "Source Sans 3", "Helvetica Neue", Arial, sans-serif'
FONT_COLOUR = "#31333F"
TITLE_SIZE = 18
# Hover quotes wrap at this many characters a line; longer lines run off narrow screens.
HOVER_WRAP_WIDTH = 70
# A quote longer than this is cut in hovers (the evidence table holds it whole).
HOVER_QUOTE_LIMIT = 420
# Opacity of Sankey links: 0.8 keeps condemn and warn (vermillion, orange) apart; crossings still show.
LINK_ALPHA = 0.8
MEMBER_SHADE_OPACITY = 0.35
# Pixel heights: a bar or strip row per actor, plus room for title, legend and axis.
ROW_HEIGHT = 34
CHROME_HEIGHT = 170
MAP_HEIGHT = 540
# Map legend order: the target outline first, then stances in the fixed order, then organisations.
LEGEND_RANK_TARGET = 10
LEGEND_RANK_STANCE = 100
LEGEND_RANK_ORGANISATION = 300
# The map shows latitudes in this band: Antarctica and the high Arctic hold no actors and waste height.
MAP_LATITUDE_RANGE = (-58.0, 84.0)

# Where shapes and country centroids come from: the topojson the app serves to the browser.
STATIC_DIR = Path(__file__).resolve().parent / "static"
WORLD_TOPOJSON = STATIC_DIR / "world_110m.json"


def stance_colour(stance: str) -> str:
    return STANCE_COLOURS.get(stance, UNKNOWN_STANCE_COLOUR)


def _rgba(hex_colour: str, alpha: float) -> str:
    red, green, blue = (int(hex_colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red},{green},{blue},{alpha})"


def text_colour_on(hex_colour: str) -> str:
    """Dark text on light fills (concern's yellow, condolence's sky blue), white text on dark ones."""
    red, green, blue = (int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return FONT_COLOUR if luminance > 0.5 else "#FFFFFF"


def _base_layout(title: str, height: int) -> dict[str, Any]:
    return {
        "title": {"text": title, "font": {"size": TITLE_SIZE}, "x": 0.01, "xanchor": "left"},
        "font": {"family": FONT_FAMILY, "size": 13, "color": FONT_COLOUR},
        "template": "plotly_white",
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 60, "b": 40},
        # Explicit, so Streamlit's theme does not turn hover labels into faint grey text.
        "hoverlabel": {
            "font": {"family": FONT_FAMILY, "size": 13, "color": FONT_COLOUR},
            "bgcolor": "rgba(255,255,255,0.97)",
            "bordercolor": "#8A8A8A",
            "align": "left",
        },
        "legend": {"title": {"text": "Stance"}, "traceorder": "normal"},
    }


# Legends sit under the chart, pinned to the bottom of the figure: plotly then grows the bottom margin
# to fit however many rows the stance names wrap into, so a narrow column never overlaps the title.
LEGEND_BELOW: dict[str, Any] = {
    "orientation": "h",
    "yref": "container",
    "y": 0,
    "yanchor": "bottom",
    "xanchor": "left",
    "x": 0,
}


def empty_figure(title: str, message: str = EMPTY_MESSAGE) -> go.Figure:
    """A figure with no data and a centred note, for an empty selection."""
    figure = go.Figure()
    figure.update_layout(**_base_layout(title, 320))
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    figure.add_annotation(
        text=message,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 16, "color": "#6B6B6B"},
    )
    return figure


def _carried(ids: Iterable[str]) -> list[str]:
    """A point's customdata: one item, its record ids joined (readable as %{customdata[0]})."""
    return [RECORD_ID_SEPARATOR.join(dict.fromkeys(str(i) for i in ids))]


def record_ids_from_points(points: Iterable[Mapping[str, Any]] | None) -> list[str]:
    """Record ids behind selected points (Streamlit's `selection["points"]`), in order, unique."""
    ids: list[str] = []
    for point in points or ():
        custom = point.get("customdata")
        if custom is None:
            continue
        values = [custom] if isinstance(custom, str) else list(custom)
        for value in values:
            ids.extend(part for part in str(value or "").split(RECORD_ID_SEPARATOR) if part)
    return list(dict.fromkeys(ids))


def record_ids_from_selection(event: Any) -> list[str]:
    """Record ids behind the marks selected on a chart: `event` is what st.plotly_chart returns with
    on_select (attribute or dict access), or None."""
    return record_ids_from_points(_selected_events(event))


SELECTOR_PREFIX = "select?"
# The fields a selector may name: each matches the record's own value, except target (any of its targets).
SELECTOR_FIELDS = ("actor", "stance", "target")


def _selector(**fields: str) -> list[str]:
    """A group mark's customdata: the fields that pick its records out of the view. target="" means
    records naming no target."""
    return [SELECTOR_PREFIX + urlencode(fields)]


def _selected_events(event: Any) -> list[Mapping[str, Any]]:
    if event is None:
        return []
    selection = event.get("selection") if isinstance(event, Mapping) else getattr(event, "selection", None)
    if not selection:
        return []
    points = selection.get("points") if isinstance(selection, Mapping) else getattr(selection, "points", None)
    return list(points or [])


def records_behind_points(points: Iterable[Mapping[str, Any]] | None, records: pd.DataFrame) -> pd.DataFrame:
    """The rows of `records` behind the selected points, in the frame's order: points carrying record ids
    pick those ids, points carrying a selector pick every record matching all its fields. A selector naming
    a field the frame lacks, or a field it does not know, picks nothing."""
    ids: list[str] = []
    keep = pd.Series(False, index=records.index)
    for point in points or ():
        custom = point.get("customdata")
        if custom is None:
            continue
        for value in [custom] if isinstance(custom, str) else list(custom):
            text = str(value or "")
            if text.startswith(SELECTOR_PREFIX):
                keep |= _matching(records, dict(parse_qsl(text[len(SELECTOR_PREFIX) :], keep_blank_values=True)))
            else:
                ids.extend(part for part in text.split(RECORD_ID_SEPARATOR) if part)
    if ids and "id" in records:
        keep |= records["id"].astype(str).isin(ids)
    return records[keep]


def _matching(records: pd.DataFrame, fields: Mapping[str, str]) -> pd.Series:
    if not fields or any(name not in SELECTOR_FIELDS or name not in records for name in fields):
        return pd.Series(False, index=records.index)
    match = pd.Series(True, index=records.index)
    for name, value in fields.items():
        if name == "target":
            match &= aimed_at(records["target"].fillna(""), (value or NO_TARGET,))
        else:
            match &= records[name].astype(str) == value
    return match


def records_behind_selection(event: Any, records: pd.DataFrame) -> pd.DataFrame:
    """The records behind the marks selected on a chart: `event` is what st.plotly_chart returns with
    on_select (attribute or dict access), or None (no rows then)."""
    return records_behind_points(_selected_events(event), records)


def _record_ids(scored: pd.DataFrame) -> pd.Series:
    return scored["id"].astype(str) if "id" in scored else pd.Series(scored.index.astype(str), index=scored.index)


def _wrapped_quote(text: str) -> str:
    """A quote for a hover label: HTML-escaped, cut to HOVER_QUOTE_LIMIT, wrapped with <br>."""
    text = " ".join(str(text).split())
    if len(text) > HOVER_QUOTE_LIMIT:
        text = text[: HOVER_QUOTE_LIMIT - 1].rsplit(" ", 1)[0] + "…"
    lines = textwrap.wrap(text, HOVER_WRAP_WIDTH) or [""]
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def _escape(value: Any) -> str:
    return html.escape(str(value), quote=False)


def _score(value: Any) -> str:
    number = pd.to_numeric(value, errors="coerce")
    return "n/a" if pd.isna(number) else f"{number:+.2f}"


# ---------------------------------------------------------------------------------------------------
# Overview: records per actor and stance


def stance_by_actor_figure(scored: pd.DataFrame) -> go.Figure:
    """Horizontal stacked bars: records per actor, one trace per stance in the fixed order.

    Each segment is labelled with its count; its customdata carries the ids of the records it counts.
    Actors are ordered by total records, the most at the top.
    """
    title = "Who condemned, warned or supported: records per actor and stance"
    if scored.empty:
        return empty_figure(title)
    frame = pd.DataFrame({"actor": scored["actor"].astype(str), "stance": scored["stance"].fillna("").astype(str)})
    totals = frame.groupby("actor").size()
    actor_order = sorted(totals.index, key=lambda actor: (-totals[actor], actor))
    counts_by_pair = frame.groupby(["stance", "actor"]).size()
    figure = go.Figure()
    for stance in stance_order_for(frame["stance"]):
        per_actor = counts_by_pair.loc[stance]
        actors = [actor for actor in actor_order if actor in per_actor.index]
        counts = [int(per_actor[actor]) for actor in actors]
        colour = stance_colour(stance)
        figure.add_trace(
            go.Bar(
                name=stance,
                orientation="h",
                x=counts,
                y=actors,
                customdata=[_selector(actor=actor, stance=stance) for actor in actors],
                marker={"color": colour, "line": {"color": "#FFFFFF", "width": 1}},
                text=counts,
                texttemplate="%{text}",
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": text_colour_on(colour)},
                hovertemplate=(
                    f"<b>%{{y}}</b><br>{_escape(stance)}: %{{x}} record(s)<br>"
                    "<i>click or box-select for the sentences</i><extra></extra>"
                ),
                legendgroup=stance,
            )
        )
    layout = _base_layout(title, CHROME_HEIGHT + ROW_HEIGHT * len(actor_order))
    layout["legend"] |= LEGEND_BELOW
    figure.update_layout(**layout, barmode="stack", bargap=0.25, clickmode="event+select")
    figure.update_xaxes(title_text="Records", dtick=1 if totals.max() <= 12 else None, rangemode="tozero")
    figure.update_yaxes(
        title_text=None, categoryorder="array", categoryarray=list(reversed(actor_order)), automargin=True
    )
    return figure


# ---------------------------------------------------------------------------------------------------
# Map


@lru_cache(maxsize=1)
def _topojson_centroids() -> dict[str, tuple[float, float]]:
    """ISO-3 -> (lat, lon) from the `ct` property of the shipped world shapes (a fallback position
    for a state whose registry entry has no coordinates)."""
    try:
        topology = json.loads(WORLD_TOPOJSON.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    centroids = {}
    for geometry in topology.get("objects", {}).get("countries", {}).get("geometries", []):
        centre = geometry.get("properties", {}).get("ct")
        if geometry.get("id") and centre:
            centroids[geometry["id"]] = (float(centre[1]), float(centre[0]))
    return centroids


def _actors_of(registry: Any) -> Mapping[str, Any]:
    """The name -> Actor mapping of a Registry, or the mapping itself (tests pass a plain dict)."""
    return getattr(registry, "actors", registry)


def _members_of(actor: Any, on_date: str | None) -> tuple[str, ...]:
    members_on = getattr(actor, "members_on", None)
    if callable(members_on):
        return tuple(members_on(on_date))
    return tuple(getattr(actor, "members", ()) or ())


# Organisations sharing a seat (NATO and the EU in Brussels; the UN and its Security Council in
# New York) would hide each other; markers within this many degrees are spread apart by this step.
SEAT_CLUSTER_DEGREES = 2.0
SEAT_SPREAD_DEGREES = 7.0


def _organisation_positions(organisations: list[Any]) -> dict[str, tuple[float, float, str]]:
    """name -> (lat, lon, text position): each organisation near its seat, co-located ones side by side."""
    placed: dict[str, tuple[float, float, str]] = {}
    clusters: list[list[Any]] = []
    for actor in sorted(organisations, key=lambda a: a.name):
        for cluster in clusters:
            anchor = cluster[0]
            if (
                abs(anchor.lat - actor.lat) < SEAT_CLUSTER_DEGREES
                and abs(anchor.lon - actor.lon) < SEAT_CLUSTER_DEGREES
            ):
                cluster.append(actor)
                break
        else:
            clusters.append([actor])
    for cluster in clusters:
        count = len(cluster)
        for index, actor in enumerate(cluster):
            offset = (index - (count - 1) / 2) * SEAT_SPREAD_DEGREES
            if count == 1:
                position = "middle right"
            elif index == 0:
                position = "middle left"
            elif index == count - 1:
                position = "middle right"
            else:
                position = "bottom center"
            placed[actor.name] = (actor.lat, actor.lon + offset, position)
    return placed


def _positions(actors: Mapping[str, Any], present: Iterable[str]) -> dict[str, tuple[float, float, str]]:
    """name -> (lat, lon, label position) for the actors on the map: organisations near their seat
    (co-located ones side by side), states at their centroid (the registry's lat/lon, else the
    centroid in the shipped world shapes)."""
    present = set(present)
    organisations = [
        actors[name]
        for name in present
        if name in actors
        and actors[name].kind == "organisation"
        and actors[name].lat is not None
        and actors[name].lon is not None
    ]
    positions = _organisation_positions(organisations)
    centroids = _topojson_centroids()
    for name in present:
        actor = actors.get(name)
        if actor is None or actor.kind != "state":
            continue
        if actor.lat is not None and actor.lon is not None:
            positions[name] = (actor.lat, actor.lon, "middle center")
        elif actor.iso3 in centroids:
            positions[name] = (*centroids[actor.iso3], "middle center")
    return positions


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
# The most bands the Who -> whom Sankey draws (see flows_figure).
FLOW_LINK_LIMIT = 200


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


def _flat_colourscale(colour: str) -> list[list[Any]]:
    return [[0, colour], [1, colour]]


def _incident_date(scored: pd.DataFrame) -> str | None:
    """The earliest record date: organisations are shaded with their members on that day."""
    if "date" not in scored:
        return None
    dates = sorted(d for d in scored["date"].fillna("").astype(str) if d)
    return dates[0] if dates else None


def _map_layout(title: str) -> dict[str, Any]:
    layout = _base_layout(title, MAP_HEIGHT)
    layout["margin"] = {"l": 0, "r": 0, "t": 50, "b": 10}
    layout["legend"] |= LEGEND_BELOW
    layout["geo"] = {
        "projection": {"type": "natural earth"},
        # The app serves world_110m.json itself (topojsonURL); 110 m is the file that ships.
        "resolution": 110,
        "fitbounds": False,
        "showcountries": True,
        "countrycolor": "#FFFFFF",
        "countrywidth": 0.6,
        "showland": True,
        "landcolor": "#E5E5E5",
        "showocean": True,
        "oceancolor": "#F4F8FB",
        "showlakes": False,
        "showcoastlines": False,
        "showframe": False,
        "bgcolor": "rgba(0,0,0,0)",
        # Both ranges, so the whole band fits whatever the chart's aspect ratio (one alone crops the other).
        "lataxis": {"range": list(MAP_LATITUDE_RANGE)},
        "lonaxis": {"range": [-180, 180]},
    }
    return layout


def _link_hover(actor: str, target: str, stance: str, rows: pd.DataFrame) -> str:
    # The first record's text, read from its column (a whole row per link was a third of the map's time).
    quote = _wrapped_quote(rows["text"].iloc[0]) if "text" in rows else ""
    more = f"<br>(and {len(rows) - 1} more record(s))" if len(rows) > 1 else ""
    return (
        f"<b>{_escape(actor)} → {_escape(target)}</b><br>stance: {_escape(stance)} · "
        f"{len(rows)} record(s)<br>“{quote}”{more}"
    )


@dataclass(frozen=True)
class _MapScene:
    """What the map draws, worked out once: records (one row per record and target), where each
    actor sits, and each actor's dominant stance."""

    frame: pd.DataFrame
    actors: Mapping[str, Any]
    positions: dict[str, tuple[float, float, str]]
    dominant: pd.DataFrame  # indexed by actor: dominant_stance, records, targets
    toward: str | None

    @property
    def stance_of(self) -> dict[str, str]:
        return self.dominant["dominant_stance"].to_dict()

    def kind(self, name: str) -> str:
        return getattr(self.actors.get(name), "kind", "")

    @property
    def states(self) -> list[str]:
        return [a for a in self.dominant.index if self.kind(a) == "state" and self.actors[a].iso3]

    @property
    def organisations(self) -> list[str]:
        return [a for a in self.dominant.index if self.kind(a) == "organisation" and a in self.positions]

    @cached_property
    def targets_only(self) -> list[str]:
        """Places that are aimed at but take no stance here (Syria overall; NATO toward NATO)."""
        stance_of = self.stance_of
        return [t for t in self.frame["target"].unique() if t and t in self.positions and t not in stance_of]

    @cached_property
    def link_sizes(self) -> pd.Series:
        """Records per (actor, target, stance) link, busiest first."""
        return _link_sizes(self.frame)

    @cached_property
    def first_quotes(self) -> dict[tuple[str, str], str]:
        """The first sentence of each (actor, stance), found in one pass rather than a mask per actor."""
        if "text" not in self.frame:
            return {}
        first = self.frame[["actor", "stance", "text"]].drop_duplicates(["actor", "stance"])
        return {(a, s): str(t) for a, s, t in zip(first["actor"], first["stance"], first["text"], strict=True)}

    def selector(self, actor: str) -> list[str]:
        """An actor's mark picks its records in the view (toward the chosen target, when there is one)."""
        return _selector(actor=actor, target=self.toward) if self.toward else _selector(actor=actor)

    def quote(self, actor: str) -> str:
        """The first sentence in which the actor took its dominant stance."""
        return self.first_quotes.get((actor, self.stance_of.get(actor, "")), "")

    def hover(self, actor: str, seat: bool = False) -> str:
        row = self.dominant.loc[actor]
        where = " (at its seat)" if seat else ""
        toward = f"<br>toward: {_escape(row['targets'])}" if row["targets"] else ""
        quote = self.quote(actor)
        said = f"<br>“{_wrapped_quote(quote)}”" if quote else ""
        return (
            f"<b>{_escape(actor)}</b>{where}<br>dominant stance: {_escape(row['dominant_stance'])}<br>"
            f"{row['records']} record(s){toward}{said}"
        )


def stance_map_figure(
    scored: pd.DataFrame,
    registry: Any,
    toward: str | None = None,
    shade_members: bool = False,
) -> go.Figure:
    """World map: states filled by their dominant stance (one choropleth per stance, named for it),
    organisations as labelled squares near their seat, lines from each actor to its targets.

    `registry` is a Registry or a plain mapping name -> Actor. `toward` limits everything to records
    aimed at that target (outlined in black). `shade_members` fills organisations' member states (on
    the earliest record date) lightly in the organisation's dominant-stance colour; states with a
    stance of their own keep it. Actors or targets with no place in the registry are listed under
    the map. Offline drawing needs the app's `config={"topojsonURL": ...}` serving world_110m.json.
    """
    title = f"Dominant stance toward {toward}" if toward else "Dominant stance of each actor"
    figure = go.Figure()
    figure.update_layout(**_map_layout(title))
    frame = explode_targets(scored) if not scored.empty else scored
    if toward and not frame.empty:
        frame = frame[frame["target"] == toward]
    if frame.empty:
        figure.add_annotation(
            text=EMPTY_MESSAGE, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": 16}
        )
        return figure

    actors = _actors_of(registry)
    frame = frame.assign(actor=frame["actor"].astype(str))
    scene = _MapScene(
        frame=frame,
        actors=actors,
        positions=_positions(actors, set(frame["actor"].unique()) | set(frame["target"].unique())),
        dominant=dominant_stance_by_actor(scored, toward=toward).set_index("actor"),
        toward=toward,
    )
    if shade_members:
        figure.add_traces(_member_traces(scene, _incident_date(scored)))
    figure.add_traces(_state_traces(scene))
    figure.add_traces(_target_traces(scene))
    line_traces, unplaced = _line_traces(scene)
    figure.add_traces(line_traces)
    figure.add_traces(_organisation_traces(scene))
    figure.add_traces(_stance_legend_keys(figure, scene))
    figure.add_traces(_label_traces(scene))

    links_in_view = len(scene.link_sizes)
    if links_in_view > MAP_LINK_LIMIT:
        text = (
            f"Lines: the {MAP_LINK_LIMIT} actor → target links with most records, of {links_in_view:,}. "
            "Filter by actor, stance or target to see the others."
        )
        _corner_note(figure, text, top=True, size=12, colour=FONT_COLOUR, background="rgba(255,255,255,0.85)")
    not_drawn = [a for a in scene.dominant.index if a not in scene.positions]
    not_drawn += [n for n in unplaced if n not in not_drawn]
    if not_drawn:
        text = "Not on the map (no place in the actor registry): " + _escape(", ".join(not_drawn))
        _corner_note(figure, text, top=False, size=11, colour="#6B6B6B")
    return figure


def _corner_note(
    figure: go.Figure, text: str, top: bool, size: int, colour: str, background: str | None = None
) -> None:
    """A line of text in the map's top or bottom left corner."""
    figure.add_annotation(
        text=text,
        x=0,
        y=1 if top else 0,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="top" if top else "bottom",
        showarrow=False,
        font={"size": size, "color": colour},
        bgcolor=background,
    )


def _member_traces(scene: _MapScene, on_date: str | None) -> list[go.Choropleth]:
    """Organisations' member states, lightly, in the organisation's colour (drawn first, beneath)."""
    own_stance = {scene.actors[a].iso3 for a in scene.states}
    traces = []
    for name in scene.organisations:
        members = [iso for iso in _members_of(scene.actors[name], on_date) if iso not in own_stance]
        if members:
            traces.append(_member_shading(name, scene.stance_of[name], members))
    return traces


def _state_traces(scene: _MapScene) -> list[go.Choropleth]:
    """States with a stance of their own: one choropleth per stance, so the legend names it."""
    stance_of = scene.stance_of
    traces = []
    for stance in stance_order_for([stance_of[a] for a in scene.states]):
        names = [a for a in scene.states if stance_of[a] == stance]
        traces.append(
            go.Choropleth(
                locations=[scene.actors[a].iso3 for a in names],
                locationmode="ISO-3",
                z=[1] * len(names),
                zmin=0,
                zmax=1,
                colorscale=_flat_colourscale(stance_colour(stance)),
                showscale=False,
                marker={"line": {"color": "#FFFFFF", "width": 0.8}},
                name=stance,
                legendgroup=stance,
                legendrank=LEGEND_RANK_STANCE + _stance_rank(stance),
                showlegend=True,
                customdata=[scene.selector(a) for a in names],
                hovertext=[scene.hover(a) for a in names],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    return traces


def _target_traces(scene: _MapScene) -> list[go.Choropleth | go.Scattergeo]:
    """The chosen target state outlined in black, and its legend entry."""
    toward = scene.toward
    if not toward:
        return []
    traces: list[go.Choropleth | go.Scattergeo] = []
    if scene.kind(toward) == "state" and scene.actors[toward].iso3:
        traces.append(
            go.Choropleth(
                locations=[scene.actors[toward].iso3],
                locationmode="ISO-3",
                z=[1],
                colorscale=_flat_colourscale("rgba(0,0,0,0)"),
                showscale=False,
                marker={"line": {"color": "#222222", "width": 2.5}},
                name=f"target: {toward}",
                legendgroup="target",
                showlegend=False,
                hovertemplate=f"target: {_escape(toward)}<extra></extra>",
            )
        )
    traces.append(
        _legend_key(f"target: {toward}", "rgba(0,0,0,0)", group="target", rank=LEGEND_RANK_TARGET, outline="#222222")
    )
    return traces


def _line_width(records: int) -> float:
    """A link's line width: wider the more records it carries, up to five (so five widths in all)."""
    return 1.5 + min(records, 5) * 0.7


def _line_traces(scene: _MapScene) -> tuple[list[go.Scattergeo], list[str]]:
    """A curve from each actor to each target per stance (with a white casing, so it shows over a
    country of its own colour), and per stance one trace of midpoint marks that carry the hover
    (map lines have none of their own). Also returns the names that could not be placed.

    All curves of one stance and one line width are drawn by one casing trace and one coloured
    trace, the curves separated by None (a gap, as connectgaps is off): a few traces per stance
    rather than two per link, which at scale were tens of thousands."""
    links = _busiest_links(scene.frame, scene.link_sizes, MAP_LINK_LIMIT)
    stances_per_pair = links.groupby(["actor", "target"])["stance"].agg(stance_order_for).to_dict()
    traces: list[go.Scattergeo] = []
    unplaced: list[str] = []
    links_by_stance = dict(tuple(links.groupby("stance", sort=False)))
    for stance in stance_order_for(list(links_by_stance)):
        midpoints: list[tuple[float, float, str, list[str]]] = []  # lat, lon, hover, selector
        curves: dict[int, tuple[list[float | None], list[float | None]]] = {}  # records (1..5) -> lats, lons
        for (actor, target), rows in links_by_stance[stance].groupby(["actor", "target"], sort=False):
            if actor not in scene.positions or target not in scene.positions:
                unplaced += [n for n in (actor, target) if n not in scene.positions and n not in unplaced]
                continue
            (lat0, lon0, _), (lat1, lon1, _) = scene.positions[actor], scene.positions[target]
            lats, lons = _arc(lat0, lon0, lat1, lon1, bow=1 + stances_per_pair[(actor, target)].index(stance))
            bucket_lats, bucket_lons = curves.setdefault(min(len(rows), 5), ([], []))
            if bucket_lats:
                bucket_lats.append(None)
                bucket_lons.append(None)
            bucket_lats.extend(lats)
            bucket_lons.extend(lons)
            middle = ARC_POINTS // 2
            hover = _link_hover(actor, target, stance, rows)
            midpoints.append((lats[middle], lons[middle], hover, _selector(actor=actor, stance=stance, target=target)))
        for records in sorted(curves):
            lats, lons = curves[records]
            width = _line_width(records)
            label = f"{stance} lines ({records}+ records)" if records == 5 else f"{stance} lines ({records} record(s))"
            for colour, line_width, opacity, suffix in (
                ("#FFFFFF", width + 2, 0.7, " casing"),
                (stance_colour(stance), width, 0.85, ""),
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


def _link_sizes(frame: pd.DataFrame) -> pd.Series:
    """Records per (actor, target, stance) link, busiest first; ties in stance order, then by name."""
    keys = frame[["actor", "target", "stance"]]
    sizes = keys[keys["target"] != ""].groupby(["actor", "target", "stance"]).size().rename("records")
    order = sizes.reset_index()
    order["_rank"] = order["stance"].map(_stance_rank)
    order = order.sort_values(["records", "_rank", "actor", "target"], ascending=[False, True, True, True])
    return order.set_index(["actor", "target", "stance"])["records"]


def _busiest_links(frame: pd.DataFrame, sizes: pd.Series, limit: int) -> pd.DataFrame:
    """The rows of the `limit` links with most records (`sizes` from _link_sizes); rows naming no
    target are not links and are left out."""
    if len(sizes) <= limit:
        return frame[frame["target"] != ""]
    keys = pd.MultiIndex.from_frame(frame[["actor", "target", "stance"]])
    return frame[keys.isin(sizes.index[:limit])]


def _organisation_traces(scene: _MapScene) -> list[go.Scattergeo]:
    """Organisations with a stance as squares in its colour, labelled "NATO: condemn"; organisations
    that are only aimed at as hollow squares, so lines to them end somewhere."""
    traces: list[go.Scattergeo] = []
    organisations, positions, stance_of = scene.organisations, scene.positions, scene.stance_of
    if organisations:
        traces.append(
            go.Scattergeo(
                lat=[positions[o][0] for o in organisations],
                lon=[positions[o][1] for o in organisations],
                mode="markers+text",
                text=[f"{o}: {stance_of[o]}" for o in organisations],
                textposition=[positions[o][2] for o in organisations],
                textfont={"size": 12, "color": FONT_COLOUR, "shadow": "auto"},
                marker={
                    "size": 15,
                    "symbol": "square",
                    "color": [stance_colour(stance_of[o]) for o in organisations],
                    "line": {"color": "#222222", "width": 1.5},
                },
                name="organisations",
                legendgroup="organisations",
                showlegend=False,
                customdata=[scene.selector(o) for o in organisations],
                hovertext=[scene.hover(o, seat=True) for o in organisations],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
        traces.append(
            _legend_key(
                "organisation, near its seat",
                "#FFFFFF",
                group="organisations",
                rank=LEGEND_RANK_ORGANISATION,
                outline="#222222",
            )
        )
    targeted = [t for t in scene.targets_only if scene.kind(t) == "organisation"]
    if targeted:
        received = scene.frame[scene.frame["target"].isin(targeted)].groupby("target").size()
        traces.append(
            go.Scattergeo(
                lat=[positions[t][0] for t in targeted],
                lon=[positions[t][1] for t in targeted],
                mode="markers+text",
                text=[f"{t} (target)" if t == scene.toward else t for t in targeted],
                textposition=[positions[t][2] for t in targeted],
                textfont={"size": 12, "color": FONT_COLOUR, "shadow": "auto"},
                marker={"size": 13, "symbol": "square-open", "color": "#222222", "line": {"width": 2}},
                name="targeted organisations",
                legendgroup="organisations",
                showlegend=False,
                hovertext=[f"<b>{_escape(t)}</b> (seat)<br>target of {received[t]} record(s)" for t in targeted],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    return traces


def _stance_legend_keys(figure: go.Figure, scene: _MapScene) -> list[go.Scattergeo]:
    """A legend entry for each stance drawn only as a line or an organisation's square (states'
    choropleths carry their own)."""
    in_legend = {t.name for t in figure.data if t.type == "choropleth" and t.showlegend}
    drawn = [scene.stance_of[o] for o in scene.organisations]
    drawn += [t.legendgroup for t in figure.data if t.type == "scattergeo" and t.mode == "lines"]
    return [
        _legend_key(stance, stance_colour(stance), group=stance, rank=LEGEND_RANK_STANCE + _stance_rank(stance))
        for stance in stance_order_for(drawn)
        if stance not in in_legend
    ]


def _label_traces(scene: _MapScene) -> list[go.Scattergeo]:
    """Text on each state: actors with their stance (so colour is never the only cue), targets by name."""
    positions, stance_of = scene.positions, scene.stance_of
    labels = {a: f"{a}: {stance_of[a]}" for a in scene.states if a in positions}
    labels |= {t: t for t in scene.targets_only if scene.kind(t) == "state"}
    if scene.toward and scene.kind(scene.toward) == "state" and scene.toward in positions:
        labels[scene.toward] = f"{labels[scene.toward]} (target)"
    if not labels:
        return []
    return [
        go.Scattergeo(
            lat=[positions[a][0] for a in labels],
            lon=[positions[a][1] for a in labels],
            mode="text",
            text=list(labels.values()),
            textfont={"size": 11, "color": "#111111", "shadow": "auto"},
            textposition="middle center",
            name="state labels",
            showlegend=False,
            hoverinfo="skip",
        )
    ]


def _stance_rank(stance: str) -> int:
    return STANCE_ORDER.index(stance) if stance in STANCE_ORDER else len(STANCE_ORDER)


def _member_shading(name: str, stance: str, members: list[str]) -> go.Choropleth:
    return go.Choropleth(
        locations=members,
        locationmode="ISO-3",
        z=[1] * len(members),
        zmin=0,
        zmax=1,
        colorscale=_flat_colourscale(stance_colour(stance)),
        showscale=False,
        marker={"opacity": MEMBER_SHADE_OPACITY, "line": {"color": "#FFFFFF", "width": 0.6}},
        name=f"{name} member ({stance})",
        legendgroup=f"members:{name}",
        legendrank=LEGEND_RANK_ORGANISATION + 1,
        showlegend=True,
        hovertemplate=(
            f"%{{location}}: member of {_escape(name)}<br>"
            f"{_escape(name)}'s dominant stance: {_escape(stance)}<extra></extra>"
        ),
    )


def _legend_key(name: str, colour: str, group: str, rank: int, outline: str | None = None) -> go.Scattergeo:
    """A legend-only entry (nothing drawn): a square in `colour` named `name`."""
    marker = {"size": 12, "symbol": "square", "color": colour}
    if outline:
        marker["line"] = {"color": outline, "width": 1.5}
    return go.Scattergeo(
        lat=[None],
        lon=[None],
        mode="markers",
        marker=marker,
        name=name,
        legendgroup=group,
        legendrank=rank,
        showlegend=True,
        hoverinfo="skip",
    )


# ---------------------------------------------------------------------------------------------------
# Tone


# Marks of one actor closer than SWARM_GAP on the score axis are stacked in slots SWARM_STEP apart
# (in actor rows), up to SWARM_MAX_OFFSET either side, so equal scores do not hide each other.
# The most marks the tone chart draws: each is one mark, one hover and one id for the browser (100k
# records were 174 MB), so above this a stated random sample is drawn.
TONE_MARK_LIMIT = 2000


def tone_sample(scored: pd.DataFrame, limit: int = TONE_MARK_LIMIT) -> pd.DataFrame:
    """The records the tone chart draws: all of them up to `limit`, else a seeded random sample of
    `limit`, kept in the view's order (the same view always draws the same marks)."""
    if len(scored) <= limit:
        return scored
    return scored.sample(limit, random_state=0).sort_index()


SWARM_GAP = 0.06
SWARM_STEP = 0.16
SWARM_MAX_OFFSET = 0.4
TONE_PANELS: tuple[tuple[str, str, tuple[float, float]], ...] = (
    ("polarity", "TextBlob polarity", (-1.08, 1.08)),
    ("intensity", "Intensity (cue ladder)", (-1.08, 1.08)),
    ("subjectivity", "TextBlob subjectivity", (-0.04, 1.04)),
)
TONE_ROW_HEIGHT = 56


def _swarm_offsets(actors: pd.Series, values: pd.Series) -> pd.Series:
    """Vertical offsets (in actor rows) for a one-dimensional beeswarm within each actor's row."""
    offsets = pd.Series(0.0, index=values.index)
    slots = [0.0]
    k = 1
    while k * SWARM_STEP <= SWARM_MAX_OFFSET + 1e-9:
        slots += [k * SWARM_STEP, -k * SWARM_STEP]
        k += 1
    for _, group in values.groupby(actors):
        # Values come in ascending order, so only the marks placed within SWARM_GAP below this one can crowd
        # it: a sliding window keeps the swarm linear in the number of marks (it was quadratic per actor).
        window: deque[tuple[float, float]] = deque()  # (value, offset) of the marks that can still crowd
        placed = 0
        assigned: dict = {}
        for index, value in group.sort_values().items():
            if pd.isna(value):
                continue
            while window and not abs(window[0][0] - value) < SWARM_GAP:
                window.popleft()
            crowded = [offset for _, offset in window]
            free = [slot for slot in slots if all(abs(slot - o) > 1e-9 for o in crowded)]
            assigned[index] = free[0] if free else slots[placed % len(slots)]
            window.append((value, assigned[index]))
            placed += 1
        offsets.loc[list(assigned)] = list(assigned.values())
    return offsets


def tone_figure(scored: pd.DataFrame) -> go.Figure:
    """Per actor, one mark per record in three panels: TextBlob polarity, our diplomatic intensity and
    TextBlob subjectivity, coloured by stance. Records whose TextBlob sign contradicts the stance are
    ringed in black in the polarity panel. Hover: actor, stance, target, the three scores, the quote."""
    title = "Tone: where TextBlob's polarity and the diplomatic intensity disagree"
    if scored.empty:
        return empty_figure(title)
    scores = [score for score, _, _ in TONE_PANELS if score in scored]
    if not scores or scored[scores].apply(pd.to_numeric, errors="coerce").isna().all().all():
        return empty_figure(title, "These records have no tone scores yet")
    frame = scored.reset_index(drop=True)
    frame = frame.assign(
        _id=_record_ids(frame),
        actor=frame["actor"].astype(str),
        stance=frame["stance"].fillna("").astype(str),
        _target=frame["target"].fillna("").astype(str) if "target" in frame else "",
        _conflict=frame["tone_conflict"].fillna(False).astype(bool) if "tone_conflict" in frame else False,
    )
    totals = frame.groupby("actor").size()
    actor_order = sorted(totals.index, key=lambda actor: (-totals[actor], actor))
    row_of = {actor: len(actor_order) - 1 - i for i, actor in enumerate(actor_order)}  # most at the top
    row = frame["actor"].map(row_of)
    frame["_hover"] = [_tone_hover(row) for row in frame.to_dict("records")]

    figure = make_subplots(
        rows=1,
        cols=len(TONE_PANELS),
        shared_yaxes=True,
        horizontal_spacing=0.03,
        column_widths=[0.37, 0.37, 0.26],
        subplot_titles=[label for _, label, _ in TONE_PANELS],
    )
    for column, (score, _label, _range) in enumerate(TONE_PANELS, start=1):
        if score in frame:
            values = pd.to_numeric(frame[score], errors="coerce")
        else:
            values = pd.Series(float("nan"), index=frame.index)
        y = row + _swarm_offsets(frame["actor"], values)
        for stance in stance_order_for(frame["stance"]):
            rows = frame[(frame["stance"] == stance) & values.notna()]
            if rows.empty:
                continue
            figure.add_trace(
                go.Scatter(
                    x=values[rows.index].tolist(),
                    y=y[rows.index].tolist(),
                    mode="markers",
                    name=stance,
                    legendgroup=stance,
                    showlegend=column == 1,
                    marker={
                        "size": 11,
                        "color": stance_colour(stance),
                        "opacity": 0.9,
                        "line": {"color": "#FFFFFF", "width": 1},
                    },
                    customdata=[_carried([record_id]) for record_id in rows["_id"]],
                    hovertext=rows["_hover"].tolist(),
                    hovertemplate="%{hovertext}<extra></extra>",
                ),
                row=1,
                col=column,
            )
        if score == "polarity":
            conflicts = frame[frame["_conflict"] & values.notna()]
            if not conflicts.empty:
                figure.add_trace(
                    go.Scatter(
                        x=values[conflicts.index].tolist(),
                        y=y[conflicts.index].tolist(),
                        mode="markers",
                        name="TextBlob sign contradicts the stance",
                        legendgroup="tone_conflict",
                        marker={"size": 18, "symbol": "circle-open", "color": "#111111", "line": {"width": 2}},
                        hoverinfo="skip",
                    ),
                    row=1,
                    col=column,
                )
    for column, (score, _label, axis_range) in enumerate(TONE_PANELS, start=1):
        figure.update_xaxes(range=list(axis_range), zeroline=score != "subjectivity", row=1, col=column)
        figure.update_xaxes(zerolinecolor="#9A9A9A", zerolinewidth=1.5, row=1, col=column)
    figure.update_yaxes(
        tickmode="array",
        tickvals=[row_of[a] for a in actor_order],
        ticktext=actor_order,
        range=[-0.6, len(actor_order) - 0.4],
        showgrid=True,
        automargin=True,
    )
    layout = _base_layout(title, max(360, CHROME_HEIGHT + 10 + TONE_ROW_HEIGHT * len(actor_order)))
    layout["legend"] |= LEGEND_BELOW
    layout["margin"] |= {"t": 90}
    figure.update_layout(**layout, hovermode="closest", clickmode="event+select")
    figure.update_annotations(font={"size": 13})  # subplot titles
    return figure


def _tone_hover(row: Mapping[str, Any]) -> str:
    target = f" → {_escape(row['_target'])}" if row.get("_target") else ""
    cue = f"<br>cue: “{_escape(row['cue'])}”" if row.get("cue") else ""
    conflict = "<br><i>TextBlob's sign contradicts the stance</i>" if row.get("_conflict") else ""
    return (
        f"<b>{_escape(row['actor'])}</b> · {_escape(row['stance'])}{target}<br>"
        f"polarity {_score(row.get('polarity'))} · intensity {_score(row.get('intensity'))} · "
        f"subjectivity {_score(row.get('subjectivity'))}{conflict}{cue}<br>“{_wrapped_quote(row.get('text', ''))}”"
    )


# ---------------------------------------------------------------------------------------------------
# Who -> whom


def flows_figure(scored: pd.DataFrame) -> go.Figure:
    """Sankey from actors (left) to targets (right); one link per (actor, target, stance), coloured by
    stance, width = records. Records naming no target flow to a node "(no target)", so every record
    is counted. Link customdata holds the link's selector; the legend names the stances."""
    title = "Who → whom: each band runs from an actor to the party its stance is aimed at"
    if scored.empty:
        return empty_figure(title)
    frame = explode_targets(scored)
    frame = frame.assign(
        actor=frame["actor"].astype(str),
        stance=frame["stance"].fillna("").astype(str),
        target=frame["target"].replace("", NO_TARGET_LABEL),
    )
    all_links = frame.groupby(["actor", "target", "stance"], sort=False).size().rename("records").reset_index()
    # Past a few hundred bands a Sankey is unreadable and slow to draw (100k synthetic records: 13.9 s in the
    # browser); the busiest bands are kept and the chart says how many were left out.
    links = all_links.sort_values(["records", "actor", "target", "stance"], ascending=[False, True, True, True])
    links = links.head(FLOW_LINK_LIMIT)
    stances = stance_order_for(links["stance"])
    stance_rank = {stance: i for i, stance in enumerate(stances)}
    actor_totals = links.groupby("actor")["records"].sum()
    target_totals = links.groupby("target")["records"].sum()
    actors = sorted(actor_totals.index, key=lambda a: (-actor_totals[a], a))
    targets = sorted(target_totals.index, key=lambda t: (t == NO_TARGET_LABEL, -target_totals[t], t))
    # Actors and targets are separate nodes even when the same name is both (Turkey reacts and is
    # reacted to), so the diagram stays two columns instead of chaining.
    node_index = {("actor", a): i for i, a in enumerate(actors)}
    node_index |= {("target", t): len(actors) + i for i, t in enumerate(targets)}

    links = links.assign(_rank=links["stance"].map(stance_rank)).sort_values(["_rank", "actor", "target"])
    sankey = go.Sankey(
        arrangement="snap",
        node={
            "label": actors + targets,
            "color": ["#4D4D4D"] * len(actors) + ["#A6A6A6"] * len(targets),
            "pad": 14,
            "thickness": 16,
            "line": {"color": "#FFFFFF", "width": 0.5},
            "hovertemplate": "%{label}: %{value} record(s)<extra></extra>",
        },
        link={
            "source": [node_index[("actor", a)] for a in links["actor"]],
            "target": [node_index[("target", t)] for t in links["target"]],
            "value": links["records"].tolist(),
            "label": list(links["stance"]),
            "color": [_rgba(stance_colour(s), LINK_ALPHA) for s in links["stance"]],
            "customdata": [
                _selector(actor=a, stance=s, target="" if t == NO_TARGET_LABEL else t)[0]
                for a, s, t in zip(links["actor"], links["stance"], links["target"], strict=True)
            ],
            "hovertemplate": (
                "%{source.label} → %{target.label}<br>stance: %{label}<br>%{value} record(s)<extra></extra>"
            ),
        },
        textfont={"family": FONT_FAMILY, "size": 13, "color": FONT_COLOUR},
    )
    figure = go.Figure(sankey)
    # A Sankey has no legend of its own; these empty traces give one that names each stance.
    for stance in stances:
        figure.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"size": 12, "symbol": "square", "color": stance_colour(stance)},
                name=stance,
                legendgroup=stance,
                showlegend=True,
                hoverinfo="skip",
            )
        )
    height = max(400, CHROME_HEIGHT + 34 * max(len(actors), len(targets)))
    layout = _base_layout(title, height)
    layout["legend"] |= LEGEND_BELOW
    layout["margin"] |= {"t": 90, "l": 20, "r": 20, "b": 60}
    figure.update_layout(**layout)
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    if len(all_links) > FLOW_LINK_LIMIT:
        left_out = int(all_links["records"].sum() - links["records"].sum())
        figure.add_annotation(
            text=(
                f"The {FLOW_LINK_LIMIT} busiest of {len(all_links):,} bands ({left_out:,} record-target pairs "
                "in the others). Filter by actor, stance or target to see them."
            ),
            x=0.5, y=1.0, xref="paper", yref="paper", xanchor="center", yanchor="bottom", yshift=18,
            showarrow=False, font={"size": 12},
        )  # fmt: skip
    for x, text, anchor in ((0, "Actor", "left"), (1, "Target", "right")):
        figure.add_annotation(
            text=f"<b>{text}</b>", x=x, y=1.0, xref="paper", yref="paper", xanchor=anchor, yanchor="bottom",
            showarrow=False, font={"size": 13},
        )  # fmt: skip
    return figure

"""The world map: states by dominant stance, organisations at their seat, lines from actors to targets."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.selection import (
    selector,
)
from dashboard.figures.style import (
    EMPTY_MESSAGE,
    FONT_COLOUR,
    LEGEND_BELOW,
    base_layout,
    escape,
    stance_colour,
    stance_rank,
    wrapped_quote,
)
from dashboard.summary import (
    dominant_stance_by_actor,
    explode_targets,
    stance_order_for,
)

MEMBER_SHADE_OPACITY = 0.35
MAP_HEIGHT = 540
# Map legend order: the target outline first, then stances in the fixed order, then organisations.
LEGEND_RANK_TARGET = 10
LEGEND_RANK_STANCE = 100
LEGEND_RANK_ORGANISATION = 300
# The map shows latitudes in this band: Antarctica and the high Arctic hold no actors and waste height.
MAP_LATITUDE_RANGE = (-58.0, 84.0)

# Where shapes and country centroids come from: the topojson the app serves to the browser.
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
WORLD_TOPOJSON = STATIC_DIR / "world_110m.json"


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


def flat_colourscale(colour: str) -> list[list[Any]]:
    return [[0, colour], [1, colour]]


def _incident_date(scored: pd.DataFrame) -> str | None:
    """The earliest record date: organisations are shaded with their members on that day."""
    if "date" not in scored:
        return None
    dates = sorted(d for d in scored["date"].fillna("").astype(str) if d)
    return dates[0] if dates else None


def _map_layout(title: str) -> dict[str, Any]:
    layout = base_layout(title, MAP_HEIGHT)
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
    quote = wrapped_quote(rows["text"].iloc[0]) if "text" in rows else ""
    more = f"<br>(and {len(rows) - 1} more record(s))" if len(rows) > 1 else ""
    return (
        f"<b>{escape(actor)} → {escape(target)}</b><br>stance: {escape(stance)} · "
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
        return selector(actor=actor, target=self.toward) if self.toward else selector(actor=actor)

    def quote(self, actor: str) -> str:
        """The first sentence in which the actor took its dominant stance."""
        return self.first_quotes.get((actor, self.stance_of.get(actor, "")), "")

    def hover(self, actor: str, seat: bool = False) -> str:
        row = self.dominant.loc[actor]
        where = " (at its seat)" if seat else ""
        toward = f"<br>toward: {escape(row['targets'])}" if row["targets"] else ""
        quote = self.quote(actor)
        said = f"<br>“{wrapped_quote(quote)}”" if quote else ""
        return (
            f"<b>{escape(actor)}</b>{where}<br>dominant stance: {escape(row['dominant_stance'])}<br>"
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
        text = "Not on the map (no place in the actor registry): " + escape(", ".join(not_drawn))
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
                colorscale=flat_colourscale(stance_colour(stance)),
                showscale=False,
                marker={"line": {"color": "#FFFFFF", "width": 0.8}},
                name=stance,
                legendgroup=stance,
                legendrank=LEGEND_RANK_STANCE + stance_rank(stance),
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
                colorscale=flat_colourscale("rgba(0,0,0,0)"),
                showscale=False,
                marker={"line": {"color": "#222222", "width": 2.5}},
                name=f"target: {toward}",
                legendgroup="target",
                showlegend=False,
                hovertemplate=f"target: {escape(toward)}<extra></extra>",
            )
        )
    traces.append(
        legend_key(f"target: {toward}", "rgba(0,0,0,0)", group="target", rank=LEGEND_RANK_TARGET, outline="#222222")
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
            midpoints.append((lats[middle], lons[middle], hover, selector(actor=actor, stance=stance, target=target)))
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
    order["_rank"] = order["stance"].map(stance_rank)
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
            legend_key(
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
                hovertext=[f"<b>{escape(t)}</b> (seat)<br>target of {received[t]} record(s)" for t in targeted],
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
        legend_key(stance, stance_colour(stance), group=stance, rank=LEGEND_RANK_STANCE + stance_rank(stance))
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


def _member_shading(name: str, stance: str, members: list[str]) -> go.Choropleth:
    return go.Choropleth(
        locations=members,
        locationmode="ISO-3",
        z=[1] * len(members),
        zmin=0,
        zmax=1,
        colorscale=flat_colourscale(stance_colour(stance)),
        showscale=False,
        marker={"opacity": MEMBER_SHADE_OPACITY, "line": {"color": "#FFFFFF", "width": 0.6}},
        name=f"{name} member ({stance})",
        legendgroup=f"members:{name}",
        legendrank=LEGEND_RANK_ORGANISATION + 1,
        showlegend=True,
        hovertemplate=(
            f"%{{location}}: member of {escape(name)}<br>"
            f"{escape(name)}'s dominant stance: {escape(stance)}<extra></extra>"
        ),
    )


def legend_key(name: str, colour: str, group: str, rank: int, outline: str | None = None) -> go.Scattergeo:
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

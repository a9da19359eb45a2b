"""The world map: states by dominant stance, organisations at their seat, lines from actors to targets.

The map frames the actors in view (or the whole world when asked), draws a marker for each state whose
shape is missing from the shipped file or too small to see at that scale, spreads organisations sharing
a seat on a ring around it, and labels as many actors as fit without overlap, the most records first:
the others are named in their hover and in the table under the map.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import map_lines
from dashboard.figures.map_frame import (
    LabelRequest,
    MapFrame,
    Screen,
    frame_for,
    natural_earth,
    place_labels,
    spread_seats,
)
from dashboard.figures.map_lines import line_traces, link_sizes
from dashboard.figures.selection import selector
from dashboard.figures.shapes import SHAPE_RESOLUTION, country_shapes
from dashboard.figures.style import (
    EMPTY_MESSAGE,
    FONT_COLOUR,
    LEGEND_BELOW,
    base_layout,
    escape,
    stance_colour,
    stance_rank,
    title_height,
    wrapped_quote,
)
from dashboard.summary import dominant_stance_by_actor, explode_targets, stance_order_for

__all__ = ["DESKTOP_MAP_WIDTH", "PHONE_MAP_WIDTH", "stance_map_figure"]

MEMBER_SHADE_OPACITY = 0.35
# The widths, in pixels, labels are planned for: the main column of the wide layout on a 1280 px screen
# (less the sidebar), and a 390 px phone less the page's padding. Wider screens only add room.
DESKTOP_MAP_WIDTH = 900
PHONE_MAP_WIDTH = 350
# The map's own height follows the frame's shape, within these bounds (pixels).
MAP_AREA_HEIGHT = (150, 560)
LABEL_FONT_PX = 11
PLAN_SCALE = 0.92
ORGANISATION_MARKER_PX = 15
STATE_MARKER_PX = 10
# On a phone-width map markers are this much smaller, or Europe is one heap of squares.
NARROW_MAP_PX = 500
NARROW_MARKER_SCALE = 0.7
# The legend lays its entries out in a grid of cells this wide, so its height can be known in advance.
LEGEND_ENTRY_PX = 132
LEGEND_SYMBOL_PX = 44
LEGEND_CHAR_PX = 6.6  # 13 px Source Sans, a little over its average width
LEGEND_WIDTH_SHARE = 0.8
LEGEND_ROW_PX = 21
# A state whose shape spans fewer pixels than this on the map also gets a marker, so it can be seen,
# hovered and clicked (Singapore, Bahrain or Malta on a world map).
SMALL_SHAPE_PX = 9
# The not-on-the-map note names at most this many actors, then says how many more.
NOT_DRAWN_NAMED = 8
# Map legend order: the target outline first, then stances in the fixed order, then organisations.
LEGEND_RANK_TARGET = 10
LEGEND_RANK_STANCE = 100
LEGEND_RANK_ORGANISATION = 300


def _actors_of(registry: Any) -> Mapping[str, Any]:
    """The name -> Actor mapping of a Registry, or the mapping itself (tests pass a plain dict)."""
    return getattr(registry, "actors", registry)


def _members_of(actor: Any, on_date: str | None) -> tuple[str, ...]:
    members_on = getattr(actor, "members_on", None)
    if callable(members_on):
        return tuple(members_on(on_date))
    return tuple(getattr(actor, "members", ()) or ())


def _has_place(actor: Any) -> bool:
    return getattr(actor, "lat", None) is not None and getattr(actor, "lon", None) is not None


def _places(actors: Mapping[str, Any], present: Iterable[str]) -> dict[str, tuple[float, float]]:
    """name -> (lat, lon) for the actors on the map: organisations at their seat, states at the registry's
    lat/lon (the capital), else the centroid of their shape."""
    shapes = country_shapes()
    places = {}
    for name in present:
        actor = actors.get(name)
        if actor is None or getattr(actor, "kind", "") not in ("state", "organisation"):
            continue
        if _has_place(actor):
            places[name] = (float(actor.lat), float(actor.lon))
        elif actor.kind == "state" and getattr(actor, "iso3", "") in shapes:
            places[name] = shapes[actor.iso3].centroid
    return places


def flat_colourscale(colour: str) -> list[list[Any]]:
    return [[0, colour], [1, colour]]


def _incident_date(scored: pd.DataFrame) -> str | None:
    """The earliest record date: organisations are shaded with their members on that day."""
    if "date" not in scored:
        return None
    dates = sorted(d for d in scored["date"].fillna("").astype(str) if d)
    return dates[0] if dates else None


def _map_area_height(frame: MapFrame, width: float) -> float:
    """The geo's height in pixels for a plot area `width` wide: the frame's projected shape, within bounds."""
    (lon0, lon1), (lat0, lat1) = frame
    corners = [
        natural_earth(lat, lon) for lat in (lat0, (lat0 + lat1) / 2, lat1) for lon in (lon0, lon1, (lon0 + lon1) / 2)
    ]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    aspect = (max(ys) - min(ys)) / max(max(xs) - min(xs), 1e-9)
    return min(max(width * aspect, MAP_AREA_HEIGHT[0]), MAP_AREA_HEIGHT[1])


def _map_layout(title: str, frame: MapFrame, area_height: float) -> dict[str, Any]:
    top = title_height(title) + 8
    layout = base_layout(title, int(area_height + top + 20))
    layout["margin"] = {"l": 0, "r": 0, "t": top, "b": 10}
    layout["legend"] |= LEGEND_BELOW
    layout["geo"] = {
        "projection": {"type": "natural earth"},
        # The app serves world_50m.json itself (topojsonURL); see dashboard/static/SOURCES.md.
        "resolution": SHAPE_RESOLUTION,
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
        # Both ranges, so the whole frame fits whatever the chart's aspect ratio (one alone crops the other).
        "lonaxis": {"range": list(frame.lon_range)},
        "lataxis": {"range": list(frame.lat_range)},
    }
    return layout


@dataclass(frozen=True)
class _MapScene:
    """What the map draws, worked out once: records (one row per record and target), where each
    actor sits on this frame, each actor's dominant stance, and which actors get a marker or a label."""

    frame: pd.DataFrame
    actors: Mapping[str, Any]
    positions: dict[str, tuple[float, float]]
    dominant: pd.DataFrame  # indexed by actor: dominant_stance, records, targets
    toward: str | None
    screen: Screen

    @property
    def stance_of(self) -> dict[str, str]:
        return self.dominant["dominant_stance"].to_dict()

    @property
    def organisation_px(self) -> float:
        scale = NARROW_MARKER_SCALE if self.screen.width < NARROW_MAP_PX * PLAN_SCALE else 1.0
        return round(ORGANISATION_MARKER_PX * scale)

    @property
    def state_px(self) -> float:
        scale = NARROW_MARKER_SCALE if self.screen.width < NARROW_MAP_PX * PLAN_SCALE else 1.0
        return round(STATE_MARKER_PX * scale)

    def kind(self, name: str) -> str:
        return getattr(self.actors.get(name), "kind", "")

    @cached_property
    def states(self) -> list[str]:
        """States with a stance and a country code."""
        return [a for a in self.dominant.index if self.kind(a) == "state" and getattr(self.actors[a], "iso3", "")]

    @cached_property
    def organisations(self) -> list[str]:
        return [a for a in self.dominant.index if self.kind(a) == "organisation" and a in self.positions]

    @cached_property
    def targets_only(self) -> list[str]:
        """Places that are aimed at but take no stance here (Syria overall; NATO toward NATO)."""
        stance_of = self.stance_of
        return [t for t in self.frame["target"].unique() if t and t in self.positions and t not in stance_of]

    def shape_is_visible(self, name: str) -> bool:
        """Whether a state's own shape is in the shipped file and big enough to see on this frame."""
        shape = country_shapes().get(getattr(self.actors.get(name), "iso3", ""))
        return shape is not None and self.screen.extent_px(*shape.largest_piece) >= SMALL_SHAPE_PX

    @cached_property
    def state_markers(self) -> list[str]:
        """States (with a stance, or aimed at) drawn as a marker: no shape, or one too small to see."""
        candidates = self.states + [t for t in self.targets_only if self.kind(t) == "state"]
        return [s for s in candidates if s in self.positions and not self.shape_is_visible(s)]

    @cached_property
    def link_sizes(self) -> pd.Series:
        """Records per (actor, target, stance) link, busiest first."""
        return link_sizes(self.frame)

    @cached_property
    def first_quotes(self) -> dict[tuple[str, str], str]:
        """The first sentence of each (actor, stance), found in one pass rather than a mask per actor."""
        if "text" not in self.frame:
            return {}
        first = self.frame[["actor", "stance", "text"]].drop_duplicates(["actor", "stance"])
        return {(a, s): str(t) for a, s, t in zip(first["actor"], first["stance"], first["text"], strict=True)}

    @cached_property
    def received(self) -> pd.Series:
        """Records aimed at each target."""
        return self.frame[self.frame["target"] != ""].groupby("target").size()

    def label_text(self, name: str) -> str:
        """ "Name: stance" (so colour is never the only cue); on a phone-width map the name alone, which
        lets twice as many fit (the stance is in the hover and the table under the map)."""
        narrow = self.screen.width < NARROW_MAP_PX * PLAN_SCALE
        text = f"{name}: {self.stance_of[name]}" if name in self.stance_of and not narrow else name
        return f"{text} (target)" if name == self.toward else text

    @cached_property
    def labels(self) -> dict[str, str]:
        """name -> textposition of the actors labelled: the chosen target first, then by records taken,
        then targets by records received; each where it overlaps no other label and no marker."""
        markers = {o: self.organisation_px for o in self.organisations}
        markers |= {t: self.organisation_px - 2 for t in self.targets_only if self.kind(t) == "organisation"}
        markers |= {s: self.state_px for s in self.state_markers}
        records = self.dominant["records"].to_dict()
        names = sorted(
            [n for n in self.dominant.index if n in self.positions],
            key=lambda n: (n != self.toward, -records[n], n),
        )
        names += sorted(
            [t for t in self.targets_only if t not in names],
            key=lambda t: (t != self.toward, -self.received.get(t, 0), t),
        )
        requests = []
        for name in names:
            if name in markers:
                lat, lon = self.positions[name]
                requests.append(LabelRequest(name, self.label_text(name), lat, lon, markers[name]))
            elif self.kind(name) == "state":
                lat, lon = self.label_anchor(name)
                requests.append(LabelRequest(name, self.label_text(name), lat, lon, 0))
        obstacles = [(*self.positions[n], size) for n, size in markers.items()]
        return place_labels(requests, self.screen, LABEL_FONT_PX, obstacles)

    def label_anchor(self, name: str) -> tuple[float, float]:
        """Where a label points: a state's shape centroid (over the country), else where the actor sits
        (a marker; or a country whose centroid is outside the frame, the United States on a map of the
        Atlantic)."""
        if name in self.state_markers or self.kind(name) != "state":
            return self.positions[name]
        shape = country_shapes().get(getattr(self.actors[name], "iso3", ""))
        if shape and self.screen.inside(*shape.centroid):
            return shape.centroid
        return self.positions[name]

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
    whole_world: bool = False,
    width: int = DESKTOP_MAP_WIDTH,
) -> go.Figure:
    """Map: states filled by their dominant stance (one choropleth per stance, named for it), states with
    no visible shape as circles, organisations as labelled squares at their seat, lines from each actor
    to its targets; framed on the actors in view unless `whole_world`.

    `registry` is a Registry or a plain mapping name -> Actor. `toward` limits everything to records
    aimed at that target (outlined in black). `shade_members` fills organisations' member states (on
    the earliest record date) lightly in the organisation's dominant-stance colour; states with a
    stance of their own keep it. `width` is the width in pixels the labels are planned for (labels are
    fixed-size text: a phone fits fewer). Actors or targets with no place in the registry are listed on
    the map. Offline drawing needs the app's `config={"topojsonURL": ...}` serving world_50m.json.
    """
    title = f"Dominant stance toward {toward}" if toward else "Dominant stance of each actor"
    frame = explode_targets(scored) if not scored.empty else scored
    if toward and not frame.empty:
        frame = frame[frame["target"] == toward]
    if frame.empty:
        map_frame = frame_for([], whole_world=True)
        figure = go.Figure(layout=_map_layout(title, map_frame, _map_area_height(map_frame, width)))
        figure.add_annotation(
            text=EMPTY_MESSAGE, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": 16}
        )
        return figure

    actors = _actors_of(registry)
    frame = frame.assign(actor=frame["actor"].astype(str))
    dominant = dominant_stance_by_actor(scored, toward=toward).set_index("actor")
    places = _places(actors, set(dominant.index) | set(frame["target"].unique()))
    map_frame = frame_for(places.values(), whole_world=whole_world)
    area_height = _map_area_height(map_frame, width)
    # Planned a little smaller than drawn: plotly's map came out 3% smaller than this estimate in Chromium,
    # which brought two labels planned 2 px apart into contact; a smaller plan errs on the side of room.
    screen = Screen(map_frame, width * PLAN_SCALE, area_height * PLAN_SCALE)
    seats = [(n, *places[n]) for n in places if actors[n].kind == "organisation"]
    positions = {n: p for n, p in places.items() if actors[n].kind == "state"} | spread_seats(
        seats, screen, ORGANISATION_MARKER_PX * (NARROW_MARKER_SCALE if width < NARROW_MAP_PX else 1.0)
    )
    scene = _MapScene(frame, actors, positions, dominant, toward, screen)

    figure = go.Figure(layout=_map_layout(title, map_frame, area_height))
    if shade_members:
        figure.add_traces(_member_traces(scene, _incident_date(scored)))
    figure.add_traces(_state_traces(scene))
    figure.add_traces(_target_traces(scene))
    drawn_lines, unplaced = line_traces(scene)
    figure.add_traces(drawn_lines)
    figure.add_traces(_seat_traces(scene, places))
    figure.add_traces(_state_marker_traces(scene))
    figure.add_traces(_organisation_traces(scene))
    figure.add_traces(_stance_legend_keys(figure, scene))
    figure.add_traces(_label_traces(scene))
    _legend_grid(figure, width)

    notes = []
    links_in_view = len(scene.link_sizes)
    limit = map_lines.MAP_LINK_LIMIT
    if links_in_view > limit:
        notes.append(
            f"Lines: the {limit} actor → target links with most records, of {links_in_view:,}. "
            "Filter by actor, stance or target to see the others."
        )
    not_drawn = [a for a in scene.dominant.index if a not in scene.positions]
    not_drawn += [n for n in unplaced if n not in not_drawn]
    if not_drawn:
        named = ", ".join(not_drawn[:NOT_DRAWN_NAMED])
        more = f" and {len(not_drawn) - NOT_DRAWN_NAMED} more" if len(not_drawn) > NOT_DRAWN_NAMED else ""
        notes.append(f"Not on the map (no place in the actor registry): {named}{more}")
    if notes:
        _map_notes(figure, notes, width)
    return figure


def _legend_grid(figure: go.Figure, width: int) -> None:
    """The legend under the map as a grid of fixed cells, its title above it, and the figure made taller
    by its height, so the map keeps its planned size (plotly takes the legend's room from the map)."""
    names = [str(trace.name) for trace in figure.data if trace.showlegend]
    # Wide enough for the longest name (a longer one ran into its neighbour or off the chart's edge).
    cell = max(LEGEND_ENTRY_PX, LEGEND_SYMBOL_PX + LEGEND_CHAR_PX * max((len(n) for n in names), default=0))
    # Counted on 80% of the planned width: a legend with a row more than planned takes its room from the map
    # (which shrank by a third in Compare's half-page column, cutting labels at its edges); a row fewer only
    # leaves a blank strip under the legend.
    per_row = max(1, int(width * LEGEND_WIDTH_SHARE // cell))
    height = LEGEND_ROW_PX * (math.ceil(len(names) / per_row) + 1) + 10
    figure.update_layout(
        legend={"entrywidth": cell, "entrywidthmode": "pixels", "title": {"side": "top"}},
        height=figure.layout.height + height,
        margin_b=figure.layout.margin.b + height,
    )


def _map_notes(figure: go.Figure, notes: list[str], width: int) -> None:
    """Notes between the title and the map, wrapped to its width (a single long line was cut off in a
    narrow column); the figure grows by their height so they cover nothing."""
    chars = max(30, int(width / (11 * 0.55)))
    lines = [line for note in notes for line in textwrap.wrap(note, chars)]
    figure.add_annotation(
        text="<br>".join(escape(line) for line in lines),
        x=0,
        y=1,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="bottom",
        align="left",
        showarrow=False,
        font={"size": 11, "color": "#4A4A4A"},
    )
    extra = 15 * len(lines) + 6
    figure.update_layout(height=figure.layout.height + extra, margin_t=figure.layout.margin.t + extra)


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
    shapes = country_shapes()
    # A state with no shape in the file is drawn by its circle alone (plotly would draw nothing for it).
    shaped = [a for a in scene.states if not shapes or scene.actors[a].iso3 in shapes]
    for stance in stance_order_for([stance_of[a] for a in shaped]):
        names = [a for a in shaped if stance_of[a] == stance]
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


def _text_and_position(scene: _MapScene, names: list[str]) -> tuple[list[str], list[str]]:
    """Per marker, its label and textposition if it has room, else no text (it is named in its hover)."""
    labels = scene.labels
    texts = [scene.label_text(n) if n in labels else "" for n in names]
    return texts, [labels.get(n, "middle right") for n in names]


def _seat_traces(scene: _MapScene, seats: Mapping[str, tuple[float, float]]) -> list[go.Scattergeo]:
    """For organisations spread on a ring around a shared seat: a dot at the seat and a thin spoke to
    each marker, so it reads as one city."""
    spread = [
        n
        for n in scene.organisations + scene.targets_only
        if scene.kind(n) == "organisation" and scene.positions[n] != seats[n]
    ]
    if not spread:
        return []
    lats: list[float | None] = []
    lons: list[float | None] = []
    for name in spread:
        lats += [seats[name][0], scene.positions[name][0], None]
        lons += [seats[name][1], scene.positions[name][1], None]
    centres = sorted({seats[n] for n in spread})
    return [
        go.Scattergeo(
            lat=lats,
            lon=lons,
            mode="lines",
            line={"color": "#555555", "width": 1},
            name="shared seats",
            showlegend=False,
            hoverinfo="skip",
        ),
        go.Scattergeo(
            lat=[c[0] for c in centres],
            lon=[c[1] for c in centres],
            mode="markers",
            marker={"size": 5, "color": "#222222"},
            name="seats",
            showlegend=False,
            hoverinfo="skip",
        ),
    ]


def _state_marker_traces(scene: _MapScene) -> list[go.Scattergeo]:
    """States with no shape to see at this scale, as circles: in their stance's colour, or hollow for a
    state that is only aimed at."""
    stance_of = scene.stance_of
    with_stance = [s for s in scene.state_markers if s in stance_of]
    aimed_at = [s for s in scene.state_markers if s not in stance_of]
    traces = []
    if with_stance:
        text, position = _text_and_position(scene, with_stance)
        traces.append(
            go.Scattergeo(
                lat=[scene.positions[s][0] for s in with_stance],
                lon=[scene.positions[s][1] for s in with_stance],
                mode="markers+text",
                text=text,
                textposition=position,
                textfont={"size": LABEL_FONT_PX, "color": "#111111", "shadow": "auto"},
                marker={
                    "size": scene.state_px,
                    "symbol": "circle",
                    "color": [stance_colour(stance_of[s]) for s in with_stance],
                    "line": {"color": "#222222", "width": 1},
                },
                name="small states",
                showlegend=False,
                customdata=[scene.selector(s) for s in with_stance],
                hovertext=[scene.hover(s) for s in with_stance],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    if aimed_at:
        text, position = _text_and_position(scene, aimed_at)
        traces.append(
            go.Scattergeo(
                lat=[scene.positions[s][0] for s in aimed_at],
                lon=[scene.positions[s][1] for s in aimed_at],
                mode="markers+text",
                text=text,
                textposition=position,
                textfont={"size": LABEL_FONT_PX, "color": "#111111", "shadow": "auto"},
                marker={"size": scene.state_px, "symbol": "circle-open", "color": "#222222", "line": {"width": 2}},
                name="small states aimed at",
                showlegend=False,
                hovertext=[f"<b>{escape(s)}</b><br>target of {scene.received.get(s, 0)} record(s)" for s in aimed_at],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    return traces


def _organisation_traces(scene: _MapScene) -> list[go.Scattergeo]:
    """Organisations with a stance as squares in its colour, labelled "NATO: condemn" where there is room;
    organisations that are only aimed at as hollow squares, so lines to them end somewhere."""
    traces: list[go.Scattergeo] = []
    organisations, positions, stance_of = scene.organisations, scene.positions, scene.stance_of
    if organisations:
        text, position = _text_and_position(scene, organisations)
        traces.append(
            go.Scattergeo(
                lat=[positions[o][0] for o in organisations],
                lon=[positions[o][1] for o in organisations],
                mode="markers+text",
                text=text,
                textposition=position,
                textfont={"size": LABEL_FONT_PX + 1, "color": FONT_COLOUR, "shadow": "auto"},
                marker={
                    "size": scene.organisation_px,
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
                "organisation's seat",
                "#FFFFFF",
                group="organisations",
                rank=LEGEND_RANK_ORGANISATION,
                outline="#222222",
            )
        )
    targeted = [t for t in scene.targets_only if scene.kind(t) == "organisation"]
    if targeted:
        text, position = _text_and_position(scene, targeted)
        traces.append(
            go.Scattergeo(
                lat=[positions[t][0] for t in targeted],
                lon=[positions[t][1] for t in targeted],
                mode="markers+text",
                text=text,
                textposition=position,
                textfont={"size": LABEL_FONT_PX + 1, "color": FONT_COLOUR, "shadow": "auto"},
                marker={
                    "size": scene.organisation_px - 2,
                    "symbol": "square-open",
                    "color": "#222222",
                    "line": {"width": 2},
                },
                name="targeted organisations",
                legendgroup="organisations",
                showlegend=False,
                hovertext=[
                    f"<b>{escape(t)}</b> (seat)<br>target of {scene.received.get(t, 0)} record(s)" for t in targeted
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    return traces


def _stance_legend_keys(figure: go.Figure, scene: _MapScene) -> list[go.Scattergeo]:
    """A legend entry for each stance drawn only as a line or an organisation's square (states'
    choropleths carry their own)."""
    in_legend = {t.name for t in figure.data if t.type == "choropleth" and t.showlegend}
    drawn = [scene.stance_of[o] for o in scene.organisations]
    drawn += [t.legendgroup for t in figure.data if t.type == "scattergeo" and t.mode == "lines" and t.legendgroup]
    return [
        legend_key(stance, stance_colour(stance), group=stance, rank=LEGEND_RANK_STANCE + stance_rank(stance))
        for stance in stance_order_for(drawn)
        if stance not in in_legend
    ]


def _label_traces(scene: _MapScene) -> list[go.Scattergeo]:
    """Text over the states drawn by their shape that have room for a label: actors with their stance (so
    colour is never the only cue), targets by name. Markers carry their own labels."""
    labels = scene.labels
    names = [n for n in labels if scene.kind(n) == "state" and n not in scene.state_markers]
    if not names:
        return []
    anchors = [scene.label_anchor(n) for n in names]
    return [
        go.Scattergeo(
            lat=[a[0] for a in anchors],
            lon=[a[1] for a in anchors],
            mode="text",
            text=[scene.label_text(n) for n in names],
            textfont={"size": LABEL_FONT_PX, "color": "#111111", "shadow": "auto"},
            textposition=[labels[n] for n in names],
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

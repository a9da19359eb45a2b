"""The world map: states by dominant stance, organisations at their seat, lines from actors to targets.

The map frames the actors in view (or the whole world when asked), draws a marker for each state whose
shape is missing from the shipped file or too small to see at that scale, spreads organisations sharing
a seat on a ring around it, and labels as many actors as fit without overlap, the most records first:
the others are named in their hover and in the table under the map.
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.chart_counts import MapCounts, map_counts
from dashboard.figures import map_lines
from dashboard.figures.map_frame import (
    MapFrame,
    Screen,
    frame_for,
    natural_earth,
    spread_seats,
)
from dashboard.figures.map_lines import line_traces
from dashboard.figures.map_scene import (
    LABEL_FONT_PX,  # noqa: F401  (tests read it here)
    NARROW_MAP_PX,
    NARROW_MARKER_SCALE,
    ORGANISATION_MARKER_PX,
    PLAN_SCALE,
    MapScene,
    actors_of,
    places_of,
)
from dashboard.figures.map_traces import (
    label_traces,
    member_traces,
    organisation_traces,
    seat_traces,
    stance_legend_keys,
    state_marker_traces,
    state_traces,
    target_traces,
)
from dashboard.figures.shapes import SHAPE_RESOLUTION
from dashboard.figures.style import (
    EMPTY_MESSAGE,
    LEGEND_BELOW,
    base_layout,
    escape,
    title_height,
)

__all__ = ["DESKTOP_MAP_WIDTH", "PHONE_MAP_WIDTH", "stance_map_figure"]

# The widths, in pixels, labels are planned for: the main column of the wide layout on a 1280 px screen
# (less the sidebar), and a 390 px phone less the page's padding. Wider screens only add room.
DESKTOP_MAP_WIDTH = 900
PHONE_MAP_WIDTH = 350
# The map's own height follows the frame's shape, within these bounds (pixels).
MAP_AREA_HEIGHT = (150, 560)
# The legend lays its entries out in a grid of cells this wide, so its height can be known in advance.
LEGEND_ENTRY_PX = 132
LEGEND_SYMBOL_PX = 44
LEGEND_CHAR_PX = 6.6  # 13 px Source Sans, a little over its average width
LEGEND_WIDTH_SHARE = 0.8
LEGEND_ROW_PX = 21
# The not-on-the-map note names at most this many actors, then says how many more.
NOT_DRAWN_NAMED = 8


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


def stance_map_figure(
    scored: pd.DataFrame | MapCounts,
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
    `scored` is the records in view, or their MapCounts for `toward` (counted by the query engine).
    """
    title = f"Dominant stance toward {toward}" if toward else "Dominant stance of each actor"
    counts = scored if isinstance(scored, MapCounts) else map_counts(scored, toward, map_lines.MAP_LINK_LIMIT)
    if counts.empty:
        map_frame = frame_for([], whole_world=True)
        figure = go.Figure(layout=_map_layout(title, map_frame, _map_area_height(map_frame, width)))
        figure.add_annotation(
            text=EMPTY_MESSAGE, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": 16}
        )
        return figure

    actors = actors_of(registry)
    dominant = counts.dominant.set_index("actor")
    places = places_of(actors, set(dominant.index) | set(counts.targets))
    map_frame = frame_for(places.values(), whole_world=whole_world)
    area_height = _map_area_height(map_frame, width)
    # Planned a little smaller than drawn: plotly's map came out 3% smaller than this estimate in Chromium,
    # which brought two labels planned 2 px apart into contact; a smaller plan errs on the side of room.
    screen = Screen(map_frame, width * PLAN_SCALE, area_height * PLAN_SCALE)
    seats = [(n, *places[n]) for n in places if actors[n].kind == "organisation"]
    positions = {n: p for n, p in places.items() if actors[n].kind == "state"} | spread_seats(
        seats, screen, ORGANISATION_MARKER_PX * (NARROW_MARKER_SCALE if width < NARROW_MAP_PX else 1.0)
    )
    scene = MapScene(counts, actors, positions, dominant, toward, screen)

    figure = go.Figure(layout=_map_layout(title, map_frame, area_height))
    if shade_members:
        figure.add_traces(member_traces(scene, counts.first_date))
    figure.add_traces(state_traces(scene))
    figure.add_traces(target_traces(scene))
    drawn_lines, unplaced = line_traces(scene)
    figure.add_traces(drawn_lines)
    figure.add_traces(seat_traces(scene, places))
    figure.add_traces(state_marker_traces(scene))
    figure.add_traces(organisation_traces(scene))
    figure.add_traces(stance_legend_keys(figure, scene))
    figure.add_traces(label_traces(scene))
    _legend_grid(figure, width)

    notes = []
    links_in_view = counts.link_total
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

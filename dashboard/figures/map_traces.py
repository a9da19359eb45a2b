"""The world map's traces, one builder per layer: member shading, states by dominant stance, targets, seats,
markers for states too small to see, organisations, labels and the legend's keys."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go

from dashboard.figures.map_scene import LABEL_FONT_PX, MapScene, members_of
from dashboard.figures.shapes import country_shapes
from dashboard.figures.style import (
    FONT_COLOUR,
    escape,
    stance_colour,
    stance_rank,
)
from dashboard.summary import stance_order_for

MEMBER_SHADE_OPACITY = 0.35
# Map legend order: the target outline first, then stances in the fixed order, then organisations.
LEGEND_RANK_TARGET = 10
LEGEND_RANK_STANCE = 100
LEGEND_RANK_ORGANISATION = 300


def flat_colourscale(colour: str) -> list[list[Any]]:
    return [[0, colour], [1, colour]]


def member_traces(scene: MapScene, on_date: str | None) -> list[go.Choropleth]:
    """Organisations' member states, lightly, in the organisation's colour (drawn first, beneath)."""
    own_stance = {scene.actors[a].iso3 for a in scene.states}
    traces = []
    for name in scene.organisations:
        members = [iso for iso in members_of(scene.actors[name], on_date) if iso not in own_stance]
        if members:
            traces.append(_member_shading(name, scene.stance_of[name], members))
    return traces


def state_traces(scene: MapScene) -> list[go.Choropleth]:
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


def target_traces(scene: MapScene) -> list[go.Choropleth | go.Scattergeo]:
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


def _text_and_position(scene: MapScene, names: list[str]) -> tuple[list[str], list[str]]:
    """Per marker, its label and textposition if it has room, else no text (it is named in its hover)."""
    labels = scene.labels
    texts = [scene.label_text(n) if n in labels else "" for n in names]
    return texts, [labels.get(n, "middle right") for n in names]


def seat_traces(scene: MapScene, seats: Mapping[str, tuple[float, float]]) -> list[go.Scattergeo]:
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


def state_marker_traces(scene: MapScene) -> list[go.Scattergeo]:
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


def organisation_traces(scene: MapScene) -> list[go.Scattergeo]:
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


def stance_legend_keys(figure: go.Figure, scene: MapScene) -> list[go.Scattergeo]:
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


def label_traces(scene: MapScene) -> list[go.Scattergeo]:
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

"""Overview: records per actor and stance, as horizontal stacked bars."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.selection import (
    selector,
)
from dashboard.figures.style import (
    CHART_ACTOR_LIMIT,
    CHROME_HEIGHT,
    LEGEND_BELOW,
    ROW_HEIGHT,
    base_layout,
    empty_figure,
    escape,
    note_actors_left_out,
    stance_colour,
    text_colour_on,
    unvalidated_figure,
)
from dashboard.summary import (
    stance_order_for,
)

# Segment counts are written level (never turned sideways in a narrow segment) at this size or not at all.
SEGMENT_TEXT_MIN_PX = 10


# Height for at least this many rows: on a phone the title and the legend wrap and take their room from the
# plot, and with two actors plotly then labelled one bar of the two (a saved event's Overview said "Spain"
# beside Portugal's condemnation).
MIN_CHART_ROWS = 4


def stance_by_actor_figure(scored: pd.DataFrame, limit: int = CHART_ACTOR_LIMIT, title: str | None = None) -> go.Figure:
    """Horizontal stacked bars: records per actor, one trace per stance in the fixed order.

    Each segment is labelled with its count where it fits; its customdata picks its records. Actors are
    ordered by total records, the most at the top; past `limit` actors, the rest are summed up in a note.
    """
    if scored.empty:
        return stance_counts_figure(pd.DataFrame({"actor": [], "stance": [], "records": []}), limit, title)
    frame = pd.DataFrame({"actor": scored["actor"].astype(str), "stance": scored["stance"].fillna("").astype(str)})
    counts = frame.groupby(["actor", "stance"]).size().rename("records").reset_index()
    return stance_counts_figure(counts, limit, title)


def stance_counts_figure(counts: pd.DataFrame, limit: int = CHART_ACTOR_LIMIT, title: str | None = None) -> go.Figure:
    """stance_by_actor_figure from the records per actor and stance (columns actor, stance, records): what a
    query engine hands back, so a million records are never held to draw it."""
    title = title or "Who condemned, warned or supported: records per actor and stance"
    counts = counts[counts["records"] > 0]
    if counts.empty:
        return empty_figure(title)
    totals = counts.groupby("actor")["records"].sum()
    actor_order = sorted(totals.index, key=lambda actor: (-totals[actor], actor))[:limit]
    shown = counts[counts["actor"].isin(actor_order)] if len(totals) > limit else counts
    counts_by_pair = shown.groupby(["stance", "actor"])["records"].sum()
    traces = []
    for stance in stance_order_for(list(shown["stance"].unique())):
        if stance not in counts_by_pair.index.get_level_values(0):
            continue
        per_actor = counts_by_pair.loc[stance]
        actors = [actor for actor in actor_order if actor in per_actor.index]
        values = [int(per_actor[actor]) for actor in actors]
        colour = stance_colour(stance)
        traces.append(
            {
                "type": "bar",
                "name": stance,
                "orientation": "h",
                "x": values,
                "y": actors,
                "customdata": [selector(actor=actor, stance=stance) for actor in actors],
                "marker": {"color": colour, "line": {"color": "#FFFFFF", "width": 1}},
                "text": [str(value) for value in values],  # as plotly's validation would make them
                "texttemplate": "%{text}",
                "textposition": "inside",
                "textangle": 0,
                "insidetextanchor": "middle",
                "textfont": {"color": text_colour_on(colour)},
                "hovertemplate": (
                    f"<b>%{{y}}</b><br>{escape(stance)}: %{{x}} record(s)<br>"
                    "<i>click or box-select for the sentences</i><extra></extra>"
                ),
                "legendgroup": stance,
            }
        )
    layout = base_layout(title, CHROME_HEIGHT + ROW_HEIGHT * max(len(actor_order), MIN_CHART_ROWS))
    layout["legend"] |= LEGEND_BELOW
    x_axis = {"title": {"text": "Records"}, "rangemode": "tozero"}
    if totals.max() <= 12:
        x_axis["dtick"] = 1
    layout |= {
        "barmode": "stack",
        "bargap": 0.25,
        "clickmode": "event+select",
        "uniformtext": {"minsize": SEGMENT_TEXT_MIN_PX, "mode": "hide"},
        "xaxis": x_axis,
        "yaxis": {"categoryorder": "array", "categoryarray": list(reversed(actor_order)), "automargin": True},
    }
    # One constructor call with every trace and the layout (a trace and an update at a time was 4x slower, 80 ms
    # a figure, on every filter change), unvalidated (see unvalidated_figure: redrawn on every stance click).
    figure = unvalidated_figure(traces, layout)
    note_actors_left_out(figure, actor_order, totals)
    return figure

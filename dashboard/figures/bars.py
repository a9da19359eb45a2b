"""Overview: records per actor and stance, as horizontal stacked bars."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.selection import (
    selector,
)
from dashboard.figures.style import (
    CHROME_HEIGHT,
    LEGEND_BELOW,
    ROW_HEIGHT,
    base_layout,
    empty_figure,
    escape,
    stance_colour,
    text_colour_on,
)
from dashboard.summary import (
    stance_order_for,
)


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
                customdata=[selector(actor=actor, stance=stance) for actor in actors],
                marker={"color": colour, "line": {"color": "#FFFFFF", "width": 1}},
                text=counts,
                texttemplate="%{text}",
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": text_colour_on(colour)},
                hovertemplate=(
                    f"<b>%{{y}}</b><br>{escape(stance)}: %{{x}} record(s)<br>"
                    "<i>click or box-select for the sentences</i><extra></extra>"
                ),
                legendgroup=stance,
            )
        )
    layout = base_layout(title, CHROME_HEIGHT + ROW_HEIGHT * len(actor_order))
    layout["legend"] |= LEGEND_BELOW
    figure.update_layout(**layout, barmode="stack", bargap=0.25, clickmode="event+select")
    figure.update_xaxes(title_text="Records", dtick=1 if totals.max() <= 12 else None, rangemode="tozero")
    figure.update_yaxes(
        title_text=None, categoryorder="array", categoryarray=list(reversed(actor_order)), automargin=True
    )
    return figure

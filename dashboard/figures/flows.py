"""Who -> whom: a Sankey from actors to the parties their stances are aimed at."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.chart_counts import FlowLinks, flow_links
from dashboard.figures.selection import (
    selector,
)
from dashboard.figures.style import (
    CHROME_HEIGHT,
    FONT_COLOUR,
    FONT_FAMILY,
    LEGEND_BELOW,
    base_layout,
    empty_figure,
    rgba,
    stance_colour,
    title_height,
)
from dashboard.summary import (
    NO_TARGET_LABEL,
    stance_order_for,
)

# Opacity of Sankey links: 0.8 keeps condemn and warn (vermillion, orange) apart; crossings still show.
LINK_ALPHA = 0.8
# The most bands the Who -> whom Sankey draws (see flows_figure).
FLOW_LINK_LIMIT = 200


def flows_figure(scored: pd.DataFrame | FlowLinks) -> go.Figure:
    """Sankey from actors (left) to targets (right); one link per (actor, target, stance), coloured by
    stance, width = records. Records naming no target flow to a node "(no target)", so every record
    is counted. Link customdata holds the link's selector; the legend names the stances. `scored` is the
    records in view, or their FlowLinks (counted by the query engine)."""
    title = "Who → whom: each band runs from an actor to the party its stance is aimed at"
    if isinstance(scored, pd.DataFrame) and scored.empty:
        return empty_figure(title)
    # Past a few hundred bands a Sankey is unreadable and slow to draw (100k synthetic records: 13.9 s in the
    # browser); the busiest bands are kept and the chart says how many were left out.
    counted = scored if isinstance(scored, FlowLinks) else flow_links(scored, FLOW_LINK_LIMIT)
    if counted.links.empty:
        return empty_figure(title)
    links = counted.links
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
            "color": [rgba(stance_colour(s), LINK_ALPHA) for s in links["stance"]],
            "customdata": [
                selector(actor=a, stance=s, target="" if t == NO_TARGET_LABEL else t)[0]
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
    layout = base_layout(title, height)
    layout["legend"] |= LEGEND_BELOW
    layout["margin"] |= {"t": title_height(title) + 34, "l": 20, "r": 20, "b": 60}
    figure.update_layout(**layout)
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    if counted.bands > len(links):
        left_out = int(counted.pairs - links["records"].sum())
        figure.add_annotation(
            text=(
                f"The {len(links)} busiest of {counted.bands:,} bands ({left_out:,} record-target pairs "
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

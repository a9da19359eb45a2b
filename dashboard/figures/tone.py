"""Tone: TextBlob polarity, diplomatic intensity and subjectivity per record, as beeswarm strips."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.selection import (
    carried,
    record_ids,
)
from dashboard.figures.style import (
    CHART_ACTOR_LIMIT,
    CHROME_HEIGHT,
    LEGEND_BELOW,
    base_layout,
    busiest_actors,
    empty_figure,
    escape,
    note_actors_left_out,
    score_text,
    stance_colour,
    title_height,
    wrapped_quote,
)
from dashboard.summary import (
    stance_order_for,
)

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


def tone_figure(scored: pd.DataFrame, limit: int = CHART_ACTOR_LIMIT) -> go.Figure:
    """Per actor, one mark per record in three panels: TextBlob polarity, our diplomatic intensity and
    TextBlob subjectivity, coloured by stance. Records whose TextBlob sign contradicts the stance are
    ringed in black in the polarity panel. Hover: actor, stance, target, the three scores, the quote.
    Past `limit` actors, the busiest are drawn and the title says how many more there are."""
    title = "Tone: where TextBlob's polarity and the diplomatic intensity disagree"
    if scored.empty:
        return empty_figure(title)
    scores = [score for score, _, _ in TONE_PANELS if score in scored]
    if not scores or scored[scores].apply(pd.to_numeric, errors="coerce").isna().all().all():
        return empty_figure(title, "These records have no tone scores yet")
    shown, all_totals = busiest_actors(scored["actor"], limit)
    frame = scored[scored["actor"].astype(str).isin(shown)] if len(all_totals) > limit else scored
    frame = frame.reset_index(drop=True)
    frame = frame.assign(
        _id=record_ids(frame),
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
                    customdata=[carried([record_id]) for record_id in rows["_id"]],
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
    layout = base_layout(title, max(360, CHROME_HEIGHT + 10 + TONE_ROW_HEIGHT * len(actor_order)))
    layout["legend"] |= LEGEND_BELOW
    layout["margin"] |= {"t": title_height(title) + 34}
    figure.update_layout(**layout, hovermode="closest", clickmode="event+select")
    figure.update_annotations(font={"size": 13})  # subplot titles
    note_actors_left_out(figure, shown, all_totals)
    return figure


def _tone_hover(row: Mapping[str, Any]) -> str:
    target = f" → {escape(row['_target'])}" if row.get("_target") else ""
    cue = f"<br>cue: “{escape(row['cue'])}”" if row.get("cue") else ""
    conflict = "<br><i>TextBlob's sign contradicts the stance</i>" if row.get("_conflict") else ""
    return (
        f"<b>{escape(row['actor'])}</b> · {escape(row['stance'])}{target}<br>"
        f"polarity {score_text(row.get('polarity'))} · intensity {score_text(row.get('intensity'))} · "
        f"subjectivity {score_text(row.get('subjectivity'))}{conflict}{cue}<br>“{wrapped_quote(row.get('text', ''))}”"
    )

"""Compare events: the same charts side by side, and how each actor's stances differ between two events."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard.figures import stance_by_actor_figure
from dashboard.filters import apply_filters
from dashboard.summary import key_figures, summarise_by_actor
from dashboard.views.common import PLOTLY_CONFIG, View, per_view


def stance_differences(left: pd.DataFrame, right: pd.DataFrame, left_name: str, right_name: str) -> pd.DataFrame:
    """Per actor: its dominant stance and records in each event, and whether the dominant stance changed."""
    columns = ["actor", "dominant_stance", "records"]
    merged = summarise_by_actor(left)[columns].merge(
        summarise_by_actor(right)[columns], on="actor", how="outer", suffixes=(f" ({left_name})", f" ({right_name})")
    )
    before, after = merged[f"dominant_stance ({left_name})"], merged[f"dominant_stance ({right_name})"]
    merged["changed"] = before.fillna("—") != after.fillna("—")
    filled = {c: "—" for c in merged.columns if c.startswith("dominant_stance")}
    filled |= {c: 0 for c in merged.columns if c.startswith("records")}
    merged = merged.fillna(filled)
    for column in (c for c in merged.columns if c.startswith("records")):
        merged[column] = merged[column].astype(int)
    return merged.sort_values("actor", ignore_index=True)


def render(view: View) -> None:
    st.title("Compare events")
    events = view.data.options["event"]
    if len(events) < 2:
        st.info("Only one event is loaded. Add an article or upload records to compare two events side by side.")
        return
    pick_left, pick_right = st.columns(2)
    left_event = pick_left.selectbox("Event", events, index=0, key="compare_left")
    right_event = pick_right.selectbox("Against", events, index=1, key="compare_right")
    if left_event == right_event:
        st.info("Pick two different events to compare.")
        return
    # The sidebar's other filters apply to both sides; only the event differs.
    records = apply_filters(view.data.scored, replace(view.state, event=""))
    sides = {event: records[records["event"] == event] for event in (left_event, right_event)}
    for column, (event, side) in zip(st.columns(2), sides.items(), strict=True):
        figures = key_figures(side)
        column.subheader(event)
        metrics = column.columns(3)
        metrics[0].metric("Records", figures["records"])
        metrics[1].metric("Actors", figures["actors"])
        metrics[2].metric("Hostile share", f"{figures['hostile_share']:.0%}" if figures["records"] else "—")
        figure = per_view(view, "compare_stance_by_actor", lambda side=side: stance_by_actor_figure(side), event)
        column.plotly_chart(figure, key=f"compare_chart_{event}", config=PLOTLY_CONFIG, width="stretch")
    st.subheader("How each actor's stance differs")
    st.dataframe(
        stance_differences(sides[left_event], sides[right_event], left_event, right_event),
        hide_index=True,
        width="stretch",
    )

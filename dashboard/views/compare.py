"""Compare events: the same charts side by side, and how each actor's stances differ between two events."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard import codebook
from dashboard.figures import PHONE_MAP_WIDTH, stance_by_actor_figure, stance_map_figure
from dashboard.figures.bars import stance_counts_figure
from dashboard.summary import summarise_by_actor
from dashboard.views.common import PLOTLY_CONFIG, View, per_view
from dashboard.views.map_view import on_a_phone
from dashboard.views.measures import (
    view_actor_summary,
    view_key_figures,
    view_map_counts,
)

# Half of the wide layout's main column: what each side's map plans its labels for on a desktop.
HALF_PAGE_MAP_WIDTH = 520


def stance_mix(summary: pd.DataFrame) -> pd.Series:
    """Per actor, its records per stance in one cell, in the fixed order: "condemn 2 · warn 1"."""
    stances = [s for s in codebook.stances() if s in summary.columns]
    return summary.apply(lambda row: " · ".join(f"{s} {row[s]}" for s in stances if row[s]), axis=1)


def stance_differences(left: pd.DataFrame, right: pd.DataFrame, left_name: str, right_name: str) -> pd.DataFrame:
    """Per actor: its dominant stance, records and stance mix in each event, whether the dominant stance
    changed, and whether the mix did (same dominant stance, other proportions)."""
    return summary_differences(summarise_by_actor(left), summarise_by_actor(right), left_name, right_name)


def summary_differences(left: pd.DataFrame, right: pd.DataFrame, left_name: str, right_name: str) -> pd.DataFrame:
    """stance_differences from each event's summarise_by_actor table (what the query engine gives)."""
    columns = ["actor", "dominant_stance", "records", "stances"]
    sides = []
    for summary in (left, right):
        sides.append(summary.assign(stances=stance_mix(summary) if len(summary) else "")[columns])
    merged = sides[0].merge(sides[1], on="actor", how="outer", suffixes=(f" ({left_name})", f" ({right_name})"))
    before, after = merged[f"dominant_stance ({left_name})"], merged[f"dominant_stance ({right_name})"]
    merged["changed"] = before.fillna("—") != after.fillna("—")
    merged["mix_changed"] = merged[f"stances ({left_name})"].fillna("") != merged[f"stances ({right_name})"].fillna("")
    filled = {c: "—" for c in merged.columns if c.startswith(("dominant_stance", "stances"))}
    filled |= {c: 0 for c in merged.columns if c.startswith("records")}
    merged = merged.fillna(filled)
    for column in (c for c in merged.columns if c.startswith("records")):
        merged[column] = merged[column].astype(int)
    return merged.sort_values("actor", ignore_index=True)


def event_view(view: View, event: str) -> View:
    """The view of one event: the sidebar's other filters, and this event instead of the sidebar's."""
    state = replace(view.state, event=event)
    return View(data=view.data, state=state, key=(view.data.key, state))


def side_stance_figure(side: View):
    """The Overview's chart of records per actor and stance for one side, from counts when a store holds them."""
    title = "Records per actor and stance"  # half a page wide: the Overview's long title would be cut off
    if side.data.store is not None:
        return stance_counts_figure(side.data.store.distinct(side.state, ("actor", "stance")), title=title)
    return stance_by_actor_figure(side.records, title=title)


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
    # The sidebar's other filters apply to both sides; only the event differs. Each side's figures, chart and
    # map come from the measures the other pages use: from a large library, a few grouped queries each.
    sides = {event: event_view(view, event) for event in (left_event, right_event)}
    width = PHONE_MAP_WIDTH if on_a_phone() else HALF_PAGE_MAP_WIDTH
    for column, (event, side) in zip(st.columns(2), sides.items(), strict=True):
        figures = view_key_figures(side)
        column.subheader(event)
        metrics = column.columns(3)
        metrics[0].metric("Records", figures["records"])
        metrics[1].metric("Actors", figures["actors"])
        metrics[2].metric("Hostile share", f"{figures['hostile_share']:.0%}" if figures["records"] else "—")
        figure = per_view(side, "compare_stance_by_actor", lambda side=side: side_stance_figure(side))
        column.plotly_chart(figure, key=f"compare_chart_{event}", config=PLOTLY_CONFIG, width="stretch")
        counts = view_map_counts(side, None)
        world = per_view(
            side, "compare_map", lambda counts=counts: stance_map_figure(counts, view.data.registry, width=width), width
        )
        column.plotly_chart(world, key=f"compare_map_{event}", config=PLOTLY_CONFIG, width="stretch")
    st.subheader("How each actor's stance differs")
    differences = per_view(
        view,
        "compare_differences",
        lambda: summary_differences(
            view_actor_summary(sides[left_event]), view_actor_summary(sides[right_event]), left_event, right_event
        ),
        left_event,
        right_event,
    )
    st.dataframe(
        differences, hide_index=True, width="stretch", column_config=difference_headers(left_event, right_event)
    )


def difference_headers(left_name: str, right_name: str) -> dict[str, str]:
    """Column headers a reader understands for the differences table (its columns keep their names)."""
    headers = {"actor": "Actor", "changed": "Dominant stance changed", "mix_changed": "Stance mix changed"}
    for name in (left_name, right_name):
        headers |= {
            f"dominant_stance ({name})": f"Dominant stance ({name})",
            f"records ({name})": f"Records ({name})",
            f"stances ({name})": f"Stances ({name})",
        }
    return headers

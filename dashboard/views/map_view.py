"""Map: states by dominant stance, organisations at their seat, lines from each actor to its targets."""

from __future__ import annotations

import streamlit as st

from dashboard.figures import DESKTOP_MAP_WIDTH, PHONE_MAP_WIDTH, stance_map_figure
from dashboard.views.common import PLOTLY_CONFIG, View, per_view, show_empty_notice
from dashboard.views.evidence import show_selected_evidence
from dashboard.views.measures import view_map_counts, view_target_names

OVERALL = "Overall (any target)"
# A phone says so in its User-Agent ("Mobile" on iOS and Android phones; "Mobi" is Mozilla's advice).
PHONE_AGENT_MARKS = ("Mobi", "iPhone", "Android")


def on_a_phone() -> bool:
    """Whether the reader's browser is a phone's, from its User-Agent: the map then plans its labels and
    markers for a 390 px screen. Streamlit cannot tell a page's width, so this is the best cue there is."""
    try:
        agent = st.context.headers.get("User-Agent", "") or ""
    except Exception:  # no browser behind this run (AppTest): plan for a desktop
        return False
    return any(mark in agent for mark in PHONE_AGENT_MARKS)


def map_width() -> int:
    """The width in pixels the map plans its labels for."""
    return PHONE_MAP_WIDTH if on_a_phone() else DESKTOP_MAP_WIDTH


def render(view: View) -> None:
    st.title("Map")
    st.caption(
        "States are coloured by their dominant stance; states too small to see are circles; organisations "
        "are squares at their seat. Lines run from each actor to the party its stance is aimed at. Labels "
        "name the actors with most records where there is room: hover or tap for the others."
    )
    if show_empty_notice(view):
        return
    targets = view_target_names(view)
    left, right = st.columns([2, 1])
    # Bound to the URL like the sidebar filters, so a map view can be bookmarked and shared.
    toward = left.selectbox("Dominant stance toward", [OVERALL, *targets], key="toward", bind="query-params")
    world = right.toggle(
        "Whole world",
        key="world",
        bind="query-params",
        help="The map frames the actors in view; switch this on to see the whole world instead.",
    )
    shade = right.toggle(
        "Shade member states of organisations",
        key="members",
        bind="query-params",
        help="Tints each member state in its organisation's colour: membership, not a stance of that state.",
    )
    chosen = None if toward == OVERALL else toward
    # The map's numbers for this view (from a large library, a few queries): the figure is drawn from them.
    counts = view_map_counts(view, chosen)
    width = map_width()
    figure = per_view(
        view,
        "map",
        lambda: stance_map_figure(
            counts, view.data.registry, toward=chosen, shade_members=shade, whole_world=world, width=width
        ),
        chosen,
        shade,
        world,
        width,
    )
    event = st.plotly_chart(
        figure, key="chart_map", on_select="rerun", selection_mode="points", config=PLOTLY_CONFIG, width="stretch"
    )
    show_selected_evidence(
        event,
        view,
        "Click a country, a seat marker or a line's midpoint to read its records.",
    )
    st.dataframe(
        counts.dominant,
        hide_index=True,
        width="stretch",
        column_config={
            "actor": "Actor",
            "dominant_stance": "Dominant stance",
            "records": st.column_config.NumberColumn("Records"),
            "targets": "Toward",
        },
    )

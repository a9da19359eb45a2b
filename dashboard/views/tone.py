"""Tone: TextBlob polarity and subjectivity beside our diplomatic intensity, per actor, quote on hover."""

from __future__ import annotations

import streamlit as st

from dashboard.figures import tone_figure
from dashboard.views.common import PLOTLY_CONFIG, View, per_view, show_empty_notice
from dashboard.views.evidence import show_selected_evidence
from dashboard.views.measures import view_tone_conflicts, view_tone_sample

CONFLICT_ROW_LIMIT = 1000


def render(view: View) -> None:
    st.title("Tone")
    st.caption(
        "TextBlob polarity is a general-purpose tone score (−1 to +1) shown for what it is: it reads "
        '"great concern" as positive and "condemnation" or "heinous" as neutral. Diplomatic intensity '
        "(−1 hostile to +1 cordial) comes from the stance cue ladder. Hover a mark for the quote."
    )
    if show_empty_notice(view):
        return
    records = view_tone_sample(view)
    if len(records) < view.count:
        st.caption(f"Drawing a random sample of {len(records):,} of {view.count:,} records.")
    event = st.plotly_chart(
        per_view(view, "tone", lambda: tone_figure(records)),
        key="chart_tone",
        on_select="rerun",
        selection_mode=("points", "box", "lasso"),
        config=PLOTLY_CONFIG,
        width="stretch",
    )
    show_selected_evidence(event, view, "Click, box- or lasso-select marks to read them.")
    total, conflicts = view_tone_conflicts(view, CONFLICT_ROW_LIMIT)
    st.subheader(f"Where TextBlob's sign contradicts the stance ({total:,})")
    st.dataframe(
        conflicts[["actor", "stance", "target", "polarity", "intensity", "cue", "text"]],
        hide_index=True,
        width="stretch",
        column_config={
            "actor": "Actor",
            "stance": "Stance",
            "target": "Toward",
            "cue": "Cue",
            "polarity": st.column_config.NumberColumn("TextBlob polarity", format="%+.2f"),
            "intensity": st.column_config.NumberColumn("Intensity", format="%+.2f"),
            "text": st.column_config.TextColumn("Quote", width="large"),
        },
    )

"""Who → whom: actor-to-target flows coloured by stance, and the per-target table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.figures import flows_figure
from dashboard.summary import summarise_by_target
from dashboard.views.common import PLOTLY_CONFIG, View, show_empty_notice


# cache_resource, not cache_data: an unpickled copy of a plotly figure serialises its layout in another
# order, so Streamlit would take it for a new chart and drop the reader's selection on the rerun.
@st.cache_resource(show_spinner=False, max_entries=64)
def cached_flows_figure(records: pd.DataFrame):
    return flows_figure(records)


def render(view: View) -> None:
    st.title("Who → whom")
    st.caption("Each band runs from the actor that reacted to the party its stance is aimed at; width = records.")
    if show_empty_notice(view):
        return
    st.plotly_chart(cached_flows_figure(view.records), key="chart_flows", config=PLOTLY_CONFIG, width="stretch")
    st.subheader("Toward each target: who took which stance")
    st.dataframe(
        summarise_by_target(view.records),
        hide_index=True,
        width="stretch",
        column_config={"target": "Toward", "stance": "Stance", "records": "Records", "actors": "Actors"},
    )

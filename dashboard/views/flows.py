"""Who → whom: actor-to-target flows coloured by stance, and the per-target table."""

from __future__ import annotations

import streamlit as st

from dashboard.figures import flows_figure
from dashboard.views.common import PLOTLY_CONFIG, View, per_view, show_empty_notice
from dashboard.views.measures import view_by_target, view_flow_links


def render(view: View) -> None:
    st.title("Who → whom")
    st.caption("Each band runs from the actor that reacted to the party its stance is aimed at; width = records.")
    if show_empty_notice(view):
        return
    figure = per_view(view, "flows", lambda: flows_figure(view_flow_links(view)))
    st.plotly_chart(figure, key="chart_flows", config=PLOTLY_CONFIG, width="stretch")
    st.subheader("Toward each target: who took which stance")
    st.dataframe(
        view_by_target(view),
        hide_index=True,
        width="stretch",
        column_config={"target": "Toward", "stance": "Stance", "records": "Records", "actors": "Actors"},
    )

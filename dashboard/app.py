"""Diplomatic Reactions: the Streamlit entry point. Reads like the page's table of contents.

Caching lives here, at the edge, around the pure functions: a rerun whose inputs did not change
recomputes nothing.
"""

from __future__ import annotations

import streamlit as st

from dashboard.errors import ReactionsError
from dashboard.views.common import View, cached_filtered, cached_view_data, publish_view, sidebar_filters

st.set_page_config(page_title="Diplomatic Reactions", page_icon="🌐", layout="wide")

try:
    data = cached_view_data()
except ReactionsError as exc:  # a broken data file: say which and where, keep the page alive
    st.error(f"The shipped data could not be loaded. {exc}")
    st.stop()

state = sidebar_filters(data.options)
publish_view(View(data=data, state=state, records=cached_filtered(state)))


navigation = st.navigation(
    [
        st.Page(
            "screens/overview.py", title="Overview", icon=":material/bar_chart:", url_path="overview", default=True
        ),
        st.Page("screens/map_view.py", title="Map", icon=":material/public:", url_path="map"),
        st.Page("screens/tone.py", title="Tone", icon=":material/tune:", url_path="tone"),
        st.Page("screens/flows.py", title="Who → whom", icon=":material/swap_horiz:", url_path="flows"),
        st.Page("screens/evidence.py", title="Evidence", icon=":material/format_quote:", url_path="evidence"),
        st.Page("screens/downloads.py", title="Downloads", icon=":material/download:", url_path="downloads"),
        st.Page("screens/method.py", title="Method", icon=":material/menu_book:", url_path="method"),
    ]
)
navigation.run()

"""Diplomatic Reactions: the Streamlit entry point. Reads like the page's table of contents.

Caching lives here, at the edge, around the pure functions: a rerun whose inputs did not change
recomputes nothing.
"""

from __future__ import annotations

import streamlit as st

from dashboard.errors import ReactionsError
from dashboard.views import overview
from dashboard.views.common import (
    View,
    cached_view_data,
    data_dir,
    publish_view,
    rerun_data,
)
from dashboard.views.sidebar import sidebar_filters

st.set_page_config(page_title="Diplomatic Reactions", page_icon="🌐", layout="wide")

folder = str(data_dir())
try:
    cached_view_data(folder)
except ReactionsError as exc:  # a broken data file: say which file, row and field; keep the page alive
    problems = getattr(exc, "problems", [])
    st.error(
        f"The data could not be loaded from `{getattr(exc, 'path', folder)}`. "
        + ("Fix these and reload:\n\n" + "\n".join(f"- {p}" for p in problems) if problems else str(exc))
    )
    st.stop()

data = rerun_data(folder)
state = sidebar_filters(data.options)
publish_view(View(data=data, state=state, key=(data.key, state)))


navigation = st.navigation(
    [
        st.Page("screens/overview.py", title="Overview", icon=":material/bar_chart:", url_path="home", default=True),
        # The default page lives at /; /overview (what people type, and old links) shows it too, off the menu.
        st.Page(overview.render_current_view, title="Overview", url_path="overview", visibility="hidden"),
        st.Page("screens/map_view.py", title="Map", icon=":material/public:", url_path="map"),
        st.Page("screens/tone.py", title="Tone", icon=":material/tune:", url_path="tone"),
        st.Page("screens/flows.py", title="Who → whom", icon=":material/swap_horiz:", url_path="flows"),
        st.Page("screens/evidence.py", title="Evidence", icon=":material/format_quote:", url_path="evidence"),
        st.Page("screens/downloads.py", title="Downloads", icon=":material/download:", url_path="downloads"),
        st.Page("screens/add_article.py", title="Add an article", icon=":material/post_add:", url_path="add"),
        st.Page("screens/upload.py", title="Upload records", icon=":material/upload_file:", url_path="upload"),
        st.Page("screens/compare.py", title="Compare events", icon=":material/compare:", url_path="compare"),
        st.Page("screens/library.py", title="Library", icon=":material/collections_bookmark:", url_path="library"),
        st.Page("screens/method.py", title="Method", icon=":material/menu_book:", url_path="method"),
    ]
)
navigation.run()

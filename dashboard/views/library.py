"""Library: the events every visitor sees (shipped and stored), to open one or compare two."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.library import LIBRARY_VARIABLE, READ_ONLY_VARIABLE, knowledge_versions, read_only
from dashboard.views.common import View, current_library, data_dir, plain

COMPARE_PICK_KEY = "library_compare"


def event_table(view: View, state) -> pd.DataFrame:
    """One row per event: the shipped ones first, then the library's, by slug."""
    rows = []
    scored = view.data.scored
    stored = {info.slug for info in state.events}
    current = knowledge_versions(data_dir())
    now = f"codebook {current['codebook']}, lexicon {current['lexicon']}"
    for slug, article in sorted(view.data.articles.items()):
        if slug in stored or slug not in view.data.options["event"]:
            continue  # a library event (below), or an article of this session only
        of_event = scored[scored["event"] == slug]
        rows.append(
            {
                "event": slug,
                "title": article.title,
                "date": article.date,
                "records": len(of_event),
                "actors": len(of_event["actor"].unique()),
                "who": ", ".join(sorted(of_event["actor"].unique())),
                "where": "shipped with the dashboard",
                "scored with": f"{now} (scored at start)",
            }
        )
    for info in state.events:
        stale = info.lexicon_version != current["lexicon"] or info.codebook_version != current["codebook"]
        rows.append(
            {
                "event": info.slug,
                "title": info.title or info.source,
                "date": info.date,
                "records": info.records,
                "actors": len(info.actors),
                "who": ", ".join(info.actors),
                "where": f"library, saved {info.saved_at.replace('T', ' ').removesuffix('Z')} UTC",
                "scored with": f"codebook {info.codebook_version}, lexicon {info.lexicon_version}"
                + (f" (not the current {now}: `reactions library rescore`)" if stale else ""),
            }
        )
    # The long list of actors last: the columns a reader compares (versions, where) stay on screen.
    return pd.DataFrame(rows, columns=["event", "title", "date", "records", "actors", "scored with", "where", "who"])


# A link's label does not wrap: on a phone a long title pushed the record count off the screen. The table above
# has the whole title.
LINK_TITLE_CHARACTERS = 28


def short_title(title: str) -> str:
    """A title short enough for a link on a phone: cut at a word, with an ellipsis."""
    if not title:
        return "untitled"
    if len(title) <= LINK_TITLE_CHARACTERS:
        return title
    cut = title[: LINK_TITLE_CHARACTERS + 1].rsplit(" ", 1)[0] if " " in title[:LINK_TITLE_CHARACTERS] else title
    return cut[:LINK_TITLE_CHARACTERS].rstrip(" ,;:.—-") + "…"


def open_for_comparison() -> None:
    # Read from the pickers at click time (arguments bound when the button was drawn would be the old picks).
    st.session_state["compare_left"] = st.session_state[f"{COMPARE_PICK_KEY}_left"]
    st.session_state["compare_right"] = st.session_state[f"{COMPARE_PICK_KEY}_right"]


def render(view: View) -> None:
    st.title("Library")
    state, _ = current_library(str(data_dir()))
    st.caption(
        "The events every visitor sees: the one shipped with the dashboard and those saved to the library (from "
        "the Upload and Add an article pages, or `reactions library add FILE --event SLUG`). A change made by the "
        "command line shows here on the next page load."
    )
    if state.error:
        st.error(f"The library cannot be read: {state.error}")
    for skipped in state.skipped:
        st.warning(f"Skipped `{skipped.path}` in the library folder: {plain(skipped.reason)}.")
    table = event_table(view, state)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "records": st.column_config.NumberColumn("records", format="%d"),
            "actors": st.column_config.NumberColumn("actors", format="%d"),
        },
    )
    events = table["event"].tolist()
    st.subheader("Open an event")
    for row in table.itertuples():
        st.page_link(
            "screens/overview.py",
            label=f"{row.event} — {short_title(row.title)} ({row.records:,} records)",
            query_params={"event": row.event},
            icon=":material/open_in_new:",
        )
    if len(events) >= 2:
        st.subheader("Compare two events")
        left, right = st.columns(2)
        left.selectbox("Event", events, index=0, key=f"{COMPARE_PICK_KEY}_left")
        right.selectbox("Against", events, index=1, key=f"{COMPARE_PICK_KEY}_right")
        if st.button("Compare them", key=f"{COMPARE_PICK_KEY}_go", on_click=open_for_comparison):
            st.switch_page("screens/compare.py")
    where = f"`{state.root}`" if state.root else "not available"
    mode = "read-only on this server" if read_only() else "open to saving"
    st.caption(
        f"The library lives in {where} ({mode}). Set `{LIBRARY_VARIABLE}` to move it and "
        f"`{READ_ONLY_VARIABLE}=1` to make it read-only for the app; the command line still writes to it."
    )

"""The sidebar's filters: each widget mirrors its value in the URL, so a view can be bookmarked and shared."""

from __future__ import annotations

import streamlit as st

from dashboard import codebook
from dashboard.filters import POLARITY_RANGE, URL_LIST_FILTERS, FilterState, describe_ignored, ignored_url_values
from dashboard.views.common import ALL_EVENTS, plain


def reset_filters() -> None:
    defaults = {"event": ALL_EVENTS, "actor": [], "stance": [], "target": [], "mode": [], "polarity": POLARITY_RANGE}
    defaults["q"] = ""
    for key, value in defaults.items():
        st.session_state[key] = value


def secondary_filters_set(modes: list[str], polarity: tuple[float, float]) -> str:
    """The popover's filters that narrow the view, in words ("" when neither does)."""
    parts = []
    if modes:
        parts.append("mode " + ", ".join(modes))
    if tuple(float(value) for value in polarity) != POLARITY_RANGE:
        parts.append(f"TextBlob polarity {polarity[0]:+.2f} to {polarity[1]:+.2f}")
    return "; ".join(parts)


def sidebar_filters(options: dict[str, list[str]]) -> FilterState:
    """The filter widgets; each one mirrors its value in the URL so a view can be bookmarked and shared."""
    asked = st.query_params.get("event", "")
    if asked and asked != ALL_EVENTS and asked not in options["event"]:
        # A link to an event that is not here (removed from the library, or mistyped): say so, never pass
        # another event's records off as it.
        st.warning(
            f"There is no event '{plain(asked)}' here: it may have been removed from the library, its file may be "
            "damaged (the Library page names the files it skipped), or the link is mistyped. Showing all events; "
            "the Library page lists them."
        )
    # The widgets bound to the URL drop values they do not offer, and the URL with them: name what was dropped.
    asked = {name: st.query_params.get_all(name) for name in URL_LIST_FILTERS}
    ignored = ignored_url_values(asked, {**options, "stance": list(codebook.stances())})
    if ignored:
        st.warning(
            f"The link asked for filter values that are not in the data, so they were left out: "
            f"{plain(describe_ignored(ignored))}. Showing the view without them."
        )
    with st.sidebar:
        st.header("Filters")
        event = st.selectbox("Event", [ALL_EVENTS, *options["event"]], key="event", bind="query-params")
        actors = st.multiselect("Actor", options["actor"], key="actor", bind="query-params", placeholder="All actors")
        stances = st.multiselect(
            "Stance", list(codebook.stances()), key="stance", bind="query-params", placeholder="All stances"
        )
        targets = st.multiselect(
            "Toward (target)", options["target"], key="target", bind="query-params", placeholder="All targets"
        )
        # Mode and TextBlob's tone are the filters reached for least. In a popover their widgets are drawn only
        # when it is opened: the tone slider and its formatting scripts were a tenth of a second of a first
        # visit's page in the browser. A caption under it says when either narrows the view.
        with st.popover("More filters: mode, tone", width="stretch"):
            modes = st.multiselect(
                "Mode", options["mode"], key="mode", bind="query-params", placeholder="Verbal and material"
            )
            polarity = st.slider(
                "TextBlob polarity",
                min_value=POLARITY_RANGE[0],
                max_value=POLARITY_RANGE[1],
                value=POLARITY_RANGE,
                step=0.05,
                key="polarity",
                bind="query-params",
                help="TextBlob's general-purpose tone, −1 to +1. It misreads diplomatic language; see Method.",
            )
        hidden_filters = secondary_filters_set(modes, polarity)
        if hidden_filters:
            st.caption(f"Set under More filters: {plain(hidden_filters)}")
        text = st.text_input("Search quotes", key="q", bind="query-params", placeholder="e.g. warships, Lavrov")
        st.button("Reset filters", on_click=reset_filters, width="stretch")
        st.caption("The filters live in the URL: bookmark or share it to keep this view.")
    return FilterState(
        event="" if event == ALL_EVENTS else event,
        actors=tuple(actors),
        stances=tuple(stances),
        targets=tuple(targets),
        modes=tuple(modes),
        polarity=(float(polarity[0]), float(polarity[1])),
        text=text or "",
    )

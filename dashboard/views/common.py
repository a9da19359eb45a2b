"""What every page shares: the cached data, the sidebar filters bound to the URL, and small display helpers."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import DATA_DIR
from dashboard.codebook import STANCES
from dashboard.filters import POLARITY_RANGE, FilterState, apply_filters, filter_options
from dashboard.records import content_token, load_articles, load_curated_records
from dashboard.registry import Registry
from dashboard.scoring import Resources, load_resources, score_records

ALL_EVENTS = "All events"
DATA_DIR_VARIABLE = "REACTIONS_DATA_DIR"
# Passed to every st.plotly_chart: the map's country shapes come from our own server, never a CDN.
PLOTLY_CONFIG = {"topojsonURL": "/app/static/", "displaylogo": False}
FILTER_KEYS = ("event", "actor", "stance", "target", "mode", "polarity", "q")


@dataclass(frozen=True)
class ViewData:
    """Everything loaded once per server: the scored curated records and the knowledge they were scored with."""

    scored: pd.DataFrame
    registry: Registry
    articles: dict
    options: dict[str, list[str]]


@dataclass(frozen=True)
class View:
    """One rerun's view: the data, the filter state, and the records that pass it."""

    data: ViewData
    state: FilterState
    records: pd.DataFrame
    # What determines `records`: the data folder, the session's added-records token and the filter state.
    # Caches key on it rather than on the frame, which Streamlit would hash on every rerun (1M rows: seconds).
    key: tuple


def per_view(view: View, name: str, compute, *extra):
    """`compute()` once per view, named computation and extra arguments, shared by every session asking
    for the same view. The result is shared, never copied: the pure functions never mutate, nor may callers.
    cache_resource, not cache_data: an unpickled copy of a plotly figure serialises its layout in another
    order, so Streamlit would take it for a new chart and drop the reader's selection on the rerun."""
    return _per_view(view.key, name, extra, compute)


@st.cache_resource(show_spinner=False, max_entries=256)
def _per_view(view_key: tuple, name: str, extra: tuple, _compute):
    return _compute()


def publish_view(view: View) -> None:
    """Hand this rerun's view from app.py (which owns the sidebar) to the page script that runs next."""
    st.session_state["_view"] = view


def current_view() -> View:
    return st.session_state["_view"]


def data_dir() -> Path:
    """The data folder: the shipped one, or REACTIONS_DATA_DIR (how tests show a broken file to the app)."""
    return Path(os.environ.get(DATA_DIR_VARIABLE) or DATA_DIR)


@st.cache_resource(show_spinner=False)
def cached_resources(folder: str) -> Resources:
    return load_resources(Path(folder))


@st.cache_resource(show_spinner="Scoring the records…")
def cached_view_data(folder: str) -> ViewData:
    resources = cached_resources(folder)
    scored = score_records(load_curated_records(resources.registry, Path(folder)), resources)
    return ViewData(
        scored=scored, registry=resources.registry, articles=load_articles(Path(folder)), options=filter_options(scored)
    )


# This session's accepted records (from "Add an article" and "Upload records"): scored records, a token naming their content, and
# the articles they were cut from. They live in the session only; nothing is written under data/.
ADDED_RECORDS_KEY = "added_records"
ADDED_TOKEN_KEY = "added_token"
ADDED_ARTICLES_KEY = "added_articles"
# New actors the user kept, with the country code their file gave (name -> ISO alpha-3), for the map.
ADDED_ACTORS_KEY = "added_actors"


# Below this many records scoring takes about a second at most, so no progress bar.
PROGRESS_BAR_FROM = 1000


def score_with_progress(records: pd.DataFrame, folder: str) -> pd.DataFrame:
    """Score records on the way in, with a progress bar for long files. One call for the whole file, so each
    distinct (text, actor) is read once (scoring in chunks read a sentence again in every chunk: 10x slower)."""
    resources = cached_resources(folder)
    if len(records) < PROGRESS_BAR_FROM:
        return score_records(records, resources)
    bar = st.progress(0.0, text=f"Scoring {len(records):,} records…")

    def advance(done: int, total: int) -> None:
        bar.progress(done / total, text=f"Read {done:,} of {total:,} distinct sentences (per actor)")

    scored = score_records(records, resources, progress=advance)
    bar.empty()
    return scored


def add_session_records(records: pd.DataFrame, article) -> None:
    """Join accepted, scored records to this session's data (replacing earlier ones of the same event)."""
    kept = st.session_state.get(ADDED_RECORDS_KEY)
    if kept is not None:
        kept = kept[kept["event"] != article.event]
    combined = records if kept is None or kept.empty else pd.concat([kept, records], ignore_index=True)
    st.session_state[ADDED_RECORDS_KEY] = combined.reset_index(drop=True)
    st.session_state[ADDED_TOKEN_KEY] = content_token(combined)
    st.session_state.setdefault(ADDED_ARTICLES_KEY, {})[article.event] = article


def session_records() -> tuple[pd.DataFrame | None, str]:
    return st.session_state.get(ADDED_RECORDS_KEY), st.session_state.get(ADDED_TOKEN_KEY, "")


# Keyed by the content token, not the frame, so a rerun does not hash the records again; cache_resource
# hands back the same frame without a copy (every step after it is pure and never mutates it).
@st.cache_resource(show_spinner=False, max_entries=64)
def cached_scored(folder: str, added_token: str, _added: pd.DataFrame | None) -> pd.DataFrame:
    shipped = cached_view_data(folder).scored
    if not added_token or _added is None or _added.empty:
        return shipped
    return pd.concat([shipped, _added], ignore_index=True)


# cache_resource: the same frame back, not an unpickled copy (cache_data copied a million rows per rerun and
# held a pickled copy per view: 7 GB peak at 1M records). Few entries: a view of everything is the data itself.
@st.cache_resource(show_spinner=False, max_entries=32)
def cached_filtered(folder: str, added_token: str, state: FilterState, _scored: pd.DataFrame) -> pd.DataFrame:
    return apply_filters(_scored, state)


def rerun_data(folder: str) -> ViewData:
    """The shipped data, plus whatever this session added."""
    shipped = cached_view_data(folder)
    added, token = session_records()
    if not token:
        return shipped
    scored = cached_scored(folder, token, added)
    articles = {**shipped.articles, **st.session_state.get(ADDED_ARTICLES_KEY, {})}
    registry = cached_registry(folder, tuple(sorted(st.session_state.get(ADDED_ACTORS_KEY, {}).items())))
    return ViewData(scored=scored, registry=registry, articles=articles, options=cached_options(folder, token, scored))


@st.cache_resource(show_spinner=False, max_entries=64)
def cached_registry(folder: str, new_states: tuple[tuple[str, str], ...]):
    return cached_resources(folder).registry.with_new_states(dict(new_states))


# Keyed by the session token: the options of a million records took 1.2 s, on every rerun before.
@st.cache_resource(show_spinner=False, max_entries=64)
def cached_options(folder: str, added_token: str, _scored: pd.DataFrame) -> dict[str, list[str]]:
    return filter_options(_scored)


def reset_filters() -> None:
    defaults = {"event": ALL_EVENTS, "actor": [], "stance": [], "target": [], "mode": [], "polarity": POLARITY_RANGE}
    defaults["q"] = ""
    for key, value in defaults.items():
        st.session_state[key] = value


def sidebar_filters(options: dict[str, list[str]]) -> FilterState:
    """The filter widgets; each one mirrors its value in the URL so a view can be bookmarked and shared."""
    with st.sidebar:
        st.header("Filters")
        event = st.selectbox("Event", [ALL_EVENTS, *options["event"]], key="event", bind="query-params")
        actors = st.multiselect("Actor", options["actor"], key="actor", bind="query-params", placeholder="All actors")
        stances = st.multiselect("Stance", list(STANCES), key="stance", bind="query-params", placeholder="All stances")
        targets = st.multiselect(
            "Toward (target)", options["target"], key="target", bind="query-params", placeholder="All targets"
        )
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


# Every character Markdown gives a meaning to. Escaped in names and file names from users' files, so a name
# like "![x](http://example.org/x.png)" is shown as written, never fetched as an image or followed as a link.
MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: object) -> str:
    """`text` for st.markdown, st.write and captions: shown exactly as written, no Markdown interpreted."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(str(text).split()))


def stance_label(stance: str) -> str:
    """A stance as people read it ("call_for" -> "call for"); the code stays in data and URLs."""
    return stance.replace("_", " ")


def show_empty_notice(view: View) -> bool:
    """Tell the reader nothing matched and how to widen the view; True when there is nothing to show."""
    if len(view.records):
        return False
    st.info("No records match the filters. Widen them in the sidebar, or press **Reset filters**.")
    return True

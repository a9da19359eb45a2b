"""What every page shares: the cached data, the sidebar filters bound to the URL, and small display helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import knowledge_dir
from dashboard.errors import ReactionsError
from dashboard.filters import (
    NO_TARGET,
    FilterState,
    apply_filters,
    filter_options,
)
from dashboard.library import (
    APP_COLUMNS,
    EventInfo,
    Library,
    ReadOnlyLibraryError,
    SkippedFile,
    knowledge_versions,
    library_root,
    read_only,
)
from dashboard.query import QUERY_FROM_ROWS, RecordQuery, RecordStore, is_unfiltered
from dashboard.records import Article, content_token, load_articles, load_curated_records
from dashboard.registry import Registry
from dashboard.scoring import Resources, load_resources, score_records
from dashboard.seed_cache import stored_seed_scores

ALL_EVENTS = "All events"
# Passed to every st.plotly_chart: the map's country shapes come from our own server, never a CDN.
PLOTLY_CONFIG = {"topojsonURL": "/app/static/", "displaylogo": False}
FILTER_KEYS = ("event", "actor", "stance", "target", "mode", "polarity", "q")


@dataclass(frozen=True)
class ViewData:
    """Everything loaded once per server: the scored curated records and the knowledge they were scored with."""

    # The records held in memory: every record, or with a `store`, only the shipped and the session's ones.
    scored: pd.DataFrame
    # The actors' registry when it is not the data folder's own (a library's or a session's new actors).
    known_registry: Registry | None
    articles: dict
    options: dict[str, list[str]]
    # What the data is: the data folder, the library's state and the session's added records. Caches key on it.
    key: tuple = ()
    # Each library event's records are one block of rows, [start, stop): opening an event is a slice.
    event_rows: dict[str, tuple[int, int]] = field(default_factory=dict)
    # Every record (the library's where they lie, on disk) for the query engine, when there are too many to
    # hold as a frame; None when `scored` holds them all.
    store: RecordStore | None = None

    @property
    def registry(self) -> Registry:
        """The actors' registry, loaded on first use (the Overview needs none)."""
        return self.known_registry if self.known_registry is not None else cached_resources(self.key[0]).registry

    @property
    def record_count(self) -> int:
        return self.store.total if self.store is not None else len(self.scored)


@dataclass(frozen=True)
class View:
    """One rerun's view: the data, the filter state, and (on first use) the records that pass it."""

    data: ViewData
    state: FilterState
    # What determines the records: the data folder, the session's added-records token and the filter state.
    # Caches key on it rather than on the frame, which Streamlit would hash on every rerun (1M rows: seconds).
    key: tuple

    @property
    def records(self) -> pd.DataFrame:
        """The records that pass the filters, as one frame. With a store, every column of every passing record
        is fetched: the pages a million records reach ask the store for counts and pages instead."""
        if self.data.store is not None:
            return cached_store_rows(self.key, self.data.store)
        return cached_filtered(self.data.key, self.state, self.data.scored, self.data.event_rows)

    @property
    def count(self) -> int:
        """How many records pass the filters (without fetching them from a store)."""
        if self.data.store is not None:
            return per_view(self, "count", lambda: self.data.store.count(self.state))
        return len(self.records)


def per_view(view: View, name: str, compute, *extra):
    """`compute()` once per view, named computation and extra arguments, shared by every session asking
    for the same view. The result is shared, never copied: the pure functions never mutate, nor may callers.
    cache_resource, not cache_data: an unpickled copy of a plotly figure serialises its layout in another
    order, so Streamlit would take it for a new chart and drop the reader's selection on the rerun."""
    return _per_view(view.key, name, extra, compute)


def per_data(view: View, name: str, compute):
    """`compute()` once per version of the data, whatever the filters (e.g. the key figures of every record)."""
    return _per_view(view.data.key, name, (), compute)


def shipped_records() -> pd.DataFrame:
    """The curated records shipped with the dashboard alone (without the library's or the session's)."""
    return cached_view_data(str(data_dir())).scored


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
    return knowledge_dir()


@st.cache_resource(show_spinner=False)
def cached_resources(folder: str) -> Resources:
    return load_resources(Path(folder))


@st.cache_resource(show_spinner="Scoring the records…")
def cached_view_data(folder: str) -> ViewData:
    def score():
        resources = cached_resources(folder)
        return score_records(load_curated_records(resources.registry, Path(folder)), resources)

    # Stored scores read, not recomputed (nor the knowledge loaded) at start, when this data and code made them.
    scored = stored_seed_scores(folder, score)
    return ViewData(
        scored=scored,
        known_registry=None,
        articles=load_articles(Path(folder)),
        options=filter_options(scored),
        key=(folder,),
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


# Files with fewer rows and characters than these are scored in the server process (well under a second); bigger
# ones in the scoring pool's worker processes, so the server thread only waits and other visitors' pages run.
POOL_FROM_CHARS = 200_000


@st.cache_resource(show_spinner=False)
def scoring_pool_for(folder: str):
    """One pool of worker processes per server and data folder, started on first use ("spawn": the server has
    threads, which "fork" would copy in an unknown state)."""
    from dashboard.scoring_pool import available_cpus, scoring_pool

    return scoring_pool(cached_resources(folder), available_cpus(), start_method="spawn")


def score_with_progress(records: pd.DataFrame, folder: str) -> pd.DataFrame:
    """Score records on the way in, with a progress bar for long files. One call for the whole file, so each
    distinct (text, actor) is read once (scoring in chunks read a sentence again in every chunk: 10x slower).
    Long files are scored in the worker pool: CPU-bound work in the server would stall every session."""
    resources = cached_resources(folder)
    characters = int(records["text"].astype(str).str.len().sum()) if "text" in records else 0
    if len(records) < PROGRESS_BAR_FROM and characters < POOL_FROM_CHARS:
        return score_records(records, resources)
    bar = st.progress(0.0, text=f"Scoring {len(records):,} records…")

    def advance(done: int, total: int) -> None:
        bar.progress(done / total, text=f"Read {done:,} of {total:,} distinct sentences (per actor)")

    from concurrent.futures.process import BrokenProcessPool

    try:
        scored = score_records(records, resources, progress=advance, pool=scoring_pool_for(folder))
    except BrokenProcessPool:  # a worker died (killed, out of memory): a new pool next time, this file here
        scoring_pool_for.clear()
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
def cached_scored(base_key: tuple, added_token: str, _base: pd.DataFrame, _added: pd.DataFrame | None) -> pd.DataFrame:
    if not added_token or _added is None or _added.empty:
        return _base
    return pd.concat([_base, _added], ignore_index=True)


# cache_resource: the same frame back, not an unpickled copy (cache_data copied a million rows per rerun and
# held a pickled copy per view: 7 GB peak at 1M records). Few entries: a view of everything is the data itself.
@st.cache_resource(show_spinner=False, max_entries=32)
def cached_filtered(
    data_key: tuple, state: FilterState, _scored: pd.DataFrame, _event_rows: dict | None = None
) -> pd.DataFrame:
    rows = (_event_rows or {}).get(state.event)
    if rows and is_unfiltered(replace(state, event="")):
        # A stored event is one block of rows: a slice, not a mask over every record and a copy of a million.
        return _scored.iloc[rows[0] : rows[1]]
    if len(_scored) >= QUERY_FROM_ROWS:
        # Large data: DuckDB finds the rows (a text search at 1M records: one scan, not six casefolded copies).
        return cached_query(data_key, _scored).filtered(state)
    return apply_filters(_scored, state)


# Few entries: each may hold many records (the pages that need every passing record as a frame).
@st.cache_resource(show_spinner=False, max_entries=4)
def cached_store_rows(view_key: tuple, _store: RecordStore) -> pd.DataFrame:
    return _store.rows(view_key[1])


# One per version of the data: an Arrow view of the filtered columns (no copy of the text) and a connection.
@st.cache_resource(show_spinner=False, max_entries=2)
def cached_query(data_key: tuple, _scored: pd.DataFrame) -> RecordQuery:
    return RecordQuery(_scored)


def rerun_data(folder: str) -> ViewData:
    """The shipped data and the library's events (as they are on disk now), plus whatever this session added."""
    base = library_view_data(folder)
    added, token = session_records()
    if not token:
        return base
    scored = cached_scored(base.key, token, base.scored, added)
    articles = {**base.articles, **st.session_state.get(ADDED_ARTICLES_KEY, {})}
    new_states = tuple(sorted(st.session_state.get(ADDED_ACTORS_KEY, {}).items()))
    registry = cached_session_registry(base.key, new_states, base.registry) if new_states else base.known_registry
    key = (*base.key, token)
    store = None
    if base.store is not None:
        store = cached_session_store(key, base.store, added)
        options = merged_options(base.options, cached_options((*key, "added"), added))
    else:
        options = cached_options(key, scored)
    return ViewData(
        scored=scored,
        known_registry=registry,
        articles=articles,
        options=options,
        key=key,
        event_rows=base.event_rows,
        store=store,
    )


@st.cache_resource(show_spinner=False, max_entries=16)
def cached_session_store(data_key: tuple, _base: RecordStore, _added: pd.DataFrame) -> RecordStore:
    return _base.extended(_added)


def merged_options(first: dict[str, list[str]], second: dict[str, list[str]]) -> dict[str, list[str]]:
    """The filter options of two sets of records together (what filter_options gives for both)."""
    merged = {name: sorted({*first[name], *second[name]}) for name in ("event", "actor", "mode")}
    merged["target"] = sorted({*first["target"], *second["target"]}, key=lambda t: (t == NO_TARGET, t))
    return merged


@st.cache_resource(show_spinner=False, max_entries=64)
def cached_registry(folder: str, new_states: tuple[tuple[str, str], ...]):
    return cached_resources(folder).registry.with_new_states(dict(new_states))


@st.cache_resource(show_spinner=False, max_entries=64)
def cached_session_registry(base_key: tuple, new_states: tuple[tuple[str, str], ...], _base):
    return _base.with_new_states(dict(new_states))


# Keyed by the data key: the options of a million records took 1.2 s, on every rerun before.
@st.cache_resource(show_spinner=False, max_entries=64)
def cached_options(data_key: tuple, _scored: pd.DataFrame) -> dict[str, list[str]]:
    return filter_options(_scored)


# --- The event library: read from disk when it changed, so every visitor sees what the CLI or another
# visitor stored, on the next page load, without a restart ---


@dataclass(frozen=True)
class LibraryState:
    """The library as this page load found it: where it is, its events, the files it skipped, any error."""

    root: str
    events: tuple[EventInfo, ...] = ()
    skipped: tuple[SkippedFile, ...] = ()
    error: str = ""


def current_library(folder: str) -> tuple[LibraryState, tuple]:
    """The library's state now, and its signature (a listing of file names, sizes and times: microseconds)."""
    try:
        library = Library(library_root(), shipped=frozenset(cached_view_data(folder).articles))
        signature = library.signature()
    except (ReactionsError, OSError) as exc:
        return LibraryState(root="", error=str(exc)), ()
    return cached_library_state(str(library.root), folder, signature), signature


@st.cache_resource(show_spinner=False, max_entries=4)
def cached_library_state(root: str, folder: str, signature: tuple) -> LibraryState:
    events, skipped = Library(root, shipped=frozenset(cached_view_data(folder).articles)).events()
    return LibraryState(root=root, events=tuple(events), skipped=tuple(skipped))


def library_view_data(folder: str) -> ViewData:
    """The shipped data joined by every event in the library, as the library is on disk now."""
    state, signature = current_library(folder)
    if not state.events:
        shipped = cached_view_data(folder)
        return replace(shipped, key=(folder, signature))
    return cached_library_view(folder, state.root, signature)


# Two entries: the library as it is and as it was a moment ago (a reader mid-page when the CLI changed it).
@st.cache_resource(show_spinner="Reading the event library…", max_entries=2)
def cached_library_view(folder: str, root: str, signature: tuple) -> ViewData:
    shipped = cached_view_data(folder)
    library = Library(root, shipped=frozenset(shipped.articles))
    described, _ = library.described()
    if len(shipped.scored) + sum(event.info.records for event in described) >= QUERY_FROM_ROWS:
        return stored_view_data(shipped, described, folder, signature)
    stored, _ = library.read_all(columns=APP_COLUMNS, arrow=True)
    scored = joined_records(shipped.scored, [event.records for event in stored])
    articles = {**shipped.articles}
    new_states: dict[str, str] = {}
    for event in stored:
        info = event.info
        articles[info.slug] = Article(info.slug, info.date, info.title, info.source, event.article_text)
        new_states.update(event.new_actors)
    registry = cached_registry(folder, tuple(sorted(new_states.items()))) if new_states else None
    # Events stored before their footers listed their options (no modes: every record has one) are read.
    listed = [event.info for event in stored if event.info.modes]
    unlisted = [event.records.to_pandas() for event in stored if not event.info.modes]
    base_options = shipped.options if not unlisted else filter_options(pd.concat([shipped.scored, *unlisted]))
    options = library_options(base_options, listed)
    starts = np.cumsum([len(shipped.scored), *(event.records.num_rows for event in stored)])
    event_rows = {
        event.info.slug: (int(start), int(start + event.records.num_rows))
        for event, start in zip(stored, starts, strict=False)
    }
    return ViewData(
        scored=scored,
        known_registry=registry,
        articles=articles,
        options=options,
        key=(folder, signature),
        event_rows=event_rows,
    )


def stored_view_data(shipped: ViewData, described: list, folder: str, signature: tuple) -> ViewData:
    """The shipped data and the library's events for the query engine: the events' files are queried where
    they lie (a RecordStore); only their footers are read here."""
    articles = {**shipped.articles}
    new_states: dict[str, str] = {}
    for event in described:
        info = event.info
        articles[info.slug] = Article(info.slug, info.date, info.title, info.source, event.article_text)
        new_states.update(event.new_actors)
    registry = cached_registry(folder, tuple(sorted(new_states.items()))) if new_states else None
    store = RecordStore([shipped.scored, *(event.info.path for event in described)], tuple(APP_COLUMNS))
    listed = [event.info for event in described if event.info.modes]
    options = library_options(shipped.options, listed)
    unlisted = [event.info.slug for event in described if not event.info.modes]
    if unlisted:  # stored before footers listed their options: asked of their records
        found = store.distinct(FilterState(), ("event", "actor", "target", "mode"))
        options = merged_options(options, filter_options(found[found["event"].isin(unlisted)]))
    return ViewData(
        scored=shipped.scored,
        known_registry=registry,
        articles=articles,
        options=options,
        key=(folder, signature),
        store=store,
    )


def joined_records(shipped: pd.DataFrame, stored: list) -> pd.DataFrame:
    """The shipped records and the library's (Arrow tables) as one frame. Joined as Arrow and converted once,
    freeing each column as it goes: a pandas concat held the library's records twice (1.4 GB at 1M, not 0.9)."""
    import pyarrow as pa

    tables = [pa.Table.from_pandas(shipped[APP_COLUMNS], preserve_index=False), *stored]
    joined = pa.concat_tables(tables, promote_options="permissive")
    del tables, stored
    return joined.to_pandas(self_destruct=True, split_blocks=True)


def library_options(shipped: dict[str, list[str]], events: list[EventInfo]) -> dict[str, list[str]]:
    """The filter options of the shipped data and the library's events, from the events' stored lists (the
    same values filter_options finds in the records, without reading a million of them)."""
    targets = set(shipped["target"]) - {NO_TARGET}
    untargeted = NO_TARGET in shipped["target"]
    for info in events:
        targets.update(info.targets)
        untargeted = untargeted or info.untargeted
    return {
        "event": sorted({*shipped["event"], *(info.slug for info in events)}),
        "actor": sorted({*shipped["actor"], *(a for info in events for a in info.actors)}),
        "target": sorted(targets) + ([NO_TARGET] if untargeted else []),
        "mode": sorted({*shipped["mode"], *(m for info in events for m in info.modes)}),
    }


SAVED_KEY = "library_saved"


def save_to_library(scored: pd.DataFrame, article, new_actors: dict[str, str] | None = None) -> bool:
    """Store a session's accepted, scored records as a library event every visitor sees; False (and the reason
    shown) when the library refuses it. Used by the upload and article pages."""
    if read_only():
        st.error(str(ReadOnlyLibraryError()))
        return False
    folder = str(data_dir())
    try:
        library = Library(library_root(), shipped=frozenset(cached_view_data(folder).articles))
        info = library.add(
            scored,
            article.event,
            title=article.title,
            date=article.date,
            source=article.source,
            article_text=article.text,
            new_actors=new_actors or {},
            versions=knowledge_versions(Path(folder)),
        )
    except (ReactionsError, OSError) as exc:
        st.error(f"Not saved to the library: {exc}")
        return False
    st.session_state[SAVED_KEY] = (info.slug, info.records)
    return True


def show_saved_notice() -> None:
    """After a save (the page reruns): say where the records went and how to open them."""
    if SAVED_KEY in st.session_state:
        slug, count = st.session_state.pop(SAVED_KEY)
        st.success(
            f"{count:,} record(s) saved to the library as event '{plain(slug)}': every visitor sees it, after a "
            "reload too. Pick it in the sidebar's Event filter or open it from the Library page."
        )
        st.page_link(
            "screens/overview.py", label=f"Open {slug}", query_params={"event": slug}, icon=":material/open_in_new:"
        )


def library_save_button(label: str, key: str, form: bool = False) -> bool:
    """A "Save to the library" button, disabled (with the reason) when the server makes the library read-only."""
    button = st.form_submit_button if form else st.button
    locked = read_only()
    pressed = button(
        label,
        key=key,
        disabled=locked,
        help="The library is read-only on this server."
        if locked
        else "Every visitor sees the event, after a reload too.",
    )
    if locked:  # a greyed button alone does not say why (its tooltip needs a mouse, and phones have none)
        st.caption("Saving to the library is turned off on this server: the records can join this session only.")
    return pressed


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
    if view.count:
        return False
    st.info("No records match the filters. Widen them in the sidebar, or press **Reset filters**.")
    return True

"""What the pages compute over a view's records, from wherever the records are: pandas over the frame held in
memory (the seed, a small library), or the query engine over the stored records (a large library), which hands
back only small answers: counts, a chart's numbers, one page of quotes. Both give the same answers
(tests/test_query.py and tests/test_library_app.py hold them to it)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from dashboard.chart_counts import FlowLinks, MapCounts, flow_links, map_counts
from dashboard.export import record_sources
from dashboard.figures import TONE_MARK_LIMIT, records_behind_points, stance_by_actor_figure, tone_sample
from dashboard.figures.bars import stance_counts_figure
from dashboard.filters import FilterState
from dashboard.query import is_unfiltered, selection_condition, target_summary
from dashboard.store_summaries import store_actor_summary, store_flow_links, store_map_counts
from dashboard.summary import key_figures, summarise_by_actor, summarise_by_target
from dashboard.targets import parse_targets
from dashboard.views.common import View, per_data, per_view

# A page of rows from `offset`, `limit` long.
PageFetcher = Callable[[int, int], pd.DataFrame]


def view_key_figures(view: View) -> dict:
    """summary.key_figures of the records that pass (from a store: all but "sentences", which no page shows
    and which costs a hash of every text)."""
    store = view.data.store
    if store is not None:
        if is_unfiltered(view.state):
            return every_record_key_figures(view)
        return per_view(view, "key_figures", lambda: store.key_figures(view.state, sentences=False))
    return per_view(view, "key_figures", lambda: key_figures(view.records))


def every_record_key_figures(view: View) -> dict:
    """The key figures of every record, whatever the filters."""
    store = view.data.store
    if store is not None:
        return per_data(view, "key_figures_all", lambda: store.key_figures(FilterState(), sentences=False))
    return per_data(view, "key_figures_all", lambda: key_figures(view.data.scored))


def view_found_by_the_rules(view: View, pandas_count: Callable[[pd.DataFrame], tuple[int, int]]) -> tuple[int, int]:
    store = view.data.store
    if store is not None:
        return per_view(view, "found", lambda: store.found_by_the_rules(view.state))
    return per_view(view, "found", lambda: pandas_count(view.records))


def view_stance_by_actor_figure(view: View):
    store = view.data.store
    if store is not None:
        return per_view(
            view, "stance_by_actor", lambda: stance_counts_figure(store.distinct(view.state, ("actor", "stance")))
        )
    return per_view(view, "stance_by_actor", lambda: stance_by_actor_figure(view.records))


def view_by_target(view: View) -> pd.DataFrame:
    store = view.data.store
    if store is not None:
        return per_view(view, "by_target", lambda: target_summary(store.by_target(view.state)))
    return per_view(view, "by_target", lambda: summarise_by_target(view.records))


def view_actor_summary(view: View) -> pd.DataFrame:
    """summary.summarise_by_actor of the records that pass (from a store: a few grouped queries)."""
    store = view.data.store
    if store is not None:
        return per_view(view, "summary_by_actor", lambda: store_actor_summary(store, view.state))
    return per_view(view, "summary_by_actor", lambda: summarise_by_actor(view.records))


def view_record_sources(view: View) -> tuple[str, ...]:
    """export.record_sources of the records that pass (from a store: from their distinct events and sources)."""
    store = view.data.store
    if store is not None:
        found = lambda: record_sources(store.distinct(view.state, ("event", "source")), view.data.articles)  # noqa: E731
    else:
        found = lambda: record_sources(view.records, view.data.articles)  # noqa: E731
    return per_view(view, "sources", found)


def view_map_counts(view: View, toward: str | None) -> MapCounts:
    """What the map draws for the view, toward one target or overall: from the store, a few grouped queries."""
    from dashboard.figures import map_lines  # its link limit, read when asked (tests lower it)

    store = view.data.store
    limit = map_lines.MAP_LINK_LIMIT
    if store is not None:
        return per_view(view, "map_counts", lambda: store_map_counts(store, view.state, toward, limit), toward, limit)
    return per_view(view, "map_counts", lambda: map_counts(view.records, toward, limit), toward, limit)


def view_flow_links(view: View) -> FlowLinks:
    """The Who -> whom chart's busiest bands for the view (from a store: one grouped query)."""
    from dashboard.figures import flows  # its band limit, read when asked (tests lower it)

    store = view.data.store
    limit = flows.FLOW_LINK_LIMIT
    if store is not None:
        return per_view(view, "flow_links", lambda: store_flow_links(store, view.state, limit), limit)
    return per_view(view, "flow_links", lambda: flow_links(view.records, limit), limit)


def view_target_names(view: View) -> list[str]:
    """Every target named in the view, sorted: split from the distinct cells, not from every record."""
    store = view.data.store
    if store is not None:
        cells = per_view(view, "target_cells", lambda: store.distinct(view.state, ("target",))["target"].tolist())
    else:
        cells = per_view(view, "target_cells", lambda: view.records["target"].unique().tolist())
    return per_view(view, "target_names", lambda: sorted({name for cell in cells for name in parse_targets(cell)}))


def selected_points(event) -> list:
    """The points selected on a chart: `event` is what st.plotly_chart returns with on_select, or None."""
    try:
        return list(event.selection.get("points", []) or [])
    except AttributeError:  # no selection state yet (first run, or the chart is not selectable)
        return []


def selected_records(event, view: View) -> tuple[int, PageFetcher]:
    """How many records are behind the marks selected on a chart, and how to fetch a page of them."""
    points = selected_points(event)
    store = view.data.store
    if store is not None:
        if not points:
            return 0, lambda offset, limit: store.rows(view.state, limit=0)
        condition = selection_condition(points)
        total = store.count(view.state, condition)
        return total, lambda offset, limit: store.rows(view.state, limit=limit, offset=offset, extra=condition)
    chosen = records_behind_points(points, view.records)
    return len(chosen), lambda offset, limit: chosen.iloc[offset : offset + limit]


# The stance the rules do not find in the sentence: the evidence page's "only disagreements".
NOT_FOUND = ("NOT coalesce(stance_found, true)", [])


def listed_records(view: View, only_disagreements: bool) -> tuple[int, PageFetcher]:
    """The records the Evidence page lists (all that pass, or those whose stance the rules do not find):
    how many, and how to fetch a page of them."""
    store = view.data.store
    if store is not None:
        extra = NOT_FOUND if only_disagreements else None
        total = per_view(view, "listed", lambda: store.count(view.state, extra), only_disagreements)
        return total, lambda offset, limit: store.rows(view.state, limit=limit, offset=offset, extra=extra)
    records = view.records
    if only_disagreements:
        records = records[~records["stance_found"]]
    return len(records), lambda offset, limit: records.iloc[offset : offset + limit]


def view_tone_sample(view: View, limit: int = TONE_MARK_LIMIT) -> pd.DataFrame:
    """figures.tone_sample of the records that pass: the same seeded sample, fetched alone from the store."""
    store = view.data.store
    if store is None:
        return per_view(view, "tone_sample", lambda: tone_sample(view.records, limit))
    total = view.count
    if total <= limit:
        return per_view(view, "tone_sample", lambda: store.rows(view.state))
    # What DataFrame.sample(limit, random_state=0) draws: these positions among the passing records.
    picked = np.sort(np.random.RandomState(0).choice(total, size=limit, replace=False))
    return per_view(view, "tone_sample", lambda: store.rows_at(view.state, picked))


# A record whose TextBlob sign contradicts its stance.
TONE_CONFLICT = ("coalesce(tone_conflict, false)", [])


def view_tone_conflicts(view: View, limit: int) -> tuple[int, pd.DataFrame]:
    """How many records that pass have a tone conflict, and the first `limit` of them."""
    store = view.data.store
    if store is not None:
        return per_view(
            view,
            "tone_conflicts",
            lambda: (store.count(view.state, TONE_CONFLICT), store.rows(view.state, limit=limit, extra=TONE_CONFLICT)),
            limit,
        )
    conflicts = view.records[view.records["tone_conflict"]]
    return len(conflicts), conflicts.head(limit)

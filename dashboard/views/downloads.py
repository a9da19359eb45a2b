"""Downloads: the summary tables and the filtered records as CSV, Excel and JSON, each saying what it holds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.codebook import codebook_version
from dashboard.export import (
    EXPORT_FORMATS,
    Provenance,
    csvw_metadata_bytes,
    export_bytes,
    metadata_name,
)
from dashboard.records import RECORD_COLUMNS
from dashboard.scoring import SCORED_COLUMNS
from dashboard.summary import summarise_by_actor, summarise_by_target
from dashboard.views.common import View, per_view, show_empty_notice
from dashboard.views.measures import view_actor_summary, view_by_target, view_record_sources

# Each download's title and what it holds, by file-name stem.
DESCRIPTIONS = {
    "summary_by_actor": (
        "Per-actor summary",
        "per actor: records per stance, dominant stance, mean polarity, intensity and Goldstein, targets",
    ),
    "summary_by_target": ("Per-target summary", "per target and stance: the actors that took it and how many records"),
    "records": ("Filtered records", "the reaction records that pass the filters, with their scores"),
}


def downloadable_tables(records: pd.DataFrame) -> dict[str, tuple[str, str, pd.DataFrame]]:
    """Each download: (title, what it holds, table), keyed by the file-name stem."""
    tables = {
        "summary_by_actor": summarise_by_actor(records),
        "summary_by_target": summarise_by_target(records),
        "records": records[[*RECORD_COLUMNS, *SCORED_COLUMNS]],
    }
    return {stem: (*DESCRIPTIONS[stem], table) for stem, table in tables.items()}


# Excel writes cell by cell (a minute per 100,000 records here) and stops at 1,048,576 rows: above this,
# CSV and JSON are offered and the Excel button says why it is off.
EXCEL_ROW_LIMIT = 100_000
# The previews show the first rows; the files hold them all (a 100,000-row preview was 48 MB for the browser).
PREVIEW_ROW_LIMIT = 1000


def deferred_export(table: Callable[[], pd.DataFrame], provenance: Provenance, fmt: str):
    """The file's bytes, made when the reader clicks (Streamlit runs the callable then, off the script), so
    opening the page never writes nine files nobody asked for, nor fetches a million stored records."""
    return lambda: export_bytes(table(), provenance, fmt)


def deferred_metadata(table: Callable[[], pd.DataFrame], provenance: Provenance, csv_name: str):
    """The CSV's CSVW description, made when the reader clicks."""
    return lambda: csvw_metadata_bytes(table(), provenance, csv_name)


@dataclass(frozen=True)
class Download:
    """One table offered for download: its rows, the first of them to preview, and the whole of it on demand."""

    title: str
    holds: str
    rows: int
    preview: pd.DataFrame
    whole: Callable[[], pd.DataFrame]


def held(title: str, holds: str, table: pd.DataFrame) -> Download:
    return Download(title, holds, len(table), table.head(PREVIEW_ROW_LIMIT), lambda: table)


def view_downloads(view: View) -> dict[str, Download]:
    """The downloads of a view: made from the held records, or, from a store, the summaries by grouped queries
    and the records table fetched when a file is asked for."""
    store = view.data.store
    if store is None:
        tables = per_view(view, "downloads", lambda: downloadable_tables(view.records))
        return {stem: held(*described) for stem, described in tables.items()}
    by_actor = view_actor_summary(view)
    columns = [*RECORD_COLUMNS, *SCORED_COLUMNS]
    preview = per_view(view, "records_preview", lambda: store.rows(view.state, columns, limit=PREVIEW_ROW_LIMIT))
    return {
        "summary_by_actor": held(*DESCRIPTIONS["summary_by_actor"], by_actor),
        "summary_by_target": held(*DESCRIPTIONS["summary_by_target"], view_by_target(view)),
        "records": Download(*DESCRIPTIONS["records"], view.count, preview, lambda: store.rows(view.state, columns)),
    }


def render(view: View) -> None:
    st.title("Downloads")
    filters = view.state.describe()
    st.caption(
        "CSV files are plain (header on the first line), so Excel, R and pandas open them as they are; JSON is a "
        "list of records. What a file holds, the filters applied ("
        + ("; ".join(f"{k}: {v}" for k, v in filters.items()) or "none")
        + f"), the codebook version ({codebook_version()}), when it was made and from which sources is in its "
        "description (CSVW, a W3C standard): save it in the same folder as the CSV, under the name given, and "
        "CSVW tools find it. Excel files carry it on their 'about' sheet. In CSV and Excel, cells that a "
        "spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) are prefixed "
        "with '; JSON keeps every value as it is."
    )
    if show_empty_notice(view):
        return
    # One timestamp per filter view, so the cached files and the times they state agree.
    made_at = st.session_state.setdefault(
        f"made_at_{hash(view.state)}", pd.Timestamp.now("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    sources = view_record_sources(view)
    for stem, download in view_downloads(view).items():
        title, holds, table = download.title, download.holds, download.whole
        st.subheader(title)
        st.caption(f"{holds} · {download.rows:,} row(s)")
        provenance = Provenance(
            holds=holds, filters=filters, codebook_version=codebook_version(), sources=sources, generated_at=made_at
        )
        columns = st.columns(len(EXPORT_FORMATS) + 1)
        for column, (fmt, export_format) in zip(columns, EXPORT_FORMATS.items(), strict=False):
            too_long = fmt == "xlsx" and download.rows > EXCEL_ROW_LIMIT
            column.download_button(
                f"{title} — {export_format.label}",
                data=deferred_export(table, provenance, fmt),
                file_name=f"diplomatic_reactions_{stem}{export_format.extension}",
                mime=export_format.mime,
                key=f"download_{stem}_{fmt}",
                width="stretch",
                on_click="ignore",
                disabled=too_long,
                help=f"Excel is offered up to {EXCEL_ROW_LIMIT:,} rows; take CSV or JSON, or narrow the filters."
                if too_long
                else None,
            )
        csv_name = f"diplomatic_reactions_{stem}.csv"
        columns[-1].download_button(
            f"{title} — description (CSVW)",
            data=deferred_metadata(table, provenance, csv_name),
            file_name=metadata_name(csv_name),
            mime="application/csvm+json",
            key=f"download_{stem}_csvw",
            width="stretch",
            on_click="ignore",
            help="What the CSV holds, its filters, codebook version, time and sources, and its columns' types",
        )
        with st.expander(f"Preview: {title.lower()}"):
            if download.rows > PREVIEW_ROW_LIMIT:
                st.caption(f"The first {PREVIEW_ROW_LIMIT:,} of {download.rows:,} rows; the files hold them all.")
            st.dataframe(download.preview, hide_index=True, width="stretch")

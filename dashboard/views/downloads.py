"""Downloads: the summary tables and the filtered records as CSV, Excel and JSON, each saying what it holds."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.codebook import codebook_version
from dashboard.export import (
    EXPORT_FORMATS,
    Provenance,
    csvw_metadata_bytes,
    export_bytes,
    metadata_name,
    record_sources,
)
from dashboard.records import RECORD_COLUMNS
from dashboard.scoring import SCORED_COLUMNS
from dashboard.summary import summarise_by_actor, summarise_by_target
from dashboard.views.common import View, per_view, show_empty_notice


def downloadable_tables(records: pd.DataFrame) -> dict[str, tuple[str, str, pd.DataFrame]]:
    """Each download: (title, what it holds, table), keyed by the file-name stem."""
    return {
        "summary_by_actor": (
            "Per-actor summary",
            "per actor: records per stance, dominant stance, mean polarity, intensity and Goldstein, targets",
            summarise_by_actor(records),
        ),
        "summary_by_target": (
            "Per-target summary",
            "per target and stance: the actors that took it and how many records",
            summarise_by_target(records),
        ),
        "records": (
            "Filtered records",
            "the reaction records that pass the filters, with their scores",
            records[[*RECORD_COLUMNS, *SCORED_COLUMNS]],
        ),
    }


# Excel writes cell by cell (a minute per 100,000 records here) and stops at 1,048,576 rows: above this,
# CSV and JSON are offered and the Excel button says why it is off.
EXCEL_ROW_LIMIT = 100_000
# The previews show the first rows; the files hold them all (a 100,000-row preview was 48 MB for the browser).
PREVIEW_ROW_LIMIT = 1000


def deferred_export(table: pd.DataFrame, provenance: Provenance, fmt: str):
    """The file's bytes, made when the reader clicks (Streamlit runs the callable then, off the script), so
    opening the page never writes nine files nobody asked for."""
    return lambda: export_bytes(table, provenance, fmt)


def deferred_metadata(table: pd.DataFrame, provenance: Provenance, csv_name: str):
    """The CSV's CSVW description, made when the reader clicks."""
    return lambda: csvw_metadata_bytes(table, provenance, csv_name)


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
    sources = record_sources(view.records, view.data.articles)
    for stem, (title, holds, table) in per_view(view, "downloads", lambda: downloadable_tables(view.records)).items():
        st.subheader(title)
        st.caption(f"{holds} · {len(table):,} row(s)")
        provenance = Provenance(
            holds=holds, filters=filters, codebook_version=codebook_version(), sources=sources, generated_at=made_at
        )
        columns = st.columns(len(EXPORT_FORMATS) + 1)
        for column, (fmt, export_format) in zip(columns, EXPORT_FORMATS.items(), strict=False):
            too_long = fmt == "xlsx" and len(table) > EXCEL_ROW_LIMIT
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
            if len(table) > PREVIEW_ROW_LIMIT:
                st.caption(f"The first {PREVIEW_ROW_LIMIT:,} of {len(table):,} rows; the files hold them all.")
            st.dataframe(table.head(PREVIEW_ROW_LIMIT), hide_index=True, width="stretch")

"""Downloads: the summary tables and the filtered records as CSV, Excel and JSON, each saying what it holds."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.codebook import CODEBOOK_VERSION
from dashboard.export import EXPORT_FORMATS, Provenance, export_bytes
from dashboard.records import RECORD_COLUMNS
from dashboard.scoring import SCORED_COLUMNS
from dashboard.summary import summarise_by_actor, summarise_by_target
from dashboard.views.common import View, show_empty_notice


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


@st.cache_data(show_spinner=False, max_entries=128)
def cached_export(table: pd.DataFrame, holds: str, filters: tuple, sources: tuple, fmt: str, made_at: str) -> bytes:
    provenance = Provenance(
        holds=holds, filters=dict(filters), codebook_version=CODEBOOK_VERSION, sources=sources, generated_at=made_at
    )
    return export_bytes(table, provenance, fmt)


def render(view: View) -> None:
    st.title("Downloads")
    filters = view.state.describe()
    st.caption(
        "Every file carries what it holds, the filters applied ("
        + ("; ".join(f"{k}: {v}" for k, v in filters.items()) or "none")
        + f"), the codebook version ({CODEBOOK_VERSION}) and when it was made. In CSV and Excel, cells that a "
        "spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) are prefixed with '; "
        "JSON keeps every value as it is."
    )
    if show_empty_notice(view):
        return
    # One timestamp per filter view, so the cached files and the times they state agree.
    made_at = st.session_state.setdefault(
        f"made_at_{hash(view.state)}", pd.Timestamp.now("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    sources = tuple(sorted(view.records["source"].unique()))
    for stem, (title, holds, table) in downloadable_tables(view.records).items():
        st.subheader(title)
        st.caption(f"{holds} · {len(table)} row(s)")
        columns = st.columns(len(EXPORT_FORMATS))
        for column, (fmt, export_format) in zip(columns, EXPORT_FORMATS.items(), strict=True):
            data = cached_export(table, holds, tuple(filters.items()), sources, fmt, made_at)
            column.download_button(
                f"{title} — {export_format.label}",
                data=data,
                file_name=f"diplomatic_reactions_{stem}{export_format.extension}",
                mime=export_format.mime,
                key=f"download_{stem}_{fmt}",
                width="stretch",
                on_click="ignore",
            )
        with st.expander(f"Preview: {title.lower()}"):
            st.dataframe(table, hide_index=True, width="stretch")

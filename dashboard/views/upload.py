"""Upload records: a file of reaction records becomes its own event in this session, after validation."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.errors import ReactionsError
from dashboard.records import Article, normalise_records, read_table, validate_records
from dashboard.views.common import View, add_session_records, data_dir, score_with_progress

UPLOAD_TYPES = ["csv", "tsv", "json", "jsonl", "xlsx"]
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,40}$")
JUST_ADDED_KEY = "just_uploaded"


def read_upload(upload) -> pd.DataFrame:
    """The uploaded file as a table, read by the same code as the CLI (from a private temporary copy)."""
    suffix = Path(upload.name).suffix.lower()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(upload.getvalue())
        try:
            return read_table(path)
        except ReactionsError as exc:  # the message names our temporary file; say the user's name instead
            raise type(exc)(upload.name, getattr(exc, "why", str(exc))) from exc


def split_valid(table: pd.DataFrame, problems) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows with no problem, and the rows left out with their reasons (row numbers count from 1)."""
    bad_rows = sorted({p.row for p in problems if p.row > 0})
    reasons = pd.DataFrame([{"row": p.row, "field": p.field, "problem": p.message} for p in problems])
    keep = ~pd.Series(range(1, len(table) + 1), index=table.index).isin(bad_rows)
    return table[keep], reasons


def render(view: View) -> None:
    st.title("Upload records")
    st.caption(
        "Bring your own reaction records: CSV, TSV, JSON (a list of objects), JSONL or Excel, with at least an "
        "`actor` and a `text` column. Records without a stance are scored on the way in. The file becomes its own "
        "event in this session only; nothing is written on the server."
    )
    if JUST_ADDED_KEY in st.session_state:
        event, count = st.session_state.pop(JUST_ADDED_KEY)
        st.success(
            f"{count:,} record(s) joined this session as event '{event}'. Pick it in the sidebar's Event filter."
        )
    upload = st.file_uploader("Records file", type=UPLOAD_TYPES, key="records_upload")
    if upload is None:
        return
    try:
        table = read_upload(upload)
    except ReactionsError as exc:
        st.error(str(exc))
        return
    problems = validate_records(table, view.data.registry)
    missing_columns = [p for p in problems if p.row == 0]
    if missing_columns:
        st.error(f"{upload.name}: " + "; ".join(f"{p.field}: {p.message}" for p in missing_columns))
        return
    valid, reasons = split_valid(table, problems)
    st.write(
        f"**{upload.name}**: {len(table):,} row(s) read, {len(valid):,} valid, {len(table) - len(valid):,} left out."
    )
    if len(reasons):
        st.warning("These rows have problems and are left out (fix the file and upload it again to keep them):")
        st.dataframe(reasons, hide_index=True, width="stretch")
    if valid.empty:
        return
    default_slug = re.sub(r"[^a-z0-9-]+", "-", Path(upload.name).stem.lower()).strip("-")[:41] or "upload"
    with st.form("upload_form"):
        event = st.text_input("Event slug for these records", value=default_slug, key="upload_event")
        sent = st.form_submit_button(f"Add {len(valid):,} record(s) to this session", type="primary", key="upload_add")
    if not sent:
        return
    event = event.strip()
    if not SLUG.match(event) or event in view.data.options["event"]:
        st.error("Give a new event slug: 2–41 characters, lower case letters, digits and '-', not used yet.")
        return
    dates = valid["date"] if "date" in valid.columns else pd.Series(dtype=str)
    first_date = min((d for d in dates.astype(str) if d), default="")
    records = normalise_records(valid.assign(event=event), view.data.registry)
    add_session_records(score_with_progress(records, str(data_dir())), Article(event, first_date, "", upload.name, ""))
    st.success(
        f"{len(records):,} record(s) joined this session as event '{event}'. Pick it in the sidebar's Event filter."
    )

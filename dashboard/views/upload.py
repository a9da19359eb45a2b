"""Upload records: a file of reaction records becomes its own event in this session, after validation."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.errors import ReactionsError
from dashboard.records import (
    Article,
    load_table_report,
    new_actor_codes,
    normalise_records,
    problems_table,
    split_valid_rows,
    validate_records,
)
from dashboard.views.common import (
    ADDED_ACTORS_KEY,
    View,
    add_session_records,
    data_dir,
    library_save_button,
    plain,
    save_to_library,
    score_with_progress,
    show_saved_notice,
)

UPLOAD_TYPES = ["csv", "tsv", "json", "jsonl", "xlsx"]
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,40}$")
JUST_ADDED_KEY = "just_uploaded"
LEAVE_OUT = "(leave these rows out)"
KEEP_AS_NEW = "(keep as a new actor)"


def unknown_actor_decisions(problems, view: View) -> dict[str, str]:
    """For each name the registry does not know, what the reader chose: a known actor, keep it, or leave out."""
    unknown: dict[str, tuple[str, int]] = {}
    for problem in problems:
        if problem.kind == "unknown_actor":
            suggestion, rows = unknown.get(problem.value, (problem.suggestion, 0))
            unknown[problem.value] = (suggestion, rows + 1)
    if not unknown:
        return {}
    st.info(
        "Some actor or target names are not in the registry. Confirm the suggested actor, pick another, keep the "
        "name as a new actor, or leave its rows out. A new actor is placed on the map at its country when the "
        "file gives its three-letter ISO code (an `actor_iso3` or `country code` column); otherwise it is "
        "listed under the map."
    )
    choices = pd.DataFrame(
        [
            {"name": name, "rows": rows, "use": suggestion or LEAVE_OUT}
            for name, (suggestion, rows) in sorted(unknown.items())
        ]
    )
    edited = st.data_editor(
        choices,
        key="unknown_actors",
        hide_index=True,
        disabled=["name", "rows"],
        column_config={
            "name": st.column_config.TextColumn("Name in the file"),
            "rows": st.column_config.NumberColumn("Cells"),
            "use": st.column_config.SelectboxColumn(
                "Use", options=[LEAVE_OUT, KEEP_AS_NEW, *sorted(view.data.registry.actors)], required=True
            ),
        },
    )
    return dict(zip(edited["name"], edited["use"], strict=True))


def apply_actor_decisions(table: pd.DataFrame, decisions: dict[str, str]) -> pd.DataFrame:
    """A copy with confirmed names replaced by the chosen actor, in the actor and target columns."""
    replacements = {name: choice for name, choice in decisions.items() if choice not in (LEAVE_OUT, KEEP_AS_NEW)}
    if not replacements:
        return table
    out = table.copy()
    out["actor"] = out["actor"].map(lambda name: replacements.get(str(name).strip(), name))
    if "target" in out.columns:
        out["target"] = out["target"].map(
            lambda cell: "; ".join(replacements.get(t.strip(), t.strip()) for t in str(cell).split(";") if t.strip())
        )
    return out


def render(view: View) -> None:
    st.title("Upload records")
    st.caption(
        "Bring your own reaction records: CSV, TSV, JSON (a list of objects), JSONL or Excel, with at least an "
        "`actor` and a `text` column. Records without a stance are scored on the way in. The file becomes its own "
        "event: in this session only, or, saved to the library, for every visitor (Library page)."
    )
    show_saved_notice()
    if JUST_ADDED_KEY in st.session_state:
        event, count = st.session_state.pop(JUST_ADDED_KEY)
        st.success(
            f"{count:,} record(s) joined this session as event '{event}'. Pick it in the sidebar's Event filter."
        )
    limit = st.get_option("server.maxUploadSize")
    upload = st.file_uploader(
        "Records file",
        type=UPLOAD_TYPES,
        key="records_upload",
        help=f"Files up to {limit} MB are accepted here; `reactions score` reads larger ones.",
    )
    st.caption(f"Files up to {limit} MB (a larger one is refused: split it, or score it with the `reactions` CLI).")
    if upload is None:
        return
    try:
        table, report = load_table_report(upload, view.data.registry, view.data.articles)
    except ReactionsError as exc:
        st.error(str(exc))
        return
    problems = list(report.problems)
    file_wide = [p for p in problems if p.row <= 0]
    if file_wide:
        st.error(f"{upload.name}: " + "; ".join(f"{p.field}: {p.message}" for p in file_wide))
        return
    st.caption(" · ".join(plain(line) for line in report.lines()))
    decisions = unknown_actor_decisions(problems, view)
    table = apply_actor_decisions(table, decisions)
    kept_new = {name for name, choice in decisions.items() if choice == KEEP_AS_NEW}
    problems = [
        p
        for p in validate_records(table, view.data.registry, view.data.articles)
        if not (p.kind == "unknown_actor" and p.value in kept_new)
    ]
    valid, _ = split_valid_rows(table, problems)
    left_out = len(table) - len(valid)
    st.write(f"**{plain(upload.name)}**: {len(table):,} row(s) read, {len(valid):,} valid, {left_out:,} left out.")
    if problems:
        st.warning("These rows have problems and are left out (fix the file and upload it again to keep them):")
        st.dataframe(problems_table(problems), hide_index=True, width="stretch")
    if valid.empty:
        return
    default_slug = re.sub(r"[^a-z0-9-]+", "-", Path(upload.name).stem.lower()).strip("-")[:41] or "upload"
    with st.form("upload_form"):
        event = st.text_input("Event slug for these records", value=default_slug, key="upload_event")
        sent = st.form_submit_button(f"Add {len(valid):,} record(s) to this session", type="primary", key="upload_add")
        saved = library_save_button("Save to the library", key="upload_save", form=True)
    if not (sent or saved):
        return
    event = event.strip()
    if not SLUG.match(event) or event in view.data.options["event"]:
        st.error("Give a new event slug: 2–41 characters, lower case letters, digits and '-', not used yet.")
        return
    records = normalise_records(valid.assign(event=event), view.data.registry)
    codes = new_actor_codes(valid, kept_new)
    if codes:
        st.session_state.setdefault(ADDED_ACTORS_KEY, {}).update(codes)
    first_date = min((d for d in records["date"].astype(str) if d), default="")
    scored = score_with_progress(records, str(data_dir()))
    if saved:  # every visitor's, on disk; not this session's
        if save_to_library(scored, Article(event, first_date, "", upload.name, ""), codes):
            st.rerun()
        return
    add_session_records(scored, Article(event, first_date, "", upload.name, ""))
    # Rerun so the sidebar, drawn before this page, lists the new event at once.
    st.session_state[JUST_ADDED_KEY] = (event, len(records))
    st.rerun()

"""Add an article: paste or upload text, review the proposed records, accept them into this session's data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import codebook
from dashboard.codebook import MODES, codebook_version
from dashboard.decoding import decode_text
from dashboard.errors import ReactionsError
from dashboard.export import EXPORT_FORMATS, Provenance, csvw_metadata_bytes, export_bytes, metadata_name
from dashboard.library import SLUG
from dashboard.records import RECORD_COLUMNS, Article, normalise_records, validate_records
from dashboard.views.common import (
    ADDED_ARTICLES_KEY,
    ADDED_RECORDS_KEY,
    View,
    add_session_records,
    cached_resources,
    data_dir,
    library_save_button,
    save_to_library,
    score_with_progress,
    show_saved_notice,
)

PROPOSED_KEY = "proposed_records"
PROPOSED_ARTICLE_KEY = "proposed_article"
# The columns a reviewer edits; offsets and ids stay as extracted (they point into the pasted text).
EDITABLE = ("actor", "speaker", "speaker_role", "via", "stance", "target", "mode", "cue")
MAX_ARTICLE_CHARACTERS = 200_000
# Proposed records below this confidence are listed first and marked for checking (see the Method page for
# how often records at each confidence were right on the dev articles).
UNCERTAIN_BELOW = 0.65
REVIEW_COLUMNS = ("check", "confidence")


@st.cache_data(show_spinner="Reading the article…", max_entries=16)
def cached_extract(folder: str, text: str, event: str, date: str, source: str) -> pd.DataFrame:
    from dashboard.extract import extract_records, load_extraction_rules

    rules = load_extraction_rules(Path(folder))
    return extract_records(text, cached_resources(folder), event=event, date=date, source=source, rules=rules)


def article_form(view: View) -> Article | None:
    """The article and its metadata as the reader gives them, or None until the form is sent."""
    with st.form("article_form"):
        text = st.text_area("Article text", height=220, placeholder="Paste a news report here…", key="article_text")
        upload = st.file_uploader("…or upload a .txt file", type=["txt"])
        left, middle, right = st.columns(3)
        event = left.text_input(
            "Event slug", placeholder="e.g. kerch-2018", help="lower case, digits and -", key="article_event"
        )
        date = middle.date_input("Date of the article", value=None, format="YYYY-MM-DD", key="article_date")
        source = right.text_input("Source", placeholder="e.g. Reuters, 26 Nov 2018", key="article_source")
        sent = st.form_submit_button("Extract reactions", type="primary", key="extract")
    if not sent:
        return None
    if upload is not None:
        try:  # detected as for tables: read exactly, or refused naming the candidate code pages
            text, _ = decode_text(upload.getvalue(), upload.name)
        except ReactionsError as exc:
            st.error(f"{exc} Save it as UTF-8 and upload it again.")
            return None
    problems = []
    if not text.strip():
        problems.append("Paste the article text or upload a .txt file.")
    if len(text) > MAX_ARTICLE_CHARACTERS:
        problems.append(f"The article is {len(text):,} characters; the limit is {MAX_ARTICLE_CHARACTERS:,}.")
    if not SLUG.fullmatch(event.strip()):
        problems.append("Give an event slug: 2–41 characters, lower case letters, digits and '-'.")
    elif event.strip() in view.data.options["event"]:
        problems.append(f"The event '{event.strip()}' exists already; choose another slug.")
    if date is None:
        problems.append("Give the article's date: speakers' roles and memberships are read on that date.")
    for problem in problems:
        st.error(problem)
    if problems:
        return None
    return Article(event.strip(), date.isoformat(), "", source.strip() or "pasted by the user", text)


def uncertain_first(proposed: pd.DataFrame) -> pd.DataFrame:
    """The proposed records, the least certain first (in article order within equal confidence), each marked
    "check" when its confidence is below UNCERTAIN_BELOW."""
    if "confidence" not in proposed.columns:
        return proposed
    ordered = proposed.assign(_order=range(len(proposed))).sort_values(
        ["confidence", "_order"], ascending=[True, True], kind="stable"
    )
    check = ["⚠ check" if value < UNCERTAIN_BELOW else "" for value in ordered["confidence"]]
    return ordered.drop(columns="_order").assign(check=check).reset_index(drop=True)


def review_table(proposed: pd.DataFrame, view: View) -> pd.DataFrame:
    actors = sorted(view.data.registry.actors)
    return st.data_editor(
        proposed,
        key="proposed_editor",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        disabled=[column for column in proposed.columns if column not in EDITABLE],
        column_order=[
            *(c for c in REVIEW_COLUMNS if c in proposed.columns),
            "actor",
            "stance",
            "target",
            "cue",
            "speaker",
            "speaker_role",
            "via",
            "mode",
            "text",
            "id",
        ],
        column_config={
            "check": st.column_config.TextColumn(
                "Check", help=f"confidence below {UNCERTAIN_BELOW}: read the sentence before accepting"
            ),
            "confidence": st.column_config.NumberColumn(
                "Confidence",
                format="%.2f",
                help="how sure the rules are of actor, stance and target together; see the Method page",
            ),
            "actor": st.column_config.SelectboxColumn("Actor", options=actors, required=True),
            "stance": st.column_config.SelectboxColumn("Stance", options=list(codebook.stances()), required=True),
            "target": st.column_config.TextColumn("Toward", help="actor names or aliases; several joined by '; '"),
            "mode": st.column_config.SelectboxColumn("Mode", options=list(MODES), required=True),
            "cue": st.column_config.TextColumn("Cue", help="the exact words of the sentence that carry the stance"),
            "text": st.column_config.TextColumn("Sentence", width="large"),
        },
    )


def accepted_download(records: pd.DataFrame, article: Article) -> None:
    provenance = Provenance(
        holds=f"reaction records accepted for {article.event}",
        codebook_version=codebook_version(),
        sources=(article.source,),
    )
    columns = st.columns(len(EXPORT_FORMATS) + 1)
    for column, (fmt, export_format) in zip(columns, EXPORT_FORMATS.items(), strict=False):
        column.download_button(
            f"Accepted records — {export_format.label}",
            data=export_bytes(records[list(RECORD_COLUMNS)], provenance, fmt),
            file_name=f"{article.event}_records{export_format.extension}",
            mime=export_format.mime,
            key=f"accepted_{article.event}_{fmt}",
            on_click="ignore",
        )
    # The CSV's provenance, under the name CSVW tools look for beside it.
    csv_name = f"{article.event}_records.csv"
    columns[-1].download_button(
        "Accepted records — description (CSVW)",
        data=csvw_metadata_bytes(records[list(RECORD_COLUMNS)], provenance, csv_name),
        file_name=metadata_name(csv_name),
        mime="application/csvm+json",
        key=f"accepted_{article.event}_csvw",
        on_click="ignore",
    )


def show_accepted() -> None:
    """After accepting: say where the records went, and offer them as a file (the server keeps nothing)."""
    if "just_accepted" not in st.session_state:
        return
    event, count = st.session_state["just_accepted"]
    st.success(f"{count} record(s) joined this session as event '{event}'. Pick it in the sidebar's Event filter.")
    added = st.session_state[ADDED_RECORDS_KEY]
    accepted_download(added[added["event"] == event], st.session_state[ADDED_ARTICLES_KEY][event])


def render(view: View) -> None:
    st.title("Add an article")
    st.caption(
        "Paste a report; the rules propose its reactions (who, stance, toward whom, with the sentence and the cue). "
        "Correct, delete or add rows, then accept: the records join this session's data as their own event, in every "
        "chart, filter and download, in this session only; "
        "save them to the library to keep them for every visitor, or download them."
    )
    show_saved_notice()
    show_accepted()
    article = article_form(view)
    if article is not None:
        st.session_state.pop("just_accepted", None)
        proposed = cached_extract(str(data_dir()), article.text, article.event, article.date, article.source)
        st.session_state[PROPOSED_KEY] = uncertain_first(proposed)
        st.session_state[PROPOSED_ARTICLE_KEY] = article
    proposed = st.session_state.get(PROPOSED_KEY)
    article = st.session_state.get(PROPOSED_ARTICLE_KEY)
    if proposed is None or article is None:
        return
    st.subheader(f"Proposed records for {article.event} ({len(proposed)})")
    if proposed.empty:
        st.info("No reaction was found in this text. You can add rows by hand below.")
    elif "check" in proposed.columns and (proposed["check"] != "").any():
        uncertain = int((proposed["check"] != "").sum())
        st.warning(
            f"{uncertain} of {len(proposed)} proposed records are uncertain (confidence below {UNCERTAIN_BELOW}); "
            "they come first, marked ⚠ check. Read their sentences before accepting."
        )
    edited = review_table(proposed, view)
    edited = edited.drop(columns=[c for c in REVIEW_COLUMNS if c in edited.columns])
    accepted_here = st.button("Accept these records", type="primary", key="accept")
    if accepted_here or library_save_button("Accept and save to the library", key="accept_save"):
        problems = validate_records(edited, view.data.registry, {article.event: article})
        if problems:
            st.error("Fix these before accepting (row numbers count the table's rows from 1):")
            st.dataframe(
                pd.DataFrame([{"row": p.row, "field": p.field, "problem": p.message} for p in problems]),
                hide_index=True,
            )
            return
        accepted = normalise_records(edited.assign(event=article.event, date=article.date), view.data.registry)
        scored = score_with_progress(accepted, str(data_dir()))
        if not accepted_here:  # saved for every visitor, on disk; not this session's
            if save_to_library(scored, article):
                st.session_state.pop(PROPOSED_KEY, None)
                st.rerun()
            return
        add_session_records(scored, article)
        st.session_state.pop(PROPOSED_KEY, None)
        st.session_state["just_accepted"] = (article.event, len(accepted))
        st.rerun()

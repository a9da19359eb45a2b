"""Upload records: a file of reaction records becomes its own event in this session, after validation."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import streamlit as st

from dashboard.decoding import describe_encoding
from dashboard.errors import ReactionsError
from dashboard.library import SLUG
from dashboard.records import (
    Article,
    is_warning,
    load_table_report,
    new_actor_codes,
    normalise_records,
    problems_table,
    split_valid_rows,
    validate_records,
)
from dashboard.targets import canonical_targets, parse_targets
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

JUST_ADDED_KEY = "just_uploaded"
LEAVE_OUT = "(leave these rows out)"
KEEP_AS_NEW = "(keep as written, a new actor)"
# The table of names the registry does not know, and the page's memory of the last bulk choice.
DECISIONS_KEY = "unknown_actors"
BULK_CHOICE_KEY = "unknown_actors_bulk"
KEEP_ALL, ACCEPT_ALL = "keep", "suggest"


class UnknownName(NamedTuple):
    suggestion: str  # the one actor the spelling points to, or ""
    cells: int


def unknown_names(problems) -> dict[str, UnknownName]:
    """The names kept as written (warnings), with the suggestion for each and in how many cells they stand."""
    found: dict[str, UnknownName] = {}
    for problem in problems:
        if not is_warning(problem):
            continue
        before = found.get(problem.value)
        cells = before.cells + 1 if before else 1
        found[problem.value] = UnknownName(problem.suggestion, cells)
    return found


def _suggestion_text(name: str, entry: UnknownName, view: View) -> str:
    if entry.suggestion:
        return entry.suggestion
    candidates = view.data.registry.candidates(name)
    return "one of: " + ", ".join(candidates) if candidates else ""


def unknown_actor_decisions(problems, view: View) -> dict[str, str]:
    """For each name the registry does not know, what the reader chose: kept as written (the default), a known
    actor (a suggestion is applied only when picked), or its rows left out."""
    unknown = unknown_names(problems)
    if not unknown:
        return {}
    with_suggestion = sum(1 for entry in unknown.values() if entry.suggestion)
    st.info(
        f"{len(unknown)} name(s) in this file are not among the states and organisations the dashboard knows. "
        "Each is kept as written, as a new actor. Where a name looks like one we know, the suggestion is shown "
        "beside it: pick it in the **Use** column, or accept all suggestions at once. A new actor is placed on the "
        "map at its country when the file gives its three-letter ISO code (an `actor_iso3` or `country code` "
        "column); otherwise it is listed under the map."
    )
    keep_column, accept_column = st.columns(2)
    if keep_column.button("Keep all as written", key="keep_all_names"):
        _bulk_choice(KEEP_ALL)
    if accept_column.button(
        f"Accept all suggestions ({with_suggestion})", key="accept_all_suggestions", disabled=not with_suggestion
    ):
        _bulk_choice(ACCEPT_ALL)
    accept = st.session_state.get(BULK_CHOICE_KEY) == ACCEPT_ALL
    if accept and with_suggestion:
        st.caption(
            f"Suggestions accepted for {with_suggestion} name(s); the others stay as written. "
            "Change any row below, or keep all as written."
        )
    choices = pd.DataFrame(
        [
            {
                "name": name,
                "rows": entry.cells,
                "suggestion": _suggestion_text(name, entry, view),
                "use": entry.suggestion if accept and entry.suggestion else KEEP_AS_NEW,
            }
            for name, entry in sorted(unknown.items())
        ]
    )
    edited = st.data_editor(
        choices,
        key=DECISIONS_KEY,
        hide_index=True,
        disabled=["name", "rows", "suggestion"],
        column_config={
            "name": st.column_config.TextColumn("Name in the file"),
            "rows": st.column_config.NumberColumn("Cells"),
            "suggestion": st.column_config.TextColumn("Suggestion"),
            "use": st.column_config.SelectboxColumn(
                "Use", options=[KEEP_AS_NEW, LEAVE_OUT, *sorted(view.data.registry.actors)], required=True
            ),
        },
    )
    return dict(zip(edited["name"], edited["use"], strict=True))


def _bulk_choice(choice: str) -> None:
    # Forget the table's single edits so that the bulk choice shows in every row.
    st.session_state[BULK_CHOICE_KEY] = choice
    st.session_state.pop(DECISIONS_KEY, None)


def apply_actor_decisions(table: pd.DataFrame, decisions: dict[str, str]) -> pd.DataFrame:
    """A copy with picked names replaced by the chosen actor (actor and target columns) and the rows that name
    a name to leave out removed; names kept as written stay as they are."""
    replacements = {name: choice for name, choice in decisions.items() if choice not in (LEAVE_OUT, KEEP_AS_NEW)}
    left_out = {name for name, choice in decisions.items() if choice == LEAVE_OUT}
    if not replacements and not left_out:
        return table
    out = table.copy()
    if left_out:

        def names_in(row) -> set[str]:
            return {str(row["actor"]).strip(), *parse_targets(row.get("target"))}

        out = out[[not (names_in(row) & left_out) for _, row in out.iterrows()]]
    out["actor"] = out["actor"].map(lambda name: replacements.get(str(name).strip(), name))
    if "target" in out.columns:
        out["target"] = out["target"].map(lambda cell: canonical_targets(cell, replacements.get))
    return out


ENCODING_KEY = "upload_encoding"
DETECT = "(detect)"


def choose_encoding(candidates: tuple[str, ...]) -> None:
    """When a file's code page cannot be told, let the reader pick the one whose words read right."""
    current = st.session_state.get(ENCODING_KEY)
    offered = [name for name in dict.fromkeys([*candidates, current]) if name and name != DETECT]
    if not offered:
        return
    st.selectbox(
        "Read the file as",
        [DETECT, *offered],
        format_func=lambda name: name if name == DETECT else describe_encoding(name),
        key=ENCODING_KEY,
        help="The message above shows what each code page makes of the words they disagree on.",
    )


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
        # Any file is taken, so that a PDF or a Word file gets a message in words from the reader (the
        # uploader's own refusal of a type is a red icon with no explanation).
        type=None,
        key="records_upload",
        help=f"Files up to {limit} MB are accepted here; `reactions score` reads larger ones.",
    )
    st.caption(f"Files up to {limit} MB (a larger one is refused: split it, or score it with the `reactions` CLI).")
    if upload is None:
        return
    chosen = st.session_state.get(ENCODING_KEY)
    encoding = None if chosen in (None, DETECT) else chosen
    try:
        table, report = load_table_report(
            upload, view.data.registry, view.data.articles, encoding=encoding, engine="pandera"
        )
    except ReactionsError as exc:
        st.error(str(exc))
        choose_encoding(getattr(exc, "candidates", ()))
        return
    if encoding:  # keep the choice on the page, and so in the session, while the file is read with it
        choose_encoding((encoding,))
    problems = list(report.problems)
    file_wide = [p for p in problems if p.row <= 0]
    if file_wide:
        st.error(f"{upload.name}: " + "; ".join(f"{p.field}: {p.message}" for p in file_wide))
        return
    st.caption(" · ".join(plain(line) for line in report.lines()))
    decisions = unknown_actor_decisions(problems, view)
    rows_read = len(table)
    table = apply_actor_decisions(table, decisions)
    kept_new = {name for name, choice in decisions.items() if choice == KEEP_AS_NEW}
    # Names kept as written are answered by the table above; what is left are the rows' real problems.
    problems = validate_records(table, view.data.registry, view.data.articles, engine="pandera")
    problems = [p for p in problems if not is_warning(p)]
    valid, _ = split_valid_rows(table, problems)
    left_out = rows_read - len(valid)
    st.write(f"**{plain(upload.name)}**: {rows_read:,} row(s) read, {len(valid):,} valid, {left_out:,} left out.")
    if problems:
        st.warning("These rows have problems and are left out (fix the file and upload it again to keep them):")
        st.dataframe(problems_table(problems, file=upload.name), hide_index=True, width="stretch")
    if valid.empty:
        return
    default_slug = re.sub(r"[^a-z0-9-]+", "-", Path(upload.name).stem.lower()).strip("-")[:41] or "upload"
    with st.form("upload_form"):
        event = st.text_input("Event slug for these records", value=default_slug, key="upload_event")
        title = st.text_input(
            "Title (optional)",
            key="upload_title",
            placeholder="e.g. Shelling of the border post, May 2024",
            help="What the Overview and the Library page call the event; without one, the file's name.",
        )
        sent = st.form_submit_button(f"Add {len(valid):,} record(s) to this session", type="primary", key="upload_add")
        saved = library_save_button("Save to the library", key="upload_save", form=True)
    if not (sent or saved):
        return
    event = event.strip()
    if not SLUG.fullmatch(event):
        st.error(
            f"'{plain(event)}' cannot be an event slug: give 2–41 characters, lower case letters (a–z), digits and "
            "'-', starting with a letter or digit (e.g. border-2024)."
        )
        return
    if event in view.data.options["event"]:
        st.error(f"The event '{plain(event)}' exists already (see the Library page); choose another slug.")
        return
    records = normalise_records(valid.assign(event=event), view.data.registry)
    codes = new_actor_codes(valid, kept_new)
    if codes:
        st.session_state.setdefault(ADDED_ACTORS_KEY, {}).update(codes)
    first_date = min((d for d in records["date"].astype(str) if d), default="")
    scored = score_with_progress(records, str(data_dir()))
    if saved:  # every visitor's, on disk; not this session's
        if save_to_library(scored, Article(event, first_date, title.strip(), upload.name, ""), codes):
            st.rerun()
        return
    add_session_records(scored, Article(event, first_date, title.strip(), upload.name, ""))
    # Rerun so the sidebar, drawn before this page, lists the new event at once.
    st.session_state[JUST_ADDED_KEY] = (event, len(records))
    st.rerun()

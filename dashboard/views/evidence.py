"""Evidence: every record with its quote, the cue highlighted, stance, target, tone and source."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from dashboard.figures import records_behind_points, stance_colour, text_colour_on
from dashboard.registry import Registry
from dashboard.views.common import View, show_empty_notice, stance_label
from dashboard.views.measures import PageFetcher, listed_records, selected_points, selected_records

CARDS_PER_PAGE = 20
# Above this the table would not fit one websocket message at a million records (475 MB); Downloads has it all.
TABLE_ROW_LIMIT = 1000
TABLE_COLUMNS = {
    "id": st.column_config.TextColumn("ID"),
    "actor": st.column_config.TextColumn("Actor"),
    "speaker": st.column_config.TextColumn("Speaker"),
    "stance": st.column_config.TextColumn("Stance"),
    "predicted_stance": st.column_config.TextColumn("Classifier", help="the rule classifier's stance"),
    "target": st.column_config.TextColumn("Toward"),
    "mode": st.column_config.TextColumn("Mode"),
    "cue": st.column_config.TextColumn("Cue"),
    "text": st.column_config.TextColumn("Quote", width="large"),
    "polarity": st.column_config.NumberColumn("Polarity", format="%+.2f", help="TextBlob"),
    "intensity": st.column_config.NumberColumn("Intensity", format="%+.2f"),
    "cameo": st.column_config.TextColumn("CAMEO"),
    "goldstein": st.column_config.NumberColumn("Goldstein", format="%+.1f"),
    "via": st.column_config.TextColumn("Via"),
    "source": st.column_config.TextColumn("Source"),
}


def records_behind_selection(event, records: pd.DataFrame) -> pd.DataFrame:
    """The records behind the marks a reader selected on a chart (each mark carries a selector or its id)."""
    return records_behind_points(selected_points(event), records)


def show_selected_evidence(event, view: View, hint: str) -> None:
    """Under a chart: the sentences behind the marks the reader selected, or a hint how to select."""
    total, fetch = selected_records(event, view)
    if not total:
        st.caption(hint)
        return
    st.subheader(f"Evidence for the {total:,} selected record(s)")
    paged_evidence_cards(total, fetch, page_key=f"_selected_{hint[:12]}")


def highlighted_quote(text: str, cue: str, colour: str) -> str:
    """The quote as HTML with the cue marked; everything escaped, so a quote can never inject markup."""
    quote = " ".join(str(text).split())
    cue = " ".join(str(cue).split())
    at = quote.find(cue) if cue else -1
    if at < 0:
        return html.escape(quote)
    before, marked, after = quote[:at], quote[at : at + len(cue)], quote[at + len(cue) :]
    mark = f'<mark style="background:{colour}55;border-bottom:2px solid {colour};padding:0 2px">'
    return f"{html.escape(before)}{mark}{html.escape(marked)}</mark>{html.escape(after)}"


def evidence_card(record: pd.Series) -> str:
    colour = stance_colour(record["stance"])
    who = html.escape(record["actor"])
    if record.get("speaker"):
        role = f", {record['speaker_role']}" if record.get("speaker_role") else ""
        who += f' <span style="color:#555">({html.escape(record["speaker"] + role)})</span>'
    elif record.get("speaker_role"):
        who += f' <span style="color:#555">({html.escape(record["speaker_role"])})</span>'
    toward = f" → <b>{html.escape(record['target'])}</b>" if record.get("target") else ""
    badge = (
        f'<span style="background:{colour};color:{text_colour_on(colour)};border-radius:4px;padding:1px 6px;'
        f'font-weight:600">'
        f"{html.escape(stance_label(record['stance']))}</span>"
    )
    disagree = ""
    if not record["stance_found"]:
        disagree = (
            f' <span title="the rule classifier does not read this stance in the sentence" style="color:#a33">'
            f"classifier: {html.escape(stance_label(record['predicted_stance']))}</span>"
        )
    via = f" · via {html.escape(record['via'])}" if record.get("via") else ""
    facts = (
        f"TextBlob polarity {record['polarity']:+.2f} · subjectivity {record['subjectivity']:.2f} · "
        f"intensity {record['intensity']:+.2f} · CAMEO {html.escape(str(record['cameo']))} "
        f"{html.escape(str(record['cameo_label']))} (Goldstein {record['goldstein']:+.1f}) · {html.escape(record['mode'])}"
        f" · {html.escape(record['id'])} · {html.escape(str(record['source']))}{via}"
    )
    reads = html.escape(record["sentence_reactions"].replace("_", " ")) or "no stance cue"
    facts += f"<br>the rules read in this sentence: {reads}"
    return (
        f'<div style="border-left:5px solid {colour};padding:6px 12px;margin:0 0 12px 0">'
        f"<div>{who} {badge}{toward}{disagree}</div>"
        f'<div style="font-size:1.05em;margin:4px 0">“{highlighted_quote(record["text"], record["cue"], colour)}”</div>'
        f'<div style="color:#555;font-size:0.85em">{facts}</div></div>'
    )


def evidence_cards(records: pd.DataFrame, registry: Registry | None = None, page_key: str = "") -> None:
    """The records as readable cards, cue highlighted, paged so a long list stays fast."""
    paged_evidence_cards(len(records), lambda offset, limit: records.iloc[offset : offset + limit], page_key)


def paged_evidence_cards(total: int, fetch: PageFetcher, page_key: str = "") -> None:
    """`total` records as readable cards, `CARDS_PER_PAGE` at a time: only the page shown is fetched."""
    pages = max(1, -(-total // CARDS_PER_PAGE))
    page = 1
    if pages > 1:
        page = st.number_input(
            f"Page, 1 to {pages:,} ({CARDS_PER_PAGE} quotes a page)", 1, pages, 1, key=f"evidence_page{page_key}"
        )
    shown = fetch((page - 1) * CARDS_PER_PAGE, CARDS_PER_PAGE)
    st.html("".join(evidence_card(record) for _, record in shown.iterrows()))


def render(view: View) -> None:
    st.title("Evidence")
    st.caption("Every record with the sentence it comes from; the words that carry the stance are highlighted.")
    if show_empty_notice(view):
        return
    only_disagreements = st.toggle("Only records whose stance the rule classifier does not find in the sentence")
    total, fetch = listed_records(view, only_disagreements)
    st.caption(f"{total:,} record(s)")
    cards_tab, table_tab = st.tabs(["Quotes", "Table"])
    with cards_tab:
        paged_evidence_cards(total, fetch, page_key="_evidence")
    with table_tab:
        if total > TABLE_ROW_LIMIT:
            st.caption(
                f"Showing the first {TABLE_ROW_LIMIT:,} of {total:,} records; narrow the filters, or take the "
                "whole table from Downloads."
            )
        shown = fetch(0, TABLE_ROW_LIMIT)[list(TABLE_COLUMNS)]
        st.dataframe(shown, hide_index=True, width="stretch", column_config=TABLE_COLUMNS)

"""Method: how each score is made, what it means, and its known limits."""

from __future__ import annotations

import streamlit as st

from dashboard import knowledge_path, package_file
from dashboard.codebook import codebook_version, crosswalk_path, load_codebook
from dashboard.datafiles import read_commented_csv
from dashboard.views.common import View, shipped_records

# docs/method.md, shipped in the package as dashboard/method.md (a link to it in a checkout).
METHOD_TEXT = "method.md"
CALIBRATION_FILE = "confidence_calibration.csv"


@st.cache_data(show_spinner=False)
def cached_method_text() -> str:
    return package_file(METHOD_TEXT).read_text(encoding="utf-8")


def render(view: View) -> None:
    st.title("Method")
    st.markdown(cached_method_text())
    scored = shipped_records()  # the curated ones: not the library's, nor this session's
    agree = int((scored["predicted_stance"] == scored["stance"]).sum())
    st.subheader("The classifier against the curated labels of this dataset")
    st.markdown(
        f"On the {len(scored)} curated records shipped with the dashboard, the rule classifier gives the curated "
        f"stance for **{agree}** ({agree / max(len(scored), 1):.0%}). These are the records the lexicon was written "
        "beside, and a sentence with several reactions gets one headline prediction for all of its records, so read "
        "this as a consistency check. Accuracy on 108 labelled sentences from other reports is in the README."
    )
    calibration_section()
    st.subheader(f"Codebook (version {codebook_version()})")
    # A static table wraps each cell: the definitions are read in full (a data grid cut them at one line).
    st.table(load_codebook().set_index("stance"))
    st.subheader("Stance → CAMEO crosswalk")
    st.dataframe(read_commented_csv(crosswalk_path()), hide_index=True, width="stretch")


def calibration_section() -> None:
    """How often records at each confidence were right on the development data (measured by a script)."""
    st.subheader("How far to trust a confidence")
    calibration = knowledge_path(CALIBRATION_FILE)
    if not calibration.is_file():
        st.info(f"No calibration table: {CALIBRATION_FILE} is missing from the data folder.")
        return
    table = read_commented_csv(calibration)
    st.markdown(
        "Every proposed record and every scored sentence carries a confidence in 0–1. Below, for the development "
        "data (six real articles and 108 real sentences about other incidents, not shipped with the dashboard), the "
        "share that was right in each confidence band: where **share right** is close to **mean confidence**, the "
        "confidence can be read as a probability. *Extraction*: a record is right when its actor, stance and target "
        "all match a hand-labelled line of its article. *Stance*: the predicted stance of a sentence whose actor is "
        "given. On the Add an article page, records below 0.65 come first, marked ⚠ check."
    )
    for name, label in (("extraction", "Extraction (Add an article)"), ("stance", "Stance of a given sentence")):
        rows = table[table["set"] == name].drop(columns="set")
        if len(rows):
            st.caption(label)
            st.dataframe(rows, hide_index=True, width="stretch")

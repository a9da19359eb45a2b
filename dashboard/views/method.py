"""Method: how each score is made, what it means, and its known limits."""

from __future__ import annotations

import streamlit as st

from dashboard import PROJECT_DIR
from dashboard.codebook import CODEBOOK_VERSION, CROSSWALK_PATH, load_codebook
from dashboard.datafiles import read_commented_csv
from dashboard.views.common import View

METHOD_TEXT = PROJECT_DIR / "docs" / "method.md"


@st.cache_data(show_spinner=False)
def cached_method_text() -> str:
    return METHOD_TEXT.read_text(encoding="utf-8")


def render(view: View) -> None:
    st.title("Method")
    st.markdown(cached_method_text())
    scored = view.data.scored
    agree = int((scored["predicted_stance"] == scored["stance"]).sum())
    st.subheader("The classifier against the curated labels of this dataset")
    st.markdown(
        f"On the {len(scored)} curated records shipped with the dashboard, the rule classifier gives the curated "
        f"stance for **{agree}** ({agree / max(len(scored), 1):.0%}). These are the records the lexicon was written "
        "beside, and a sentence with several reactions gets one headline prediction for all of its records, so read "
        "this as a consistency check. Accuracy on 108 labelled sentences from other reports is in the README."
    )
    st.subheader(f"Codebook (version {CODEBOOK_VERSION})")
    st.dataframe(load_codebook(), hide_index=True, width="stretch")
    st.subheader("Stance → CAMEO crosswalk")
    st.dataframe(read_commented_csv(CROSSWALK_PATH), hide_index=True, width="stretch")

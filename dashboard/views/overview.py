"""Overview: key figures and the chart that answers "who condemned, supported, warned"."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import codebook
from dashboard.codebook import stances_in_family
from dashboard.targets import parse_targets
from dashboard.views.common import (
    PLOTLY_CONFIG,
    View,
    current_view,
    per_view,
    plain,
    show_empty_notice,
    stance_label,
)
from dashboard.views.evidence import show_selected_evidence
from dashboard.views.measures import (
    view_by_target,
    view_found_by_the_rules,
    view_key_figures,
    view_stance_by_actor_figure,
)

# "In words" is read, not scanned: per stance the targets with most records, per target the first actors (by
# name), and how many more. A library event of 200,000 records named 1.7 MB of them, which a browser takes
# seconds to lay out; the per-target table (Who → whom, Downloads) has them all.
HEADLINE_TARGETS = 6
HEADLINE_ACTORS = 8
# With every event shown, the caption names this many of them (the Library page lists all).
EVENTS_NAMED = 6


def headline(by_target: pd.DataFrame) -> list[str]:
    """One line per stance present: who took it and toward whom, e.g. "condemn: NATO, United States → Syria";
    `by_target` is summarise_by_target of the records (targets with most records first)."""
    lines = []
    for stance, rows in by_target.groupby("stance", sort=False):
        parts = []
        for row in rows.head(HEADLINE_TARGETS).itertuples():
            actors = parse_targets(row.actors)  # a "; "-joined list of names, like targets
            shown = ", ".join(plain(actor) for actor in actors[:HEADLINE_ACTORS])
            if len(actors) > HEADLINE_ACTORS:
                shown += f" and {len(actors) - HEADLINE_ACTORS:,} more"
            parts.append(f"{shown} → {plain(row.target)}")
        if len(rows) > HEADLINE_TARGETS:
            parts.append(f"{len(rows) - HEADLINE_TARGETS:,} more targets (Who → whom lists them)")
        lines.append(f"**{stance_label(stance)}**: " + " · ".join(parts))
    return lines


def found_by_the_rules(records: pd.DataFrame) -> tuple[int, int]:
    """(found, checked): of the records whose stance a person gave, how many the rules also read. Records whose
    stance the rules made are left out: counting them would make the figure perfect by construction."""
    curated = records["stance_source"].astype(str) == "curated"
    return int((records["stance_found"].astype(bool) & curated).sum()), int(curated.sum())


@dataclass(frozen=True)
class OverviewAnswers:
    """What the Overview shows of a view, computed (and cached per view) before anything is drawn: also what
    a warm start computes for the landing page before the first visitor arrives (views/warm_start.py)."""

    figures: dict
    found: tuple[int, int]
    chart: object | None  # the stance-by-actor figure; None when no record passes
    lines: list[str]


def overview_answers(view: View) -> OverviewAnswers:
    figures = view_key_figures(view)
    found = view_found_by_the_rules(view, found_by_the_rules)
    if not figures["records"]:
        return OverviewAnswers(figures, found, None, [])
    chart = view_stance_by_actor_figure(view)
    lines = per_view(view, "headline", lambda: headline(view_by_target(view)))
    return OverviewAnswers(figures, found, chart, lines)


def render(view: View) -> None:
    answers = overview_answers(view)
    st.title("Overview")
    articles = view.data.articles.values()
    shown = [article for article in articles if not view.state.event or article.event == view.state.event]
    if len(shown) == 1:
        # An uploaded file has no title: leave the empty part out rather than show "date · · file.csv".
        article = shown[0]
        st.caption(" · ".join(plain(part) for part in (article.date, article.title, article.source) if part))
    elif shown:
        # A line per event, unnamed, pushed the figures down the page once the library held a few events.
        named = ", ".join(plain(article.event) for article in shown[:EVENTS_NAMED])
        more = f" and {len(shown) - EVENTS_NAMED:,} more" if len(shown) > EVENTS_NAMED else ""
        st.caption(
            f"All {len(shown):,} events: {named}{more}. Pick one in the sidebar's Event filter; the Library page "
            "lists them with their titles and dates."
        )
    figures = answers.figures
    columns = st.columns(6)
    columns[0].metric("Records", figures["records"], help=f"of {view.data.record_count:,} records in all events")
    columns[1].metric("Actors", figures["actors"])
    columns[2].metric("Targets", figures["targets"])
    columns[3].metric(
        "Hostile share",
        f"{figures['hostile_share']:.0%}" if figures["records"] else "—",
        help="share of records whose stance the codebook files as hostile: "
        + ", ".join(stance_label(stance) for stance in codebook.stances() if stance in stances_in_family("hostile")),
    )
    found, checked = answers.found
    columns[4].metric(
        "Found by the rules",
        f"{found}/{checked}" if checked else "—",
        help=(
            "curated records (a person gave the stance) whose stance the rule classifier also reads in the "
            f"sentence, for that actor; as the sentence's single headline stance: {checked - figures['disagreements']}"
            if checked
            else "no record here has a stance a person gave: the rules made every stance, so there is nothing "
            "to check them against"
        ),
    )
    columns[5].metric("Tone conflicts", figures["tone_conflicts"], help="TextBlob's sign contradicts the stance")
    if not figures["records"]:
        show_empty_notice(view)
        return
    event = st.plotly_chart(
        answers.chart,
        key="chart_stance_by_actor",
        on_select="rerun",
        selection_mode=("points", "box"),
        config=PLOTLY_CONFIG,
        width="stretch",
    )
    with st.expander("In words: each stance, who took it, toward whom", expanded=True):
        st.markdown("\n".join(f"- {line}" for line in answers.lines))
    show_selected_evidence(event, view, "Click or box-select bars to see the sentences behind them.")


def render_current_view() -> None:
    """The page as a callable, for the /overview address (the page script serves /)."""
    render(current_view())

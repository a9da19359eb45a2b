"""What the world map and the Who -> whom chart draw, counted from the records in view: a small answer however
many records there are.

The map needs, per actor, its dominant stance (the table under the map), the busiest actor -> target links with
the first sentence of each, the records each target receives, the targets in the order they first appear, the
first sentence of each actor's dominant stance and the earliest date. `map_counts` counts them with pandas from
a records frame; `dashboard.store_summaries.store_map_counts` asks the query engine for the same answer
(tests/test_query.py holds the two to each other), and the figure is drawn from either. The Who -> whom chart
needs the busiest (actor, target, stance) bands, how many there are and how many records they carry in all
(`flow_links`, and `store_summaries.store_flow_links`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard.codebook import stances
from dashboard.summary import NO_TARGET_LABEL, dominant_stance_by_actor, explode_targets

LINK_KEYS = ["actor", "target", "stance"]


@dataclass(frozen=True)
class MapCounts:
    """The map's numbers for one view, toward one target or overall."""

    # dominant_stance_by_actor: actor, dominant_stance, records, targets; sorted by actor.
    dominant: pd.DataFrame
    # The links drawn (actor -> target, per stance; records naming a target only): actor, target, stance,
    # records and, when the records have text, the first record's `text`; in the order each link first appears.
    links: pd.DataFrame
    # How many links are in view (the busiest `limit` are in `links`).
    link_total: int = 0
    # The target names in view, in the order they first appear ("" where a record names none).
    targets: tuple[str, ...] = ()
    # Records aimed at each target.
    received: dict[str, int] = field(default_factory=dict)
    # The first sentence in which each actor took its dominant stance (when the records have text).
    quotes: dict[str, str] = field(default_factory=dict)
    # The earliest record date in view (all targets), or None.
    first_date: str | None = None

    @property
    def empty(self) -> bool:
        return self.dominant.empty


def empty_map_counts() -> MapCounts:
    empty = dominant_stance_by_actor(pd.DataFrame({"actor": [], "stance": [], "target": []}))
    links = pd.DataFrame({"actor": [], "target": [], "stance": [], "records": []})
    return MapCounts(dominant=empty, links=links.astype({"records": "int64"}))


def incident_date(scored: pd.DataFrame) -> str | None:
    """The earliest record date: organisations are shaded with their members on that day."""
    if "date" not in scored:
        return None
    dates = sorted(d for d in scored["date"].fillna("").astype(str) if d)
    return dates[0] if dates else None


def link_order(links: pd.DataFrame) -> pd.DataFrame:
    """`links` (actor, target, stance, records) busiest first; ties in stance order, then by name."""
    order = {stance: i for i, stance in enumerate(stances())}
    ranked = links.assign(_rank=links["stance"].map(lambda s: order.get(s, len(order))))
    ranked = ranked.sort_values(
        ["records", "_rank", "actor", "target", "stance"], ascending=[False, True, True, True, True], kind="stable"
    )
    return ranked.drop(columns="_rank")


def map_counts(scored: pd.DataFrame, toward: str | None, limit: int) -> MapCounts:
    """The map's numbers from a records frame (with pandas), toward `toward` or overall, with the `limit` busiest
    links (figures.map_lines.MAP_LINK_LIMIT)."""
    frame = explode_targets(scored) if not scored.empty else scored
    if toward and not frame.empty:
        frame = frame[frame["target"] == toward]
    if frame.empty:
        return empty_map_counts()
    frame = frame.assign(actor=frame["actor"].astype(str))
    dominant = dominant_stance_by_actor(scored, toward=toward)
    aimed = frame[frame["target"] != ""]
    sizes = aimed.groupby(LINK_KEYS).size().rename("records").reset_index()
    busiest = link_order(sizes).head(limit)
    # One row per link, where it first appears (its first record's sentence), in that order.
    with_text = "text" in frame
    firsts = aimed[[*LINK_KEYS, *(["text"] if with_text else [])]].drop_duplicates(LINK_KEYS)
    links = firsts.merge(busiest, on=LINK_KEYS, how="inner", sort=False)
    links = links[[*LINK_KEYS, "records", *(["text"] if with_text else [])]].reset_index(drop=True)
    quotes = {}
    if with_text:
        first = frame[["actor", "stance", "text"]].drop_duplicates(["actor", "stance"])
        said = {(a, s): str(t) for a, s, t in zip(first["actor"], first["stance"], first["text"], strict=True)}
        for actor, stance in zip(dominant["actor"], dominant["dominant_stance"], strict=True):
            if (actor, stance) in said:
                quotes[actor] = said[(actor, stance)]
    return MapCounts(
        dominant=dominant,
        links=links,
        link_total=len(sizes),
        targets=tuple(frame["target"].unique()),
        received={str(t): int(n) for t, n in aimed.groupby("target").size().items()},
        quotes=quotes,
        first_date=incident_date(scored),
    )


@dataclass(frozen=True)
class FlowLinks:
    """The Who -> whom chart's bands for one view."""

    # The busiest bands: actor, target (NO_TARGET_LABEL for records naming none), stance, records; busiest first,
    # then by actor, target and stance.
    links: pd.DataFrame
    # How many bands there are in view, and the records they carry (a record counts once per target).
    bands: int = 0
    pairs: int = 0


def flow_links(scored: pd.DataFrame, limit: int) -> FlowLinks:
    """The `limit` busiest (actor, target, stance) bands of the records (with pandas), and the totals."""
    frame = explode_targets(scored)
    frame = frame.assign(
        actor=frame["actor"].astype(str),
        stance=frame["stance"].fillna("").astype(str),
        target=frame["target"].replace("", NO_TARGET_LABEL),
    )
    every = frame.groupby(LINK_KEYS, sort=False).size().rename("records").reset_index()
    busiest = every.sort_values(["records", *LINK_KEYS], ascending=[False, True, True, True]).head(limit)
    return FlowLinks(busiest.reset_index(drop=True), len(every), int(every["records"].sum()))

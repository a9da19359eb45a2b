"""Selections map back to records.

A mark that stands for a group of records (a bar segment, a map country, seat marker or line midpoint, a
Sankey link) carries as its `customdata` a one-item list holding a *selector*: "select?" and the URL-encoded
fields that pick its records out of the view (actor, stance, target), so its payload is a few bytes however
many records it counts (carrying every id cost 18 to 57 MB per chart at a million records). A mark for one
record (a tone mark) carries its id. Sankey links carry the string itself.
`records_behind_selection(event, records)` turns a Streamlit selection event into the records behind the
selected marks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pandas as pd

from dashboard.filters import NO_TARGET, aimed_at

# Joins the record ids a mark stands for in its customdata (the same separator as joined targets);
# a record id must not contain it.
RECORD_ID_SEPARATOR = ";"


def carried(ids: Iterable[str]) -> list[str]:
    """A point's customdata: one item, its record ids joined (readable as %{customdata[0]})."""
    return [RECORD_ID_SEPARATOR.join(dict.fromkeys(str(i) for i in ids))]


def record_ids_from_points(points: Iterable[Mapping[str, Any]] | None) -> list[str]:
    """Record ids behind selected points (Streamlit's `selection["points"]`), in order, unique."""
    ids: list[str] = []
    for point in points or ():
        custom = point.get("customdata")
        if custom is None:
            continue
        values = [custom] if isinstance(custom, str) else list(custom)
        for value in values:
            ids.extend(part for part in str(value or "").split(RECORD_ID_SEPARATOR) if part)
    return list(dict.fromkeys(ids))


def record_ids_from_selection(event: Any) -> list[str]:
    """Record ids behind the marks selected on a chart: `event` is what st.plotly_chart returns with
    on_select (attribute or dict access), or None."""
    return record_ids_from_points(_selected_events(event))


SELECTOR_PREFIX = "select?"
# The fields a selector may name: each matches the record's own value, except target (any of its targets).
SELECTOR_FIELDS = ("actor", "stance", "target")


def selector(**fields: str) -> list[str]:
    """A group mark's customdata: the fields that pick its records out of the view. target="" means
    records naming no target."""
    return [SELECTOR_PREFIX + urlencode(fields)]


def _selected_events(event: Any) -> list[Mapping[str, Any]]:
    if event is None:
        return []
    selection = event.get("selection") if isinstance(event, Mapping) else getattr(event, "selection", None)
    if not selection:
        return []
    points = selection.get("points") if isinstance(selection, Mapping) else getattr(selection, "points", None)
    return list(points or [])


def records_behind_points(points: Iterable[Mapping[str, Any]] | None, records: pd.DataFrame) -> pd.DataFrame:
    """The rows of `records` behind the selected points, in the frame's order: points carrying record ids
    pick those ids, points carrying a selector pick every record matching all its fields. A selector naming
    a field the frame lacks, or a field it does not know, picks nothing."""
    ids: list[str] = []
    keep = pd.Series(False, index=records.index)
    for point in points or ():
        custom = point.get("customdata")
        if custom is None:
            continue
        for value in [custom] if isinstance(custom, str) else list(custom):
            text = str(value or "")
            if text.startswith(SELECTOR_PREFIX):
                keep |= _matching(records, dict(parse_qsl(text[len(SELECTOR_PREFIX) :], keep_blank_values=True)))
            else:
                ids.extend(part for part in text.split(RECORD_ID_SEPARATOR) if part)
    if ids and "id" in records:
        keep |= records["id"].astype(str).isin(ids)
    return records[keep]


def _matching(records: pd.DataFrame, fields: Mapping[str, str]) -> pd.Series:
    if not fields or any(name not in SELECTOR_FIELDS or name not in records for name in fields):
        return pd.Series(False, index=records.index)
    match = pd.Series(True, index=records.index)
    for name, value in fields.items():
        if name == "target":
            match &= aimed_at(records["target"].fillna(""), (value or NO_TARGET,))
        else:
            match &= records[name].astype(str) == value
    return match


def records_behind_selection(event: Any, records: pd.DataFrame) -> pd.DataFrame:
    """The records behind the marks selected on a chart: `event` is what st.plotly_chart returns with
    on_select (attribute or dict access), or None (no rows then)."""
    return records_behind_points(_selected_events(event), records)


def record_ids(scored: pd.DataFrame) -> pd.Series:
    return scored["id"].astype(str) if "id" in scored else pd.Series(scored.index.astype(str), index=scored.index)

"""Converting between the scored records frame and an event file of the library: the stored schema (record
and score columns with fixed dtypes, other columns kept as JSON), the frame a rescore starts from, and the
metadata the file's footer holds. Used by dashboard/library.py.
"""

from __future__ import annotations

import datetime
import json
import re

import pandas as pd

from dashboard.records import RECORD_COLUMNS
from dashboard.scoring import SCORED_COLUMNS
from dashboard.targets import parse_targets

# Bumped when the stored layout changes in a way older code cannot read.
FORMAT_VERSION = 1
# Columns of a user's file beyond the record's own are kept, as one JSON object per row in this column.
EXTRA_COLUMN = "extra"
STORED_COLUMNS = (*RECORD_COLUMNS, *SCORED_COLUMNS, EXTRA_COLUMN)
BOOL_COLUMNS = ("negated", "tone_conflict", "stance_agrees", "stance_found")
FLOAT_COLUMNS = ("confidence", "polarity", "subjectivity", "intensity", "goldstein")
OFFSET_COLUMNS = ("start", "end")
# Where a record's stance came from the rules; rescoring reads these again from the text.
PREDICTED = "predicted"


def _stored_frame(scored: pd.DataFrame) -> pd.DataFrame:
    """The scored records in the stored schema: every record and score column, other columns as JSON."""
    frame = pd.DataFrame(index=range(len(scored)))
    source = scored.reset_index(drop=True)
    for column in (*RECORD_COLUMNS, *SCORED_COLUMNS):
        values = source[column] if column in source.columns else pd.Series([""] * len(source))
        if column in OFFSET_COLUMNS:
            frame[column] = pd.array(pd.to_numeric(values, errors="coerce"), dtype="Int64")
        elif column in BOOL_COLUMNS:
            frame[column] = values.fillna(False).astype(bool)
        elif column in FLOAT_COLUMNS:
            frame[column] = pd.to_numeric(values, errors="coerce").astype("float64")
        else:
            frame[column] = values.fillna("").astype(str)
    extra = [c for c in source.columns if c not in RECORD_COLUMNS and c not in SCORED_COLUMNS and c != EXTRA_COLUMN]
    if extra:
        lines = source[extra].astype(str).to_json(orient="records", lines=True, force_ascii=False)
        frame[EXTRA_COLUMN] = lines.splitlines()[: len(source)] if len(source) else []
    elif EXTRA_COLUMN in source.columns:  # stored records stored again (a rescore, a copy): kept as they are
        frame[EXTRA_COLUMN] = source[EXTRA_COLUMN].fillna("").astype(str)
    else:
        frame[EXTRA_COLUMN] = ""
    return frame


# What the app reads: every record and score column; the extra columns' JSON stays on disk.
APP_COLUMNS = [*RECORD_COLUMNS, *SCORED_COLUMNS]


def records_for_app(stored: pd.DataFrame) -> pd.DataFrame:
    """Stored records as the app holds scored ones (the extra-columns JSON stays on disk)."""
    return stored.drop(columns=[EXTRA_COLUMN], errors="ignore")


def records_to_rescore(stored: pd.DataFrame) -> pd.DataFrame:
    """The records as they were before scoring: the rules' stance, target and cue cleared where the rules gave
    them, so a rescore reads them again; curated ones stay. Extra columns come back as columns."""
    records = stored[list(RECORD_COLUMNS)].copy()
    predicted = stored["stance_source"] == PREDICTED
    records["stance"] = records["stance"].where(~predicted, "")
    # A target or cue the file gave is kept by scoring; one equal to the rules' reading came from the rules.
    for column, reading in (("target", "predicted_target"), ("cue", "predicted_cue")):
        from_rules = predicted & (stored[column] == stored[reading])
        records[column] = records[column].where(~from_rules, "")
    cells = stored[EXTRA_COLUMN] if EXTRA_COLUMN in stored.columns else pd.Series([], dtype=str)
    if (cells != "").any():
        extra = pd.DataFrame([json.loads(cell) if cell else {} for cell in cells], index=records.index)
        records = pd.concat([records, extra.fillna("")], axis=1)
    return records


def _event_metadata(
    slug: str, stored: pd.DataFrame, title: str, date: str, source: str, article_text: str, new_actors: dict
) -> dict:
    dates = sorted(d for d in stored["date"].unique() if re.match(r"^\d{4}-\d{2}-\d{2}$", d))
    return {
        "format": FORMAT_VERSION,
        "slug": slug,
        "title": title,
        "date": date or (dates[0] if dates else ""),
        "first_date": dates[0] if dates else "",
        "last_date": dates[-1] if dates else "",
        "actors": sorted(stored["actor"].unique().tolist()),
        # The filter options this event adds, so a server lists them without reading every record.
        "targets": sorted({name for cell in stored["target"].unique() for name in parse_targets(cell)}),
        "untargeted": bool((stored["target"].str.strip() == "").any()),
        "modes": sorted(stored["mode"].unique().tolist()),
        "source": source,
        "article": article_text,
        "new_actors": dict(new_actors),
        "saved_at": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }

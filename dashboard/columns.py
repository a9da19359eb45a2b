"""Matching the headers of people's own files to the record columns: case-insensitively and by synonym.

The synonyms are data (data/column_synonyms.csv); this module holds only the mechanism.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dashboard.datafiles import read_commented_csv
from dashboard.errors import InvalidDataError, Problem

# "Speaker Role", "speaker-role", "SPEAKER_ROLE" and "speaker.role" all name speaker_role.
_HEADER_SEPARATORS = re.compile(r"[\s_.\-]+")


def header_key(header: object) -> str:
    """A header folded for matching: case-insensitive, with runs of spaces, _, - and . as one `_`."""
    return _HEADER_SEPARATORS.sub("_", str(header).casefold()).strip("_")


def load_column_synonyms(path: Path, record_columns: tuple[str, ...]) -> dict[str, str]:
    """Folded header → record column, for every record column's own name and every synonym in the file."""
    table = read_commented_csv(path, required=("column", "synonym"))
    by_key = {header_key(column): column for column in record_columns}
    problems = []
    for row, (column, synonym) in enumerate(zip(table["column"], table["synonym"], strict=True), start=1):
        key = header_key(synonym)
        if column not in record_columns:
            problems.append(Problem(row, "column", f"{column!r} is not a record column", column))
        elif not key:
            problems.append(Problem(row, "synonym", "is empty", synonym))
        elif by_key.get(key, column) != column:
            problems.append(Problem(row, "synonym", f"{synonym!r} already means {by_key[key]!r}", synonym))
        else:
            by_key[key] = column
    if problems:
        raise InvalidDataError(str(path), problems)
    return by_key


@dataclass(frozen=True)
class ColumnMatch:
    """How a file's headers map to record columns: the renames made, and headers left as written and why."""

    renamed: dict[str, str]
    notes: tuple[str, ...]


def match_columns(headers: list[object], synonyms: dict[str, str]) -> ColumnMatch:
    """Which headers to rename to record columns. A header already spelt exactly as a record column wins;
    otherwise the first header (left to right) that means a column takes it, and later ones stay as written."""
    taken = {header for header in headers if header in synonyms.values()}
    renamed: dict[str, str] = {}
    notes = []
    for header in headers:
        column = synonyms.get(header_key(header))
        if column is None or header == column:
            continue
        if column in taken:
            notes.append(f"column {str(header)!r} also means {column!r}; kept as written, since {column!r} is taken")
            continue
        taken.add(column)
        renamed[str(header)] = column
    return ColumnMatch(renamed, tuple(notes))

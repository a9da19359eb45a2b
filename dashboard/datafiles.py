"""Reading the project's knowledge files: CSV with a leading block of `#` lines that explain the columns."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from dashboard import decoding
from dashboard.errors import InvalidDataError, Problem, UnreadableFileError


def read_commented_csv(path: Path | str, required: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read a CSV whose leading `#` lines are documentation; every cell stays a string.

    Only the leading block is skipped (not pandas' `comment=`), so a `#` inside a cell is kept.
    """
    path = Path(path)
    try:
        # utf-8-sig: our CSV exports start with a byte-order mark so that Excel reads them as UTF-8.
        lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    except FileNotFoundError as exc:
        raise UnreadableFileError(str(path), _missing_reason(path)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableFileError(str(path), str(exc)) from exc
    first_data_line = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    body = "".join(lines[first_data_line:])
    try:
        table = pd.read_csv(io.StringIO(body), dtype=str, keep_default_na=False, quoting=csv.QUOTE_MINIMAL)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise UnreadableFileError(str(path), str(exc)) from exc
    missing = [column for column in required if column not in table.columns]
    if missing:
        raise InvalidDataError(
            str(path), [Problem(0, column, "column is missing from the header") for column in missing]
        )
    return table


def _missing_reason(path: Path) -> str:
    """Why a knowledge file is not there, saying where REACTIONS_DATA_DIR sent us when it did."""
    from dashboard import DATA_DIR, DATA_DIR_VARIABLE, knowledge_dir

    folder = knowledge_dir()
    if folder != DATA_DIR and path.parent == folder:
        return (
            f"no such file: {DATA_DIR_VARIABLE} is set to {folder}, which must hold every knowledge file; "
            f"copy the shipped ones from {DATA_DIR} (or unset {DATA_DIR_VARIABLE})"
        )
    return "no such file"


# Decoding people's files lives in dashboard.decoding; re-exported here, where callers have found it.
decode_text = decoding.decode_text

"""Reading the project's knowledge files: CSV with a leading block of `#` lines that explain the columns."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from dashboard.errors import InvalidDataError, Problem, UnreadableFileError


def read_commented_csv(path: Path | str, required: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read a CSV whose leading `#` lines are documentation; every cell stays a string.

    Only the leading block is skipped (not pandas' `comment=`), so a `#` inside a cell is kept.
    """
    path = Path(path)
    try:
        # utf-8-sig: our CSV exports start with a byte-order mark so that Excel reads them as UTF-8.
        lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
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


# Byte-order marks, longest first (UTF-32's LE mark begins with UTF-16's).
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Text a person saved holds few control characters (tab, newline and carriage return aside); past this share
# the bytes are binary data that Latin-1, which decodes anything, would turn into nonsense.
MAX_CONTROL_SHARE = 0.05
ACCEPTED_ENCODINGS = "UTF-8 (with or without byte-order mark), UTF-16 with byte-order mark, cp1252 or Latin-1"


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Binary data is binary from its first bytes; a sample this long decides for a file of any size.
CONTROL_SAMPLE_LENGTH = 65_536


def _control_share(text: str) -> float:
    sample = text[:CONTROL_SAMPLE_LENGTH]
    return len(_CONTROL_CHARACTERS.findall(sample)) / max(len(sample), 1)


def decode_text(data: bytes, label: str) -> tuple[str, str]:
    """The text of a file and the encoding it was read in; UnreadableFileError if it is not text.

    Tried in order: a byte-order mark (UTF-8, UTF-16, UTF-32), UTF-8, cp1252, Latin-1. A NUL byte, or more
    than MAX_CONTROL_SHARE control characters, means binary data (or UTF-16 saved without its mark).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise UnreadableFileError(
                    label, f"starts with a {encoding} byte-order mark but is not {encoding}"
                ) from exc
    if b"\x00" in data:
        if data[1::2].count(0) > len(data) // 4 or data[0::2].count(0) > len(data) // 4:
            raise UnreadableFileError(
                label, f"looks like UTF-16 without a byte-order mark; save it as {ACCEPTED_ENCODINGS}"
            )
        raise UnreadableFileError(label, f"holds binary data, not text in {ACCEPTED_ENCODINGS}")
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _control_share(text) > MAX_CONTROL_SHARE:
            raise UnreadableFileError(label, f"holds binary data, not text in {ACCEPTED_ENCODINGS}")
        return text, encoding
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover

"""Reading people's tables in any supported format, as text, headers matched to the record columns.

Reading (read_table, read_table_bytes, load_table_report) takes what people actually send:
- Formats: CSV, TSV, JSON (a list of objects, or our export's {"about", "records"}), JSON Lines, Excel .xlsx
  (first sheet). The content decides, the extension only hints: workbook bytes named .csv are read as Excel,
  CSV named .xlsx as CSV, JSON named .csv as JSON, one object per line named .json as JSON Lines, tabs or
  semicolons in a .csv's header as TSV or semicolon CSV; LoadReport.notes says so each time.
- Encodings: see dashboard.decoding (BOM, UTF-8, UTF-16 without BOM, legacy code pages detected exactly or
  refused naming the candidates; `encoding=` reads as the person says). A control character in a cell is kept
  and reported by validation on its row.
- Headers: matched case-insensitively and by data/column_synonyms.csv; LoadReport.renamed lists the renames.
- Cells stay text exactly as written (no type guessing, no stripping); JSON nulls and empty workbook cells
  are "", nested JSON values are JSON text, workbook numbers read as shown (12, not 12.0).
- An empty file (nothing but whitespace) is unreadable. A header with no rows is a valid table of zero
  records, and so is an empty JSON list (given the columns actor and text). A workbook's trailing blank
  rows are formatting and dropped; blank rows between records are kept (and reported by validation).
- A row with more cells than the header is refused: keeping it would shift or drop cells silently.
Every failure is an UnreadableFileError naming the file with a one-line reason; nothing else escapes.
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path

import pandas as pd

from dashboard.columns import match_columns
from dashboard.decoding import LEGACY_CODE_PAGES, decode_text, describe_encoding
from dashboard.errors import Problem, UnreadableFileError
from dashboard.knowledge import knowledge
from dashboard.schema import MINIMAL_COLUMNS

READABLE_SUFFIXES = (".csv", ".tsv", ".json", ".jsonl", ".xlsx")
# An .xlsx workbook is a zip archive; an old .xls one an OLE2 compound file. Content wins over extension.
XLSX_SIGNATURE = b"PK\x03\x04"
# Our Excel exports keep their provenance on this second sheet: not records, never worth a note.
EXPORT_ABOUT_SHEET = "about"
OLD_EXCEL_SIGNATURE = b"\xd0\xcf\x11\xe0"
# pandas' own wording for a row longer than the header (after the first data row), rephrased for people.
PANDAS_RAGGED_ROW = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
PANDAS_UNCLOSED_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")
# What only JSON starts with (a list of objects, an empty list, an object's first key): "[note],text" is CSV.
JSON_START = re.compile(r'^\ufeff?\s*(?:\[\s*[{\]]|\{\s*")')
SEP_LINE = re.compile(r"^sep=[,;\t|]$")
# A reason longer than this is cut: messages are one line, under an upload box or on stderr.
MAX_REASON_LENGTH = 200


@dataclass(frozen=True)
class LoadReport:
    """What reading a file did: its format and encoding as found, the columns renamed, anything to know."""

    source: str
    format: str  # csv, tsv, json, jsonl or xlsx: what the content is, whatever the extension says
    encoding: str  # Python codec name: utf-8, utf-8-sig, utf-16, utf-16-le, cp1251, shift_jis, ...; "" for Excel
    rows: int
    renamed: dict[str, str] = field(default_factory=dict)  # header as written → record column
    notes: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()  # validation, when a registry was given

    def lines(self) -> list[str]:
        """One line per fact, for a caption in the app or stderr in the CLI."""
        lines = [f"{self.source}: {self.rows:,} row(s) read as {self.format.upper()}{self._in_encoding()}"]
        lines += [f"column {old!r} read as {new!r}" for old, new in self.renamed.items()]
        return lines + list(self.notes)

    def _in_encoding(self) -> str:
        return f" in {self.encoding}" if self.encoding else ""


@dataclass(frozen=True)
class _RawTable:
    table: pd.DataFrame
    format: str
    encoding: str
    notes: tuple[str, ...]


def read_table(path: Path | str, encoding: str | None = None) -> pd.DataFrame:
    """Read CSV, TSV, JSON (a list of objects), JSONL or XLSX into a frame of strings, headers matched to the
    record columns (case, synonyms); never guesses types. Raises UnreadableFileError with a one-line reason."""
    return read_with_report(path, None, encoding)[0]


def read_table_bytes(data: bytes, name: str) -> pd.DataFrame:
    """read_table for a file's bytes (an upload); `name` gives the extension and names the file in messages."""
    return read_with_report(data, name)[0]


def read_with_report(
    source: Path | str | bytes, name: str | None, encoding: str | None = None
) -> tuple[pd.DataFrame, LoadReport]:
    label = str(name if name is not None else source) if not isinstance(source, bytes) else str(name or "upload")
    suffix = Path(label).suffix.lower()
    if suffix == ".pdf":
        raise UnreadableFileError(
            label,
            "is a PDF document, not a table of records; save the table as CSV or Excel, or paste an article's "
            "text on the Add an article page",
        )
    if suffix not in READABLE_SUFFIXES:
        readable = ", ".join(READABLE_SUFFIXES)
        raise UnreadableFileError(label, f"unsupported extension {suffix or '(none)'!r}; use one of {readable}")
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        path = Path(source)
        if not path.is_file():
            raise UnreadableFileError(label, "no such file")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableFileError(label, exc.strerror or str(exc)) from exc
    raw = _parse(data, label, suffix, encoding)
    table = raw.table
    table.columns = [str(column).strip() for column in table.columns]
    match = match_columns(list(table.columns), _column_synonyms())
    table = table.rename(columns=match.renamed)
    report = LoadReport(label, raw.format, raw.encoding, len(table), match.renamed, raw.notes + match.notes)
    return table, report


def _parse(data: bytes, label: str, suffix: str, chosen_encoding: str | None = None) -> _RawTable:
    if not data.strip(b" \t\r\n\xef\xbb\xbf\xff\xfe\x00"):
        raise UnreadableFileError(label, "the file is empty")
    named = suffix.lstrip(".")
    if data.startswith(XLSX_SIGNATURE):
        notes = () if suffix == ".xlsx" else (f"the file is an Excel workbook though named {suffix}; read as Excel",)
        table, sheet_notes = _read_excel(data, label)
        return _RawTable(table, "xlsx", "", notes + sheet_notes)
    if data.startswith(OLD_EXCEL_SIGNATURE):
        raise UnreadableFileError(label, "is an old Excel .xls workbook; save it as .xlsx or CSV")
    text, encoding = decode_text(data, label, chosen_encoding)
    # A legacy code page is a reading, not a certainty: say which, so a person who sees odd names knows why.
    read_in = (
        (
            f"text read as {describe_encoding(encoding)}"
            + ("" if chosen_encoding else ", detected")
            + "; if names look wrong, save the file as UTF-8",
        )
        if encoding in LEGACY_CODE_PAGES
        else ()
    )
    if suffix in (".json", ".jsonl") or JSON_START.match(text):
        objects, found = _read_json_objects(text, label, suffix)
        notes = (
            ()
            if found == named
            else (f"the file holds {found.upper()} though named {suffix}; read as {found.upper()}",)
        )
        return _RawTable(_json_table(objects), found, encoding, read_in + notes)
    table, separator = _read_delimited(text, label, suffix)
    if suffix == ".xlsx" and len(table.columns) < 2:
        # Text with no separator named .xlsx is a broken workbook far more often than a one-column table.
        raise UnreadableFileError(label, "not a valid Excel workbook, nor a CSV or TSV table")
    found = "tsv" if separator == "\t" else "csv"
    notes = []
    if suffix == ".xlsx":
        notes.append(f"the file is text, not an Excel workbook, though named .xlsx; read as {found.upper()}")
    elif found != named:
        notes.append(f"the file is separated by tabs though named {suffix}; read as TSV")
    if separator == ";":
        notes.append("the file is separated by semicolons; read as CSV")
    return _RawTable(table, found, encoding, read_in + tuple(notes))


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= MAX_REASON_LENGTH else text[: MAX_REASON_LENGTH - 1] + "…"


def _read_excel(data: bytes, label: str) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The first sheet as text, and a note naming any other sheet left unread (our exports' "about" aside)."""
    try:
        with pd.ExcelFile(io.BytesIO(data), engine="openpyxl") as workbook:
            sheets = list(workbook.sheet_names)
            table = pd.read_excel(workbook, sheet_name=sheets[0], dtype=object, keep_default_na=False, na_values=[])
    except Exception as exc:  # openpyxl raises its own zoo (BadZipFile, InvalidFileException, KeyError, ...)
        raise UnreadableFileError(label, f"not a valid Excel workbook: {_one_line(exc)}") from exc
    if not len(table.columns):
        raise UnreadableFileError(label, f"the file is empty (its first sheet, {sheets[0]!r}, has no header)")
    unread = [name for name in sheets[1:] if name != EXPORT_ABOUT_SHEET]
    notes = (f"only the first sheet, {sheets[0]!r}, was read; not {', '.join(map(repr, unread))}",) if unread else ()
    return table.map(_excel_cell), notes


def _excel_cell(value: object) -> str:
    """A workbook cell as the text a person sees: 12 not 12.0, a midnight date-time as its date."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    return str(value)


def _read_delimited(text: str, label: str, suffix: str) -> tuple[pd.DataFrame, str]:
    lines = text.splitlines(keepends=True)
    # Leading `#` lines are provenance written by our own exports; only that leading block is skipped.
    first = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    lines, skipped = lines[first:], first
    separator = None
    if lines and SEP_LINE.match(lines[0].strip()):  # Excel's "sep=;" first line
        separator, lines, skipped = lines[0].strip()[4:], lines[1:], skipped + 1
    if not "".join(lines).strip():
        raise UnreadableFileError(label, "the file is empty" if first == 0 else "no header after the # lines")
    header = next(line for line in lines if line.strip())
    if separator is None:
        counts = {sep: header.count(sep) for sep in ("\t", ",", ";")}
        separator = (
            "\t" if suffix == ".tsv" and counts["\t"] else max(counts, key=lambda sep: (counts[sep], sep == ","))
        )
        if not counts[separator]:
            separator = "\t" if suffix == ".tsv" else ","
    body = "".join(lines)
    kind = "TSV" if separator == "\t" else "CSV"
    try:
        with warnings.catch_warnings():
            # A row longer than the header would otherwise lose cells (or become an index): refuse it instead.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            table = pd.read_csv(io.StringIO(body), sep=separator, dtype=str, keep_default_na=False, index_col=False)
    except pd.errors.ParserWarning as exc:
        line = _first_long_row(body, separator)
        where = f"line {line + skipped}" if line else "a row"
        raise UnreadableFileError(
            label, f"not valid {kind}: {where} has more cells than the header; quote cells holding {separator!r}"
        ) from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error) as exc:
        ragged = PANDAS_RAGGED_ROW.search(str(exc))
        unclosed = PANDAS_UNCLOSED_QUOTE.search(str(exc))
        if ragged:
            expected, line, seen = (int(number) for number in ragged.groups())
            reason = f"line {line + skipped} has {seen} cells where the header has {expected}; quote cells holding {separator!r}"
        elif unclosed:
            reason = f'a quoted cell in record {unclosed.group(1)} is never closed; check its " marks (or the file is cut off)'
        else:
            reason = _one_line(exc)
        raise UnreadableFileError(label, f"not valid {kind}: {reason}") from exc
    return table.fillna("").astype(str), separator


def _first_long_row(body: str, separator: str) -> int:
    """The line number (in body) where the first row with more cells than the header ends."""
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=separator)
    try:
        width = len(next(reader, []))
        return next((reader.line_num for row in reader if len(row) > width), 0)
    except csv.Error:  # pandas read what Python's csv module refuses; the line is then unknown
        return 0


def _read_json_objects(text: str, label: str, suffix: str) -> tuple[list[dict], str]:
    body = text.lstrip("\ufeff")
    if suffix == ".jsonl" and not body.lstrip().startswith("["):
        return _read_json_lines(body, label, None), "jsonl"
    try:
        objects, found = json.loads(body), "json"
    except json.JSONDecodeError as exc:
        if suffix == ".jsonl" or exc.msg == "Extra data":
            objects, found = _read_json_lines(body, label, exc if suffix != ".jsonl" else None), "jsonl"
        else:
            raise UnreadableFileError(label, _json_reason(exc, body)) from exc
    except RecursionError as exc:
        raise UnreadableFileError(label, "not JSON we can read: nested too deeply") from exc
    except ValueError as exc:  # Python refuses integers of more than 4,300 digits
        raise UnreadableFileError(label, f"not JSON we can read: {_one_line(exc)}") from exc
    if isinstance(objects, dict) and isinstance(objects.get("records"), list):
        objects = objects["records"]  # our own JSON export wraps records beside an "about" block
    if not isinstance(objects, list) or not all(isinstance(item, dict) for item in objects):
        raise UnreadableFileError(label, "expected a list of objects (one per record)")
    return objects, found


def _json_reason(exc: json.JSONDecodeError, text: str) -> str:
    reason = f"not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    if not text.rstrip().endswith(("]", "}")):
        reason += "; the file seems cut off before its end"
    return reason


def _read_json_lines(text: str, label: str, whole_file_error: json.JSONDecodeError | None) -> list[dict]:
    objects = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError; so is a huge integer
            if whole_file_error is not None:  # a .json file that is not JSON Lines either: report it as JSON
                raise UnreadableFileError(label, _json_reason(whole_file_error, text)) from exc
            raise UnreadableFileError(
                label, f"line {line_number} is not JSON: {getattr(exc, 'msg', 'too deep')}"
            ) from exc
        if not isinstance(item, dict):
            raise UnreadableFileError(label, f"line {line_number} is not a JSON object (one record per line)")
        objects.append(item)
    return objects


def _json_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _json_table(objects: list[dict]) -> pd.DataFrame:
    if not objects:
        # An empty list is a complete answer, "no records": zero rows with the least columns a record needs.
        return pd.DataFrame(columns=list(MINIMAL_COLUMNS), dtype=str)
    columns = list(dict.fromkeys(key for item in objects for key in item))
    rows = [[_json_cell(item.get(column)) for column in columns] for item in objects]
    return pd.DataFrame(rows, columns=columns, dtype=str)


def _column_synonyms() -> dict[str, str]:
    return knowledge().column_synonyms

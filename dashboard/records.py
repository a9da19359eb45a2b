"""Reaction records: the schema, reading tables in any supported format, and validating them in one pass.

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
import difflib
import hashlib
import io
import json
import re
import warnings
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from pathlib import Path

import pandas as pd

from dashboard import codebook, knowledge_dir
from dashboard.codebook import MODES
from dashboard.columns import match_columns
from dashboard.datafiles import read_commented_csv
from dashboard.dates import DAY_FIRST, MIXED, MONTH_FIRST, date_convention, read_dates
from dashboard.decoding import CONTROL_CHARACTERS, LEGACY_CODE_PAGES, decode_text, describe_encoding
from dashboard.errors import InvalidDataError, Problem, UnreadableFileError
from dashboard.knowledge import knowledge
from dashboard.registry import Registry


def __getattr__(name: str):
    # STANCES was the codebook's list, imported here; it is now the codebook in use, read on first use.
    if name == "STANCES":
        return codebook.stances()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


RECORD_COLUMNS = (
    "id",
    "event",
    "date",
    "actor",
    "speaker",
    "speaker_role",
    "via",
    "stance",
    "target",
    "mode",
    "text",
    "cue",
    "source",
    "start",
    "end",
)
# Columns a user's file may carry beside the record's own: the reacting actor's ISO 3166 alpha-3 country
# code, which places an actor the registry does not know on the map when the user keeps it as a new actor.
ACTOR_CODE_COLUMN = "actor_iso3"
MATCHED_COLUMNS = (*RECORD_COLUMNS, ACTOR_CODE_COLUMN)
# The least a user's file needs for scoring: who reacted, and the words.
MINIMAL_COLUMNS = ("actor", "text")
OFFSET_COLUMNS = ("start", "end")
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
# difflib's similarity (0..1) a known name needs to be offered for an unknown one: "Frnace" → France is 0.83.
SUGGESTION_CUTOFF = 0.75
# Offsets as written by hand or by a spreadsheet: "12" or "12.0".
WHOLE_NUMBER = re.compile(r"^\d{1,15}(?:\.0*)?$")
# Problems that keep their row: a name the registry does not know (or that may mean several actors) is kept as
# written, as a new actor, and flagged; never dropped, never silently replaced by a guess.
UNKNOWN_ACTOR, AMBIGUOUS_ACTOR = "unknown_actor", "ambiguous_actor"
WARNING_KINDS = frozenset({UNKNOWN_ACTOR, AMBIGUOUS_ACTOR})
# What `reactions score` and `reactions extract` add: whether the registry knows each name as written.
ACTOR_STATUS_COLUMN, TARGET_STATUS_COLUMN = "actor_status", "target_status"
REGISTERED, UNREGISTERED, AMBIGUOUS = "registered", "unregistered", "ambiguous"
# split_valid_rows: the columns added to the rows left out.
REJECTED_ROW_COLUMN, REJECTED_REASON_COLUMN = "row", "problems"
TARGET_SEPARATOR = "; "


@dataclass(frozen=True)
class Article:
    event: str
    date: str
    title: str
    source: str
    text: str


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
    return _read(path, None, encoding)[0]


def read_table_bytes(data: bytes, name: str) -> pd.DataFrame:
    """read_table for a file's bytes (an upload); `name` gives the extension and names the file in messages."""
    return _read(data, name)[0]


def load_table_report(
    source: Path | str | bytes,
    registry: Registry | None = None,
    articles: dict[str, Article] | None = None,
    *,
    name: str | None = None,
    encoding: str | None = None,
) -> tuple[pd.DataFrame, LoadReport]:
    """Read a table (a path, bytes with `name`, or an upload with .name and .getvalue()) and say what was
    done; with a registry, the report carries every validation problem too. Nothing is dropped here.
    `encoding` reads text in that encoding instead of detecting it (for a file refused as ambiguous)."""
    if hasattr(source, "getvalue") and hasattr(source, "name"):  # Streamlit's UploadedFile, io.BytesIO with a name
        source, name = bytes(source.getvalue()), name or str(source.name)
    table, report = _read(source, name, encoding)
    if registry is not None:
        problems = tuple(validate_records(table, registry, articles))
        report = replace(report, problems=problems, notes=report.notes + _date_notes(table))
    return table, report


def _read(source: Path | str | bytes, name: str | None, encoding: str | None = None) -> tuple[pd.DataFrame, LoadReport]:
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


def _date_notes(table: pd.DataFrame) -> tuple[str, ...]:
    if "date" not in table.columns or _has_duplicate_columns(table):
        return ()
    convention = date_convention(table["date"])
    if convention in (DAY_FIRST, MONTH_FIRST):
        return (f"dates like 03/04/2020 read {convention}, as other dates in the column show",)
    if convention == MIXED:
        return ("the date column mixes day-first and month-first dates; ambiguous ones are reported",)
    return ()


def validate_records(
    table: pd.DataFrame, registry: Registry, articles: dict[str, Article] | None = None
) -> list[Problem]:
    """Every problem in a records table, in one pass; rows are numbered from 1 (the first record)."""
    if _has_duplicate_columns(table):
        repeated = sorted({str(c) for c in table.columns[table.columns.duplicated()]})
        return [
            Problem(0, name, "column appears more than once; keep one", name, "duplicate_column") for name in repeated
        ]
    problems = [
        Problem(0, column, "column is missing", "", "missing_column")
        for column in MINIMAL_COLUMNS
        if column not in table.columns
    ]
    if problems:
        return problems
    columns = set(table.columns)
    dates = read_dates(_cells(table["date"])) if "date" in columns else None
    seen_ids: dict[str, int] = {}
    suggestions: dict[str, str | None] = {}
    for row, record in enumerate(table.to_dict("records"), start=1):
        date_reading = dates[row - 1] if dates is not None else None
        problems.extend(_validate_record(row, record, registry, articles or {}, seen_ids, date_reading, suggestions))
    return problems


def _has_duplicate_columns(table: pd.DataFrame) -> bool:
    return bool(table.columns.duplicated().any())


def _cell(value: object) -> str:
    """A cell as text: None and NaN (pandas' missing) are empty."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _cells(series: pd.Series) -> list[str]:
    return [_cell(value) for value in series]


def suggest_actor(name: str, registry: Registry) -> str | None:
    """The known actor closest in spelling to an unknown name (by its name or any alias), or None."""
    spellings = _actor_spellings(registry)
    folded = " ".join(str(name).split()).casefold()
    close = difflib.get_close_matches(folded, list(spellings), n=1, cutoff=SUGGESTION_CUTOFF)
    return spellings[close[0]] if close else None


_SPELLINGS_BY_REGISTRY: dict[int, tuple[Registry, dict[str, str]]] = {}


def _actor_spellings(registry: Registry) -> dict[str, str]:
    # Kept beside the registry object itself (id reuse is guarded by holding the registry).
    cached = _SPELLINGS_BY_REGISTRY.get(id(registry))
    if cached is None or cached[0] is not registry:
        spellings = {}
        for actor in registry.actors.values():
            for spelling in (actor.name, *actor.aliases):
                spellings.setdefault(spelling.casefold(), actor.name)
        cached = _SPELLINGS_BY_REGISTRY[id(registry)] = (registry, spellings)
    return cached[1]


def _unknown_actor(row: int, field_name: str, name: str, registry: Registry, suggestions: dict) -> Problem:
    """A warning, not an error: the name is kept as written, as a new actor (nothing is lost or replaced)."""
    candidates = registry.candidates(name)
    if candidates:
        either = " or ".join(repr(c) for c in candidates)
        message = f"{name!r} can mean {either}; kept as written until you name the one you mean"
        return Problem(row, field_name, message, name, AMBIGUOUS_ACTOR, "")
    if name not in suggestions:
        suggestions[name] = suggest_actor(name, registry)
    suggestion = suggestions[name]
    message = f"{name!r} is not a known actor or alias; kept as written, as a new actor" + (
        f" (did you mean {suggestion!r}?)" if suggestion else ""
    )
    return Problem(row, field_name, message, name, UNKNOWN_ACTOR, suggestion or "")


def is_warning(problem: Problem) -> bool:
    """True for what keeps its row (a name kept as written), False for what leaves the row out."""
    return problem.kind in WARNING_KINDS


def actor_status(name: str, registry: Registry) -> str:
    """registered: the registry knows the name; ambiguous: it may mean several actors; unregistered: unknown."""
    cleaned = _cell(name).strip()
    if not cleaned:
        return ""
    if registry.resolve_actor(cleaned):
        return REGISTERED
    return AMBIGUOUS if registry.candidates(cleaned) else UNREGISTERED


def with_actor_status(table: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """A copy with actor_status and target_status: whether the registry knows the names as written.

    target_status is the worst of the row's targets (unregistered, then ambiguous, then registered), empty
    when the row has no target."""
    out = table.copy()
    out[ACTOR_STATUS_COLUMN] = [actor_status(name, registry) for name in out["actor"]] if "actor" in out else ""
    worst = (UNREGISTERED, AMBIGUOUS, REGISTERED)

    def target_status(cell: object) -> str:
        targets = _cell(cell).split(";") if not isinstance(cell, list) else cell
        found = {actor_status(t, registry) for t in targets} - {""}
        return next((status for status in worst if status in found), "")

    out[TARGET_STATUS_COLUMN] = [target_status(c) for c in out["target"]] if "target" in out else ""
    return out


def _validate_record(
    row: int,
    record: dict,
    registry: Registry,
    articles: dict[str, Article],
    seen_ids: dict,
    date_reading,
    suggestions: dict,
) -> list[Problem]:
    problems = []
    stances = codebook.stances()
    cleaned = {field_name: _cell(cell).strip() for field_name, cell in record.items()}

    def value(field_name: str) -> str:
        return cleaned.get(field_name, "")

    def problem(field_name: str, message: str, kind: str, cell: str | None = None) -> None:
        problems.append(Problem(row, field_name, message, value(field_name) if cell is None else cell, kind))

    actor = registry.resolve_actor(value("actor")) if value("actor") else None
    if not value("actor"):
        problem("actor", "is empty; name the state or organisation that reacted", "empty")
    elif actor is None:
        problems.append(_unknown_actor(row, "actor", value("actor"), registry, suggestions))
    if not value("text"):
        problem("text", "is empty; give the sentence the reaction comes from", "empty")
    if value("stance") and value("stance") not in stances:
        problem("stance", f"{value('stance')!r} is not one of {', '.join(stances)}", "unknown_stance")
    targets = [t.strip() for t in value("target").split(";") if t.strip()]
    for target in targets:
        if registry.resolve_actor(target) is None:
            problems.append(_unknown_actor(row, "target", target, registry, suggestions))
    for field_name, cell in record.items():
        control = CONTROL_CHARACTERS.search(_cell(cell))
        if control:
            code = f"U+{ord(control.group()):04X}"
            problem(
                str(field_name),
                f"holds a control character ({code}) at position {control.start() + 1}; remove it",
                "control_character",
                _cell(cell),
            )
    if value("mode") and value("mode") not in MODES:
        problem("mode", f"{value('mode')!r} is not one of {', '.join(MODES)}", "unknown_mode")
    if date_reading is not None and date_reading.problem:
        problem("date", date_reading.problem, date_reading.kind)
    if actor and actor in {registry.resolve_actor(t) for t in targets}:
        problem("target", f"names the reacting actor {actor!r} itself", "self_target")
    iso_date = date_reading.iso if date_reading is not None and date_reading.iso else None
    speaker = registry.resolve_speaker(value("speaker"), iso_date) if value("speaker") else None
    if actor and speaker is not None and speaker.actor != actor:
        problem("speaker", f"{value('speaker')!r} speaks for {speaker.actor}, not for {actor}", "wrong_speaker")
    if value("cue") and value("text") and _cell(record.get("cue")) not in _cell(record.get("text")):
        problem("cue", f"{value('cue')!r} is not an exact part of text", "cue_not_in_text")
    if value("id"):
        if ";" in value("id"):  # charts carry record ids joined by ";" to map a selection back to records
            problem("id", f"{value('id')!r} contains ';'; use letters, digits, - or _", "bad_id")
        if value("id") in seen_ids:
            problem("id", f"{value('id')!r} repeats row {seen_ids[value('id')]}", "duplicate_id")
        seen_ids.setdefault(value("id"), row)
    problems.extend(_validate_offsets(row, record, value, articles))
    return problems


def _validate_offsets(row: int, record: dict, value, articles: dict[str, Article]) -> list[Problem]:
    if not value("start") and not value("end"):
        return []
    start, end = _whole_number(value("start")), _whole_number(value("end"))
    if start is None or end is None:
        shown = f"{value('start')}..{value('end')}"
        return [
            Problem(
                row,
                "start",
                f"offsets must be whole numbers, got {value('start')!r}..{value('end')!r}",
                shown,
                "bad_offsets",
            )
        ]
    if not 0 <= start < end:
        return [
            Problem(row, "end", f"offsets {start}..{end} are not an increasing range", f"{start}..{end}", "bad_offsets")
        ]
    article = articles.get(value("event"))
    if article is not None and article.text[start:end] != _cell(record.get("text")):
        return [
            Problem(
                row,
                "text",
                f"differs from the article {value('event')!r} at offsets {start}..{end}",
                _cell(record.get("text")),
                "offsets_mismatch",
            )
        ]
    return []


def _whole_number(text: str) -> int | None:
    """An offset as written ("12", or "12.0" as spreadsheets write it), else None."""
    text = str(text).strip()
    if WHOLE_NUMBER.match(text):
        return int(text.split(".")[0])
    return None


def split_valid_rows(table: pd.DataFrame, problems: list[Problem]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows with no problem, and the rows left out with their reasons.

    The rejected table keeps every column as written, plus `row` (1-based, as in the problems) and `problems`
    ("field: message", joined by " | "). A file-wide problem (row 0, e.g. a missing column) leaves out every row;
    a warning (a name kept as written) leaves out none. Both keep the input's index; neither is the input itself.
    """
    problems = [p for p in problems if not is_warning(p)]
    reasons: dict[int, list[str]] = {}
    file_wide = [f"{p.field}: {p.message}" for p in problems if p.row <= 0]
    for p in problems:
        if p.row > 0:
            reasons.setdefault(p.row, []).append(f"{p.field}: {p.message}")
    row_numbers = pd.Series(range(1, len(table) + 1), index=table.index)
    rejected_mask = row_numbers.isin(list(reasons)) | bool(file_wide)
    valid = table[~rejected_mask].copy()
    rejected = table[rejected_mask].copy()
    rejected.insert(0, REJECTED_ROW_COLUMN, row_numbers[rejected_mask].to_numpy())
    rejected[REJECTED_REASON_COLUMN] = [
        " | ".join(file_wide + reasons.get(row, [])) for row in row_numbers[rejected_mask]
    ]
    return valid, rejected


PROBLEM_TABLE_COLUMNS = ("row", "field", "value", "problem", "suggestion", "severity")


def problems_table(problems: list[Problem]) -> pd.DataFrame:
    """The problems as the table people read (row, field, value, problem, suggestion), in the order found."""
    rows = [(p.row, p.field, p.value, p.message, p.suggestion, _severity(p)) for p in problems]
    return pd.DataFrame(rows, columns=list(PROBLEM_TABLE_COLUMNS))


def _severity(problem: Problem) -> str:
    return "warning" if is_warning(problem) else "error"


def normalise_records(table: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """A copy with every record column present, actor and target names canonical, unambiguous dates as
    YYYY-MM-DD (ambiguous or unreadable ones as written), offsets as integers (missing where not whole)."""
    if _has_duplicate_columns(table):
        repeated = sorted({str(c) for c in table.columns[table.columns.duplicated()]})
        raise InvalidDataError(
            "records",
            [
                Problem(0, name, "column appears more than once; keep one", name, "duplicate_column")
                for name in repeated
            ],
        )
    records = table.copy()
    for column in RECORD_COLUMNS:
        if column not in records.columns:
            records[column] = ""
    for column in RECORD_COLUMNS:
        if column not in OFFSET_COLUMNS:
            records[column] = records[column].map(_cell)
    records["actor"] = records["actor"].map(lambda name: registry.resolve_actor(name) or name.strip())
    records["target"] = records["target"].map(lambda cell: _canonical_targets(cell, registry))
    records["date"] = [
        reading.iso or written for reading, written in zip(read_dates(records["date"]), records["date"], strict=True)
    ]
    records["mode"] = records["mode"].replace("", "verbal")
    if (records["id"] == "").any():
        given = set(records["id"])
        # row-N after the record's position; a file that already uses that id elsewhere gets row-N-2, -3, ...
        generated = [_unused_id(f"row-{n}", given) for n in range(1, len(records) + 1)]
        records["id"] = records["id"].where(records["id"] != "", pd.Series(generated, index=records.index))
    for column in OFFSET_COLUMNS:
        records[column] = pd.array([_whole_number(_cell(v)) for v in records[column]], dtype="Int64")
    extra = [column for column in records.columns if column not in RECORD_COLUMNS]
    return records[[*RECORD_COLUMNS, *extra]]


def _unused_id(candidate: str, given: set[str]) -> str:
    if candidate not in given:
        return candidate
    suffix = 2
    while f"{candidate}-{suffix}" in given:
        suffix += 1
    return f"{candidate}-{suffix}"


def _canonical_targets(cell: str, registry: Registry) -> str:
    names = [t.strip() for t in str(cell).split(";") if t.strip()]
    return TARGET_SEPARATOR.join(registry.resolve_actor(name) or name for name in names)


def load_records(path: Path | str, registry: Registry, articles: dict[str, Article] | None = None) -> pd.DataFrame:
    """Read, validate and normalise a records file; raises InvalidDataError listing every error (a name the
    registry does not know is kept as written: a warning in the report, not an error)."""
    table, report = load_table_report(path, registry, articles)
    errors = [p for p in report.problems if not is_warning(p)]
    if errors:
        raise InvalidDataError(str(path), errors)
    return normalise_records(table, registry)


def load_articles(data_dir: Path | str | None = None) -> dict[str, Article]:
    """The articles behind the curated records, by event slug, text verbatim."""
    index = read_commented_csv(
        Path(data_dir if data_dir is not None else knowledge_dir()) / "articles.csv",
        required=("event", "date", "title", "source", "file"),
    )
    articles = {}
    for row in index.to_dict("records"):
        path = Path(data_dir if data_dir is not None else knowledge_dir()) / row["file"]
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise UnreadableFileError(str(path), str(exc)) from exc
        articles[row["event"]] = Article(row["event"], row["date"], row["title"], row["source"], text)
    return articles


def load_curated_records(registry: Registry, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Every curated records file in data/records/, checked against its article's text and offsets."""
    articles = load_articles(data_dir)
    frames = [
        load_records(path, registry, articles)
        for path in sorted((Path(data_dir if data_dir is not None else knowledge_dir()) / "records").glob("*.csv"))
    ]
    return pd.concat(frames, ignore_index=True) if frames else normalise_records(pd.DataFrame(), registry)


def content_token(records: pd.DataFrame) -> str:
    """A digest of the records' content (columns, then every cell's hash): names the session's data in cache keys.
    pandas hashes cells in C; writing the frame out as CSV to hash it took 18 s at a million records."""
    try:
        cells = pd.util.hash_pandas_object(records, index=False).to_numpy()
    except TypeError:  # a cell pandas cannot hash as it is (a list from a JSON upload): hash its text
        cells = pd.util.hash_pandas_object(records.astype(str), index=False).to_numpy()
    digest = hashlib.sha256("\x1f".join(map(str, records.columns)).encode("utf-8"))
    digest.update(cells.tobytes())
    return digest.hexdigest()


ISO3 = re.compile(r"^[A-Z]{3}$")


def new_actor_codes(table: pd.DataFrame, names: set[str]) -> dict[str, str]:
    """For actors the user keeps as new: the ISO 3166 alpha-3 code the file gives them (first valid one, in
    the actor_iso3 column), so the map can place them on their country. Names without one are left out."""
    if ACTOR_CODE_COLUMN not in table.columns or not names:
        return {}
    codes: dict[str, str] = {}
    for actor, code in zip(table["actor"].astype(str), table[ACTOR_CODE_COLUMN].astype(str), strict=True):
        name, code = " ".join(actor.split()), code.strip().upper()
        if name in names and name not in codes and ISO3.match(code):
            codes[name] = code
    return codes

"""Downloadable tables as CSV, Excel and JSON bytes, and what each holds (its provenance).

The formats a spreadsheet opens (CSV, Excel) neutralise cells it would run as a formula: a string
beginning with =, +, -, @, a tab or a carriage return gets a leading apostrophe (OWASP's advice for CSV
injection). JSON is read by programs, not spreadsheets, so it stays data: every value exactly as it is.

CSV is plain RFC 4180 so that every tool opens it as it is (`pandas.read_csv(path)`, R's `read.csv`, Python's
csv module, Excel): UTF-8 without a byte-order mark, the header on the first line, CRLF line ends, fields
quoted only where they must be. Its provenance (what it holds, the filters, the codebook version, when, from
which sources) is a CSVW table description, `csvw_metadata`, written beside it as `NAME.csv-metadata.json`:
the name CSVW processors look for first. JSON is a list of records (`pandas.read_json(path)`, whose default
orient reads it); the same metadata describes it. Excel keeps the provenance on its "about" sheet.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from dashboard.targets import with_target_lists

# openpyxl is imported where a workbook is written: loading it costs a tenth of a second every CLI run.

# Leading characters that make Excel, LibreOffice or Google Sheets treat a cell as a formula.
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
# Prepended to such cells: spreadsheets show the text and never evaluate it.
NEUTRALISING_PREFIX = "'"
# Excel's column width is in characters; wider than this and long quotes push everything off-screen.
MAX_EXCEL_COLUMN_WIDTH = 60


def _now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _describe_value(value: Any) -> str:
    """A filter value as short text: lists as `a | b`, a pair of numbers (a range) as `a to b`."""
    if (
        isinstance(value, tuple)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        return f"{value[0]} to {value[1]}"
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return " | ".join(str(item) for item in items)
    return str(value)


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str | list | tuple | set | frozenset | dict):
        return len(value) == 0
    return False


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_jsonable(v) for v in value), key=str)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


@dataclass(frozen=True)
class Provenance:
    """What a downloaded table holds, how it was filtered, by which codebook, when, from which files."""

    holds: str
    filters: Mapping[str, Any] = field(default_factory=dict)
    codebook_version: str = ""
    generated_at: str = field(default_factory=_now_utc)  # ISO 8601, UTC, e.g. 2026-11-25T16:00:00Z
    sources: tuple[str, ...] = ()

    def describe_filters(self) -> str:
        """The filters as `key=value; key=a | b`, or `none`; empty filter values are left out."""
        return "; ".join(f"{key}={_describe_value(value)}" for key, value in self.active_filters().items()) or "none"

    def active_filters(self) -> dict[str, Any]:
        """The filters that narrow anything: empty strings, None and empty lists are no filter."""
        return {key: value for key, value in self.filters.items() if not _is_empty(value)}

    def items(self) -> list[tuple[str, str]]:
        """The provenance as ordered (key, text) pairs, as written in CSV comments and the Excel sheet."""
        return [
            ("holds", self.holds),
            ("filters", self.describe_filters()),
            ("codebook_version", self.codebook_version or "unknown"),
            ("generated_at", self.generated_at),
            ("sources", "; ".join(self.sources) or "unknown"),
        ]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready provenance; filters keep their structure (lists stay lists)."""
        return {
            "holds": self.holds,
            "filters": _jsonable(dict(self.filters)),
            "codebook_version": self.codebook_version,
            "generated_at": self.generated_at,
            "sources": list(self.sources),
        }

    def describe(self) -> str:
        """One line for a caption under a download button."""
        parts = [self.holds, f"filters: {self.describe_filters()}"]
        if self.codebook_version:
            parts.append(f"codebook {self.codebook_version}")
        parts.append(f"generated {self.generated_at}")
        if self.sources:
            parts.append(f"from {', '.join(self.sources)}")
        return " · ".join(parts)


def record_sources(records: pd.DataFrame, articles: Mapping[str, Any]) -> tuple[str, ...]:
    """Where the records come from, for provenance: their `source` cells, and for events whose records give
    none, the event's article or uploaded file (articles: event -> an object with .source). Sorted, distinct."""
    if records.empty or "source" not in records.columns:
        return ()
    given = records["source"].fillna("").astype(str).str.strip()
    sources = set(given[given != ""])
    for event in records.loc[given == "", "event"].astype(str).unique() if "event" in records.columns else ():
        article = articles.get(event)
        if article is not None and str(getattr(article, "source", "")).strip():
            sources.add(str(article.source).strip())
    return tuple(sorted(sources))


def neutralise_formula_cell(value: Any) -> Any:
    """A string a spreadsheet would run as a formula, with a leading apostrophe; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return NEUTRALISING_PREFIX + value
    return value


def neutralise_formula_cells(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` whose string cells and column names cannot run as spreadsheet formulas.

    Numeric and boolean columns are untouched (a negative number is a number, not a formula).
    """
    out = df.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        if isinstance(series.dtype, pd.StringDtype):
            # Every cell a string or missing: one vectorised test instead of a Python call per cell.
            risky = series.str.startswith(FORMULA_PREFIXES, na=False)
            if risky.any():
                out[column] = series.where(~risky, NEUTRALISING_PREFIX + series)
            continue
        out[column] = series.map(neutralise_formula_cell)
    out.columns = _neutralised_names(out.columns)
    return out


def _neutralised_names(columns) -> list:
    return [neutralise_formula_cell(c) if isinstance(c, str) else c for c in columns]


def to_csv_bytes(df: pd.DataFrame, provenance: Provenance | None = None) -> bytes:
    """RFC 4180 CSV of the neutralised table: UTF-8, no byte-order mark, header first, CRLF line ends.

    The provenance is not in the file (see csvw_metadata); the parameter keeps the writers interchangeable.
    """
    table = neutralise_formula_cells(df)
    text = table.to_csv(index=False, quoting=_quoting(table), lineterminator="\r\n")
    return text.encode("utf-8")


def _quoting(table: pd.DataFrame) -> int:
    # In a one-column table a blank cell would be a blank line, which CSV readers (ours, pandas, R) skip:
    # the record would be lost. Quoting every cell keeps it (an empty cell is quoted by the csv module anyway).
    if len(table.columns) == 1 and table.iloc[:, 0].map(lambda cell: isinstance(cell, str) and not cell.strip()).any():
        return csv.QUOTE_ALL
    return csv.QUOTE_MINIMAL


METADATA_SUFFIX = "-metadata.json"
CSVW_CONTEXT = "http://www.w3.org/ns/csvw"
# Column datatypes as CSVW names them (XSD built-ins), from pandas dtypes; anything else is a string.
_CSVW_DATATYPES = (
    (pd.api.types.is_bool_dtype, "boolean"),
    (pd.api.types.is_integer_dtype, "integer"),
    (pd.api.types.is_float_dtype, "number"),
)


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("diplomatic-reactions")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "(not installed)"


def metadata_name(csv_name: str) -> str:
    """Where CSVW looks first for a CSV's description: the CSV's own name plus `-metadata.json`."""
    return csv_name + METADATA_SUFFIX


def _csvw_datatype(series: pd.Series) -> str | dict[str, str]:
    name = next((name for test, name in _CSVW_DATATYPES if test(series)), "string")
    # pandas writes True and False; CSVW's own boolean words are true and false, so say which words mean what.
    return {"base": "boolean", "format": "True|False"} if name == "boolean" else name


def _csvw_column_name(title: str, index: int, taken: set[str]) -> str:
    """A column name CSVW accepts (letters, digits, _; not starting with _) and unique in the table."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", title).lstrip("_") or f"column_{index}"
    name = name if name[0].isalpha() else f"c_{name}"
    unique, suffix = name, 2
    while unique in taken:
        unique, suffix = f"{name}_{suffix}", suffix + 1
    taken.add(unique)
    return unique


def csvw_metadata(df: pd.DataFrame, provenance: Provenance, csv_name: str) -> dict[str, Any]:
    """A CSVW table description of the CSV `csv_name` (as to_csv_bytes writes df): its columns with their
    titles and datatypes, and the provenance as Dublin Core and PROV properties."""
    titles = _neutralised_names(df.columns)  # as to_csv_bytes writes the header
    taken: set[str] = set()
    columns = [
        {
            "name": _csvw_column_name(str(title), index, taken),
            "titles": str(title),
            "datatype": _csvw_datatype(df.iloc[:, index - 1]),
        }
        for index, title in enumerate(titles, start=1)
    ]
    description = {
        "@context": [CSVW_CONTEXT, {"@language": "en"}],
        "url": csv_name,
        "dc:title": provenance.holds,
        "dc:description": f"{provenance.holds}; filters: {provenance.describe_filters()}",
        "dc:created": {"@value": provenance.generated_at, "@type": "xsd:dateTime"},
        "dc:source": list(provenance.sources),
        "dc:conformsTo": f"Diplomatic Reactions stance codebook, version {provenance.codebook_version or 'unknown'}",
        "prov:wasGeneratedBy": f"Diplomatic Reactions {_package_version()}",
        "dialect": {"header": True, "encoding": "utf-8", "lineTerminators": ["\r\n"]},
        "tableSchema": {"columns": columns},
    }
    filters = _jsonable(provenance.active_filters())
    if filters:
        # Each filter as structured data too, for programs: schema.org's name/value pair, in CSVW's notes.
        description["notes"] = [
            {"@type": "schema:PropertyValue", "schema:name": key, "schema:value": value}
            for key, value in filters.items()
        ]
    return description


def csvw_metadata_bytes(df: pd.DataFrame, provenance: Provenance, csv_name: str) -> bytes:
    return json.dumps(csvw_metadata(df, provenance, csv_name), ensure_ascii=False, indent=2).encode("utf-8")


def _excel_value(value: Any) -> Any:
    """A cell value openpyxl can write: None for missing, plain Python numbers and booleans."""
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()  # numpy scalar -> Python scalar
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        # Control characters other than tab, newline and carriage return make openpyxl refuse the cell.
        return ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value)
    if isinstance(value, bool | int | float):
        return value
    return str(value)


def _write_text_cell(sheet, row: int, column: int, value: Any):
    cell = sheet.cell(row=row, column=column, value=_excel_value(value))
    if isinstance(cell.value, str):
        # openpyxl marks any string starting with "=" as a formula; force a plain string cell.
        cell.data_type = "s"
    return cell


def to_excel_bytes(df: pd.DataFrame, provenance: Provenance) -> bytes:
    """An .xlsx workbook: sheet "data" (neutralised, every text cell a string, never a formula) and
    sheet "about" with the provenance as key/value rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    table = neutralise_formula_cells(df)
    workbook = Workbook()
    data = workbook.active
    data.title = "data"
    for column, name in enumerate(table.columns, start=1):
        _write_text_cell(data, 1, column, str(name)).font = Font(bold=True)
    for row, values in enumerate(table.itertuples(index=False, name=None), start=2):
        for column, value in enumerate(values, start=1):
            _write_text_cell(data, row, column, value)
    data.freeze_panes = "A2"
    if len(table.columns):
        data.auto_filter.ref = data.dimensions
    for column, name in enumerate(table.columns, start=1):
        longest = max([len(str(name)), *(len(str(v)) for v in table.iloc[:, column - 1])], default=8)
        data.column_dimensions[get_column_letter(column)].width = min(longest + 2, MAX_EXCEL_COLUMN_WIDTH)

    about = workbook.create_sheet("about")
    rows = [(key, value) for key, value in provenance.items() if key != "filters"]
    filters = provenance.active_filters()
    rows += [(f"filter: {key}", _describe_value(value)) for key, value in filters.items()] or [("filters", "none")]
    for row, (key, value) in enumerate(rows, start=1):
        _write_text_cell(about, row, 1, neutralise_formula_cell(key)).font = Font(bold=True)
        _write_text_cell(about, row, 2, neutralise_formula_cell(value)).alignment = Alignment(wrap_text=True)
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 80

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_json_bytes(df: pd.DataFrame, provenance: Provenance | None = None) -> bytes:
    """UTF-8 JSON, a list with one object per row (pandas' "records" orient); missing values are null.
    Values are kept exactly (no apostrophes): no spreadsheet runs JSON, and a program reading it wants the data.
    The provenance is not in the file (see csvw_metadata), so `pandas.read_json(path)` reads it as it is.
    A record's `target` is a list of names (dashboard.targets), which CSV and Excel hold as "A; B"."""
    records = json.loads(with_target_lists(df).to_json(orient="records", force_ascii=False, date_format="iso"))
    return json.dumps(records, ensure_ascii=False, indent=2).encode("utf-8")


@dataclass(frozen=True)
class ExportFormat:
    """One download format: its button label, file extension, MIME type and writer."""

    label: str
    extension: str
    mime: str
    write: Callable[[pd.DataFrame, Provenance], bytes]


# The formats offered for every download, in button order (an option registry for the app and CLI).
EXPORT_FORMATS: dict[str, ExportFormat] = {
    "csv": ExportFormat("CSV", ".csv", "text/csv", to_csv_bytes),
    "xlsx": ExportFormat(
        "Excel", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_excel_bytes
    ),
    "json": ExportFormat("JSON", ".json", "application/json", to_json_bytes),
}


def export_bytes(df: pd.DataFrame, provenance: Provenance, fmt: str) -> bytes:
    """The table in the format keyed `fmt` in EXPORT_FORMATS ("csv", "xlsx" or "json")."""
    try:
        export_format = EXPORT_FORMATS[fmt.lower().lstrip(".")]
    except KeyError:
        known = ", ".join(EXPORT_FORMATS)
        raise ValueError(f"unknown export format {fmt!r}: use one of {known}") from None
    return export_format.write(df, provenance)

"""Reaction records: load, validate and normalise them; the curated records and their articles.

The seams: dashboard.schema declares the record, dashboard.table_reading reads people's files (formats,
encodings, headers), dashboard.validation finds every problem in one pass. Their public names are imported
here too, where callers have always found them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd

from dashboard import codebook, knowledge_dir
from dashboard.datafiles import read_commented_csv
from dashboard.dates import read_dates
from dashboard.errors import InvalidDataError, Problem, UnreadableFileError
from dashboard.knowledge import knowledge
from dashboard.registry import Registry
from dashboard.schema import (  # noqa: F401  (re-exported: callers import these from dashboard.records)
    ACTOR_CODE_COLUMN,
    MATCHED_COLUMNS,
    MINIMAL_COLUMNS,
    OFFSET_COLUMNS,
    RECORD_COLUMNS,
    TARGET_SEPARATOR,
    Article,
)
from dashboard.table_reading import (  # noqa: F401  (re-exported)
    EXPORT_ABOUT_SHEET,
    JSON_START,
    MAX_REASON_LENGTH,
    OLD_EXCEL_SIGNATURE,
    PANDAS_RAGGED_ROW,
    PANDAS_UNCLOSED_QUOTE,
    READABLE_SUFFIXES,
    SEP_LINE,
    XLSX_SIGNATURE,
    LoadReport,
    read_table,
    read_table_bytes,
    read_with_report,
)
from dashboard.targets import as_target_text, canonical_targets
from dashboard.validation import (  # noqa: F401  (re-exported)
    ACTOR_STATUS_COLUMN,
    AMBIGUOUS,
    AMBIGUOUS_ACTOR,
    PROBLEM_TABLE_COLUMNS,
    REGISTERED,
    REJECTED_REASON_COLUMN,
    REJECTED_ROW_COLUMN,
    SUGGESTION_CUTOFF,
    TARGET_STATUS_COLUMN,
    UNKNOWN_ACTOR,
    UNREGISTERED,
    WARNING_KINDS,
    WHOLE_NUMBER,
    actor_status,
    cell_text,
    cell_texts,
    date_notes,
    has_duplicate_columns,
    is_warning,
    problems_table,
    split_valid_rows,
    suggest_actor,
    validate_records,
    whole_number,
    with_actor_status,
)


def __getattr__(name: str):
    # STANCES was the codebook's list, imported here; it is now the codebook in use, read on first use.
    if name == "STANCES":
        return codebook.stances()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_table_report(
    source: Path | str | bytes,
    registry: Registry | None = None,
    articles: dict[str, Article] | None = None,
    *,
    name: str | None = None,
    encoding: str | None = None,
    engine: str = "direct",
) -> tuple[pd.DataFrame, LoadReport]:
    """Read a table (a path, bytes with `name`, or an upload with .name and .getvalue()) and say what was
    done; with a registry, the report carries every validation problem too. Nothing is dropped here.
    `encoding` reads text in that encoding instead of detecting it (for a file refused as ambiguous); `engine`
    is validate_records' ("pandera" where a person reads the problems, "direct" on the score path)."""
    if hasattr(source, "getvalue") and hasattr(source, "name"):  # Streamlit's UploadedFile, io.BytesIO with a name
        source, name = bytes(source.getvalue()), name or str(source.name)
    table, report = read_with_report(source, name, encoding)
    if registry is not None:
        problems = tuple(validate_records(table, registry, articles, engine=engine))
        report = replace(report, problems=problems, notes=report.notes + date_notes(table))
    return table, report


def normalise_records(table: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """A copy with every record column present, actor and target names canonical, unambiguous dates as
    YYYY-MM-DD (ambiguous or unreadable ones as written), offsets as integers (missing where not whole)."""
    if has_duplicate_columns(table):
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
        if column == "target":  # a list, a JSON list or "A; B": the one text form (dashboard.targets)
            records[column] = _target_texts(records[column])
        elif column not in OFFSET_COLUMNS and not _plain_text(records[column]):
            records[column] = records[column].map(cell_text)
    # A corpus repeats its names: each distinct one is resolved once.
    actors: dict[str, str] = {}
    records["actor"] = records["actor"].map(
        lambda name: (
            actors[name] if name in actors else actors.setdefault(name, registry.resolve_actor(name) or name.strip())
        )
    )
    targets: dict[str, str] = {}
    records["target"] = records["target"].map(
        lambda cell: (
            targets[cell]
            if cell in targets
            else targets.setdefault(cell, canonical_targets(cell, registry.resolve_actor))
        )
    )
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
        records[column] = pd.array([whole_number(cell_text(v)) for v in records[column]], dtype="Int64")
    extra = [column for column in records.columns if column not in RECORD_COLUMNS]
    return records[[*RECORD_COLUMNS, *extra]]


def _target_texts(cells: pd.Series) -> pd.Series:
    """as_target_text over a column, each distinct text cell parsed once."""
    written: dict[str, str] = {}

    def text_of(cell: object) -> str:
        if not isinstance(cell, str):
            return as_target_text(cell)
        if cell not in written:
            written[cell] = as_target_text(cell)
        return written[cell]

    return cells.map(text_of)


_PLAIN_TEXT = pd.StringDtype("pyarrow", na_value=float("nan"))


def _plain_text(column: pd.Series) -> bool:
    """True when mapping cell_text over the column would give it back as it is: pandas' default text dtype, no
    missing cell."""
    return column.dtype == _PLAIN_TEXT and not column.hasnans


def _unused_id(candidate: str, given: set[str]) -> str:
    if candidate not in given:
        return candidate
    suffix = 2
    while f"{candidate}-{suffix}" in given:
        suffix += 1
    return f"{candidate}-{suffix}"


def load_records(path: Path | str, registry: Registry, articles: dict[str, Article] | None = None) -> pd.DataFrame:
    """Read, validate and normalise a records file; raises InvalidDataError listing every error (a name the
    registry does not know is kept as written: a warning in the report, not an error)."""
    table, report = load_table_report(path, registry, articles)
    errors = [p for p in report.problems if not is_warning(p)]
    if errors:
        raise InvalidDataError(str(path), errors)
    return normalise_records(table, registry)


def load_articles(data_dir: Path | str | None = None) -> dict[str, Article]:
    """The articles behind the curated records, by event slug, text verbatim; knowledge_dir()'s, read once per
    folder, when data_dir is not given."""
    if data_dir is None:
        return knowledge().articles
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

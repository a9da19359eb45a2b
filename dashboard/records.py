"""Reaction records: the schema, reading tables in any supported format, and validating them in one pass."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from dashboard import DATA_DIR
from dashboard.datafiles import read_commented_csv
from dashboard.errors import InvalidDataError, Problem, UnreadableFileError
from dashboard.registry import Registry

STANCES = ("condemn", "warn", "deny", "concern", "call_for", "neutral", "condolence", "support")
MODES = ("verbal", "material")
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
# The least a user's file needs for scoring: who reacted, and the words.
MINIMAL_COLUMNS = ("actor", "text")
OFFSET_COLUMNS = ("start", "end")
READABLE_SUFFIXES = (".csv", ".json", ".jsonl", ".xlsx")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TARGET_SEPARATOR = "; "


@dataclass(frozen=True)
class Article:
    event: str
    date: str
    title: str
    source: str
    text: str


def read_table(path: Path | str) -> pd.DataFrame:
    """Read CSV, JSON (a list of objects), JSONL or XLSX into a frame of strings; never guesses types."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in READABLE_SUFFIXES:
        readable = ", ".join(READABLE_SUFFIXES)
        raise UnreadableFileError(str(path), f"unsupported extension {suffix or '(none)'!r}; use one of {readable}")
    if not path.is_file():
        raise UnreadableFileError(str(path), "no such file")
    if path.stat().st_size == 0:
        raise UnreadableFileError(str(path), "the file is empty")
    try:
        if suffix == ".csv":
            # Leading `#` lines are provenance written by our own exports; only that leading block is skipped.
            table = read_commented_csv(path)
        elif suffix == ".xlsx":
            table = pd.read_excel(path, dtype=str, keep_default_na=False)
        else:
            table = pd.DataFrame(_read_json_objects(path, suffix))
    except UnreadableFileError:
        raise
    except (OSError, UnicodeDecodeError, ValueError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise UnreadableFileError(str(path), f"not valid {suffix[1:].upper()}: {exc}") from exc
    except Exception as exc:  # openpyxl raises its own zoo (BadZipFile, InvalidFileException, KeyError)
        raise UnreadableFileError(str(path), f"not valid {suffix[1:].upper()}: {exc}") from exc
    return table.fillna("").astype(str) if len(table.columns) else table


def _read_json_objects(path: Path, suffix: str) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    if suffix == ".jsonl":
        objects = []
        for line_number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                objects.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise UnreadableFileError(str(path), f"line {line_number} is not JSON: {exc.msg}") from exc
    else:
        try:
            objects = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UnreadableFileError(str(path), f"not JSON: {exc.msg} at line {exc.lineno}") from exc
        if isinstance(objects, dict) and isinstance(objects.get("records"), list):
            objects = objects["records"]  # our own JSON export wraps records beside an "about" block
    if not isinstance(objects, list) or not all(isinstance(item, dict) for item in objects):
        raise UnreadableFileError(str(path), "expected a list of objects (one per record)")
    return [{key: "" if value is None else value for key, value in item.items()} for item in objects]


def validate_records(
    table: pd.DataFrame, registry: Registry, articles: dict[str, Article] | None = None
) -> list[Problem]:
    """Every problem in a records table, in one pass; rows are numbered from 1 (the first record)."""
    problems = [Problem(0, column, "column is missing") for column in MINIMAL_COLUMNS if column not in table.columns]
    if problems:
        return problems
    columns = set(table.columns)
    seen_ids: dict[str, int] = {}
    for row, record in enumerate(table.to_dict("records"), start=1):
        problems.extend(_validate_record(row, record, columns, registry, articles or {}, seen_ids))
    return problems


def _validate_record(
    row: int, record: dict, columns: set[str], registry: Registry, articles: dict[str, Article], seen_ids: dict
) -> list[Problem]:
    problems = []

    def value(field: str) -> str:
        return str(record.get(field, "")).strip() if field in columns else ""

    if not value("actor"):
        problems.append(Problem(row, "actor", "is empty; name the state or organisation that reacted"))
    elif registry.resolve_actor(value("actor")) is None:
        problems.append(
            Problem(row, "actor", f"{value('actor')!r} is not a known actor or alias; add it to data/actors.csv")
        )
    if not value("text"):
        problems.append(Problem(row, "text", "is empty; give the sentence the reaction comes from"))
    if value("stance") and value("stance") not in STANCES:
        problems.append(Problem(row, "stance", f"{value('stance')!r} is not one of {', '.join(STANCES)}"))
    for target in filter(None, (t.strip() for t in value("target").split(";"))):
        if registry.resolve_actor(target) is None:
            problems.append(Problem(row, "target", f"{target!r} is not a known actor or alias"))
    if value("mode") and value("mode") not in MODES:
        problems.append(Problem(row, "mode", f"{value('mode')!r} is not one of {', '.join(MODES)}"))
    if value("date") and not _is_real_date(value("date")):
        problems.append(Problem(row, "date", f"{value('date')!r} is not a real date written YYYY-MM-DD"))
    actor = registry.resolve_actor(value("actor")) if value("actor") else None
    if actor and actor in {registry.resolve_actor(t.strip()) for t in value("target").split(";") if t.strip()}:
        problems.append(Problem(row, "target", f"names the reacting actor {actor!r} itself"))
    speaker = registry.resolve_speaker(value("speaker"), value("date") or None) if value("speaker") else None
    if actor and speaker is not None and speaker.actor != actor:
        problems.append(Problem(row, "speaker", f"{value('speaker')!r} speaks for {speaker.actor}, not for {actor}"))
    if value("cue") and value("text") and str(record.get("cue")) not in str(record.get("text")):
        problems.append(Problem(row, "cue", f"{value('cue')!r} is not an exact part of text"))
    if value("id"):
        if ";" in value("id"):  # charts carry record ids joined by ";" to map a selection back to records
            problems.append(Problem(row, "id", f"{value('id')!r} contains ';'; use letters, digits, - or _"))
        if value("id") in seen_ids:
            problems.append(Problem(row, "id", f"{value('id')!r} repeats row {seen_ids[value('id')]}"))
        seen_ids.setdefault(value("id"), row)
    problems.extend(_validate_offsets(row, record, value, articles))
    return problems


def _is_real_date(text: str) -> bool:
    if not ISO_DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:  # 2020-02-30 has the right shape and is no day
        return False
    return True


def _validate_offsets(row: int, record: dict, value, articles: dict[str, Article]) -> list[Problem]:
    if not value("start") and not value("end"):
        return []
    try:
        start, end = int(value("start")), int(value("end"))
    except ValueError:
        return [Problem(row, "start", f"offsets must be whole numbers, got {value('start')!r}..{value('end')!r}")]
    if not 0 <= start < end:
        return [Problem(row, "end", f"offsets {start}..{end} are not an increasing range")]
    article = articles.get(value("event"))
    if article is not None and article.text[start:end] != str(record.get("text")):
        return [Problem(row, "text", f"differs from the article {value('event')!r} at offsets {start}..{end}")]
    return []


def normalise_records(table: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """A copy with every record column present, actor and target names canonical, offsets as integers."""
    records = table.copy()
    for column in RECORD_COLUMNS:
        if column not in records.columns:
            records[column] = ""
    records["actor"] = records["actor"].map(lambda name: registry.resolve_actor(name) or str(name).strip())
    records["target"] = records["target"].map(lambda cell: _canonical_targets(cell, registry))
    records["mode"] = records["mode"].replace("", "verbal")
    if (records["id"] == "").any():
        generated = pd.Series([f"row-{n}" for n in range(1, len(records) + 1)], index=records.index)
        records["id"] = records["id"].where(records["id"] != "", generated)
    for column in OFFSET_COLUMNS:
        records[column] = pd.to_numeric(records[column], errors="coerce").astype("Int64")
    extra = [column for column in records.columns if column not in RECORD_COLUMNS]
    return records[[*RECORD_COLUMNS, *extra]]


def _canonical_targets(cell: str, registry: Registry) -> str:
    names = [t.strip() for t in str(cell).split(";") if t.strip()]
    return TARGET_SEPARATOR.join(registry.resolve_actor(name) or name for name in names)


def load_records(path: Path | str, registry: Registry, articles: dict[str, Article] | None = None) -> pd.DataFrame:
    """Read, validate and normalise a records file; raises InvalidDataError listing every problem."""
    table = read_table(path)
    problems = validate_records(table, registry, articles)
    if problems:
        raise InvalidDataError(str(path), problems)
    return normalise_records(table, registry)


def load_articles(data_dir: Path = DATA_DIR) -> dict[str, Article]:
    """The articles behind the curated records, by event slug, text verbatim."""
    index = read_commented_csv(Path(data_dir) / "articles.csv", required=("event", "date", "title", "source", "file"))
    articles = {}
    for row in index.to_dict("records"):
        path = Path(data_dir) / row["file"]
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise UnreadableFileError(str(path), str(exc)) from exc
        articles[row["event"]] = Article(row["event"], row["date"], row["title"], row["source"], text)
    return articles


def load_curated_records(registry: Registry, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Every curated records file in data/records/, checked against its article's text and offsets."""
    articles = load_articles(data_dir)
    frames = [load_records(path, registry, articles) for path in sorted((Path(data_dir) / "records").glob("*.csv"))]
    return pd.concat(frames, ignore_index=True) if frames else normalise_records(pd.DataFrame(), registry)

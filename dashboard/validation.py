"""Validating reaction records in one pass: every problem with its row, field and value, and what keeps its row
(a name kept as written) apart from what leaves it out."""

from __future__ import annotations

import difflib
import re

import pandas as pd

from dashboard.dates import DAY_FIRST, MIXED, MONTH_FIRST, date_convention, read_dates
from dashboard.errors import Problem
from dashboard.registry import Registry
from dashboard.schema import MINIMAL_COLUMNS, Article, direct_rule_problems, pandera_rule_problems
from dashboard.targets import parse_targets

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
# The fields validate_records reads in each row (any other column is not looked at).
RECORD_FIELDS_CHECKED = ("id", "actor", "target", "date", "speaker", "cue", "text", "start", "end", "event")
# split_valid_rows: the columns added to the rows left out.
REJECTED_ROW_COLUMN, REJECTED_REASON_COLUMN = "row", "problems"


def date_notes(table: pd.DataFrame) -> tuple[str, ...]:
    if "date" not in table.columns or has_duplicate_columns(table):
        return ()
    convention = date_convention(table["date"])
    if convention in (DAY_FIRST, MONTH_FIRST):
        return (f"dates like 03/04/2020 read {convention}, as other dates in the column show",)
    if convention == MIXED:
        return ("the date column mixes day-first and month-first dates; ambiguous ones are reported",)
    return ()


def validate_records(
    table: pd.DataFrame, registry: Registry, articles: dict[str, Article] | None = None, *, engine: str = "direct"
) -> list[Problem]:
    """Every problem in a records table, in one pass, in row order; rows are numbered from 1 (the first record).

    The cell rules declared in dashboard.schema run through pandera (engine="pandera": `reactions validate`, the
    upload page) or straight over the columns (engine="direct", the default: the score path, which must not pay
    pandera's import); both give the same problems. Names, targets, speakers, dates, offsets and repeated ids
    (the registry, the article, several rows at once) are checked on top."""
    if has_duplicate_columns(table):
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
    problems = pandera_rule_problems(table) if engine == "pandera" else direct_rule_problems(table)
    columns = set(table.columns)
    dates = read_dates(cell_texts(table["date"])) if "date" in columns else None
    seen_ids: dict[str, int] = {}
    suggestions: dict[str, str | None] = {}
    # Column by column: only the fields the checks read, each column as a list, trimmed once (a pandas string
    # column iterated cell by cell, or a dict per row of every column, costs more than the checks themselves).
    fields = [name for name in RECORD_FIELDS_CHECKED if name in columns]
    raw_columns = [table[name].tolist() for name in fields]
    cleaned_columns = [[cell_text(cell).strip() for cell in cells] for cells in raw_columns]
    rows = zip(zip(*raw_columns, strict=True), zip(*cleaned_columns, strict=True), strict=True)
    for row, (raw, cleaned) in enumerate(rows, start=1):
        date_reading = dates[row - 1] if dates is not None else None
        record, values = dict(zip(fields, raw, strict=True)), dict(zip(fields, cleaned, strict=True))
        problems.extend(
            _validate_record(row, record, values, registry, articles or {}, seen_ids, date_reading, suggestions)
        )
    # Row by row, and within a row left to right, as the file's columns run.
    rank = {str(column): position for position, column in enumerate(table.columns)}
    return sorted(problems, key=lambda problem: (problem.row, rank.get(problem.field, len(rank))))


def has_duplicate_columns(table: pd.DataFrame) -> bool:
    return bool(table.columns.duplicated().any())


def cell_text(value: object) -> str:
    """A cell as text: None and NaN (pandas' missing) are empty."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def cell_texts(series: pd.Series) -> list[str]:
    return [cell_text(value) for value in series]


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
    cleaned = cell_text(name).strip()
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
    # A corpus repeats its names and target cells: each distinct text is looked up once.
    statuses: dict[object, str] = {}

    def name_status(name: object) -> str:
        if not isinstance(name, str):
            return actor_status(name, registry)
        if name not in statuses:
            statuses[name] = actor_status(name, registry)
        return statuses[name]

    out[ACTOR_STATUS_COLUMN] = [name_status(name) for name in out["actor"].tolist()] if "actor" in out else ""
    worst = (UNREGISTERED, AMBIGUOUS, REGISTERED)
    cells: dict[str, str] = {}

    def target_status(cell: object) -> str:
        if isinstance(cell, str) and cell in cells:
            return cells[cell]
        found = {name_status(t) for t in parse_targets(cell)} - {""}
        status = next((status for status in worst if status in found), "")
        if isinstance(cell, str):
            cells[cell] = status
        return status

    out[TARGET_STATUS_COLUMN] = [target_status(c) for c in out["target"].tolist()] if "target" in out else ""
    return out


def _validate_record(
    row: int,
    record: dict,
    cleaned: dict[str, str],
    registry: Registry,
    articles: dict[str, Article],
    seen_ids: dict,
    date_reading,
    suggestions: dict,
) -> list[Problem]:
    """The row's problems; record holds its cells as read and cleaned the same as text, trimmed, for the fields
    in RECORD_FIELDS_CHECKED that the table has."""
    problems = []

    def value(field_name: str) -> str:
        return cleaned.get(field_name, "")

    def problem(field_name: str, message: str, kind: str, cell: str | None = None) -> None:
        problems.append(Problem(row, field_name, message, value(field_name) if cell is None else cell, kind))

    actor = registry.resolve_actor(value("actor")) if value("actor") else None
    if value("actor") and actor is None:
        problems.append(_unknown_actor(row, "actor", value("actor"), registry, suggestions))
    targets = parse_targets(record.get("target"))
    for target in targets:
        if registry.resolve_actor(target) is None:
            problems.append(_unknown_actor(row, "target", target, registry, suggestions))
    if date_reading is not None and date_reading.problem:
        problem("date", date_reading.problem, date_reading.kind)
    if actor and actor in {registry.resolve_actor(t) for t in targets}:
        problem("target", f"names the reacting actor {actor!r} itself", "self_target")
    iso_date = date_reading.iso if date_reading is not None and date_reading.iso else None
    speaker = registry.resolve_speaker(value("speaker"), iso_date) if value("speaker") else None
    if actor and speaker is not None and speaker.actor != actor:
        problem("speaker", f"{value('speaker')!r} speaks for {speaker.actor}, not for {actor}", "wrong_speaker")
    if value("cue") and value("text") and cell_text(record.get("cue")) not in cell_text(record.get("text")):
        problem("cue", f"{value('cue')!r} is not an exact part of text", "cue_not_in_text")
    if value("id"):
        if value("id") in seen_ids:
            problem("id", f"{value('id')!r} repeats row {seen_ids[value('id')]}", "duplicate_id")
        seen_ids.setdefault(value("id"), row)
    problems.extend(_validate_offsets(row, record, value, articles))
    return problems


def _validate_offsets(row: int, record: dict, value, articles: dict[str, Article]) -> list[Problem]:
    if not value("start") and not value("end"):
        return []
    start, end = whole_number(value("start")), whole_number(value("end"))
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
    if article is not None and article.text[start:end] != cell_text(record.get("text")):
        return [
            Problem(
                row,
                "text",
                f"differs from the article {value('event')!r} at offsets {start}..{end}",
                cell_text(record.get("text")),
                "offsets_mismatch",
            )
        ]
    return []


def whole_number(text: str) -> int | None:
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


PROBLEM_TABLE_COLUMNS = ("file", "row", "field", "value", "problem", "suggestion", "severity")


def problems_table(problems: list[Problem], file: str = "") -> pd.DataFrame:
    """The problems as the table people read (file, row, field, value, problem, suggestion, severity), in the
    order found; `file` names the file they come from (the same on every row)."""
    rows = [(file, p.row, p.field, p.value, p.message, p.suggestion, _severity(p)) for p in problems]
    return pd.DataFrame(rows, columns=list(PROBLEM_TABLE_COLUMNS))


def _severity(problem: Problem) -> str:
    return "warning" if is_warning(problem) else "error"

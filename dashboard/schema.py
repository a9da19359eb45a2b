"""The reaction record: its columns, and the article a record's sentence comes from.

One declaration that reading, validation, scoring and export share.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from dashboard.decoding import CONTROL_CHARACTERS
from dashboard.targets import TARGET_SEPARATOR  # noqa: F401  (re-exported)

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


@dataclass(frozen=True)
class Article:
    event: str
    date: str
    title: str
    source: str
    text: str


# --- The rules a record's cells must keep, declared once -------------------------------------------------------
# Each rule is vectorised (a mask over a whole column) and carries its message. Two engines apply the same
# rules: pandera (record_schema(), lazily imported: `reactions validate` and the upload page) and a direct pass
# over the columns (direct_rule_problems(), for `reactions score`, where pandera's import and its per-check
# bookkeeping would cost more than the checks). Rules that need the registry, the article or several rows at
# once (names, targets, speakers, dates' column-wide convention, offsets, repeated ids) sit on top, in
# dashboard.validation.

# A normalised record's date: ISO 8601, or empty when the source gave none.
ISO_DATE = r"^(\d{4}-\d{2}-\d{2})?$"
# The ranges of the scores `reactions score` adds: TextBlob's polarity and subjectivity, our intensity ladder,
# the Goldstein scale of the CAMEO crosswalk, the confidence of a proposed record.
SCORE_RANGES: dict[str, tuple[float, float]] = {
    "polarity": (-1.0, 1.0),
    "subjectivity": (0.0, 1.0),
    "intensity": (-1.0, 1.0),
    "goldstein": (-10.0, 10.0),
    "confidence": (0.0, 1.0),
}


@dataclass(frozen=True)
class CellRule:
    """A rule over one column's cells (as text, spaces trimmed): `passes(cells)` is True where a cell keeps it;
    `message(value)` says what is wrong with a cell that does not, and how to fix it."""

    kind: str
    column: str
    passes: Callable[[pd.Series], pd.Series]
    message: Callable[[str], str]


def _filled(cells: pd.Series) -> pd.Series:
    return cells != ""


def _control_free(cells: pd.Series) -> pd.Series:
    return ~cells.str.contains(CONTROL_CHARACTERS, regex=True)


def _control_message(value: str) -> str:
    found = CONTROL_CHARACTERS.search(value)
    where = f"U+{ord(found.group()):04X}) at position {found.start() + 1}" if found else "?)"
    if found and found.group() == "\ufffd":  # decoding's mark for a byte that is not UTF-8 in a UTF-8 file
        return f"holds a byte that is not UTF-8 ({where}; retype the cell or save the file as UTF-8"
    return f"holds a control character ({where}; remove it"


def record_rules(columns: Iterable[str] = RECORD_COLUMNS) -> tuple[CellRule, ...]:
    """The cell rules of a records table with these columns: allowed stances from the codebook in use."""
    from dashboard import codebook

    stances, modes = codebook.stances(), codebook.MODES
    rules = [
        CellRule("empty", "actor", _filled, lambda _: "is empty; name the state or organisation that reacted"),
        CellRule("empty", "text", _filled, lambda _: "is empty; give the sentence the reaction comes from"),
        CellRule(
            "unknown_stance",
            "stance",
            lambda cells: (cells == "") | cells.isin(stances),
            lambda value: f"{value!r} is not one of {', '.join(stances)}",
        ),
        CellRule(
            "unknown_mode",
            "mode",
            lambda cells: (cells == "") | cells.isin(modes),
            lambda value: f"{value!r} is not one of {', '.join(modes)}",
        ),
        # Charts carry record ids joined by ";" to map a selection back to records.
        CellRule(
            "bad_id",
            "id",
            lambda cells: ~cells.str.contains(";", regex=False),
            lambda value: f"{value!r} contains ';'; use letters, digits, - or _",
        ),
    ]
    # A control character is a problem in any column, the record's own or not; the cell as written is shown.
    rules += [CellRule("control_character", str(column), _control_free, _control_message) for column in columns]
    return tuple(rules)


def cell_text(value: object) -> str:
    """A cell as text: None and NaN (pandas' missing) are empty."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def text_column(table: pd.DataFrame, column: str, strip: bool = True) -> pd.Series:
    """A column as text (missing cells empty), trimmed unless `strip` is False; the column of "" if absent."""
    if column not in table.columns:
        return pd.Series("", index=table.index, dtype="str")
    cells = table[column]
    if cells.dtype != "str" or cells.hasnans:
        cells = cells.map(cell_text).astype("str")
    return cells.str.strip() if strip else cells


def _cells_for(rule: CellRule, table: pd.DataFrame) -> pd.Series:
    # Control characters are looked for in the cell as written (a trailing \x00 is still there).
    return text_column(table, rule.column, strip=rule.kind != "control_character")


def _problem(rule: CellRule, position: int, value: str):
    from dashboard.errors import Problem

    return Problem(position + 1, rule.column, rule.message(value), value, rule.kind)


def direct_rule_problems(table: pd.DataFrame) -> list:
    """The cell rules applied column by column with pandas (no pandera): a Problem per failing cell, rows from 1."""
    problems = []
    for rule in record_rules(table.columns):
        if rule.column not in table.columns:
            continue
        cells = _cells_for(rule, table)
        failing = ~rule.passes(cells).to_numpy(dtype=bool)
        for position in failing.nonzero()[0]:
            problems.append(_problem(rule, int(position), cells.iloc[position]))
    return problems


def record_schema(columns: Iterable[str] = RECORD_COLUMNS):
    """The records table as read, as a pandera DataFrameSchema: the record columns (actor and text required), each
    with its cell rules as checks (error "kind:column"). Cells are checked as text whatever their dtype: readers
    give text, an edited table may hold numbers. Imports pandera (about 0.2 s) on first use."""
    import pandera.pandas as pa

    checks: dict[str, list] = {}
    for rule in record_rules(columns):
        checks.setdefault(rule.column, []).append(
            pa.Check(_on_text(rule), name=rule.kind, error=f"{rule.kind}:{rule.column}")
        )
    names = list(dict.fromkeys([*RECORD_COLUMNS, *map(str, columns)]))
    return pa.DataFrameSchema(
        {
            name: pa.Column(None, checks=checks.get(name, []), required=name in MINIMAL_COLUMNS, nullable=True)
            for name in names
        },
        strict=False,
        coerce=False,
    )


def _on_text(rule: CellRule) -> Callable[[pd.Series], pd.Series]:
    def check(cells: pd.Series) -> pd.Series:
        frame = cells.to_frame(rule.column)
        return rule.passes(_cells_for(rule, frame))

    return check


def pandera_rule_problems(table: pd.DataFrame) -> list:
    """The cell rules applied by pandera's lazy validation (every failure in one pass), as Problems, rows from 1."""
    import pandera.errors

    rules = {f"{rule.kind}:{rule.column}": rule for rule in record_rules(table.columns)}
    positions = pd.Series(range(len(table)), index=table.index)
    try:
        record_schema(table.columns).validate(table.reset_index(drop=True), lazy=True)
    except pandera.errors.SchemaErrors as errors:
        failures = errors.failure_cases
    else:
        return []
    problems = []
    for failure in failures.itertuples(index=False):
        rule = rules.get(str(failure.check))
        if rule is None or pd.isna(failure.index):
            continue  # a missing required column: dashboard.validation reports those, with its own words
        position = int(positions.iloc[int(failure.index)])
        problems.append(_problem(rule, position, _cells_for(rule, table).iloc[position]))
    return problems


def scored_record_schema():
    """A scored records table as a pandera DataFrameSchema: codebook stances, modes, ISO dates, offsets from 0,
    and every score within its range (SCORE_RANGES). For checks of what `reactions score` writes."""
    import pandera.pandas as pa

    from dashboard import codebook

    stances = [*codebook.stances(), ""]
    columns = {
        "actor": pa.Column(str, pa.Check.str_length(min_value=1)),
        "text": pa.Column(str, pa.Check.str_length(min_value=1)),
        "stance": pa.Column(str, pa.Check.isin(stances)),
        "mode": pa.Column(str, pa.Check.isin(list(codebook.MODES)), required=False),
        "date": pa.Column(str, pa.Check.str_matches(ISO_DATE), required=False),
        "start": pa.Column("Int64", pa.Check.ge(0), nullable=True, required=False),
        "end": pa.Column("Int64", pa.Check.ge(0), nullable=True, required=False),
    }
    for name, (low, high) in SCORE_RANGES.items():
        columns[name] = pa.Column(float, pa.Check.in_range(low, high), nullable=True, required=False, coerce=True)
    return pa.DataFrameSchema(columns, strict=False)

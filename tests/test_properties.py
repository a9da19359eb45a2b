"""Property-based tests: the loader, validation and normalising raise nothing but our own errors on any
input, and an exported table reads back as the same records."""

import io
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dashboard.codebook import stances
from dashboard.decoding import MAX_CONTROL_SHARE, control_share
from dashboard.errors import ReactionsError
from dashboard.export import (
    FORMULA_PREFIXES,
    NEUTRALISING_PREFIX,
    Provenance,
    export_bytes,
    to_csv_bytes,
    to_excel_bytes,
    to_json_bytes,
)
from dashboard.records import (
    OLD_EXCEL_SIGNATURE,
    READABLE_SUFFIXES,
    RECORD_COLUMNS,
    XLSX_SIGNATURE,
    is_warning,
    normalise_records,
    read_table_bytes,
    split_valid_rows,
    validate_records,
)
from dashboard.scoring import load_resources, score_records
from dashboard.targets import parse_targets

RESOURCES = load_resources()
REGISTRY = RESOURCES.registry
# Fast enough for every run of the suite; hypothesis keeps the failing examples it finds in .hypothesis/.
FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PROVENANCE = Provenance(holds="records", generated_at="2026-11-25T00:00:00Z")
WRITERS = {".csv": to_csv_bytes, ".xlsx": to_excel_bytes, ".json": to_json_bytes}

# Cells that occur in real files: words in several scripts, punctuation that CSV quotes, newlines, numbers.
REAL_CHARACTERS = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Zs"),
    include_characters="\n\"',;#\t",
    exclude_characters="\r",
)
KNOWN_NAMES = st.sampled_from(["France", "Turkey", "Ankara", "NATO", "Frnace", "Atlantis", "", "  russia "])
STANCE_LIKE = st.sampled_from(["condemn", "warn", "support", "furious", ""])
DATE_LIKE = st.sampled_from(["2020-02-28", "28/02/2020", "03/04/2020", "2020-02-30", "Feb 27, 2020", "soon", ""])
OFFSET_LIKE = st.sampled_from(["", "0", "5", "12.0", "-3", "1.5", "1e3", "99999999999999999999"])


def any_cell(name: str):
    shaped = {"actor": KNOWN_NAMES, "target": KNOWN_NAMES, "stance": STANCE_LIKE, "date": DATE_LIKE}
    shaped |= {"start": OFFSET_LIKE, "end": OFFSET_LIKE}
    return st.one_of(shaped.get(name, st.nothing()), st.text(max_size=30))


@st.composite
def record_tables(draw, min_rows=0):
    """Tables shaped like records: some record columns (maybe an unknown one), any cells."""
    columns = draw(st.lists(st.sampled_from([*RECORD_COLUMNS, "notes"]), unique=True, max_size=8))
    rows = draw(st.integers(min_value=min_rows, max_value=6))
    data = {column: draw(st.lists(any_cell(column), min_size=rows, max_size=rows)) for column in columns}
    return pd.DataFrame(data, columns=columns, dtype=object) if columns else pd.DataFrame(index=range(rows))


@FAST
@given(data=st.binary(max_size=400), suffix=st.sampled_from(READABLE_SUFFIXES))
def test_any_bytes_read_as_a_table_or_raise_our_own_error(data, suffix):
    try:
        table = read_table_bytes(data, f"upload{suffix}")
    except ReactionsError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(f"upload{suffix}: ")
        # Bytes that are UTF-8 text are never refused for their encoding (a reader refusing all files is).
        if _is_text(data) and not data.startswith((XLSX_SIGNATURE, OLD_EXCEL_SIGNATURE)):
            assert "binary data" not in str(exc) and "encoding" not in str(exc), str(exc)
    else:
        assert all(isinstance(value, str) for value in table.to_numpy().ravel())


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return control_share(text) <= MAX_CONTROL_SHARE


PLAIN_HEADERS = st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True), min_size=2, max_size=4, unique=True)
PLAIN_CELL = st.text(st.characters(codec="utf-8", categories=("L", "N", "Zs")), max_size=12)


@st.composite
def plain_csv_texts(draw):
    """A plain CSV table's text: simple distinct names, then rows of letters, digits and spaces."""
    header = draw(PLAIN_HEADERS.filter(lambda names: len({name.casefold() for name in names}) == len(names)))
    rows = [[draw(PLAIN_CELL) for _ in header] for _ in range(draw(st.integers(min_value=1, max_value=4)))]
    rows = [row for row in rows if any(cell.strip() for cell in row)] or [["x"] * len(header)]
    return "\n".join(",".join(row) for row in [header, *rows]) + "\n"


# Text shaped like a delimited file: cells, quotes, separators and every kind of line break.
TABLE_LIKE_TEXT = st.lists(
    st.one_of(st.text(max_size=8), st.sampled_from([",", "\t", ";", '"', "\n", "\r", "\r\n", "#", "sep=;\n", "actor"])),
    max_size=40,
).map("".join)


@FAST
@given(
    text=st.one_of(st.text(max_size=300), TABLE_LIKE_TEXT, plain_csv_texts()),
    suffix=st.sampled_from(READABLE_SUFFIXES),
    encoding=st.sampled_from(["utf-8", "utf-16"]),
)
def test_any_text_reads_as_a_table_or_raises_our_own_error(text, suffix, encoding):
    # Text reaches further than random bytes: past decoding into the CSV and JSON readers.
    expected = _plain_csv_shape(text) if suffix == ".csv" else None
    try:
        table = read_table_bytes(text.encode(encoding, errors="surrogatepass"), f"upload{suffix}")
    except ReactionsError as exc:
        # UTF-8 or UTF-16 with its mark always decodes: a refusal is about the content, never the encoding.
        surrogates = any("\ud800" <= character <= "\udfff" for character in text)
        if control_share(text) <= MAX_CONTROL_SHARE and not surrogates:
            assert "binary data" not in str(exc) and "encoding" not in str(exc), str(exc)
        # A plain table (a header of distinct names, the same number of commas on every line) is read.
        assert expected is None, f"a plain CSV was refused: {exc}"
    else:
        assert all(isinstance(value, str) for value in table.to_numpy().ravel())
        if expected is not None:
            assert table.shape == expected


def _plain_csv_shape(text: str) -> tuple[int, int] | None:
    """(rows, columns) of text that is unmistakably a plain CSV table, else None: no quotes, other
    separators, comments, blank or padded lines; a header of distinct, simple names; equal widths."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    if len(lines) < 2 or any(c in text for c in '"\t;#\r[]{}') or control_share(text) > 0:
        return None
    header = lines[0].split(",")
    if len(header) < 2 or len({name.strip().casefold() for name in header}) < len(header):
        return None
    if any(not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,10}", name) for name in header):
        return None
    if any(line.strip() == "" or line.count(",") != len(header) - 1 for line in lines[1:]):
        return None
    return len(lines) - 1, len(header)


@FAST
@given(
    header=PLAIN_HEADERS.filter(lambda names: len({name.casefold() for name in names}) == len(names)),
    rows=st.integers(min_value=1, max_value=5),
    cells=st.data(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le"]),
)
def test_any_plain_table_saved_in_unicode_reads_back_cell_for_cell(header, rows, cells, encoding):
    table = [[cells.draw(PLAIN_CELL) for _ in header] for _ in range(rows)]
    assume(all(any(cell.strip() for cell in row) for row in table))  # a blank row is a blank line
    text = "\n".join(",".join(row) for row in [header, *table]) + "\n"
    back = read_table_bytes(text.encode(encoding), "upload.csv")
    assert back.shape == (rows, len(header))
    assert back.to_numpy().tolist() == table


@FAST
@given(table=record_tables())
def test_validating_normalising_and_splitting_any_table_raise_nothing_but_our_errors(table):
    problems = validate_records(table, REGISTRY)
    assert all(p.row >= 0 and str(p).startswith(f"row {p.row}: ") for p in problems)
    valid, rejected = split_valid_rows(table, problems)
    assert len(valid) + len(rejected) == len(table)
    records = normalise_records(table, REGISTRY)
    assert list(records.columns[: len(RECORD_COLUMNS)]) == list(RECORD_COLUMNS)
    assert len(records) == len(table)


@FAST
@given(table=record_tables(min_rows=1))
def test_normalising_the_valid_rows_leaves_no_problem_behind(table):
    valid, _ = split_valid_rows(table, validate_records(table, REGISTRY))
    records = normalise_records(valid, REGISTRY)
    # Canonical names, ISO dates and whole offsets: the normalised records validate with no error. A name
    # kept as written stays flagged (a warning keeps its row); normalising raises no new warning.
    as_text = records.astype(object).where(records.notna(), "").astype(str)
    after = validate_records(as_text, REGISTRY)
    assert [p for p in after if not is_warning(p)] == []
    before = validate_records(valid.reset_index(drop=True), REGISTRY)
    assert {(p.field, p.value) for p in after} <= {(p.field, p.value) for p in before if is_warning(p)}


SAFE_TEXT = st.text(REAL_CHARACTERS, max_size=40).filter(lambda text: not text.startswith(FORMULA_PREFIXES))


@st.composite
def exportable_tables(draw, cells=SAFE_TEXT):
    columns = draw(st.lists(st.sampled_from(RECORD_COLUMNS), unique=True, min_size=1, max_size=6))
    rows = draw(st.integers(min_value=1, max_value=5))
    table = pd.DataFrame({column: draw(st.lists(cells, min_size=rows, max_size=rows)) for column in columns})
    # A workbook's trailing blank rows are formatting, not records: Excel and pandas drop them, and so do we.
    kept = len(table)
    while kept and (table.iloc[kept - 1] == "").all():
        kept -= 1
    # A JSON list of no records has no column names to give back: every table here has a record.
    assume(kept > 0)
    return table.iloc[:kept]


@FAST
@given(table=exportable_tables(), suffix=st.sampled_from(list(WRITERS)))
def test_export_then_read_gives_back_the_same_records(table, suffix):
    data = WRITERS[suffix](table, PROVENANCE)
    back = read_table_bytes(data, f"export{suffix}")
    if suffix == ".json" and "target" in table:
        # JSON holds a record's targets as a list: the same names come back, in the same order.
        assert back["target"].map(parse_targets).tolist() == table["target"].map(parse_targets).tolist()
        back, table = back.drop(columns="target"), table.drop(columns="target")
    pd.testing.assert_frame_equal(back.reset_index(drop=True), table.astype(str), check_dtype=False)


@FAST
@given(
    table=exportable_tables(cells=st.text(REAL_CHARACTERS, max_size=20)),
    prefix=st.sampled_from([p for p in FORMULA_PREFIXES if p != "\r"]),
)
def test_formula_cells_come_back_neutralised_from_spreadsheets_and_as_written_from_json(table, prefix):
    table = table.map(lambda cell: prefix + cell)
    for suffix, expected in (
        (".csv", table.map(lambda cell: NEUTRALISING_PREFIX + cell)),
        (".xlsx", table.map(lambda cell: NEUTRALISING_PREFIX + cell)),
        (".json", table),
    ):
        back = read_table_bytes(WRITERS[suffix](table, PROVENANCE), f"export{suffix}")
        if suffix == ".json" and "target" in table:  # a list in JSON (see the test above)
            assert back["target"].map(parse_targets).tolist() == expected["target"].map(parse_targets).tolist()
            back, expected = back.drop(columns="target"), expected.drop(columns="target")
        pd.testing.assert_frame_equal(back, expected, check_dtype=False)


@pytest.mark.parametrize("suffix", list(WRITERS))
def test_a_carriage_return_formula_cell_is_neutralised_too(suffix):
    table = pd.DataFrame({"text": ["\r=1+1"]})
    back = read_table_bytes(WRITERS[suffix](table, PROVENANCE), f"export{suffix}")
    assert back.loc[0, "text"].lstrip("'\r\n").startswith("=1+1")
    assert back.loc[0, "text"].startswith("'") == (suffix != ".json")


def test_an_excel_export_reads_back_through_a_file_object_too():
    data = to_excel_bytes(pd.DataFrame({"actor": ["France"]}), PROVENANCE)
    assert pd.read_excel(io.BytesIO(data), dtype=str)["actor"].tolist() == ["France"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=record_tables(min_rows=1))
def test_scoring_the_valid_rows_of_any_table_raises_nothing(table):
    valid, _ = split_valid_rows(table, validate_records(table, REGISTRY))
    scored = score_records(normalise_records(valid, REGISTRY), RESOURCES)
    assert len(scored) == len(valid)
    assert scored["stance"].isin(stances()).all()


@FAST
@given(
    table=record_tables(),
    noise=st.lists(st.text(st.characters(codec="utf-8"), max_size=12), max_size=4),
    fmt=st.sampled_from(["csv", "xlsx", "json"]),
)
def test_exporting_any_table_raises_nothing_but_our_errors(table, noise, fmt):
    """Any cells at all (control characters, lone carriage returns, formula prefixes, any script) in any
    format: a file comes out, or the project's own error says why."""
    if len(table) and noise:
        table = table.assign(notes=[noise[i % len(noise)] for i in range(len(table))])
    try:
        data = export_bytes(table, PROVENANCE, fmt)
    except ReactionsError:
        return
    assert isinstance(data, bytes) and data


@FAST
@given(table=record_tables(min_rows=1))
def test_scoring_any_normalised_table_raises_nothing_but_our_errors(table):
    """Scoring what normalising makes of any table, valid or not (unknown actors, bad dates, empty text)."""
    try:
        records = normalise_records(table, REGISTRY)
    except ReactionsError:
        return
    try:
        scored = score_records(records, RESOURCES)
    except ReactionsError:
        return
    assert len(scored) == len(records)

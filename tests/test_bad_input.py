"""The bad-input corpus a stranger tries, through the CLI and the upload page: a message naming the file (and the
row and field when it is a row's problem), the good rows go on, never a traceback. Every file is written here at
test time from words written for these tests."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.cli import main

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
TIMEOUT = 120

GOOD = b"France,Paris condemned the shelling of the harbour.\nGermany,Berlin voiced deep concern about the fighting.\n"


def _two_sheets() -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer) as writer:
        pd.DataFrame({"actor": ["France"], "text": ["Paris condemned the shelling."]}).to_excel(
            writer, sheet_name="records", index=False
        )
        pd.DataFrame({"actor": ["Japan"], "text": ["Tokyo urged calm."]}).to_excel(
            writer, sheet_name="more", index=False
        )
    return buffer.getvalue()


# name, bytes, and what a person must be told: a refusal naming the file ("refused", words in the message), or
# rows read with some left out (("rows", read, valid, [(row, field), ...])).
CORPUS = [
    ("empty.csv", b"", ("refused", "the file is empty")),
    ("header_only.csv", b"actor,text,date\n", ("rows", 0, 0, [])),
    ("no_text_column.csv", b"actor,date\nFrance,2031-05-02\n", ("refused", "text: column is missing")),
    ("synonyms.csv", b"Country,Statement\n" + GOOD, ("rows", 2, 2, [])),
    (
        "duplicate_ids.csv",
        b"id,actor,text\nr1,France,Paris condemned it.\nr1,Japan,Tokyo urged calm.\n",
        ("rows", 2, 1, [(2, "id")]),
    ),
    (
        "dates.csv",
        b"actor,text,date\nFrance,Paris condemned it.,2031-05-02\nJapan,Tokyo urged calm.,yesterday\n"
        b'Italy,Rome voiced concern.,31/02/2031\nSpain,Madrid condemned it.,"May 2, 2031"\n',
        ("rows", 4, 2, [(2, "date"), (3, "date")]),
    ),
    (
        "stances.csv",
        b"actor,text,stance\nFrance,Paris condemned it.,condemn\nJapan,Tokyo urged calm.,furious\n",
        ("rows", 2, 1, [(2, "stance")]),
    ),
    (
        "blank_text.csv",
        b"actor,text\nFrance,\nJapan,Tokyo urged calm.\n,Someone condemned it.\n",
        ("rows", 3, 1, [(1, "text"), (3, "actor")]),
    ),
    (
        "control.csv",
        b"actor,text\nFrance,Paris condemned\x00 the shelling.\nJapan,Tokyo urged\x07 calm.\nItaly,Rome voiced concern.\n",
        ("rows", 3, 1, [(1, "text"), (2, "text")]),
    ),
    (
        "long_cell.csv",
        b'actor,text\nFrance,"' + b"Paris condemned the strike and called for restraint. " * 4000 + b'"\n',
        ("rows", 1, 1, []),
    ),
    (
        "ragged.csv",
        b"actor,text\nFrance,Paris condemned it.,extra\nJapan,Tokyo urged calm.\n",
        ("refused", "line 2 has more cells than the header"),
    ),
    (
        "unclosed.csv",
        b'actor,text\nFrance,"Paris condemned it.\nJapan,Tokyo urged calm.\n',
        ("refused", "never closed"),
    ),
    ("binary.csv", bytes(range(256)) * 16, ("refused", "binary data")),
    ("two_sheets.xlsx", _two_sheets(), ("rows", 1, 1, [])),
    (
        "broken.jsonl",
        b'{"actor": "France", "text": "Paris condemned it."}\n{"actor": "Japan", "text": "Tok\n',
        ("refused", "line 2 is not JSON"),
    ),
    ("truncated.json", b'[{"actor": "France", "text": "Paris condemned it."}, {"actor": "Jap', ("refused", "not JSON")),
    ("html.csv", b'actor,text\nFrance,"<script>alert(1)</script> Paris condemned it."\n', ("rows", 1, 1, [])),
]
IDS = [name for name, _, _ in CORPUS]


@pytest.mark.parametrize(("name", "data", "expected"), CORPUS, ids=IDS)
def test_the_cli_names_the_file_row_and_field_and_scores_the_good_rows(tmp_path, capsys, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    out = tmp_path / "scored.csv"
    code = main(["score", str(path), "-o", str(out), "--jobs", "1", "--quiet"])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err
    if expected[0] == "refused":
        assert code in (1, 2) and str(path) in err and expected[1] in err
        assert not out.exists()
        return
    _, read, valid, problems = expected
    assert code == (1 if problems else 0), err
    for row, field in problems:
        assert f"{path}: row {row}: {field}: " in err
    assert len(pd.read_csv(out, dtype=str, keep_default_na=False)) == valid


@pytest.mark.parametrize(("name", "data", "expected"), CORPUS, ids=IDS)
def test_the_upload_page_names_the_file_row_and_field_and_keeps_the_good_rows(name, data, expected):
    app = AppTest.from_file(APP, default_timeout=TIMEOUT)
    app.run()
    app.switch_page("screens/upload.py").run()
    app.file_uploader(key="records_upload").upload(name, data, "text/csv").run()
    assert not app.exception
    if expected[0] == "refused":
        errors = [error.value for error in app.error]
        assert len(errors) == 1 and errors[0].startswith(name) and expected[1] in errors[0], errors
        return
    _, read, valid, problems = expected
    said = [text.value for text in app.markdown if "row(s) read" in text.value]
    assert said and f"{read:,} row(s) read, {valid:,} valid, {read - valid:,} left out" in said[0]
    if problems:
        table = app.dataframe[-1].value
        assert set(table["file"]) == {name}
        assert sorted(zip(table["row"], table["field"], strict=True)) == sorted(problems)

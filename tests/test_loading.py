"""The loader on the bad inputs of issue 4 §3 and the formats, encodings and lying names of §1.

Each file is written in tmp_path by the test itself; every case ends in a table or a ReactionsError
subclass with a one-line reason naming the file, never another exception.
"""

import io
import json

import pandas as pd
import pytest

from dashboard.errors import ReactionsError, UnreadableFileError
from dashboard.records import load_table_report, read_table, read_table_bytes, validate_records
from dashboard.registry import load_registry

HEADER = "actor,text,target\n"
ROW = "France,Paris condemned the strike.,Syria\n"


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def unreadable(path) -> str:
    """The one-line reason a file cannot be read; fails if it is read or raises anything else."""
    with pytest.raises(UnreadableFileError) as caught:
        read_table(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    return message


def test_an_empty_file_is_unreadable(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert unreadable(path).endswith("cannot read: the file is empty")


def test_whitespace_only_counts_as_empty(tmp_path):
    path = tmp_path / "blank.jsonl"
    path.write_bytes(b"\xef\xbb\xbf \n\n  ")
    assert unreadable(path).endswith("the file is empty")


def test_a_header_with_no_rows_is_zero_valid_records(tmp_path, registry):
    path = tmp_path / "header.csv"
    path.write_text(HEADER, encoding="utf-8")
    table = read_table(path)
    assert list(table.columns) == ["actor", "text", "target"] and len(table) == 0
    assert validate_records(table, registry) == []


def test_an_empty_json_list_is_zero_valid_records(tmp_path, registry):
    path = tmp_path / "none.json"
    path.write_text("[]", encoding="utf-8")
    table = read_table(path)
    assert len(table) == 0 and validate_records(table, registry) == []


def test_binary_garbage_under_a_csv_name_is_unreadable(tmp_path):
    path = tmp_path / "garbage.csv"
    path.write_bytes(bytes(range(256)) * 4)
    assert "binary data" in unreadable(path)


def test_binary_without_nul_bytes_is_still_caught_by_its_control_characters(tmp_path):
    path = tmp_path / "garbage.csv"
    path.write_bytes(bytes(range(1, 32)) * 20 + b"actor,text\n")
    assert "binary data" in unreadable(path)


def test_utf16_without_its_byte_order_mark_is_read_and_named(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_bytes((HEADER + ROW).encode("utf-16-le"))
    table, report = load_table_report(path)
    assert report.encoding == "utf-16-le" and len(table) == 1


def test_a_truncated_json_file_is_unreadable(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text('[{"actor": "France", "text": "Paris condem', encoding="utf-8")
    assert unreadable(path).endswith(
        "not JSON: Unterminated string starting at (line 1, column 30); the file seems cut off before its end"
    )


def test_a_truncated_jsonl_file_names_its_line(tmp_path):
    path = tmp_path / "cut.jsonl"
    path.write_text('{"actor": "France", "text": "x"}\n{"actor": "Fr', encoding="utf-8")
    assert "line 2 is not JSON" in unreadable(path)


def test_json_that_is_not_a_list_of_objects_is_unreadable(tmp_path):
    path = tmp_path / "numbers.json"
    path.write_text("[1, 2, 3]", encoding="utf-8")
    assert "expected a list of objects" in unreadable(path)


def test_workbook_bytes_named_csv_are_read_as_excel(tmp_path):
    path = tmp_path / "really_excel.csv"
    pd.DataFrame([{"actor": "France", "text": "Paris spoke."}]).to_excel(path, index=False)
    table, report = load_table_report(path)
    assert table["actor"].tolist() == ["France"]
    assert report.format == "xlsx" and "Excel workbook though named .csv" in report.notes[0]


def test_csv_text_named_xlsx_is_read_as_csv(tmp_path):
    path = tmp_path / "really_csv.xlsx"
    path.write_text(HEADER + ROW, encoding="utf-8")
    table, report = load_table_report(path)
    assert table["actor"].tolist() == ["France"]
    assert report.format == "csv" and "not an Excel workbook" in report.notes[0]


def test_plain_words_named_xlsx_are_a_broken_workbook(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not really a workbook")
    assert "not a valid Excel workbook" in unreadable(path)


def test_a_broken_zip_named_xlsx_is_unreadable_in_one_line(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    assert "not a valid Excel workbook" in unreadable(path)


def test_an_old_xls_workbook_says_to_save_as_xlsx(tmp_path):
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert "save it as .xlsx or CSV" in unreadable(path)


def test_json_named_csv_is_read_as_json(tmp_path):
    path = tmp_path / "really_json.csv"
    path.write_text(json.dumps([{"actor": "France", "text": "x"}]), encoding="utf-8")
    table, report = load_table_report(path)
    assert table["actor"].tolist() == ["France"] and report.format == "json"


def test_json_lines_named_json_are_read_as_json_lines(tmp_path):
    path = tmp_path / "lines.json"
    path.write_text('{"actor": "France", "text": "x"}\n{"actor": "Russia", "text": "y"}\n', encoding="utf-8")
    table, report = load_table_report(path)
    assert table["actor"].tolist() == ["France", "Russia"] and report.format == "jsonl"


def test_a_ten_thousand_character_cell_is_kept_whole(tmp_path):
    long_text = "Paris condemned the strike. " * 358 + "End"
    assert len(long_text) >= 10_000
    path = tmp_path / "long.csv"
    pd.DataFrame([{"actor": "France", "text": long_text}]).to_csv(path, index=False)
    assert read_table(path).loc[0, "text"] == long_text


def test_control_characters_are_kept_as_written_and_reported_on_their_row(tmp_path, registry):
    text = "Москва\x07 said 北京 and أنقرة\x1b[31m agreed\x0c; Ελλάδα too"
    path = tmp_path / "mixed.jsonl"
    lines = [{"actor": "Russia", "text": text}, {"actor": "France", "text": "Paris said 北京 and Ελλάδα agreed."}]
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), encoding="utf-8")
    table = read_table(path)
    assert table.loc[0, "text"] == text
    problems = validate_records(table, registry)
    assert [(p.row, p.field, p.kind) for p in problems] == [(1, "text", "control_character")]
    assert "U+0007" in problems[0].message


def test_html_and_script_tags_are_read_as_plain_text(tmp_path):
    text = '<script>alert("x")</script><b>Paris</b> condemned it.'
    path = tmp_path / "html.csv"
    pd.DataFrame([{"actor": "France", "text": text}]).to_csv(path, index=False)
    assert read_table(path).loc[0, "text"] == text


def test_formula_cells_are_read_as_the_text_they_are(tmp_path):
    path = tmp_path / "formulas.csv"
    pd.DataFrame([{"actor": "France", "text": '=HYPERLINK("http://x","click")'}]).to_csv(path, index=False)
    assert read_table(path).loc[0, "text"] == '=HYPERLINK("http://x","click")'


def test_a_row_with_too_many_fields_is_unreadable_and_says_where(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text(HEADER + "France,x,Syria,extra,more\n", encoding="utf-8")
    assert "line 2" in unreadable(path)


@pytest.mark.parametrize(
    ("encoding", "encoded"),
    [
        ("utf-8", (HEADER + "Türkiye,Ankara a condamné l’attaque.,Syria\n").encode("utf-8")),
        ("utf-8-sig", (HEADER + "Türkiye,Ankara a condamné l’attaque.,Syria\n").encode("utf-8-sig")),
        ("utf-16", (HEADER + "Türkiye,Ankara a condamné l’attaque.,Syria\n").encode("utf-16")),
        ("cp1252", (HEADER + "Türkiye,Ankara a condamné l’attaque.,Syria\n").encode("cp1252")),
        # Latin-1 text is cp1252 text byte for byte (0x80-0x9F aside): named by the more common page.
        ("cp1252", (HEADER + "Türkiye,Ankara a condamné l'attaque.,Syria\n").encode("latin-1")),
    ],
)
def test_every_accepted_encoding_is_detected_and_decoded(tmp_path, encoding, encoded):
    path = tmp_path / "rows.csv"
    path.write_bytes(encoded)
    table, report = load_table_report(path)
    assert report.encoding == encoding
    assert table["actor"].tolist() == ["Türkiye"]
    assert table["text"][0].startswith("Ankara a condamné l")


def test_a_utf16_mark_on_broken_bytes_is_unreadable(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_bytes(b"\xff\xfe" + "actor".encode("utf-16-le") + b"\x00")
    assert "byte-order mark but is not utf-16" in unreadable(path)


def test_tsv_and_a_tab_separated_csv_are_both_read(tmp_path):
    body = HEADER.replace(",", "\t") + ROW.replace(",", "\t")
    for name in ("rows.tsv", "tabs.csv"):
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        table, report = load_table_report(path)
        assert table["target"].tolist() == ["Syria"] and report.format == "tsv"
    assert any("separated by tabs" in note for note in report.notes)


def test_semicolon_csv_with_excel_sep_line(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text("sep=;\nactor;text\nFrance;Paris, again, condemned it.\n", encoding="cp1252")
    assert read_table(path).loc[0, "text"] == "Paris, again, condemned it."


def test_our_own_provenance_lines_are_skipped(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text('# holds: records\n# filters: none\n"actor","text"\n"France","# not a comment"\n', encoding="utf-8")
    assert read_table(path).loc[0, "text"] == "# not a comment"


def test_comment_lines_with_no_header_after_them_are_unreadable(tmp_path):
    path = tmp_path / "only_comments.csv"
    path.write_text("# holds: records\n", encoding="utf-8")
    assert "no header" in unreadable(path)


def test_an_unsupported_extension_and_a_missing_file_are_unreadable(tmp_path):
    assert "unsupported extension '.docx'" in unreadable(tmp_path / "rows.docx")
    assert "is a PDF document, not a table" in unreadable(tmp_path / "rows.pdf")
    assert "no such file" in unreadable(tmp_path / "missing.tsv")


def test_bytes_of_an_upload_read_like_a_file_and_are_named_by_the_upload():
    table = read_table_bytes((HEADER + ROW).encode("utf-8"), "mine.csv")
    assert table["actor"].tolist() == ["France"]
    with pytest.raises(UnreadableFileError, match=r"^mine\.json: cannot read: not JSON"):
        read_table_bytes(b"[{", "mine.json")


def test_an_upload_object_with_name_and_getvalue_is_accepted(registry):
    upload = io.BytesIO((HEADER + "Frnace,Paris spoke.,Syria\n").encode("cp1252"))
    upload.name = "upload.csv"
    table, report = load_table_report(upload, registry)
    assert report.source == "upload.csv" and report.rows == 1
    assert [p.suggestion for p in report.problems] == ["France"]


def test_nested_json_values_are_kept_as_json_text(tmp_path):
    path = tmp_path / "nested.json"
    path.write_text(json.dumps([{"actor": "France", "text": "x", "tags": ["a", "b"], "n": None}]), encoding="utf-8")
    table = read_table(path)
    assert table.loc[0, "tags"] == '["a", "b"]' and table.loc[0, "n"] == ""


def test_deeply_nested_json_is_unreadable_not_a_crash(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(ReactionsError):
        read_table(path)


def test_a_long_row_python_csv_cannot_split_is_still_one_line_of_reason():
    # Found by hypothesis: a lone carriage return that pandas reads as a line break and Python's csv refuses.
    with pytest.raises(UnreadableFileError, match="has more cells than the header"):
        read_table_bytes(b"0\r\t", "u.tsv")


def test_a_long_row_further_down_names_its_line_in_the_file(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("# holds: records\n" + HEADER + ROW + "\nFrance,x,Syria,extra\n", encoding="utf-8")
    assert unreadable(path).endswith("line 5 has 4 cells where the header has 3; quote cells holding ','")


def test_an_unclosed_quote_is_named_not_read_to_the_end(tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text(HEADER + 'France,"Paris said,Syria\n', encoding="utf-8")
    assert "a quoted cell in record 1 is never closed" in unreadable(path)


def test_a_workbook_with_more_sheets_reads_the_first_and_names_the_others(tmp_path):
    path = tmp_path / "two.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame([{"actor": "France", "text": "x"}]).to_excel(writer, sheet_name="2020", index=False)
        pd.DataFrame([{"actor": "Russia", "text": "y"}]).to_excel(writer, sheet_name="2021", index=False)
    table, report = load_table_report(path)
    assert table["actor"].tolist() == ["France"]
    assert report.notes == ("only the first sheet, '2020', was read; not '2021'",)


def test_an_empty_first_sheet_is_an_empty_file(tmp_path):
    import openpyxl

    path = tmp_path / "blank.xlsx"
    openpyxl.Workbook().save(path)
    assert "the file is empty (its first sheet, 'Sheet', has no header)" in unreadable(path)


def test_a_csv_whose_first_header_is_bracketed_is_still_csv(tmp_path):
    path = tmp_path / "brackets.csv"
    path.write_text("[note],actor,text\nx,France,y\n", encoding="utf-8")
    assert read_table(path)["[note]"].tolist() == ["x"]


def test_a_json_integer_python_refuses_is_unreadable_not_a_crash(tmp_path):
    digits = "9" * 5000
    for suffix, content in ((".json", f'[{{"actor": "NATO", "text": {digits}}}]'), (".jsonl", f'{{"x": {digits}}}\n')):
        path = tmp_path / f"huge{suffix}"
        path.write_text(content, encoding="utf-8")
        with pytest.raises(UnreadableFileError, match=f"huge{suffix}"):
            read_table(path)

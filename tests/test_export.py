"""Downloads: formula cells neutralised in every format, provenance carried, tables read back."""

import csv
import io
import json
import re

import openpyxl
import pandas as pd
import pytest

from dashboard.export import (
    EXPORT_FORMATS,
    Provenance,
    csvw_metadata_bytes,
    export_bytes,
    metadata_name,
    neutralise_formula_cells,
    to_csv_bytes,
    to_excel_bytes,
    to_json_bytes,
)

QUOTE_WITH_COMMAS_AND_NEWLINE = 'The minister said, "we will respond, firmly",\nand left. #idlib'


def table_with_risky_cells() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["r1", "r2", "r3", "r4", "r5", "r6"],
            "text": [
                '=HYPERLINK("http://example.invalid","click")',
                "+1 for the ceasefire",
                "-2 soldiers, reportedly",
                "@ministry said nothing",
                "\tindented",
                QUOTE_WITH_COMMAS_AND_NEWLINE,
            ],
            "actor": ["Russia", "NATO", "Turkey", "Syria", "United Nations", "Çavişoغلlu's ministry"],
            "polarity": [-0.5, 0.0, 0.25, -1.0, 0.1, 0.3],
            "records": [1, 2, 3, -4, 5, 6],
            "tone_conflict": [True, False, False, True, False, False],
        }
    )


def provenance() -> Provenance:
    return Provenance(
        holds="Filtered records",
        filters={"actor": ["Russia", "NATO"], "search": "=cmd|' /C calc'!A0, +1", "stance": ""},
        codebook_version="2020.1",
        generated_at="2026-11-25T16:00:00Z",
        sources=("data/records/idlib-2020.csv",),
    )


NEUTRALISED = [
    '\'=HYPERLINK("http://example.invalid","click")',
    "'+1 for the ceasefire",
    "'-2 soldiers, reportedly",
    "'@ministry said nothing",
    "'\tindented",
    QUOTE_WITH_COMMAS_AND_NEWLINE,
]


def test_neutralise_prefixes_risky_strings_and_keeps_numbers():
    table = table_with_risky_cells()
    before = table.copy()
    safe = neutralise_formula_cells(table)
    assert list(safe["text"]) == NEUTRALISED
    assert list(safe["records"]) == [1, 2, 3, -4, 5, 6]
    assert pd.api.types.is_integer_dtype(safe["records"])
    assert pd.api.types.is_float_dtype(safe["polarity"])
    pd.testing.assert_frame_equal(table, before)


def test_neutralise_also_covers_carriage_return_and_column_names():
    safe = neutralise_formula_cells(pd.DataFrame({"=cmd()": ["\rhidden", "plain", None]}))
    assert list(safe.columns) == ["'=cmd()"]
    assert safe.iloc[0, 0] == "'\rhidden"
    assert safe.iloc[1, 0] == "plain"
    assert pd.isna(safe.iloc[2, 0])


def test_csv_is_plain_rfc4180_that_pandas_reads_with_its_defaults():
    data = to_csv_bytes(table_with_risky_cells(), provenance())
    assert not data.startswith(b"\xef\xbb\xbf") and not data.startswith(b"#")
    assert data.split(b"\r\n", 1)[0].decode() == ",".join(table_with_risky_cells().columns)
    back = pd.read_csv(io.BytesIO(data), keep_default_na=False)
    assert list(back["text"]) == NEUTRALISED
    assert list(back["actor"]) == list(table_with_risky_cells()["actor"])
    assert list(back["records"]) == [1, 2, 3, -4, 5, 6]
    assert list(back["polarity"]) == pytest.approx([-0.5, 0.0, 0.25, -1.0, 0.1, 0.3])
    assert list(back["tone_conflict"]) == [True, False, False, True, False, False]


def test_csv_reads_with_pythons_csv_module_header_first():
    text = to_csv_bytes(table_with_risky_cells(), provenance()).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(table_with_risky_cells().columns)
    assert len(rows) == 1 + len(table_with_risky_cells())
    assert [row[rows[0].index("text")] for row in rows[1:]] == NEUTRALISED


def test_csvw_metadata_describes_the_csv_its_columns_and_provenance():
    table = table_with_risky_cells()
    data = to_csv_bytes(table, provenance())
    meta = json.loads(csvw_metadata_bytes(table, provenance(), "records.csv"))
    assert metadata_name("records.csv") == "records.csv-metadata.json"
    assert meta["@context"][0] == "http://www.w3.org/ns/csvw"
    assert meta["url"] == "records.csv"
    header = next(csv.reader(io.StringIO(data.decode("utf-8"))))
    columns = meta["tableSchema"]["columns"]
    assert [column["titles"] for column in columns] == header
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", column["name"]) for column in columns)
    assert len({column["name"] for column in columns}) == len(columns)
    types = {column["titles"]: column["datatype"] for column in columns}
    assert types["records"] == "integer" and types["polarity"] == "number"
    assert types["tone_conflict"] == {"base": "boolean", "format": "True|False"}  # as pandas writes them
    assert types["text"] == "string"
    assert meta["dc:title"] == "Filtered records"
    assert meta["dc:created"] == {"@value": "2026-11-25T16:00:00Z", "@type": "xsd:dateTime"}
    assert meta["dc:source"] == ["data/records/idlib-2020.csv"]
    assert "2020.1" in meta["dc:conformsTo"]
    assert "actor=Russia | NATO" in meta["dc:description"]
    notes = {note["schema:name"]: note["schema:value"] for note in meta["notes"]}
    assert notes["actor"] == ["Russia", "NATO"] and "stance" not in notes


def test_excel_data_sheet_is_neutralised_and_holds_strings_not_formulas():
    workbook = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(table_with_risky_cells(), provenance())))
    assert workbook.sheetnames == ["data", "about"]
    data = workbook["data"]
    header = [cell.value for cell in data[1]]
    assert header == ["id", "text", "actor", "polarity", "records", "tone_conflict"]
    texts = [data.cell(row=row, column=2) for row in range(2, 8)]
    assert [cell.value for cell in texts] == NEUTRALISED
    assert all(cell.data_type == "s" for cell in texts)
    assert data.cell(row=5, column=5).value == -4
    assert data.cell(row=5, column=5).data_type == "n"
    assert data.cell(row=2, column=6).value is True


def test_excel_about_sheet_carries_the_provenance():
    workbook = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(table_with_risky_cells(), provenance())))
    about = {row[0]: row[1] for row in workbook["about"].iter_rows(values_only=True)}
    assert about["holds"] == "Filtered records"
    assert about["codebook_version"] == "2020.1"
    assert about["generated_at"] == "2026-11-25T16:00:00Z"
    assert about["filter: actor"] == "Russia | NATO"
    assert about["filter: search"].startswith("'=")
    assert "filter: stance" not in about  # an empty filter is no filter
    assert all(cell.data_type == "s" for row in workbook["about"].iter_rows() for cell in row)


def test_json_is_the_records_as_they_are_and_pandas_reads_it_with_its_defaults():
    data = to_json_bytes(table_with_risky_cells(), provenance())
    records = json.loads(data)
    assert [record["text"] for record in records] == table_with_risky_cells()["text"].tolist()
    assert records[3]["records"] == -4
    assert records[0]["tone_conflict"] is True
    back = pd.read_json(io.BytesIO(data))
    assert list(back.columns) == list(table_with_risky_cells().columns)
    assert back["text"].tolist() == table_with_risky_cells()["text"].tolist()


def test_json_writes_missing_values_as_null():
    table = pd.DataFrame({"speaker": ["the minister", None], "goldstein": [-2.0, float("nan")]})
    records = json.loads(to_json_bytes(table, provenance()))
    assert records[1] == {"speaker": None, "goldstein": None}


def test_json_holds_a_records_targets_as_a_list_of_names():
    table = pd.DataFrame({"target": ["Syria; Russia", "", None]})
    assert [row["target"] for row in json.loads(to_json_bytes(table, provenance()))] == [["Syria", "Russia"], [], []]


def test_provenance_describe_is_one_line_naming_filters_codebook_and_time():
    line = provenance().describe()
    assert "\n" not in line
    assert "Filtered records" in line
    assert "actor=Russia | NATO" in line
    assert "codebook 2020.1" in line
    assert "2026-11-25T16:00:00Z" in line
    assert "stance=" not in line


def test_provenance_generated_at_defaults_to_now_in_utc():
    stamp = Provenance(holds="x").generated_at
    assert stamp.endswith("Z") and "T" in stamp
    assert Provenance(holds="x").describe_filters() == "none"


def test_export_bytes_dispatches_by_format_and_rejects_unknown_ones():
    table = table_with_risky_cells()
    assert export_bytes(table, provenance(), "csv") == to_csv_bytes(table, provenance())
    assert export_bytes(table, provenance(), ".json") == to_json_bytes(table, provenance())
    assert set(EXPORT_FORMATS) == {"csv", "xlsx", "json"}
    with pytest.raises(ValueError, match="unknown export format"):
        export_bytes(table, provenance(), "pdf")


def test_empty_table_exports_in_every_format():
    empty = table_with_risky_cells().iloc[0:0]
    for export_format in EXPORT_FORMATS.values():
        assert export_format.write(empty, provenance())
    back = pd.read_csv(io.BytesIO(to_csv_bytes(empty, provenance())))
    assert list(back.columns) == list(empty.columns)


def test_excel_replaces_control_characters_openpyxl_cannot_store():
    table = pd.DataFrame({"text": ["bell\x07 in a quote"]})
    workbook = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(table, provenance())))
    assert workbook["data"].cell(row=2, column=1).value == "bell\N{REPLACEMENT CHARACTER} in a quote"


def test_csv_keeps_hashes_inside_data_even_at_the_start_of_a_line():
    table = pd.DataFrame({"#id": ["#1", "#2"], "text": ["first line\n# second line", "plain # mid"]})
    back = pd.read_csv(io.BytesIO(to_csv_bytes(table, provenance())), keep_default_na=False)
    assert list(back.columns) == ["#id", "text"]
    assert list(back["#id"]) == ["#1", "#2"]
    assert list(back["text"]) == ["first line\n# second line", "plain # mid"]


def test_provenance_leaves_out_empty_filters_of_any_kind():
    provenance = Provenance(holds="x", filters={"actor": [], "stance": None, "q": "", "mode": ("verbal",)})
    assert provenance.describe_filters() == "mode=verbal"
    assert provenance.active_filters() == {"mode": ("verbal",)}


def test_provenance_writes_number_pairs_as_ranges_and_other_pairs_as_lists():
    provenance = Provenance(holds="x", filters={"polarity": (-1.0, 0.5), "mode": ("verbal", "material")})
    assert provenance.describe_filters() == "polarity=-1.0 to 0.5; mode=verbal | material"

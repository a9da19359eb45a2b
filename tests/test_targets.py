"""A record's targets are a list of names: parsed in one place (dashboard.targets), joined in one place, and
kept through every file format: CSV and Excel as "A; B", JSON, JSON Lines and Parquet as a real list."""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard import PROJECT_DIR
from dashboard.registry import load_registry
from dashboard.targets import join_targets, parse_targets, target_lists


@pytest.fixture(scope="module")
def registry():
    return load_registry()


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Russia; Ukraine", ["Russia", "Ukraine"]),
        ("Russia;Ukraine", ["Russia", "Ukraine"]),
        (" Russia ;; Ukraine ; ", ["Russia", "Ukraine"]),
        ('["Russia", "Ukraine"]', ["Russia", "Ukraine"]),
        (["Russia", " Ukraine"], ["Russia", "Ukraine"]),
        (np.array(["Russia", "Ukraine"], dtype=object), ["Russia", "Ukraine"]),
        ("", []),
        (None, []),
        (float("nan"), []),
        ("[not json", ["[not json"]),
    ],
)
def test_every_form_a_target_cell_arrives_in_parses_to_the_same_names(cell, names):
    assert parse_targets(cell) == names


# Names as people write them: letters, spaces, dots, hyphens, apostrophes; never the separator itself.
NAME = st.text(st.sampled_from("abcxyzAÉçü .-'"), min_size=1, max_size=12).map(str.strip).filter(bool)


@given(st.lists(NAME, max_size=5))
def test_joining_then_parsing_gives_the_names_back(names):
    assert parse_targets(join_targets(names)) == names
    assert parse_targets(json.dumps(names)) == names


def test_target_lists_parses_each_distinct_cell_once_and_keeps_the_index():
    cells = pd.Series(["Syria; Russia", "", "Syria; Russia", None], index=[5, 6, 7, 8])
    lists = target_lists(cells)
    assert list(lists.index) == [5, 6, 7, 8]
    assert lists.tolist() == [["Syria", "Russia"], [], ["Syria", "Russia"], []]
    assert lists[5] is not lists[7]  # each row its own list: changing one never changes another


def records_with_targets(registry) -> pd.DataFrame:
    from dashboard.records import read_table_bytes

    csv_text = (
        "id,actor,text,stance,target\n"
        'a,France,"Paris condemned Moscow and Minsk.",condemn,"Russia; Belarus"\n'
        'b,Chile,"Santiago called for calm.",call_for,\n'
        'c,Kosovo,"Pristina condemned Moscow.",condemn,Moskva Land\n'
    )
    return read_table_bytes(csv_text.encode("utf-8"), "records.csv")


def test_targets_survive_csv_then_parquet_then_json_and_back(registry, tmp_path):
    from dashboard.export import to_csv_bytes, to_json_bytes
    from dashboard.records import normalise_records, read_table, read_table_bytes
    from dashboard.tables_io import read_parquet_table, write_parquet

    records = normalise_records(records_with_targets(registry), registry)
    expected = [["Russia", "Belarus"], [], ["Moskva Land"]]  # an unknown name is kept as written
    assert target_lists(records["target"]).tolist() == expected

    parquet = tmp_path / "scored.parquet"
    write_parquet(records, parquet)
    stored = pq.read_table(parquet)
    assert str(stored.schema.field("target").type) in ("list<item: string>", "list<element: string>")
    assert stored.column("target").to_pylist() == expected  # a real list in the file
    from_parquet = normalise_records(read_parquet_table(parquet), registry)
    assert target_lists(from_parquet["target"]).tolist() == expected

    as_json = to_json_bytes(from_parquet)
    assert [row["target"] for row in json.loads(as_json)] == expected
    assert pd.read_json(io.BytesIO(as_json))["target"].tolist() == expected
    from_json = normalise_records(read_table_bytes(as_json, "records.json"), registry)
    assert target_lists(from_json["target"]).tolist() == expected

    csv_path = tmp_path / "records.csv"
    csv_path.write_bytes(to_csv_bytes(from_json))
    assert pd.read_csv(csv_path, keep_default_na=False)["target"].tolist() == ["Russia; Belarus", "", "Moskva Land"]
    from_csv = normalise_records(read_table(csv_path), registry)
    assert from_csv["target"].tolist() == records["target"].tolist()


def test_a_json_upload_with_a_list_of_targets_is_read_as_those_targets(registry):
    from dashboard.records import normalise_records, read_table_bytes, validate_records

    upload = json.dumps([{"actor": "France", "text": "Paris condemned both.", "target": ["Russia", "Belarus"]}])
    table = read_table_bytes(upload.encode("utf-8"), "upload.json")
    assert validate_records(table, registry) == []  # two known names, not one strange one
    assert normalise_records(table, registry)["target"].tolist() == ["Russia; Belarus"]


def test_no_module_splits_a_target_cell_itself():
    """One parser: every other module asks dashboard.targets, so no second way to read "A; B" can drift."""
    splitting = re.compile(r"""\.split\(\s*["'];\s*["']\s*\)""")
    offenders = [
        path.relative_to(PROJECT_DIR)
        for path in (PROJECT_DIR / "dashboard").rglob("*.py")
        if path.name != "targets.py" and splitting.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []

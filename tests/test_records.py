"""Records: reading every format, one-pass validation with row and field, and the curated seed data."""

import json

import pandas as pd
import pytest

from dashboard.errors import InvalidDataError, UnreadableFileError
from dashboard.records import (
    RECORD_COLUMNS,
    load_articles,
    load_curated_records,
    load_records,
    read_table,
    validate_records,
)
from dashboard.registry import load_registry

ROWS = [
    {"actor": "Ankara", "text": "Ankara condemned the raid on its border post.", "target": "Damascus"},
    {"actor": "NATO", "text": "The Alliance stands with its member.", "stance": "support"},
]


@pytest.fixture(scope="module")
def registry():
    return load_registry()


@pytest.fixture(scope="module")
def curated(registry):
    return load_curated_records(registry)


@pytest.mark.parametrize("suffix", [".csv", ".json", ".jsonl", ".xlsx"])
def test_every_format_reads_to_the_same_table(tmp_path, suffix):
    path = tmp_path / f"rows{suffix}"
    frame = pd.DataFrame(ROWS)
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == ".json":
        path.write_text(json.dumps(ROWS), encoding="utf-8")
    elif suffix == ".jsonl":
        path.write_text("\n".join(json.dumps(row) for row in ROWS), encoding="utf-8")
    else:
        frame.to_excel(path, index=False)
    table = read_table(path)
    assert table["actor"].tolist() == ["Ankara", "NATO"]
    assert table.loc[0, "text"] == ROWS[0]["text"]


def test_an_unsupported_or_broken_file_is_unreadable_with_a_reason(tmp_path):
    with pytest.raises(UnreadableFileError, match="unsupported extension"):
        read_table(tmp_path / "rows.txt")
    broken = tmp_path / "rows.json"
    broken.write_text("[{not json", encoding="utf-8")
    with pytest.raises(UnreadableFileError, match="not JSON"):
        read_table(broken)
    with pytest.raises(UnreadableFileError, match="no such file"):
        read_table(tmp_path / "missing.csv")


def test_validation_names_row_and_field_for_every_problem(registry):
    table = pd.DataFrame(
        [
            {"actor": "NATO", "text": "The Alliance met.", "stance": "support", "date": "2020-02-28", "cue": "met"},
            {"actor": "Atlantis", "text": "", "stance": "furious", "date": "28/02/2020", "cue": ""},
            {"actor": "Russia", "text": "Moscow spoke.", "stance": "", "date": "", "cue": "shouted"},
        ]
    )
    found = {(p.row, p.field) for p in validate_records(table, registry)}
    assert found == {(2, "actor"), (2, "text"), (2, "stance"), (2, "date"), (3, "cue")}


def test_ids_must_be_unique_and_free_of_the_selection_separator(registry):
    table = pd.DataFrame(
        [
            {"id": "a", "actor": "NATO", "text": "x"},
            {"id": "a", "actor": "NATO", "text": "y"},
            {"id": "b;c", "actor": "NATO", "text": "z"},
        ]
    )
    assert [(p.row, p.field) for p in validate_records(table, registry)] == [(2, "id"), (3, "id")]


def test_impossible_dates_self_targets_and_borrowed_speakers_are_problems(registry):
    table = pd.DataFrame(
        [
            {"actor": "Turkey", "text": "x", "date": "2020-02-30", "target": "", "speaker": ""},
            {"actor": "Turkey", "text": "x", "date": "2020-02-28", "target": "Ankara", "speaker": ""},
            {"actor": "Turkey", "text": "x", "date": "2020-02-28", "target": "Syria", "speaker": "Lavrov"},
            {"actor": "Russia", "text": "x", "date": "2020-02-28", "target": "Turkey", "speaker": "Lavrov"},
        ]
    )
    problems = [str(p) for p in validate_records(table, registry)]
    assert problems == [
        "row 1: date: '2020-02-30' is not a real date written YYYY-MM-DD",
        "row 2: target: names the reacting actor 'Turkey' itself",
        "row 3: speaker: 'Lavrov' speaks for Russia, not for Turkey",
    ]


def test_missing_required_columns_are_reported_once(registry):
    problems = validate_records(pd.DataFrame([{"speaker": "x"}]), registry)
    assert [(p.row, p.field) for p in problems] == [(0, "actor"), (0, "text")]


def test_load_records_canonicalises_names_and_fills_the_schema(tmp_path, registry):
    path = tmp_path / "rows.csv"
    pd.DataFrame(ROWS).to_csv(path, index=False)
    records = load_records(path, registry)
    assert list(records.columns[: len(RECORD_COLUMNS)]) == list(RECORD_COLUMNS)
    assert records["actor"].tolist() == ["Turkey", "NATO"]
    assert records.loc[0, "target"] == "Syria"
    assert records["mode"].tolist() == ["verbal", "verbal"]
    assert records["id"].tolist() == ["row-1", "row-2"]


def test_load_records_raises_with_every_problem(tmp_path, registry):
    path = tmp_path / "rows.csv"
    pd.DataFrame([{"actor": "", "text": ""}, {"actor": "Atlantis", "text": "x"}]).to_csv(path, index=False)
    with pytest.raises(InvalidDataError) as caught:
        load_records(path, registry)
    assert [str(p) for p in caught.value.problems][0].startswith("row 1: actor: is empty")
    assert len(caught.value.problems) == 3


def test_the_curated_records_point_into_the_verbatim_article(curated):
    article = load_articles()["idlib-2020"].text
    for record in curated.itertuples():
        assert article[record.start : record.end] == record.text
        assert record.cue in record.text


def test_the_curated_records_cover_the_reactions_the_brief_names(curated):
    triples = set(zip(curated["actor"], curated["stance"], curated["target"], strict=True))
    assert ("United States", "call_for", "Syria") in triples
    assert ("United States", "call_for", "Russia") in triples
    assert ("United States", "concern", "") in triples
    assert ("United States", "support", "Turkey") in triples
    assert ("NATO", "condemn", "Syria") in triples
    assert ("Russia", "condolence", "Turkey") in triples
    assert ("Russia", "warn", "Turkey") in triples
    assert ("United Nations", "concern", "") in triples
    assert ("European Union", "warn", "") in triples
    assert curated["id"].is_unique


def test_the_shipped_article_is_the_seed_verbatim():
    from dashboard import PROJECT_DIR

    seed = PROJECT_DIR.parent / "shared" / "seed" / "article.txt"
    if not seed.exists():
        pytest.skip("../shared/seed is not beside this checkout")
    assert load_articles()["idlib-2020"].text == seed.read_text(encoding="utf-8")


def test_an_edited_article_is_caught_by_the_offsets(tmp_path, registry):
    import shutil

    from dashboard import DATA_DIR

    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    article = copy / "articles" / "idlib-2020.txt"
    article.write_text("Edited. " + article.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(InvalidDataError, match="differs from the article"):
        load_curated_records(registry, copy)

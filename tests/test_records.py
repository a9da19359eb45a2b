"""Records: reading every format, one-pass validation with row and field, and the curated seed data."""

import json

import pandas as pd
import pytest

from dashboard.errors import InvalidDataError, UnreadableFileError
from dashboard.records import (
    RECORD_COLUMNS,
    is_warning,
    load_articles,
    load_curated_records,
    load_records,
    load_table_report,
    normalise_records,
    problems_table,
    read_table,
    split_valid_rows,
    suggest_actor,
    validate_records,
    with_actor_status,
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


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".json", ".jsonl", ".xlsx"])
def test_every_format_reads_to_the_same_table(tmp_path, suffix):
    path = tmp_path / f"rows{suffix}"
    frame = pd.DataFrame(ROWS)
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == ".tsv":
        frame.to_csv(path, index=False, sep="\t")
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
            {"actor": "Atlantis", "text": "", "stance": "furious", "date": "31/02/2020", "cue": ""},
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
    assert len(caught.value.problems) == 2  # the unknown name 'Atlantis' is a warning: kept as written


def test_load_records_keeps_a_name_the_registry_does_not_know_as_written(tmp_path, registry):
    path = tmp_path / "rows.csv"
    pd.DataFrame([{"actor": "Atlantis", "text": "Atlantis protested.", "target": "Ruritania"}]).to_csv(
        path, index=False
    )
    records = load_records(path, registry)
    assert records["actor"].tolist() == ["Atlantis"] and records["target"].tolist() == ["Ruritania"]


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


def test_headers_match_case_insensitively_and_by_synonym(tmp_path):
    path = tmp_path / "theirs.csv"
    path.write_text(
        "Country,Statement,Speaker Role,TARGET,notes\nFrance,Paris spoke.,minister,Syria,n\n", encoding="utf-8"
    )
    table, report = load_table_report(path)
    assert list(table.columns) == ["actor", "text", "speaker_role", "target", "notes"]
    assert report.renamed == {
        "Country": "actor",
        "Statement": "text",
        "Speaker Role": "speaker_role",
        "TARGET": "target",
    }
    assert "column 'Country' read as 'actor'" in report.lines()


def test_a_second_header_meaning_a_taken_column_is_kept_as_written(tmp_path):
    path = tmp_path / "theirs.csv"
    path.write_text("state,actor,quote\nx,France,Paris spoke.\n", encoding="utf-8")
    table, report = load_table_report(path)
    assert list(table.columns) == ["state", "actor", "text"]
    assert report.notes == ("column 'state' also means 'actor'; kept as written, since 'actor' is taken",)


def test_the_synonyms_file_rejects_a_synonym_for_two_columns(tmp_path):
    from dashboard.columns import load_column_synonyms

    path = tmp_path / "synonyms.csv"
    path.write_text("# doc\ncolumn,synonym\nactor,country\ntarget,Country\nnope,x\n", encoding="utf-8")
    with pytest.raises(InvalidDataError) as caught:
        load_column_synonyms(path, RECORD_COLUMNS)
    assert [str(p) for p in caught.value.problems] == [
        "row 2: synonym: 'Country' already means 'actor'",
        "row 3: column: 'nope' is not a record column",
    ]


def test_unknown_actors_get_the_closest_known_name_or_alias(registry):
    table = pd.DataFrame([{"actor": "Frnace", "text": "x", "target": "Sryia"}, {"actor": "Atlantis", "text": "x"}])
    problems = validate_records(table, registry)
    assert [(p.row, p.field, p.value, p.suggestion, p.kind) for p in problems] == [
        (1, "actor", "Frnace", "France", "unknown_actor"),
        (1, "target", "Sryia", "Syria", "unknown_actor"),
        (2, "actor", "Atlantis", "", "unknown_actor"),
    ]
    assert str(problems[0]) == (
        "row 1: actor: 'Frnace' is not a known actor or alias; kept as written, as a new actor (did you mean 'France'?)"
    )
    assert all(is_warning(p) for p in problems)


def test_a_name_that_may_mean_two_actors_is_kept_and_its_candidates_named(registry):
    table = pd.DataFrame([{"actor": "Congo", "text": "Congo called for calm.", "target": "Korea"}])
    problems = validate_records(table, registry)
    assert [(p.field, p.kind, p.suggestion) for p in problems] == [
        ("actor", "ambiguous_actor", ""),
        ("target", "ambiguous_actor", ""),
    ]
    assert "'Republic of the Congo' or 'Democratic Republic of the Congo'" in problems[0].message
    assert normalise_records(table, registry)["actor"].tolist() == ["Congo"]
    status = with_actor_status(table, registry)
    assert status[["actor_status", "target_status"]].values.tolist() == [["ambiguous", "ambiguous"]]


def test_actor_status_says_whether_the_registry_knows_each_name(registry):
    table = pd.DataFrame(
        {
            "actor": ["Türkiye", "Atlantis", "Frnace", "NATO"],
            "target": ["Syria", "Ruritania", "", "Syria; Atlantis"],
        }
    )
    status = with_actor_status(table, registry)
    assert status["actor_status"].tolist() == ["registered", "unregistered", "unregistered", "registered"]
    assert status["target_status"].tolist() == ["registered", "unregistered", "", "unregistered"]
    assert "actor_status" not in table.columns


def test_an_alias_misspelt_suggests_its_actor(registry):
    assert suggest_actor("Ankra", registry) == "Turkey"
    assert suggest_actor("kremlin", registry) == "Russia"
    assert suggest_actor("Zzyzx", registry) is None


def test_day_first_column_is_read_as_day_first(registry):
    table = pd.DataFrame([{"actor": "NATO", "text": "x", "date": d} for d in ("28/02/2020", "03/04/2020")])
    assert validate_records(table, registry) == []
    assert normalise_records(table, registry)["date"].tolist() == ["2020-02-28", "2020-04-03"]


def test_month_first_column_is_read_as_month_first(registry):
    table = pd.DataFrame([{"actor": "NATO", "text": "x", "date": d} for d in ("02/28/2020", "03/04/2020")])
    assert normalise_records(table, registry)["date"].tolist() == ["2020-02-28", "2020-03-04"]


def test_an_ambiguous_date_is_reported_not_guessed(registry):
    table = pd.DataFrame([{"actor": "NATO", "text": "x", "date": d} for d in ("03/04/2020", "27 February 2020", "")])
    problems = validate_records(table, registry)
    assert [(p.row, p.field, p.kind, p.value) for p in problems] == [(1, "date", "ambiguous_date", "03/04/2020")]
    assert "2020-04-03 (day-first) or 2020-03-04 (month-first)" in problems[0].message
    assert normalise_records(table, registry)["date"].tolist() == ["03/04/2020", "2020-02-27", ""]


def test_a_column_mixing_conventions_reports_its_ambiguous_dates(registry):
    dates = ("28/02/2020", "02/28/2020", "03/04/2020")
    table = pd.DataFrame([{"actor": "NATO", "text": "x", "date": d} for d in dates])
    problems = validate_records(table, registry)
    assert [(p.row, p.kind) for p in problems] == [(3, "ambiguous_date")]
    assert "mixes day-first and month-first" in problems[0].message


def test_impossible_and_unreadable_dates_are_problems(registry):
    dates = ("31/02/2020", "2021-13-01", "next Tuesday", "29/02/2021")
    table = pd.DataFrame([{"actor": "NATO", "text": "x", "date": d} for d in dates])
    kinds = [(p.row, p.kind) for p in validate_records(table, registry)]
    assert kinds == [(1, "impossible_date"), (2, "impossible_date"), (3, "bad_date"), (4, "impossible_date")]


def test_the_report_says_which_date_convention_was_inferred(tmp_path, registry):
    path = tmp_path / "dates.csv"
    path.write_text("actor,text,date\nNATO,x,28/02/2020\nNATO,y,03/04/2020\n", encoding="utf-8")
    _, report = load_table_report(path, registry)
    assert report.problems == ()
    assert "dates like 03/04/2020 read day-first, as other dates in the column show" in report.notes


def test_problems_carry_the_cell_as_written(registry):
    table = pd.DataFrame(
        [
            {"id": "a", "actor": "NATO", "text": "x", "stance": "furious", "target": "NATO"},
            {"id": "a", "actor": "NATO", "text": " ", "stance": "", "target": ""},
        ]
    )
    found = [(p.row, p.field, p.value, p.kind) for p in validate_records(table, registry)]
    assert found == [
        (1, "stance", "furious", "unknown_stance"),
        (1, "target", "NATO", "self_target"),
        (2, "id", "a", "duplicate_id"),  # left to right, as the file's columns run
        (2, "text", "", "empty"),
    ]


def test_offsets_written_by_a_spreadsheet_are_whole_numbers(registry):
    table = pd.DataFrame([{"actor": "NATO", "text": "x", "start": "3.0", "end": "4"}])
    assert validate_records(table, registry) == []
    assert normalise_records(table, registry)[["start", "end"]].iloc[0].tolist() == [3, 4]


def test_offsets_that_are_not_whole_numbers_are_problems_and_missing_after_normalising(registry):
    table = pd.DataFrame([{"actor": "NATO", "text": "x", "start": "1.5", "end": "99999999999999999999"}])
    assert [(p.field, p.kind) for p in validate_records(table, registry)] == [("start", "bad_offsets")]
    assert normalise_records(table, registry)["start"].isna().all()


def test_split_valid_rows_keeps_the_good_rows_and_says_why_the_rest_left(registry):
    table = pd.DataFrame(
        [
            {"actor": "NATO", "text": "ok"},
            {"actor": "Frnace", "text": ""},
            {"actor": "Russia", "text": "fine"},
            {"actor": "Atlantis", "text": "kept"},
        ]
    )
    valid, rejected = split_valid_rows(table, validate_records(table, registry))
    assert valid["text"].tolist() == ["ok", "fine", "kept"]  # an unknown name alone leaves no row out
    assert rejected["row"].tolist() == [2]
    assert rejected["actor"].tolist() == ["Frnace"]
    assert rejected["problems"].tolist() == ["text: is empty; give the sentence the reaction comes from"]
    assert table["text"].tolist() == ["ok", "", "fine", "kept"]  # the input is untouched


def test_split_valid_rows_leaves_out_every_row_for_a_file_wide_problem(registry):
    table = pd.DataFrame([{"actor": "NATO"}, {"actor": "Russia"}])
    valid, rejected = split_valid_rows(table, validate_records(table, registry))
    assert valid.empty and rejected["problems"].tolist() == ["text: column is missing"] * 2


def test_split_valid_rows_with_problems_dropped_keeps_new_actors(registry):
    table = pd.DataFrame([{"actor": "Atlantis", "text": "Atlantis protested."}])
    problems = [p for p in validate_records(table, registry) if p.kind != "unknown_actor"]
    valid, _ = split_valid_rows(table, problems)
    assert normalise_records(valid, registry)["actor"].tolist() == ["Atlantis"]


def test_duplicate_columns_are_a_problem_not_a_crash(registry):
    table = pd.DataFrame([["NATO", "x", "y"]], columns=["actor", "text", "text"])
    assert [(p.row, p.field, p.kind) for p in validate_records(table, registry)] == [(0, "text", "duplicate_column")]
    with pytest.raises(InvalidDataError):
        normalise_records(table, registry)


def test_problems_table_has_a_row_per_problem_with_the_cell_as_written(registry):
    table = pd.DataFrame([{"actor": "Frnace", "text": "x", "stance": "angry"}])
    shown = problems_table(validate_records(table, registry), file="names.csv")
    assert list(shown.columns) == ["file", "row", "field", "value", "problem", "suggestion", "severity"]
    assert set(shown["file"]) == {"names.csv"}
    assert shown[["row", "field", "value", "suggestion", "severity"]].values.tolist() == [
        [1, "actor", "Frnace", "France", "warning"],
        [1, "stance", "angry", "", "error"],
    ]
    assert problems_table([]).empty


def test_generated_ids_never_repeat_an_id_the_file_gives(registry):
    table = pd.DataFrame([{"id": "row-2", "actor": "NATO", "text": "x"}, {"id": "", "actor": "NATO", "text": "y"}])
    assert normalise_records(table, registry)["id"].tolist() == ["row-2", "row-2-2"]


def test_the_content_token_changes_with_any_cell_or_column_name_and_only_then():
    from dashboard.records import content_token

    frame = pd.DataFrame({"actor": ["NATO", "Russia"], "text": ["a", "b"], "polarity": [0.1, float("nan")]})
    assert content_token(frame) == content_token(frame.copy())
    changed = frame.copy()
    changed.loc[1, "text"] = "c"
    assert content_token(changed) != content_token(frame)
    assert content_token(frame.rename(columns={"text": "quote"})) != content_token(frame)
    assert content_token(frame.iloc[::-1]) != content_token(frame)  # order is content too
    # A cell pandas cannot hash as it is (a list, from a JSON upload) is hashed by its text.
    listed = frame.assign(extra=[["x"], ["y"]])
    assert content_token(listed) != content_token(listed.assign(extra=[["x"], ["z"]]))


def test_new_actor_codes_take_the_first_valid_code_per_kept_name():
    from dashboard.records import new_actor_codes

    table = pd.DataFrame(
        {
            "actor": ["Kingdom of Bhutan", "Kingdom of Bhutan", "Atlantis", "Ruritania", "France"],
            "actor_iso3": ["", "btn", "Atlantis!", "RUR", "FRA"],
        }
    )
    kept = {"Kingdom of Bhutan", "Atlantis", "Ruritania"}
    assert new_actor_codes(table, kept) == {"Kingdom of Bhutan": "BTN", "Ruritania": "RUR"}
    assert new_actor_codes(table.drop(columns="actor_iso3"), kept) == {}


# --- The record schema, declared once (dashboard.schema) and applied by pandera or directly ---------------------


def messy_table() -> pd.DataFrame:
    """Sentences we wrote, with a problem for every cell rule, a control character in a column of the user's
    own, a row with no problem, and a non-default index (as a filtered upload has)."""
    rows = [
        {"id": "r;1", "actor": "", "text": "Paris condemned it.", "stance": "furious", "mode": "loud", "note": "ok"},
        {"id": "r2", "actor": "France", "text": "  ", "stance": "condemn", "mode": "", "note": "bad\x07bell"},
        {
            "id": "r3",
            "actor": "France",
            "text": "Paris stands with Ankara.",
            "stance": "support",
            "mode": "",
            "note": "",
        },
        {
            "id": "r4",
            "actor": "Chile\x00",
            "text": "Santiago warned.",
            "stance": " warn ",
            "mode": "verbal",
            "note": "",
        },
    ]
    return pd.DataFrame(rows, index=[10, 11, 12, 13])


def test_pandera_and_the_direct_pass_find_the_same_problems_from_one_declaration(registry):
    table = messy_table()
    by_pandera = validate_records(table, registry, engine="pandera")
    directly = validate_records(table, registry, engine="direct")
    assert by_pandera == directly
    found = {(p.row, p.field, p.kind) for p in directly}
    assert {
        (1, "id", "bad_id"),
        (1, "actor", "empty"),
        (1, "stance", "unknown_stance"),
        (1, "mode", "unknown_mode"),
        (2, "text", "empty"),
        (2, "note", "control_character"),
        (4, "actor", "control_character"),
    } <= found
    assert not [p for p in directly if p.row == 3]
    assert (4, "stance", "unknown_stance") not in found  # spaces around a label are not a problem


def test_the_problem_table_built_from_the_schema_names_file_row_field_and_value(registry):
    problems = validate_records(messy_table(), registry, engine="pandera")
    shown = problems_table(problems, file="upload.csv")
    bell = shown[(shown["field"] == "note")].iloc[0]
    assert (bell["file"], bell["row"], bell["value"], bell["severity"]) == ("upload.csv", 2, "bad\x07bell", "error")
    assert bell["problem"] == "holds a control character (U+0007) at position 4; remove it"
    mode = shown[shown["field"] == "mode"].iloc[0]
    assert mode["problem"] == "'loud' is not one of verbal, material"


def test_allowed_stances_come_from_the_codebook_in_use(registry, tmp_path, monkeypatch):
    import shutil

    from dashboard import DATA_DIR

    copy = tmp_path / "knowledge"
    shutil.copytree(DATA_DIR, copy)
    codebook = copy / "codebook.csv"
    codebook.write_text(
        codebook.read_text(encoding="utf-8") + "mediate,neutral,#000000,Offers to mediate.,We will mediate.,x,appeal\n",
        encoding="utf-8",
    )
    table = pd.DataFrame([{"actor": "France", "text": "Paris offered to mediate.", "stance": "mediate"}])
    assert [p.kind for p in validate_records(table, registry, engine="pandera")] == ["unknown_stance"]
    monkeypatch.setenv("REACTIONS_DATA_DIR", str(copy))
    assert validate_records(table, registry, engine="pandera") == []
    assert validate_records(table, registry, engine="direct") == []


def test_the_score_path_validates_without_importing_pandera(tmp_path):
    import subprocess
    import sys

    from dashboard import PROJECT_DIR

    source = tmp_path / "rows.csv"
    source.write_text("actor,text\nFrance,Paris condemned the shelling.\n", encoding="utf-8")
    probe = (
        "import sys, pandas as pd\n"
        "from dashboard.records import validate_records\n"
        "from dashboard.registry import load_registry\n"
        "table = pd.DataFrame([{'actor': 'France', 'text': 'Paris condemned it.', 'stance': 'rage'}])\n"
        "found = validate_records(table, load_registry())\n"
        "from dashboard.cli import main\n"
        f"scored = main(['score', {str(source)!r}, '-o', {str(tmp_path / 'out.csv')!r}, '--quiet'])\n"
        "print(len(found), scored, 'pandera' in sys.modules)\n"
        f"checked = main(['validate', {str(source)!r}])\n"
        "print(checked, 'pandera' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT_DIR, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    lines = [line.split() for line in done.stdout.splitlines() if not line.endswith("valid")]
    assert lines == [["1", "0", "False"], ["0", "True"]]  # score: no pandera; validate: pandera


def test_scored_records_keep_the_score_ranges_and_formats_the_schema_declares(registry):
    import pandera.errors

    from dashboard.schema import scored_record_schema
    from dashboard.scoring import load_resources, score_records

    table = pd.DataFrame(
        [
            {"actor": "France", "text": "Paris strongly condemned the shelling of the town.", "date": "2020-02-28"},
            {"actor": "Chile", "text": "Santiago offered its condolences to the families.", "date": ""},
        ]
    )
    scored = score_records(normalise_records(table, registry), load_resources())
    scored_record_schema().validate(scored, lazy=True)
    broken = scored.copy()
    broken.loc[0, "polarity"] = 3.0
    broken.loc[1, "stance"] = "furious"
    with pytest.raises(pandera.errors.SchemaErrors) as raised:
        scored_record_schema().validate(broken, lazy=True)
    assert set(raised.value.failure_cases["column"]) == {"polarity", "stance"}

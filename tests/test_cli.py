"""The `reactions` CLI: score, summary, validate and their exit codes; never a traceback."""

import csv
import io
import json
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.records import read_table

# Sentences written for these tests; none is quoted from any source.
ROWS = [
    {"actor": "Ankara", "text": "Ankara strongly condemned the shelling of its observation post by Damascus."},
    {"actor": "NATO", "text": "The Alliance stands in solidarity with Turkey.", "stance": "", "note": "kept"},
    {"actor": "Moscow", "text": "Moscow offered its condolences to the families.", "stance": "neutral"},
]


@pytest.fixture
def rows_csv(tmp_path):
    path = tmp_path / "rows.csv"
    pd.DataFrame(ROWS).to_csv(path, index=False)
    return path


def test_score_keeps_every_input_column_and_adds_the_scores(rows_csv, tmp_path, capsys):
    out = tmp_path / "scored.csv"
    assert main(["score", str(rows_csv), "-o", str(out)]) == 0
    scored = read_table(out)
    assert len(scored) == len(ROWS)
    for column in ("actor", "text", "stance", "note"):
        assert column in scored.columns
    for column in ("target", "cue", "confidence", "polarity", "subjectivity", "intensity", "cameo", "goldstein"):
        assert column in scored.columns
    assert scored["actor"].tolist() == ["Ankara", "NATO", "Moscow"]  # input kept as written
    assert scored.loc[0, "stance"] == "condemn"
    assert scored.loc[0, "target"] == "Syria"
    assert scored.loc[1, "stance"] == "support"  # empty: filled by the classifier
    assert scored.loc[2, "stance"] == "neutral"  # given: kept, even where the classifier would differ
    assert scored.loc[1, "note"] == "kept"
    assert scored["stance_source"].tolist() == ["predicted", "predicted", "curated"]


@pytest.mark.parametrize("suffix", [".json", ".jsonl", ".xlsx"])
def test_score_writes_the_format_of_the_output_extension(rows_csv, tmp_path, suffix):
    out = tmp_path / f"scored{suffix}"
    assert main(["score", str(rows_csv), "-o", str(out)]) == 0
    assert read_table(out)["stance"].tolist()[0] == "condemn"


def test_score_without_output_writes_csv_to_stdout(rows_csv, capsys):
    assert main(["score", str(rows_csv)]) == 0
    out = capsys.readouterr().out
    assert "actor" in out.splitlines()[[not line.startswith("#") for line in out.splitlines()].index(True)]


def test_score_reads_json_and_jsonl(tmp_path):
    (tmp_path / "rows.json").write_text(json.dumps(ROWS), encoding="utf-8")
    (tmp_path / "rows.jsonl").write_text("\n".join(json.dumps(r) for r in ROWS), encoding="utf-8")
    for name in ("rows.json", "rows.jsonl"):
        assert main(["score", str(tmp_path / name), "-o", str(tmp_path / f"out_{name}.csv")]) == 0


def test_summary_writes_one_row_per_actor(rows_csv, tmp_path):
    out = tmp_path / "summary.xlsx"
    assert main(["summary", str(rows_csv), "-o", str(out)]) == 0
    sheet = openpyxl.load_workbook(out).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert "actor" in header and "dominant_stance" in header
    actors = {row[header.index("actor")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert actors == {"Turkey", "NATO", "Russia"}


def test_validate_accepts_a_good_file(rows_csv, capsys):
    assert main(["validate", str(rows_csv)]) == 0


def test_validate_lists_one_line_per_problem(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    pd.DataFrame(
        [
            {"actor": "NATO", "text": "Fine.", "stance": "support"},
            {"actor": "Atlantis", "text": "", "stance": "angry"},
        ]
    ).to_csv(path, index=False)
    assert main(["validate", str(path)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines == [
        "warning: row 2: actor: 'Atlantis' is not a known actor or alias; kept as written, as a new actor",
        "row 2: text: is empty; give the sentence the reaction comes from",
        "row 2: stance: 'angry' is not one of condemn, warn, deny, concern, call_for, neutral, condolence, support",
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [("missing.csv", None), ("broken.json", "{oops"), ("notes.txt", "hello")],
)
def test_an_unreadable_file_exits_2_with_one_line(tmp_path, capsys, name, content):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(path) in err[0]


def test_the_installed_command_never_prints_a_traceback(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not really a workbook")
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "validate", str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout


@pytest.mark.parametrize(
    ("output", "message"),
    [("scored.pdf", "cannot write: unsupported extension '.pdf'"), ("missing/scored.csv", "its folder does not exist")],
)
def test_an_output_that_cannot_be_written_is_refused_before_any_work(rows_csv, tmp_path, capsys, output, message):
    assert main(["score", str(rows_csv), "-o", str(tmp_path / output)]) == 2
    assert message in capsys.readouterr().err


def test_an_empty_file_says_so(tmp_path, capsys):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err.strip() == f"{path}: cannot read: the file is empty"


def test_validate_checks_offsets_against_the_shipped_article(tmp_path, capsys):
    from dashboard import DATA_DIR

    rows = (DATA_DIR / "records" / "idlib-2020.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    broken = tmp_path / "shifted.csv"
    header, first = rows[0], rows[1]
    # The first record's offsets moved by one character: its text no longer sits there in the article.
    cells = next(csv.reader([first]))
    columns = next(csv.reader([header]))
    cells[columns.index("start")] = str(int(cells[columns.index("start")]) + 1)
    cells[columns.index("end")] = str(int(cells[columns.index("end")]) + 1)
    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells)
    broken.write_text(header + buffer.getvalue(), encoding="utf-8")
    assert main(["validate", str(broken)]) == 1
    assert "differs from the article 'idlib-2020'" in capsys.readouterr().out


def test_validate_table_prints_the_upload_pages_problem_table(tmp_path, capsys):
    path = tmp_path / "names.csv"
    path.write_text("actor,text\nFrnace,Paris condemned the strike.\n", encoding="utf-8")
    assert main(["validate", "--table", str(path)]) == 0  # a name kept as written is a warning
    table = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str, keep_default_na=False)
    assert list(table.columns) == ["file", "row", "field", "value", "problem", "suggestion", "severity"]
    assert table.loc[0, ["file", "row", "field", "value", "suggestion", "severity"]].tolist() == [
        str(path),
        "1",
        "actor",
        "Frnace",
        "France",
        "warning",
    ]


def test_score_to_csv_writes_plain_csv_and_a_csvw_description_beside_it(rows_csv, tmp_path, capsys):
    out = tmp_path / "scored.csv"
    assert main(["score", str(rows_csv), "-o", str(out)]) == 0
    table = pd.read_csv(out)  # pandas' defaults: no comment=, no skiprows, no encoding
    assert table["actor"].tolist() == ["Ankara", "NATO", "Moscow"]
    with out.open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == list(table.columns)
    assert not out.read_bytes().startswith((b"\xef\xbb\xbf", b"#"))
    sidecar = tmp_path / "scored.csv-metadata.json"
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    assert meta["url"] == "scored.csv"
    assert [column["titles"] for column in meta["tableSchema"]["columns"]] == header
    assert meta["dc:source"] == [str(rows_csv)]
    assert meta["dc:title"] == "scored records"
    assert "described in" in capsys.readouterr().err


def test_summary_to_csv_has_its_description_too(rows_csv, tmp_path):
    out = tmp_path / "summary.csv"
    assert main(["summary", str(rows_csv), "-o", str(out)]) == 0
    meta = json.loads((tmp_path / "summary.csv-metadata.json").read_text(encoding="utf-8"))
    assert [column["titles"] for column in meta["tableSchema"]["columns"]] == list(pd.read_csv(out).columns)


def test_score_to_json_is_read_by_pandas_read_json_with_its_defaults(rows_csv, tmp_path):
    out = tmp_path / "scored.json"
    assert main(["score", str(rows_csv), "-o", str(out)]) == 0
    assert pd.read_json(out)["actor"].tolist() == ["Ankara", "NATO", "Moscow"]


def test_an_old_export_with_provenance_comment_lines_still_reads(tmp_path):
    old = tmp_path / "old.csv"
    old.write_bytes(
        '\ufeff# holds: scored records\n# filters: none\n"actor","text"\n"France","Paris condemned the strike."\n'.encode()
    )
    assert main(["validate", str(old)]) == 0


# --- No name lost (issue 8) --------------------------------------------------------------------------------------

UNKNOWN_NAMES_CSV = (
    "actor,text,target\n"
    "Egypt,Cairo condemned the strike.,Israel\n"
    "Atlantis,The Atlantis delegation condemned the strike.,Ruritania\n"
    "Frnace,Paris condemned the strike.,\n"
    "Congo,Congo called for calm.,\n"
)


def test_score_keeps_unregistered_names_as_written_marks_them_and_warns(tmp_path, capsys):
    path = tmp_path / "names.csv"
    path.write_text(UNKNOWN_NAMES_CSV, encoding="utf-8")
    out = tmp_path / "scored.csv"
    assert main(["score", str(path), "-o", str(out)]) == 0
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert table["actor"].tolist() == ["Egypt", "Atlantis", "Frnace", "Congo"]  # never replaced by a guess
    assert table["target"].tolist()[:2] == ["Israel", "Ruritania"]
    assert table["actor_status"].tolist() == ["registered", "unregistered", "unregistered", "ambiguous"]
    assert table["target_status"].tolist()[:2] == ["registered", "unregistered"]
    err = capsys.readouterr().err
    assert "warning: row 2: actor: 'Atlantis' is not a known actor or alias; kept as written" in err
    assert "warning: row 2: target: 'Ruritania'" in err
    assert "(did you mean 'France'?)" in err
    assert "'Congo' can mean 'Republic of the Congo' or 'Democratic Republic of the Congo'" in err


def test_validate_lists_unknown_names_as_warnings_and_exits_0(tmp_path, capsys):
    path = tmp_path / "names.csv"
    path.write_text(UNKNOWN_NAMES_CSV, encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert (
        lines[0] == "warning: row 2: actor: 'Atlantis' is not a known actor or alias; kept as written, as a new actor"
    )
    assert len([line for line in lines if line.startswith("warning: ")]) == 4
    assert lines[-1] == f"{path}: valid, with 4 warning(s): names kept as written"


def test_summary_counts_an_unregistered_actor_under_its_name(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text(UNKNOWN_NAMES_CSV, encoding="utf-8")
    out = tmp_path / "summary.csv"
    assert main(["summary", str(path), "-o", str(out)]) == 0
    assert {"Egypt", "Atlantis", "Frnace", "Congo"} <= set(pd.read_csv(out)["actor"])


def test_extract_marks_every_record_with_the_status_of_its_names(tmp_path, capsys):
    article = tmp_path / "story.txt"
    article.write_text(
        "The Egyptian foreign ministry condemned the shelling of the crossing.\n\n"
        "Brazil's president called for restraint on both sides.\n",
        encoding="utf-8",
    )
    out = tmp_path / "records.csv"
    assert main(["extract", str(article), "--date", "2026-11-20", "-o", str(out)]) == 0
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert table["actor"].tolist() == ["Egypt", "Brazil"]
    assert table["actor_status"].tolist() == ["registered", "registered"]
    assert "warning" not in capsys.readouterr().err


def test_extract_names_on_stderr_each_party_the_registry_does_not_know(capsys):
    from dashboard.cli import _warn_unregistered
    from dashboard.records import with_actor_status
    from dashboard.registry import load_registry

    registry = load_registry()
    output = with_actor_status(
        pd.DataFrame({"actor": ["Egypt", "Atlantis", "Atlantis"], "target": ["Ruritania", "", "Congo"]}), registry
    )
    _warn_unregistered("story.txt", output, registry)
    assert capsys.readouterr().err.splitlines() == [
        "story.txt: warning: 'Atlantis' is not in the registry; kept as written",
        "story.txt: warning: 'Ruritania' is not in the registry; kept as written",
        "story.txt: warning: 'Congo' can mean 'Republic of the Congo' or 'Democratic Republic of the Congo'; "
        "kept as written",
    ]


def test_score_leaves_out_the_bad_rows_names_them_with_the_file_and_scores_the_rest(tmp_path, capsys):
    """The good rows go on: a bad row is a line on stderr naming file, row and field, not a refused file."""
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        b"actor,text,stance\n"
        b"France,Paris condemned the shelling of the harbour.,\n"
        b"Germany,,\n"
        b"Japan,Tokyo urged calm.,furious\n"
        b"Italy,Rome voiced\x00 concern.,\n"
        b"Spain,Madrid called for an immediate ceasefire.,\n"
    )
    out = tmp_path / "scored.csv"
    assert main(["score", str(path), "-o", str(out), "--jobs", "1", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert f"{path}: row 2: text: is empty" in err
    assert f"{path}: row 3: stance: 'furious'" in err
    assert f"{path}: row 4: text: holds a control character (U+0000)" in err
    assert f"{path}: 3 row(s) left out (listed above); 2 row(s) go on" in err
    scored = pd.read_csv(out)
    assert scored["actor"].tolist() == ["France", "Spain"]
    assert scored["stance"].tolist() == ["condemn", "call_for"]


def test_score_writes_nothing_when_a_required_column_is_missing(tmp_path, capsys):
    path = tmp_path / "no_text.csv"
    path.write_text("actor,date\nFrance,2031-05-02\n", encoding="utf-8")
    out = tmp_path / "scored.csv"
    assert main(["score", str(path), "-o", str(out), "--quiet"]) == 1
    assert f"{path}: row 0: text: column is missing" in capsys.readouterr().err
    assert not out.exists()


def test_extract_reads_a_legacy_encoded_article_exactly_and_says_how(tmp_path, capsys):
    article = tmp_path / "paris.txt"
    article.write_bytes(
        "Paris reacts\n\nFrance condemned the attack on the port, said Jean-Noël Barrot, the foreign minister. "
        "Berlin said it was “deeply concerned” about the escalation.\n".encode("cp1252")
    )
    assert main(["extract", str(article), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert f"{article}: text read as cp1252" in captured.err
    assert "Jean-Noël Barrot" in captured.out and "Ã" not in captured.out


def test_extract_refuses_binary_data_in_words(tmp_path, capsys):
    article = tmp_path / "photo.txt"
    article.write_bytes(bytes(range(256)) * 8)
    assert main(["extract", str(article), "--quiet"]) == 2
    assert capsys.readouterr().err.startswith(f"{article}: cannot read: holds binary data")

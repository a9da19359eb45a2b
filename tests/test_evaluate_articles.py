"""`reactions evaluate --articles`: extraction scored on whole articles, on articles and gold lines we write."""

import json

import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.errors import InvalidDataError, UnreadableFileError
from dashboard.evaluate_articles import (
    Counts,
    article_date,
    evaluate_articles,
    format_report,
    read_gold,
    report_as_dict,
    report_table,
    score_article,
)
from dashboard.scoring import load_resources

ARTICLE = (
    "France condemned the raid by Syria. Russia and Iran called for restraint.\n"
    "Germany said it was following events closely."
)
FIRST = "France condemned the raid by Syria."
SECOND = "Russia and Iran called for restraint."
THIRD = "Germany said it was following events closely."


@pytest.fixture(scope="module")
def resources():
    return load_resources()


def _gold_file(path, lines):
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    return path


def _records(rows):
    columns = ["actor", "stance", "target", "start", "end"]
    return pd.DataFrame(rows, columns=columns)


def _span(sentence):
    start = ARTICLE.index(sentence)
    return start, start + len(sentence)


def test_a_joint_actor_counts_once_per_member_and_an_empty_target_is_a_value(tmp_path, resources):
    gold = read_gold(
        _gold_file(
            tmp_path / "a.gold.jsonl",
            [
                {"actor": "France", "stance": "condemn", "target": "Syria", "sentence": FIRST},
                {"actor": "Russia; Iran", "stance": "call_for", "target": "", "sentence": SECOND},
            ],
        ),
        ARTICLE,
        resources,
    )
    records = _records(
        [
            ("France", "condemn", "Syria", *_span(FIRST)),
            ("Russia", "call_for", "", *_span(SECOND)),
            # Iran with a target the gold does not give: a wrong triple, though actor and stance are right.
            ("Iran", "call_for", "Syria", *_span(SECOND)),
        ]
    )
    score = score_article("a", ARTICLE, gold, records, resources)
    assert score.triples == Counts(hits=2, predicted=3, gold=3)
    assert score.actors == Counts(hits=3, predicted=3, gold=3)
    assert ("Iran", "call_for", "") in score.missed
    assert ("Iran", "call_for", "Syria") in score.spurious
    assert score.stance_matched == 3 and score.stance_right == 3


def test_stance_accuracy_counts_only_records_whose_actor_and_sentence_match(tmp_path, resources):
    gold = read_gold(
        _gold_file(
            tmp_path / "a.gold.jsonl",
            [{"actor": "France", "stance": "condemn", "target": "Syria", "sentence": FIRST}],
        ),
        ARTICLE,
        resources,
    )
    records = _records(
        [
            ("France", "warn", "Syria", *_span(FIRST)),  # matched, wrong stance
            ("France", "condemn", "Syria", *_span(SECOND)),  # right actor, other sentence: not matched
            ("Germany", "neutral", "", *_span(THIRD)),  # not in gold: not matched
        ]
    )
    score = score_article("a", ARTICLE, gold, records, resources)
    assert (score.stance_matched, score.stance_right) == (1, 0)
    assert score.triples == Counts(hits=1, predicted=3, gold=1)
    assert score.actors.precision == pytest.approx(0.5)


def test_aliases_read_through_the_registry(tmp_path, resources):
    gold = read_gold(
        _gold_file(
            tmp_path / "a.gold.jsonl",
            [{"actor": "Paris", "stance": "condemn", "target": "Damascus", "sentence": FIRST}],
        ),
        ARTICLE,
        resources,
    )
    assert gold[0].actors == ("France",) and gold[0].targets == ("Syria",)


def test_bad_gold_lines_are_reported_together_with_their_line_and_field(tmp_path, resources):
    path = _gold_file(
        tmp_path / "a.gold.jsonl",
        [
            {"actor": "France", "stance": "praise", "target": "", "sentence": FIRST},
            {"actor": "France", "stance": "condemn", "target": "", "sentence": "Not in the text."},
            {"actor": "France", "stance": "condemn", "sentence": FIRST},
        ],
    )
    with pytest.raises(InvalidDataError) as raised:
        read_gold(path, ARTICLE, resources)
    found = {(p.row, p.field) for p in raised.value.problems}
    assert found == {(1, "stance"), (2, "sentence"), (3, "target")}


def test_pooled_figures_sum_counts_over_articles_and_cli_prints_them(tmp_path, resources, capsys):
    (tmp_path / "one-2020.txt").write_text(ARTICLE, encoding="utf-8")
    _gold_file(
        tmp_path / "one-2020.gold.jsonl",
        [
            {"actor": "France", "stance": "condemn", "target": "Syria", "sentence": FIRST},
            {"actor": "Russia; Iran", "stance": "call_for", "target": "", "sentence": SECOND},
            {"actor": "Germany", "stance": "neutral", "target": "", "sentence": THIRD},
        ],
    )
    other = "Japan offered condolences to Turkey."
    (tmp_path / "two.txt").write_text(other, encoding="utf-8")
    (tmp_path / "two.date").write_text("2023-02-07\n", encoding="utf-8")
    _gold_file(
        tmp_path / "two.gold.jsonl",
        [{"actor": "Japan", "stance": "condolence", "target": "Turkey", "sentence": other}],
    )
    (tmp_path / "unlabelled.txt").write_text("No gold beside this one.", encoding="utf-8")
    report = evaluate_articles(tmp_path, resources)
    assert [a.name for a in report.articles] == ["one-2020", "two"]
    assert [a.date for a in report.articles] == ["2020-07-01", "2023-02-07"]
    pooled = report.articles[0].triples + report.articles[1].triples
    assert report.triples == pooled
    table = report_table(report)
    assert list(table.index) == ["one-2020", "two", "pooled"]
    assert table.loc["pooled", "triples_gold"] == 5
    assert table.loc["pooled", "triple_f1"] == pytest.approx(report.triples.f1)
    assert "pooled" in format_report(report)
    json.dumps(report_as_dict(report))

    assert main(["evaluate", "--articles", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "one-2020" in out and "pooled" in out
    assert main(["evaluate", "--articles", str(tmp_path), "--json"]) == 0
    assert set(json.loads(capsys.readouterr().out)["articles"]) == {"one-2020", "two", "pooled"}


def test_a_folder_without_gold_or_an_article_missing_is_a_clear_error(tmp_path, resources, capsys):
    with pytest.raises(UnreadableFileError):
        evaluate_articles(tmp_path, resources)
    _gold_file(tmp_path / "lonely.gold.jsonl", [])
    with pytest.raises(UnreadableFileError, match="lonely.txt"):
        evaluate_articles(tmp_path, resources)
    assert main(["evaluate", "--articles", str(tmp_path / "absent")]) == 2
    assert "absent" in capsys.readouterr().err


def test_article_date_from_a_date_file_or_the_slug_year(tmp_path):
    assert article_date(tmp_path / "coup-2021.txt") == "2021-07-01"
    assert article_date(tmp_path / "no-year.txt") == ""


def test_the_sealed_articles_gold_lines_are_valid(resources):
    from dashboard import DATA_DIR

    folder = DATA_DIR.parent / "tests" / "data" / "articles"
    for gold_path in sorted(folder.glob("*.gold.jsonl")):
        text = gold_path.with_name(gold_path.name.replace(".gold.jsonl", ".txt")).read_text(encoding="utf-8")
        assert read_gold(gold_path, text, resources)


def test_calibration_table_counts_each_band_and_the_share_right():
    from dashboard.evaluate_articles import calibration_table

    confidence = pd.Series([0.3, 0.55, 0.58, 0.75, 0.95, 0.99])
    right = pd.Series([False, True, False, True, True, False])
    table = calibration_table(confidence, right).set_index("band")
    assert table["records"].sum() == len(confidence)
    assert table.loc["0.50–0.60", "records"] == 2
    assert table.loc["0.50–0.60", "share_right"] == pytest.approx(0.5)
    assert table.loc["0.80–1.00", "mean_confidence"] == pytest.approx(0.97)
    assert table.loc["0.60–0.70", "share_right"] is None or pd.isna(table.loc["0.60–0.70", "share_right"])


def test_the_shipped_calibration_table_has_both_sets_and_whole_bands():
    from dashboard import DATA_DIR
    from dashboard.datafiles import read_commented_csv

    table = read_commented_csv(DATA_DIR / "confidence_calibration.csv")
    assert set(table["set"]) == {"extraction", "stance"}
    for _, rows in table.groupby("set"):
        assert rows["records"].astype(int).sum() > 0


def test_sentence_triples_count_each_sentence_apart(tmp_path):
    # The round-14 scorer: the same (actor, stance, target) found in one sentence does not cover another.
    import importlib.util

    from dashboard import DATA_DIR
    from dashboard.evaluate_articles import read_gold
    from dashboard.scoring import load_resources

    script = DATA_DIR.resolve().parent / "benchmarks" / "sentence_triples.py"
    spec = importlib.util.spec_from_file_location("sentence_triples", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    resources = load_resources()
    text = "Peru condemned Chile. Peru condemned Chile again. Bolivia said nothing."
    path = tmp_path / "a.gold.jsonl"
    path.write_text(
        '{"actor": "Peru", "stance": "condemn", "target": "Chile", "sentence": "Peru condemned Chile."}\n'
        '{"actor": "Peru", "stance": "condemn", "target": "Chile", "sentence": "Peru condemned Chile again."}\n',
        encoding="utf-8",
    )
    gold = read_gold(path, text, resources)
    records = pd.DataFrame(
        {
            "actor": ["Peru", "Bolivia"],
            "stance": ["condemn", "neutral"],
            "target": ["Chile", ""],
            "start": [0, 50],
            "end": [21, 71],
        }
    )
    counts = module.sentence_counts(gold, records, resources)
    assert (counts.hits, counts.predicted, counts.gold) == (1, 2, 2)

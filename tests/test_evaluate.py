"""Evaluation metrics on small labelled sets we write ourselves."""

import json
from pathlib import Path

import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.codebook import stances
from dashboard.errors import InvalidDataError, UnreadableFileError
from dashboard.evaluate import (
    evaluate,
    format_report,
    read_labelled_jsonl,
    report_as_dict,
    textblob_sign_stance,
    wrong_items,
)
from dashboard.scoring import load_resources


@pytest.fixture(scope="module")
def resources():
    return load_resources()


ITEMS = [
    {
        "id": "t-1",
        "actor": "Turkey",
        "text": "Ankara condemned the raid by Syria.",
        "stance": "condemn",
        "target": "Syria",
    },
    {"id": "t-2", "actor": "Russia", "text": "Moscow denied the report.", "stance": "deny", "target": ""},
    {
        "id": "t-3",
        "actor": "NATO",
        "text": "The alliance offered condolences to Turkey.",
        "stance": "condolence",
        "target": "Turkey",
    },
    {
        "id": "t-4",
        "actor": "United States",
        "text": "Washington urged restraint and voiced concern.",
        "stance": "concern",
        "target": "",
        "also": ["call_for"],
        "tags": ["two_cues"],
    },
]
# The same items split into two made-up incidents, as the dev file's `event` field does.
EVENTS = ["alpha", "alpha", "beta", "beta"]


def test_scores_on_a_small_set(resources):
    report = evaluate(pd.DataFrame(ITEMS), resources)
    assert report.n == 4
    assert report.strict_accuracy == 0.75
    assert report.lenient_accuracy == 1.0
    assert report.target_accuracy == 1.0
    assert report.confusion.loc["concern", "call_for"] == 1
    assert report.per_label.loc["condemn", "f1"] == 1.0
    assert report.per_label.loc["call_for", "precision"] == 0.0
    # Macro-F1 averages the stances that occur in gold or predictions: five here, two of them missed.
    assert report.macro_f1 == pytest.approx(3 / 5)


def test_baselines_are_reported_and_weaker(resources):
    report = evaluate(pd.DataFrame(ITEMS), resources)
    assert len(report.baselines) == 2
    assert all(scores.strict_accuracy <= report.strict_accuracy for scores in report.baselines.values())


def test_textblob_sign_baseline():
    assert textblob_sign_stance("This is a terrible, awful decision.") == "condemn"
    assert textblob_sign_stance("A wonderful and excellent partnership.") == "support"
    assert textblob_sign_stance("The ministers met on Tuesday.") == "neutral"


def test_read_labelled_jsonl(tmp_path):
    path = tmp_path / "labelled.jsonl"
    path.write_text("\n".join(json.dumps(item) for item in ITEMS) + "\n", encoding="utf-8")
    frame = read_labelled_jsonl(path)
    assert list(frame["id"]) == ["t-1", "t-2", "t-3", "t-4"]
    assert frame.loc[3, "also"] == ("call_for",)
    assert frame.loc[0, "also"] == ()


def test_bad_json_line_is_unreadable(tmp_path):
    path = tmp_path / "broken.jsonl"
    path.write_text('{"text": "a", "actor": "b", "stance": "warn"}\n{not json\n', encoding="utf-8")
    with pytest.raises(UnreadableFileError, match="line 2"):
        read_labelled_jsonl(path)


def test_unknown_stance_is_invalid(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "a", "actor": "b", "stance": "scold"}\n', encoding="utf-8")
    with pytest.raises(InvalidDataError):
        read_labelled_jsonl(path)


def test_format_report_names_every_number(resources):
    text = format_report(evaluate(pd.DataFrame(ITEMS), resources))
    for words in ("strict", "lenient", "macro-F1", "target accuracy", "TextBlob sign", "majority class", "confusion"):
        assert words in text


def test_accuracy_by_tag(resources):
    report = evaluate(pd.DataFrame(ITEMS), resources)
    assert report.by_tag.loc["two_cues", "items"] == 1
    assert report.by_tag.loc["two_cues", "strict_accuracy"] == 0.0


def test_wrong_items_name_the_cue_used(resources):
    wrong = wrong_items(evaluate(pd.DataFrame(ITEMS), resources))
    assert list(wrong["id"]) == ["t-4"]
    assert wrong.loc[0, "gold"] == "concern"
    assert wrong.loc[0, "predicted"] == "call_for"
    assert wrong.loc[0, "cue"] == "urged"
    assert "text" not in wrong.columns


def test_format_report_lists_wrong_items_without_their_sentence(resources):
    text = format_report(evaluate(pd.DataFrame(ITEMS), resources))
    assert "wrong (1 of 4)" in text
    assert "t-4" in text and "'urged'" in text
    assert ITEMS[3]["text"] not in text


def test_scores_per_incident(resources):
    report = evaluate(pd.DataFrame(ITEMS).assign(event=EVENTS), resources)
    assert list(report.by_event.index) == ["alpha", "beta"]
    assert report.by_event.loc["alpha", "items"] == 2
    assert report.by_event.loc["alpha", "strict"] == 1.0
    assert report.by_event.loc["alpha", "macro_f1"] == 1.0
    assert report.by_event.loc["beta", "strict"] == 0.5


def test_report_as_dict_is_json_with_every_part(resources):
    report = report_as_dict(evaluate(pd.DataFrame(ITEMS).assign(event=EVENTS), resources))
    decoded = json.loads(json.dumps(report))
    assert decoded["items"] == 4
    assert decoded["strict_accuracy"] == 0.75
    assert decoded["per_stance"]["condemn"]["f1"] == 1.0
    assert decoded["per_stance"]["condemn"]["support"] == 1
    assert decoded["confusion"]["counts"]["concern"]["call_for"] == 1
    assert set(decoded["by_event"]) == {"alpha", "beta"}
    assert [item["id"] for item in decoded["wrong"]] == ["t-4"]
    assert decoded["wrong"][0]["cue"] == "urged"


def test_cli_evaluate_prints_text_or_json(tmp_path, capsys):
    path = tmp_path / "labelled.jsonl"
    path.write_text("\n".join(json.dumps(item) for item in ITEMS) + "\n", encoding="utf-8")
    assert main(["evaluate", str(path)]) == 0
    assert "macro-F1" in capsys.readouterr().out
    assert main(["evaluate", str(path), "--json"]) == 0
    decoded = json.loads(capsys.readouterr().out)
    assert decoded["lenient_accuracy"] == 1.0
    assert decoded["target_accuracy"] == 1.0


def test_cli_evaluate_reports_a_missing_file(tmp_path, capsys):
    assert main(["evaluate", str(tmp_path / "absent.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err


OWN_SETS_DIR = Path(__file__).parent / "data"
# Sentences written for this project (never taken from the dev file), labelled by the codebook.
OWN_SETS = {
    # written first, then used to develop the lexicon: a regression guard, not a measure of generality
    "stance_holdout.jsonl": 0.95,
    # written after the first round of rules, then used for the second: also a regression guard
    "stance_fresh.jsonl": 0.85,
    # written before the second round and scored after it (0.688, the nearest to unseen text we have); the
    # CAMEO verb import that followed raised it to 0.755, a figure no longer clean
    "stance_sealed.jsonl": 0.70,
    # written after all rule work and scored once (0.643): not to be tuned to
    "stance_final.jsonl": 0.60,
}


@pytest.mark.parametrize(("name", "floor"), OWN_SETS.items())
def test_own_labelled_sets_cover_every_stance_and_keep_their_score(resources, name, floor):
    labelled = read_labelled_jsonl(OWN_SETS_DIR / name)
    assert set(labelled["stance"]) == set(stances())
    assert evaluate(labelled, resources).macro_f1 >= floor

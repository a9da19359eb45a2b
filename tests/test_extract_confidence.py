"""The extractor's confidence: the logistic model, its data file, and measuring it on articles held out of the fit."""

import math
from types import SimpleNamespace

import pandas as pd
import pytest

from dashboard import DATA_DIR
from dashboard.errors import InvalidDataError
from dashboard.extract import extract_records
from dashboard.extract.confidence import (
    MODEL_FILE,
    feature_names,
    fit_logistic,
    held_out_confidence,
    load_confidence_model,
    predicted,
    proposal_features,
    record_confidence,
)
from dashboard.scoring import load_resources


def evidence(stance="condemn", target="Ruritania", speaker="", weight=0.9, inferred=False, from_context=False):
    return SimpleNamespace(
        stance=stance,
        target=target,
        speaker=speaker,
        weight=weight,
        inferred=inferred,
        attributed_from_context=from_context,
    )


def test_without_a_model_the_hand_set_formula_stands():
    assert record_confidence(evidence(weight=0.9), {}) == pytest.approx(0.85)
    assert record_confidence(evidence(weight=0.9, inferred=True), {}) == pytest.approx(0.723)
    assert record_confidence(evidence(stance="neutral"), {}) == pytest.approx(0.5)


def test_with_a_model_the_confidence_is_its_logistic_probability():
    model = {"intercept": 0.5, "no_target": -2.0, "stance_condemn": 1.0}
    assert record_confidence(evidence(), model) == pytest.approx(round(1 / (1 + math.exp(-1.5)), 3))
    assert record_confidence(evidence(target=""), model) == pytest.approx(round(1 / (1 + math.exp(0.5)), 3))


def test_features_say_what_the_evidence_is():
    features = proposal_features(evidence(stance="warn", target="", speaker="Anna Berg", weight=1.4, inferred=True))
    assert set(features) == set(feature_names())
    assert features["cue_weight"] == 1.0  # capped
    assert (features["no_target"], features["speaker_named"], features["target_from_context"]) == (1.0, 1.0, 1.0)
    assert features["stance_warn"] == 1.0 and features["stance_condemn"] == 0.0


def test_the_fit_recovers_the_rate_of_each_kind_of_record():
    # 90% of records with a target are right, 30% of those without: the fitted probabilities come close.
    rows, right = [], []
    for index in range(200):
        has_target = index % 2 == 0
        rows.append({"intercept": 1.0, "no_target": 0.0 if has_target else 1.0})
        right.append(index % 20 < 18 if has_target else index % 20 < 6)
    model = fit_logistic(rows, right, penalty=0.01)
    assert predicted({"intercept": 1.0, "no_target": 0.0}, model) == pytest.approx(0.9, abs=0.02)
    assert predicted({"intercept": 1.0, "no_target": 1.0}, model) == pytest.approx(0.3, abs=0.02)


def test_held_out_confidence_never_sees_its_own_articles_labels():
    columns = {f"feature_{name}": 0.0 for name in feature_names()}
    frame = pd.DataFrame(
        [
            {
                "article": article,
                "right": (i % 3 > 0),
                **columns,
                "feature_intercept": 1.0,
                "feature_no_target": float(i % 2),
            }
            for article in ("a", "b", "c")
            for i in range(30)
        ]
    )
    flipped = frame.assign(right=frame["right"].where(frame["article"] != "a", ~frame["right"]))
    before, after = held_out_confidence(frame), held_out_confidence(flipped)
    inside = frame["article"] == "a"
    assert before[inside].tolist() == after[inside].tolist()  # a's own labels changed nothing for a
    assert before[~inside].tolist() != after[~inside].tolist()  # but they are part of b's and c's fits


def test_a_model_file_reports_every_bad_row_at_once(tmp_path):
    path = tmp_path / MODEL_FILE
    path.write_text("# a model\nfeature,weight\nintercept,0.2\nstance_gloating,1.0\nno_target,lots\n", encoding="utf-8")
    with pytest.raises(InvalidDataError) as caught:
        load_confidence_model(path)
    assert [(p.row, p.field) for p in caught.value.problems] == [(2, "feature"), (3, "weight")]
    assert load_confidence_model(tmp_path / "absent.csv") == {}


def test_the_shipped_model_lists_every_feature_once():
    model = load_confidence_model(DATA_DIR / MODEL_FILE)
    assert set(model) == set(feature_names())


def test_a_condemnation_with_its_target_named_is_surer_than_a_bare_warning():
    records = extract_records(
        "Peru condemned Chile for the raid on the fishing fleet. Bolivia warned of consequences.",
        load_resources(),
        "test-event",
        "2022-03-15",
        "test",
    )
    confidence = dict(zip(records["stance"], records["confidence"], strict=True))
    assert confidence["condemn"] > confidence["warn"]
    assert all(0.0 < value < 1.0 for value in confidence.values())

"""score_records: curated labels win, predictions sit beside them, the input is never changed."""

import math

import pandas as pd
import pytest

from dashboard.scoring import SCORED_COLUMNS, load_resources, score_records


@pytest.fixture(scope="module")
def resources():
    return load_resources()


def _frame(**columns):
    return pd.DataFrame(columns)


def test_minimal_frame_gets_every_scored_column(resources):
    records = _frame(actor=["Turkey"], text=["Ankara strongly condemned the shelling of its observation post."])
    scored = score_records(records, resources)
    assert set(SCORED_COLUMNS) <= set(scored.columns)
    row = scored.iloc[0]
    assert row["predicted_stance"] == "condemn"
    assert row["stance"] == "condemn"
    assert row["stance_source"] == "predicted"
    assert row["stance_agrees"]
    assert row["cameo"] == "111"
    assert row["goldstein"] == -2.0
    assert row["intensity"] < -0.7
    assert row["mode"] == "verbal"


def test_input_frame_is_not_mutated(resources):
    records = _frame(actor=["Russia"], text=["Moscow warned of grave consequences."], stance=[""])
    before = records.copy()
    score_records(records, resources)
    pd.testing.assert_frame_equal(records, before)


def test_curated_stance_wins_and_prediction_is_kept_beside_it(resources):
    records = _frame(
        actor=["United States"],
        text=["Washington urged an end to the fighting and voiced deep concern."],
        stance=["concern"],
        target=[""],
        cue=["voiced deep concern"],
        mode=["verbal"],
    )
    row = score_records(records, resources).iloc[0]
    assert row["stance"] == "concern"
    assert row["predicted_stance"] == "call_for"
    assert row["stance_source"] == "curated"
    assert not row["stance_agrees"]
    # Intensity and CAMEO follow the curated stance, read from its curated cue.
    assert row["cameo"] == "012"
    assert row["intensity"] < -0.3


def test_curated_empty_target_is_not_filled(resources):
    records = _frame(
        actor=["NATO"],
        text=["The alliance condemned the raid by Russia."],
        stance=["condemn"],
        target=[""],
        cue=["condemned"],
    )
    row = score_records(records, resources).iloc[0]
    assert row["target"] == ""
    assert row["predicted_target"] == "Russia"


def test_predicted_rows_take_target_and_cue(resources):
    records = _frame(actor=["Russia"], text=["Moscow offered condolences to Ankara."], stance=[""], target=[""])
    row = score_records(records, resources).iloc[0]
    assert (row["stance"], row["target"], row["cue"]) == ("condolence", "Turkey", "condolences")


def test_cameo_code_keeps_its_leading_zero(resources):
    records = _frame(actor=["United Nations"], text=["The UN chief called for a truce along the river."])
    row = score_records(records, resources).iloc[0]
    assert row["cameo"] == "0256"
    assert isinstance(row["cameo"], str)


def test_material_act_fills_mode(resources):
    records = _frame(actor=["Russia"], text=["Moscow sent four warships to the eastern Mediterranean."])
    row = score_records(records, resources).iloc[0]
    assert row["mode"] == "material"
    assert row["cameo"] == "150"


def test_tone_conflict_flags_textblob_misreading(resources):
    records = _frame(actor=["United Nations"], text=["The UN chief watches the shelling with great concern."])
    row = score_records(records, resources).iloc[0]
    assert row["polarity"] > 0
    assert row["stance"] == "concern"
    assert row["tone_conflict"]


def test_empty_frame_scores_to_an_empty_frame(resources):
    scored = score_records(pd.DataFrame({"actor": [], "text": []}, dtype=str), resources)
    assert scored.empty
    assert set(SCORED_COLUMNS) <= set(scored.columns)


def test_repeated_text_scores_the_same(resources):
    text = "Ankara denied the report."
    scored = score_records(_frame(actor=["Turkey", "Turkey"], text=[text, text]), resources)
    assert scored["polarity"].nunique() == 1
    assert list(scored["predicted_stance"]) == ["deny", "deny"]
    assert not any(math.isnan(value) for value in scored["goldstein"])


def test_filtered_frame_with_gaps_in_its_index(resources):
    records = _frame(
        actor=["Turkey", "Russia", "NATO"],
        text=["Ankara denied the report.", "Moscow sent two frigates north.", "The alliance condemned the raid."],
        stance=["", "", "condemn"],
        mode=["", "", ""],
    ).iloc[[2, 0, 1]]
    records.index = [7, 3, 11]
    scored = score_records(records, resources)
    assert list(scored.index) == [7, 3, 11]
    assert list(scored["stance"]) == ["condemn", "deny", "warn"]
    assert list(scored["mode"]) == ["verbal", "verbal", "material"]
    assert list(scored["stance_source"]) == ["curated", "predicted", "predicted"]


def test_every_reaction_in_a_sentence_is_found_not_only_the_headline(resources):
    text = "Washington urged Moscow to halt the shelling, voiced deep concern and stood with Ankara."
    scored = score_records(
        _frame(
            actor=["United States"] * 3,
            text=[text] * 3,
            stance=["call_for", "concern", "support"],
            target=["Russia", "", "Turkey"],
        ),
        resources,
    )
    assert scored["predicted_stance"].tolist() == ["call_for"] * 3  # one headline per sentence
    assert scored["stance_found"].tolist() == [True, True, True]
    assert "support → Turkey" in scored.loc[0, "sentence_reactions"]


def test_a_stance_the_sentence_does_not_carry_is_not_found(resources):
    scored = score_records(
        _frame(actor=["NATO"], text=["The Alliance offered condolences to the families."], stance=["warn"]),
        resources,
    )
    assert not scored.loc[0, "stance_found"]


def test_records_without_stance_are_filled_and_marked_predicted(resources):
    # As read from a CSV or an upload: an empty cell is NaN, a stray space is not a label either.
    records = _frame(
        actor=["Turkey", "Russia", "NATO"],
        text=[
            "Ankara condemned the shelling of its convoy by Damascus.",
            "Moscow offered condolences to Ankara.",
            "The alliance stands in solidarity with Turkey.",
        ],
        stance=[float("nan"), " ", "support"],
    )
    scored = score_records(records, resources)
    assert list(scored["stance_source"]) == ["predicted", "predicted", "curated"]
    assert list(scored["stance"]) == ["condemn", "condolence", "support"]
    assert list(scored["target"]) == ["Syria", "Turkey", ""]
    assert list(scored["cue"]) == ["condemned", "condolences", ""]


def test_progress_counts_distinct_sentence_actor_pairs_and_changes_nothing(resources):
    from dashboard.records import load_curated_records

    # The curated file three times, its stances blanked in one copy, so both paths (curated, predicted) run.
    curated = load_curated_records(resources.registry)
    records = pd.concat([curated, curated, curated.assign(stance="", target="", cue="")], ignore_index=True)
    records["id"] = [f"r{i}" for i in range(len(records))]
    seen: list[tuple[int, int]] = []
    with_progress = score_records(records, resources, progress=lambda done, total: seen.append((done, total)))
    pairs = len(set(zip(records["text"], records["actor"], strict=True)))
    assert seen[-1] == (pairs, pairs)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    pd.testing.assert_frame_equal(with_progress, score_records(records, resources))


def test_a_target_the_file_gives_is_kept_when_the_rules_fill_the_stance(resources):
    # The rules read "Russia; Georgia" here; the file says Russia, and the file is kept.
    records = _frame(
        actor=["Kosovo"],
        text=["Kosovo strongly condemns the attack by Russia on Ukraine and Georgia."],
        stance=[""],
        target=["Russia"],
        cue=[""],
    )
    row = score_records(records, resources).iloc[0]
    assert (row["stance"], row["target"], row["stance_source"]) == ("condemn", "Russia", "predicted")
    assert row["cue"] != ""  # the empty cue is still filled by the rules

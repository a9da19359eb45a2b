"""TextBlob misreads diplomatic language; the intensity ladder and the conflict flag must not."""

from dashboard.stance import classify_stance
from dashboard.tone import intensity_score, textblob_tone, tone_conflicts_with_stance


def test_textblob_reads_great_concern_as_positive_but_the_rules_read_concern():
    sentence = "The council follows the fighting with great concern."
    assert textblob_tone(sentence).polarity > 0
    prediction = classify_stance(sentence)
    assert prediction.stance == "concern"
    assert intensity_score(prediction.stance, prediction.modifier, cue_type=prediction.cue_type) < 0
    assert tone_conflicts_with_stance(textblob_tone(sentence).polarity, prediction.stance)


def test_textblob_reads_strongly_condemns_as_positive_but_the_rules_read_hostile():
    sentence = "The government strongly condemns the raid on the border post."
    assert textblob_tone(sentence).polarity > 0.4
    prediction = classify_stance(sentence)
    assert prediction.stance == "condemn"
    assert prediction.modifier == "strongly"
    assert intensity_score(prediction.stance, prediction.modifier) < intensity_score("condemn")
    assert tone_conflicts_with_stance(textblob_tone(sentence).polarity, prediction.stance)


def test_textblob_scores_condemnation_heinous_and_condolences_zero():
    for word in ("condemnation", "heinous", "condolences"):
        assert textblob_tone(word).polarity == 0


def test_the_rules_give_those_zero_words_their_stance_and_sign():
    cases = {
        "The ministry issued a condemnation of the shelling.": "condemn",
        "Officials called the raid heinous.": "condemn",
        "The embassy sent condolences to the families.": "condolence",
    }
    for sentence, stance in cases.items():
        prediction = classify_stance(sentence)
        assert prediction.stance == stance
        sign = intensity_score(prediction.stance, prediction.modifier)
        assert (sign < 0) if stance == "condemn" else (sign > 0)


def test_ladder_orders_the_hostile_side():
    concern = intensity_score("concern")
    deep_concern = intensity_score("concern", "deep")
    condemn = intensity_score("condemn")
    strongly_condemn = intensity_score("condemn", "strongly")
    assert 0 > concern > deep_concern > condemn > strongly_condemn >= -1


def test_ladder_puts_condolence_and_support_on_the_cordial_side():
    assert 0 < intensity_score("condolence") < intensity_score("support") <= 1
    assert intensity_score("neutral") == 0


def test_negated_cue_carries_no_intensity():
    assert intensity_score("condemn", negated=True) == 0


def test_intensity_stays_within_bounds_for_extreme_modifiers():
    assert intensity_score("condemn", "in the strongest terms", modifier_weight=5.0) == -1
    assert intensity_score("support", "fully", modifier_weight=5.0) == 1


def test_softener_lowers_intensity():
    assert intensity_score("concern", "some", modifier_weight=0.8) > intensity_score("concern")


def test_material_acts_outrank_words():
    assert intensity_score("warn", cue_type="use_conventional_force") < intensity_score("condemn", "strongly")


def test_conflict_flag_needs_a_clear_sign():
    assert not tone_conflicts_with_stance(0.02, "condemn")
    assert tone_conflicts_with_stance(-0.3, "support")
    assert not tone_conflicts_with_stance(0.5, "support")
    assert not tone_conflicts_with_stance(0.9, "call_for")
    assert not tone_conflicts_with_stance(-0.9, "neutral")


def test_a_polarity_that_displays_as_the_threshold_is_no_conflict():
    assert not tone_conflicts_with_stance(0.05000000000000002, "condemn")
    assert tone_conflicts_with_stance(0.051, "condemn")

"""The rule classifier: cues, negation, modifiers, reported speech, several cues, and targets."""

import pytest

from dashboard.registry import Actor, Registry, Speaker
from dashboard.stance import (
    classify_stance,
    compile_phrase,
    default_lexicon,
    detect_targets,
    find_cues,
    find_reactions,
)


def _actor(name, iso3, *aliases):
    return Actor(name, "state", iso3, None, None, (), aliases)


@pytest.fixture(scope="module")
def registry():
    actors = [
        _actor("Freedonia", "FRE", "Freedonian", "Fredville"),
        _actor("Sylvania", "SYL", "Sylvanian", "Sylvanian government"),
        _actor("Ruritania", "RUR", "Ruritanian", "Strelsau"),
    ]
    speakers = (Speaker("Rudolf Rassendyll", "Ruritania", "King", "", "", ("Rassendyll",)),)
    return Registry({actor.name: actor for actor in actors}, speakers)


@pytest.fixture(scope="module")
def lexicon():
    return default_lexicon()


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("The foreign ministry condemned the shelling of the border town.", "condemn"),
        ("Fredville blamed the militia for the blast.", "condemn"),
        ("We reject the military operation launched this week.", "condemn"),
        ("The minister warned that the fighting could spread.", "warn"),
        ("The army sent three warships to the gulf.", "warn"),
        ("The defence ministry denied that its jets had flown over the village.", "deny"),
        ("The spokesman rejected the claims as baseless.", "deny"),
        ("The secretariat is worried about the rising number of refugees.", "concern"),
        ("Our concern is for the safety of the crews.", "concern"),
        ("The spokesman said the state bears no responsibility for the crash.", "deny"),
        ("The premier described the bombing as an act of state terrorism.", "condemn"),
        ("Any incursion will be met with a firm response, the minister said.", "warn"),
        ("The council urged both governments to return to talks.", "call_for"),
        ("The president sent his sympathy to the families of the crew.", "condolence"),
        ("The alliance stands in solidarity with its member.", "support"),
        ("Strelsau summoned the Freedonian ambassador over the remarks.", "condemn"),
        ("The cabinet firmly opposes any change to the border.", "condemn"),
        ("The president said the raid would not go unpunished.", "warn"),
        ("The two ministers spoke by telephone on Tuesday.", "neutral"),
        ("The delegation arrived in the capital on Monday.", "neutral"),
        ("Supporters of the opposition gathered in the square.", "neutral"),
    ],
)
def test_each_stance_is_recognised(lexicon, sentence, stance):
    assert classify_stance(sentence, lexicon).stance == stance


def test_cue_is_an_exact_substring_with_a_confidence(lexicon):
    sentence = "Yesterday the Freedonian cabinet Condemned the raid."
    prediction = classify_stance(sentence, lexicon)
    assert prediction.cue == "Condemned"
    assert sentence[prediction.cue_start : prediction.cue_end] == prediction.cue
    assert 0 < prediction.confidence < 1


def test_no_cue_gives_neutral_with_empty_cue(lexicon):
    prediction = classify_stance("The talks resumed on Friday.", lexicon)
    assert (prediction.stance, prediction.cue, prediction.negated) == ("neutral", "", False)


@pytest.mark.parametrize(
    "sentence",
    [
        "The government did not condemn the strike.",
        "The prime minister refused to condemn the raid.",
        "The ministry declined to criticise its neighbour.",
        "Officials didn't blame anyone for the crash.",
        "The foreign ministry stopped short of condemning the strike.",
        "The council refrained from openly criticising the government.",
        "Strelsau has yet to condemn the attack.",
    ],
)
def test_negated_cue_becomes_neutral_and_is_flagged(lexicon, sentence):
    prediction = classify_stance(sentence, lexicon)
    assert prediction.stance == "neutral"
    assert prediction.negated
    assert prediction.cue in sentence


def test_prohibition_is_not_a_negation(lexicon):
    prediction = classify_stance("States should not threaten their neighbours with missiles, he said.", lexicon)
    assert prediction.stance == "warn"
    assert not prediction.negated


def test_not_only_does_not_negate(lexicon):
    assert classify_stance("The cabinet not only condemned the raid.", lexicon).stance == "condemn"


def test_negated_cue_yields_to_a_live_one(lexicon):
    prediction = classify_stance("The envoy did not blame the army but urged a ceasefire.", lexicon)
    assert prediction.stance == "call_for"


def test_denial_phrases_carry_their_own_negation(lexicon):
    prediction = classify_stance("The ministry said its forces were not involved in the shooting.", lexicon)
    assert prediction.stance == "deny"
    assert not prediction.negated


@pytest.mark.parametrize(
    ("sentence", "modifier"),
    [
        ("We strongly condemn the attack.", "strongly"),
        ("The envoy voiced deep concern about the siege.", "deep"),
        ("The secretariat follows events with grave concern.", "grave"),
        ("The cabinet condemned in the strongest terms the raid.", "in the strongest terms"),
    ],
)
def test_intensifier_is_found_and_raises_the_weight(lexicon, sentence, modifier):
    prediction = classify_stance(sentence, lexicon)
    assert prediction.modifier == modifier
    assert prediction.modifier_weight > 1


def test_intensified_cue_is_more_confident_than_plain(lexicon):
    plain = classify_stance("We condemn the attack.", lexicon)
    strong = classify_stance("We strongly condemn the attack.", lexicon)
    assert strong.confidence > plain.confidence


def test_hedge_lowers_confidence_not_the_label(lexicon):
    plain = classify_stance("The minister condemned the raid.", lexicon)
    hedged = classify_stance("The minister appears to have condemned the raid.", lexicon)
    assert hedged.stance == plain.stance == "condemn"
    assert hedged.hedged
    assert hedged.confidence < plain.confidence


def test_reporting_verb_is_not_a_cue(lexicon):
    prediction = classify_stance("The spokesman said the ministry condemned the raid.", lexicon)
    assert prediction.stance == "condemn"
    assert prediction.cue == "condemned"
    assert prediction.reported


def test_reporting_verb_alone_is_neutral(lexicon):
    prediction = classify_stance("The ministry said the convoy reached the city.", lexicon)
    assert prediction.stance == "neutral"
    assert prediction.reported


def test_find_cues_lists_every_stance_in_a_multi_reaction_sentence(lexicon):
    sentence = "The ministry condemned the raid, urged restraint on all sides and offered condolences to the families."
    cues = find_cues(sentence, lexicon)
    assert list(dict.fromkeys(cue.stance for cue in cues)) == ["condemn", "call_for", "condolence"]
    assert all(sentence[cue.start : cue.end] == cue.text for cue in cues)


def test_dominant_cue_is_the_first_explicit_one(lexicon):
    sentence = "The envoy offered condolences and urged an inquiry into the crash."
    assert classify_stance(sentence, lexicon).stance == "condolence"
    assert classify_stance(sentence, lexicon).confidence < classify_stance("The envoy offered condolences.").confidence


def test_weak_cue_yields_to_an_explicit_one_later(lexicon):
    sentence = "Citing security concerns, the council demanded a ceasefire."
    assert classify_stance(sentence, lexicon).stance == "call_for"


def test_shock_alone_is_concern_but_yields_to_condolences(lexicon):
    assert classify_stance("I am deeply shocked by the crash.", lexicon).stance == "concern"
    sentence = "I am deeply shocked by the crash and send my condolences to the families."
    assert classify_stance(sentence, lexicon).stance == "condolence"


def test_overlapping_cues_keep_the_more_specific(lexicon):
    prediction = classify_stance("The cabinet rejected the accusations outright.", lexicon)
    assert prediction.stance == "deny"
    assert prediction.cue == "rejected the accusations"


def test_call_for_cue_type_is_sharpened_by_what_is_called_for(lexicon):
    assert classify_stance("The council called for an immediate ceasefire.", lexicon).cue_type == "appeal_de_escalation"
    assert classify_stance("Ruritania demanded an international inquiry.", lexicon).cue_type == "demand_investigation"
    assert classify_stance("The council called for calm.", lexicon).cue_type == "appeal_de_escalation"


def test_material_act_has_a_material_cue_type(lexicon):
    prediction = classify_stance("The navy deployed two frigates off the coast.", lexicon)
    assert prediction.stance == "warn"
    assert prediction.cue_type == "demonstrate_military_power"


def test_phrase_syntax_wildcard_alternatives_and_gap():
    assert compile_phrase("condemn*").search("a condemnation of")
    assert not compile_phrase("condemn*").search("uncondemned")
    assert compile_phrase("stand|stood by").search("they stood by")
    assert compile_phrase("express* ~ concern").search("expressed its very deep concern")
    assert not compile_phrase("expect + to").search("we expect to arrive")


def test_curly_apostrophes_match_like_straight_ones(lexicon):
    assert classify_stance("The ministry didn’t blame the crew.", lexicon).negated


# Targets


def test_target_is_the_party_after_the_cue(registry, lexicon):
    sentence = "Freedonia condemned the bombing by the Sylvanian government of a Freedonian convoy."
    prediction = classify_stance(sentence, lexicon)
    assert detect_targets(sentence, "Freedonia", registry, prediction.stance, prediction.cue, lexicon) == ["Sylvania"]


def test_condolence_target_is_the_consoled_party_not_the_perpetrator(registry, lexicon):
    sentence = "Ruritania offered condolences to Freedonia after a Sylvanian attack on its troops."
    targets = detect_targets(sentence, "Ruritania", registry, "condolence", "condolences", lexicon)
    assert targets == ["Freedonia"]


def test_reacting_actor_is_never_its_own_target(registry, lexicon):
    sentence = "Strelsau urged Ruritanian and Sylvanian leaders to meet."
    assert detect_targets(sentence, "Ruritania", registry, "call_for", "urged", lexicon) == ["Sylvania"]


def test_joint_statement_excludes_every_signatory(registry, lexicon):
    sentence = "Freedonia and Sylvania condemn the raid by Ruritania."
    targets = detect_targets(sentence, "Freedonia; Sylvania", registry, "condemn", "condemn", lexicon)
    assert targets == ["Ruritania"]


def test_call_on_all_sides_has_no_target(registry, lexicon):
    sentence = "Freedonia called on all sides, including Sylvania and Ruritania, to stop fighting."
    assert detect_targets(sentence, "Freedonia", registry, "call_for", "called on", lexicon) == []


def test_places_and_sources_are_not_targets(registry, lexicon):
    sentence = "Fighting in northern Sylvania must stop, Ruritania said."
    assert detect_targets(sentence, "Freedonia", registry, "call_for", "must stop", lexicon) == []


def test_parties_before_the_cue_are_used_when_none_follow(registry, lexicon):
    sentence = "Sylvania, like every state, has the right to defend its airspace."
    assert detect_targets(sentence, "Freedonia", registry, "support", "has the right to", lexicon) == ["Sylvania"]


def test_targets_stop_at_the_next_reaction(registry, lexicon):
    sentence = "Freedonia urged Sylvania to withdraw, and it stood next to Ruritania."
    assert detect_targets(sentence, "Freedonia", registry, "call_for", "urged", lexicon) == ["Sylvania"]
    assert detect_targets(sentence, "Freedonia", registry, "support", "stood next to", lexicon) == ["Ruritania"]


def test_neutral_has_no_target(registry, lexicon):
    sentence = "Freedonia spoke to Sylvania by phone."
    assert detect_targets(sentence, "Freedonia", registry, "neutral", "spoke to", lexicon) == []


def test_concern_target_only_when_named_as_acting(registry, lexicon):
    about_situation = "Freedonia is worried about the attack on Sylvanian troops."
    assert detect_targets(about_situation, "Freedonia", registry, "concern", "worried", lexicon) == []
    about_conduct = "Freedonia is worried about the actions of Ruritania near its border."
    assert detect_targets(about_conduct, "Freedonia", registry, "concern", "worried", lexicon) == ["Ruritania"]


def test_a_named_speaker_stands_for_their_actor(registry, lexicon):
    sentence = "Freedonia criticised Rassendyll's decision to close the border."
    assert detect_targets(sentence, "Freedonia", registry, "condemn", "criticised", lexicon) == ["Ruritania"]


def test_noun_phrase_before_and_said_is_not_a_source(registry, lexicon):
    sentence = "Freedonia sent condolences for the Sylvanian soldiers and said it would help."
    assert detect_targets(sentence, "Freedonia", registry, "condolence", "condolences", lexicon) == ["Sylvania"]


def test_speech_act_of_another_named_party_is_not_the_actors(registry, lexicon):
    sentence = "Freedonia hosted the meeting at the request of Sylvania, which also called for a ceasefire."
    assert classify_stance(sentence, lexicon).stance == "call_for"
    assert classify_stance(sentence, lexicon, "Freedonia", registry).stance == "neutral"
    assert classify_stance(sentence, lexicon, "Sylvania", registry).stance == "call_for"


def test_coordinated_subjects_share_the_speech_act(registry, lexicon):
    sentence = "Freedonia and Sylvania condemned the raid."
    assert classify_stance(sentence, lexicon, "Freedonia", registry).stance == "condemn"


def test_accusation_words_name_the_accused_not_the_speaker(registry, lexicon):
    sentence = "Freedonia said Ruritania had violated the truce."
    assert classify_stance(sentence, lexicon, "Freedonia", registry).stance == "condemn"


def test_not_ruling_out_is_a_warning(lexicon):
    prediction = classify_stance("The ministry did not rule out retaliation.", lexicon)
    assert prediction.stance == "warn"
    assert not prediction.negated


def test_weak_evaluative_word_inside_the_object_does_not_end_the_target_region(registry, lexicon):
    sentence = 'Ruritania is saddened by the "malicious" raid on Freedonian soldiers.'
    assert detect_targets(sentence, "Ruritania", registry, "condolence", "saddened", lexicon) == ["Freedonia"]


def test_find_reactions_reads_a_sentence_with_several_records(registry, lexicon):
    sentence = (
        "Freedonia urged Sylvania to halt its offensive, which it called barbaric, voiced deep concern "
        "about the fighting, and stood next to Ruritania."
    )
    reactions = find_reactions(sentence, "Freedonia", registry, lexicon)
    assert [reaction.stance for reaction in reactions] == ["call_for", "condemn", "concern", "support"]
    by_stance = {reaction.stance: reaction for reaction in reactions}
    assert by_stance["call_for"].targets == ("Sylvania",)
    assert by_stance["support"].targets == ("Ruritania",)
    assert by_stance["concern"].modifier == "deep"
    assert all(reaction.cue in sentence for reaction in reactions)


def test_a_negated_verb_keeps_its_object_negated(lexicon):
    # "sanctions" alone would be a threat; as the object of "did not call for" it is not.
    prediction = classify_stance("Fredville did not call for further sanctions on Tuesday.", lexicon)
    assert prediction.stance == "neutral"
    assert prediction.negated


def test_a_clause_break_ends_the_negated_object(lexicon):
    prediction = classify_stance("The envoy did not comment, but threatened sanctions later.", lexicon)
    assert prediction.stance == "warn"


def test_passive_agent_is_not_the_reacting_actor(registry, lexicon):
    # The rebels are backed by Sylvania, not by the Ruritanian speaker.
    text = "Strelsau said the rebels, supported by Sylvania, had crossed the river."
    assert classify_stance(text, lexicon, "Ruritania", registry).stance == "neutral"
    # When the agent is the actor itself, the cue stays its own.
    text = "The plan was supported by Ruritania at the council."
    assert classify_stance(text, lexicon, "Ruritania", registry).stance == "support"


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("The ministry said the shelling was a deliberate act against the town.", "condemn"),
        ("The spokesman called the raid a dastardly crime.", "condemn"),
        ("The ministry dismissed the report as nonsense.", "deny"),
        ("The statement said the accusations had no factual basis.", "deny"),
        ("Fredville rejected any role in the sinking of the ferry.", "deny"),
        ("The government backs the mediator's proposal for a truce.", "support"),
        ("The army will respond in kind to any further shelling.", "warn"),
        ("The premier refused to rule out air strikes.", "warn"),
        ("The delegation asked for an urgent session of the council.", "call_for"),
    ],
)
def test_general_diplomatic_formulas(lexicon, sentence, stance):
    assert classify_stance(sentence, lexicon).stance == stance


def test_passive_agent_of_a_conduct_word_is_the_accused(registry, lexicon):
    text = "Strelsau called the blast an act of sabotage orchestrated by Sylvanian agents."
    prediction = classify_stance(text, lexicon, "Ruritania", registry)
    assert prediction.stance == "condemn"
    assert detect_targets(text, "Ruritania", registry, prediction.stance, prediction.cue, lexicon) == ["Sylvania"]


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("The minister called the vote a cynical manoeuvre.", "condemn"),
        ("The government will never recognise the new border.", "condemn"),
        ("The ministry promised countermeasures against the new tariffs.", "warn"),
        ("The capital said it would not stand idly by while its citizens were harmed.", "warn"),
        ("The general said his forces had never targeted the hospital.", "deny"),
        ("The ministry said it played no part in the kidnapping.", "deny"),
        ("Our thoughts were with the rescue teams throughout the night.", "condolence"),
        ("The nation grieves with the families of the miners.", "condolence"),
        ("The government stands ready to help the flood victims.", "support"),
        ("The envoy sought clarification from the embassy about the arrests.", "call_for"),
        ("The ministry voiced disquiet over the arrests.", "concern"),
    ],
)
def test_more_general_formulas(lexicon, sentence, stance):
    assert classify_stance(sentence, lexicon).stance == stance


def test_own_air_defences_are_not_military_aid(lexicon):
    assert classify_stance("Its air defences intercepted two drones overnight.", lexicon).stance == "neutral"


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("The foreign minister rebuked the envoy for his remarks.", "condemn"),
        ("The cabinet expressed its indignation at the verdict.", "condemn"),
        ("The council implored the militias to lay down their arms.", "call_for"),
        ("The minister proposed a summit of the three capitals.", "call_for"),
        ("The president congratulated the negotiators on the deal.", "support"),
        ("The ambassador paid his respects at the memorial.", "condolence"),
    ],
)
def test_cameo_verb_synonyms(lexicon, sentence, stance):
    assert classify_stance(sentence, lexicon).stance == stance


def test_a_text_named_after_an_actor_is_not_a_target(registry, lexicon):
    text = "Strelsau condemned the raid as a violation of the Freedonian charter."
    assert detect_targets(text, "Ruritania", registry, "condemn", "condemned", lexicon) == []

"""Issue 9, failure mode 7: wording the lexicon did not know fell back to `neutral`.

One test per rule family added in round 10 (implicit blame, counter-claims with no denial verb, conditional
threats, pledges and vows, idioms), each with sentences written for this test, and guards: sentences with the same
words that must keep their old reading.
"""

from __future__ import annotations

import pytest

from dashboard.lexicon import load_cue_lexicon
from dashboard.registry import load_registry
from dashboard.stance import classify_stance


@pytest.fixture(scope="module")
def read():
    lexicon, registry = load_cue_lexicon(), load_registry()
    return lambda text, actor: classify_stance(text, lexicon, actor, registry).stance


IMPLICIT_BLAME = [
    ("France", "Paris said the Malian junta should have protected the peacekeepers stationed near the airport."),
    ("Germany", "Berlin said Tehran ought to have allowed consular access from the first day."),
    ("Sweden", "Stockholm said the junta should not have expelled the ambassador."),
    ("Lithuania", "Vilnius said Belarus had failed in its obligations under the aviation convention."),
    ("Italy", "Rome said the Libyan coast guard had failed to protect the migrants in its zone."),
    ("Greece", "Athens said Ankara had only itself to thank for the collapse of the talks."),
    ("Canada", "Ottawa said responsibility for the deaths lies squarely with the government in Minsk."),
    ("Australia", "Canberra said the Chinese warship had put the lives of Australian sailors at risk."),
    ("Philippines", "Manila said the Chinese coast guard had no right to block the resupply mission."),
    ("Japan", "Tokyo said the deaths could have been prevented by a timely evacuation order."),
]

COUNTER_CLAIMS = [
    ("Belarus", "Minsk said the aircraft carried only medical supplies and mail."),
    ("Iran", "Tehran said there were no Iranian advisers at the base when it was struck."),
    ("Rwanda", "Kigali said not a single Rwandan soldier had set foot in Congo."),
    ("Ethiopia", "Addis Ababa said the accusations were untrue."),
    ("North Korea", "Pyongyang said the claims were nothing but lies."),
    ("Russia", "Moscow said the so-called evidence was a crude forgery."),
    ("Russia", "Moscow said the story of the sabotage was pure fiction."),
    ("Azerbaijan", "Baku said its forces had only returned fire after coming under attack."),
]

CONDITIONAL_THREATS_AND_VOWS = [
    ("Poland", "Unless the blockade is lifted by Friday, Warsaw will close its border crossings, the minister said."),
    ("Azerbaijan", "Baku said that if the militias cross the river they will face a crushing response."),
    ("Pakistan", "Islamabad said it reserved the right to respond at a time and place of its choosing."),
    ("Pakistan", "The prime minister said Pakistan will bring those responsible for the bombing to justice."),
    ("Afghanistan", "Kabul vowed to hunt down the attackers."),
    ("Israel", "The defence minister said the group would regret the attack."),
    ("Turkey", "Ankara said those who attacked its soldiers would face the full force of the law."),
]

IDIOMS = [
    ("condemn", "Armenia", "Yerevan said Baku had crossed a red line by shelling the town."),
    ("condemn", "Mexico", "Mexico City called the raid on its embassy a slap in the face to international law."),
    ("condemn", "Qatar", "Doha said the decision was a stab in the back to the peace process."),
    ("condemn", "Egypt", "Cairo said the settlement announcement poured fuel on the fire."),
    ("condemn", "Norway", "Oslo said the treatment of the prisoners was beyond the pale."),
    ("warn", "Russia", "Moscow said the West was playing with fire by sending long-range missiles."),
]

# The same words in sentences whose reading must not move.
GUARDS = [
    ("warn", "Armenia", "Yerevan said any strike on the town would cross a red line."),
    ("call_for", "European Union", "The EU called on Minsk to bring those responsible to justice."),
    ("neutral", "Norway", "Oslo said the talks had failed to produce an agreement and would resume next month."),
    ("neutral", "Japan", "Tokyo said no Japanese nationals were among the passengers."),
    ("support", "Germany", "Berlin said it would stand with Kyiv and thanked Poland for its help."),
    ("neutral", "France", "Paris said the foreign minister would travel to Bamako on Monday."),
]


@pytest.mark.parametrize(("actor", "text"), IMPLICIT_BLAME)
def test_implicit_blame_is_condemn(read, actor, text):
    assert read(text, actor) == "condemn"


@pytest.mark.parametrize(("actor", "text"), COUNTER_CLAIMS)
def test_counter_claim_without_denial_verb_is_deny(read, actor, text):
    assert read(text, actor) == "deny"


@pytest.mark.parametrize(("actor", "text"), CONDITIONAL_THREATS_AND_VOWS)
def test_conditional_threats_and_vows_are_warn(read, actor, text):
    assert read(text, actor) == "warn"


@pytest.mark.parametrize(("stance", "actor", "text"), IDIOMS)
def test_idioms(read, stance, actor, text):
    assert read(text, actor) == stance


@pytest.mark.parametrize(("stance", "actor", "text"), GUARDS)
def test_same_words_elsewhere_keep_their_reading(read, stance, actor, text):
    assert read(text, actor) == stance

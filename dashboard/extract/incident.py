"""What the whole article says about its incident: who did it, where, and whose forces "the army" are."""

from __future__ import annotations

import re
from collections import Counter

from dashboard.extract.parties import _Context
from dashboard.extract.rules import _WORD, ExtractionRules
from dashboard.extract.sentences import Sentence
from dashboard.registry import ActorMention, Registry
from dashboard.stance import CueLexicon, find_cues, normalise_quotes

# "an air strike carried out by X": an event noun this many words before "by X" makes X the perpetrator.
PERPETRATOR_REACH = 6
# "Myanmar's military coup", "the coup in Niger": an incident word this many words from a state's name.
INCIDENT_REACH = 4
INCIDENT_REACH_CHARS = 60


def _is_place(text: str, mention: ActorMention, lexicon) -> bool:
    """ "in Syria", "in northwestern Syria": a country after a location word is a place, not a party."""
    before = _WORD.findall(text[: mention.start].lower())
    if before and before[-1] in lexicon.direction_words:
        before = before[:-1]
    return bool(before) and before[-1] in lexicon.location_words


def _perpetrators(text: str, mentions: list[ActorMention], lexicon) -> list[str]:
    """Parties named as the doers of the incident: "a strike carried out by Iranian forces"."""
    found = []
    for mention in mentions:
        before = _WORD.findall(text[max(0, mention.start - 80) : mention.start].lower())
        if before[-1:] == ["by"] and any(word in lexicon.event_words for word in before[-PERPETRATOR_REACH:]):
            found.append(mention.actor)
    return found


def _count_incident_parties(
    text: str,
    mentions: list[ActorMention],
    proposals: list,  # reading._Proposal: actor, stance, target, inferred
    perpetrators: list[str],
    context: _Context,
    lexicon: CueLexicon,
    rules: ExtractionRules,
) -> None:
    """What this sentence says about who did it and where: explicit targets of condemnations and warnings,
    doers ("carried out by X", "X's missile launch", "X shelled"), and places ("the coup in X", "the X
    earthquake"). A coup's or crackdown's place is also its doer; a disaster's place is only a place."""
    for proposal in proposals:
        if proposal.target and not proposal.inferred and proposal.stance in ("condemn", "warn"):
            context.blamed[proposal.target] += 1
        if proposal.stance == "deny":
            context.deniers.add(proposal.actor)
    for actor in perpetrators:
        context.blamed[actor] += 1
        context.doers[actor] += 1
    for mention in mentions:
        possessive = re.match(r"['’]s\b", text[mention.end :])
        after_start = mention.end + (possessive.end() if possessive else 0)
        after = [
            (w.group(0).lower(), w.start())
            for w in _WORD.finditer(text, after_start, min(len(text), after_start + INCIDENT_REACH_CHARS))
        ][:INCIDENT_REACH]
        # "Myanmar's military coup", not "the US condemned the shelling": no reaction between name and word.
        kinds_after = [
            rules.incident_words[w]
            for w, start in after
            if w in rules.incident_words and not find_cues(text[mention.end : start], lexicon)
        ]
        before = [w.lower() for w in _WORD.findall(text[max(0, mention.start - INCIDENT_REACH_CHARS) : mention.start])]
        kinds_before = [rules.incident_words[w] for w in before[-INCIDENT_REACH:] if w in rules.incident_words]
        # "the coup in Niger", "the coup against Niger's president", "an earthquake struck eastern Turkey".
        place = _is_place(text, mention, lexicon) or before[-1:] == ["against"] or bool(kinds_before)
        if kinds_after and not re.match(r"\s*(?:,|and\b)", text[mention.end :]):
            # "Myanmar's military coup", "North Korea fired", "the Kyrgyz dam"
            if kinds_after[0] == "disaster":
                context.places[mention.actor] += 1
            else:
                context.blamed[mention.actor] += 1
                context.doers[mention.actor] += 1
                if kinds_after[0] == "internal":
                    context.places[mention.actor] += 1
        if place:
            context.places[mention.actor] += 1
            if kinds_before and kinds_before[-1] == "internal":
                context.blamed[mention.actor] += 1
                context.doers[mention.actor] += 1


def _responsible(context: _Context) -> str:
    """The party the article holds responsible: the most blamed, unless it denies it and the article names
    it as the doer less often than others accuse it (an accusation it rejects is a dispute, not a fact)."""
    party = _most_counted(context.blamed)
    if party in context.deniers and context.doers[party] < context.blamed[party] - context.doers[party]:
        return ""
    return party


def _coup_state(sentences: list[Sentence], registry: Registry, lexicon: CueLexicon, rules: ExtractionRules) -> str:
    """The state whose own forces the article is about, when its incident is mostly internal (a coup, a
    crackdown): then "the army said", "the junta" speak for it. Empty for attacks and disasters."""
    signals = _Context()
    kinds: Counter = Counter()
    for sentence in sentences:
        text = normalise_quotes(sentence.text)
        mentions = registry.find_actor_mentions(text)
        _count_incident_parties(text, mentions, [], [], signals, lexicon, rules)
        kinds.update(rules.incident_words[w] for w in _WORD.findall(text.lower()) if w in rules.incident_words)
    state = _most_counted(signals.places + signals.doers)
    internal = kinds["internal"] > kinds["hostile"] + kinds["disaster"]
    return state if internal and signals.doers[state] else ""


def _most_counted(counts: Counter) -> str:
    return counts.most_common(1)[0][0] if counts else ""

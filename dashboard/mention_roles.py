"""The role a party named in a sentence plays around a stance cue (place, source, victim or perpetrator),
and whether a stance keeps a party in that role as its target. Used by dashboard/stance.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dashboard import codebook
from dashboard.cue_context import _WORD, CONTEXT_CHARS, _clause_head
from dashboard.lexicon import CueLexicon

if TYPE_CHECKING:
    from dashboard.stance import _PartyMention

DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our"})
# Words that end the noun phrase after a mention: "Turkey over the killing" does not make Turkey the killer.
FUNCTION_WORDS = DETERMINERS | frozenset(
    {"of", "to", "in", "on", "for", "with", "and", "or", "over", "after", "before", "at", "by", "from", "about"}
    | {"that", "which", "who", "as", "is", "was", "has", "had", "have", "were", "are", "will", "would"}
)
# Stances whose target is the party acted against: a victim named after "attack on" is not the target.
HOSTILE_TARGET_STANCES = frozenset({"condemn", "warn", "deny", "call_for"})
VICTIM_PREPOSITIONS = frozenset({"on", "against", "at", "targeting", "toward", "towards"})
# An "attack ... on X" pattern counts when the event noun is this close before the preposition.
VICTIM_EVENT_REACH = 8
# "X attack", "X's military strikes": an event noun this close after X makes X the perpetrator.
PERPETRATOR_EVENT_REACH = 2
# "X said", "X's foreign ministry said": a reporting verb this close after X makes X a source.
SOURCE_REACH = 4

# Words that end the noun phrase after a mention before a reporting verb ("Turkey's ministry has said" goes on).
_HEAD_BREAKS = FUNCTION_WORDS - {"has", "had", "have", "was", "is"}
_VICTIM_OR_OF = VICTIM_PREPOSITIONS | {"of"}


def _content_words(text: str) -> list[str]:
    return [word for word in _WORD.findall(text.lower()) if word not in DETERMINERS]


def _mention_role(text: str, mention: _PartyMention, lexicon: CueLexicon) -> str:
    """'place', 'source', 'victim', 'perpetrator' or '' for a mention, from the words around it."""
    before = _content_words(text[max(0, mention.start - CONTEXT_CHARS) : mention.start])
    after_clause = _clause_head(text[mention.end : mention.end + CONTEXT_CHARS])
    after = _WORD.findall(after_clause.lower())
    previous = before[-1] if before else ""
    if previous in lexicon.direction_words and len(before) > 1:
        previous = before[-2]
    if previous in lexicon.location_words or (after and after[0] in lexicon.place_nouns):
        return "place"
    # The reporting verb must follow the mention's own noun phrase: "Turkey's foreign ministry said",
    # not "Turkish soldiers, and said".
    head_words = []
    for word in after[:SOURCE_REACH]:
        if word in _HEAD_BREAKS:
            break
        head_words.append(word)
    head = " ".join(head_words)
    tail = " ".join(before[-2:])
    if (head and any(rule.pattern.search(head) for rule in lexicon.reporting)) or tail == "according to":
        return "source"
    if previous == "by":
        return "perpetrator"
    modifiers = [word for word in after if word != "s"][: PERPETRATOR_EVENT_REACH + 1]
    for word in modifiers:
        if word in lexicon.event_words or word in lexicon.conduct_words:
            return "perpetrator"
        if word in FUNCTION_WORDS:
            break
    if previous == "of" and len(before) > 1 and before[-2] in lexicon.conduct_words:
        return "perpetrator"
    if previous in _VICTIM_OR_OF and any(word in lexicon.event_words for word in before[-VICTIM_EVENT_REACH - 1 : -1]):
        return "victim"
    return ""


def _keeps(stance: str, role: str) -> bool:
    if role in ("place", "source"):
        return False
    if stance in HOSTILE_TARGET_STANCES:
        return role != "victim"
    if codebook.stance_families().get(stance) == "cordial":  # the party backed or consoled; not a perpetrator
        return role != "perpetrator"
    if stance == "concern":
        return role == "perpetrator"
    return False

"""The words around a cue in a sentence: clause boundaries, negation ("did not condemn") and intensity
modifiers ("strongly condemns"). The stance classifier (dashboard/stance.py) applies these to every cue it finds.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from dashboard.lexicon import CueLexicon, CueRule

if TYPE_CHECKING:
    from dashboard.stance import CueMatch

# Negation reaches three words back: "did not yet condemn", "refused to openly condemn".
NEGATION_WINDOW = 3
# A negated verb's object stays negated: "has not called for new sanctions" does not threaten sanctions.
# A cue this many words or fewer after a negated cue, in the same clause, is negated with it.
NEGATED_OBJECT_REACH = 3
# Intensifiers sit right before a cue ("deeply shocked", "their utmost concern") ...
INTENSIFIER_BEFORE = 3
# ... or, for adverbs and "in the strongest terms", just after it ("condemns in the strongest terms").
INTENSIFIER_AFTER = 4
# Before a negator these make a prohibition or a directive, not a negation: "should not threaten".
DEONTIC_MODALS = frozenset({"should", "must", "need", "ought", "shall"})
# Characters of context read either side of a cue or mention: more than any window above needs.
CONTEXT_CHARS = 200

_WORD = re.compile(r"\w[\w'-]*")
_NEW_CLAUSE = re.compile(r"\b(?:and|while|whereas)\b", re.IGNORECASE)
_SENTENCE_STOP = re.compile(r"[.;!?]")
_CLAUSE_BREAK = re.compile(r"[,;:.!?()\"“”]|\bbut\b", re.IGNORECASE)
# The last clause break: `.*` runs to the end and backs off to the last place a break matches. Breaks never
# overlap (single characters, or "but" between word boundaries), so it is the last one finditer finds.
_LAST_CLAUSE_BREAK = re.compile(r"(?s:.*)(?:" + _CLAUSE_BREAK.pattern + ")", re.IGNORECASE)


def normalise_quotes(text: str) -> str:
    """Curly apostrophes to straight ones; same length, so offsets still point into the original."""
    return text.replace("’", "'").replace("‘", "'").replace("`", "'")


def _clause_tail(text: str) -> str:
    """The part of text after its last clause break: the words that can still modify what follows."""
    last = _LAST_CLAUSE_BREAK.match(text)
    return text[last.end() :] if last else text


def _clause_head(text: str) -> str:
    match = _CLAUSE_BREAK.search(text)
    return text[: match.start()] if match else text


def _is_negator(word: str, negators: frozenset[str]) -> bool:
    return word in negators or word.endswith("n't")


def _negated(text: str, start: int, end: int, lexicon: CueLexicon) -> bool:
    tail = _clause_tail(text[max(0, start - CONTEXT_CHARS) : start])
    phrases = lexicon.negator_phrases if lexicon.negator_phrase_starts.search(tail) else ()
    for rule in phrases:
        for match in rule.pattern.finditer(tail):
            if len(_WORD.findall(tail[match.end() :])) < NEGATION_WINDOW:
                return True
    before = _WORD.findall(tail.lower())
    window = before[-NEGATION_WINDOW:]
    offset = len(before) - len(window)
    negators = lexicon.negators
    for index, word in enumerate(window):
        if not (word in negators or word.endswith("n't")):  # _is_negator, inline: a few calls per cue
            continue
        previous = before[offset + index - 1] if offset + index > 0 else ""
        following = window[index + 1] if index + 1 < len(window) else ""
        if previous in DEONTIC_MODALS or word.removesuffix("n't") in DEONTIC_MODALS or following == "only":
            continue
        return True
    # A gap inside the phrase may hide a negator: "expressed no concern".
    return any(_is_negator(word, lexicon.negators) for word in _WORD.findall(text[start:end].lower()))


def _modifier(text: str, start: int, end: int, intensifiers: list[tuple[CueRule, re.Match[str]]]) -> tuple[str, float]:
    """The strongest intensifier inside the cue, just before it, or (adverbs) just after it."""
    best = ("", 1.0)
    for rule, match in intensifiers:
        inside = start <= match.start() and match.end() <= end
        before = match.end() <= start and len(_WORD.findall(text[match.end() : start])) < INTENSIFIER_BEFORE
        before = before and not _CLAUSE_BREAK.search(text[match.end() : start])
        adverbial = rule.phrase.endswith("ly") or rule.phrase.startswith("in ")
        after = (
            adverbial
            and match.start() >= end
            and len(_WORD.findall(text[end : match.start()])) < INTENSIFIER_AFTER
            and not _SENTENCE_STOP.search(text, end, match.start())
        )
        if (inside or before or after) and abs(math.log(rule.weight)) > abs(math.log(best[1])):
            best = (match.group(0), rule.weight)
    return best


def _in_negated_object(text: str, previous: CueMatch, start: int) -> bool:
    """A cue right after a negated cue, in its clause: "did not call for sanctions", "no plans to retaliate"."""
    between = text[previous.end : start]
    return (
        previous.negated
        and not _CLAUSE_BREAK.search(between)
        and not _NEW_CLAUSE.search(between)
        and len(_WORD.findall(between)) <= NEGATED_OBJECT_REACH
    )

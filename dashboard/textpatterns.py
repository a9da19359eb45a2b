"""Finding names in text: whole-word, case-sensitive, leftmost-longest matching of many phrases at once.

The registry (actor aliases, speakers, stop phrases) and extraction (news agencies) match names the same way, so
the rule lives here once: a phrase matches where it is not preceded by a word character or a full stop (so "U.S."
inside "U.S.S.R." does not) and not followed by a word character ("Niger" never matches inside "Nigeria"); at one
place the longest phrase wins ("Washington Treaty" over "Washington"); matches never overlap.

`PhraseMatcher` uses an Aho-Corasick automaton (pyahocorasick): one pass over the text whatever the number of
phrases. `alias_pattern` builds the equivalent single regular expression, kept for short lists and as the baseline
of benchmarks/bench_alias_matching.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

import ahocorasick


class PhraseMatch(NamedTuple):
    phrase: str
    start: int
    end: int


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character == "_"


def starts_a_word(text: str, start: int) -> bool:
    """True where a phrase may begin at start: not inside a word, not right after a full stop."""
    return start == 0 or not (_is_word_character(text[start - 1]) or text[start - 1] == ".")


def ends_a_word(text: str, end: int) -> bool:
    return end == len(text) or not _is_word_character(text[end])


class PhraseMatcher:
    """Every whole-word occurrence of a set of phrases in a text, left to right, longest first, non-overlapping."""

    def __init__(self, phrases: Iterable[str]):
        self.phrases = frozenset(phrase for phrase in phrases if phrase)
        self._automaton = ahocorasick.Automaton()
        for phrase in self.phrases:
            self._automaton.add_word(phrase, phrase)
        if self.phrases:
            self._automaton.make_automaton()

    def __contains__(self, phrase: str) -> bool:
        return phrase in self.phrases

    def find(self, text: str) -> list[PhraseMatch]:
        if not self.phrases or not text:
            return []
        candidates = []
        size = len(text)
        for last, phrase in self._automaton.iter(text):
            # starts_a_word and ends_a_word, inline: this loop runs for every phrase inside every word.
            end = last + 1
            start = end - len(phrase)
            if start and ((before := text[start - 1]).isalnum() or before == "_" or before == "."):
                continue
            if end < size and ((after := text[end]).isalnum() or after == "_"):
                continue
            candidates.append((start, -len(phrase), phrase))
        candidates.sort()
        found: list[PhraseMatch] = []
        covered_to = 0
        for start, negative_length, phrase in candidates:
            if start >= covered_to:
                found.append(PhraseMatch(phrase, start, start - negative_length))
                covered_to = start - negative_length
        return found


def alias_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """One regular expression matching the phrases with PhraseMatcher's rule (longest alternative first)."""
    ordered = sorted(set(phrases), key=lambda phrase: (-len(phrase), phrase))
    if not ordered:
        return re.compile(r"(?!)")  # an empty alternation would match everywhere; this matches nothing
    return re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(phrase) for phrase in ordered) + r")(?![\w])")


def normalise_name(name: str) -> str:
    """A typed name with its runs of whitespace made single spaces and its ends trimmed."""
    return " ".join(str(name).split())


# A capitalised word next to an ambiguous name makes it part of a person's name ("Chad Wolf", "Michael Jordan"),
# unless the word is one of these titles and institutions, which follow or precede a country's name.
_NOT_PERSONAL_NAMES_TEXT = (
    "President Prime Minister Ministry Foreign Defence Defense Interior King Queen Crown Prince Emir Government "
    "Army Armed Forces Embassy Ambassador Parliament National State Senate Security Supreme Court Central Bank "
    "Navy Air Police Premier Chancellor Secretary Office Council Assembly The In On At And Of For From With "
    "But As By To Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June "
    "July August September October November December"
)
NOT_PERSONAL_NAMES = frozenset(_NOT_PERSONAL_NAMES_TEXT.split())
_WORD_BEFORE = re.compile(r"([A-Z][\w'’-]*)\s+$")
_WORD_AFTER = re.compile(r"^\s+([A-Z][\w'’-]*)")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“‘(\[]\s*)$")


def is_part_of_personal_name(text: str, start: int, end: int) -> bool:
    """True when the phrase at text[start:end] sits beside a capitalised word that is not a title: a name."""
    before = _WORD_BEFORE.search(text[max(0, start - 40) : start])
    if before and before.group(1) not in NOT_PERSONAL_NAMES:
        head = text[max(0, start - 40) : start][: before.start()]
        if not _SENTENCE_START.search(head):
            return True
    after = _WORD_AFTER.match(text[end : end + 40])
    return bool(after and after.group(1) not in NOT_PERSONAL_NAMES)

"""The cue lexicon (data/cue_lexicon.csv) compiled once, and read in one pass per sentence.

Each lexicon phrase is a whole-word, case-insensitive regex (compile_phrase). Running every one of them over
every sentence cost most of the scoring time (about 380 rules, one `finditer` each, several times per
sentence), so `RuleIndex` finds where a rule can start first: one regex built as a trie of every rule's first
word (its literal part) marks the word starts where some phrase begins, a table keyed by the first three letters
there names the few rules that begin so, and only those run, anchored at that spot (`pattern.match(text, at)`).
The matches are the ones each rule's own `finditer` gives, in the same order (rule by rule, left to right), so
every reading built on them is unchanged; the work is one scan of the text plus a few anchored matches.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import NamedTuple

from dashboard import DATA_DIR
from dashboard.codebook import STANCES, load_crosswalk
from dashboard.datafiles import read_commented_csv
from dashboard.errors import InvalidDataError, Problem

LEXICON_PATH = DATA_DIR / "cue_lexicon.csv"
LEXICON_COLUMNS = ("kind", "phrase", "stance", "cue_type", "weight", "negatable")
KINDS = (
    "cue",
    "intensifier",
    "negator",
    "hedge",
    "reporting",
    "object",
    "event",
    "conduct",
    "location",
    "direction",
    "place_noun",
    "all_parties",
)

# "~" in a phrase spans up to four words: "expressed its very deep concern" still matches "express* ~ concern".
GAP_WORDS = 4

# Words in a phrase may be separated by spaces, quotes, commas or hyphens, but not a sentence break.
_SEP = r"[^\w.;:!?]+"


class CueRule(NamedTuple):
    kind: str
    phrase: str
    stance: str
    cue_type: str
    weight: float
    negatable: bool
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class CueLexicon:
    """The compiled lexicon: cue rules plus the modifier, negator and role word lists."""

    cues: tuple[CueRule, ...]
    intensifiers: tuple[CueRule, ...]
    hedges: tuple[CueRule, ...]
    reporting: tuple[CueRule, ...]
    objects: tuple[CueRule, ...]
    all_parties: tuple[CueRule, ...]
    negators: frozenset[str]
    negator_phrases: tuple[CueRule, ...]
    event_words: frozenset[str]
    conduct_words: frozenset[str]
    location_words: frozenset[str]
    direction_words: frozenset[str]
    place_nouns: frozenset[str]
    known_cue_types: frozenset[tuple[str, str]]

    # Built on first use, and anew for a lexicon made with dataclasses.replace (extraction adds its own cues).
    @cached_property
    def index(self) -> RuleIndex:
        """The one-pass matcher over the groups in INDEXED_GROUPS (whole texts)."""
        return RuleIndex(tuple(getattr(self, group) for group in INDEXED_GROUPS))

    @cached_property
    def prefix_index(self) -> RuleIndex:
        """The one-pass matcher over the groups in PREFIX_GROUPS, for texts cut short."""
        return RuleIndex(tuple(getattr(self, group) for group in PREFIX_GROUPS), for_prefixes=True)

    @cached_property
    def negator_phrase_starts(self) -> re.Pattern[str]:
        """Where a multi-word negator may begin: a text without one needs none of their regexes."""
        literals = {literal for rule in self.negator_phrases for literal in _first_literals(rule)}
        if any(not literal.removesuffix("*") for literal in literals):
            return re.compile("")  # a phrase with no fixed first letters may start anywhere
        return re.compile(r"(?<![\w-])(?=" + _trie_regex(literals, whole_words=False) + ")", re.IGNORECASE)


def compile_phrase(phrase: str) -> re.Pattern[str]:
    """A lexicon phrase as a case-insensitive whole-word regex (`*` suffix, `a|b` alternatives, `~`/`+` gaps)."""
    pieces = []
    for token in phrase.split():
        if token in ("~", "+"):
            fewest = 0 if token == "~" else 1
            pieces.append(rf"(?:{_SEP}\w[\w'-]*){{{fewest},{GAP_WORDS}}}")
            continue
        alternatives = [
            re.escape(alt[:-1]) + r"[\w'-]*" if alt.endswith("*") else re.escape(alt) for alt in token.split("|") if alt
        ]
        if pieces:
            pieces.append(_SEP)
        pieces.append("(?:" + "|".join(alternatives) + ")")
    return re.compile(r"(?<![\w-])" + "".join(pieces) + r"(?![\w])", re.IGNORECASE)


def _words(phrase: str) -> set[str]:
    return {alt for token in phrase.split() for alt in token.split("|") if alt}


def load_cue_lexicon(path: Path | str = LEXICON_PATH, crosswalk_path: Path | str | None = None) -> CueLexicon:
    """Read and compile the cue lexicon; every cue type must exist in the CAMEO crosswalk for its stance."""
    path = Path(path)
    crosswalk = load_crosswalk(crosswalk_path or path.parent / "cameo_crosswalk.csv")
    known = frozenset(crosswalk.codes)
    table = read_commented_csv(path, required=LEXICON_COLUMNS)
    problems: list[Problem] = []
    rules: dict[str, list[CueRule]] = {kind: [] for kind in KINDS}
    for row, record in enumerate(table.to_dict("records"), start=1):
        kind, phrase = record["kind"], record["phrase"].strip().lower()
        if kind not in KINDS:
            problems.append(Problem(row, "kind", f"{kind!r} is not one of {', '.join(KINDS)}"))
            continue
        tokens = phrase.split()
        if not tokens or tokens[0] in ("~", "+") or tokens[-1] in ("~", "+"):
            problems.append(Problem(row, "phrase", f"{phrase!r} is empty or starts or ends with a gap"))
            continue
        try:
            weight = float(record["weight"])
        except ValueError:
            problems.append(Problem(row, "weight", f"{record['weight']!r} is not a number"))
            continue
        if kind in ("cue", "object") and record["stance"] not in STANCES:
            problems.append(Problem(row, "stance", f"{record['stance']!r} is not one of {', '.join(STANCES)}"))
        if kind == "cue":
            if not 0.0 < weight <= 1.0:
                problems.append(Problem(row, "weight", f"a cue weight must be in (0, 1], got {weight}"))
            if (record["stance"], record["cue_type"]) not in known:
                problems.append(
                    Problem(
                        row,
                        "cue_type",
                        f"({record['stance']}, {record['cue_type']}) is not in the CAMEO crosswalk; add it there",
                    )
                )
            if record["negatable"] not in ("yes", "no"):
                problems.append(Problem(row, "negatable", f"{record['negatable']!r} is not yes or no"))
        if kind in ("intensifier", "hedge") and weight <= 0:
            problems.append(Problem(row, "weight", f"a multiplier must be positive, got {weight}"))
        rules[kind].append(
            CueRule(
                kind,
                phrase,
                record["stance"],
                record["cue_type"],
                weight,
                record["negatable"] != "no",
                compile_phrase(phrase),
            )
        )
    if problems:
        raise InvalidDataError(str(path), problems)
    return CueLexicon(
        cues=tuple(rules["cue"]),
        intensifiers=tuple(rules["intensifier"]),
        hedges=tuple(rules["hedge"]),
        reporting=tuple(rules["reporting"]),
        objects=tuple(rules["object"]),
        all_parties=tuple(rules["all_parties"]),
        negators=frozenset(
            word for rule in rules["negator"] if len(rule.phrase.split()) == 1 for word in _words(rule.phrase)
        ),
        negator_phrases=tuple(rule for rule in rules["negator"] if len(rule.phrase.split()) > 1),
        event_words=frozenset(word for rule in rules["event"] for word in _words(rule.phrase)),
        conduct_words=frozenset(word for rule in rules["conduct"] for word in _words(rule.phrase)),
        location_words=frozenset(word for rule in rules["location"] for word in _words(rule.phrase)),
        direction_words=frozenset(word for rule in rules["direction"] for word in _words(rule.phrase)),
        place_nouns=frozenset(word for rule in rules["place_noun"] for word in _words(rule.phrase)),
        known_cue_types=known,
    )


@lru_cache(maxsize=1)
def default_lexicon() -> CueLexicon:
    """The shipped lexicon, read once."""
    return load_cue_lexicon()


# The rule groups a sentence is read for in one pass over the whole text ...
INDEXED_GROUPS = ("cues", "intensifiers", "hedges", "reporting")
# ... and those read on a prefix of it (what a call is for, "all sides"): text[:end] as its own string.
PREFIX_GROUPS = ("objects", "all_parties")
# Rules are looked up by this many leading characters of their first word: few rules share three letters.
KEY_CHARS = 3
# Candidate lists memoised per three-character window; a bound keeps odd input from growing it for ever.
WINDOW_MEMO_LIMIT = 200_000

Candidate = tuple[int, int, CueRule]  # (group number, rule's position in its group, rule)
RuleMatches = list[tuple[CueRule, re.Match[str]]]


def _first_literals(rule: CueRule) -> list[str]:
    """The fixed text each alternative of the phrase's first word starts with ("condemn*" -> "condemn"), with
    "*" appended where any word ending may follow."""
    first = rule.phrase.split()[0]
    return [alt for alt in first.split("|") if alt]


def _trie_regex(literals: set[str], whole_words: bool) -> str:
    """An alternation of literals as a trie ("con(?:cern|demn)"): the regex engine tests each spot in a few
    steps instead of trying every literal. A literal without "*" must end its word there (the phrase's regex
    requires a non-word character or the end next) unless whole_words is False (a prefix of the text may end
    right after it). Only says whether some literal starts at a spot."""
    trie: dict = {}
    for literal in literals:
        node = trie
        for char in literal.removesuffix("*"):
            node = node.setdefault(char, {})
        node["*" if literal.endswith("*") or not whole_words else ""] = {}

    def emit(node: dict) -> str:
        if "*" in node:  # any ending may follow: the spot is marked, longer literals add nothing
            return ""
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if "" in node:
            branches.append(r"(?!\w)")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(trie) if trie else "(?!)"


class RuleIndex:
    """Every rule of some groups found in one pass over a text (see the module's docstring). With
    `for_prefixes`, `matches` also answers for text[:endpos] as its own string: there a literal may also
    end at endpos, where the whole text goes on with a letter, so the last few characters are looked at
    again with a pattern that does not ask for a word's end."""

    def __init__(self, groups: tuple[tuple[CueRule, ...], ...], for_prefixes: bool = False):
        self.groups = groups
        self.for_prefixes = for_prefixes
        self._by_key: dict[str, list[Candidate]] = defaultdict(list)
        # Rules whose key is not plain ASCII are tried wherever any rule may start (Unicode case folding
        # lets "ſ" match "s"); rules without a fixed first letter, or with a pattern of their own, run as before.
        self._everywhere: list[Candidate] = []
        self._unindexed: list[Candidate] = []
        literals: set[str] = set()
        for group, rules in enumerate(groups):
            for order, rule in enumerate(rules):
                candidate = (group, order, rule)
                firsts = _first_literals(rule)
                fixed = [literal.removesuffix("*") for literal in firsts]
                if not fixed or not all(fixed) or rule.pattern.pattern != compile_phrase(rule.phrase).pattern:
                    self._unindexed.append(candidate)
                    continue
                literals.update(firsts)
                keys = {literal[:KEY_CHARS] for literal in fixed}
                if not all(key.isascii() for key in keys):
                    self._everywhere.append(candidate)
                    continue
                for key in keys:
                    self._by_key[key].append(candidate)
        # Keys by what they start with: a window with a non-ASCII letter at index j is looked up by its first j.
        self._by_prefix: dict[str, list[Candidate]] = defaultdict(list)
        for key, candidates in self._by_key.items():
            for length in range(len(key)):
                self._by_prefix[key[:length]].extend(candidates)
        self._starts = re.compile(r"(?<![\w-])(?=" + _trie_regex(literals, whole_words=True) + ")", re.IGNORECASE)
        self._cut_starts = re.compile(r"(?<![\w-])(?=" + _trie_regex(literals, whole_words=False) + ")", re.IGNORECASE)
        self._longest = max((len(literal.removesuffix("*")) for literal in literals), default=0)
        self._window_memo: dict[str, tuple[Candidate, ...]] = {}

    def _candidates(self, window: str) -> tuple[Candidate, ...]:
        """The rules that may start at a spot whose next characters are window (exact superset)."""
        found = self._window_memo.get(window)
        if found is not None:
            return found
        if window.isascii():
            lowered = window.lower()
            pools = [self._by_key.get(lowered[:length], ()) for length in range(1, len(lowered) + 1)]
        else:
            known = next(index for index, char in enumerate(window) if not char.isascii())
            lowered = window[:known].lower()
            pools = [self._by_key.get(lowered[:length], ()) for length in range(1, known + 1)]
            pools.append(self._by_prefix.get(lowered, ()))
        pools.append(self._everywhere)
        unique = {(group, order): (group, order, rule) for pool in pools for group, order, rule in pool}
        found = tuple(sorted(unique.values(), key=lambda candidate: candidate[:2]))
        if len(self._window_memo) < WINDOW_MEMO_LIMIT:
            self._window_memo[window] = found
        return found

    def spots(self, text: str) -> list[tuple[int, tuple[Candidate, ...]]]:
        """Where some rule may start in text, left to right, with the rules that may start there."""
        candidates = self._candidates
        return [(at, candidates(text[at : at + KEY_CHARS])) for at in (m.start() for m in self._starts.finditer(text))]

    def matches(self, text: str, spots=None, endpos: int | None = None) -> list[RuleMatches]:
        """Per group, what `rule.pattern.finditer(text[:endpos])` gives for each of its rules, rule by rule;
        `spots` is what `spots(text)` returned, if known. endpos only for an index made `for_prefixes`."""
        if endpos is not None and not self.for_prefixes:
            raise ValueError("this index marks whole words only; build it with for_prefixes=True to cut the text")
        spots = self.spots(text) if spots is None else spots
        end = len(text) if endpos is None else min(endpos, len(text))
        if end < len(text):
            # A literal cut by the end ("call" of "called") matches in text[:end] only: such a spot lies
            # within the longest literal's length before the end.
            edge = max(0, end - self._longest)
            known = {at for at, _ in spots}
            extra = [
                (at, self._candidates(text[at : at + KEY_CHARS]))
                for at in (m.start() for m in self._cut_starts.finditer(text, edge, end))
                if at not in known
            ]
            if extra:
                spots = sorted([*(spot for spot in spots if spot[0] < end), *extra], key=lambda spot: spot[0])
        found: list[list[tuple[int, int, CueRule, re.Match[str]]]] = [[] for _ in self.groups]
        # finditer's matches never overlap: after a match a rule next matches from its end on.
        free_from: dict[tuple[int, int], int] = {}
        for at, candidates in spots:
            if at >= end:
                break
            for group, order, rule in candidates:
                if at < free_from.get((group, order), 0):
                    continue
                match = rule.pattern.match(text, at, end)
                if match:
                    found[group].append((order, at, rule, match))
                    free_from[(group, order)] = match.end()
        for group, order, rule in self._unindexed:
            found[group].extend((order, match.start(), rule, match) for match in rule.pattern.finditer(text, 0, end))
        result = []
        for hits in found:
            hits.sort(key=lambda hit: (hit[0], hit[1]))
            result.append([(rule, match) for _, _, rule, match in hits])
        return result

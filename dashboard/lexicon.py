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
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from dashboard import DATA_DIR, knowledge_path
from dashboard.codebook import load_crosswalk
from dashboard.datafiles import read_commented_csv
from dashboard.errors import InvalidDataError, Problem

LEXICON_FILE = "cue_lexicon.csv"
# The shipped lexicon; loaders default to knowledge_dir()'s, which REACTIONS_DATA_DIR can replace.
LEXICON_PATH = DATA_DIR / LEXICON_FILE
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

    @cached_property
    def index(self) -> RuleIndex:
        """The one-scan matcher over the groups in INDEXED_GROUPS, built on first use (and anew for a lexicon
        made with dataclasses.replace, as extraction does to add its own cues)."""
        return RuleIndex(tuple(getattr(self, group) for group in INDEXED_GROUPS))

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


def load_cue_lexicon(path: Path | str | None = None, crosswalk_path: Path | str | None = None) -> CueLexicon:
    """Read and compile the cue lexicon (default: knowledge_dir()'s); every cue type must exist in the CAMEO
    crosswalk for its stance."""
    path = Path(path) if path is not None else knowledge_path(LEXICON_FILE)
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
        if kind in ("cue", "object") and record["stance"] not in crosswalk.stances:
            labels = ", ".join(crosswalk.stances)
            problems.append(Problem(row, "stance", f"{record['stance']!r} is not one of {labels}"))
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


def default_lexicon() -> CueLexicon:
    """The lexicon of knowledge_dir(), read once per folder (the folder's knowledge bundle holds it)."""
    from dashboard.knowledge import knowledge

    return knowledge().lexicon


# The rule groups one scan of a sentence finds (negator phrases run on a clause's tail, not on the text).
INDEXED_GROUPS = ("cues", "intensifiers", "hedges", "reporting", "objects", "all_parties")
# Candidate lists memoised per word; a bound keeps odd input from growing the memo for ever.
RUN_MEMO_LIMIT = 200_000
# The word characters from a spot on: a rule's first word is looked up by them.
_RUN = re.compile(r"\w*")

# (the rule's number in the index, its group, its position in the group, the rule)
Entry = tuple[int, int, int, CueRule]
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


# A spot: where a rule may start, and per group the rules that may start there.
Spot = tuple[int, tuple[tuple[Entry, ...], ...]]


class RuleIndex:
    """Every rule of some groups found in one scan of a text (see the module's docstring).

    A rule is looked up by the word characters at a spot (its "run"): a first word "condemn" (or "cease-fire",
    whose word characters stop at the hyphen) needs the run to be exactly that, "condemn*" needs it to start so.
    `matches_before` answers for text[:endpos] as its own string: there a literal may also end at endpos where
    the whole text goes on with a letter, so the last few characters are looked at again with a pattern that
    does not ask for a word's end."""

    def __init__(self, groups: tuple[tuple[CueRule, ...], ...]):
        self.groups = groups
        self._exact: dict[str, list[Entry]] = defaultdict(list)  # the run must be this
        self._prefix: dict[str, list[Entry]] = defaultdict(list)  # the run must start with this
        # Rules whose first word is not plain ASCII, or starts with a non-word character, are tried wherever
        # any rule may start; rules without fixed first letters, or with a pattern of their own, run as before.
        self._everywhere: list[Entry] = []
        self._unindexed: list[Entry] = []
        literals: list[set[str]] = [set() for _ in groups]
        numbered = ((group, order, rule) for group, rules in enumerate(groups) for order, rule in enumerate(rules))
        for number, (group, order, rule) in enumerate(numbered):
            entry = (number, group, order, rule)
            firsts = _first_literals(rule)
            fixed = [literal.removesuffix("*") for literal in firsts]
            if not fixed or not all(fixed) or rule.pattern.pattern != compile_phrase(rule.phrase).pattern:
                self._unindexed.append(entry)
                continue
            literals[group].update(firsts)
            heads = [(_RUN.match(literal).group().lower(), literal) for literal in firsts]
            if not all(head and head.isascii() for head, _ in heads):
                self._everywhere.append(entry)
                continue
            for head, literal in heads:
                wildcard = literal.endswith("*") and head == literal[:-1]
                (self._prefix if wildcard else self._exact)[head].append(entry)
        every = set().union(*literals)
        # The spot regex also takes the run (the word characters from the spot), so one call gives both.
        self._starts = re.compile(r"(?<![\w-])(?=" + _trie_regex(every, whole_words=True) + r")\w*", re.IGNORECASE)
        # For ASCII text (lower-cased, same offsets) a case-sensitive regex over lower-case literals finds the
        # same spots in about half the time.
        lowered = {literal.lower() for literal in every}
        self._ascii_starts = re.compile(r"(?<![\w-])(?=" + _trie_regex(lowered, whole_words=True) + r")\w*")
        # Per group, where one of its literals may start when the text is cut short (no word end asked for).
        self._cut_starts = [
            re.compile(r"(?<![\w-])(?=" + _trie_regex(group, whole_words=False) + ")", re.IGNORECASE)
            for group in literals
        ]
        self._longest = [max((len(lit.removesuffix("*")) for lit in group), default=0) for group in literals]
        self._run_memo: dict[str, tuple[tuple[Entry, ...], ...]] = {}
        self._unindexed_by_group = [
            tuple(entry for entry in self._unindexed if entry[1] == group) for group in range(len(groups))
        ]

    def _candidates(self, run: str) -> tuple[tuple[Entry, ...], ...]:
        """Per group, the rules that may start at a spot whose word characters are run (an exact superset)."""
        found = self._run_memo.get(run)
        if found is not None:
            return found
        if run.isascii():
            lowered = run.lower()
            pools = [self._exact.get(lowered, ())]
            pools += [self._prefix.get(lowered[:length], ()) for length in range(1, len(lowered) + 1)]
        else:
            # Unicode case folding lets a few letters match ASCII ones ("K" the Kelvin sign, "ſ"): keep every
            # rule the ASCII part before the first other letter allows.
            known = run[: next(index for index, char in enumerate(run) if not char.isascii())].lower()
            pools = [entries for head, entries in self._exact.items() if head.startswith(known)]
            pools += [
                entries for head, entries in self._prefix.items() if head.startswith(known) or known.startswith(head)
            ]
        pools.append(self._everywhere)
        unique = sorted({entry[0]: entry for pool in pools for entry in pool}.values(), key=lambda entry: entry[0])
        found = tuple(tuple(entry for entry in unique if entry[1] == group) for group in range(len(self.groups)))
        if len(self._run_memo) < RUN_MEMO_LIMIT:
            self._run_memo[run] = found
        return found

    def spots(self, text: str) -> list[Spot]:
        """Where some rule may start in text, left to right, with the rules (per group) that may start there."""
        known, candidates = self._run_memo.get, self._candidates
        starts = self._ascii_starts.finditer(text.lower()) if text.isascii() else self._starts.finditer(text)
        return [(m.start(), known(run) or candidates(run)) for m in starts for run in (m.group(),)]

    def matches(
        self, text: str, spots: list[Spot] | None = None, groups: tuple[int, ...] | None = None, endpos=None
    ) -> list[RuleMatches]:
        """Per group (those in `groups`, else all; the others get []), what each rule's `finditer(text)` gives,
        rule by rule; `spots` is what `spots(text)` returned, if known. With endpos, as matches_before."""
        spots = self.spots(text) if spots is None else spots
        groups = tuple(range(len(self.groups))) if groups is None else groups
        if endpos is not None:
            return [self.matches_before(text, spots, g, endpos) if g in groups else [] for g in range(len(self.groups))]
        found: list[list[tuple[int, int, CueRule, re.Match[str]]]] = [[] for _ in self.groups]
        # finditer's matches never overlap: after a match a rule next matches from its end on.
        free_from: dict[int, int] = {}
        for at, per_group in spots:
            for group in groups:
                for number, _, order, rule in per_group[group]:
                    if at < free_from.get(number, 0):
                        continue
                    match = rule.pattern.match(text, at)
                    if match:
                        found[group].append((order, at, rule, match))
                        free_from[number] = match.end()
        return [
            self._finish(text, group, hits, len(text)) if group in groups else [] for group, hits in enumerate(found)
        ]

    def matches_before(self, text: str, spots: list[Spot], group: int, endpos: int) -> RuleMatches:
        """What the group's rules find in text[:endpos], as their `finditer(text[:endpos])` would."""
        end = min(endpos, len(text))
        # A literal cut by the end ("call" of "called") matches in text[:end] only: spots within the longest
        # literal's length before the end are found again, in text[:end].
        edge = max(0, end - self._longest[group]) if end < len(text) else end
        tried = [(at, per_group[group]) for at, per_group in spots if at < edge and per_group[group]]
        if edge < end:
            run_at, candidates = _RUN.match, self._candidates
            tried += [
                (m.start(), candidates(run_at(text, m.start(), end).group())[group])
                for m in self._cut_starts[group].finditer(text, edge, end)
            ]
        hits: list[tuple[int, int, CueRule, re.Match[str]]] = []
        free_from: dict[int, int] = {}
        for at, entries in tried:
            for number, _, order, rule in entries:
                if at < free_from.get(number, 0):
                    continue
                match = rule.pattern.match(text, at, end)
                if match:
                    hits.append((order, at, rule, match))
                    free_from[number] = match.end()
        return self._finish(text, group, hits, end)

    def _finish(self, text: str, group: int, hits: list, end: int) -> RuleMatches:
        for _, _, order, rule in self._unindexed_by_group[group]:
            hits.extend((order, m.start(), rule, m) for m in rule.pattern.finditer(text, 0, end))
        if len(hits) > 1:
            # By (order, start): a rule matches at most once at a spot, so the pair is unique and the sort
            # never compares further.
            hits.sort()
        return [(rule, match) for _, _, rule, match in hits]

"""From article text to proposed reaction records: sentences, who speaks in each, and what they say.

How an article is read:
1. Lines: page debris (video ids, a lone "video") and headings (a short line with no final punctuation
   and no finite verb, after a blank line, debris or another heading) are dropped. A line that ends without final punctuation and is
   followed directly by another text line is the same sentence broken in two, and is joined to it.
2. Sentences: pysbd splits each block; offsets always point into the original text, newline included.
3. Parties: actors by name, alias, capital or institution (the registry), people through their dated
   role (speakers), "the ministry" / "the regime" back to the last actor named with that noun, and a
   sentence opening with "He" / "The minister" / "It" to the last person / institution that reacted
   ('"...," he said' too). News agencies are carriers (`via`), never actors.
4. Who reacts: the subject of a main, relative ("France, which called for") or coordinate clause, the
   party a carrier quotes, or the party of a trailing attribution ('"...," the minister said', ", says X").
   A subject inside a reported "that" clause is what is talked about, not who reacts, unless an explicit
   performative follows it directly ("said that Iran rejected").
5. Each cue (the stance lexicon's, data/extraction_cues.csv's implicit accusations, and procedural acts
   such as convening a meeting, kept `neutral`) goes to the party directly governing it, else to a
   trailing attribution after it, else to the nearest reacting party before it (with any party
   coordinated with it: "The US and NATO condemned"). The classifier's `find_reactions` then gives
   stance, cue and targets for that party; a negated cue alone ("did not condemn") gives `neutral`.
6. A reaction with no target in its sentence takes one from context where the stance implies it: a
   denial answers the last other party that spoke, a condemnation aims at the incident's perpetrator,
   a warning at the party the actor last opposed. One record per (actor, stance, target) and sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pysbd

from dashboard import DATA_DIR
from dashboard.datafiles import read_commented_csv
from dashboard.errors import InvalidDataError, Problem
from dashboard.records import RECORD_COLUMNS
from dashboard.registry import ActorMention, Registry, Speaker
from dashboard.scoring import Resources
from dashboard.stance import (
    DOMINANT_MIN_SCORE,
    PERFORMATIVE_WEIGHT,
    CueLexicon,
    CueRule,
    compile_phrase,
    find_cues,
    find_reactions,
    load_cue_lexicon,
    normalise_quotes,
)

# The knowledge files extraction reads, in a data folder (data/ unless told otherwise).
RULES_FILE = "extraction_rules.csv"
AGENCIES_FILE = "news_agencies.csv"
EXTRA_CUES_FILE = "extraction_cues.csv"
RULE_KINDS = (
    "junk_line",
    "finite_verb",
    "person_pronoun",
    "thing_pronoun",
    "anaphor_noun",
    "quoting",
    "clause_opener",
    "subject_word",
    "background",
    "background_clause",
    "procedural",
    "institution",
    "person_title",
)
CLAUSE_KINDS = ("content", "relative", "coordinate")

# A heading is at most this many words: "Reactions abroad", "Calls for calm".
HEADING_MAX_WORDS = 6
# A line ending in one of these (after closing quotes and brackets) is a complete sentence.
TERMINAL_PUNCTUATION = ".!?:;…"
CLOSING = "\"'”’»)]"
OPENING_QUOTES = '"“«'
# A background word ("despite earlier warnings") reaches a cue this many words later.
BACKGROUND_REACH = 2
# Hostile stances whose target may come from context when the sentence names none.
CONTEXT_TARGET_STANCES = frozenset({"condemn", "warn", "deny"})
NEUTRAL = "neutral"
ID_WIDTH = 3
# "an air strike carried out by X": an event noun this many words before "by X" makes X the perpetrator.
PERPETRATOR_REACH = 6

_WORD = re.compile(r"\w[\w'’-]*")
# Between a party's name and the verb it governs: a name or title, ", which", auxiliaries, adverbs.
_GOVERNING_GAP = re.compile(
    r"^(?:'s)?(?:\s+[A-Z][\w'-]*){0,4}\s*,?\s*(?:(?:which|who)\s+)?"
    r"(?:(?:also|has|have|had|is|was|earlier|previously|then|later|already|itself|\w+ly)\s+){0,3}$"
)
_COORDINATION = re.compile(r"^\s*(?:,\s*|\s+and\s+|,\s*and\s+)(?:the\s+)?$", re.IGNORECASE)
# Brackets and quotes are not here: "Organisation (NATO) met", "the (Iranian) government's", 'the "fraternal" people'.
# A spaced dash breaks too: the dateline "PARIS, May 2 (AFP) - France said", "- on its forces -".
_PUNCTUATION_BREAK = re.compile(r"[,;:]|\s[-–—]\s")


class Sentence(NamedTuple):
    """A sentence of an article and its character offsets: article[start:end] == text."""

    text: str
    start: int
    end: int


class _Rule(NamedTuple):
    phrase: str
    value: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class ExtractionRules:
    """The knowledge extraction reads from data/extraction_rules.csv and data/news_agencies.csv."""

    junk_lines: tuple[re.Pattern[str], ...]
    finite_verbs: frozenset[str]
    person_pronouns: frozenset[str]
    thing_pronouns: frozenset[str]
    anaphor_nouns: frozenset[str]
    quoting: tuple[re.Pattern[str], ...]
    clause_openers: dict[str, str]
    subject_words: frozenset[str]
    background: tuple[re.Pattern[str], ...]
    background_clauses: frozenset[str]
    procedural: tuple[_Rule, ...]
    institutions: tuple[_Rule, ...]
    person_titles: frozenset[str]
    agencies: dict[str, str] = field(default_factory=dict)  # alias -> agency name
    agency_pattern: re.Pattern[str] = re.compile(r"(?!)")
    extra_cues: tuple[CueRule, ...] = ()  # implicit accusations, read on top of the stance lexicon

    def lexicon(self, base: CueLexicon) -> CueLexicon:
        """The stance lexicon with the extraction cues added."""
        return replace(base, cues=base.cues + self.extra_cues) if self.extra_cues else base


def _alternatives(phrase: str) -> set[str]:
    return {word.strip().lower() for word in phrase.split("|") if word.strip()}


def _alias_pattern(aliases: list[str]) -> re.Pattern[str]:
    """Whole-word, case-sensitive alternation, longest first ("Reuters news agency" before "Reuters")."""
    ordered = sorted(aliases, key=len, reverse=True)
    if not ordered:
        return re.compile(r"(?!)")
    return re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(alias) for alias in ordered) + r")(?![\w])")


def load_extraction_rules(data_dir: Path | str = DATA_DIR) -> ExtractionRules:
    """Read and check data_dir's extraction rules, news agencies and extra cues; every problem in the rules
    file is reported at once (InvalidDataError)."""
    data_dir = Path(data_dir)
    rules_path = data_dir / RULES_FILE
    table = read_commented_csv(rules_path, required=("kind", "phrase", "value"))
    problems: list[Problem] = []
    by_kind: dict[str, list[tuple[str, str]]] = {kind: [] for kind in RULE_KINDS}
    for row, record in enumerate(table.to_dict("records"), start=1):
        kind, phrase, value = record["kind"].strip(), record["phrase"].strip(), record["value"].strip()
        if kind not in RULE_KINDS:
            problems.append(Problem(row, "kind", f"{kind!r} is not one of {', '.join(RULE_KINDS)}"))
            continue
        if not phrase:
            problems.append(Problem(row, "phrase", "is empty"))
            continue
        if kind == "junk_line":
            try:
                re.compile(phrase)
            except re.error as exc:
                problems.append(Problem(row, "phrase", f"not a regular expression: {exc}"))
                continue
        if kind == "clause_opener" and value not in CLAUSE_KINDS:
            problems.append(Problem(row, "value", f"{value!r} is not one of {', '.join(CLAUSE_KINDS)}"))
        if kind in ("procedural", "institution") and not value:
            problems.append(Problem(row, "value", f"a {kind} row needs a value"))
        by_kind[kind].append((phrase, value))
    if problems:
        raise InvalidDataError(str(rules_path), problems)
    agencies_table = read_commented_csv(data_dir / AGENCIES_FILE, required=("name", "aliases"))
    agencies: dict[str, str] = {}
    for record in agencies_table.to_dict("records"):
        name = record["name"].strip()
        for alias in (name, *(a.strip() for a in record["aliases"].split("|"))):
            if alias:
                agencies.setdefault(alias, name)

    def words(kind: str) -> frozenset[str]:
        return frozenset(word for phrase, _ in by_kind[kind] for word in _alternatives(phrase))

    def compiled(kind: str) -> tuple[_Rule, ...]:
        return tuple(_Rule(phrase, value, compile_phrase(phrase.lower())) for phrase, value in by_kind[kind])

    return ExtractionRules(
        junk_lines=tuple(re.compile(phrase, re.IGNORECASE) for phrase, _ in by_kind["junk_line"]),
        finite_verbs=words("finite_verb"),
        person_pronouns=words("person_pronoun"),
        thing_pronouns=words("thing_pronoun"),
        anaphor_nouns=words("anaphor_noun"),
        quoting=tuple(rule.pattern for rule in compiled("quoting")),
        clause_openers={word: value for phrase, value in by_kind["clause_opener"] for word in _alternatives(phrase)},
        subject_words=words("subject_word"),
        background=tuple(rule.pattern for rule in compiled("background")),
        background_clauses=words("background_clause"),
        procedural=compiled("procedural"),
        institutions=compiled("institution"),
        person_titles=words("person_title"),
        agencies=agencies,
        agency_pattern=_alias_pattern(list(agencies)),
        extra_cues=load_cue_lexicon(data_dir / EXTRA_CUES_FILE, data_dir / "cameo_crosswalk.csv").cues,
    )


@lru_cache(maxsize=1)
def default_rules() -> ExtractionRules:
    """The shipped extraction rules, read once."""
    return load_extraction_rules()


# --- Sentences ---------------------------------------------------------------------------------------


class _Line(NamedTuple):
    start: int
    end: int  # end of the line's content, newline excluded
    kind: str  # blank | junk | heading | text


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip().rstrip(CLOSING)
    return bool(stripped) and stripped[-1] in TERMINAL_PUNCTUATION


def _is_heading(content: str, previous: str, rules: ExtractionRules) -> bool:
    """A short line without final punctuation or a finite verb, standing after a break: a heading."""
    words = _WORD.findall(content)
    # "World reaction:" introduces what follows; a colon does not make a heading a sentence.
    finished = _ends_sentence(content) and not content.rstrip().endswith(":")
    if not words or len(words) > HEADING_MAX_WORDS or finished or previous not in ("", "blank", "junk", "heading"):
        return False
    if not content[0].isupper() or content.rstrip()[-1] in ",-–":
        return False
    return not any(word.lower() in rules.finite_verbs or word.lower().endswith("ed") for word in words)


def _classify_lines(text: str, rules: ExtractionRules) -> list[_Line]:
    lines: list[_Line] = []
    position = 0
    for raw in text.splitlines(keepends=True):
        content = raw.rstrip("\r\n")
        stripped = content.strip()
        start = position + (len(content) - len(content.lstrip()))
        end = start + len(stripped)
        previous = lines[-1].kind if lines else ""
        if not stripped:
            kind = "blank"
        elif any(pattern.fullmatch(stripped) for pattern in rules.junk_lines):
            kind = "junk"
        elif _is_heading(stripped, previous, rules):
            kind = "heading"
        else:
            kind = "text"
        lines.append(_Line(start, end, kind))
        position += len(raw)
    return lines


def _blocks(text: str, rules: ExtractionRules) -> list[tuple[int, int]]:
    """Spans of running text: a line that ends mid-sentence is joined to the text line right after it."""
    blocks: list[tuple[int, int]] = []
    lines = _classify_lines(text, rules)
    open_block = False
    for index, line in enumerate(lines):
        if line.kind != "text":
            open_block = False
            continue
        if open_block:
            blocks[-1] = (blocks[-1][0], line.end)
        else:
            blocks.append((line.start, line.end))
        following = lines[index + 1] if index + 1 < len(lines) else None
        open_block = (
            following is not None and following.kind == "text" and not _ends_sentence(text[line.start : line.end])
        )
    return blocks


def segment_sentences(text: str, rules: ExtractionRules | None = None) -> list[Sentence]:
    """The article's sentences with offsets into text; debris and headings dropped, broken lines joined."""
    rules = rules or default_rules()
    sentences = []
    for block_start, block_end in _blocks(text, rules):
        block = text[block_start:block_end]
        # pysbd would cut at the newline of a joined line; a space of the same length keeps offsets true.
        flat = block.replace("\r", " ").replace("\n", " ")
        cursor = 0
        # A segmenter per call: pysbd keeps the text it is working on in the instance (app threads share modules).
        for span in pysbd.Segmenter(language="en", clean=False, char_span=True).segment(flat):
            piece = span.sent.strip()
            if not piece:
                continue
            found = flat.find(piece, cursor)
            if found < 0:
                continue
            cursor = found + len(piece)
            start = block_start + found
            sentences.append(Sentence(text[start : start + len(piece)], start, start + len(piece)))
    return sentences


# --- Parties -----------------------------------------------------------------------------------------


class _Party(NamedTuple):
    """A party named in a sentence (offsets within the sentence)."""

    actor: str
    start: int
    end: int
    speaker: Speaker | None
    role: str  # institution role ("Ministry of Defence") when an institution is named
    person: bool  # a person (speaker or "he"), not an institution


@dataclass
class _Context:
    """What earlier sentences tell the next one: who spoke last, what "the ministry" refers to."""

    person: tuple[str, Speaker | None] | None = None  # (actor, speaker if known) of the last person speaking
    institution: tuple[str, str] | None = None  # (actor, role)
    anaphors: dict[str, tuple[str, str]] = field(default_factory=dict)  # noun -> (actor, role)
    last_reactors: list[str] = field(default_factory=list)
    hostile_target: dict[str, str] = field(default_factory=dict)
    perpetrator: str = ""


class _SentenceRegistry:
    """The registry, plus this sentence's anaphors ("the government" -> the actor named with it) as actor mentions; for the classifier."""

    def __init__(self, registry: Registry, anaphors: list[ActorMention], on_date: str):
        self._registry = registry
        self._anaphors = anaphors
        self._date = on_date
        self.speakers = registry.speakers

    def resolve_actor(self, name: str) -> str | None:
        return self._registry.resolve_actor(name)

    def find_actor_mentions(self, text: str) -> list[ActorMention]:
        found = self._registry.find_actor_mentions(text)
        extra = [m for m in self._anaphors if text[m.start : m.end] == m.alias]
        return _non_overlapping(found + [m for m in extra if not any(_overlaps(m, f) for f in found)])

    def find_speaker_mentions(self, text: str, on_date: str | None = None):
        return self._registry.find_speaker_mentions(text, on_date or self._date)


def _overlaps(a, b) -> bool:
    return a.start < b.end and b.start < a.end


def _non_overlapping(mentions: list) -> list:
    kept: list = []
    for mention in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if not kept or mention.start >= kept[-1].end:
            kept.append(mention)
    return kept


def _institution_role(alias: str, rules: ExtractionRules) -> str:
    return next((rule.value for rule in rules.institutions if rule.pattern.search(alias)), "")


def _noun_phrase(text: str, start: int, end: int, rules: ExtractionRules) -> str:
    """A mention with the office words that follow it: "Chinese" + " Foreign Ministry", "Russia's defence ministry"."""
    tail = re.match(r"(?:'s)?(?:\s+(?:[A-Z][\w'-]*|of|[a-z]+))*", text[end:])
    words = []
    for word in _WORD.findall(tail.group(0) if tail else ""):
        if not (word[0].isupper() or word.lower() in rules.subject_words or word == "of" or word == "'s"):
            break
        words.append(word)
    return " ".join([text[start:end], *words]).replace(" 's", "'s")


def _anaphor_mentions(text: str, context: _Context, rules: ExtractionRules) -> list[tuple[ActorMention, str]]:
    found = []
    for noun, (actor, role) in context.anaphors.items():
        for match in re.finditer(rf"\b[Tt]he\s+{re.escape(noun)}\b", text, re.IGNORECASE):
            found.append((ActorMention(actor, match.group(0), match.start(), match.end()), role))
    return found


def _find_parties(
    text: str, registry: Registry, date: str, context: _Context, rules: ExtractionRules, agencies: list
) -> tuple[list[_Party], list[ActorMention]]:
    anaphors = _anaphor_mentions(text, context, rules)
    actors = registry.find_actor_mentions(text)
    parties = []
    for m in actors:
        phrase = _noun_phrase(text, m.start, m.end, rules)
        # "German Chancellor Olaf Scholz", "a UN spokesman": a person speaking for the actor, name unknown.
        person = any(word in rules.person_titles for word in _WORD.findall(phrase.lower()))
        parties.append(_Party(m.actor, m.start, m.end, None, _institution_role(phrase, rules), person))
    parties += [
        _Party(m.actor, m.start, m.end, None, role, False)
        for m, role in anaphors
        if not any(_overlaps(m, other) for other in actors)
    ]
    # Speakers stand for their actor in the role they held on the article's date.
    speakers = [
        _Party(m.speaker.actor, m.start, m.end, m.speaker, "", True) for m in registry.find_speaker_mentions(text, date)
    ]
    opening = _WORD.match(text)
    # "The minister added ...": a title alone opening a sentence continues the last person, as "He" does.
    titled = re.match(r"[Tt]he\s+([\w-]+)\b", text)
    if titled and titled.group(1).lower() in rules.person_titles and context.person is not None:
        actor, speaker = context.person
        speakers.append(_Party(actor, titled.start(), titled.end(), speaker, "", True))
    elif opening:
        word = opening.group(0).lower()
        if word in rules.person_pronouns and context.person is not None:
            actor, speaker = context.person
            speakers.append(_Party(actor, opening.start(), opening.end(), speaker, "", True))
        elif word in rules.thing_pronouns and context.institution is not None:
            actor, role = context.institution
            parties.append(_Party(actor, opening.start(), opening.end(), None, role, False))
    # '"...," he said': a pronoun after a quote or comma continues the last person, like one opening a sentence.
    if context.person is not None:
        actor, speaker = context.person
        for match in re.finditer(r"[,\"”]\s*(\w+)\b", text):
            if match.group(1).lower() in rules.person_pronouns:
                speakers.append(_Party(actor, match.start(1), match.end(1), speaker, "", True))
    # A speaker's name wins over an actor alias inside it; agencies are never parties.
    merged = _non_overlapping(speakers + parties)
    merged = [p for p in merged if not any(_overlaps(p, a) for a in agencies)]
    anaphor_mentions = [m for m, _ in anaphors if not any(_overlaps(m, other) for other in actors)]
    return merged, anaphor_mentions


class _AgencyMention(NamedTuple):
    name: str
    start: int
    end: int


def _agency_mentions(text: str, rules: ExtractionRules) -> list[_AgencyMention]:
    return [_AgencyMention(rules.agencies[m.group(0)], m.start(), m.end()) for m in rules.agency_pattern.finditer(text)]


# --- Who reacts --------------------------------------------------------------------------------------

# How a party stands in its sentence.
REACTING, CONTENT, OBJECT = "reacting", "content", "object"


def _clause_status(text: str, party: _Party, rules: ExtractionRules, lexicon: CueLexicon) -> str:
    """REACTING for the subject of a main, relative or coordinate clause or a quoted source; CONTENT for the
    subject of reported speech ("said that X", "said X"); OBJECT otherwise (after a verb or a preposition)."""
    before = text[: party.start]
    punctuation = list(_PUNCTUATION_BREAK.finditer(before))
    boundary = punctuation[-1].end() if punctuation else 0
    opener = ""
    for match in _WORD.finditer(before):
        word = match.group(0).lower()
        if match.start() < boundary or word not in rules.clause_openers:
            continue
        kind = rules.clause_openers[word]
        # "X and Y" joins two names; only ", and ..." opens a new clause.
        if kind == "coordinate" and not before[: match.start()].rstrip().endswith(","):
            continue
        boundary, opener = match.end(), kind
    # "said Ankara rejects ...": a reporting verb opens reported speech even without "that".
    for rule in lexicon.reporting:
        for match in rule.pattern.finditer(before):
            if match.end() >= boundary:
                boundary, opener = match.end(), "content"
    for pattern in rules.quoting:
        for match in pattern.finditer(before):
            if match.end() >= boundary:
                boundary, opener = match.end(), "quoted"
    between = _WORD.findall(before[boundary:])
    for index, word in enumerate(between):
        lowered = word.lower()
        if lowered in rules.subject_words or word[0].isupper() or word.endswith("ly"):
            continue
        # "the spokesman for the Turkish Foreign Ministry", "the Secretary General of the Alliance".
        if lowered in ("of", "for") and index and between[index - 1].lower() in rules.person_titles:
            continue
        return OBJECT
    return CONTENT if opener == "content" else REACTING


def _statuses(text: str, parties: list[_Party], rules: ExtractionRules, lexicon: CueLexicon) -> list[str]:
    statuses = []
    for index, party in enumerate(parties):
        status = _clause_status(text, party, rules, lexicon)
        # "Iran and Russia": a party coordinated with the one before shares its standing.
        if _coordinated(text, parties, index):
            status = statuses[-1]
        # "France, which also called for": the head of a relative clause is that clause's subject.
        if re.match(r"\s*,\s*(?:which|who)\b", text[party.end :]):
            status = REACTING
        statuses.append(status)
    return statuses


def _joined_by_and(text: str, first: _Party, second: _Party) -> bool:
    gap = text[first.end : second.start]
    return bool(_COORDINATION.match(gap)) and "and" in gap.lower()


def _coordinated(text: str, parties: list[_Party], index: int) -> bool:
    """Whether parties[index] is in one list with the party before it: "The United States and NATO",
    "Britain, France and Germany". A comma alone joins only inside a list that ends in "and": in
    "... Kyiv, the State Department said" and "the German parliament, Anna Schmidt" it is an apposition."""
    if index == 0:
        return False
    gap = text[parties[index - 1].end : parties[index].start]
    if not _COORDINATION.match(gap):
        return False
    if "and" in gap.lower():
        return True
    following = index
    while following + 1 < len(parties) and _COORDINATION.match(
        text[parties[following].end : parties[following + 1].start]
    ):
        if _joined_by_and(text, parties[following], parties[following + 1]):
            return parties[index - 1].person == parties[index].person
        following += 1
    return False


def _coordinated_group(text: str, parties: list[_Party], index: int) -> list[_Party]:
    group = [parties[index]]
    while _coordinated(text, parties, index):
        index -= 1
        group.append(parties[index])
    return group[::-1]


def _title_start(text: str, position: int, rules: ExtractionRules) -> int:
    """Where the titles and names before a party begin: "Elysee spokesman Paul Martin" from "Paul"."""
    title_words = rules.subject_words | rules.person_titles
    cut = position
    for word in reversed(list(_WORD.finditer(text[:position]))):
        if text[word.end() : cut].strip() or not (word.group(0)[0].isupper() or word.group(0).lower() in title_words):
            break
        cut = word.start()
    return cut


def _is_attribution(text: str, party: _Party, rules: ExtractionRules, lexicon: CueLexicon) -> bool:
    """A trailing ", X said", '," Elysee spokesman Paul Martin said' or ", says X": X voiced what comes
    before it."""
    before = text[: _title_start(text, party.start, rules)].rstrip()
    inverted = re.search(r",\s*(\w+)$", before)
    if inverted and any(rule.pattern.fullmatch(inverted.group(1).lower()) for rule in lexicon.reporting):
        return True
    if not before.endswith((",", '"', "”", "'", "’")):
        return False
    verbs = [match for rule in lexicon.reporting if (match := rule.pattern.search(text, party.end))]
    if not verbs:
        return False
    between = text[party.end : min(verbs, key=lambda match: match.start()).start()]
    title_words = rules.subject_words | rules.person_titles
    return not re.search(r"[^\w\s,'’.-]", between) and all(
        word[0].isupper() or word.lower() in title_words or word.endswith("ly") or word in ("s", "'s")
        for word in _WORD.findall(between)
    )


def _owners(
    text: str, cue_start: int, cue_weight: float, parties: list[_Party], statuses: list[str], attributions: list[int]
) -> list[_Party]:
    """The parties a cue belongs to: the party directly governing an explicit performative; else the party of
    a trailing attribution (", Obama said"); else the nearest reacting party before it, with those
    coordinated with it. A cue with no such party belongs to no one."""
    before = [i for i, p in enumerate(parties) if p.end <= cue_start]
    if before and cue_weight >= PERFORMATIVE_WEIGHT:
        last = before[-1]
        if statuses[last] != OBJECT and _GOVERNING_GAP.match(text[parties[last].end : cue_start]):
            return _coordinated_group(text, parties, last)
    after = [i for i in attributions if parties[i].start > cue_start]
    if after:
        return _coordinated_group(text, parties, after[0])
    reacting_before = [i for i in before if statuses[i] == REACTING]
    if reacting_before:
        return _coordinated_group(text, parties, reacting_before[-1])
    return []


# --- Records -----------------------------------------------------------------------------------------


class _Cue(NamedTuple):
    start: int
    end: int
    weight: float
    stance: str  # the lexicon's stance; NEUTRAL for procedural acts
    cue_type: str
    procedural: bool
    negated: bool


def _is_background(text: str, start: int, rules: ExtractionRules) -> bool:
    """A cue just after "despite" ("despite earlier warnings") recalls an earlier act; it is not a reaction."""
    window = " ".join(_WORD.findall(text[:start])[-(BACKGROUND_REACH + 3) :])
    return any(
        len(_WORD.findall(window[match.end() :])) <= BACKGROUND_REACH
        for pattern in rules.background
        for match in pattern.finditer(window)
    )


def _sentence_cues(text: str, lexicon: CueLexicon, rules: ExtractionRules) -> list[_Cue]:
    normalised = normalise_quotes(text)
    cues = [
        _Cue(c.start, c.end, c.weight, c.stance, c.cue_type, False, c.negated) for c in find_cues(normalised, lexicon)
    ]
    for rule in rules.procedural:
        for match in rule.pattern.finditer(normalised):
            cues.append(_Cue(match.start(), match.end(), PERFORMATIVE_WEIGHT, NEUTRAL, rule.value, True, False))
    return sorted(
        (cue for cue in cues if not _is_background(normalised, cue.start, rules)),
        key=lambda cue: (cue.start, -(cue.end - cue.start)),
    )


def _reaction_text(
    text: str, actor: str, owned: dict[str, list], parties: list[_Party], statuses: list[str], rules: ExtractionRules
) -> str:
    """The part of the sentence that is this actor's reaction, for the classifier: it ends where another
    reacting party's clause or a trailing background clause (", after a convoy was shelled") begins,
    and other parties' cues before that are blanked (same length, so offsets hold): "China declined to
    comment, while Iran expressed its support for Moscow" is, for China, only its own words."""
    last_end = max(cue.end for cue, _ in owned[actor])
    end = len(text)
    for party, status in zip(parties, statuses, strict=True):
        if status == REACTING and party.actor != actor and party.start >= last_end:
            end = min(end, party.start)
            break
    for match in re.finditer(r",\s*(\w+)\b", text[:end]):
        if match.start() >= last_end and match.group(1).lower() in rules.background_clauses:
            end = match.start()
            break
    own = {(cue.start, cue.end) for cue, _ in owned[actor]}
    clause = text[:end]
    for other, cues in owned.items():
        for cue, _ in cues:
            if other != actor and (cue.start, cue.end) not in own and cue.end <= end:
                clause = _blank(clause, cue.start, cue.end)
    return clause


def _is_place(text: str, mention: ActorMention, lexicon) -> bool:
    """ "in Syria", "in northwestern Syria": a country after a location word is a place, not a party."""
    before = _WORD.findall(text[: mention.start].lower())
    if before and before[-1] in lexicon.direction_words:
        before = before[:-1]
    return bool(before) and before[-1] in lexicon.location_words


def _nearest_before(text: str, targets: tuple, cue_start: int, mentions: list[ActorMention], lexicon) -> tuple:
    """Targets named only before the cue: keep the closest one, with any named in its clause ("the Iraqi
    army has the right to" aims at Iraq, not at a party named two clauses earlier)."""
    if not targets or any(
        m.actor in targets and m.start >= cue_start and not _is_place(text, m, lexicon) for m in mentions
    ):
        return targets
    last_before = {
        t: max((m.start for m in mentions if m.actor == t and m.start < cue_start), default=-1) for t in targets
    }
    nearest = max(last_before.values())
    breaks = [b.end() for b in _PUNCTUATION_BREAK.finditer(text[:nearest])]
    clause_start = breaks[-1] if breaks else 0
    return tuple(t for t in targets if last_before[t] >= clause_start)


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _own_reading(clause: str, cue: _Cue, actor_cues: list, actor: str, view, lexicon: CueLexicon):
    """An explicit cue of the actor's that the classifier passed over. A second cue of a stance it reads once
    ("condemned X ... and denounced Y") is read with the earlier cues of that stance blanked; one it gave to
    a party just before it ("the raid by Iran, voiced concern") is read from the cue on."""
    cue_text = clause[cue.start : cue.end]
    earlier_blanked = clause
    for other, _ in actor_cues:
        if other.stance == cue.stance and other.end <= cue.start:
            earlier_blanked = _blank(earlier_blanked, other.start, other.end)
    for reading in (earlier_blanked, " " * cue.start + clause[cue.start :]):
        found = next((r for r in find_reactions(reading, actor, view, lexicon) if r.cue == cue_text), None)
        if found is not None:
            return found
    return None


def _context_target(stance: str, actor: str, context: _Context) -> str:
    if stance == "deny":
        return next((other for other in reversed(context.last_reactors) if other != actor), "")
    if stance == "condemn":
        return context.perpetrator if context.perpetrator != actor else ""
    if stance == "warn":
        return context.hostile_target.get(actor, "")
    return ""


def _perpetrators(text: str, mentions: list[ActorMention], lexicon) -> list[str]:
    """Parties named as the doers of the incident: "a strike carried out by Iranian forces"."""
    found = []
    for mention in mentions:
        before = _WORD.findall(text[max(0, mention.start - 80) : mention.start].lower())
        if before[-1:] == ["by"] and any(word in lexicon.event_words for word in before[-PERPETRATOR_REACH:]):
            found.append(mention.actor)
    return found


class _Proposal(NamedTuple):
    actor: str
    speaker: str
    speaker_role: str
    via: str
    stance: str
    target: str
    mode: str
    cue: str
    cue_start: int
    inferred: bool = False  # the target came from context, not from the sentence
    reach: int = 0  # characters from the cue to the target's next mention: the nearest cue is the evidence


def _voice(owner: _Party, parties: list[_Party], statuses: list[str]) -> _Party:
    """Who voices a reaction: the owner, or, for an owner inside a reported clause ("the State Department
    announced that Paris stood by ..."), the party of the same actor reporting it."""
    index = parties.index(owner)
    if statuses[index] == CONTENT:
        reporters = [p for p, s in zip(parties[:index], statuses[:index], strict=True) if s == REACTING]
        if reporters and reporters[-1].actor == owner.actor:
            return reporters[-1]
    return owner


def _speaker_for(owner: _Party, parties: list[_Party], statuses: list[str]) -> Speaker | None:
    """The named person voicing the reaction: the owner, else a speaker of the same actor in the sentence."""
    if owner.speaker is not None:
        return owner.speaker
    return next(
        (
            p.speaker
            for p, s in zip(parties, statuses, strict=True)
            if p.speaker and p.actor == owner.actor and s != OBJECT
        ),
        None,
    )


def _read_sentence(
    sentence: Sentence, resources: Resources, lexicon: CueLexicon, date: str, context: _Context, rules: ExtractionRules
) -> list[_Proposal]:
    """The reactions in one sentence, given what earlier sentences said (context, updated here)."""
    text = sentence.text
    registry = resources.registry
    agencies = _agency_mentions(text, rules)
    parties, anaphor_mentions = _find_parties(text, registry, date, context, rules, agencies)
    statuses = _statuses(text, parties, rules, lexicon)
    view = _SentenceRegistry(registry, anaphor_mentions, date)
    mentions = view.find_actor_mentions(normalise_quotes(text))
    via = agencies[0].name if agencies else ""
    cues = _sentence_cues(text, lexicon, rules)

    owned: dict[str, list[tuple[_Cue, _Party]]] = {}
    attributions = [i for i, party in enumerate(parties) if _is_attribution(text, party, rules, lexicon)]
    statuses = [REACTING if i in attributions else status for i, status in enumerate(statuses)]
    # A quotation standing alone, with no one named saying it, goes on quoting the last person quoted.
    if not attributions and text[:1] in OPENING_QUOTES and context.person is not None:
        actor, speaker = context.person
        parties = [_Party(actor, 0, 1, speaker, "", True), *parties]
        statuses = [REACTING, *statuses]
    for cue in cues:
        for owner in _owners(text, cue.start, cue.weight, parties, statuses, attributions):
            owned.setdefault(owner.actor, []).append((cue, owner))

    proposals: list[_Proposal] = []
    for actor, actor_cues in owned.items():
        clause = _reaction_text(text, actor, owned, parties, statuses, rules)
        reactions = find_reactions(clause, actor, view, lexicon)
        by_cue = {reaction.cue: reaction for reaction in reactions}
        live = [(cue, owner) for cue, owner in actor_cues if not cue.negated]
        for cue, owner in actor_cues:
            cue_text = text[cue.start : cue.end]
            voice = _voice(owner, parties, statuses)
            speaker = _speaker_for(voice, parties, statuses)
            person = dict(
                actor=actor,
                speaker=speaker.name if speaker else "",
                speaker_role=speaker.role if speaker else voice.role,
                via=via,
                cue=cue_text,
                cue_start=cue.start,
            )
            if cue.procedural or (cue.negated and not live):
                # A negated cue alone ("did not condemn") says the actor did not take that stance: neutral.
                proposals.append(_Proposal(**person, stance=NEUTRAL, target="", mode="verbal"))
                continue
            reaction = by_cue.get(cue_text)
            if reaction is None and not cue.negated and cue.weight >= DOMINANT_MIN_SCORE:
                reaction = _own_reading(clause, cue, actor_cues, actor, view, lexicon)
            if reaction is None or cue.negated:
                continue
            targets = _nearest_before(clause, reaction.targets, cue.start, mentions, lexicon)
            inferred = not targets and reaction.stance in CONTEXT_TARGET_STANCES
            if inferred:
                filled = _context_target(reaction.stance, actor, context)
                targets = (filled,) if filled else ()
            code = resources.crosswalk.codes.get((reaction.stance, reaction.cue_type))
            mode = code.mode if code else "verbal"
            for target in targets or ("",):
                reach = min(
                    (m.start - cue.end for m in mentions if m.actor == target and m.start >= cue.end), default=len(text)
                )
                proposals.append(
                    _Proposal(
                        **person, stance=reaction.stance, target=target, mode=mode, inferred=inferred, reach=reach
                    )
                )
    _remember(text, parties, statuses, mentions, proposals, context, registry, lexicon, rules)
    return _deduplicated(proposals)


def _deduplicated(proposals: list[_Proposal]) -> list[_Proposal]:
    """One record per (actor, stance, target) in a sentence. Its cue is the one nearest before the target
    ("condemned the raid, and also criticized China": "criticized" for China), else the first; a named
    speaker found with any of them is kept."""
    kept: dict[tuple[str, str, str], _Proposal] = {}
    for proposal in sorted(proposals, key=lambda p: p.cue_start):
        key = (proposal.actor, proposal.stance, proposal.target)
        if key not in kept:
            kept[key] = proposal
            continue
        best = proposal if proposal.reach < kept[key].reach else kept[key]
        if not best.speaker:
            named = kept[key] if kept[key].speaker else proposal
            best = best._replace(speaker=named.speaker, speaker_role=named.speaker_role)
        kept[key] = best
    return sorted(kept.values(), key=lambda p: p.cue_start)


def _remember(
    text: str,
    parties: list[_Party],
    statuses: list[str],
    mentions: list[ActorMention],
    proposals: list[_Proposal],
    context: _Context,
    registry: Registry,
    lexicon: CueLexicon,
    rules: ExtractionRules,
) -> None:
    """What this sentence tells the next: the last person and institution, who reacted, which noun names
    whom, whom each actor last opposed, and who carried out the incident."""
    reacting = [p for p, s in zip(parties, statuses, strict=True) if s == REACTING]
    persons = [party for party in reacting if party.person]
    if persons:
        # "Sergey Lavrov, the Russian foreign minister": the named speaker, wherever the title stands.
        actor = persons[-1].actor
        named = [p.speaker for p in parties if p.speaker is not None and p.actor == actor]
        context.person = (actor, persons[-1].speaker or (named[-1] if named else None))
    for party in reacting:
        if not party.person:
            context.institution = (party.actor, party.role)
    for party in reacting:
        if not context.last_reactors or context.last_reactors[-1] != party.actor:
            context.last_reactors.append(party.actor)
    for mention in registry.find_actor_mentions(text):
        phrase = _noun_phrase(text, mention.start, mention.end, rules)
        role = _institution_role(phrase, rules)
        # "the Iranian government" -> "the government"; "the French Foreign Ministry" -> "the ministry".
        for word in _WORD.findall(phrase.lower())[1:]:
            if word in rules.anaphor_nouns:
                context.anaphors[word] = (mention.actor, role)
    for proposal in proposals:
        # Only targets the text names: a guess from context must not feed the next guess.
        if proposal.target and not proposal.inferred and proposal.stance in CONTEXT_TARGET_STANCES | {"call_for"}:
            context.hostile_target[proposal.actor] = proposal.target
    perpetrators = _perpetrators(normalise_quotes(text), mentions, lexicon)
    if perpetrators:
        context.perpetrator = perpetrators[-1]


def extract_records(
    text: str, resources: Resources, event: str, date: str, source: str, rules: ExtractionRules | None = None
) -> pd.DataFrame:
    """Proposed reaction records for an article, in RECORD_COLUMNS order: ids `{event}-x001`..., offsets
    into text (text[start:end] is the record's sentence), stance, target and cue filled. Pure: text and
    resources are only read. `date` (ISO) picks each speaker's role; `source` is copied to every record."""
    rules = rules or default_rules()
    lexicon = rules.lexicon(resources.lexicon)
    context = _Context()
    rows = []
    for sentence in segment_sentences(text, rules):
        for proposal in _read_sentence(sentence, resources, lexicon, date, context, rules):
            rows.append(
                {
                    "id": f"{event}-x{len(rows) + 1:0{ID_WIDTH}d}",
                    "event": event,
                    "date": date,
                    "actor": proposal.actor,
                    "speaker": proposal.speaker,
                    "speaker_role": proposal.speaker_role,
                    "via": proposal.via,
                    "stance": proposal.stance,
                    "target": proposal.target,
                    "mode": proposal.mode,
                    "text": sentence.text,
                    "cue": proposal.cue,
                    "source": source,
                    "start": sentence.start,
                    "end": sentence.end,
                }
            )
    table = pd.DataFrame(rows, columns=list(RECORD_COLUMNS))
    return table.astype({"start": "int64", "end": "int64"}) if len(table) else table

"""FROZEN REFERENCE, used only by tests/test_stance_engine.py: dashboard/stance.py as it was before the one-pass
matcher (main at fa526d5, with 9df8614's change to find_reactions), every cue rule run as its own regex over the whole text, several times per sentence.

The equivalence test reads every sentence we have with this and with the live engine and requires identical
readings, so the rewrite provably changed speed, not answers. When the stance rules are changed on purpose,
this copy no longer describes them: retire the comparison (or apply the same change here); the matcher's own
test (every rule's finditer against RuleIndex) stays valid for any lexicon and any rules.

Original module docstring:
The rule-based stance classifier: cue phrases from data/cue_lexicon.csv, with negation, intensity
modifiers, hedges and reported speech, plus detection of whom a stance is aimed at.

How a sentence is read:
1. Every cue phrase of the lexicon is matched; where matches overlap, the stronger (then longer) one stays.
2. A cue is negated when a negator ("not", "never", "refused", "declined", "n't") stands up to
   NEGATION_WINDOW words before it in the same clause, unless a deontic modal precedes the negator
   ("should not threaten" is a prohibition, so it still warns) or it reads "not only".
   A negated cue is no evidence for its stance: "did not condemn" alone is `neutral` with negated=True.
   A cue within NEGATED_OBJECT_REACH words after a negated cue, in its clause, is its object and is
   negated with it: "has not called for sanctions" threatens nothing.
3. An intensifier near the cue ("strongly", "deep", "grave", "in the strongest terms") multiplies its
   weight; a softener ("some", "slightly") divides it. The cue's score is weight x multiplier.
4. The dominant cue: the earliest cue whose score reaches DOMINANT_MIN_SCORE (the headline stance of a
   news sentence comes first); if none does, the highest-scoring cue. No live cue: `neutral`.
5. Hedges ("could", "appears", "if") and competing cues of other stances lower the confidence, never
   the label. Reporting verbs ("said", "told") are never cues; their subjects are sources, not targets.
6. Given the reacting actor, an explicit speech act whose grammatical subject is another named party
   ("NATO met at the request of Turkey, which called for ...") is that party's, not the actor's; so is
   a cue whose passive agent is another party ("rebels supported by X"), except conduct words, whose
   agent is the accused ("a plot orchestrated by X" still accuses X).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, Protocol

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
# Negation reaches three words back: "did not yet condemn", "refused to openly condemn".
NEGATION_WINDOW = 3
# A negated verb's object stays negated: "has not called for new sanctions" does not threaten sanctions.
# A cue this many words or fewer after a negated cue, in the same clause, is negated with it.
NEGATED_OBJECT_REACH = 3
# "supported by Turkey", "condemned by Moscow": a party named this many words after "by" is the agent.
PASSIVE_AGENT_REACH = 3
# Intensifiers sit right before a cue ("deeply shocked", "their utmost concern") ...
INTENSIFIER_BEFORE = 3
# ... or, for adverbs and "in the strongest terms", just after it ("condemns in the strongest terms").
INTENSIFIER_AFTER = 4
# A cue this strong is explicit enough to be the headline stance even when a stronger one follows.
DOMINANT_MIN_SCORE = 0.75
# Keeps a lone explicit cue's confidence below 1: rules can still misread (weight 1.0 -> about 0.87).
CONFIDENCE_PRIOR = 0.15
# How much a competing cue of another stance counts against the winner (half: it is usually a second,
# compatible reaction in the same sentence, not a contradiction).
COMPETING_CUE_SHARE = 0.5
# No cue at all: a coin toss between "truly neutral" and "a stance our lexicon does not know".
NO_CUE_CONFIDENCE = 0.5
# Only negated cues: "did not condemn" is fairly clearly not that stance.
NEGATED_ONLY_CONFIDENCE = 0.6
# Scores above this add nothing to confidence ("in the strongest terms" is as sure as it gets).
MAX_SCORE_FOR_CONFIDENCE = 1.5

# Weight 1.0 marks an explicit performative (condemn, deny, call on): a speech act whose grammatical
# subject is the party reacting. Weaker cues ("violated", "bears responsibility") often name the accused.
PERFORMATIVE_WEIGHT = 1.0

NEUTRAL_CUE_TYPE = "make_statement"
# Before a negator these make a prohibition or a directive, not a negation: "should not threaten".
DEONTIC_MODALS = frozenset({"should", "must", "need", "ought", "shall"})
DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our"})
# Words that end the noun phrase after a mention: "Turkey over the killing" does not make Turkey the killer.
FUNCTION_WORDS = DETERMINERS | frozenset(
    {"of", "to", "in", "on", "for", "with", "and", "or", "over", "after", "before", "at", "by", "from", "about"}
    | {"that", "which", "who", "as", "is", "was", "has", "had", "have", "were", "are", "will", "would"}
)
# Stances whose target is the party acted against: a victim named after "attack on" is not the target.
HOSTILE_TARGET_STANCES = frozenset({"condemn", "warn", "deny", "call_for"})
# Stances whose target is the party backed or consoled: a perpetrator ("by X", "X attack") is not.
CORDIAL_STANCES = frozenset({"support", "condolence"})
VICTIM_PREPOSITIONS = frozenset({"on", "against", "at", "targeting", "toward", "towards"})
# An "attack ... on X" pattern counts when the event noun is this close before the preposition.
VICTIM_EVENT_REACH = 8
# "X attack", "X's military strikes": an event noun this close after X makes X the perpetrator.
PERPETRATOR_EVENT_REACH = 2
# "X said", "X's foreign ministry said": a reporting verb this close after X makes X a source.
SOURCE_REACH = 4
# Characters of context read either side of a cue or mention: more than any window above needs.
CONTEXT_CHARS = 200

_WORD = re.compile(r"\w[\w'-]*")
# Words in a phrase may be separated by spaces, quotes, commas or hyphens, but not a sentence break.
_SEP = r"[^\w.;:!?]+"
# Between a party's name and the verb it governs: a title and name ("Turkish President Recep Tayyip
# Erdogan"), a possessive office ("Russia's foreign ministry"), ", which" / ", who", auxiliaries, adverbs.
_SUBJECT_GAP = re.compile(
    r"^(?:'s)?(?:\s+(?:[A-Z][\w'-]*|foreign|defence|defense|ministry|government|spokesman|spokeswoman|army|military)){0,5}"
    r"\s*,?\s*(?:(?:which|who)\s+)?(?:(?:also|has|have|had|is|was|earlier|previously|then|later|already|itself|\w+ly)\s+){0,3}$"
)
# Coordinated subjects share the verb: "The United States and NATO condemned".
_COORDINATION = re.compile(r"^\s*(?:,\s*|\s+and\s+|,\s*and\s+)(?:the\s+)?$", re.IGNORECASE)
_NEW_CLAUSE = re.compile(r"\b(?:and|while|whereas)\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:.!?()\"“”]|\bbut\b", re.IGNORECASE)


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


class CueMatch(NamedTuple):
    """One cue found in a text: where, what it signals, and how it is modified."""

    stance: str
    cue_type: str
    text: str
    start: int
    end: int
    weight: float
    negated: bool
    modifier: str
    modifier_weight: float
    phrase: str

    @property
    def score(self) -> float:
        return 0.0 if self.negated else self.weight * self.modifier_weight


class StancePrediction(NamedTuple):
    """The classifier's reading of one text."""

    stance: str
    cue: str  # exact substring of the text; "" when no cue was found
    cue_type: str
    confidence: float
    negated: bool
    modifier: str
    modifier_weight: float = 1.0
    hedged: bool = False
    reported: bool = False
    cue_start: int = -1
    cue_end: int = -1


class _PartyMention(NamedTuple):
    """A party named in the text: an actor alias, or a speaker standing for their actor."""

    actor: str
    alias: str
    start: int
    end: int


class _Registry(Protocol):
    def resolve_actor(self, name: str) -> str | None: ...
    def find_actor_mentions(self, text: str) -> list: ...


def normalise_quotes(text: str) -> str:
    """Curly apostrophes to straight ones; same length, so offsets still point into the original."""
    return text.replace("’", "'").replace("‘", "'").replace("`", "'")


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


def _clause_tail(text: str) -> str:
    """The part of text after its last clause break: the words that can still modify what follows."""
    breaks = list(_CLAUSE_BREAK.finditer(text))
    return text[breaks[-1].end() :] if breaks else text


def _clause_head(text: str) -> str:
    match = _CLAUSE_BREAK.search(text)
    return text[: match.start()] if match else text


def _is_negator(word: str, negators: frozenset[str]) -> bool:
    return word in negators or word.endswith("n't")


def _negated(text: str, start: int, end: int, lexicon: CueLexicon) -> bool:
    tail = _clause_tail(text[max(0, start - CONTEXT_CHARS) : start])
    for rule in lexicon.negator_phrases:
        for match in rule.pattern.finditer(tail):
            if len(_WORD.findall(tail[match.end() :])) < NEGATION_WINDOW:
                return True
    before = _WORD.findall(tail.lower())
    window = before[-NEGATION_WINDOW:]
    offset = len(before) - len(window)
    for index, word in enumerate(window):
        if not _is_negator(word, lexicon.negators):
            continue
        previous = before[offset + index - 1] if offset + index > 0 else ""
        following = window[index + 1] if index + 1 < len(window) else ""
        if previous in DEONTIC_MODALS or word.removesuffix("n't") in DEONTIC_MODALS or following == "only":
            continue
        return True
    # A gap inside the phrase may hide a negator: "expressed no concern".
    return any(_is_negator(word, lexicon.negators) for word in _WORD.findall(text[start:end].lower()))


def _rule_matches(rules: tuple[CueRule, ...], text: str) -> list[tuple[CueRule, re.Match[str]]]:
    return [(rule, match) for rule in rules for match in rule.pattern.finditer(text)]


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
            and not re.search(r"[.;!?]", text[end : match.start()])
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


def find_cues(text: str, lexicon: CueLexicon) -> list[CueMatch]:
    """Every cue in text, left to right; where two overlap the stronger (then longer) is kept."""
    text = normalise_quotes(str(text))
    found = _rule_matches(lexicon.cues, text)
    found.sort(key=lambda item: (-item[0].weight, -(item[1].end() - item[1].start()), item[1].start()))
    kept: list[tuple[CueRule, re.Match[str]]] = []
    for rule, match in found:
        if all(match.end() <= other.start() or match.start() >= other.end() for _, other in kept):
            kept.append((rule, match))
    intensifiers = _rule_matches(lexicon.intensifiers, text)
    cues: list[CueMatch] = []
    for rule, match in sorted(kept, key=lambda item: item[1].start()):
        start, end = match.start(), match.end()
        modifier, modifier_weight = _modifier(text, start, end, intensifiers)
        negated = rule.negatable and (
            _negated(text, start, end, lexicon) or bool(cues and _in_negated_object(text, cues[-1], start))
        )
        cues.append(
            CueMatch(
                rule.stance,
                rule.cue_type,
                match.group(0),
                start,
                end,
                rule.weight,
                negated,
                modifier,
                modifier_weight,
                rule.phrase,
            )
        )
    return cues


def dominant_cue(cues: list[CueMatch]) -> CueMatch | None:
    """The earliest cue scoring at least DOMINANT_MIN_SCORE, else the highest-scoring live cue."""
    live = [cue for cue in cues if not cue.negated]
    if not live:
        return None
    strong = [cue for cue in live if cue.score >= DOMINANT_MIN_SCORE]
    if strong:
        return min(strong, key=lambda cue: cue.start)
    return max(live, key=lambda cue: (cue.score, -cue.start))


def _refine_cue_type(text: str, cue: CueMatch, lexicon: CueLexicon) -> str:
    """For call_for: what is called for (a ceasefire, an inquiry, talks) sharpens the CAMEO code."""
    if cue.stance != "call_for":
        return cue.cue_type
    after = _clause_head(text[cue.end :]) if cue.end < len(text) else ""
    window_end = cue.end + len(after) + 1
    hits = [(match.start(), rule) for rule, match in _rule_matches(lexicon.objects, text[: window_end + 1])]
    hits = sorted((start, rule) for start, rule in hits if start >= cue.start)
    for _, rule in hits:
        refined = f"{cue.cue_type}_{rule.cue_type}"
        if (cue.stance, refined) in lexicon.known_cue_types:
            return refined
    return cue.cue_type


def _subject_chain(text: str, mentions: list[_PartyMention], cue_start: int) -> set[str]:
    """Parties named as the grammatical subject right before a cue: "Turkey, which also called for",
    "Turkish President Erdogan has condemned", "The United States and NATO condemned"."""
    before = [mention for mention in mentions if mention.end <= cue_start]
    if not before or not _SUBJECT_GAP.match(text[before[-1].end : cue_start]):
        return set()
    chain = [before[-1]]
    # "Russia's Security Council have voiced": the possessor speaks, not the body's other owner.
    if len(before) > 1 and re.fullmatch(r"'s\s+", text[before[-2].end : before[-1].start]):
        chain = [before[-2]]
    for mention in reversed(before[: before.index(chain[0])]):
        if not _COORDINATION.match(text[mention.end : chain[-1].start]):
            break
        chain.append(mention)
    return {mention.actor for mention in chain}


def _cues_of_actor(text: str, cues: list[CueMatch], actor: str, registry: _Registry) -> list[CueMatch]:
    """Drop speech-act cues whose subject is another party: in "NATO met at the request of Turkey, which
    called for a no-fly zone", the call is Turkey's, not NATO's."""
    own = _own_actors(actor, registry)
    mentions = _party_mentions(text, registry)
    kept = []
    for cue in cues:
        subjects = _subject_chain(text, mentions, cue.start) if cue.weight >= PERFORMATIVE_WEIGHT else set()
        if subjects and not subjects & own:
            continue
        # Weaker condemn cues describe the accused's conduct ("orchestrated by X", "committed by X"): there the
        # agent is the accused, and the accusation is still the actor's.
        conduct = cue.stance == "condemn" and cue.weight < PERFORMATIVE_WEIGHT
        agent = "" if conduct else _passive_agent(text, mentions, cue.end)
        if agent and agent not in own:
            continue
        kept.append(cue)
    return kept


def _passive_agent(text: str, mentions: list[_PartyMention], cue_end: int) -> str:
    """The party after "by" right behind a cue ("supported by Turkey", "condemned by not only Moscow"): the one
    who took that stance, so it is not the reacting actor's unless it names the actor."""
    by = re.match(r"\s+by\s+", text[cue_end:])
    if not by:
        return ""
    after = cue_end + by.end()
    for mention in mentions:
        if mention.start >= after:
            gap = _WORD.findall(text[after : mention.start])
            return (
                mention.actor
                if len(gap) <= PASSIVE_AGENT_REACH and not _CLAUSE_BREAK.search(text[after : mention.start])
                else ""
            )
    return ""


def classify_stance(
    text: str, lexicon: CueLexicon | None = None, actor: str = "", registry: _Registry | None = None
) -> StancePrediction:
    """The dominant stance of one sentence, with the cue that decided it and a confidence in 0..1.

    Given the reacting actor and the registry, speech-act cues voiced by another named party are ignored.
    """
    lexicon = lexicon or default_lexicon()
    text = str(text)
    normalised = normalise_quotes(text)
    cues = find_cues(normalised, lexicon)
    if actor and registry is not None:
        cues = _cues_of_actor(normalised, cues, actor, registry)
    hedge_factor = min((rule.weight for rule, _ in _rule_matches(lexicon.hedges, normalised)), default=1.0)
    reported = bool(_rule_matches(lexicon.reporting, normalised))
    best = dominant_cue(cues)
    if best is None:
        negated = [cue for cue in cues if cue.negated]
        if negated:
            first = negated[0]
            return StancePrediction(
                "neutral",
                text[first.start : first.end],
                NEUTRAL_CUE_TYPE,
                NEGATED_ONLY_CONFIDENCE,
                True,
                "",
                1.0,
                hedge_factor < 1.0,
                reported,
                first.start,
                first.end,
            )
        return StancePrediction(
            "neutral", "", NEUTRAL_CUE_TYPE, NO_CUE_CONFIDENCE, False, "", 1.0, hedge_factor < 1.0, reported
        )
    score = min(best.score, MAX_SCORE_FOR_CONFIDENCE)
    competing = max((cue.score for cue in cues if cue.stance != best.stance), default=0.0)
    confidence = score / (score + COMPETING_CUE_SHARE * competing + CONFIDENCE_PRIOR) * hedge_factor
    return StancePrediction(
        best.stance,
        text[best.start : best.end],
        _refine_cue_type(normalised, best, lexicon),
        round(max(0.0, min(1.0, confidence)), 3),
        False,
        best.modifier,
        best.modifier_weight,
        hedge_factor < 1.0,
        reported,
        best.start,
        best.end,
    )


def _party_mentions(text: str, registry: _Registry) -> list[_PartyMention]:
    """Actors named in text, directly or through a known speaker ("Erdogan's decision" names Turkey)."""
    mentions = [_PartyMention(m.actor, m.alias, m.start, m.end) for m in registry.find_actor_mentions(text)]
    find_speakers = getattr(registry, "find_speaker_mentions", None)
    # A registry without speakers has nothing to find (and an empty alias pattern would match everywhere).
    if find_speakers is not None and getattr(registry, "speakers", ()):
        mentions += [_PartyMention(m.speaker.actor, m.alias, m.start, m.end) for m in find_speakers(text)]
    kept: list[_PartyMention] = []
    for mention in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if not kept or mention.start >= kept[-1].end:
            kept.append(mention)
    return kept


def _own_actors(actor: str, registry: _Registry) -> set[str]:
    names = {part.strip() for part in str(actor).split(";") if part.strip()}
    return names | {registry.resolve_actor(name) or name for name in names}


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
        if word in FUNCTION_WORDS - {"has", "had", "have", "was", "is"}:
            break
        head_words.append(word)
    head = " ".join(head_words)
    tail = " ".join(before[-2:])
    if any(rule.pattern.search(head) for rule in lexicon.reporting) or tail == "according to":
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
    if previous in VICTIM_PREPOSITIONS | {"of"} and any(
        word in lexicon.event_words for word in before[-VICTIM_EVENT_REACH - 1 : -1]
    ):
        return "victim"
    return ""


def _region_end(text: str, cue_end: int, stance: str, lexicon: CueLexicon) -> int:
    """Where the words about this cue's target end: at a reporting verb ("..., Obama said with X"), or at
    an explicit cue of another stance that opens a new clause ("condemned X, and stood next to Y").
    Weak evaluative cues inside the object ("saddened by the 'malicious' attack on X") do not end it."""
    ends = [match.start() for _, match in _rule_matches(lexicon.reporting, text) if match.start() >= cue_end]
    ends += [
        found.start
        for found in find_cues(text, lexicon)
        if found.start >= cue_end
        and found.stance != stance
        and found.score >= DOMINANT_MIN_SCORE
        and (_CLAUSE_BREAK.search(text[cue_end : found.start]) or _NEW_CLAUSE.search(text[cue_end : found.start]))
    ]
    return min(ends, default=len(text))


def _keeps(stance: str, role: str) -> bool:
    if role in ("place", "source"):
        return False
    if stance in HOSTILE_TARGET_STANCES:
        return role != "victim"
    if stance in CORDIAL_STANCES:
        return role != "perpetrator"
    if stance == "concern":
        return role == "perpetrator"
    return False


def detect_targets(
    text: str,
    actor: str,
    registry: _Registry,
    stance: str,
    cue: str = "",
    lexicon: CueLexicon | None = None,
) -> list[str]:
    """Canonical names of the parties a stance is aimed at, in order of mention; [] for neutral or "all sides".

    Prefers parties named after the cue and before the next cue of another stance; falls back to those
    named before the cue. Excludes the reacting actor(s), places ("in Syria"), sources ("Moscow said"),
    victims for hostile stances ("attack on Turkish troops") and perpetrators for cordial ones.
    """
    if stance not in STANCES or stance == "neutral":
        return []
    lexicon = lexicon or default_lexicon()
    text = normalise_quotes(str(text))
    own = _own_actors(actor, registry)
    candidates = [
        mention
        for mention in _party_mentions(text, registry)
        if mention.actor not in own and _keeps(stance, _mention_role(text, mention, lexicon))
    ]
    cue_start = text.find(normalise_quotes(cue)) if cue else -1
    if cue_start >= 0:
        cue_end = cue_start + len(cue)
        stop = _region_end(text, cue_end, stance, lexicon)
        after = [mention for mention in candidates if cue_start <= mention.start < stop]
        first = after[0].start if after else stop
        if any(cue_start <= match.start() < first for _, match in _rule_matches(lexicon.all_parties, text[:stop])):
            return []
        candidates = after or [mention for mention in candidates if mention.start < cue_start]
    return list(dict.fromkeys(mention.actor for mention in candidates))


class Reaction(NamedTuple):
    """One stance a sentence expresses, with the cue that carries it and its targets."""

    stance: str
    cue: str
    cue_type: str
    targets: tuple[str, ...]
    modifier: str


def find_reactions(text: str, actor: str, registry: _Registry, lexicon: CueLexicon | None = None) -> list[Reaction]:
    """Every stance the actor takes in a sentence, in order, one per stance: how a sentence with several
    curated records ("called on X ..., voiced deep concern, stood next to Y") reads cue by cue."""
    lexicon = lexicon or default_lexicon()
    normalised = normalise_quotes(str(text))
    cues = [
        cue for cue in _cues_of_actor(normalised, find_cues(normalised, lexicon), actor, registry) if not cue.negated
    ]
    reactions: dict[str, Reaction] = {}
    for cue in cues:
        # Weak cues count only when no strong cue is there ("reckless and illegal" is two weak cues, one stance).
        if cue.stance in reactions or (
            cue.score < DOMINANT_MIN_SCORE and any(c.score >= DOMINANT_MIN_SCORE for c in cues)
        ):
            continue
        cue_text = str(text)[cue.start : cue.end]
        targets = detect_targets(str(text), actor, registry, cue.stance, cue_text, lexicon)
        reactions[cue.stance] = Reaction(
            cue.stance, cue_text, _refine_cue_type(normalised, cue, lexicon), tuple(targets), cue.modifier
        )
    return list(reactions.values())

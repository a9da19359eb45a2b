"""The rule-based stance classifier: cue phrases from data/cue_lexicon.csv, with negation, intensity
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

import re
import weakref
from itertools import pairwise
from typing import NamedTuple, Protocol

from dashboard import codebook
from dashboard.cue_context import _CLAUSE_BREAK as _CLAUSE_BREAK
from dashboard.cue_context import (
    _NEW_CLAUSE,
    _WORD,
    _clause_head,
    _in_negated_object,
    _modifier,
    _negated,
)
from dashboard.cue_context import CONTEXT_CHARS as CONTEXT_CHARS
from dashboard.cue_context import DEONTIC_MODALS as DEONTIC_MODALS
from dashboard.cue_context import INTENSIFIER_AFTER as INTENSIFIER_AFTER
from dashboard.cue_context import INTENSIFIER_BEFORE as INTENSIFIER_BEFORE
from dashboard.cue_context import NEGATED_OBJECT_REACH as NEGATED_OBJECT_REACH
from dashboard.cue_context import NEGATION_WINDOW as NEGATION_WINDOW
from dashboard.cue_context import _clause_tail as _clause_tail
from dashboard.cue_context import normalise_quotes as normalise_quotes
from dashboard.lexicon import GAP_WORDS as GAP_WORDS
from dashboard.lexicon import INDEXED_GROUPS, CueLexicon, CueRule, RuleMatches, default_lexicon
from dashboard.lexicon import KINDS as KINDS
from dashboard.lexicon import LEXICON_COLUMNS as LEXICON_COLUMNS
from dashboard.lexicon import LEXICON_PATH as LEXICON_PATH
from dashboard.lexicon import compile_phrase as compile_phrase
from dashboard.lexicon import load_cue_lexicon as load_cue_lexicon
from dashboard.mention_roles import DETERMINERS as DETERMINERS
from dashboard.mention_roles import FUNCTION_WORDS as FUNCTION_WORDS
from dashboard.mention_roles import HOSTILE_TARGET_STANCES as HOSTILE_TARGET_STANCES
from dashboard.mention_roles import PERPETRATOR_EVENT_REACH as PERPETRATOR_EVENT_REACH
from dashboard.mention_roles import SOURCE_REACH as SOURCE_REACH
from dashboard.mention_roles import VICTIM_EVENT_REACH as VICTIM_EVENT_REACH
from dashboard.mention_roles import VICTIM_PREPOSITIONS as VICTIM_PREPOSITIONS
from dashboard.mention_roles import _keeps, _mention_role
from dashboard.targets import parse_targets

# "supported by Turkey", "condemned by Moscow": a party named this many words after "by" is the agent.
PASSIVE_AGENT_REACH = 3
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

# Between a party's name and the verb it governs: a title and name ("Turkish President Recep Tayyip
# Erdogan"), a possessive office ("Russia's foreign ministry"), ", which" / ", who", auxiliaries, adverbs.
_SUBJECT_GAP = re.compile(
    r"^(?:'s)?(?:\s+(?:[A-Z][\w'-]*|foreign|defence|defense|ministry|government|spokesman|spokeswoman|army|military)){0,5}"
    r"\s*,?\s*(?:(?:which|who)\s+)?(?:(?:also|has|have|had|is|was|earlier|previously|then|later|already|itself|\w+ly)\s+){0,3}$"
)
# Coordinated subjects share the verb: "The United States and NATO condemned".
_COORDINATION = re.compile(r"^\s*(?:,\s*|\s+and\s+|,\s*and\s+)(?:the\s+)?$", re.IGNORECASE)
# The rule groups of the one-scan matcher, by their place in INDEXED_GROUPS; the first four are read on the
# whole text, the last two on a part of it.
_CUES, _INTENSIFIERS, _HEDGES, _REPORTING, _OBJECTS, _ALL_PARTIES = (
    INDEXED_GROUPS.index(group) for group in ("cues", "intensifiers", "hedges", "reporting", "objects", "all_parties")
)
_POSSESSIVE_GAP = re.compile(r"'s\s+")
_PASSIVE_BY = re.compile(r"\s+by\s+")


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


class _Scan:
    """One normalised sentence read once: every rule match (one pass, see dashboard/lexicon.py), its cues, and
    per registry its party mentions and their roles. Stance, cue type, intensity and targets all read from it."""

    def __init__(self, text: str, lexicon: CueLexicon):
        self.text = text
        self.lexicon = lexicon
        self._spots = lexicon.index.spots(text)
        found = lexicon.index.matches(text, self._spots, groups=(_CUES, _INTENSIFIERS, _HEDGES, _REPORTING))
        self._before: dict[tuple[int, int], RuleMatches] = {}
        self.cue_matches = found[_CUES]
        self.intensifier_matches = found[_INTENSIFIERS]
        self.hedge_matches = found[_HEDGES]
        self.reporting_matches = found[_REPORTING]
        self._cues: list[CueMatch] | None = None
        self._mentions: dict[int, tuple[_Registry, list[_PartyMention]]] = {}
        self._roles: dict[_PartyMention, str] = {}
        self._own: dict[tuple[str, int], frozenset[str]] = {}
        self._actor_cues: dict[tuple[str, int], list[CueMatch]] = {}
        self._targets: dict[tuple[str, int, str, str], list[str]] = {}

    def matches_before(self, group: int, endpos: int) -> RuleMatches:
        """What the group's rules find in text[:endpos] (a match may end differently there)."""
        key = (group, endpos)
        found = self._before.get(key)
        if found is None:
            found = self._before[key] = self.lexicon.index.matches_before(self.text, self._spots, group, endpos)
        return found

    def cues(self) -> list[CueMatch]:
        if self._cues is None:
            self._cues = _find_cues(self)
        return self._cues

    def mentions(self, registry: _Registry) -> list[_PartyMention]:
        # Keyed by identity, with the registry held, so a key never names another registry.
        known = self._mentions.get(id(registry))
        if known is None:
            known = self._mentions[id(registry)] = (registry, _party_mentions(self.text, registry))
        return known[1]

    def own(self, actor: str, registry: _Registry) -> frozenset[str]:
        """_own_actors, once per actor (the registry is the one mentions() holds)."""
        key = (actor, id(registry))
        own = self._own.get(key)
        if own is None:
            self.mentions(registry)
            own = self._own[key] = _own_actors(actor, registry)
        return own

    def actor_cues(self, actor: str, registry: _Registry) -> list[CueMatch]:
        """_cues_of_actor over all the cues, once per actor."""
        key = (actor, id(registry))
        cues = self._actor_cues.get(key)
        if cues is None:
            cues = self._actor_cues[key] = _cues_of_actor(self, self.cues(), actor, registry)
        return cues

    def targets(self, actor: str, registry: _Registry, stance: str, cue: str) -> list[str]:
        """_detect_targets, once per (actor, stance, cue): the headline stance is usually a reaction too."""
        key = (actor, id(registry), stance, cue)
        targets = self._targets.get(key)
        if targets is None:
            self.mentions(registry)
            targets = self._targets[key] = _detect_targets(self, actor, registry, stance, cue)
        return list(targets)

    def role(self, mention: _PartyMention) -> str:
        role = self._roles.get(mention)
        if role is None:
            role = self._roles[mention] = _mention_role(self.text, mention, self.lexicon)
        return role


def find_cues(text: str, lexicon: CueLexicon) -> list[CueMatch]:
    """Every cue in text, left to right; where two overlap the stronger (then longer) is kept."""
    return _Scan(normalise_quotes(str(text)), lexicon).cues()


def _find_cues(scan: _Scan) -> list[CueMatch]:
    text, lexicon = scan.text, scan.lexicon
    found = list(scan.cue_matches)
    found.sort(key=lambda item: (-item[0].weight, -(item[1].end() - item[1].start()), item[1].start()))
    kept: list[tuple[CueRule, re.Match[str]]] = []
    for rule, match in found:
        if all(match.end() <= other.start() or match.start() >= other.end() for _, other in kept):
            kept.append((rule, match))
    intensifiers = scan.intensifier_matches
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


def _refine_cue_type(scan: _Scan, cue: CueMatch) -> str:
    """For call_for: what is called for (a ceasefire, an inquiry, talks) sharpens the CAMEO code."""
    if cue.stance != "call_for":
        return cue.cue_type
    text, lexicon = scan.text, scan.lexicon
    after = _clause_head(text[cue.end :]) if cue.end < len(text) else ""
    window_end = cue.end + len(after) + 1
    hits = [(match.start(), rule) for rule, match in scan.matches_before(_OBJECTS, window_end + 1)]
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
    if len(before) > 1 and _POSSESSIVE_GAP.fullmatch(text, before[-2].end, before[-1].start):
        chain = [before[-2]]
    for mention in reversed(before[: before.index(chain[0])]):
        if not _COORDINATION.match(text[mention.end : chain[-1].start]):
            break
        chain.append(mention)
    return {mention.actor for mention in chain}


def _cues_of_actor(scan: _Scan, cues: list[CueMatch], actor: str, registry: _Registry) -> list[CueMatch]:
    """Drop speech-act cues whose subject is another party: in "NATO met at the request of Turkey, which
    called for a no-fly zone", the call is Turkey's, not NATO's."""
    if not cues:
        return []  # no cue to attribute: the party mentions are not needed yet
    text = scan.text
    own = scan.own(actor, registry)
    mentions = scan.mentions(registry)
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
    by = _PASSIVE_BY.match(text, cue_end)
    if not by:
        return ""
    after = by.end()
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
    text = str(text)
    return _classify(text, _Scan(normalise_quotes(text), lexicon or default_lexicon()), actor, registry)


def _classify(text: str, scan: _Scan, actor: str, registry: _Registry | None) -> StancePrediction:
    cues = scan.cues()
    if actor and registry is not None:
        cues = scan.actor_cues(actor, registry)
    hedge_factor = min((rule.weight for rule, _ in scan.hedge_matches), default=1.0)
    reported = bool(scan.reporting_matches)
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
        _refine_cue_type(scan, best),
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
    speakers = []
    if find_speakers is not None and getattr(registry, "speakers", ()):
        speakers = [_PartyMention(m.speaker.actor, m.alias, m.start, m.end) for m in find_speakers(text)]
    if not speakers and all(one.end <= other.start for one, other in pairwise(mentions)):
        return mentions  # already in order and apart (the registry's matches are): the loop below keeps all
    mentions += speakers
    kept: list[_PartyMention] = []
    for mention in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if not kept or mention.start >= kept[-1].end:
            kept.append(mention)
    return kept


# _own_actors' answers across sentences (a corpus repeats its actors), per registry (weakly held: a registry
# made for one context goes when it is no longer used); bounded, for corpora with a new name on every row.
_OWN_ACTORS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
OWN_ACTORS_LIMIT = 10_000


def _own_actors(actor: str, registry: _Registry) -> frozenset[str]:
    try:
        known = _OWN_ACTORS.setdefault(registry, {})
    except TypeError:  # a registry that cannot be weakly referenced or hashed: no cache
        known = {}
    own = known.get(actor)
    if own is None:
        names = set(parse_targets(actor))  # "A; B": several actors reacting together, a name list like targets
        own = frozenset(names | {registry.resolve_actor(name) or name for name in names})
        if len(known) < OWN_ACTORS_LIMIT:
            known[actor] = own
    return own


def _region_end(scan: _Scan, cue_end: int, stance: str) -> int:
    """Where the words about this cue's target end: at a reporting verb ("..., Obama said with X"), or at
    an explicit cue of another stance that opens a new clause ("condemned X, and stood next to Y").
    Weak evaluative cues inside the object ("saddened by the 'malicious' attack on X") do not end it."""
    text = scan.text
    ends = [match.start() for _, match in scan.reporting_matches if match.start() >= cue_end]
    ends += [
        found.start
        for found in scan.cues()
        if found.start >= cue_end
        and found.stance != stance
        and found.score >= DOMINANT_MIN_SCORE
        and (_CLAUSE_BREAK.search(text[cue_end : found.start]) or _NEW_CLAUSE.search(text[cue_end : found.start]))
    ]
    return min(ends, default=len(text))


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
    if stance not in codebook.stances() or stance == "neutral":
        return []
    return _detect_targets(
        _Scan(normalise_quotes(str(text)), lexicon or default_lexicon()), actor, registry, stance, cue
    )


def _detect_targets(scan: _Scan, actor: str, registry: _Registry, stance: str, cue: str) -> list[str]:
    if stance == "neutral" or stance not in codebook.stances():
        return []
    text = scan.text
    own = scan.own(actor, registry)
    candidates = [
        mention
        for mention in scan.mentions(registry)
        if mention.actor not in own and _keeps(stance, scan.role(mention))
    ]
    if not candidates:
        return []  # whatever the cue's region holds, no party is left to aim at
    cue_start = text.find(normalise_quotes(cue)) if cue else -1
    if cue_start >= 0:
        cue_end = cue_start + len(cue)
        stop = _region_end(scan, cue_end, stance)
        after = [mention for mention in candidates if cue_start <= mention.start < stop]
        first = after[0].start if after else stop
        if any(cue_start <= match.start() < first for _, match in scan.matches_before(_ALL_PARTIES, stop)):
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
    text = str(text)
    return _find_reactions(text, _Scan(normalise_quotes(text), lexicon or default_lexicon()), actor, registry)


def _find_reactions(text: str, scan: _Scan, actor: str, registry: _Registry) -> list[Reaction]:
    cues = [cue for cue in scan.actor_cues(actor, registry) if not cue.negated]
    reactions: dict[str, Reaction] = {}
    strong_cue_found = any(c.score >= DOMINANT_MIN_SCORE for c in cues)
    for cue in cues:
        # Weak cues count only when no strong cue is there ("reckless and illegal" is two weak cues, one stance).
        if cue.stance in reactions or (cue.score < DOMINANT_MIN_SCORE and strong_cue_found):
            continue
        cue_text = text[cue.start : cue.end]
        targets = scan.targets(actor, registry, cue.stance, cue_text)
        reactions[cue.stance] = Reaction(
            cue.stance, cue_text, _refine_cue_type(scan, cue), tuple(targets), cue.modifier
        )
    return list(reactions.values())


class SentenceReading(NamedTuple):
    """Everything scoring needs from one (sentence, actor): the headline stance, its targets, every reaction."""

    prediction: StancePrediction
    targets: list[str]
    reactions: list[Reaction]


def read_sentence(text: str, actor: str, registry: _Registry, lexicon: CueLexicon | None = None) -> SentenceReading:
    """classify_stance, detect_targets (of its stance and cue) and find_reactions over one reading of the text:
    the rules, cues and party mentions are found once and shared."""
    text = str(text)
    scan = _Scan(normalise_quotes(text), lexicon or default_lexicon())
    prediction = _classify(text, scan, actor, registry)
    return SentenceReading(
        prediction,
        scan.targets(actor, registry, prediction.stance, prediction.cue),
        _find_reactions(text, scan, actor, registry),
    )

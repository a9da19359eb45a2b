"""The parties named in a sentence: actors, speakers, anaphors and pronouns, news agencies as carriers."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from dashboard.extract.rules import (
    _WORD,
    ExtractionRules,
)
from dashboard.registry import ActorMention, Registry, Speaker


class _Party(NamedTuple):
    """A party named in a sentence (offsets within the sentence)."""

    actor: str
    start: int
    end: int
    speaker: Speaker | None
    role: str  # institution role ("Ministry of Defence") when an institution is named
    person: bool  # a person (speaker or "he"), not an institution
    from_context: bool = False  # "he", "the minister", "it", "the ministry": resolved from earlier sentences


@dataclass
class _Context:
    """What earlier sentences tell the next one: who spoke last, what "the ministry" refers to."""

    person: tuple[str, Speaker | None] | None = None  # (actor, speaker if known) of the last person speaking
    institution: tuple[str, str] | None = None  # (actor, role)
    anaphors: dict[str, tuple[str, str]] = field(default_factory=dict)  # noun -> (actor, role)
    last_reactors: list[str] = field(default_factory=list)
    hostile_target: dict[str, str] = field(default_factory=dict)
    perpetrator: str = ""
    organisation: str = ""  # the last international organisation named: "the bloc" refers to it
    own_forces: str = ""  # in a coup article, the state "the army" and "the junta" belong to
    people: dict[str, Speaker] = field(default_factory=dict)  # people the article introduces (extract.people)
    people_pattern: re.Pattern[str] | None = None
    # Over the whole article: who is held responsible for the incident, and where it happened (counts).
    blamed: Counter = field(default_factory=Counter)
    places: Counter = field(default_factory=Counter)
    doers: Counter = field(default_factory=Counter)  # named as doing it, not only accused
    deniers: set[str] = field(default_factory=set)


class _SentenceRegistry:
    """The registry, plus this sentence's anaphors ("the government" -> the actor named with it) as actor mentions; for the classifier."""

    def __init__(
        self, registry: Registry, anaphors: list[ActorMention], on_date: str, hosts: tuple[tuple[int, int], ...] = ()
    ):
        self._registry = registry
        self._anaphors = anaphors
        self._date = on_date
        self._hosts = hosts  # where a diplomatic post is posted ("the embassy in Lima"): not a party
        self.speakers = registry.speakers

    def resolve_actor(self, name: str) -> str | None:
        return self._registry.resolve_actor(name)

    def find_actor_mentions(self, text: str) -> list[ActorMention]:
        found = [m for m in self._registry.find_actor_mentions(text) if (m.start, m.end) not in self._hosts]
        extra = [m for m in self._anaphors if text[m.start : m.end] == m.alias]
        return _non_overlapping(found + [m for m in extra if not any(_overlaps(m, f) for f in found)])

    def find_speaker_mentions(self, text: str, on_date: str | None = None):
        return _in_office(self._registry.find_speaker_mentions(text, on_date or self._date), on_date or self._date)


def _out_of_office(text: str, start: int, end: int, rules: ExtractionRules) -> bool:
    """ "the former US envoy", "ex-President Doe", "Jane Doe, a former British minister,": a title that the
    text says is no longer held. Looks back over the title words before the name and at an apposition after it."""
    for word in reversed(_WORD.findall(text[:start])[-6:]):
        lowered = word.lower()
        if lowered in rules.out_of_office or lowered.split("-")[0] in rules.out_of_office:
            return True
        if not (word[0].isupper() or lowered in rules.subject_words | rules.person_titles):
            break
    after = re.match(r",\s+(?:the|a|an)?\s*([\w-]+)", text[end:])
    return bool(after) and after.group(1).lower().split("-")[0] in rules.out_of_office


def _in_office(mentions: list, on_date: str) -> list:
    """Speakers holding a listed office on the date. The registry falls back to a person's latest role when
    none fits the date (right for an undated text); in a dated article a person out of office then, before or
    after it ("Pompeo" in 2016 or in 2023), speaks for no one."""
    return [m for m in mentions if not on_date or m.speaker.serving_on(on_date)]


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
    tail_text = tail.group(0) if tail else ""
    # "Russia's defence ministry": the possessive is kept whole, not read as a word "s" that ends the phrase.
    words = ["'s"] if re.match(r"['’]s\b", tail_text) else []
    for word in _WORD.findall(tail_text[len(words) * 2 :]):
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


def _posted_hosts(text: str, mentions: list[ActorMention], rules: ExtractionRules) -> dict[int, int]:
    """Diplomatic posts: index of the state whose post it is -> end of the place it is posted in or to, for
    "Canada's mission to the UN", "the Canadian embassy in Lima", "the embassy of Canada in Lima", "Brazil's
    ambassador to Chile". The post speaks for its state; the host is neither speaker nor party."""
    posted: dict[int, int] = {}
    for index in range(len(mentions) - 1):
        state, host = mentions[index], mentions[index + 1]
        gap = text[state.end : host.start]
        after = re.match(r"(?:['’]s)?((?:\s+[\w'’-]+){0,3}?)\s+(?:in|to|at|for)\s+(?:the\s+)?$", gap)
        # Only the post's own words between: "'s permanent mission", not "said its embassy".
        own_post = (
            after is not None
            and rules.diplomatic_posts.search(after.group(1)) is not None
            and all(w.lower() in rules.subject_words | rules.person_titles for w in _WORD.findall(after.group(1)))
        )
        # "the embassy of Canada in Lima": the post named before its state.
        of_post = re.fullmatch(r"\s+(?:in|to|at)\s+(?:the\s+)?", gap) is not None and re.search(
            rf"(?:{rules.diplomatic_posts.pattern})\s+(?:of|for)\s+(?:the\s+)?$", text[: state.start], re.IGNORECASE
        )
        if own_post or of_post:
            posted[index] = host.end
    return posted


def _find_parties(
    text: str, registry: Registry, date: str, context: _Context, rules: ExtractionRules, agencies: list
) -> tuple[list[_Party], list[ActorMention], tuple[tuple[int, int], ...]]:
    anaphors = _anaphor_mentions(text, context, rules)
    bodies = _unregistered_bodies(text, rules)
    named = registry.find_actor_mentions(text)
    posted = _posted_hosts(text, named, rules)
    hosts = tuple((named[i + 1].start, named[i + 1].end) for i in posted)
    # A post's state stands for the whole post ("the Canadian embassy in Lima" said): its verb follows the host.
    post_ends = {(named[i].start, named[i].end): end for i, end in posted.items()}
    # "Organization of American States": an adjective inside a body's name is part of the name.
    actors = [
        m
        for m in named
        if (m.start, m.end) not in hosts
        # "an Iranian-backed militia", "the British-born envoy": the adjective describes someone else.
        if not _PROXY_SUFFIX.match(text, m.end)
        and not (
            re.fullmatch(r"[A-Z][a-z]+an", m.alias)
            and any(body.start <= m.start and m.end <= body.end for body in bodies)
        )
    ]
    parties = []
    for m in actors:
        phrase = _noun_phrase(text, m.start, m.end, rules)
        # "German Chancellor Olaf Scholz", "a UN spokesman": a person speaking for the actor, name unknown.
        person = any(word in rules.person_titles for word in _WORD.findall(phrase.lower()))
        if person and _out_of_office(text, m.start, m.end, rules):
            continue
        end = post_ends.get((m.start, m.end), m.end)
        role = _institution_role(phrase, rules)
        # "the embassy of Canada", "the foreign ministry of Peru": the body named before its state.
        body_before = re.search(r"((?:[\w-]+\s+){1,2})(?:of|for)\s+(?:the\s+)?$", text[: m.start])
        if not role and body_before:
            role = _institution_role(body_before.group(1).lower(), rules)
        parties.append(_Party(m.actor, m.start, end, None, role, person))
    parties += [
        _Party(m.actor, m.start, m.end, None, role, False, True)
        for m, role in anaphors
        if not any(_overlaps(m, other) for other in actors)
    ]
    parties += [
        _Party(
            body.name,
            body.start,
            body.end,
            Speaker(body.person, body.name, body.role, "", "", ()) if body.person else None,
            body.role,
            bool(body.role),
        )
        for body in bodies
        if not any(body.start < other.end and other.start < body.end for other in actors)
    ]
    # Speakers stand for their actor in the role they held on the article's date.
    speakers = [
        _Party(m.speaker.actor, m.start, m.end, m.speaker, "", True)
        for m in _in_office(registry.find_speaker_mentions(text, date), date)
        if not _out_of_office(text, m.start, m.end, rules)
    ]
    # "The bloc", "the 15-nation bloc", "the alliance": the last international organisation named.
    if context.organisation:
        for match in _ORGANISATION_ANAPHOR.finditer(text):
            if not any(match.start() < m.end and m.start < match.end() for m in actors):
                parties.append(_Party(context.organisation, match.start(), match.end(), None, "", False, True))
    # In a coup, "the army said", "the junta", "the coup leaders" speak for the state where it happened.
    if context.own_forces:
        for match in _OWN_FORCES.finditer(text):
            if not any(match.start() < m.end and m.start < match.end() for m in actors):
                parties.append(_Party(context.own_forces, match.start(), match.end(), None, "", False, True))
    # People the article introduced earlier or later ("Foreign Minister Hayashi") speak for their actor.
    if context.people_pattern is not None:
        for match in context.people_pattern.finditer(text):
            if _out_of_office(text, match.start(), match.end(), rules):
                continue
            person = context.people[match.group(0)]
            speakers.append(_Party(person.actor, match.start(), match.end(), person, "", True))
    opening = _WORD.match(text)
    # "The minister added ...": a title alone opening a sentence continues the last person, as "He" does.
    titled = re.match(r"[Tt]he\s+([\w-]+)\b", text)
    if titled and titled.group(1).lower() in rules.person_titles and context.person is not None:
        actor, speaker = context.person
        speakers.append(_Party(actor, titled.start(), titled.end(), speaker, "", True, True))
    elif opening:
        word = opening.group(0).lower()
        if word in rules.person_pronouns and context.person is not None:
            actor, speaker = context.person
            speakers.append(_Party(actor, opening.start(), opening.end(), speaker, "", True, True))
        elif word in rules.thing_pronouns and context.institution is not None:
            actor, role = context.institution
            parties.append(_Party(actor, opening.start(), opening.end(), None, role, False, True))
    # '"...," he said': a pronoun after a quote or comma continues the last person, like one opening a sentence.
    if context.person is not None:
        actor, speaker = context.person
        for match in re.finditer(r"[,\"”]\s*(\w+)\b", text):
            if match.group(1).lower() in rules.person_pronouns:
                speakers.append(_Party(actor, match.start(1), match.end(1), speaker, "", True, True))
    # A speaker's name wins over an actor alias inside it; agencies are never parties.
    merged = _non_overlapping(speakers + parties)
    merged = [p for p in merged if not any(_overlaps(p, a) for a in agencies)]
    anaphor_mentions = [m for m, _ in anaphors if not any(_overlaps(m, other) for other in actors)]
    return merged, anaphor_mentions, hosts


_ORGANISATION_ANAPHOR = re.compile(
    r"\b[Tt]he\s+(?:[\w-]+-(?:nation|member|country|state)\s+)?(?:regional\s+)?(?:bloc|alliance|grouping|organi[sz]ation)\b"
)
_OWN_FORCES = re.compile(
    r"\b[Tt]he\s+(?:country['’]s\s+)?(?:army|military|junta|armed\s+forces|military\s+government|coup\s+leaders|"
    r"putschists|mutineers|generals)\b"
)
_PROXY_SUFFIX = re.compile(
    r"-(?:backed|funded|sponsored|supported|allied|aligned|trained|armed|born|based|educated)\b", re.IGNORECASE
)
_CAPITALISED_RUN = re.compile(r"(?<![\w'’])[A-Z][\w'’.-]*(?:(?:\s+(?:of|for|and|on)(?:\s+the)?)?\s+[A-Z][\w'’.-]*)*")


class _Body(NamedTuple):
    """An international body the registry does not know, with the office of the person speaking for it."""

    name: str
    start: int
    end: int  # the end of the body's name, or of the title and name after it
    role: str  # "Secretary-General": the title of the head speaking for it, before or after its name
    person: str  # the head's name when it follows the title ("... Secretary-General Anna Berg")


_TITLE_AFTER = re.compile(r"\s+((?:[a-z][\w-]*\s+){1,3}?)([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})\b")
_TITLE_BEFORE = re.compile(r"\b((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)\s+(?:of|for)\s+(?:the\s+)?$")
_APPOSED_NAME = re.compile(r",\s+((?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+){1,3}),")


def _title_run(words: list[str], rules: ExtractionRules) -> int:
    """How many of words are a title ("Executive Secretary", "Secretary-General", "Deputy Director-General")."""
    count = 0
    while count < len(words) and words[count].lower().strip("'’.") in rules.person_titles | rules.subject_words:
        count += 1
    return count if any(w.lower().strip("'’.") in rules.person_titles for w in words[:count]) else 0


def _unregistered_bodies(text: str, rules: ExtractionRules) -> list[_Body]:
    """International bodies the registry does not know, named in full ("the Pacific Islands Forum"): a run
    of capitalised words ending in, or built on, an organisation word, not a state's own body. Kept as
    written, so a statement by a body we do not list is never filed under another actor. A head's title is
    not part of the name: "The Secretary-General of the X Organisation" and "X Organisation Secretary-General
    Anna Berg" are X Organisation speaking, with the title (and name) as the speaker's."""
    found = []
    for match in _CAPITALISED_RUN.finditer(text):
        words = match.group(0).split()
        while words and words[0].lower() in ("the", "a", "an"):
            words = words[1:]
        role = ""
        # "Secretary-General of the ...", "Executive Secretary of the ...": the head's title, then the body.
        leading = _title_run(words, rules)
        if leading and leading < len(words) and words[leading].lower() in ("of", "for"):
            role = " ".join(words[:leading])
            words = words[leading + 1 :]
            while words and words[0].lower() == "the":
                words = words[1:]
        # "... Organisation Secretary-General Anna Berg": the name ends where a title after its head word starts.
        person, run_end = "", 0
        lowered_all = [w.lower().strip("'’.") for w in words]
        for cut in range(1, len(words)):
            trailing = _title_run(words[cut:], rules)
            if trailing and any(w in rules.organisation_heads for w in lowered_all[:cut]):
                role = role or " ".join(words[cut : cut + trailing])
                person = " ".join(words[cut + trailing :])
                run_end = match.end()
                words = words[:cut]
                break
        while words and words[-1].lower() in ("of", "for", "and", "on", "the"):
            words = words[:-1]
        lowered = [w.lower().strip("'’.") for w in words]
        if len(words) < 2 or not any(w in rules.organisation_heads for w in lowered):
            continue
        # "Organization of American States" opens with its head word; "Council President Michel" does not count.
        opens_with_head = lowered[0] in rules.organisation_heads and not (len(words) > 2 and lowered[1] == "of")
        if lowered[0] in rules.domestic_bodies or opens_with_head:
            continue
        name = " ".join(words).rstrip("'’.").removesuffix("'s").removesuffix("’s")
        start = text.index(words[0], match.start())
        end = max(start + len(name), run_end)
        # "Baltic Grain Forum chairperson Lena Marsh", "the X Council, Anna Berg,": a lower-case title or an
        # apposition after the name is the head speaking.
        after = _TITLE_AFTER.match(text, end)
        if not person and after and _title_run(after.group(1).split(), rules) == len(after.group(1).split()):
            role, person, end = role or after.group(1).strip(), after.group(2), after.end()
        # "the head of the Arctic Shipping Council": a lower-case title before the name.
        before = _TITLE_BEFORE.search(text, 0, start)
        if not role and before and _title_run(before.group(1).split(), rules) == len(before.group(1).split()):
            role = before.group(1)
        apposition = _APPOSED_NAME.match(text, end)
        if role and not person and apposition:
            person, end = apposition.group(1), apposition.end(1)
        found.append(_Body(name, start, end, role, person.rstrip("'’.,")))
    return found


class _AgencyMention(NamedTuple):
    name: str
    start: int
    end: int


def _agency_mentions(text: str, rules: ExtractionRules) -> list[_AgencyMention]:
    return [_AgencyMention(rules.agencies[m.group(0)], m.start(), m.end()) for m in rules.agency_pattern.finditer(text)]

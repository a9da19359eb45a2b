"""Actors, their aliases, and speakers with dated roles: who a name in the text stands for."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

from dashboard import knowledge_dir
from dashboard.datafiles import read_commented_csv
from dashboard.errors import InvalidDataError, Problem
from dashboard.textpatterns import PhraseMatcher, is_part_of_personal_name, normalise_name

ACTOR_KINDS = ("state", "organisation")
ACTOR_COLUMNS = ("name", "kind", "iso3", "lat", "lon")
# Older or hand-made actor files may still hold members and aliases inline; the shipped registry keeps them in
# memberships.csv and aliases.csv.
INLINE_COLUMNS = ("members", "aliases", "status", "capital", "parent")
ALIAS_COLUMNS = ("alias", "actor", "form")
MEMBERSHIP_COLUMNS = ("organisation", "iso3", "start", "end")
AMBIGUITY_COLUMNS = ("alias", "reading", "cues", "default", "note")
SPEAKER_COLUMNS = ("name", "actor", "role", "start", "end", "aliases")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Membership:
    """One member state of an organisation, with the dates its membership began or ended if recorded."""

    iso3: str
    start: str = ""
    end: str = ""

    def active_on(self, on_date: str | None) -> bool:
        if not on_date:
            return not self.end
        return (not self.start or self.start <= on_date) and (not self.end or on_date <= self.end)


@dataclass(frozen=True)
class Actor:
    name: str
    kind: str
    iso3: str
    lat: float | None
    lon: float | None
    memberships: tuple[Membership, ...]
    aliases: tuple[str, ...]
    status: str = ""  # states: un_member, un_observer, non_member; organisations: intergovernmental, un_body, ...
    capital: str = ""  # the capital, or an organisation's seat city
    parent: str = ""  # the body an organ or agency belongs to

    @property
    def members(self) -> tuple[str, ...]:
        """ISO-3 codes of today's members (organisations only)."""
        return self.members_on(None)

    def members_on(self, on_date: str | None) -> tuple[str, ...]:
        """ISO-3 codes of members on an ISO date (None: current members)."""
        return tuple(m.iso3 for m in self.memberships if m.active_on(on_date))


@dataclass(frozen=True)
class Speaker:
    name: str
    actor: str
    role: str
    start: str
    end: str
    aliases: tuple[str, ...]

    def serving_on(self, on_date: str | None) -> bool:
        if not on_date:
            return not self.end
        return (not self.start or self.start <= on_date) and (not self.end or on_date < self.end)


class ActorMention(NamedTuple):
    actor: str
    alias: str
    start: int
    end: int


class SpeakerMention(NamedTuple):
    speaker: Speaker
    alias: str
    start: int
    end: int


class Reading(NamedTuple):
    """One meaning of an ambiguous name: an actor's canonical name, or NOT_AN_ACTOR."""

    actor: str
    cues: tuple[str, ...]
    default: bool
    note: str


class UnresolvedMention(NamedTuple):
    """An ambiguous name in text that its context does not decide: no actor is credited with it."""

    alias: str
    start: int
    end: int
    candidates: tuple[str, ...]  # the actors it may name


NOT_AN_ACTOR = "-"
PERSON_CUE = "@person"


class Registry:
    """The curated actor and speaker registry, with alias lookup in free text."""

    def __init__(
        self,
        actors: dict[str, Actor],
        speakers: tuple[Speaker, ...],
        not_actors: tuple[str, ...] = (),
        ambiguities: dict[str, tuple[Reading, ...]] | None = None,
        alias_forms: dict[str, str] | None = None,
    ):
        self.actors = actors
        self.speakers = speakers
        self.ambiguities = dict(ambiguities or {})
        self._alias_forms = dict(alias_forms or {})
        self._actor_by_alias: dict[str, str] = {name: name for name in actors}
        for actor in actors.values():
            for alias in actor.aliases:
                if alias not in self.ambiguities:
                    self._actor_by_alias.setdefault(alias, actor.name)
        self._actor_by_folded: dict[str, str] = {}
        for alias, name in self._actor_by_alias.items():
            self._actor_by_folded.setdefault(alias.casefold(), name)
        self._ambiguous_by_folded = {alias.casefold(): alias for alias in self.ambiguities}
        # Stop phrases join the same matcher: being longer, "Syrian militants" wins over "Syrian" there.
        self._not_actors = frozenset(not_actors)
        self._actor_matcher = PhraseMatcher([*self._actor_by_alias, *self._not_actors, *self.ambiguities])
        self._speakers_by_alias: dict[str, list[Speaker]] = {}
        for speaker in speakers:
            for alias in {speaker.name, *speaker.aliases}:
                self._speakers_by_alias.setdefault(alias, []).append(speaker)
        self._speakers_by_folded: dict[str, list[Speaker]] = {}
        for alias, found in self._speakers_by_alias.items():
            self._speakers_by_folded.setdefault(alias.casefold(), found)
        self._speaker_matcher = PhraseMatcher(self._speakers_by_alias)
        self._cue_matchers: dict[str, PhraseMatcher] = {}
        self._context = ""

    def in_context(self, context: str) -> Registry:
        """This registry reading ambiguous names with context (an article's whole text) when a call gives none;
        everything else is shared, so it costs nothing to make one per article."""
        view = copy.copy(self)
        view._context = context
        return view

    def with_new_states(self, codes: dict[str, str]) -> Registry:
        """A registry that also knows these new actors (name -> ISO 3166 alpha-3 code) as states placed at
        their country's centroid; names already known keep their entry."""
        added = {
            name: Actor(name=name, kind="state", iso3=code, lat=None, lon=None, memberships=(), aliases=())
            for name, code in codes.items()
            if name not in self.actors
        }
        if not added:
            return self
        return Registry(
            {**self.actors, **added}, self.speakers, tuple(self._not_actors), self.ambiguities, self._alias_forms
        )

    def resolve_actor(self, name: str) -> str | None:
        """Canonical actor name for a name or alias typed by a person (case-insensitive), else None.

        An ambiguous name resolves only when one actor reading is left or a default reading is an actor."""
        cleaned = normalise_name(name)
        found = self._actor_by_alias.get(cleaned) or self._actor_by_folded.get(cleaned.casefold())
        if found:
            return found
        alias = cleaned if cleaned in self.ambiguities else self._ambiguous_by_folded.get(cleaned.casefold())
        if alias is None:
            return None
        readings = [r for r in self.ambiguities[alias] if r.actor != NOT_AN_ACTOR]
        if len(readings) == 1:
            return readings[0].actor
        return next((r.actor for r in readings if r.default), None)

    def candidates(self, name: str) -> tuple[str, ...]:
        """The actors an ambiguous typed name may mean (empty when the name is not flagged ambiguous)."""
        cleaned = normalise_name(name)
        alias = cleaned if cleaned in self.ambiguities else self._ambiguous_by_folded.get(cleaned.casefold())
        if alias is None:
            return ()
        return tuple(r.actor for r in self.ambiguities[alias] if r.actor != NOT_AN_ACTOR)

    def alias_form(self, alias: str) -> str:
        """How an alias names its actor: official, name, demonym, capital, seat, institution ("" if unknown)."""
        if alias in self.actors:
            return "name"
        return self._alias_forms.get(alias, "")

    def find_actor_mentions(self, text: str, context: str | None = None) -> list[ActorMention]:
        """Every whole-word, case-sensitive alias of an actor in text, left to right, non-overlapping.

        Ambiguous names are resolved from the text and from context (the article around it), or left out."""
        context = self._context if context is None else context
        mentions = []
        for match in self._actor_matcher.find(text):
            if match.phrase in self._not_actors:
                continue
            if match.phrase in self.ambiguities:
                actor = self._resolve_in_text(match.phrase, text, match.start, match.end, context)
                if actor and actor != NOT_AN_ACTOR:
                    mentions.append(ActorMention(actor, match.phrase, match.start, match.end))
                continue
            mentions.append(ActorMention(self._actor_by_alias[match.phrase], match.phrase, match.start, match.end))
        return mentions

    def find_unresolved_mentions(self, text: str, context: str | None = None) -> list[UnresolvedMention]:
        """Ambiguous names in text that neither text nor context decides, with the actors they may mean."""
        context = self._context if context is None else context
        return [
            UnresolvedMention(match.phrase, match.start, match.end, self.candidates(match.phrase))
            for match in self._actor_matcher.find(text)
            if match.phrase in self.ambiguities
            and self._resolve_in_text(match.phrase, text, match.start, match.end, context) is None
        ]

    def _resolve_in_text(self, alias: str, text: str, start: int, end: int, context: str) -> str | None:
        readings = self.ambiguities[alias]
        for reading in readings:
            if reading.actor == NOT_AN_ACTOR:
                local = any(c != PERSON_CUE and c in text for c in reading.cues)
                if local or (PERSON_CUE in reading.cues and is_part_of_personal_name(text, start, end)):
                    return NOT_AN_ACTOR  # the sentence itself says what the name is: it outweighs the article
        actors = [r for r in readings if r.actor != NOT_AN_ACTOR]
        in_sentence = [r for r in actors if self._has_cue(r, text)]
        if len(in_sentence) == 1:  # the sentence decides before the article is asked
            return in_sentence[0].actor
        votes = [r for r in actors if self._has_cue(r, f"{text}\n{context}")] if context else in_sentence
        default = next((r for r in readings if r.default), None)
        if len(votes) == 1:
            return votes[0].actor
        if default is not None and (not votes or default in votes):
            return default.actor
        return None

    def _has_cue(self, reading: Reading, text: str) -> bool:
        matcher = self._cue_matchers.get(reading.actor)
        if matcher is None:
            own = [a for a, name in self._actor_by_alias.items() if name == reading.actor and a not in self.ambiguities]
            matcher = self._cue_matchers[reading.actor] = PhraseMatcher(own)
        if any(cue in text for cue in reading.cues if cue != PERSON_CUE):
            return True
        return any(m.phrase not in self._not_actors for m in matcher.find(text))

    def find_speaker_mentions(self, text: str, on_date: str | None = None) -> list[SpeakerMention]:
        """Every named speaker in text, with the role they held on on_date where the date decides it."""
        mentions = []
        for match in self._speaker_matcher.find(text):
            speaker = self._pick_role(self._speakers_by_alias[match.phrase], on_date)
            mentions.append(SpeakerMention(speaker, match.phrase, match.start, match.end))
        return mentions

    def resolve_speaker(self, name: str, on_date: str | None = None) -> Speaker | None:
        """The speaker (and their role on on_date) for a name or alias; None when unknown."""
        cleaned = normalise_name(name)
        candidates = self._speakers_by_alias.get(cleaned) or self._speakers_by_folded.get(cleaned.casefold())
        return self._pick_role(candidates, on_date) if candidates else None

    @staticmethod
    def _pick_role(candidates: list[Speaker], on_date: str | None) -> Speaker:
        serving = [speaker for speaker in candidates if speaker.serving_on(on_date)]
        # Several people share a surname alias rarely; when no role fits the date, the latest role stands.
        pool = serving or candidates
        return max(pool, key=lambda speaker: speaker.start or "")


def _split_aliases(cell: str) -> tuple[str, ...]:
    return tuple(alias.strip() for alias in cell.split("|") if alias.strip())


def _parse_memberships(cell: str, row: int, problems: list[Problem]) -> tuple[Membership, ...]:
    memberships = []
    for item in _split_aliases(cell):
        iso3, _, dates = item.partition(":")
        start, _, end = dates.partition("/")
        if not re.fullmatch(r"[A-Z]{3}", iso3) or any(d and not ISO_DATE.match(d) for d in (start, end)):
            problems.append(Problem(row, "members", f"{item!r} is not ISO3 or ISO3:YYYY-MM-DD/YYYY-MM-DD"))
            continue
        memberships.append(Membership(iso3, start, end))
    return tuple(memberships)


def _parse_coordinate(cell: str, field: str, bound: float, row: int, problems: list[Problem]) -> float | None:
    if not cell:
        return None
    try:
        value = float(cell)
    except ValueError:
        problems.append(Problem(row, field, f"{cell!r} is not a number"))
        return None
    if not -bound <= value <= bound:
        problems.append(Problem(row, field, f"{value} is outside -{bound}..{bound}"))
        return None
    return value


def load_actors(path: Path) -> dict[str, Actor]:
    table = read_commented_csv(path, required=ACTOR_COLUMNS)
    for column in INLINE_COLUMNS:
        if column not in table.columns:
            table[column] = ""
    actors: dict[str, Actor] = {}
    problems: list[Problem] = []
    for row, record in enumerate(table.to_dict("records"), start=1):
        name = record["name"].strip()
        if not name:
            problems.append(Problem(row, "name", "is empty"))
            continue
        if name in actors:
            problems.append(Problem(row, "name", f"{name!r} is listed twice"))
        if record["kind"] not in ACTOR_KINDS:
            problems.append(Problem(row, "kind", f"{record['kind']!r} is not one of {', '.join(ACTOR_KINDS)}"))
        if record["kind"] == "state" and not re.fullmatch(r"[A-Z]{3}", record["iso3"]):
            problems.append(Problem(row, "iso3", f"a state needs an ISO-3 code, got {record['iso3']!r}"))
        actors[name] = Actor(
            name=name,
            kind=record["kind"],
            iso3=record["iso3"],
            lat=_parse_coordinate(record["lat"], "lat", 90, row, problems),
            lon=_parse_coordinate(record["lon"], "lon", 180, row, problems),
            memberships=_parse_memberships(record["members"], row, problems),
            aliases=_split_aliases(record["aliases"]),
            status=record["status"],
            capital=record["capital"],
            parent=record["parent"],
        )
    if problems:
        raise InvalidDataError(str(path), problems)
    return actors


def load_aliases(path: Path, actors: dict[str, Actor]) -> tuple[dict[str, Actor], dict[str, str]]:
    """The actors with the aliases of aliases.csv added, and each alias's form; unchanged if the file is absent."""
    if not path.exists():
        return actors, {}
    table = read_commented_csv(path, required=ALIAS_COLUMNS)
    problems: list[Problem] = []
    extra: dict[str, list[str]] = {}
    forms: dict[str, str] = {}
    for row, record in enumerate(table.to_dict("records"), start=1):
        if record["actor"] not in actors:
            problems.append(Problem(row, "actor", f"{record['actor']!r} is not in actors.csv"))
            continue
        alias = " ".join(record["alias"].split())
        if not alias:
            problems.append(Problem(row, "alias", "is empty"))
            continue
        extra.setdefault(record["actor"], []).append(alias)
        forms.setdefault(alias, record["form"])
    if problems:
        raise InvalidDataError(str(path), problems)
    merged = {
        name: replace(actor, aliases=tuple(dict.fromkeys((*actor.aliases, *extra.get(name, ())))))
        for name, actor in actors.items()
    }
    return merged, forms


def load_memberships(path: Path, actors: dict[str, Actor]) -> dict[str, Actor]:
    """The actors with the dated memberships of memberships.csv added; unchanged if the file is absent."""
    if not path.exists():
        return actors
    table = read_commented_csv(path, required=MEMBERSHIP_COLUMNS)
    problems: list[Problem] = []
    found: dict[str, list[Membership]] = {}
    for row, record in enumerate(table.to_dict("records"), start=1):
        organisation = actors.get(record["organisation"])
        if organisation is None or organisation.kind != "organisation":
            problems.append(Problem(row, "organisation", f"{record['organisation']!r} is not an organisation"))
        if not re.fullmatch(r"[A-Z]{3}", record["iso3"]):
            problems.append(Problem(row, "iso3", f"{record['iso3']!r} is not an ISO-3 code"))
        for field in ("start", "end"):
            if record[field] and not ISO_DATE.match(record[field]):
                problems.append(Problem(row, field, f"{record[field]!r} is not an ISO date YYYY-MM-DD"))
        found.setdefault(record["organisation"], []).append(Membership(record["iso3"], record["start"], record["end"]))
    if problems:
        raise InvalidDataError(str(path), problems)
    return {
        name: replace(actor, memberships=(*actor.memberships, *found.get(name, ()))) for name, actor in actors.items()
    }


def load_ambiguities(path: Path, actors: dict[str, Actor]) -> dict[str, tuple[Reading, ...]]:
    """Ambiguous names and their readings (ambiguous_aliases.csv); none if the file is absent."""
    if not path.exists():
        return {}
    table = read_commented_csv(path, required=AMBIGUITY_COLUMNS)
    problems: list[Problem] = []
    readings: dict[str, list[Reading]] = {}
    for row, record in enumerate(table.to_dict("records"), start=1):
        if record["reading"] != NOT_AN_ACTOR and record["reading"] not in actors:
            problems.append(Problem(row, "reading", f"{record['reading']!r} is not in actors.csv nor {NOT_AN_ACTOR}"))
        if record["default"] not in ("", "yes"):
            problems.append(Problem(row, "default", f"{record['default']!r} is not yes or empty"))
        reading = Reading(record["reading"], _split_aliases(record["cues"]), record["default"] == "yes", record["note"])
        readings.setdefault(record["alias"].strip(), []).append(reading)
    for alias, found in readings.items():
        if sum(r.default for r in found) > 1:
            problems.append(Problem(0, "default", f"{alias!r} has more than one default reading"))
    if problems:
        raise InvalidDataError(str(path), problems)
    return {alias: tuple(found) for alias, found in readings.items()}


def load_speakers(path: Path, actors: dict[str, Actor]) -> tuple[Speaker, ...]:
    table = read_commented_csv(path, required=SPEAKER_COLUMNS)
    speakers = []
    problems: list[Problem] = []
    for row, record in enumerate(table.to_dict("records"), start=1):
        if record["actor"] not in actors:
            problems.append(Problem(row, "actor", f"{record['actor']!r} is not in actors.csv"))
        for field in ("start", "end"):
            if record[field] and not ISO_DATE.match(record[field]):
                problems.append(Problem(row, field, f"{record[field]!r} is not an ISO date YYYY-MM-DD"))
        speakers.append(
            Speaker(
                name=record["name"].strip(),
                actor=record["actor"],
                role=record["role"],
                start=record["start"],
                end=record["end"],
                aliases=_split_aliases(record["aliases"]),
            )
        )
    if problems:
        raise InvalidDataError(str(path), problems)
    return tuple(speakers)


def load_not_actors(path: Path) -> tuple[str, ...]:
    """Phrases that contain an alias but name no actor (data/not_actors.csv); none if the file is absent."""
    if not path.exists():
        return ()
    return tuple(p.strip() for p in read_commented_csv(path, required=("phrase",))["phrase"] if p.strip())


def load_registry(data_dir: Path | str | None = None) -> Registry:
    """Load actors, aliases, memberships, ambiguous names, speakers and stop phrases from data_dir (default:
    knowledge_dir()), validated; InvalidDataError lists every problem."""
    folder = Path(data_dir if data_dir is not None else knowledge_dir())
    actors = load_actors(folder / "actors.csv")
    actors, forms = load_aliases(folder / "aliases.csv", actors)
    actors = load_memberships(folder / "memberships.csv", actors)
    ambiguities = load_ambiguities(folder / "ambiguous_aliases.csv", actors)
    speakers = load_speakers(folder / "speakers.csv", actors)
    return Registry(actors, speakers, load_not_actors(folder / "not_actors.csv"), ambiguities, forms)

"""Actors, their aliases, and speakers with dated roles: who a name in the text stands for."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from dashboard import DATA_DIR
from dashboard.datafiles import read_commented_csv
from dashboard.errors import InvalidDataError, Problem

ACTOR_KINDS = ("state", "organisation")
ACTOR_COLUMNS = ("name", "kind", "iso3", "lat", "lon", "members", "aliases")
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


def _alias_pattern(aliases: list[str]) -> re.Pattern[str]:
    if not aliases:
        return re.compile(r"(?!)")  # an empty alternation would match everywhere; this matches nothing
    # Longest first, so "Washington Treaty" (NATO) wins over "Washington" (United States) at the same spot.
    ordered = sorted(set(aliases), key=len, reverse=True)
    alternatives = "|".join(re.escape(alias) for alias in ordered)
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w])")


class Registry:
    """The curated actor and speaker registry, with alias lookup in free text."""

    def __init__(self, actors: dict[str, Actor], speakers: tuple[Speaker, ...], not_actors: tuple[str, ...] = ()):
        self.actors = actors
        self.speakers = speakers
        self._actor_by_alias: dict[str, str] = {}
        for actor in actors.values():
            for alias in (actor.name, *actor.aliases):
                self._actor_by_alias.setdefault(alias, actor.name)
        self._actor_by_folded = {alias.casefold(): name for alias, name in self._actor_by_alias.items()}
        # Stop phrases join the same alternation: being longer, "Syrian militants" wins over "Syrian" there.
        self._not_actors = frozenset(not_actors)
        self._actor_pattern = _alias_pattern([*self._actor_by_alias, *self._not_actors])
        self._speakers_by_alias: dict[str, list[Speaker]] = {}
        for speaker in speakers:
            for alias in {speaker.name, *speaker.aliases}:
                self._speakers_by_alias.setdefault(alias, []).append(speaker)
        self._speaker_pattern = _alias_pattern(list(self._speakers_by_alias))

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
        return Registry({**self.actors, **added}, self.speakers, tuple(self._not_actors))

    def resolve_actor(self, name: str) -> str | None:
        """Canonical actor name for a name or alias typed by a person (case-insensitive), else None."""
        cleaned = " ".join(str(name).split())
        return self._actor_by_alias.get(cleaned) or self._actor_by_folded.get(cleaned.casefold())

    def find_actor_mentions(self, text: str) -> list[ActorMention]:
        """Every whole-word, case-sensitive alias of an actor in text, left to right, non-overlapping."""
        return [
            ActorMention(self._actor_by_alias[m.group(0)], m.group(0), m.start(), m.end())
            for m in self._actor_pattern.finditer(text)
            if m.group(0) not in self._not_actors
        ]

    def find_speaker_mentions(self, text: str, on_date: str | None = None) -> list[SpeakerMention]:
        """Every named speaker in text, with the role they held on on_date where the date decides it."""
        mentions = []
        for match in self._speaker_pattern.finditer(text):
            speaker = self._pick_role(self._speakers_by_alias[match.group(0)], on_date)
            mentions.append(SpeakerMention(speaker, match.group(0), match.start(), match.end()))
        return mentions

    def resolve_speaker(self, name: str, on_date: str | None = None) -> Speaker | None:
        """The speaker (and their role on on_date) for a name or alias; None when unknown."""
        cleaned = " ".join(str(name).split())
        candidates = self._speakers_by_alias.get(cleaned)
        if candidates is None:
            folded = cleaned.casefold()
            candidates = next(
                (found for alias, found in self._speakers_by_alias.items() if alias.casefold() == folded),
                None,
            )
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
        )
    if problems:
        raise InvalidDataError(str(path), problems)
    return actors


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


def load_registry(data_dir: Path = DATA_DIR) -> Registry:
    """Load actors, speakers and stop phrases from data/, validated; InvalidDataError lists every problem."""
    actors = load_actors(Path(data_dir) / "actors.csv")
    speakers = load_speakers(Path(data_dir) / "speakers.csv", actors)
    return Registry(actors, speakers, load_not_actors(Path(data_dir) / "not_actors.csv"))

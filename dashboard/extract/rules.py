"""The knowledge extraction reads: data/extraction_rules.csv, news_agencies.csv and extraction_cues.csv."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from dashboard import knowledge_dir
from dashboard.datafiles import read_commented_csv
from dashboard.errors import InvalidDataError, Problem
from dashboard.extract.confidence import MODEL_FILE, load_confidence_model
from dashboard.stance import (
    CueLexicon,
    CueRule,
    compile_phrase,
    load_cue_lexicon,
)
from dashboard.textpatterns import alias_pattern

# The knowledge files extraction reads, in a data folder (data/ unless told otherwise).
_WORD = re.compile(r"\w[\w'’-]*")
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
    "incident",
    "organisation_head",
    "domestic_body",
    "speaking_body",
    "diplomatic_post",
    "out_of_office",
)
CLAUSE_KINDS = ("content", "relative", "coordinate")
INCIDENT_KINDS = ("hostile", "internal", "disaster")


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
    incident_words: dict[str, str] = field(default_factory=dict)  # word -> hostile | internal | disaster
    organisation_heads: frozenset[str] = frozenset()  # "Forum", "Community": a capitalised name is a body
    domestic_bodies: frozenset[str] = frozenset()  # "National Security Council": a state's own body
    speaking_bodies: frozenset[str] = frozenset()  # "ministry": "the ministry of X" has X speaking
    # "embassy", "permanent representative": a state's post abroad speaks for it; where it is posted is no party.
    diplomatic_posts: re.Pattern[str] = re.compile(r"(?!)")
    out_of_office: frozenset[str] = frozenset()  # "former": "the former US envoy" no longer speaks for the US
    agencies: dict[str, str] = field(default_factory=dict)  # alias -> agency name
    agency_pattern: re.Pattern[str] = re.compile(r"(?!)")
    extra_cues: tuple[CueRule, ...] = ()  # implicit accusations, read on top of the stance lexicon
    confidence_model: dict[str, float] = field(default_factory=dict)  # feature -> weight; {}: hand-set formula

    def lexicon(self, base: CueLexicon) -> CueLexicon:
        """The stance lexicon with the extraction cues added."""
        return replace(base, cues=base.cues + self.extra_cues) if self.extra_cues else base


def _alternatives(phrase: str) -> set[str]:
    return {word.strip().lower() for word in phrase.split("|") if word.strip()}


def _any_phrase(phrases: frozenset[str]) -> re.Pattern[str]:
    """One case-insensitive pattern for whole-word phrases, longest first; never matching when there are none."""
    if not phrases:
        return re.compile(r"(?!)")
    spelled = (
        r"\s+".join(re.escape(word) for word in phrase.split()) for phrase in sorted(phrases, key=len, reverse=True)
    )
    return re.compile(r"\b(?:" + "|".join(spelled) + r")\b", re.IGNORECASE)


def load_extraction_rules(data_dir: Path | str | None = None) -> ExtractionRules:
    """Read and check data_dir's extraction rules, news agencies and extra cues; every problem in the rules
    file is reported at once (InvalidDataError). data_dir defaults to knowledge_dir()."""
    data_dir = Path(data_dir if data_dir is not None else knowledge_dir())
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
        if kind == "incident" and value not in INCIDENT_KINDS:
            problems.append(Problem(row, "value", f"{value!r} is not one of {', '.join(INCIDENT_KINDS)}"))
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
        incident_words={word: value for phrase, value in by_kind["incident"] for word in _alternatives(phrase)},
        organisation_heads=words("organisation_head"),
        domestic_bodies=words("domestic_body"),
        speaking_bodies=words("speaking_body"),
        diplomatic_posts=_any_phrase(words("diplomatic_post")),
        out_of_office=words("out_of_office"),
        agencies=agencies,
        agency_pattern=alias_pattern(agencies),
        extra_cues=load_cue_lexicon(data_dir / EXTRA_CUES_FILE, data_dir / "cameo_crosswalk.csv").cues,
        confidence_model=load_confidence_model(data_dir / MODEL_FILE),
    )


def default_rules() -> ExtractionRules:
    """The extraction rules of knowledge_dir(), read once per folder (the folder's knowledge bundle holds them)."""
    from dashboard.knowledge import knowledge

    return knowledge().extraction_rules

"""States' named voices in data/speakers.csv: heads of state and government, foreign ministers, spokespeople.

A named office-holder ("Lammy condemned ...") speaks for their state in the role the article's date falls in, and a
person who moved between a state and an organisation is filed under the one they served on that date. Every
sentence here was written for these tests, about incidents of our own making.
"""

import re

import pytest

from dashboard.extract import extract_records
from dashboard.registry import load_registry
from dashboard.scoring import load_resources

# The states that react most often; each must have a named head of state or government on these dates.
STATES = [
    "United States",
    "United Kingdom",
    "France",
    "China",
    "Russia",
    "Germany",
    "Italy",
    "Spain",
    "Poland",
    "Netherlands",
    "Belgium",
    "Sweden",
    "Norway",
    "Denmark",
    "Finland",
    "Ukraine",
    "Belarus",
    "Turkey",
    "Iran",
    "Israel",
    "Saudi Arabia",
    "United Arab Emirates",
    "Qatar",
    "Egypt",
    "Jordan",
    "Iraq",
    "Syria",
    "Lebanon",
    "Pakistan",
    "India",
    "Japan",
    "South Korea",
    "North Korea",
    "Australia",
    "Canada",
    "Brazil",
    "Mexico",
    "Argentina",
    "South Africa",
    "Nigeria",
    "Kenya",
    "Ethiopia",
    "Indonesia",
    "Holy See",
    "Hungary",
    "Greece",
    "Azerbaijan",
    "Armenia",
    "Georgia",
]
HEAD = re.compile(
    r"\b(?:Chairman, Supreme Council|President|Prime Minister|Chancellor|King|Queen|Emir|Supreme Leader|Pope|Premier)\b"
)


@pytest.fixture(scope="module")
def registry():
    return load_registry()


@pytest.fixture(scope="module")
def resources():
    return load_resources()


def _spoken_for(text: str, date: str, resources) -> list[tuple[str, str, str]]:
    records = extract_records(text, resources, "test-event", date, "test")
    return list(zip(records["actor"], records["speaker"], records["speaker_role"], strict=True))


@pytest.mark.parametrize("date", ["2010-06-01", "2012-06-01", "2015-06-01", "2019-06-01", "2024-06-01"])
def test_each_state_has_a_named_head_on_the_date(registry, date):
    heads = {s.actor for s in registry.speakers if s.serving_on(date) and HEAD.search(s.role)}
    assert [state for state in STATES if state not in heads] == []


def test_a_name_shared_by_two_actors_never_serves_both_at_once(registry):
    """Rutte (the Netherlands, then NATO), Tusk, Barnier, Tedros: the date must decide which actor speaks."""
    by_alias: dict[str, list] = {}
    for speaker in registry.speakers:
        for alias in {speaker.name, *speaker.aliases}:
            by_alias.setdefault(alias, []).append(speaker)
    clashes = []
    for alias, rows in by_alias.items():
        for a in rows:
            for b in rows:
                if a.actor < b.actor and (a.start or "") < (b.end or "9999") and (b.start or "") < (a.end or "9999"):
                    clashes.append((alias, a.actor, b.actor))
    assert clashes == []


def test_no_speaker_alias_is_also_an_actor_name(registry):
    named = [
        alias for s in registry.speakers for alias in (s.name, *s.aliases) if registry.resolve_actor(alias) is not None
    ]
    assert named == []


@pytest.mark.parametrize(
    ("sentence", "date", "actor", "role"),
    [
        ("Lammy condemned the bombing of the ferry terminal.", "2024-10-02", "United Kingdom", "Foreign Secretary"),
        ("Cameron condemned the bombing of the ferry terminal.", "2024-02-02", "United Kingdom", "Foreign Secretary"),
        ("Cameron condemned the bombing of the ferry terminal.", "2013-02-02", "United Kingdom", "Prime Minister"),
        ("Blinken condemned the bombing of the ferry terminal.", "2023-03-03", "United States", "Secretary of State"),
        ("Scholz condemned the bombing of the ferry terminal.", "2023-03-03", "Germany", "Chancellor"),
        ("Wang Yi condemned the bombing of the ferry terminal.", "2023-03-03", "China", "Director"),
        ("Wang Yi condemned the bombing of the ferry terminal.", "2019-03-03", "China", "Minister of Foreign Affairs"),
        ("Araghchi condemned the bombing of the ferry terminal.", "2025-03-03", "Iran", "Minister of Foreign Affairs"),
        ("Pope Francis condemned the bombing of the ferry terminal.", "2018-03-03", "Holy See", "Pope"),
        # A longer name wins over a shorter alias inside it: Abbas Araghchi is Iran's, Abbas alone Palestine's.
        (
            "Abbas Araghchi condemned the bombing of the ferry terminal.",
            "2025-03-03",
            "Iran",
            "Minister of Foreign Affairs",
        ),
        ("Abbas condemned the bombing of the ferry terminal.", "2025-03-03", "Palestine", "President"),
        ("Nouri al-Maliki condemned the bombing of the ferry terminal.", "2012-03-03", "Iraq", "Prime Minister"),
        (
            "Riyad al-Maliki condemned the bombing of the ferry terminal.",
            "2012-03-03",
            "Palestine",
            "Minister of Foreign Affairs",
        ),
    ],
)
def test_a_named_office_holder_speaks_for_their_state_in_the_role_of_the_day(resources, sentence, date, actor, role):
    spoken = _spoken_for(sentence, date, resources)
    assert [(a, r.split(" of the")[0] if role == "Director" else r) for a, _, r in spoken] == [(actor, role)]


@pytest.mark.parametrize(
    ("name", "inside", "outside", "state", "other"),
    [
        ("Rutte", "2020-05-05", "2025-05-05", "Netherlands", "NATO"),
        ("Tusk", "2024-05-05", "2017-05-05", "Poland", "European Union"),
        ("Barnier", "2024-10-15", "2019-05-05", "France", "European Union"),
        ("Stoltenberg", "2011-05-05", "2019-05-05", "Norway", "NATO"),
        ("Tedros", "2015-05-05", "2021-05-05", "Ethiopia", "World Health Organization"),
        ("Mogherini", "2014-06-05", "2016-05-05", "Italy", "European Union"),
    ],
)
def test_a_person_speaks_for_the_state_only_while_in_its_office(resources, name, inside, outside, state, other):
    sentence = f"{name} condemned the bombing of the ferry terminal."
    assert [a for a, _, _ in _spoken_for(sentence, inside, resources)] == [state]
    assert [a for a, _, _ in _spoken_for(sentence, outside, resources)] == [other]


def test_the_tatmadaw_is_myanmar(registry):
    assert registry.resolve_actor("Tatmadaw") == "Myanmar"
    assert [m.actor for m in registry.find_actor_mentions("The Tatmadaw seized power overnight.")] == ["Myanmar"]

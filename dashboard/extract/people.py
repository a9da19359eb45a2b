"""People the article introduces: "Japanese Foreign Minister Hayashi Yoshimasa", "Mette Frederiksen, Denmark's
prime minister". Learned from the whole article, so that "Foreign Minister Hayashi" or "Frederiksen said" later
speaks for the same state, though the registry lists no such person."""

from __future__ import annotations

import re

from dashboard.extract.rules import ExtractionRules
from dashboard.registry import ActorMention, Registry, Speaker

_NAME_TOKEN = r"(?:[A-Z][\w'’-]+|[A-Z]\.)"
_NAME = re.compile(rf"{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{1,3}}")
_TITLE_WORD = re.compile(r"[\w-]+")
# Title words that may stand in an office's name besides person titles: "Secretary of State", "Foreign Affairs".
_OFFICE_WORDS = frozenset({"of", "for", "state", "foreign", "affairs", "prime", "vice", "deputy", "defence", "defense"})


def _title_words(rules: ExtractionRules) -> frozenset[str]:
    return rules.person_titles | rules.subject_words | _OFFICE_WORDS


def _title_then_name(text: str, start: int, rules: ExtractionRules) -> tuple[str, str] | None:
    """The title and name right after position start: " Foreign Minister Park Jin" -> ("Foreign Minister", "Park Jin")."""
    rest = text[start:]
    rest_start = re.match(r"(?:['’]s)?(?:\s*\([^)]{1,12}\))?\s+", rest)
    if not rest_start:
        return None
    position = rest_start.end()
    titles, words = _title_words(rules), []
    for match in _TITLE_WORD.finditer(rest, position):
        if rest[position : match.start()].strip() or match.group(0).lower() not in titles:
            break
        words.append(match.group(0))
        position = match.end()
    if not any(w.lower() in rules.person_titles for w in words):
        return None
    name = _NAME.match(rest, position + 1) if rest[position : position + 1] == " " else None
    return (" ".join(words), name.group(0)) if name else None


def _name_before_apposition(text: str, mention: ActorMention, rules: ExtractionRules) -> tuple[str, str] | None:
    """ "Mette Frederiksen, Denmark's prime minister": the name before ", (the) <actor>'s <title>"."""
    before = re.search(rf"({_NAME.pattern}),\s+(?:the\s+)?$", text[: mention.start])
    if not before:
        return None
    after = re.match(r"(?:['’]s)?((?:\s+[\w-]+){1,4})", text[mention.end :])
    words = after.group(1).split() if after else []
    titles = [w for w in words if w.lower() in _title_words(rules)]
    if not titles or not any(w.lower() in rules.person_titles for w in titles):
        return None
    return " ".join(titles), before.group(1)


def _former(text: str, mention: ActorMention, rules: ExtractionRules) -> bool:
    before = re.findall(r"[\w-]+", text[: mention.start])[-2:]
    return any(word.lower().split("-")[0] in rules.out_of_office for word in before)


def learn_people(sentences: list[str], registry: Registry, rules: ExtractionRules) -> dict[str, Speaker]:
    """Name (full, surname, title and either end of the name) -> the person as a Speaker of their actor, for
    every person the article introduces with an actor and a title. A key naming two actors' people is dropped."""
    people: dict[str, Speaker] = {}
    clashes: set[str] = set()
    for text in sentences:
        for mention in registry.find_actor_mentions(text):
            found = _title_then_name(text, mention.end, rules) or _name_before_apposition(text, mention, rules)
            # "former British Prime Minister X", "X, a former Dutch minister": X no longer speaks for the state.
            if not found or _former(text, mention, rules):
                continue
            title, name = found
            if registry.resolve_actor(name):
                continue
            person = Speaker(name, mention.actor, title, "", "", ())
            # The full name, the surname, and a title with either end of the name ("Minister Park" for Park
            # Jin, family name first); a given name alone ("Hassan", "Mohammad") names too many people.
            tokens = name.split()
            title_word = title.split()[-1]
            keys = [name, f"{title_word} {tokens[0]}", f"{title_word} {tokens[-1]}"]
            if len(tokens[-1]) >= 3 and tokens[-1].lower() not in _title_words(rules):
                keys.append(tokens[-1])
            for key in keys:
                if key in people and people[key].actor != mention.actor:
                    clashes.add(key)
                people.setdefault(key, person)
    return {key: person for key, person in people.items() if key not in clashes}


def people_pattern(people: dict[str, Speaker]) -> re.Pattern[str] | None:
    if not people:
        return None
    names = sorted(people, key=len, reverse=True)
    return re.compile(r"(?<![\w'’-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")

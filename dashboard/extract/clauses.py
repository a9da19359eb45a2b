"""Who reacts in a sentence: the subject of a main, relative or coordinate clause, or a trailing attribution."""

from __future__ import annotations

import re

from dashboard.extract.parties import (
    _Party,
)
from dashboard.extract.rules import (
    _WORD,
    ExtractionRules,
)
from dashboard.stance import (
    PERFORMATIVE_WEIGHT,
    CueLexicon,
)

# Between a party's name and the verb it governs: a name or title, ", which", auxiliaries, adverbs.
_GOVERNING_GAP = re.compile(
    r"^(?:'s)?(?:\s+[A-Z][\w'-]*){0,4}\s*,?\s*(?:(?:which|who)\s+)?"
    r"(?:(?:also|has|have|had|is|was|earlier|previously|then|later|already|itself|\w+ly)\s+){0,3}$"
)
_COORDINATION = re.compile(r"^\s*(?:,\s*|\s+and\s+|,\s*and\s+)(?:the\s+)?$", re.IGNORECASE)
# Brackets and quotes are not here: "Organisation (NATO) met", "the (Iranian) government's", 'the "fraternal" people'.
# A spaced dash breaks too: the dateline "PARIS, May 2 (AFP) - France said", "- on its forces -".
_CAME_FROM = re.compile(r"\b(?:came|come|comes|coming|poured\s+in|pour\s+in)\s+from\s+(?:the\s+)?$", re.IGNORECASE)
_PUNCTUATION_BREAK = re.compile(r"[,;:]|\s[-–—]\s")

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
    # "..., with Qatar promising to send": the subject of a participle clause after "with" reacts.
    if between[-1:] == ["with"] and re.match(r"(?:['’]s)?(?:\s+[A-Z][\w'’-]*)*\s+\w+ing\b", text[party.end :]):
        return REACTING
    for index, word in enumerate(between):
        lowered = word.lower()
        if lowered in rules.subject_words or word[0].isupper() or word.endswith("ly"):
            continue
        # "the spokesman for the Turkish Foreign Ministry", "the Secretary General of the Alliance",
        # "the cabinet of Norway"; not "the people of X" or "the capital of X", places or targets.
        speaking = rules.person_titles | rules.speaking_bodies
        # "the Secretary General of the X": a title written in two words counts as one.
        two_word_title = (
            index > 1 and between[index - 1].lower() == "general" and between[index - 2].lower() in speaking
        )
        if lowered in ("of", "for") and index and (between[index - 1].lower() in speaking or two_word_title):
            continue
        return OBJECT
    return CONTENT if opener == "content" else REACTING


def _statuses(text: str, parties: list[_Party], rules: ExtractionRules, lexicon: CueLexicon) -> list[str]:
    statuses = []
    for index, party in enumerate(parties):
        status = _clause_status(text, party, rules, lexicon)
        # "Iran and Russia": a party coordinated with the one before shares its standing.
        # But "... died in Russia, and France blamed": after ", and" a subject opens its own clause.
        if _coordinated(text, parties, index) and not (
            statuses[-1] == OBJECT
            and status == REACTING
            and re.match(r"\s*,\s*and\s", text[parties[index - 1].end : party.start])
        ):
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


def _coordinated_group(text: str, parties: list[_Party], index: int, statuses: list[str]) -> list[_Party]:
    """The list a party stands in, up to it; a party standing otherwise ends it ("in Russia, and France")."""
    group = [parties[index]]
    while _coordinated(text, parties, index) and statuses[index - 1] == statuses[index]:
        index -= 1
        group.append(parties[index])
    return group[::-1]


def _title_start(text: str, position: int, rules: ExtractionRules) -> int:
    """Where the titles and names before a party begin: "Elysee spokesman Paul Martin" from "Paul"."""
    title_words = rules.subject_words | rules.person_titles
    speaking = rules.person_titles | rules.speaking_bodies
    cut = position
    words = list(_WORD.finditer(text[:position]))
    for index in range(len(words) - 1, -1, -1):
        word = words[index].group(0)
        if text[words[index].end() : cut].strip():
            break
        # "the spokesman of the Mozambican foreign ministry": "of" after a title is part of it.
        title_of = word.lower() in ("of", "for") and index > 0 and words[index - 1].group(0).lower() in speaking
        if not (word[0].isupper() or word.lower() in title_words or title_of):
            break
        cut = words[index].start()
    return cut


def _is_attribution(text: str, party: _Party, rules: ExtractionRules, lexicon: CueLexicon) -> bool:
    """A trailing ", X said", '," Elysee spokesman Paul Martin said' or ", says X": X voiced what comes
    before it."""
    before = text[: _title_start(text, party.start, rules)].rstrip()
    # ', said X' and, with the comma left out, '" said X' (a quotation's closing mark, then the verb).
    inverted = re.search(r"(?:,|[\"”»])\s*(\w+)$", before)
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
            return _coordinated_group(text, parties, last, statuses)
    after = [i for i in attributions if parties[i].start > cue_start]
    if after:
        return _coordinated_group(text, parties, after[0], statuses)
    reacting_before = [i for i in before if statuses[i] == REACTING]
    if reacting_before:
        return _coordinated_group(text, parties, reacting_before[-1], statuses)
    # "Condemnation of the coup came from Australia, Britain and Japan": the sources of a reaction named as a noun.
    for first, party in enumerate(parties):
        if party.start > cue_start and _CAME_FROM.search(text[cue_start : party.start]):
            last = first
            while last + 1 < len(parties) and _coordinated(text, parties, last + 1):
                last += 1
            return parties[first : last + 1]
    return []

"""Distinct synthetic reaction sentences, composed from parts written for this project (no evaluation text).

Candidate i is built by reading i as a mixed-radix number over the part lists (subject, reaction, object,
circumstance, coda, ...), after a fixed bijective shuffle, so nearby indices differ in every part; a text
already given is skipped, so every text returned is distinct. Actor names come from the shipped registry (data/actors.csv), so the
stance rules and the target detection have parties to find. Here, not under benchmarks/ (a site package is named `benchmarks`), so tests import it too. Used by benchmarks/score_throughput.py, the Dask
benchmark and the engine equivalence test (tests/test_stance_engine.py).
"""

from __future__ import annotations

import math
from collections.abc import Iterator

# Who reacts: {a} is the reacting actor's name.
SUBJECTS = (
    "{a}",
    "The foreign ministry of {a}",
    "A spokesperson for {a}",
    "{a}'s defence minister",
    "Officials in {a}",
    "The government of {a}, which chairs the regional forum,",
    "{a}'s ambassador to the assembly",
    "In a statement on Tuesday, {a}",
    "{a}, speaking after an emergency session,",
    "The president's office in {a}",
)
# How it reacts: {t} is another party; the list covers every stance, negation, hedges and reported speech.
REACTIONS = (
    "condemned {t} over",
    "strongly condemned",
    "did not condemn",
    "expressed deep concern about",
    "said it was worried by",
    "called on {t} to halt",
    "urged all sides to show restraint after",
    "warned {t} that it would respond to",
    "threatened to retaliate against {t} for",
    "denied any role in",
    "rejected claims by {t} about",
    "offered its condolences to {t} after",
    "expressed solidarity with {t} following",
    "said it stands with {t} after",
    "declined to comment on",
    "met the envoy of {t} to discuss",
    "could consider sanctions on {t} over",
    "has not called for sanctions over",
    "appeared to blame {t} for",
    "denounced in the strongest terms",
    "voiced grave concern over",
    "demanded an independent investigation into",
    "backed the right of {t} to respond to",
    "mourned the victims of",
)
OBJECTS = (
    "the shelling of a border town",
    "the seizure of a cargo ship",
    "the attack on a convoy of aid trucks",
    "the downing of a reconnaissance drone",
    "the arrest of two journalists",
    "the strike on a fuel depot",
    "the closure of the main crossing",
    "the expulsion of three diplomats",
    "the incursion near the northern border",
    "the missile test over the strait",
    "the raid on a refugee camp",
    "the blockade of the port",
    "the explosion at the embassy compound",
    "the detention of a fishing crew",
    "the violence in the disputed province",
    "the sinking of a patrol boat",
)
CIRCUMSTANCES = (
    "",
    " in {p}",
    " on Monday",
    " near the coast of {p}",
    " last week",
    " that killed {n} soldiers",
    " which left {n} civilians wounded",
    " after talks in {p} collapsed",
    " during a visit by {t}",
    " two days after a ceasefire began",
    " despite warnings from {t}",
    " at dawn on Sunday",
)
CODAS = (
    ".",
    ", according to a statement.",
    ", the ministry said.",
    ", and asked the council to meet.",
    ", adding that dialogue remained possible.",
    ", but gave no details.",
    ", a senior official told reporters.",
    ", calling it a dangerous escalation.",
    ", while praising the mediators.",
    "; no casualties were reported.",
    ", saying the matter was not closed.",
    ", and recalled its ambassador.",
    ", in a sign of rising tension.",
    ", as protests spread across the region.",
)
PLACES = ("the capital", "the delta", "the old quarter", "the northern hills", "the harbour", "the valley")
NUMBERS = ("two", "three", "four", "seven", "nine", "eleven", "twelve", "fifteen", "twenty")


def _actor_names() -> tuple[str, ...]:
    from dashboard.registry import load_registry

    return tuple(load_registry().actors)


def _shuffle_multiplier(size: int) -> int:
    """A multiplier coprime to size: i -> i * m mod size is then a bijection of 0..size-1."""
    multiplier = int(size * 0.6180339887) | 1
    while math.gcd(multiplier, size) != 1:
        multiplier += 2
    return multiplier


def distinct_sentences(count: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """`count` (text, actor) pairs with pairwise distinct texts; ValueError when the parts cannot make that many."""
    actors = _actor_names()
    radices = (
        len(actors),
        len(SUBJECTS),
        len(REACTIONS),
        len(actors),
        len(OBJECTS),
        len(CIRCUMSTANCES),
        len(CODAS),
        len(PLACES),
        len(NUMBERS),
    )
    capacity = math.prod(radices)
    if count > capacity:
        raise ValueError(f"at most {capacity:,} distinct sentences can be composed, asked for {count:,}")
    multiplier = _shuffle_multiplier(capacity)
    seen: set[str] = set()
    for index in range(capacity):
        if len(seen) == count:
            return
        number = ((index + seed) * multiplier) % capacity
        digits = []
        for radix in radices:
            number, digit = divmod(number, radix)
            digits.append(digit)
        actor_i, subject_i, reaction_i, target_i, object_i, circumstance_i, coda_i, place_i, number_i = digits
        actor = actors[actor_i]
        target = actors[target_i] if target_i != actor_i else actors[(target_i + 1) % len(actors)]
        fill = {"a": actor, "t": target, "p": PLACES[place_i], "n": NUMBERS[number_i]}
        text = (
            SUBJECTS[subject_i].format(**fill)
            + " "
            + REACTIONS[reaction_i].format(**fill)
            + " "
            + OBJECTS[object_i]
            + CIRCUMSTANCES[circumstance_i].format(**fill)
            + CODAS[coda_i]
        )
        if text not in seen:
            seen.add(text)
            yield text, actor
    raise ValueError(f"the parts compose fewer than {count:,} distinct sentences")

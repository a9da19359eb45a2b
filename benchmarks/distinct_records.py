"""SYNTHETIC reaction records whose texts are all distinct, for benchmarks (never for accuracy claims).

Each sentence is put together from parts written for this script: a reacting actor (a registry name), a
reaction phrase, an incident (half of them naming who did it), a place and a time, e.g. "France voiced concern
over the shelling of the border post by Russia near the coast late on Friday." Record i takes a distinct
combination (a seeded permutation of the mixed-radix index), so no two texts are the same and a cache keyed on
the sentence saves nothing. Stances are left empty: scoring reads them from the text, as it would for a file
of new reports. Nothing here comes from any evaluation set or news text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SEED = 20240501
REACTIONS = (
    "condemned",
    "strongly condemned",
    "denounced",
    "warned against a repeat of",
    "warned of consequences over",
    "rejected reports of",
    "denied any role in",
    "expressed deep concern over",
    "voiced concern about",
    "said it was alarmed by",
    "called for an inquiry into",
    "urged restraint after",
    "called for a ceasefire following",
    "offered condolences after",
    "expressed solidarity with the victims of",
    "voiced support for the response to",
    "welcomed the investigation into",
    "took note of reports of",
    "said it was following",
    "demanded an explanation for",
    "protested against",
    "sent condolences to the families after",
    "appealed for calm after",
    "deplored",
)
INCIDENTS = (
    "the strike on the convoy",
    "the shelling of the border post",
    "the raid on the fuel depot",
    "the downing of the drone",
    "the seizure of the cargo vessel",
    "the attack on the observation post",
    "the missile launch",
    "the incursion into the buffer zone",
    "the bombing of the market",
    "the blockade of the strait",
    "the arrest of the aid workers",
    "the sinking of the patrol boat",
    "the killing of the soldiers",
    "the drone attack on the airport",
    "the expulsion of the diplomats",
    "the closure of the crossing",
    "the explosion at the pipeline",
    "the boarding of the tanker",
    "the air strike on the village",
    "the clash at the checkpoint",
)
PLACES = (
    "near the border",
    "in the northern province",
    "outside the port city",
    "along the coast",
    "in the disputed region",
    "close to the capital",
    "in the mountain pass",
    "at the river crossing",
    "in the eastern districts",
    "off the southern coast",
    "near the airbase",
    "in the border town",
    "across the ceasefire line",
    "in international waters",
    "near the refugee camp",
    "in the industrial zone",
)
TIMES = (
    "on Monday",
    "on Tuesday",
    "on Wednesday",
    "on Thursday",
    "late on Friday",
    "at the weekend",
    "earlier this week",
    "overnight",
    "on Sunday morning",
    "last month",
    "in the early hours",
    "two days ago",
    "yesterday evening",
    "this morning",
)


def distinct_records(size: int, actors: list[str], event: str, seed: int = SEED) -> pd.DataFrame:
    """`size` unscored records with distinct texts (actor, text, date, event); see the module docstring."""
    actors = sorted(actors)
    radices = [len(actors), len(REACTIONS), len(INCIDENTS), len(actors) + 1, len(PLACES), len(TIMES)]
    total = int(np.prod(radices, dtype=np.int64))
    if size > total:
        raise ValueError(f"at most {total:,} distinct sentences; asked for {size:,}")
    rng = np.random.default_rng(seed)
    # Distinct indices without materialising a permutation of all combinations: an affine map modulo the
    # total with a multiplier coprime to it is a bijection, so distinct i give distinct combinations.
    multiplier = _coprime_multiplier(total, rng)
    offset = int(rng.integers(total))
    indices = (np.arange(size, dtype=np.int64) * multiplier + offset) % total
    digits = []
    for radix in radices:
        digits.append(indices % radix)
        indices = indices // radix
    actor, reaction, incident, culprit, place, time = digits
    names = np.array(actors, dtype=object)
    texts = []
    for a, r, i, c, p, t in zip(actor, reaction, incident, culprit, place, time, strict=True):
        # One suffix per culprit digit, so distinct digits give distinct texts: none, unidentified, or a name.
        by = "" if c == len(actors) else " by unidentified forces" if c == a else f" by {names[c]}"
        texts.append(f"{names[a]} {REACTIONS[r]} {INCIDENTS[i]}{by} {PLACES[p]} {TIMES[t]}.")
    return pd.DataFrame(
        {
            "id": [f"distinct-{n:07d}" for n in range(size)],
            "event": event,
            "date": "2024-05-01",
            "actor": names[actor],
            "text": texts,
            "source": "synthetic (benchmarks/distinct_records.py)",
        }
    )


def _coprime_multiplier(total: int, rng: np.random.Generator) -> int:
    from math import gcd

    while True:
        candidate = int(rng.integers(total // 3, total - 1)) | 1
        if gcd(candidate, total) == 1:
            return candidate

"""Tone: TextBlob's polarity and subjectivity shown for what they are, beside a diplomatic intensity
score from the cue ladder, and a flag where TextBlob's sign contradicts the stance.

TextBlob scores general English: it reads "great concern" as +0.8 and "strongly condemns" as +0.43,
and gives "condemnation", "heinous" and "condolences" 0. The intensity ladder reads diplomatic
language instead: concern < deep concern < condemn < strongly condemn on the hostile side.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from dashboard.codebook import stance_families
from dashboard.pattern_sentiment import sentiment as textblob_sentiment

# The ladder: intensity of a plain cue of each stance, -1 (most hostile) .. +1 (most cordial).
# Hostile side, in rising order of hostility as diplomats grade it:
CALL_FOR_INTENSITY = -0.1  # an appeal presses someone, mildly: "we call on all sides"
CONCERN_INTENSITY = -0.3  # worry without blame
DENY_INTENSITY = -0.4  # contradicting the other side's account
WARN_INTENSITY = -0.6  # consequences or escalation foreseen
CONDEMN_INTENSITY = -0.7  # open criticism or blame
NEUTRAL_INTENSITY = 0.0
# Cordial side:
CONDOLENCE_INTENSITY = 0.5  # sympathy, not yet taking a side
SUPPORT_INTENSITY = 0.7  # backing a party
STANCE_INTENSITY = {
    "condemn": CONDEMN_INTENSITY,
    "warn": WARN_INTENSITY,
    "deny": DENY_INTENSITY,
    "concern": CONCERN_INTENSITY,
    "call_for": CALL_FOR_INTENSITY,
    "neutral": NEUTRAL_INTENSITY,
    "condolence": CONDOLENCE_INTENSITY,
    "support": SUPPORT_INTENSITY,
}
# A modifier without a known weight ("strongly", "deep", "grave") is taken as this multiplier, so that
# deep concern (-0.39) stays below condemn (-0.7) and strongly condemn (-0.91) above it.
DEFAULT_INTENSIFIER_WEIGHT = 1.3
# Acts outrank words: a show of force or a strike is graded by its Goldstein value / 10 (CAMEO 150, 190).
MATERIAL_INTENSITY = {
    "demonstrate_military_power": -0.72,
    "mobilize_armed_forces": -0.72,
    "use_conventional_force": -1.0,
    "impose_sanctions": -0.8,
    "reduce_relations": -0.4,
    "provide_military_aid": 0.83,
}

# TextBlob polarity within +-0.05 is noise (one mildly coloured word), not a contradiction.
POSITIVE_CONFLICT_THRESHOLD = 0.05
NEGATIVE_CONFLICT_THRESHOLD = -0.05


class Tone(NamedTuple):
    polarity: float  # -1 .. 1
    subjectivity: float  # 0 .. 1


@lru_cache(maxsize=4096)
def textblob_tone(text: str) -> Tone:
    """TextBlob's pattern-analyser sentiment of the text (works offline): the same values as
    `TextBlob(text).sentiment`, computed by dashboard.pattern_sentiment without TextBlob's per-call overhead
    (a blob and a namedtuple class per text, a lazily loaded dict per word lookup)."""
    polarity, subjectivity = textblob_sentiment(str(text))
    return Tone(float(polarity), float(subjectivity))


def intensity_score(
    stance: str,
    modifier: str = "",
    negated: bool = False,
    cue_type: str = "",
    modifier_weight: float | None = None,
) -> float:
    """Diplomatic intensity in [-1, 1] from the cue ladder; a negated cue carries no stance (0)."""
    if negated or stance not in STANCE_INTENSITY:
        return 0.0
    if cue_type in MATERIAL_INTENSITY:
        return MATERIAL_INTENSITY[cue_type]
    weight = 1.0
    if modifier:
        weight = modifier_weight if modifier_weight is not None else DEFAULT_INTENSIFIER_WEIGHT
    return round(max(-1.0, min(1.0, STANCE_INTENSITY[stance] * weight)), 3)


def tone_conflicts_with_stance(polarity: float, stance: str) -> bool:
    """True when TextBlob's sign contradicts the stance: hostile but positive, or cordial but negative."""
    return _conflicts(polarity, stance_families().get(stance))  # hostile, neutral or cordial, as the codebook files it


def tone_conflicts(polarities: Iterable[float], stances: Iterable[str]) -> list[bool]:
    """tone_conflicts_with_stance for each (polarity, stance), the codebook's families resolved once."""
    families = stance_families()
    return [_conflicts(polarity, families.get(stance)) for polarity, stance in zip(polarities, stances, strict=True)]


def _conflicts(polarity: float, family: str | None) -> bool:
    # Rounded first: TextBlob's float sums give 0.05000000000000002 for what every display shows as +0.05.
    polarity = round(float(polarity), 3)
    if family == "hostile":
        return polarity > POSITIVE_CONFLICT_THRESHOLD
    if family == "cordial":
        return polarity < NEGATIVE_CONFLICT_THRESHOLD
    return False

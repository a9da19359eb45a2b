"""Scoring records: predicted stance, cue and targets, TextBlob tone, diplomatic intensity, CAMEO code.

Curated labels win where present; the prediction is kept beside them (`predicted_*`, `stance_agrees`)
so the dashboard and the tests can show where the rules and the curators disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from dashboard.codebook import Crosswalk
from dashboard.knowledge import knowledge
from dashboard.records import RECORD_COLUMNS
from dashboard.registry import Registry
from dashboard.stance import CueLexicon, Reaction, StancePrediction, classify_stance, read_sentence
from dashboard.targets import join_targets
from dashboard.tone import intensity_score, textblob_tone, tone_conflicts

# Offsets are integers and only mean something for records cut from an article; they are not invented.
_TEXT_COLUMNS = tuple(column for column in RECORD_COLUMNS if column not in ("start", "end"))
SCORED_COLUMNS = (
    "predicted_stance",
    "predicted_cue",
    "predicted_target",
    "confidence",
    "negated",
    "polarity",
    "subjectivity",
    "intensity",
    "cameo",
    "cameo_label",
    "goldstein",
    "tone_conflict",
    "stance_source",
    "stance_agrees",
    "sentence_reactions",
    "stance_found",
)
# Empty, or why the rules read only part of the text (see RULES_MAX_CHARS). Added beside SCORED_COLUMNS, not
# among them: event libraries written before it keep their schema (the library stores it with other columns).
NOTE_COLUMN = "scoring_note"
# Between the reactions listed in `sentence_reactions` ("call_for → Syria, Russia | concern").
REACTION_SEPARATOR = " | "
# How often score_records reports progress, in distinct (text, actor) pairs read (about a second of work).
PROGRESS_EVERY = 100
# The stance rules read at most this many characters of a cell. A reaction sentence has a few hundred; past a few
# thousand the rules' cost grows faster than the text (measured: 0.09 s at 10,000 characters, 0.6 s at 20,000,
# 5.7 s at 40,000), so a longer cell is read on its first part, cut at a sentence end, and its row says so in
# `scoring_note`. TextBlob, linear in the text, still reads all of it.
RULES_MAX_CHARS = 10_000


@dataclass(frozen=True)
class Resources:
    """Everything scoring needs, loaded once: actors, the cue lexicon and the CAMEO crosswalk."""

    registry: Registry
    lexicon: CueLexicon
    crosswalk: Crosswalk


def load_resources(data_dir: Path | str | None = None) -> Resources:
    """The registry, the cue lexicon and the crosswalk of data_dir (default: knowledge_dir()), validated: the
    folder's knowledge bundle (dashboard.knowledge), read once per folder."""
    bundle = knowledge(data_dir)
    return Resources(registry=bundle.registry, lexicon=bundle.lexicon, crosswalk=bundle.crosswalk)


def _final_reading(row: dict, resources: Resources) -> dict:
    """Modifier, negation and cue type for the record's final stance, for intensity and CAMEO."""
    stance, predicted = row["stance"], row["prediction"]
    if stance == predicted.stance:
        return {"modifier": predicted.modifier, "weight": predicted.modifier_weight, "cue_type": predicted.cue_type}
    # A curated stance the rules did not reach: read its curated cue on its own, if it says the same.
    if row["cue"]:
        from_cue = classify_stance(rules_part(row["cue"])[0], resources.lexicon)
        if from_cue.stance == stance:
            return {"modifier": from_cue.modifier, "weight": from_cue.modifier_weight, "cue_type": from_cue.cue_type}
    return {"modifier": "", "weight": 1.0, "cue_type": ""}


def describe_reactions(reactions: list[Reaction]) -> str:
    """The reactions found in a sentence as one line: "call_for → Syria, Russia | concern"."""
    return REACTION_SEPARATOR.join(
        reaction.stance + (f" → {', '.join(reaction.targets)}" if reaction.targets else "") for reaction in reactions
    )


class PairReading(NamedTuple):
    """What the rules read in one (text, actor): the headline stance, its targets, every reaction, and a note
    when the text was too long to read whole."""

    prediction: StancePrediction
    targets: str
    reactions: list[Reaction]
    note: str


def rules_part(text: str) -> tuple[str, str]:
    """The part of text the stance rules read, and a note when it is not all of it: cut after the last sentence
    end before RULES_MAX_CHARS (else at the last space); a prefix, so cue offsets still point into the whole text."""
    if len(text) <= RULES_MAX_CHARS:
        return text, ""
    sentence_end = max(text.rfind(mark, 0, RULES_MAX_CHARS) for mark in (". ", "! ", "? ", ".\n"))
    if sentence_end > RULES_MAX_CHARS // 2:
        cut = sentence_end + 1
    else:
        space = text.rfind(" ", 0, RULES_MAX_CHARS + 1)
        cut = space if space > 0 else RULES_MAX_CHARS
    part = text[:cut]
    return part, f"the stance rules read the first {len(part):,} of {len(text):,} characters"


def read_pair(text: str, actor: str, resources: Resources) -> PairReading:
    """The rules' reading of one (text, actor), each rule and mention found once (stance.read_sentence)."""
    part, note = rules_part(text)
    reading = read_sentence(part, actor, resources.registry, resources.lexicon)
    return PairReading(reading.prediction, join_targets(reading.targets), reading.reactions, note)


def _read_pairs(
    distinct: list[tuple[str, str]], resources: Resources, progress: Callable[[int, int], None] | None
) -> dict[tuple[str, str], PairReading]:
    """Each distinct (text, actor) read once by the rules. `progress(done, total)` is told how far it is every
    PROGRESS_EVERY pairs and at the end."""
    readings = {}
    for done, (text, actor) in enumerate(distinct, start=1):
        readings[(text, actor)] = read_pair(text, actor, resources)
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(distinct)):
            progress(done, len(distinct))
    return readings


def score_records(
    records: pd.DataFrame,
    resources: Resources,
    progress: Callable[[int, int], None] | None = None,
    pool: Executor | None = None,
) -> pd.DataFrame:
    """A copy of records with the scored columns added; empty stance/target/cue filled from the rules.

    The rules read each distinct (text, actor) once, whatever the number of records; `progress(done, total)`
    is called as those readings advance (the upload page's progress bar). With a pool from
    dashboard.scoring_pool.scoring_pool, the readings and TextBlob run in its worker processes (same values)."""
    scored = records.copy()
    for column in _TEXT_COLUMNS:
        if column not in scored.columns:
            scored[column] = ""
        scored[column] = scored[column].fillna("").astype(str)
    if scored.empty:
        for column in (*SCORED_COLUMNS, NOTE_COLUMN):
            scored[column] = pd.Series(
                dtype=bool if column in ("negated", "tone_conflict", "stance_agrees", "stance_found") else object
            )
        return scored

    # Curated files repeat a sentence once per (actor, stance, target): classify each pair once. Columns are
    # read as Python lists: iterating a pandas string column costs a call per cell.
    texts = scored["text"].tolist()
    pairs = list(zip(texts, scored["actor"].tolist(), strict=True))
    distinct = list(dict.fromkeys(pairs))
    if pool is None:
        pair_readings = _read_pairs(distinct, resources, progress)
        tones = {text: textblob_tone(text) for text in dict.fromkeys(texts)}
    else:
        from dashboard.scoring_pool import read_in_pool

        pair_readings, tones = read_in_pool(distinct, pool, progress)
    row_readings = [pair_readings[pair] for pair in pairs]
    predictions = [reading.prediction for reading in row_readings]
    curated = scored["stance"].str.strip() != ""

    scored["predicted_stance"] = [p.stance for p in predictions]
    scored["predicted_cue"] = [p.cue for p in predictions]
    scored["predicted_target"] = [reading.targets for reading in row_readings]
    scored["confidence"] = [p.confidence for p in predictions]
    scored["negated"] = [p.negated for p in predictions]
    row_tones = [tones[text] for text in texts]
    scored["polarity"] = [tone.polarity for tone in row_tones]
    scored["subjectivity"] = [tone.subjectivity for tone in row_tones]

    scored["stance_source"] = curated.map({True: "curated", False: "predicted"})
    predicted_only = ~curated
    scored.loc[predicted_only, "stance"] = scored.loc[predicted_only, "predicted_stance"]
    # A target or cue the file gives is kept, as the CLI keeps it: the rules fill only what is empty
    # (Kosovo's condemnation aimed at Russia stays aimed at Russia, not at every state in the sentence).
    for column in ("target", "cue"):
        fill = predicted_only & (scored[column].astype(str).str.strip() == "")
        scored.loc[fill, column] = scored.loc[fill, f"predicted_{column}"]
    scored["stance_agrees"] = scored["stance"] == scored["predicted_stance"]
    stances = scored["stance"].tolist()
    # The headline prediction is one stance per sentence; a sentence with several reactions is read cue by
    # cue too, so a record can be checked against every stance its actor takes there.
    scored["sentence_reactions"] = [describe_reactions(reading.reactions) for reading in row_readings]
    scored["stance_found"] = [
        stance == prediction.stance or any(reaction.stance == stance for reaction in reading.reactions)
        for stance, reading, prediction in zip(stances, row_readings, predictions, strict=True)
    ]
    scored[NOTE_COLUMN] = [reading.note for reading in row_readings]

    # Where the rules reached the final stance their reading gives modifier, weight and cue type; elsewhere the
    # curated cue is read, once per (stance, cue). Intensity and the crosswalk depend on a few values only, so
    # they are computed once per distinct combination: a million rows make a few hundred calls.
    cue_readings: dict[tuple[str, str], tuple[str, float, str]] = {}
    intensities: dict[tuple, float] = {}
    crosswalk_codes: dict[tuple[str, str, str], object] = {}
    intensity_column, codes = [], []
    for stance, cue, mode, prediction in zip(
        stances, scored["cue"].tolist(), scored["mode"].tolist(), predictions, strict=True
    ):
        if stance == prediction.stance:
            final = (prediction.modifier, prediction.modifier_weight, prediction.cue_type)
        else:
            final = cue_readings.get((stance, cue))
            if final is None:
                reading = _final_reading({"stance": stance, "cue": cue, "prediction": prediction}, resources)
                final = cue_readings[(stance, cue)] = (reading["modifier"], reading["weight"], reading["cue_type"])
        modifier, weight, cue_type = final
        key = (stance, modifier, prediction.negated and prediction.stance == stance, cue_type, weight)
        intensity = intensities.get(key)
        if intensity is None:
            intensity = intensities[key] = intensity_score(stance, modifier, key[2], cue_type, weight)
        intensity_column.append(intensity)
        code_key = (stance, cue_type, mode)
        if code_key not in crosswalk_codes:
            crosswalk_codes[code_key] = resources.crosswalk.lookup(stance, cue_type, mode)
        codes.append(crosswalk_codes[code_key])
    scored["intensity"] = intensity_column
    scored["cameo"] = [code.cameo if code else "" for code in codes]
    scored["cameo_label"] = [code.cameo_label if code else "" for code in codes]
    scored["goldstein"] = [code.goldstein if code else float("nan") for code in codes]
    # A record with no mode takes the crosswalk's: sending warships is material, saying so is verbal.
    no_mode = scored["mode"].str.strip() == ""
    filled_modes = [code.mode if code else "verbal" for code in codes]
    scored["mode"] = scored["mode"].where(~no_mode, pd.Series(filled_modes, index=scored.index))
    # The codebook's families resolved once for the whole table, not once per row.
    scored["tone_conflict"] = tone_conflicts(scored["polarity"].tolist(), stances)
    return scored

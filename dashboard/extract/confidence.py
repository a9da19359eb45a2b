"""How sure the rules are of a proposed record: a logistic model over what the extractor knows of it.

The features are the evidence behind a record (the cue's weight in the lexicon, its stance, whether the actor or
the target came from earlier sentences, whether a target was found at all, whether a person is named). The
weights live in data/confidence_model.csv, fitted on the dev articles by `scripts/fit_confidence.py`, which
also measures calibration on articles held out of the fit. Without that file, the hand-set formula below
stands (a data folder of one's own need not ship a model).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from dashboard import codebook
from dashboard.datafiles import read_commented_csv
from dashboard.errors import InvalidDataError, Problem

MODEL_FILE = "confidence_model.csv"
NEUTRAL = "neutral"
# The hand-set confidence when no model is shipped: FLOOR + SPAN x cue weight, times FROM_CONTEXT for an
# actor or target read from earlier sentences; neutral records (procedural acts, refusals) start at NEUTRAL_START.
CONFIDENCE_FLOOR = 0.4
CONFIDENCE_SPAN = 0.5
CONFIDENCE_FROM_CONTEXT = 0.85
CONFIDENCE_NEUTRAL = 0.5


class _Evidence(Protocol):
    stance: str
    target: str
    speaker: str
    weight: float
    inferred: bool
    attributed_from_context: bool


def feature_names() -> tuple[str, ...]:
    """The model's features, in the order the model file lists them."""
    return (
        "intercept",
        "cue_weight",
        "target_from_context",
        "actor_from_context",
        "no_target",
        "speaker_named",
        *(f"stance_{stance}" for stance in codebook.stances()),
    )


def proposal_features(proposal: _Evidence) -> dict[str, float]:
    """The evidence behind one proposed record, as numbers."""
    features = {
        "intercept": 1.0,
        "cue_weight": min(1.0, float(proposal.weight)),
        "target_from_context": float(proposal.inferred),
        "actor_from_context": float(proposal.attributed_from_context),
        "no_target": float(not proposal.target),
        "speaker_named": float(bool(proposal.speaker)),
    }
    features.update({f"stance_{stance}": float(proposal.stance == stance) for stance in codebook.stances()})
    return features


def predicted(features: Mapping[str, float], model: Mapping[str, float]) -> float:
    """The model's probability that the record is right."""
    score = sum(weight * features.get(name, 0.0) for name, weight in model.items())
    return 1.0 / (1.0 + math.exp(-score))


def record_confidence(proposal: _Evidence, model: Mapping[str, float] | None = None) -> float:
    """How sure the rules are of a proposed record, in 0..1: the fitted model's probability where one is
    shipped, else the hand-set formula (cue weight, less for an actor or target from context)."""
    if model:
        return round(predicted(proposal_features(proposal), model), 3)
    if proposal.stance == NEUTRAL:
        confidence = CONFIDENCE_NEUTRAL
    else:
        confidence = CONFIDENCE_FLOOR + CONFIDENCE_SPAN * min(1.0, proposal.weight)
    if proposal.inferred:
        confidence *= CONFIDENCE_FROM_CONTEXT
    if proposal.attributed_from_context:
        confidence *= CONFIDENCE_FROM_CONTEXT
    return round(confidence, 3)


def load_confidence_model(path: Path) -> dict[str, float]:
    """The weights in a model file (feature, weight); {} when the file is absent. Every unknown feature or
    weight that is not a number is reported at once."""
    if not path.is_file():
        return {}
    table = read_commented_csv(path, required=("feature", "weight"))
    known, problems, model = set(feature_names()), [], {}
    for row, record in enumerate(table.to_dict("records"), start=1):
        name = str(record["feature"]).strip()
        if name not in known:
            problems.append(Problem(row, "feature", f"{name!r} is not one of {', '.join(feature_names())}"))
            continue
        try:
            model[name] = float(record["weight"])
        except ValueError:
            problems.append(Problem(row, "weight", f"{record['weight']!r} is not a number"))
    if problems:
        raise InvalidDataError(str(path), problems)
    return model


def fit_logistic(rows: list[Mapping[str, float]], right: list[bool], penalty: float = 1.0) -> dict[str, float]:
    """Weights of a logistic model, L2-penalised (the intercept is not), by Newton's method: the small dev data
    (a few hundred records) needs the penalty to keep a rare stance's weight finite."""
    import numpy as np

    names = feature_names()
    x = np.array([[row.get(name, 0.0) for name in names] for row in rows], dtype=float)
    y = np.array(right, dtype=float)
    ridge = np.full(len(names), penalty)
    ridge[0] = 0.0
    weights = np.zeros(len(names))
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(x @ weights)))
        gradient = x.T @ (p - y) + ridge * weights
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(ridge) + 1e-9 * np.eye(len(names))
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return {name: round(float(w), 4) for name, w in zip(names, weights, strict=True)}


def held_out_confidence(outcomes, penalty: float = 1.0):
    """Each record's confidence from a model fitted on the other articles only (leave one article out): what
    the calibration of a model fitted on all of them can be expected to be on an article it has not seen.
    outcomes: one row per record with `article`, `right` and the `feature_<name>` columns."""
    import pandas as pd

    columns = [f"feature_{name}" for name in feature_names()]
    held_out = pd.Series(0.0, index=outcomes.index)
    for article in outcomes["article"].unique():
        inside = outcomes["article"] == article
        train = outcomes[~inside]
        rows = [dict(zip(feature_names(), values, strict=True)) for values in train[columns].to_numpy()]
        model = fit_logistic(rows, train["right"].astype(bool).tolist(), penalty)
        held_out[inside] = [
            round(predicted(dict(zip(feature_names(), values, strict=True)), model), 3)
            for values in outcomes.loc[inside, columns].to_numpy()
        ]
    return held_out

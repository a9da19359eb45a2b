"""Measuring the stance classifier and target detection on a labelled JSONL file, against two baselines.

The report gives per-stance precision, recall and F1, macro-F1 over the eight stances, strict and lenient
accuracy (lenient: a prediction listed in the item's `also` counts as right), target accuracy, the
confusion matrix, per-incident and per-tag figures, and every item the rules got wrong with the cue they
used. `format_report` renders it for the terminal, `report_as_dict` as JSON-ready data. Neither repeats
an item's sentence: the ids point back into the labelled file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard import codebook
from dashboard.codebook import codebook_version
from dashboard.errors import InvalidDataError, Problem, UnreadableFileError
from dashboard.scoring import Resources, score_records
from dashboard.targets import parse_targets
from dashboard.tone import textblob_tone

LABELLED_REQUIRED = ("text", "actor", "stance")
LABELLED_COLUMNS = ("id", "event", "source", "text", "actor", "speaker", "stance", "target", "cue", "also", "tags")
# The TextBlob-sign baseline: any non-zero polarity is read as a stance (negative condemn, positive support).
TEXTBLOB_BASELINE_THRESHOLD = 0.0


@dataclass(frozen=True)
class LabelScores:
    """Accuracy-type scores of one set of predictions against the gold labels."""

    strict_accuracy: float
    lenient_accuracy: float
    macro_f1: float


@dataclass(frozen=True)
class EvaluationReport:
    n: int
    strict_accuracy: float
    lenient_accuracy: float
    macro_f1: float
    per_label: pd.DataFrame  # index: stance; columns precision, recall, f1, support, predicted
    confusion: pd.DataFrame  # rows: gold stance, columns: predicted stance
    target_accuracy: float  # predicted and gold target sets overlap, or both are empty
    target_exact: float  # predicted target set equals the gold set
    baselines: dict[str, LabelScores]
    predictions: pd.DataFrame  # one row per item: id, gold, predicted, cue, targets, correct
    by_tag: pd.DataFrame  # strict accuracy and count per hard-case tag (negation, hedged, ...)
    by_event: pd.DataFrame  # per incident (`event`): items, strict and lenient accuracy, macro-F1
    codebook_version: str = field(default_factory=codebook_version)
    notes: tuple[str, ...] = field(default_factory=tuple)


def _as_list(value: object) -> tuple[str, ...]:
    return tuple(parse_targets(value))


def read_labelled_jsonl(path: Path | str) -> pd.DataFrame:
    """Read a labelled JSONL file (one object a line) into a frame; `also` and `tags` become tuples."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableFileError(str(path), str(exc)) from exc
    rows, problems = [], []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UnreadableFileError(str(path), f"line {number} is not JSON: {exc.msg}") from exc
        if not isinstance(item, dict):
            raise UnreadableFileError(str(path), f"line {number} is not a JSON object")
        for column in LABELLED_REQUIRED:
            if not str(item.get(column, "")).strip():
                problems.append(Problem(number, column, "is missing or empty"))
        if item.get("stance") and item["stance"] not in codebook.stances():
            problems.append(
                Problem(number, "stance", f"{item['stance']!r} is not one of {', '.join(codebook.stances())}")
            )
        rows.append(item)
    if problems:
        raise InvalidDataError(str(path), problems)
    frame = pd.DataFrame(rows)
    for column in LABELLED_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    frame["also"] = [_as_list(value) for value in frame["also"]]
    frame["tags"] = [_as_list(value) for value in frame["tags"]]
    for column in ("id", "event", "source", "text", "actor", "speaker", "stance", "target", "cue"):
        frame[column] = frame[column].fillna("").astype(str)
    return frame


def _label_scores(gold: list[str], predicted: list[str], also: list[tuple[str, ...]]) -> LabelScores:
    n = len(gold) or 1
    strict = sum(g == p for g, p in zip(gold, predicted, strict=True)) / n
    lenient = sum(g == p or p in a for g, p, a in zip(gold, predicted, also, strict=True)) / n
    return LabelScores(strict, lenient, _macro_f1(gold, predicted))


def _macro_f1(gold: list[str], predicted: list[str]) -> float:
    """Mean F1 over the stances that occur in gold or predictions (all eight on the dev set), as scikit-learn
    does: a stance absent from a small subset (one incident) would otherwise count as a zero."""
    per_label = _per_label(gold, predicted)
    seen = per_label[(per_label["support"] > 0) | (per_label["predicted"] > 0)]
    return float(seen["f1"].mean()) if len(seen) else 0.0


def _per_label(gold: list[str], predicted: list[str]) -> pd.DataFrame:
    rows = []
    for label in codebook.stances():
        true_positive = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        support = sum(g == label for g in gold)
        predicted_count = sum(p == label for p in predicted)
        precision = true_positive / predicted_count if predicted_count else 0.0
        recall = true_positive / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append(
            {
                "stance": label,
                "precision": precision,
                "recall": recall,
                "f1": f1,
                "support": support,
                "predicted": predicted_count,
            }
        )
    return pd.DataFrame(rows).set_index("stance")


def _confusion(gold: list[str], predicted: list[str]) -> pd.DataFrame:
    matrix = pd.DataFrame(0, index=list(codebook.stances()), columns=list(codebook.stances()))
    for g, p in zip(gold, predicted, strict=True):
        if g in codebook.stances() and p in codebook.stances():
            matrix.loc[g, p] += 1
    matrix.index.name = "gold"
    matrix.columns.name = "predicted"
    return matrix


def textblob_sign_stance(text: str) -> str:
    """Baseline: negative TextBlob polarity -> condemn, positive -> support, zero -> neutral."""
    polarity = textblob_tone(text).polarity
    if polarity < -TEXTBLOB_BASELINE_THRESHOLD:
        return "condemn"
    if polarity > TEXTBLOB_BASELINE_THRESHOLD:
        return "support"
    return "neutral"


def _names(cell: str, resources: Resources) -> set[str]:
    return {resources.registry.resolve_actor(part) or part for part in parse_targets(cell)}


def evaluate(labelled: pd.DataFrame, resources: Resources, progress=None) -> EvaluationReport:
    """Score the rules on labelled sentences: strict/lenient accuracy, macro-F1, per label, targets, baselines.
    `progress(done, total)` follows the scoring, as in score_records."""
    unlabelled = labelled.drop(columns=[c for c in ("stance", "target", "cue") if c in labelled.columns])
    scored = score_records(unlabelled[["actor", "text"]].assign(id=labelled.get("id", "")), resources, progress)
    gold = [str(stance) for stance in labelled["stance"]]
    also = [tuple(value) if isinstance(value, list | tuple) else () for value in labelled.get("also", [()] * len(gold))]
    predicted = list(scored["predicted_stance"])

    target_cells = labelled["target"] if "target" in labelled.columns else pd.Series([""] * len(gold))
    gold_targets = [_names(cell, resources) for cell in target_cells]
    predicted_targets = [_names(cell, resources) for cell in scored["predicted_target"]]
    overlap = [bool(g & p) or (not g and not p) for g, p in zip(gold_targets, predicted_targets, strict=True)]
    exact = [g == p for g, p in zip(gold_targets, predicted_targets, strict=True)]

    rules = _label_scores(gold, predicted, also)
    majority = max(codebook.stances(), key=lambda label: (gold.count(label), -codebook.stances().index(label)))
    baselines = {
        f"majority class ({majority})": _label_scores(gold, [majority] * len(gold), also),
        "TextBlob sign": _label_scores(gold, [textblob_sign_stance(text) for text in labelled["text"]], also),
    }
    n = len(gold)
    predictions = pd.DataFrame(
        {
            "id": list(labelled["id"]) if "id" in labelled.columns else list(range(1, n + 1)),
            "event": list(labelled["event"]) if "event" in labelled.columns else [""] * n,
            "actor": list(labelled["actor"]),
            "gold": gold,
            "also": [", ".join(a) for a in also],
            "predicted": predicted,
            "cue": list(scored["predicted_cue"]),
            "confidence": list(scored["confidence"]),
            "gold_target": ["; ".join(sorted(g)) for g in gold_targets],
            "predicted_target": list(scored["predicted_target"]),
            "correct": [g == p for g, p in zip(gold, predicted, strict=True)],
            "target_overlap": overlap,
        }
    )
    tags = labelled["tags"] if "tags" in labelled.columns else pd.Series([()] * n)
    tag_rows = [
        {"tag": tag, "correct": is_correct}
        for item_tags, is_correct in zip(tags, predictions["correct"], strict=True)
        for tag in (item_tags if isinstance(item_tags, list | tuple) else ())
    ]
    by_tag = (
        pd.DataFrame(tag_rows).groupby("tag")["correct"].agg(strict_accuracy="mean", items="count")
        if tag_rows
        else pd.DataFrame({"strict_accuracy": [], "items": []})
    )
    return EvaluationReport(
        n=n,
        by_event=_by_event(predictions, also),
        strict_accuracy=rules.strict_accuracy,
        lenient_accuracy=rules.lenient_accuracy,
        macro_f1=rules.macro_f1,
        per_label=_per_label(gold, predicted),
        confusion=_confusion(gold, predicted),
        target_accuracy=sum(overlap) / n if n else 0.0,
        target_exact=sum(exact) / n if n else 0.0,
        baselines=baselines,
        predictions=predictions,
        by_tag=by_tag.sort_values("items", ascending=False),
    )


def _by_event(predictions: pd.DataFrame, also: list[tuple[str, ...]]) -> pd.DataFrame:
    rows = []
    for event in dict.fromkeys(predictions["event"]):
        mask = (predictions["event"] == event).to_numpy()
        scores = _label_scores(
            list(predictions["gold"][mask]),
            list(predictions["predicted"][mask]),
            [a for a, keep in zip(also, mask, strict=True) if keep],
        )
        rows.append(
            {
                "event": event or "(none)",
                "items": int(mask.sum()),
                "strict": scores.strict_accuracy,
                "lenient": scores.lenient_accuracy,
                "macro_f1": scores.macro_f1,
            }
        )
    return pd.DataFrame(rows).set_index("event")


def wrong_items(report: EvaluationReport) -> pd.DataFrame:
    """The items whose predicted stance differs from the gold one, with the cue the rules used."""
    columns = ["id", "event", "actor", "gold", "also", "predicted", "cue", "confidence", "gold_target"]
    columns.append("predicted_target")
    return report.predictions.loc[~report.predictions["correct"], columns].reset_index(drop=True)


def report_as_dict(report: EvaluationReport) -> dict:
    """The whole report as plain JSON-ready data (the same numbers `format_report` prints)."""

    def table(frame: pd.DataFrame) -> dict:
        rows = frame.to_dict(orient="index")
        return {str(key): {str(k): _plain(v) for k, v in row.items()} for key, row in rows.items()}

    return {
        "items": report.n,
        "codebook_version": report.codebook_version,
        "strict_accuracy": report.strict_accuracy,
        "lenient_accuracy": report.lenient_accuracy,
        "macro_f1": report.macro_f1,
        "target_accuracy": report.target_accuracy,
        "target_exact": report.target_exact,
        "per_stance": table(report.per_label),
        "confusion": {"rows": "gold", "columns": "predicted", "counts": table(report.confusion)},
        "baselines": {
            name: {"strict_accuracy": s.strict_accuracy, "lenient_accuracy": s.lenient_accuracy, "macro_f1": s.macro_f1}
            for name, s in report.baselines.items()
        },
        "by_event": table(report.by_event),
        "by_tag": table(report.by_tag),
        "wrong": [{k: _plain(v) for k, v in row.items()} for row in wrong_items(report).to_dict("records")],
    }


def _plain(value: object) -> object:
    """numpy scalars to Python ones, so json.dumps takes them."""
    return value.item() if hasattr(value, "item") else value


def format_report(report: EvaluationReport) -> str:
    """The report as plain text for the terminal."""
    lines = [
        f"Stance evaluation on {report.n} labelled sentences (codebook {report.codebook_version})",
        "",
        f"{'method':<34}{'strict':>8}{'lenient':>9}{'macro-F1':>10}",
        f"{'rules (cue lexicon)':<34}{report.strict_accuracy:>8.3f}{report.lenient_accuracy:>9.3f}"
        f"{report.macro_f1:>10.3f}",
    ]
    for name, scores in report.baselines.items():
        lines.append(f"{name:<34}{scores.strict_accuracy:>8.3f}{scores.lenient_accuracy:>9.3f}{scores.macro_f1:>10.3f}")
    lines += [
        "",
        f"target accuracy (sets overlap, or both empty): {report.target_accuracy:.3f}",
        f"target exact match:                            {report.target_exact:.3f}",
        "",
        "per label:",
        report.per_label.to_string(float_format=lambda value: f"{value:.2f}"),
        "",
        "confusion (rows gold, columns predicted):",
        report.confusion.to_string(),
    ]
    if len(report.by_event) > 1:
        lines += ["", "by incident:", report.by_event.to_string(float_format=lambda value: f"{value:.3f}")]
    if len(report.by_tag):
        lines += [
            "",
            "strict accuracy by hard-case tag:",
            report.by_tag.to_string(float_format=lambda value: f"{value:.2f}"),
        ]
    wrong = wrong_items(report)
    lines += ["", f"wrong ({len(wrong)} of {report.n}): id, gold, predicted, the cue the rules used"]
    for row in wrong.itertuples():
        lines.append(
            f"  {row.id:<10} gold {row.gold:<11} predicted {row.predicted:<11} cue {repr(row.cue) if row.cue else '(none)'}"
        )
    return "\n".join(lines)

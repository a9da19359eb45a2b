"""Fit the extractor's confidence model on the dev articles and measure its calibration on articles held out.

    .venv/bin/python scripts/fit_confidence.py            # print the reliability tables, before and after
    .venv/bin/python scripts/fit_confidence.py --write    # also write data/confidence_model.csv

The dev articles (../shared/eval/articles, not in this repository) are the only data fitted on; the sealed
articles in tests/data are never used here. "Before" is the hand-set formula (extract.confidence); "after, held
out" gives each article's records the confidence of a model fitted on the other five articles (leave one
article out), so it says what the shipped model, fitted on all six, can be expected to do on an unseen article.
A record is right when its (actor, stance, target) is in its article's gold lines.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.evaluate_articles import calibration_table, record_outcomes  # noqa: E402
from dashboard.extract import default_rules  # noqa: E402
from dashboard.extract.confidence import (  # noqa: E402
    MODEL_FILE,
    feature_names,
    fit_logistic,
    held_out_confidence,
)
from dashboard.scoring import load_resources  # noqa: E402

DEV_ARTICLES = ROOT.parent / "shared" / "eval" / "articles"
MODEL = ROOT / "data" / MODEL_FILE
# The L2 penalty on every weight but the intercept: a few hundred records, some stances with under ten.
PENALTY = 1.0
HEADER = """# The extractor's confidence model: a logistic model over a proposed record's evidence (dashboard/extract/confidence.py).
# Fitted on the six dev articles (../shared/eval/articles; never on tests/data) by
# `python scripts/fit_confidence.py --write`, L2 penalty {penalty} on every weight but the intercept.
# Confidence = 1 / (1 + exp(-(sum of weight x feature))); a record is "right" when its (actor, stance, target)
# is in its article's gold lines. Calibration measured on articles held out of the fit: data/confidence_calibration.csv.
# feature  intercept (always 1); cue_weight (the cue's lexicon weight, at most 1); target_from_context and
#          actor_from_context (1 when read from earlier sentences); no_target (1 when the record names none);
#          speaker_named (1 when a person is named); stance_<s> (1 for the record's stance)
# weight   the fitted weight
"""


def brier(confidence, right) -> float:
    return float(((confidence - right.astype(float)) ** 2).mean())


def expected_calibration_error(table) -> float:
    rows = table.dropna(subset=["share_right"])
    total = rows["records"].sum()
    return float((rows["records"] * (rows["mean_confidence"] - rows["share_right"]).abs()).sum() / total)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write data/{MODEL_FILE}")
    args = parser.parse_args()
    if not DEV_ARTICLES.is_dir():
        print(f"needs {DEV_ARTICLES}", file=sys.stderr)
        return 1
    resources = load_resources()
    hand_set = replace(default_rules(), confidence_model={})
    outcomes = record_outcomes(DEV_ARTICLES, resources, hand_set, with_features=True)
    held_out = held_out_confidence(outcomes, PENALTY)
    right = outcomes["right"]
    for label, confidence in (("before (hand-set formula)", outcomes["confidence"]), ("after, held out", held_out)):
        table = calibration_table(confidence, right)
        print(
            f"\n{label}: {len(outcomes)} records, Brier {brier(confidence, right):.3f}, "
            f"ECE {expected_calibration_error(table):.3f}"
        )
        print(table.to_string(index=False))
    columns = [f"feature_{name}" for name in feature_names()]
    rows = [dict(zip(feature_names(), values, strict=True)) for values in outcomes[columns].to_numpy()]
    model = fit_logistic(rows, right.astype(bool).tolist(), PENALTY)
    print("\nweights fitted on all six:", model)
    if args.write:
        lines = [HEADER.format(penalty=PENALTY), "feature,weight\n"]
        lines += [f"{name},{weight}\n" for name, weight in model.items()]
        MODEL.write_text("".join(lines), encoding="utf-8")
        print(f"wrote {MODEL}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

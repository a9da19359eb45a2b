"""The accuracy figures README reports, measured now and set beside the figures before issue 9's work.

    .venv/bin/python benchmarks/evaluation_figures.py                  # print the Markdown
    .venv/bin/python benchmarks/evaluation_figures.py --write README.md # replace the block between the markers
    .venv/bin/python benchmarks/evaluation_figures.py --json > docs/evaluation_baseline.json
    .venv/bin/python benchmarks/evaluation_figures.py --calibration  # rewrite data/confidence_calibration.csv

What it measures, each with the command that gives the same figures:
- the stance rules on the dev sentences (`reactions evaluate ../shared/eval/reactions_dev.jsonl`) and on the
  project's own sealed sentence sets (`reactions evaluate tests/data/stance_round9.jsonl`, ...), macro-F1 overall
  and per incident;
- extraction on the six dev articles (`reactions evaluate --articles ../shared/eval/articles`) and on the sealed
  articles (`reactions evaluate --articles tests/data/articles`): triple and actor F1 per article and pooled.

`--json` writes the same figures as data; `docs/evaluation_baseline.json` holds them as measured on commit fa526d5
(main before issue 9), with this script's measuring code copied into that checkout. The ../shared/eval files are
not part of the repository; where they are absent those rows are left out.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.evaluate import evaluate, read_labelled_jsonl  # noqa: E402
from dashboard.evaluate_articles import calibration_table, evaluate_articles, record_outcomes  # noqa: E402
from dashboard.extract.confidence import held_out_confidence  # noqa: E402
from dashboard.scoring import load_resources  # noqa: E402

DEV_SENTENCES = ROOT.parent / "shared" / "eval" / "reactions_dev.jsonl"
DEV_ARTICLES = ROOT.parent / "shared" / "eval" / "articles"
SEALED_SENTENCES = ("stance_round10.jsonl", "stance_round9.jsonl", "stance_final.jsonl", "stance_sealed.jsonl")
SEALED_ARTICLES = ROOT / "tests" / "data" / "articles"
BASELINE = ROOT / "docs" / "evaluation_baseline.json"
# Each later round of rule work: its sealed set, and this script's --json at the commit that added that set (before
# any of the round's rules), so the README can set the round's figures beside its own start.
ROUNDS = (
    (
        "round 10 (issue 9, failure mode 7: stance of unknown wording), start = commit b256db5",
        "stance_round10.jsonl",
        ROOT / "docs" / "evaluation_round10_start.json",
    ),
    (
        "round 14 (extraction: organisation heads, diplomatic posts, dated speakers, quotations, confidence), "
        "start = commit b420561; its sealed articles are scored by benchmarks/sentence_triples.py",
        "",
        ROOT / "docs" / "evaluation_round14_start.json",
    ),
)
START, END = "<!-- extraction-figures:start -->", "<!-- extraction-figures:end -->"
CALIBRATION = ROOT / "data" / "confidence_calibration.csv"
CALIBRATION_HEADER = """# How well confidence is calibrated on the development data (../shared/eval, not in this repository).
# Written by `python benchmarks/evaluation_figures.py --calibration`; read by the Method page.
# set              extraction: every record `reactions extract` proposes for the six dev articles, right when
#                  its (actor, stance, target) is in the article's gold lines, with the confidence of the model
#                  (data/confidence_model.csv) fitted on the other five articles: held out, since the shipped
#                  model is fitted on all six (scripts/fit_confidence.py); stance: the 108 dev sentences,
#                  right when the predicted stance is the labelled one
# band             the confidence band [low, high)
# records          how many records or sentences fell in the band
# mean_confidence  their mean confidence
# share_right      the share that was right: calibrated when close to mean_confidence
"""


def write_calibration() -> int:
    import pandas as pd

    if not (DEV_ARTICLES.is_dir() and DEV_SENTENCES.is_file()):
        print(f"needs {DEV_ARTICLES} and {DEV_SENTENCES}", file=sys.stderr)
        return 1
    resources = load_resources()
    outcomes = record_outcomes(DEV_ARTICLES, resources, with_features=True)
    report = evaluate(read_labelled_jsonl(DEV_SENTENCES), resources)
    tables = [
        calibration_table(held_out_confidence(outcomes), outcomes["right"]).assign(set="extraction"),
        calibration_table(report.predictions["confidence"], report.predictions["correct"]).assign(set="stance"),
    ]
    table = pd.concat(tables)[["set", "band", "records", "mean_confidence", "share_right"]]
    CALIBRATION.write_text(CALIBRATION_HEADER + table.to_csv(index=False), encoding="utf-8")
    print(table.to_string(index=False))
    return 0


def measure() -> dict:
    resources = load_resources()
    figures: dict = {"sentences": {}, "articles": {}}
    sentence_sets = [("reactions_dev.jsonl (dev)", DEV_SENTENCES)] if DEV_SENTENCES.is_file() else []
    sentence_sets += [(name, ROOT / "tests" / "data" / name) for name in SEALED_SENTENCES]
    for label, path in sentence_sets:
        report = evaluate(read_labelled_jsonl(path), resources)
        figures["sentences"][label] = {
            "items": report.n,
            "macro_f1": report.macro_f1,
            "strict": report.strict_accuracy,
            "target_overlap": report.target_accuracy,
            "by_incident": {str(k): float(v) for k, v in report.by_event["macro_f1"].items()},
        }
    article_sets = [("dev articles", DEV_ARTICLES)] if DEV_ARTICLES.is_dir() else []
    article_sets.append(("sealed articles", SEALED_ARTICLES))
    for label, folder in article_sets:
        report = evaluate_articles(folder, resources)
        rows = {a.name: (a.triples, a.actors, a.stance_accuracy) for a in report.articles}
        rows["pooled"] = (report.triples, report.actors, report.stance_accuracy)
        figures["articles"][label] = {
            name: {
                "triple_precision": t.precision,
                "triple_recall": t.recall,
                "triple_f1": t.f1,
                "actor_f1": a.f1,
                "stance_accuracy": s,
            }
            for name, (t, a, s) in rows.items()
        }
    return figures


def _before(baseline: dict, *keys: str) -> str:
    value = baseline
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return "–"
        value = value[key]
    return f"{value:.3f}"


def markdown(now: dict, baseline: dict) -> str:
    lines = [
        START,
        "Extraction on whole articles, `reactions evaluate --articles DIR` ((actor, stance, target) triples; a joint",
        'statement counts once per member; "before" is main before issue 9, commit fa526d5):',
        "",
        "| set | article | triple P | triple R | triple F1 before | triple F1 now | actor F1 before | actor F1 now |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, articles in now["articles"].items():
        for name, row in articles.items():
            bold = "**" if name == "pooled" else ""
            lines.append(
                f"| {label} | {bold}{name}{bold} | {row['triple_precision']:.3f} | {row['triple_recall']:.3f} | "
                f"{_before(baseline, 'articles', label, name, 'triple_f1')} | {bold}{row['triple_f1']:.3f}{bold} | "
                f"{_before(baseline, 'articles', label, name, 'actor_f1')} | {row['actor_f1']:.3f} |"
            )
    lines += [
        "",
        "Stance on single sentences, `reactions evaluate FILE` (macro-F1 over the eight stances, per incident too):",
        "",
        "| set | items | macro-F1 before | macro-F1 now | per incident now (before) |",
        "|---|---|---|---|---|",
    ]
    for label, row in now["sentences"].items():
        incidents = ", ".join(
            f"{event} {value:.3f} ({_before(baseline, 'sentences', label, 'by_incident', event)})"
            for event, value in row["by_incident"].items()
        )
        lines.append(
            f"| {label} | {row['items']} | {_before(baseline, 'sentences', label, 'macro_f1')} | "
            f"{row['macro_f1']:.3f} | {incidents} |"
        )
    for title, sealed, start_file in ROUNDS:
        if not start_file.is_file():
            continue
        start = json.loads(start_file.read_text(encoding="utf-8"))
        lines += ["", f"Rule work of {title}: start → now.", "", "| set | macro-F1 | per incident |", "|---|---|---|"]
        for label in (sealed, "reactions_dev.jsonl (dev)"):
            if label not in now["sentences"]:
                continue
            incidents = ", ".join(
                f"{event} {_before(start, 'sentences', label, 'by_incident', event)} → {value:.3f}"
                for event, value in now["sentences"][label]["by_incident"].items()
            )
            before = _before(start, "sentences", label, "macro_f1")
            lines.append(f"| {label} | {before} → {now['sentences'][label]['macro_f1']:.3f} | {incidents} |")
        for label, articles in now["articles"].items():
            before = _before(start, "articles", label, "pooled", "triple_f1")
            per_article = ", ".join(
                f"{name} {_before(start, 'articles', label, name, 'triple_f1')} → {row['triple_f1']:.3f}"
                for name, row in articles.items()
                if name != "pooled"
            )
            lines.append(
                f"| {label}, pooled triple F1 | {before} → {articles['pooled']['triple_f1']:.3f} | {per_article} |"
            )
    lines.append(END)
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--write", metavar="README", help="replace the block between the markers in this file")
    parser.add_argument("--calibration", action="store_true", help="rewrite " + str(CALIBRATION.relative_to(ROOT)))
    args = parser.parse_args()
    if args.calibration:
        return write_calibration()
    now = measure()
    if args.json:
        print(json.dumps(now, indent=2))
        return 0
    baseline = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.is_file() else {}
    block = markdown(now, baseline)
    if not args.write:
        print(block)
        return 0
    path = Path(args.write)
    text = path.read_text(encoding="utf-8")
    if START not in text or END not in text:
        print(f"{path}: no {START} ... {END} block to replace", file=sys.stderr)
        return 1
    head, rest = text.split(START, 1)
    path.write_text(head + block + rest.split(END, 1)[1], encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

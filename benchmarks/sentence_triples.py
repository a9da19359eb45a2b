"""Extraction scored sentence by sentence: (actor, stance, target, sentence) against an article folder's gold lines.

    .venv/bin/python benchmarks/sentence_triples.py tests/data/articles_round14

`reactions evaluate --articles` compares each article's set of (actor, stance, target) triples, so a triple
found in one sentence hides the same triple missed in another (a quotation's second sentence, an embassy
repeating its ministry). Here the sentence counts too: a record matches a gold line when actor, stance and
target agree and the record's sentence overlaps the gold sentence. A record whose sentence has no gold line is
a false positive (the set's "no record here" sentences: a former office-holder speaking). Printed per article
and pooled, beside the article-level triple F1 of the same run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.evaluate_articles import (  # noqa: E402
    GOLD_SUFFIX,
    Counts,
    _members,
    article_date,
    read_gold,
    score_article,
)
from dashboard.extract import extract_records  # noqa: E402
from dashboard.scoring import load_resources  # noqa: E402


def sentence_counts(gold, records, resources) -> Counts:
    """Gold and predicted (actor, stance, target, sentence) sets compared; a sentence is keyed by the gold span it
    overlaps, else by the record's own span."""
    spans = sorted({span for line in gold for span in line.spans})

    def key(start: int, end: int) -> tuple[int, int]:
        return next(((a, b) for a, b in spans if a < end and start < b), (start, end))

    wanted = {
        (a, line.stance, t, span)
        for line in gold
        for a in line.actors
        for t in (line.targets or ("",))
        for span in line.spans
    }
    found = set()
    for record in records.itertuples():
        for a in _members(record.actor, resources):
            for t in _members(record.target, resources) or ("",):
                found.add((a, str(record.stance), t, key(int(record.start), int(record.end))))
    return Counts(len(found & wanted), len(found), len(wanted))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--misses", action="store_true", help="list the missed and spurious sentence triples")
    args = parser.parse_args()
    resources = load_resources()
    pooled_sentences = pooled_articles = Counts(0, 0, 0)
    print("| article | sentence triples right/proposed/gold | sentence F1 | article triple F1 |")
    print("|---|---|---|---|")
    for gold_path in sorted(args.folder.glob("*" + GOLD_SUFFIX)):
        name = gold_path.name[: -len(GOLD_SUFFIX)]
        article_path = gold_path.with_name(f"{name}.txt")
        text = article_path.read_text(encoding="utf-8")
        gold = read_gold(gold_path, text, resources)
        date = article_date(article_path)
        records = extract_records(text, resources, name, date, article_path.name)
        sentences = sentence_counts(gold, records, resources)
        article = score_article(name, text, gold, records, resources, date).triples
        pooled_sentences, pooled_articles = pooled_sentences + sentences, pooled_articles + article
        print(
            f"| {name} | {sentences.hits}/{sentences.predicted}/{sentences.gold} | {sentences.f1:.3f} | {article.f1:.3f} |"
        )
        if args.misses:
            for record in records.itertuples():
                print(f"    got  {record.actor!r} {record.stance} {record.target!r}: {record.text[:70]!r}")
            for line in gold:
                print(f"    gold {line.actors} {line.stance} {line.targets}: {line.sentence[:70]!r}")
    s, a = pooled_sentences, pooled_articles
    print(
        f"| **pooled** | {s.hits}/{s.predicted}/{s.gold} (P {s.precision:.3f}, R {s.recall:.3f}) | **{s.f1:.3f}** | {a.f1:.3f} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

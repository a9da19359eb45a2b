"""Measuring `reactions extract` on whole articles labelled by hand.

A folder holds `NAME.txt` articles, each with `NAME.gold.jsonl` beside it: one JSON line per attributed
reaction, `{"actor", "stance", "target", "sentence"}`, where `sentence` is an exact substring of the
article. For every article and pooled over all of them, the report gives:

- triples: the set of (actor, stance, target) the extractor proposes against the gold set. A joint
  "A; B" in the actor or the target counts once for each member; an empty target is a value like any
  other and matches only an empty target. Names are read through the registry (aliases to canonical
  names; a name it does not know is kept as written). Pooled counts are summed over articles.
- actors: the same for the set of reacting actors.
- stance accuracy: over the proposed records whose actor and sentence match a gold line (the record's
  sentence overlaps the gold sentence), the share whose stance is one the gold gives that actor there.

The article's date picks speakers' roles: `NAME.date` (one ISO date) when present, else the year at the
end of the slug ("-2022") read as 1 July of that year, else no date.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard import codebook
from dashboard.errors import InvalidDataError, Problem, UnreadableFileError
from dashboard.scoring import Resources
from dashboard.targets import parse_targets

GOLD_SUFFIX = ".gold.jsonl"
DATE_SUFFIX = ".date"
GOLD_FIELDS = ("actor", "stance", "target", "sentence")
_SLUG_YEAR = re.compile(r"-((?:19|20)\d\d)$")
# A slug's year alone: the middle of the year, so that a role held all year is found.
MID_YEAR = "07-01"


@dataclass(frozen=True)
class GoldLine:
    actors: tuple[str, ...]
    stance: str
    targets: tuple[str, ...]
    sentence: str
    spans: tuple[tuple[int, int], ...]  # where the sentence occurs in the article


@dataclass(frozen=True)
class Counts:
    """Set-comparison counts: true positives, predicted, gold."""

    hits: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.hits / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.hits / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.hits + other.hits, self.predicted + other.predicted, self.gold + other.gold)


@dataclass(frozen=True)
class ArticleScore:
    name: str
    date: str
    triples: Counts
    actors: Counts
    stance_right: int
    stance_matched: int
    missed: tuple[tuple[str, str, str], ...]  # gold triples not proposed
    spurious: tuple[tuple[str, str, str], ...]  # proposed triples not in gold

    @property
    def stance_accuracy(self) -> float:
        return self.stance_right / self.stance_matched if self.stance_matched else 0.0


@dataclass(frozen=True)
class ArticlesReport:
    articles: tuple[ArticleScore, ...]

    @property
    def triples(self) -> Counts:
        return sum((a.triples for a in self.articles), Counts(0, 0, 0))

    @property
    def actors(self) -> Counts:
        return sum((a.actors for a in self.articles), Counts(0, 0, 0))

    @property
    def stance_accuracy(self) -> float:
        matched = sum(a.stance_matched for a in self.articles)
        return sum(a.stance_right for a in self.articles) / matched if matched else 0.0


def _members(cell: object, resources: Resources) -> tuple[str, ...]:
    parts = parse_targets(cell)
    return tuple(dict.fromkeys(resources.registry.resolve_actor(part) or part for part in parts))


def _spans(text: str, sentence: str) -> tuple[tuple[int, int], ...]:
    spans, start = [], text.find(sentence)
    while start >= 0:
        spans.append((start, start + len(sentence)))
        start = text.find(sentence, start + 1)
    return tuple(spans)


def read_gold(path: Path, text: str, resources: Resources) -> list[GoldLine]:
    """The gold lines of one article; every problem (a missing field, an unknown stance, a sentence that is not
    in the article) is reported at once, with its line number."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableFileError(str(path), str(exc)) from exc
    gold, problems = [], []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UnreadableFileError(str(path), f"line {number} is not JSON: {exc.msg}") from exc
        if not isinstance(item, dict):
            raise UnreadableFileError(str(path), f"line {number} is not a JSON object")
        missing = [name for name in GOLD_FIELDS if name not in item]
        for name in missing:
            problems.append(Problem(number, name, "is missing"))
        if missing:
            continue
        if item["stance"] not in codebook.stances():
            problems.append(
                Problem(number, "stance", f"{item['stance']!r} is not one of {', '.join(codebook.stances())}")
            )
            continue
        actors = _members(item["actor"], resources)
        if not actors:
            problems.append(Problem(number, "actor", "is empty"))
            continue
        spans = _spans(text, str(item["sentence"]))
        if not spans:
            problems.append(Problem(number, "sentence", "is not an exact substring of the article"))
            continue
        gold.append(GoldLine(actors, item["stance"], _members(item["target"], resources), item["sentence"], spans))
    if problems:
        raise InvalidDataError(str(path), problems)
    return gold


def _gold_triples(gold: list[GoldLine]) -> set[tuple[str, str, str]]:
    return {(a, g.stance, t) for g in gold for a in g.actors for t in (g.targets or ("",))}


def _record_triples(records: pd.DataFrame, resources: Resources) -> set[tuple[str, str, str]]:
    found = set()
    for actor, stance, target in zip(records["actor"], records["stance"], records["target"], strict=True):
        for a in _members(actor, resources):
            for t in _members(target, resources) or ("",):
                found.add((a, str(stance), t))
    return found


def _compare(predicted: set, gold: set) -> Counts:
    return Counts(len(predicted & gold), len(predicted), len(gold))


def article_date(path: Path) -> str:
    """The article's date: NAME.date if present, else 1 July of the slug's final year, else ""."""
    date_file = path.with_name(path.name[: -len(".txt")] + DATE_SUFFIX)
    if date_file.is_file():
        return date_file.read_text(encoding="utf-8").strip()
    year = _SLUG_YEAR.search(path.name[: -len(".txt")])
    return f"{year.group(1)}-{MID_YEAR}" if year else ""


def score_article(
    name: str, text: str, gold: list[GoldLine], records: pd.DataFrame, resources, date=""
) -> ArticleScore:
    """Compare the records proposed for one article with its gold lines."""
    predicted = _record_triples(records, resources)
    wanted = _gold_triples(gold)
    predicted_actors = {a for a, _, _ in predicted}
    gold_actors = {a for a, _, _ in wanted}
    right = matched = 0
    for record in records.itertuples():
        actors = set(_members(record.actor, resources))
        stances = {
            g.stance
            for g in gold
            if actors & set(g.actors) and any(start < record.end and record.start < end for start, end in g.spans)
        }
        if stances:
            matched += 1
            right += record.stance in stances
    return ArticleScore(
        name=name,
        date=date,
        triples=_compare(predicted, wanted),
        actors=_compare(predicted_actors, gold_actors),
        stance_right=right,
        stance_matched=matched,
        missed=tuple(sorted(wanted - predicted)),
        spurious=tuple(sorted(predicted - wanted)),
    )


def evaluate_articles(directory: Path | str, resources: Resources) -> ArticlesReport:
    """Extract every NAME.txt that has NAME.gold.jsonl beside it and score it (see the module docstring)."""
    from dashboard.extract import extract_records

    directory = Path(directory)
    if not directory.is_dir():
        raise UnreadableFileError(str(directory), "is not a folder")
    scores = []
    for gold_path in sorted(directory.glob("*" + GOLD_SUFFIX)):
        name = gold_path.name[: -len(GOLD_SUFFIX)]
        article_path = directory / f"{name}.txt"
        if not article_path.is_file():
            raise UnreadableFileError(str(gold_path), f"has no article {article_path.name} beside it")
        try:
            text = article_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UnreadableFileError(str(article_path), str(exc)) from exc
        gold = read_gold(gold_path, text, resources)
        date = article_date(article_path)
        records = extract_records(text, resources, name, date, article_path.name)
        scores.append(score_article(name, text, gold, records, resources, date))
    if not scores:
        raise UnreadableFileError(str(directory), f"has no NAME.txt with a NAME{GOLD_SUFFIX} beside it")
    return ArticlesReport(tuple(scores))


# Confidence bands for the calibration table: a record's confidence falls in [low, high).
CALIBRATION_BANDS = (0.0, 0.5, 0.6, 0.7, 0.8, 1.01)


def record_outcomes(
    directory: Path | str, resources: Resources, rules=None, with_features: bool = False
) -> pd.DataFrame:
    """Every record extracted from the labelled articles, with its confidence and whether its (actor, stance,
    target) triple is in the article's gold set: what the confidence is calibrated against. with_features adds
    the evidence the confidence model reads (`feature_<name>` columns); rules may replace the shipped ones."""
    from dashboard.extract import extract_records

    rows = []
    frames = []
    for gold_path in sorted(Path(directory).glob("*" + GOLD_SUFFIX)):
        name = gold_path.name[: -len(GOLD_SUFFIX)]
        article_path = gold_path.with_name(f"{name}.txt")
        text = article_path.read_text(encoding="utf-8")
        wanted = _gold_triples(read_gold(gold_path, text, resources))
        records = extract_records(
            text, resources, name, article_date(article_path), article_path.name, rules, with_features=with_features
        )
        for record in records.itertuples():
            triples = _record_triples(records.loc[[record.Index]], resources)
            rows.append({"article": name, "confidence": float(record.confidence), "right": bool(triples & wanted)})
        frames.append(records.filter(like="feature_"))
    table = pd.DataFrame(rows, columns=["article", "confidence", "right"])
    if with_features and frames:
        table = pd.concat([table, pd.concat(frames, ignore_index=True)], axis=1)
    return table


def calibration_table(confidence: pd.Series, right: pd.Series) -> pd.DataFrame:
    """Per confidence band: how many records, their mean confidence, and the share that was right. A
    calibrated confidence has the share right close to the mean confidence in every band."""
    rows = []
    bands = CALIBRATION_BANDS
    for low, high in zip(bands, bands[1:], strict=False):
        inside = (confidence >= low) & (confidence < high)
        count = int(inside.sum())
        rows.append(
            {
                "band": f"{low:.2f}–{min(high, 1.0):.2f}",
                "records": count,
                "mean_confidence": round(float(confidence[inside].mean()), 3) if count else None,
                "share_right": round(float(right[inside].mean()), 3) if count else None,
            }
        )
    return pd.DataFrame(rows)


def _row(name: str, triples: Counts, actors: Counts, accuracy: float, matched: int) -> dict:
    return {
        "article": name,
        "triple_precision": triples.precision,
        "triple_recall": triples.recall,
        "triple_f1": triples.f1,
        "triples_right": triples.hits,
        "triples_proposed": triples.predicted,
        "triples_gold": triples.gold,
        "actor_precision": actors.precision,
        "actor_recall": actors.recall,
        "actor_f1": actors.f1,
        "stance_accuracy": accuracy,
        "stance_matched": matched,
    }


def report_table(report: ArticlesReport) -> pd.DataFrame:
    """One row per article and a last `pooled` row (counts summed over articles)."""
    rows = [_row(a.name, a.triples, a.actors, a.stance_accuracy, a.stance_matched) for a in report.articles]
    matched = sum(a.stance_matched for a in report.articles)
    rows.append(_row("pooled", report.triples, report.actors, report.stance_accuracy, matched))
    return pd.DataFrame(rows).set_index("article")


def report_as_dict(report: ArticlesReport) -> dict:
    table = report_table(report)
    return {
        "articles": {
            name: {key: (value.item() if hasattr(value, "item") else value) for key, value in row.items()}
            for name, row in table.to_dict(orient="index").items()
        },
        "missed": {a.name: [list(t) for t in a.missed] for a in report.articles},
        "spurious": {a.name: [list(t) for t in a.spurious] for a in report.articles},
    }


def format_report(report: ArticlesReport, details: bool = False) -> str:
    """The per-article and pooled figures as plain text; with details, the missed and spurious triples."""
    table = report_table(report)
    lines = [
        f"Extraction on {len(report.articles)} labelled articles: (actor, stance, target) triples, actors, stance",
        "",
        f"{'article':<34}{'triple P':>9}{'R':>7}{'F1':>7}{'right/prop/gold':>17}{'actor P':>9}{'R':>7}{'F1':>7}"
        f"{'stance acc':>12}",
    ]
    for name, row in table.iterrows():
        counts = f"{int(row.triples_right)}/{int(row.triples_proposed)}/{int(row.triples_gold)}"
        lines.append(
            f"{name:<34}{row.triple_precision:>9.3f}{row.triple_recall:>7.3f}{row.triple_f1:>7.3f}{counts:>17}"
            f"{row.actor_precision:>9.3f}{row.actor_recall:>7.3f}{row.actor_f1:>7.3f}"
            f"{row.stance_accuracy:>8.3f} ({int(row.stance_matched)})"
        )
    if details:
        for article in report.articles:
            lines += ["", f"{article.name}:"]
            lines += [f"  missed   {a} | {s} | {t or '(none)'}" for a, s, t in article.missed]
            lines += [f"  spurious {a} | {s} | {t or '(none)'}" for a, s, t in article.spurious]
    return "\n".join(lines)

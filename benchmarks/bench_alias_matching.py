"""Alias matching speed: one regular expression (the way registry.py and extract.py matched before) against the
Aho-Corasick PhraseMatcher of dashboard/textpatterns.py, on distinct 5 kB articles.

    .venv/bin/python benchmarks/bench_alias_matching.py [--articles 40] [--repeat 5]

Phrase sets: the shipped registry's (aliases, names, stop phrases and ambiguous names), and that set grown to
about 5,000 with made-up names, as a registry with cities, parties and people would be. Every article is
different (seeded random sentences naming random actors), so no cache can help either method. Both methods must
find exactly the same matches; the script checks that before timing. It prints the median time per article and
the ratio regex / automaton. Tests never assert on time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import time

from dashboard.registry import load_registry
from dashboard.textpatterns import PhraseMatcher, alias_pattern

TEMPLATES = (
    "{a} condemned the strike on {b} and called for an inquiry into the deaths of {n} civilians.",
    "The foreign ministry of {a} said it was deeply concerned by reports from {b}.",
    "{a}'s president spoke with his counterpart in {b} on {day} about the {w} crisis.",
    "Officials in {a} denied that their forces had crossed into {b} near the {w} border.",
    "A spokesman for {a} urged all sides to show restraint, while {b} warned of consequences.",
    "In a joint statement, {a} and {b} expressed solidarity with the people of {c}.",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
ARTICLE_BYTES = 5_000


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 9)))


def make_articles(names: list[str], count: int, seed: int = 8) -> list[str]:
    rng = random.Random(seed)
    articles = []
    for _ in range(count):
        sentences: list[str] = []
        while sum(len(s) + 1 for s in sentences) < ARTICLE_BYTES:
            a, b, c = rng.sample(names, 3)
            template = rng.choice(TEMPLATES)
            sentences.append(template.format(a=a, b=b, c=c, n=rng.randint(2, 400), day=rng.choice(DAYS), w=_word(rng)))
        articles.append(" ".join(sentences)[:ARTICLE_BYTES])
    return articles


def grown(phrases: list[str], size: int, seed: int = 9) -> list[str]:
    rng = random.Random(seed)
    more = set(phrases)
    while len(more) < size:
        more.add(" ".join(_word(rng).capitalize() for _ in range(rng.randint(1, 3))))
    return sorted(more)


def _median_seconds(function, articles: list[str], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        for article in articles:
            function(article)
        runs.append((time.perf_counter() - started) / len(articles))
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    registry = load_registry()
    shipped = sorted(
        {alias for actor in registry.actors.values() for alias in (actor.name, *actor.aliases)}
        | set(registry.ambiguities)
    )
    articles = make_articles([a for a in shipped if a[0].isupper()], args.articles)
    print(f"{len(articles)} distinct articles of {ARTICLE_BYTES} characters; median of {args.repeat} runs")
    print(f"{'phrases':>8}  {'regex ms/article':>17}  {'automaton ms/article':>21}  {'ratio':>6}  matches/article")
    for phrases in (shipped, grown(shipped, 5_000)):
        pattern, matcher = alias_pattern(phrases), PhraseMatcher(phrases)
        for article in articles:  # same answers first: a faster wrong matcher would be worth nothing
            expected = [(m.group(0), m.start(), m.end()) for m in pattern.finditer(article)]
            assert [tuple(m) for m in matcher.find(article)] == expected, "the two methods disagree"
        regex = _median_seconds(lambda text, p=pattern: list(p.finditer(text)), articles, args.repeat)
        automaton = _median_seconds(matcher.find, articles, args.repeat)
        found = statistics.mean(len(matcher.find(a)) for a in articles)
        print(
            f"{len(phrases):>8}  {regex * 1000:>17.2f}  {automaton * 1000:>21.3f}  {regex / automaton:>6.1f}"
            f"  {found:.0f}"
        )


if __name__ == "__main__":
    main()

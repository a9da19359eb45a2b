"""The one-pass stance engine gives the same readings as the engine it replaced, on every sentence we have.

tests/legacy_stance.py is a frozen copy of dashboard/stance.py before the rewrite (each cue rule its own regex over
the whole text). Both read the same data/cue_lexicon.csv, so the comparison holds whatever the lexicon says.
Sentences: the curated records, every labelled test set under tests/data, each sentence of the shipped articles
read for every actor it names, ../shared/eval (sentences and articles, read only, when present), composed
sentences (tests/distinct_sentences.py) and random combinations of the lexicon's own phrases.
REACTIONS_EQUIVALENCE_SENTENCES=N widens the composed part (default 600; the report ran 30,000).
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

import pandas as pd
import pytest

from dashboard import DATA_DIR, PROJECT_DIR
from dashboard.lexicon import INDEXED_GROUPS, RuleIndex, load_cue_lexicon
from dashboard.registry import load_registry
from dashboard.stance import classify_stance, detect_targets, find_cues, find_reactions, read_sentence
from tests import legacy_stance
from tests.distinct_sentences import distinct_sentences

SHARED_EVAL = PROJECT_DIR.parent / "shared" / "eval"
COMPOSED = int(os.environ.get("REACTIONS_EQUIVALENCE_SENTENCES", "600"))
RANDOM_COMBINATIONS = 400


@pytest.fixture(scope="module")
def registry():
    return load_registry()


@pytest.fixture(scope="module")
def lexicons():
    return legacy_stance.load_cue_lexicon(), load_cue_lexicon()


def _sentences(text: str) -> list[str]:
    from dashboard.extract import segment_sentences

    return [sentence.text for sentence in segment_sentences(text)]


def _with_named_actors(sentences: list[str], registry) -> list[tuple[str, str]]:
    """Each sentence read for every actor it names (so the actor's own cues and the others' both count), and
    for no actor."""
    pairs = []
    for sentence in sentences:
        named = dict.fromkeys(mention.actor for mention in registry.find_actor_mentions(sentence))
        pairs += [(sentence, actor) for actor in named] + [(sentence, "")]
    return pairs


def _jsonl_pairs(path: Path) -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(str(row.get("text", "")), str(row.get("actor", ""))) for row in rows]


def _lexicon_combinations(count: int, registry) -> list[tuple[str, str]]:
    """Random strings of lexicon phrases (gaps filled), negators, actor names and punctuation, in random case:
    what stresses a matcher (overlaps, gaps, adjacent cues, case, hyphens, apostrophes)."""
    lexicon = load_cue_lexicon()
    rules = [*lexicon.cues, *lexicon.intensifiers, *lexicon.hedges, *lexicon.reporting, *lexicon.objects]
    rules += [*lexicon.all_parties, *lexicon.negator_phrases]
    actors = list(registry.actors)
    aliases = [alias for actor in registry.actors.values() for alias in actor.aliases] + actors
    filler = ["the", "very", "its", "new", "border", "x", "un-", "'s", "so-called", "ſo", "Kelvin", "İstanbul"]
    punctuation = [" ", " ", " ", ", ", "; ", ". ", " - ", " \u201c", "\u201d ", " (", ") ", "'", " and ", " but "]
    generator = random.Random(20261127)

    def phrase_text(phrase: str) -> str:
        words = []
        for token in phrase.split():
            if token in ("~", "+"):
                words += generator.sample(filler, generator.randint(0 if token == "~" else 1, 5))
                continue
            alternative = generator.choice([alt for alt in token.split("|") if alt])
            words.append(
                alternative.rstrip("*") + (generator.choice(["", "s", "ed", "ation"]) if "*" in alternative else "")
            )
        text = " ".join(words)
        return generator.choice([text, text.upper(), text.title(), text.capitalize()])

    pairs = []
    for _ in range(count):
        parts = []
        for _ in range(generator.randint(2, 9)):
            kind = generator.random()
            if kind < 0.55:
                parts.append(phrase_text(generator.choice(rules).phrase))
            elif kind < 0.8:
                parts.append(generator.choice(aliases))
            else:
                parts.append(generator.choice(filler))
            parts.append(generator.choice(punctuation))
        pairs.append(("".join(parts).strip(), generator.choice(actors)))
    return pairs


def _corpus(registry) -> dict[str, list[tuple[str, str]]]:
    records = pd.concat(
        pd.read_csv(path, dtype=str, keep_default_na=False) for path in sorted((DATA_DIR / "records").glob("*.csv"))
    )
    corpus = {"curated records": list(zip(records["text"], records["actor"], strict=True))}
    for path in sorted((PROJECT_DIR / "tests" / "data").glob("*.jsonl")):
        corpus[f"tests/data/{path.name}"] = _jsonl_pairs(path)
    articles = [path.read_text(encoding="utf-8") for path in sorted((DATA_DIR / "articles").glob("*.txt"))]
    corpus["shipped articles, sentence by sentence"] = _with_named_actors(
        [sentence for article in articles for sentence in _sentences(article)], registry
    )
    corpus["composed sentences"] = list(distinct_sentences(COMPOSED))
    corpus["lexicon combinations"] = _lexicon_combinations(RANDOM_COMBINATIONS, registry)
    corpus["edge cases"] = [
        ("", "NATO"),
        ("Condemned.", "NATO"),
        ("\u201cWe condemn\u201d the strike, Russia\u2019s foreign ministry said.", "Russia"),
        ("The UN did not condemn, not only did it not condemn, it refused to openly condemn.", "United Nations"),
        ("CONDEMNS IN THE STRONGEST TERMS the attack on Turkish troops by Syrian forces", "Turkey"),
        ("We are deeply ſhocked and \u212aondemn it", "France"),
        ("condemn" * 50 + " condemns condemned condemnation", "NATO"),
        (", ".join(["Turkey condemned Syria", "Russia warned NATO", "the EU called for restraint"] * 20), "Turkey"),
    ]
    return corpus


def _shared_eval_pairs(registry) -> list[tuple[str, str]]:
    pairs = _jsonl_pairs(SHARED_EVAL / "reactions_dev.jsonl")
    for path in sorted((SHARED_EVAL / "articles").glob("*.txt")):
        pairs += _with_named_actors(_sentences(path.read_text(encoding="utf-8")), registry)
    return pairs


def _readings(module, text: str, actor: str, registry, lexicon):
    prediction = module.classify_stance(text, lexicon, actor, registry)
    return (
        module.find_cues(text, lexicon),
        module.classify_stance(text, lexicon),
        prediction,
        module.detect_targets(text, actor, registry, prediction.stance, prediction.cue, lexicon),
        module.find_reactions(text, actor, registry, lexicon),
    )


def _assert_same_readings(pairs, registry, lexicons) -> int:
    legacy_lexicon, lexicon = lexicons

    class Live:  # the live functions, under the names the legacy module uses
        classify_stance = staticmethod(classify_stance)
        detect_targets = staticmethod(detect_targets)
        find_cues = staticmethod(find_cues)
        find_reactions = staticmethod(find_reactions)

    differing = []
    for text, actor in dict.fromkeys(pairs):
        before = _readings(legacy_stance, text, actor, registry, legacy_lexicon)
        after = _readings(Live, text, actor, registry, lexicon)
        # Namedtuples compare as tuples: the same fields in the same order with equal values.
        shared = read_sentence(text, actor, registry, lexicon)
        if before != after or (shared.prediction, shared.targets, shared.reactions) != before[2:]:
            differing.append((text, actor))
    assert not differing, f"{len(differing)} of {len(pairs)} readings differ, first: {differing[:3]}"
    return len(dict.fromkeys(pairs))


@pytest.mark.slow
def test_the_engine_reads_every_sentence_we_have_as_the_old_one_did(registry, lexicons):
    corpus = _corpus(registry)
    counts = {name: _assert_same_readings(pairs, registry, lexicons) for name, pairs in corpus.items()}
    assert all(counts.values()), counts  # every source gave sentences


@pytest.mark.slow
def test_the_engine_reads_the_shared_evaluation_text_as_the_old_one_did(registry, lexicons):
    if not (SHARED_EVAL / "reactions_dev.jsonl").exists():
        pytest.skip(f"{SHARED_EVAL} is absent here; the shared evaluation sentences were not compared")
    assert _assert_same_readings(_shared_eval_pairs(registry), registry, lexicons) > 100


def _finditer_reference(rules, text: str, endpos: int) -> list[tuple[str, tuple[int, int]]]:
    return [(rule.phrase, match.span()) for rule in rules for match in rule.pattern.finditer(text[:endpos])]


def test_the_one_pass_matcher_finds_what_each_rules_own_regex_finds(registry):
    lexicon = load_cue_lexicon()
    texts = [text for text, _ in _lexicon_combinations(300, registry)] + [t for t, _ in distinct_sentences(200)]
    texts += ["Kondemn \u212aondemn ſtrongly İf ıf", "x-condemn condemn-x (condemn) 'condemn' n'condemn"]
    checked = 0
    for number, text in enumerate(texts):
        # Cut texts too: a word cut short ("call" of "called") may match there and nowhere in the whole text
        # (every word cut, in some texts; a few cuts in the rest).
        cuts = [m.end() - cut for m in re.finditer(r"\w{3,}", text) for cut in (1, 2)] if number % 5 == 0 else []
        for endpos in (len(text), len(text) // 2, 7, *cuts):
            found = lexicon.index.matches(text, endpos=endpos)
            for group, rules in zip(INDEXED_GROUPS, found, strict=True):
                expected = _finditer_reference(getattr(lexicon, group), text, endpos)
                assert [(rule.phrase, match.span()) for rule, match in rules] == expected, (group, text, endpos)
                checked += len(expected)
    assert checked > 1000  # the texts do hit the rules


def test_the_matcher_handles_rules_it_cannot_index_and_unicode_case(registry):
    """A rule starting with a gap-free wildcard or a non-ASCII letter, and text whose letters only match under
    Unicode case folding (Kelvin sign, long s), are found as their own regex finds them."""
    from dashboard.lexicon import CueRule, compile_phrase

    def rule(phrase: str, pattern=None) -> CueRule:
        return CueRule("cue", phrase, "condemn", "accuse", 1.0, True, pattern or compile_phrase(phrase))

    rules = (
        rule("ſtrong|kelvin condemn*"),
        rule("çondemn"),
        rule("* wild"),
        rule("condemn", re.compile(r"cond\w+", re.IGNORECASE)),
        rule("n't ~ condemn"),
    )
    texts = ["STRONG condemnation and \u212aELVIN condemns", "ÇONDEMN çondemn", "a wild wild", "don't x condemn"]
    index = RuleIndex((rules,))
    for text in texts:
        for endpos in range(len(text) + 1):
            (found,) = index.matches(text, endpos=endpos)
            assert [(r.phrase, m.span()) for r, m in found] == _finditer_reference(rules, text, endpos), text


def test_textblob_tone_is_textblobs_own_sentiment(registry):
    """textblob_tone calls TextBlob's analyser without building a blob: the values must be TextBlob's."""
    from textblob import TextBlob

    from dashboard.tone import textblob_tone

    texts = [text for pairs in _corpus(registry).values() for text, _ in pairs]
    texts += ["", "great concern", "not good at all!!! :)", "Very very bad.", "x" * 5000]
    for text in dict.fromkeys(texts):
        expected = TextBlob(text).sentiment
        assert tuple(textblob_tone.__wrapped__(text)) == (expected.polarity, expected.subjectivity), text


def test_the_clause_tail_starts_after_the_last_break_finditer_finds():
    from dashboard.stance import _CLAUSE_BREAK, _clause_tail

    generator = random.Random(20261127)
    alphabet = "ab x,;:.!?()\"\u201c\u201dBUTbut-'"
    texts = ["", "but", "abut but", "x but, y", "no break here"]
    texts += ["".join(generator.choice(alphabet) for _ in range(generator.randint(0, 40))) for _ in range(20000)]
    for text in texts:
        breaks = list(_CLAUSE_BREAK.finditer(text))
        assert _clause_tail(text) == (text[breaks[-1].end() :] if breaks else text), text

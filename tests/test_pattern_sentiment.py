"""dashboard.pattern_sentiment gives exactly TextBlob's sentiment: the same floats, on every sentence we have and on
random text built to reach every branch of TextBlob's tokeniser and analyser (quotes, contractions, abbreviations,
ellipses, paragraph breaks, "(!)", emoticons, negations, -ly modifiers, "!")."""

from __future__ import annotations

import json
import os
import random
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textblob import TextBlob
from textblob import _text as pattern
from textblob.en import sentiment as textblob_sentiment

from dashboard import DATA_DIR, PROJECT_DIR
from dashboard.pattern_sentiment import find_tokens, sentiment, words
from dashboard.tone import textblob_tone
from tests.distinct_sentences import distinct_sentences

SHARED_EVAL = PROJECT_DIR.parent / "shared" / "eval"
COMPOSED = int(os.environ.get("REACTIONS_SENTIMENT_SENTENCES", "20000"))


def _textblob(text: str) -> tuple[float, float]:
    polarity, subjectivity = textblob_sentiment(text)
    return polarity, subjectivity


def _differing(texts) -> list[tuple[str, tuple, tuple]]:
    found = []
    for text in dict.fromkeys(texts):
        expected, got = _textblob(text), sentiment(text)
        # Equal floats, and floats both (0.0 where TextBlob found nothing): no tolerance.
        if got != expected or [type(value) for value in got] != [type(value) for value in expected]:
            found.append((text, expected, got))
    return found


def _our_sentences() -> list[str]:
    texts = []
    for path in sorted((DATA_DIR / "records").glob("*.csv")):
        texts += pd.read_csv(path, dtype=str, keep_default_na=False)["text"].tolist()
    for path in sorted((PROJECT_DIR / "tests" / "data").glob("*.jsonl")):
        texts += [json.loads(line).get("text", "") for line in path.read_text(encoding="utf-8").splitlines() if line]
    for path in sorted((DATA_DIR / "articles").glob("*.txt")) + sorted(
        (PROJECT_DIR / "tests" / "data" / "articles").glob("**/*.txt")
    ):
        article = path.read_text(encoding="utf-8")
        texts += [article, *article.split("\n")]
    return [str(text) for text in texts]


def test_the_tokeniser_joins_contractions_as_textblobs_regex_does():
    # TextBlob replaces each contraction with re.sub; ours with str.replace, which is the same for plain text.
    assert all(re.escape(key) in (key, key.replace("'", "\\'")) for key in pattern.replacements)
    assert all("'" in key for key in pattern.replacements)  # a text without an apostrophe skips them all
    text = "They'd say it isn't what we'll do, we're sure I'm right: you've the Minister's word."
    assert find_tokens(text) == pattern.find_tokens(text)


def test_our_sentences_score_exactly_as_textblob():
    texts = _our_sentences()
    assert len(texts) > 300
    assert not _differing(texts)


@pytest.mark.slow
def test_composed_sentences_score_exactly_as_textblob():
    texts = [text for text, _ in distinct_sentences(COMPOSED)]
    assert not _differing(texts)


@pytest.mark.slow
def test_the_shared_evaluation_text_scores_exactly_as_textblob():
    if not (SHARED_EVAL / "reactions_dev.jsonl").exists():
        pytest.skip(f"{SHARED_EVAL} is absent here; the shared evaluation sentences were not compared")
    texts = [json.loads(line).get("text", "") for line in (SHARED_EVAL / "reactions_dev.jsonl").open(encoding="utf-8")]
    for path in sorted((SHARED_EVAL / "articles").glob("*.txt")):
        article = path.read_text(encoding="utf-8")
        texts += [article, *article.split("\n")]
    assert not _differing(str(text) for text in texts)


# Pieces that reach TextBlob's branches: lexicon words and their -ly adverbs, negations, modifiers, abbreviations,
# punctuation runs, quotes of every kind, contractions, emoticons and sarcasm marks, line breaks.
_PIECES = [
    "good", "bad", "great", "very", "really", "not", "no", "never", "n't", "terribly", "deeply", "concern",
    "grave", "serious", "strongly", "a", "is", "the", "of", "it", "deep", "sad", "happy", "new", "only", "too",
    "Mr.", "U.S.", "e.g.", "T.", "etc.", "p.m.", "vs.", "Dr", "...", "..", ".", "!", "!!", "?", "?!", ",", ";",
    ":", "(", ")", "[", "]", "(!)", "( ! )", "'", '"', "\u201c", "\u201d", "\u2018", "\u2019", "'s", "'d", "'ll",
    "n't", "can't", "don't", ":)", ": )", ":-(", "xD", "XD", "<3", "\u2665", ";-)", ":'(", "8-D", ">:/", ":/",
    "o_O", "\u00b0O\u00b0", "=/", ":-.", "-", "--", "*", "#1", "@x", "$5", "1.5", "10%", "\n", "\n\n", "\r\n",
    "\t", " ", "  ", "END-OF-SENTENCE", "\u0130stanbul", "\u03a3\u039f\u03a3", "good.", "bad!", "(good)",
    "'good'", '"bad"', "not-good", "x.y.", "A.", "Ms.", "Gen.", "Inc.",
]  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30), st.lists(st.sampled_from(["", " ", " ", "\n"]), max_size=30))
def test_random_text_scores_exactly_as_textblob(pieces, glue):
    text = "".join(piece + (glue[i] if i < len(glue) else " ") for i, piece in enumerate(pieces))
    assert sentiment(text) == _textblob(text)
    assert find_tokens(text) == pattern.find_tokens(text, replace=pattern.replacements)


def test_random_characters_score_exactly_as_textblob():
    generator = random.Random(20261127)
    alphabet = "ab xyzXDo8O3-_.,;:!?()[]{}'\"`@#$^&*+|=~<>/\\%\u2665\u00b0\u201c\u201d\u2018\u2019\n\r\t\x0b\x0c\x1c\x85\xa0\u2003\u3000"
    texts = ["".join(generator.choice(alphabet) for _ in range(generator.randint(0, 60))) for _ in range(3000)]
    assert not _differing(texts)


def test_textblob_tone_is_textblobs_sentiment():
    sentence = "The ministry voiced great concern but said it was not really a bad decision!"
    assert tuple(textblob_tone(sentence)) == tuple(TextBlob(sentence).sentiment)


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from([*_PIECES, "\r\n\r\n", "\n \n", "END-OF-SENTENCE."]), max_size=30))
def test_the_words_read_are_textblobs_tokens(pieces):
    text = " ".join(pieces)
    assert words(text) == " ".join(pattern.find_tokens(text, replace=pattern.replacements)).split()


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=6), max_size=12))
def test_lower_casing_the_joined_words_is_lower_casing_each(tokens):
    tokens = " ".join(tokens).split()
    assert " ".join(tokens).lower().split() == [token.lower() for token in tokens]


def test_the_emoticon_trie_matches_where_textblobs_emoticon_pattern_matches():
    from dashboard.pattern_sentiment import _ANY_EMOTICON

    generator = random.Random(20261128)
    alphabet = "ab xXD:;-()<>38=o_O.\u00b0\u2665*'/\\[]{}^,cpsS\n\t"
    texts = ["".join(generator.choice(alphabet) for _ in range(generator.randint(0, 12))) for _ in range(100000)]
    faces = [face for faces in pattern.EMOTICONS.values() for face in faces]
    texts += faces + [f"x {face} y" for face in faces] + [" ".join(face) for face in faces]
    for text in texts:
        assert (_ANY_EMOTICON.search(text) is None) == (pattern.RE_EMOTICONS.search(text) is None), text

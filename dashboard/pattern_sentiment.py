"""TextBlob's sentiment (`textblob.en.sentiment`, Pattern's analyser over en-sentiment.xml), computed the same
way with less overhead per call.

TextBlob's analyser keeps its lexicon in a lazily loaded dict subclass, so every word lookup runs two Python
calls before the dict's own; it tokenises with seven `re.sub` calls for contractions and builds an assessment
dict per known word. On reaction sentences that overhead is most of TextBlob's time. Here the same steps run in
the same order over a plain-dict snapshot of the same lexicon: `find_tokens` and `Sentiment.assessments` of
textblob/_text.py (0.20) for a string, the part-of-speech tag None, negation on, every weight 1. The floats are
the same operations on the same numbers in the same order, so polarity and subjectivity are equal, not close
(tests/test_pattern_sentiment.py compares them on every sentence we have and on random text).
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from pathlib import Path
from types import ModuleType


def _load_pattern_module() -> tuple[ModuleType, Path]:
    """textblob/_text.py (Pattern's tokeniser and analyser; it imports only the standard library) loaded as a
    module of its own, and TextBlob's folder. Imported as textblob._text it would first run the textblob
    package, which imports nltk for the blob classes: a tenth of a second per run that the sentiment never uses."""
    spec = importlib.util.find_spec("textblob")  # finds the package without running it
    if spec is None or spec.origin is None:
        raise ImportError("textblob is not installed")
    folder = Path(spec.origin).parent
    module_spec = importlib.util.spec_from_file_location("dashboard._textblob_text", folder / "_text.py")
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module, folder


pattern, _TEXTBLOB_FOLDER = _load_pattern_module()
# textblob.en's analyser settings (textblob/en/__init__.py): its lexicon file, negations and modifiers.
_SENTIMENT_FILE = _TEXTBLOB_FOLDER / "en" / "en-sentiment.xml"
_NEGATIONS = ("no", "not", "n't", "never")
_MODIFIER_TAGS = ("RB",)


def _is_modifier_word(word: str) -> bool:
    return word.endswith("ly")


# The parser's find_tokens arguments (textblob.en's Parser.find_tokens), as find_tokens reads them.
_LEADING = tuple(pattern.PUNCTUATION.replace(".", ""))
_TRAILING = (*_LEADING, ".")
# Each is one character, so t.startswith(_LEADING) is t[0] in _LEADING_SET for a token t (never empty).
_LEADING_SET, _TRAILING_SET = frozenset(_LEADING), frozenset(_TRAILING)
_ABBREVIATIONS = pattern.ABBREVIATIONS
_CONTRACTIONS = tuple(pattern.replacements.items())
_EOS = pattern.EOS
_SENTENCE_END = ("...", ".", "!", "?", _EOS)
_SENTENCE_CLOSE = ("'", '"', "”", "’", "...", ".", "!", "?", ")", _EOS)
_LINEBREAK = re.compile(r"\n{2,}")
_ABBR1, _ABBR2, _ABBR3 = pattern.RE_ABBR1, pattern.RE_ABBR2, pattern.RE_ABBR3
_SARCASM, _EMOTICON = pattern.RE_SARCASM, pattern.RE_EMOTICONS
_PUNCTUATION = pattern.PUNCTUATION  # a string: `w not in` it is a substring test, as in assessments


def _emoticon_trie_regex(faces: list[str]) -> str:
    """RE_EMOTICONS' language (a face's characters with an optional space between them, then the end or a
    space) as a trie: whether it matches anywhere is the same, found in a third of the time."""
    trie: dict = {}
    for face in faces:
        node = trie
        for char in face:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = []
        for char, child in sorted(node.items()):
            if not char:
                continue
            endings = [r"(?:$|\s)"] if "" in child else []
            endings += [" ?" + emit(child)] if any(child) else []
            branches.append(re.escape(char) + (endings[0] if len(endings) == 1 else "(?:" + "|".join(endings) + ")"))
        return "(?:" + "|".join(branches) + ")"

    return emit(trie)


_ANY_EMOTICON = re.compile(_emoticon_trie_regex([face for faces in pattern.EMOTICONS.values() for face in faces]))


def _join_emoticon(match: re.Match[str]) -> str:
    return match.group(1).replace(" ", "") + match.group(2)


def find_tokens(string: str) -> list[str]:
    """textblob._text.find_tokens(string) with the parser's arguments: the text's sentences, tokens joined by
    spaces."""
    return _sentences(_tokens(string))


def words(string: str) -> list[str]:
    """The words the analyser reads, `" ".join(find_tokens(string)).split()`. The sentence split only matters
    where a paragraph break's marker (a token) is dropped or a sarcasm mark or emoticon is joined within a sentence; a
    match within a sentence is a match in the whole token string too (the patterns look at nothing before the
    match, and a sentence ends where the string has a space or ends), so without any the tokens are the words."""
    tokens = _tokens(string)
    if _EOS not in tokens:
        joined = " ".join(tokens)
        if _SARCASM.search(joined) is None and _ANY_EMOTICON.search(joined) is None:
            return tokens
    return " ".join(_sentences(tokens)).split()


def _tokens(string: str) -> list[str]:
    """find_tokens' tokens, before they are grouped into sentences."""
    # The contractions' keys are plain text, so TextBlob's re.sub(key, replacement, s) is s.replace (a test checks).
    if "'" in string:  # every contraction has one
        for key, replacement in _CONTRACTIONS:
            if key in string:
                string = string.replace(key, replacement)
    string = (
        string.replace("“", " “ ")
        .replace("”", " ” ")
        .replace("‘", " ‘ ")
        .replace("’", " ’ ")
        .replace("'", " ' ")
        .replace('"', ' " ')
    )
    string = string.replace("\r\n", "\n")
    if "\n\n" in string:
        string = _LINEBREAK.sub(f" {_EOS} ", string)
    tokens: list[str] = []
    append = tokens.append
    replace = pattern.replacements
    # TextBlob collapses whitespace runs to one space (re.sub(r"\s+", " ")) and takes each run of non-space
    # characters followed by a space (TOKEN): str.split() gives those runs, by the same Unicode whitespace.
    for t in string.split():
        if t[0] not in _LEADING_SET and t[-1] not in _TRAILING_SET:
            append(t)  # a plain word (t.startswith(_LEADING) is False...): none of the splitting below applies
            continue
        tail = []
        while t.startswith(_LEADING) and t not in replace:
            append(t[0])
            t = t[1:]
        while t.endswith(_TRAILING) and t not in replace:
            if t.endswith(_LEADING):
                tail.append(t[-1])
                t = t[:-1]
            if t.endswith("..."):
                tail.append("...")
                t = t[:-3].rstrip(".")
            if t.endswith("."):
                if (
                    t in _ABBREVIATIONS
                    or _ABBR1.match(t) is not None
                    or _ABBR2.match(t) is not None
                    or _ABBR3.match(t) is not None
                ):
                    break
                tail.append(t[-1])
                t = t[:-1]
        if t != "":
            append(t)
        tokens.extend(reversed(tail))
    return tokens


def _sentences(tokens: list[str]) -> list[str]:
    """find_tokens' sentences from its tokens."""
    sentences: list[list[str]] = [[]]
    i, j = 0, 0
    while j < len(tokens):
        if tokens[j] in _SENTENCE_END:
            while j < len(tokens) and tokens[j] in _SENTENCE_CLOSE:
                if tokens[j] in ("'", '"') and sentences[-1].count(tokens[j]) % 2 == 0:
                    break
                j += 1
            sentences[-1].extend(t for t in tokens[i:j] if t != _EOS)
            sentences.append([])
            i = j
        j += 1
    sentences[-1].extend(tokens[i:j])
    joined = (" ".join(s) for s in sentences if len(s) > 0)
    return [_EMOTICON.sub(_join_emoticon, _SARCASM.sub("(!)", s)) for s in joined]


class _Lexicon:
    """The analyser's lexicon as plain dicts: per word its (polarity, subjectivity, intensity) for the tag None
    and whether it has an adverb sense (a modifier), plus the emoticons in TextBlob's order."""

    def __init__(self) -> None:
        words = _textblob_lexicon()
        self.known = {
            word: (*tags[None], any(tag in tags for tag in _MODIFIER_TAGS))
            for word, tags in words.items()
            if None in tags
        }
        self.negations = _NEGATIONS
        self.is_modifier_word = _is_modifier_word  # "-ly": a modifier where the tag is unknown
        self.emoticons = [(polarity, {e.lower() for e in faces}) for (_, polarity), faces in pattern.EMOTICONS.items()]


def _textblob_lexicon() -> dict:
    """What textblob.en.sentiment holds once loaded: Pattern's Sentiment.load of en-sentiment.xml, then
    textblob.en's Sentiment.load adding each adjective's -ly adverb ("terrible" -> "terribly")."""
    analyser = pattern.Sentiment(path=str(_SENTIMENT_FILE), synset="wordnet_id")
    pattern.Sentiment.load(analyser)
    for word, tags in list(dict.items(analyser)):
        if "JJ" in tags:
            if word.endswith("y"):
                word = word[:-1] + "i"
            if word.endswith("le"):
                word = word[:-2]
            polarity, subjectivity, intensity = tags["JJ"]
            analyser.annotate(word + "ly", "RB", polarity, subjectivity, intensity)
    return dict(dict.items(analyser))


@cache
def _lexicon() -> _Lexicon:
    return _Lexicon()


def sentiment(text: str) -> tuple[float, float]:
    """(polarity, subjectivity) of text, equal to `textblob.en.sentiment(text)` (and `TextBlob(text).sentiment`)."""
    lexicon = _lexicon()
    known, negations = lexicon.known, lexicon.negations
    # Each assessment: [polarity, subjectivity, intensity, negated]; the words themselves are not needed.
    a: list[list] = []
    m = None  # the preceding modifier word
    n = None  # the preceding negation
    # Lower-cased at once: the same words as lower-casing each (a space, never case-ignorable, ends the context
    # str.lower reads around a final sigma, and no letter lower-cases to a space).
    for w in " ".join(words(str(text))).lower().split():
        entry = known.get(w)
        if entry is not None:
            p, s, i, is_modifier = entry
            if m is None:
                a.append([p, s, i, 1])
            else:
                last = a[-1]
                last[0] = max(-1.0, min(p * last[2], +1.0))
                last[1] = max(-1.0, min(s * last[2], +1.0))
                last[2] = i
            if n is not None:
                last = a[-1]
                last[2] = 1.0 / last[2]
                last[3] = -1
            m = None
            n = None
            if is_modifier:
                m = w
            if w in negations:
                n = w
            continue
        if n is None and m is None and w not in negations and w.isalpha():
            continue  # most words: an unknown word with nothing pending changes nothing below
        if w in negations:
            n = w
        elif n and len(w.strip("'")) > 1:
            n = None
        # The tag is None, so `pos in modifiers` is False and only the modifier word itself counts.
        if n is not None and m is not None and lexicon.is_modifier_word(m):
            a[-1][3] = -1
            n = None
        elif m and len(w) > 2:
            m = None
        if w == "!" and len(a) > 0:
            a[-1][0] = max(-1.0, min(a[-1][0] * 1.25, +1.0))
        if w == "(!)":
            a.append([0.0, 1.0, 1.0, 1])
        if w.isalpha() is False and len(w) <= 5 and w not in _PUNCTUATION:
            for polarity, faces in lexicon.emoticons:
                if w in faces:
                    a.append([polarity, 1.0, 1.0, 1])
                    break
    # TextBlob's avg: a running sum from the integer 0, each score times the weight 1, over float(count or 1).
    total_p, total_s = 0, 0
    for p, s, _, negated in a:
        total_p += 1 * (p * -0.5 if negated < 0 else p)
        total_s += 1 * s
    count = float(len(a) or 1)
    return total_p / count, total_s / count

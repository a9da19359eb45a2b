"""Article text to sentences: debris and headings dropped, broken lines joined, offsets kept true."""

from __future__ import annotations

import re
from typing import NamedTuple

import pysbd

from dashboard.extract.rules import (
    _WORD,
    ExtractionRules,
    default_rules,
)

# A heading is at most this many words: "Reactions abroad", "Calls for calm".
HEADING_MAX_WORDS = 6
# A line ending in one of these (after closing quotes and brackets) is a complete sentence.
TERMINAL_PUNCTUATION = ".!?:;…"
CLOSING = "\"'”’»)]"
OPENING_QUOTES = '"“«'


class Sentence(NamedTuple):
    """A sentence of an article and its character offsets: article[start:end] == text."""

    text: str
    start: int
    end: int


class _Line(NamedTuple):
    start: int
    end: int  # end of the line's content, newline excluded
    kind: str  # blank | junk | heading | text


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip().rstrip(CLOSING)
    return bool(stripped) and stripped[-1] in TERMINAL_PUNCTUATION


def _is_heading(content: str, previous: str, rules: ExtractionRules) -> bool:
    """A short line without final punctuation or a finite verb, standing after a break: a heading."""
    words = _WORD.findall(content)
    # "World reaction:" introduces what follows; a colon does not make a heading a sentence.
    finished = _ends_sentence(content) and not content.rstrip().endswith(":")
    if not words or len(words) > HEADING_MAX_WORDS or finished or previous not in ("", "blank", "junk", "heading"):
        return False
    if not content[0].isupper() or content.rstrip()[-1] in ",-–":
        return False
    return not any(word.lower() in rules.finite_verbs or word.lower().endswith("ed") for word in words)


def _classify_lines(text: str, rules: ExtractionRules) -> list[_Line]:
    lines: list[_Line] = []
    position = 0
    for raw in text.splitlines(keepends=True):
        content = raw.rstrip("\r\n")
        stripped = content.strip()
        start = position + (len(content) - len(content.lstrip()))
        end = start + len(stripped)
        previous = lines[-1].kind if lines else ""
        if not stripped:
            kind = "blank"
        elif any(pattern.fullmatch(stripped) for pattern in rules.junk_lines):
            kind = "junk"
        elif _is_heading(stripped, previous, rules):
            kind = "heading"
        else:
            kind = "text"
        lines.append(_Line(start, end, kind))
        position += len(raw)
    return lines


def _blocks(text: str, rules: ExtractionRules) -> list[tuple[int, int]]:
    """Spans of running text: a line that ends mid-sentence is joined to the text line right after it."""
    blocks: list[tuple[int, int]] = []
    lines = _classify_lines(text, rules)
    open_block = False
    for index, line in enumerate(lines):
        if line.kind != "text":
            open_block = False
            continue
        if open_block:
            blocks[-1] = (blocks[-1][0], line.end)
        else:
            blocks.append((line.start, line.end))
        following = lines[index + 1] if index + 1 < len(lines) else None
        open_block = (
            following is not None and following.kind == "text" and not _ends_sentence(text[line.start : line.end])
        )
    return blocks


def segment_sentences(text: str, rules: ExtractionRules | None = None) -> list[Sentence]:
    """The article's sentences with offsets into text; debris and headings dropped, broken lines joined."""
    rules = rules or default_rules()
    sentences = []
    for block_start, block_end in _blocks(text, rules):
        block = text[block_start:block_end]
        # pysbd would cut at the newline of a joined line; a space of the same length keeps offsets true.
        flat = block.replace("\r", " ").replace("\n", " ")
        cursor = 0
        # A segmenter per call: pysbd keeps the text it is working on in the instance (app threads share modules).
        for span in pysbd.Segmenter(language="en", clean=False, char_span=True).segment(flat):
            piece = span.sent.strip()
            if not piece:
                continue
            found = flat.find(piece, cursor)
            if found < 0:
                continue
            cursor = found + len(piece)
            start = block_start + found
            for part_start, part_end in _unspaced_parts(piece):
                sentences.append(
                    Sentence(text[start + part_start : start + part_end], start + part_start, start + part_end)
                )
    return sentences


# 'appalled."Germany condemned' and 'Italy said.Spain urged': a sentence ends with no space after it. A
# lower-case letter, digit or closing quote before the stop keeps "U.S.Army" and initials whole.
_UNSPACED_END = re.compile(r"""(?:(?<=[a-z0-9%)])[.!?]["”’']?|[.!?]["”’'])(?=["“]?[A-Z][a-z])""")


def _unspaced_parts(piece: str) -> list[tuple[int, int]]:
    """Offsets of the sentences within a segment that pysbd left joined because no space follows a stop."""
    parts, start = [], 0
    for match in _UNSPACED_END.finditer(piece):
        parts.append((start, match.end()))
        start = match.end()
    parts.append((start, len(piece)))
    return [(a, b) for a, b in parts if piece[a:b].strip()]


def _quote_close(text: str, open_at_start: bool) -> tuple[bool, int]:
    """Whether a quotation is still open at the end of text, and where the first one closes (-1: none).
    A straight quote toggles; a sentence opening with a quote mark while one is open re-opens it (the wire
    convention: each paragraph of a long quotation opens with a mark, only the last one closes)."""
    is_open = open_at_start and text[:1] not in OPENING_QUOTES
    first_close = -1
    for index, char in enumerate(text):
        if char in "“«" or (char == '"' and not is_open):
            is_open = True
        elif char in "”»" or char == '"':
            is_open = False
            if first_close < 0:
                first_close = index
    return is_open, first_close


# A quotation is followed over at most this many sentences to the one that closes and attributes it.
QUOTATION_MAX_SENTENCES = 5


def quotation_attributions(text: str, sentences: list[Sentence]) -> dict[int, str]:
    """Sentences inside a quotation that another sentence closes and attributes ('"X. <para> "Y," she said.',
    '"X. Y" said the ministry' split in two): index -> the text after the closing mark (', she said.'), which
    names the speaker of the whole quotation. A quotation goes on into the next sentence only in the same
    paragraph or where that sentence opens with a quotation mark (the wire convention); a mark left unclosed
    anywhere else ends it."""
    borrowed: dict[int, str] = {}
    run: list[int] = []
    is_open = False
    for index, sentence in enumerate(sentences):
        opened_here = sentence.text[:1] in OPENING_QUOTES
        same_paragraph = index > 0 and "\n" not in text[sentences[index - 1].end : sentence.start]
        if is_open and not (same_paragraph or opened_here) or len(run) >= QUOTATION_MAX_SENTENCES:
            run, is_open = [], False
        was_open = is_open
        is_open, first_close = _quote_close(sentence.text, is_open)
        if is_open and (was_open or opened_here) and first_close < 0:
            run.append(index)  # the quotation goes on past this sentence
            continue
        if run and was_open and first_close >= 0:
            borrowed.update({member: sentence.text[first_close + 1 :] for member in run})
        run = [index] if is_open and opened_here and first_close < 0 else []
    return borrowed

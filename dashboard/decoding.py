"""Bytes of a text file to text: exactly, saying which encoding was used, or refused naming the candidates.

Order: a byte-order mark (UTF-8, UTF-16, UTF-32); UTF-16 without its mark (NUL bytes at every other place);
strict UTF-8; then the legacy code pages people's files come in (LEGACY_CODE_PAGES), ranked by
charset-normalizer. A legacy reading is accepted only when it is the one plausible text: every other reading
that gives different text must be clearly worse (charset-normalizer's chaos and coherence, plus the garbling
signs below). When two readings stay close, the file is refused with a message naming the candidates and what
each makes of the first word they disagree on, so a person can choose (`--encoding`, or the upload page).
Never garbled: a wrong guess would put "Çavuþoðlu" for "Çavuşoğlu" into every chart and download.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from dashboard.errors import UnreadableFileError

# Byte-order marks, longest first (UTF-32's LE mark begins with UTF-16's).
BYTE_ORDER_MARKS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# The code pages files reach us in besides Unicode, with what each is for (named in messages).
LEGACY_CODE_PAGES = {
    "cp1252": "Western European, Windows",
    "iso8859-1": "Western European, Latin-1",
    "cp1250": "Central European, Windows",
    "iso8859-2": "Central European, ISO",
    "cp1251": "Cyrillic, Windows",
    "koi8-r": "Cyrillic, KOI8-R",
    "iso8859-5": "Cyrillic, ISO",
    "koi8-u": "Cyrillic, KOI8-U (Ukrainian)",
    "cp1253": "Greek, Windows",
    "iso8859-7": "Greek, ISO",
    "cp1254": "Turkish, Windows",
    "iso8859-9": "Turkish, ISO",
    "cp1255": "Hebrew, Windows",
    "iso8859-8": "Hebrew, ISO",
    "cp1256": "Arabic, Windows",
    "iso8859-6": "Arabic, ISO",
    "shift_jis": "Japanese, Shift-JIS",
    "euc_jp": "Japanese, EUC-JP",
    "gb18030": "Chinese simplified, GB18030",
    "big5": "Chinese traditional, Big5",
    "euc_kr": "Korean, EUC-KR",
}
# Read only when their escape sequences are found (never guessed among the pages above).
ESCAPED_ENCODINGS = {"iso2022_jp": "Japanese, ISO-2022-JP"}
UNICODE_ENCODINGS = "UTF-8, UTF-16 or UTF-32"
# ISO-2022-JP (Japanese mail and old exports) is 7-bit: it decodes as UTF-8 with escape characters in the
# text, so its escape sequences (switching to JIS X 0208 and back) are looked for before UTF-8.
ISO2022_JP_ESCAPES = (b"\x1b$B", b"\x1b$@")
# Text a person saved holds few control characters (tab, newline and carriage return aside); past this share
# the bytes are binary data, not text with a stray control character in a cell (that is a row's problem).
MAX_CONTROL_SHARE = 0.05
# Binary data is binary from its first bytes; a sample this long decides for a file of any size.
CONTROL_SAMPLE_LENGTH = 65_536
# UTF-16 without a mark: ASCII-range text puts a NUL in every other byte; past a quarter of those places
# holding NUL the file is UTF-16, not text with a stray NUL.
UTF16_NUL_SHARE = 0.25
# How much better (charset-normalizer's 0..1 coherence: the text's letters against a language's frequencies)
# the best reading must be than a differing one. Measured on 286 short files we wrote in 11 languages and 20
# code pages: every wrong best reading was within 0.06 of the right one or had lower coherence.
COHERENCE_MARGIN = 0.04
# charset-normalizer's chaos (0..1, how much the text looks like mojibake): a reading this much less chaotic wins.
CHAOS_MARGIN = 0.05
# charset-normalizer drops readings more chaotic than this (its default, 0.2, dropped the right reading of a
# short Polish ISO-8859-2 file); our own signs of garbling then judge what it keeps.
MAX_CHAOS = 0.5
# How many candidates charset-normalizer may return; more only slows a refusal.
MAX_READINGS = 8

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
# U+FFFD stands where a UTF-8 file holds a byte that is not UTF-8 (mostly_utf8): its row is reported, not kept.
NOT_UTF8_MARK = "\ufffd"
# A UTF-8 file with a stray byte (a cell pasted from a legacy file, a file cut off mid-character) is UTF-8 with
# that byte marked, not a legacy file: at least MIN_UTF8_CHARACTERS well-formed non-ASCII characters, and no more
# bad bytes than STRAY_BYTES (or one per MIN_UTF8_PER_BAD_BYTE good characters in a long file). A legacy file
# has a bad byte for nearly every non-ASCII letter (well-formed UTF-8 by chance, such as cp1251 "Мі", is rare).
MIN_UTF8_CHARACTERS = 3
STRAY_BYTES = 2
MIN_UTF8_PER_BAD_BYTE = 20
# Runs of letters, digits and the symbols garbling puts between letters (not punctuation, which ends a word).
_WORD_RUN = re.compile(r"[^\s\d,;:.!?\"'()\[\]/\-–—、。，]+")
# Scripts that share words with Latin and each other in real text ("NATO" inside a run of kanji; hanja in Korean).
MIXES_WITH_LATIN = frozenset({"CJK", "HANGUL"})
# A Latin word this long with no ASCII letter is garbling ("ışığı", Turkish, is the rare real one: refused,
# never misread).
MIN_ALL_ACCENTED_WORD = 4
# Non-ASCII letters that are words on their own: French and Portuguese à, é; Italian è; Hungarian ó, ő, é.
ONE_LETTER_WORDS = frozenset("àÀéÉèÈóÓôőŐ")
# A space character other than U+0020 with letters on both sides.
ODD_SPACE_BETWEEN_LETTERS = re.compile(r"(?<=[^\W\d_])[\u00a0\u2000-\u200a\u202f\u3000](?=[^\W\d_])")
# Scripts with upper and lower case besides Latin.
CASED_SCRIPTS = frozenset({"CYRILLIC", "GREEK", "ARMENIAN"})
# Unicode categories of symbols, non-digit numbers and other punctuation: a non-ASCII one touching a letter
# ("potêpi³o", "cywiln±", "ludno¶ć") is a sign of the wrong code page; ASCII ones ("C++", "US$") read the same
# in every code page and decide nothing.
SYMBOL_CATEGORIES = frozenset({"So", "Sm", "Sk", "Sc", "No", "Po"})
# Non-ASCII punctuation that does touch letters in real text.
WORD_PUNCTUATION = frozenset("…·¿¡«»“”„‘’‚°")

# Non-ASCII letters of the languages written in the Latin code pages above (lower case). A reading whose
# non-ASCII letters fit no one alphabet ("Çavuþoðlu": Turkish Ç with Icelandic þ and ð) is likely garbled.
LATIN_ALPHABETS = {
    "french": "àâæçéèêëîïôœùûüÿ",
    "german": "äöüß",
    "spanish": "áéíñóúüï",
    "portuguese": "áâãàçéêíóôõú",
    "italian": "àèéìíîòóùú",
    "catalan": "àçèéíïòóúü",
    "dutch": "áéíóúëïöüè",
    "nordic": "æøåäöéáíóúýþð",
    "turkish": "çğıöşüâîû",
    "polish": "ąćęłńóśźż",
    "czech_slovak": "áäčďéěíĺľňóôŕřšťúůýž",
    "hungarian": "áéíóöőúüű",
    "south_slavic": "čćđšžé",
    "romanian": "ăâîșțşţ",
    "albanian": "çë",
    "estonian": "äöõüšž",
}


@dataclass(frozen=True)
class Reading:
    """One way of decoding the bytes: the codec, the text, and charset-normalizer's measures of it."""

    encoding: str
    text: str
    chaos: float
    coherence: float


class AmbiguousEncodingError(UnreadableFileError):
    """The bytes read as different plausible texts in several code pages; `candidates` lists them, best first."""

    def __init__(self, path: str, why: str, candidates: tuple[str, ...]):
        super().__init__(path, why)
        self.candidates = candidates


def canonical_encoding(name: str) -> str:
    """Python's own name for an encoding ("latin_1" → "iso8859-1"); ValueError if Python does not know it."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise ValueError(f"unknown encoding {name!r}") from None


def describe_encoding(name: str) -> str:
    """An encoding with what it is for, as messages show it: "cp1251 (Cyrillic, Windows)"."""
    what = LEGACY_CODE_PAGES.get(name) or ESCAPED_ENCODINGS.get(name)
    return f"{name} ({what})" if what else name


def control_share(text: str) -> float:
    sample = text[:CONTROL_SAMPLE_LENGTH]
    return len(CONTROL_CHARACTERS.findall(sample)) / max(len(sample), 1)


def _refuse_binary(label: str) -> UnreadableFileError:
    return UnreadableFileError(label, f"holds binary data, not text ({UNICODE_ENCODINGS} or a legacy code page)")


def _refuse_unknown_text(label: str, data: bytes) -> UnreadableFileError:
    """Text bytes no supported code page reads (DOS cp866, a Mac page, or UTF-8 with a legacy-encoded line
    pasted in): say so, with the first byte UTF-8 cannot read, rather than calling it binary data."""
    try:
        data.decode("utf-8")
        where = ""
    except UnicodeDecodeError as exc:
        where = f" (byte {exc.start:,}, {data[exc.start : exc.start + 1]!r}, is not UTF-8)"
    return UnreadableFileError(
        label,
        f"is text in an encoding that none of {UNICODE_ENCODINGS} or the supported code pages reads cleanly{where}; "
        "it may mix encodings. Save it as UTF-8, or name its encoding",
    )


def _text_bytes(data: bytes) -> bool:
    """Few C0 control bytes (tab, newline and carriage return aside): text in some encoding, not binary data."""
    sample = data[:CONTROL_SAMPLE_LENGTH]
    controls = sum(sample.count(bytes([b])) for b in (*range(0, 9), 11, 12, *range(14, 32), 127))
    return controls / max(len(sample), 1) <= MAX_CONTROL_SHARE


def decode_text(data: bytes, label: str, encoding: str | None = None) -> tuple[str, str]:
    """The text of a file and the encoding it was read in (Python's codec name).

    With `encoding`, exactly that (UnreadableFileError if the bytes are not valid in it). Otherwise detected;
    AmbiguousEncodingError when several code pages give different plausible texts, UnreadableFileError for
    binary data. A few control characters (a NUL in a cell) are text: validation reports them by row.
    """
    if encoding:
        return _decode_as(data, label, encoding)
    for mark, name in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise UnreadableFileError(label, f"starts with a {name} byte-order mark but is not {name}") from exc
    if any(escape in data for escape in ISO2022_JP_ESCAPES):
        try:
            return _checked(data, label, "iso2022_jp")
        except UnicodeDecodeError:
            pass  # an escape sequence by chance: the checks below decide
    utf16 = _utf16_without_mark(data)
    if utf16 is not None:
        try:
            return _checked(data, label, utf16)
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(
                label, f"looks like {utf16} without a byte-order mark but is not valid {utf16}"
            ) from exc
    try:
        return _checked(data, label, "utf-8")
    except UnicodeDecodeError:
        pass
    marked = mostly_utf8(data)
    if marked is not None:
        return _checked(marked.encode("utf-8"), label, "utf-8")
    return _decode_legacy(data, label)


def mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with each stray byte as U+FFFD (validation reports its row), when the rest is clearly UTF-8."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count(NOT_UTF8_MARK) - data.count(NOT_UTF8_MARK.encode("utf-8"))
    good = sum(1 for c in text if ord(c) > 0x7F and c != NOT_UTF8_MARK)
    if good >= MIN_UTF8_CHARACTERS and good > bad and bad <= max(STRAY_BYTES, good // MIN_UTF8_PER_BAD_BYTE):
        return text
    return None


def _decode_as(data: bytes, label: str, encoding: str) -> tuple[str, str]:
    try:
        name = canonical_encoding(encoding)
    except ValueError as exc:
        raise UnreadableFileError(label, str(exc)) from exc
    if name in ("utf-8", "utf-16", "utf-32") and any(data.startswith(mark) for mark, _ in BYTE_ORDER_MARKS):
        name = "utf-8-sig" if name == "utf-8" else name
    try:
        return data.decode(name), name
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(
            label, f"is not valid {name}: byte {exc.start:,} ({data[exc.start : exc.start + 1]!r}) has no meaning in it"
        ) from exc


def _checked(data: bytes, label: str, encoding: str) -> tuple[str, str]:
    text = data.decode(encoding)
    if control_share(text) > MAX_CONTROL_SHARE:
        raise _refuse_binary(label)
    return text, encoding


def _utf16_without_mark(data: bytes) -> str | None:
    """utf-16-le or utf-16-be when NUL bytes fill the high (or low) byte of most characters, else None."""
    half = max(len(data) // 2, 1)
    if data[1::2].count(0) / half > UTF16_NUL_SHARE and data[1::2].count(0) > data[0::2].count(0):
        return "utf-16-le"
    if data[0::2].count(0) / half > UTF16_NUL_SHARE:
        return "utf-16-be"
    return None


def _decode_legacy(data: bytes, label: str) -> tuple[str, str]:
    readings = legacy_readings(data)
    if not readings:
        raise _refuse_unknown_text(label, data) if _text_bytes(data) else _refuse_binary(label)
    # The one clean reading clearly better than every other, if there is one.
    for best in readings:
        if garbling_signs(best.text):
            break
        if all(_clearly_better(best, rival) for rival in readings if rival is not best):
            if control_share(best.text) > MAX_CONTROL_SHARE:
                raise _refuse_binary(label)
            return best.text, best.encoding
    best = readings[0]
    close = [rival for rival in readings[1:] if not _clearly_better(best, rival)]
    # Every clean reading is offered too: on a few bytes the right one may score worse than a clean wrong one.
    clean = [r for r in readings[1:] if r not in close and not garbling_signs(r.text)]
    candidates = (best, *(close or readings[1:]), *clean, *_clean_multibyte_readings(data, readings))
    candidates = tuple(dict.fromkeys(candidates))
    words = _first_differences(candidates)
    shown = "; ".join(
        f"{describe_encoding(r.encoding)} reads {word!r}" for r, word in zip(candidates, words, strict=True)
    )
    raise AmbiguousEncodingError(
        label,
        f"is not UTF-8, and its encoding cannot be told for sure: {shown}. Choose the one that reads right "
        "(or save the file as UTF-8)",
        tuple(r.encoding for r in candidates),
    )


# Pages charset-normalizer passes over on a few bytes ("日本" in Shift-JIS is four bytes): a refusal offers
# them too when they read the bytes strictly and cleanly, so the person can pick the right one.
MULTIBYTE_PAGES = ("shift_jis", "euc_jp", "gb18030", "big5", "euc_kr")


def _clean_multibyte_readings(data: bytes, found: list[Reading]) -> list[Reading]:
    texts = {reading.text for reading in found}
    extra = []
    for page in MULTIBYTE_PAGES:
        try:
            text = data.decode(page)
        except UnicodeDecodeError:
            continue
        if text not in texts and not garbling_signs(text) and control_share(text) <= MAX_CONTROL_SHARE:
            texts.add(text)
            extra.append(Reading(page, text, 0.0, 0.0))
    return extra


# How many of the words the candidate readings disagree on a refusal shows (each as every reading has it).
SHOWN_DIFFERENCES = 2


def _first_differences(readings: tuple[Reading, ...]) -> list[str]:
    """What each reading makes of the words on which the readings disagree most ("Çavuşoğlu … ateşkese")."""
    split = [re.split(r"[\s,;]+", r.text[:CONTROL_SAMPLE_LENGTH]) for r in readings]
    differing = [words for words in zip(*split, strict=False) if len(set(words)) > 1]
    # The words every reading has differently say most; among equals, the first ones.
    differing = sorted(differing, key=lambda words: -len(set(words)))[:SHOWN_DIFFERENCES]
    if not differing:
        return ["" for _ in readings]
    return [" … ".join(words[index][:40] for words in differing) for index in range(len(readings))]


def legacy_readings(data: bytes) -> list[Reading]:
    """The legacy code pages the bytes decode in, fewest signs of garbling first, one reading per distinct text
    (named by the first code page in LEGACY_CODE_PAGES that gives that text: Latin-1 text is cp1252 text)."""
    from charset_normalizer import from_bytes  # imported on use: only files that are not UTF-8 need it

    matches = from_bytes(data, cp_isolation=list(LEGACY_CODE_PAGES), threshold=MAX_CHAOS, explain=False)
    readings: list[Reading] = []
    seen: set[str] = set()
    for match in list(matches)[:MAX_READINGS]:
        name = canonical_encoding(match.encoding)
        if name not in LEGACY_CODE_PAGES:
            continue
        text = str(match)
        if text in seen:
            continue
        seen.add(text)
        readings.append(
            Reading(_first_page_reading(data, text, name), text, float(match.chaos), float(match.coherence))
        )
    # Signs of garbling charset-normalizer does not weigh put a reading behind every cleaner one (stable sort).
    return sorted(readings, key=lambda r: garbling_signs(r.text))


def _first_page_reading(data: bytes, text: str, found: str) -> str:
    for page in LEGACY_CODE_PAGES:
        if page == found:
            return found
        try:
            if data.decode(page) == text:
                return page
        except UnicodeDecodeError:
            continue
    return found


def _clearly_better(best: Reading, rival: Reading) -> bool:
    best_signs, rival_signs = garbling_signs(best.text), garbling_signs(rival.text)
    if best_signs != rival_signs:
        return best_signs < rival_signs
    best_alphabets, rival_alphabets = alphabets_needed(best.text), alphabets_needed(rival.text)
    # Between two Latin readings only: "España" needs Spanish; "Espańa" Polish for ń, Spanish for é í.
    if best_alphabets != rival_alphabets and _latin_only(best.text) and _latin_only(rival.text):
        return best_alphabets < rival_alphabets
    return rival.chaos - best.chaos >= CHAOS_MARGIN or (
        rival.chaos <= best.chaos + CHAOS_MARGIN and best.coherence - rival.coherence >= COHERENCE_MARGIN
    )


def _script(character: str) -> str:
    name = unicodedata.name(character, "")
    first = name.split(" ", 1)[0]
    if first in ("CJK", "HIRAGANA", "KATAKANA", "IDEOGRAPHIC"):
        return "CJK"  # Japanese mixes kanji, hiragana and katakana within a word
    return first


def garbling_signs(text: str) -> int:
    """How many signs that a reading is the wrong code page: C1 control characters, words mixing scripts that
    are never mixed (Latin with Arabic, half-width katakana with kanji), a symbol between letters (potêpi³o),
    or Latin letters of no one alphabet (Çavuþoðlu). Counted in the first CONTROL_SAMPLE_LENGTH characters."""
    sample = text[:CONTROL_SAMPLE_LENGTH]
    signs = len(re.findall(r"[\x80-\x9f]", sample))
    for word in _WORD_RUN.findall(sample):
        # Marks count with their script (an Arabic vowel sign on a Latin word: "Espaٌa"); generic accents do not.
        scripts = {_script(c) for c in word if c.isalpha() or unicodedata.category(c).startswith("M")} - {"COMBINING"}
        others = scripts - {"LATIN"}
        mixed = (len(others) > 1 or (others and "LATIN" in scripts)) and not others <= MIXES_WITH_LATIN
        pairs = list(zip(word, word[1:], strict=False))
        symbol = any((_odd_symbol(a) and b.isalpha()) or (a.isalpha() and _odd_symbol(b)) for a, b in pairs)
        # Per word: a file may mix languages, a name may not.
        latin = {low for c in word if ord(c) > 0x7F and _script(c) == "LATIN" for low in c.lower() if low.isalpha()}
        no_alphabet = bool(latin) and not any(latin <= set(alphabet) for alphabet in LATIN_ALPHABETS.values())
        # "кСЫЯвФЯЮЮЩШ": lower then upper case inside a Cyrillic or Greek word is a code page read wrongly.
        case_switch = bool(others & CASED_SCRIPTS) and any(a.islower() and b.isupper() for a, b in pairs)
        # CJK text writes "NATO" or "G7" against its characters, not a lower-case Latin letter ("Ausw鋜tige").
        glued = bool(others & MIXES_WITH_LATIN) and any(
            (a.islower() and a.isascii() and _script(b) in MIXES_WITH_LATIN)
            or (b.islower() and b.isascii() and _script(a) in MIXES_WITH_LATIN)
            for a, b in pairs
        )
        # A lone non-ASCII letter that is no word in any of the languages ("ŕ" where French has "à").
        lone = len(word) == 1 and not word.isascii() and _script(word) == "LATIN" and word not in ONE_LETTER_WORDS
        # A Latin word of four or more letters none of them ASCII ("éůřŕě": Hebrew "ישראל" read as cp1250):
        # the languages of LATIN_ALPHABETS write their accented letters among plain ones.
        letters = [c for c in word if c.isalpha()]
        all_accented = len(letters) >= MIN_ALL_ACCENTED_WORD and all(
            not c.isascii() and _script(c) == "LATIN" for c in letters
        )
        signs += bool(mixed or symbol or no_alphabet or case_switch or glued or lone or all_accented)
    # A space other than the plain one between two letters: "o\xa0tro" is cp1250's "oštro" read as KOI8-R.
    signs += len(ODD_SPACE_BETWEEN_LETTERS.findall(sample))
    return signs


def _odd_symbol(character: str) -> bool:
    return (
        not character.isascii()
        and character not in WORD_PUNCTUATION
        and unicodedata.category(character) in SYMBOL_CATEGORIES
    )


def _latin_only(text: str) -> bool:
    """Every non-ASCII letter of the text (its first CONTROL_SAMPLE_LENGTH characters) is Latin."""
    return all(_script(c) == "LATIN" for c in set(text[:CONTROL_SAMPLE_LENGTH]) if ord(c) > 0x7F and c.isalpha())


def alphabets_needed(text: str) -> int:
    """How many LATIN_ALPHABETS it takes to hold every non-ASCII Latin letter of the text (greedy set cover);
    letters no alphabet holds count one each. Right readings need fewer than wrong ones of the same bytes."""
    sample = text[:CONTROL_SAMPLE_LENGTH]
    letters = {low for c in set(sample) if ord(c) > 0x7F and c.isalpha() and _script(c) == "LATIN" for low in c.lower()}
    letters = {c for c in letters if c.isalpha() and not c.isascii()}
    needed = 0
    while letters:
        best = max(LATIN_ALPHABETS.values(), key=lambda alphabet: len(letters & set(alphabet)))
        covered = letters & set(best)
        if not covered:
            return needed + len(letters)
        letters -= covered
        needed += 1
    return needed

"""Reading the dates people write (ISO, day-first, month-first, month names) and saying when one is ambiguous.

A column's convention is inferred from the column as a whole, never guessed per value:
- a numeric date whose first part is over 12 (28/02/2020) shows the column is day-first;
- one whose second part is over 12 (02/28/2020) shows it is month-first;
- with no such value, a date whose day and month differ (03/04/2020) is ambiguous and reported, not guessed;
- a column showing both conventions is inconsistent: each value is read by its own evidence and the
  ambiguous ones are reported.
ISO dates (2020-02-28, also 2020/02/28 and Excel's 2020-02-28 00:00:00) and dates with a month name
(28 February 2020, Feb 28, 2020) are never ambiguous. Two-digit years follow Python's %y: 69-99 are 19xx.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

DAY_FIRST, MONTH_FIRST, MIXED = "day-first", "month-first", "mixed"

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})$")
_NAMED_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y", "%d-%b-%Y", "%d %b. %Y", "%b. %d %Y")


@dataclass(frozen=True)
class DateReading:
    """One value read: its ISO form, or why it has none (ambiguous or not a date). Empty input reads as ''."""

    iso: str
    problem: str = ""
    kind: str = ""


def _year(text: str) -> int:
    # Two-digit years pivot as strptime's %y does: 00-68 → 2000s, 69-99 → 1900s.
    return int(text) if len(text) == 4 else datetime.strptime(text, "%y").year


def _numeric_parts(value: str) -> tuple[int, int, int] | None:
    match = _NUMERIC.match(value)
    if not match:
        return None
    return int(match.group(1)), int(match.group(2)), _year(match.group(3))


def date_convention(values: Iterable[str]) -> str | None:
    """The column's numeric-date convention: DAY_FIRST, MONTH_FIRST, MIXED, or None if nothing shows it."""
    day_first = month_first = False
    for value in values:
        parts = _numeric_parts(str(value).strip())
        if parts:
            day_first |= parts[0] > 12 >= parts[1]
            month_first |= parts[1] > 12 >= parts[0]
    if day_first and month_first:
        return MIXED
    return DAY_FIRST if day_first else MONTH_FIRST if month_first else None


def _iso_or_none(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def read_date(value: str, convention: str | None = None) -> DateReading:
    """One date cell read under a column's convention (see the module docstring)."""
    text = " ".join(str(value).split())
    if not text:
        return DateReading("")
    iso_match = _ISO.match(text)
    if iso_match:
        iso = _iso_or_none(*(int(part) for part in iso_match.groups()))
        if iso is None:
            return DateReading("", f"{text!r} is not a real date written YYYY-MM-DD", "impossible_date")
        return DateReading(iso)
    parts = _numeric_parts(text)
    if parts:
        return _read_numeric(text, *parts, convention)
    cleaned = text.replace(",", "")
    for fmt in _NAMED_FORMATS:
        try:
            return DateReading(datetime.strptime(cleaned, fmt).date().isoformat())
        except ValueError:
            continue
    return DateReading(
        "",
        f"{text!r} is not a date; write YYYY-MM-DD (28/02/2020, 02/28/2020 and 28 February 2020 are read too)",
        "bad_date",
    )


def _read_numeric(text: str, first: int, second: int, year: int, convention: str | None) -> DateReading:
    as_day_first = _iso_or_none(year, second, first)
    as_month_first = _iso_or_none(year, first, second)
    if first > 12 or second > 12 or first == second:
        iso = as_day_first if first > 12 or first == second else as_month_first
        if iso is None:
            return DateReading("", f"{text!r} is not a real date", "impossible_date")
        return DateReading(iso)
    if convention in (DAY_FIRST, MONTH_FIRST):
        iso = as_day_first if convention == DAY_FIRST else as_month_first
        if iso is None:
            return DateReading("", f"{text!r} is not a real date (read {convention})", "impossible_date")
        return DateReading(iso)
    why = "the column mixes day-first and month-first dates" if convention == MIXED else "no date settles it"
    return DateReading(
        "",
        f"{text!r} is ambiguous: {as_day_first} (day-first) or {as_month_first} (month-first), and {why}; "
        "write YYYY-MM-DD",
        "ambiguous_date",
    )


def read_dates(values: Iterable[str]) -> list[DateReading]:
    """Every cell of a date column read under the convention the column itself shows."""
    values = [str(value) for value in values]
    convention = date_convention(values)
    readings: dict[str, DateReading] = {}  # a column repeats its dates; read each once
    for value in values:
        if value not in readings:
            readings[value] = read_date(value, convention)
    return [readings[value] for value in values]

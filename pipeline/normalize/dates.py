"""Printed dates -> `datetime.date`.

Invoices print dates numerically (`31/12/2017`, `03/20/2023`, `8-9-2022`, `01.05.14`, `2024-11-01`)
or with month names in the document's language (`19 april 2014`, `7. Mai 2014`, `August 3 , 2014`,
`02 Juillet 2015`). A numeric date with both parts <= 12 is ambiguous; the caller passes `order`
("DMY" or "MDY"), decided once per document from the language, the currency and any unambiguous
date, so that every date of one document is read the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from babel.dates import get_month_names

from pipeline.normalize.similar import fold_in_place

LANGUAGES = ("en", "de", "fr", "es", "nl")


def _month_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for lang in LANGUAGES:
        for width in ("wide", "abbreviated"):
            for num, name in get_month_names(width, locale=lang).items():
                key = fold_in_place(name).rstrip(".")
                if len(key) >= 3:
                    table.setdefault(key, num)
    # Common short forms babel does not list.
    extra = {
        "sept": 9,
        "sep": 9,
        "mrz": 3,
        "okt": 10,
        "dez": 12,
        "mei": 5,
        "juil": 7,
        "janv": 1,
        "fevr": 2,
        "avr": 4,
        "juin": 6,
        "aout": 8,
        "oct": 10,
        "nov": 11,
        "dec": 12,
        "ene": 1,
        "abr": 4,
        "ago": 8,
        "dic": 12,
        "mrt": 3,
        "maerz": 3,
    }
    for key, num in extra.items():
        table.setdefault(key, num)
    return table


MONTHS: dict[str, int] = _month_table()
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))

_SEP = r"[./\-]"
# A comma may follow the year ("15/01/2020, Paris"; OCR's speck after it: horstoeko on seed 1303),
# not a comma and a digit (a number's decimals).
_NUMERIC = re.compile(rf"(?<![\d.,])(\d{{1,4}})\s?({_SEP})\s?(\d{{1,2}})\s?\2\s?(\d{{2,4}})(?!\d|[.,]\d)")
_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")
# A speck OCR reads as a quote mark before the month ("6 'juli 2020") is no part of the date.
# "22-Apr-2023" and "22/Apr/2023" too: a month name between hyphens or slashes. A day of two
# characters, one a digit and one the letter OCR reads for 0 or 1 ("O2 Juillet 2015", free's scan),
# is that day: with a month name and a year after it, the token can be nothing else.
_DAY = r"\d{1,2}|[OoIl]\d|\d[OoIl]"
_DAY_MONTH = re.compile(
    rf"(?<![\w])({_DAY})(?:er|st|nd|rd|th|e)?\.?(?:\s*|[-/])['‘’`´]?(?:de\s+)?({_MONTH_ALT})\.?,?(?:\s*|[-/])"
    rf"(?:de\s+)?(\d{{4}})(?!\d)",
)
# "Jan1 2022": OCR may lose the space after the month name (SammyMaystone's scan); the day then
# needs a space or a comma before the year, or "Jan12022" would be read as January 1.
_MONTH_DAY = re.compile(
    rf"(?<![\w])({_MONTH_ALT})\.?\s*(\d{{1,2}})(?:st|nd|rd|th)?(?:\s*,\s*|\s+)(\d{{4}})(?!\d)"
)


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found in a string, with the character span it came from."""

    value: date
    start: int
    end: int
    ambiguous: bool = False  # numeric with day and month both <= 12


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        y += 2000 if y < 70 else 1900
    return y


_DAY_LOOKALIKES = str.maketrans("OoIl", "0011")


def _day(text: str) -> int:
    return int(text.translate(_DAY_LOOKALIKES))


def _make(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def find_dates(text: str, order: str = "DMY") -> list[DateMatch]:
    """Every date in `text`, left to right. `order` settles `03/04/2020` ("DMY" or "MDY")."""
    folded = fold_in_place(text)
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []

    def add(value: date | None, start: int, end: int, ambiguous: bool = False) -> None:
        if value is None or any(s < end and start < e for s, e in taken):
            return
        if not 1900 <= value.year <= 2100:
            return
        taken.append((start, end))
        found.append(DateMatch(value, start, end, ambiguous))

    for m in _DAY_MONTH.finditer(folded):
        add(_make(int(m.group(3)), MONTHS[m.group(2)], _day(m.group(1))), m.start(), m.end())
    for m in _MONTH_DAY.finditer(folded):
        add(_make(int(m.group(3)), MONTHS[m.group(1)], int(m.group(2))), m.start(), m.end())
    for m in _NUMERIC.finditer(folded):
        a, _sep, b, c = m.group(1), m.group(2), m.group(3), m.group(4)
        if len(a) == 4:  # ISO-like: Y-M-D; "2023/03/0008" (a document number) is no date
            if len(c) > 2:
                continue
            add(_make(int(a), int(b), int(c)), m.start(), m.end())
            continue
        if len(a) > 2 or len(c) == 3:
            continue
        x, y, year = int(a), int(b), _year(c)
        if x > 12 and y <= 12:
            add(_make(year, y, x), m.start(), m.end())
        elif y > 12 and x <= 12:
            add(_make(year, x, y), m.start(), m.end())
        elif order == "MDY":
            add(_make(year, x, y), m.start(), m.end(), ambiguous=x != y)
        else:
            add(_make(year, y, x), m.start(), m.end(), ambiguous=x != y)
    for m in _COMPACT.finditer(folded):
        add(_make(int(m.group(1)), int(m.group(2)), int(m.group(3))), m.start(), m.end())
    found.sort(key=lambda d: d.start)
    return found


def parse_date(text: str, order: str = "DMY") -> date | None:
    """The first date in `text`, or None."""
    found = find_dates(text, order)
    return found[0].value if found else None


def parse_date_prefix(text: str, order: str = "DMY", slack: int = 3) -> DateMatch | None:
    """The date `text` starts with (after at most `slack` characters of punctuation), or None."""
    for match in find_dates(text, order):
        head = text[: match.start]
        if len(head.strip(" :.#-–")) == 0 and match.start <= slack + len(head) - len(head.lstrip()):
            return match
        return None
    return None


def numeric_order_votes(text: str) -> tuple[int, int]:
    """Counts of numeric dates that can only be D/M/Y and only be M/D/Y, to pick one order per document.
    A number past 31 is no day, so no vote either way ("04.59.13", a time or a scan's misreading:
    ZUGFeRD's footer on seed 3931 made its German "01.11.2024" the 11th of January)."""
    dmy = mdy = 0
    for m in _NUMERIC.finditer(text):
        a, b = m.group(1), m.group(3)
        if len(a) == 4:
            continue
        x, y = int(a), int(b)
        if 31 >= x > 12 >= y:
            dmy += 1
        elif 31 >= y > 12 >= x:
            mdy += 1
    return dmy, mdy


_TERMS = re.compile(
    r"(?i)(?:\bnet(?:to)?\s*(\d{1,3})\b|\b(\d{1,3})\s*(?:days?|tage[n]?|jours?|d[ií]as|dagen)\b)"
)


def terms_days(text: str) -> int | None:
    """Days of credit in payment terms: `Net 30`, `30 days`, `14 Tage netto`, `30 jours`, `30 días`."""
    m = _TERMS.search(text)
    if not m:
        return None
    days = int(m.group(1) or m.group(2))
    return days if 0 <= days <= 365 else None

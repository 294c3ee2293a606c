"""Printed amounts -> Decimal.

Handles `1,234.56`, `1.234,56`, `1 234,56` (also with narrow/no-break spaces), `1'234.56`,
`1234`, `-12.50`, `(12.50)`, `12.50-`, and a currency code or symbol before or after. When one
separator is ambiguous (`1,234` or `1.234`), three digits after it mean thousands unless
`decimal_hint` says otherwise.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal, InvalidOperation

CENT = Decimal("0.01")  # two decimal places, for quantize()
_SPACES = "\u00a0\u202f\u2009 "
_CURRENCY_NOISE = re.compile(
    r"(?i)(?:\b(?:EUR|USD|GBP|CHF|INR|JPY|CAD|AUD|SEK|NOK|DKK|PLN|CZK|HUF|Rs\.?|R\$)\b|[€$£¥₹])"
)
_AMOUNT = re.compile(
    r"""^
    (?P<sign>[-+−–])?\s*
    (?P<num>\d{1,3}(?:[.,'’ ]\d{3})+(?:[.,]\d{1,4})?   # grouped thousands, optional decimals
        |\d+(?:[.,]\d{1,4})?                           # plain
        |[.,]\d{1,4})                                  # .50
    \s*(?P<tsign>-)?
    $""",
    re.VERBOSE,
)


_GROUP_SPACE = re.compile(r"(?<=\d) (?=\d{3}\b)")


def parse_amount(text: str, decimal_hint: str | None = None) -> Decimal | None:
    """Parse one printed amount; None when `text` is not an amount.

    `decimal_hint` is "." or "," when the document's decimal mark is known, to settle `1.234`.
    The tables and every amount field ask for the same tokens again and again, so answers are
    cached: the result is a pure function of the two strings, and a Decimal is immutable.
    """
    if not text:
        return None
    return _parse_amount(text, decimal_hint)


@functools.lru_cache(maxsize=8192)
def _parse_amount(text: str, decimal_hint: str | None) -> Decimal | None:
    s = text.strip()
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative = True
        s = s[1:-1]
    s = _CURRENCY_NOISE.sub("", s)
    for ch in _SPACES:
        s = s.replace(ch, " ")
    s = s.strip().rstrip("*").strip()
    # "1 234,56": spaces between digit groups are thousands separators.
    s = _GROUP_SPACE.sub("'", s)
    s = s.replace(" ", "")
    if s.startswith(("-", "−", "–")) and len(s) > 1:
        negative = not negative
        s = s[1:]
    elif s.startswith("+"):
        s = s[1:]
    if s.endswith("-") and len(s) > 1:
        negative = not negative
        s = s[:-1]
    m = _AMOUNT.match(s)
    if not m:
        return None
    num = m.group("num")
    num = num.replace("'", "").replace("’", "")
    dots, commas = num.count("."), num.count(",")
    if dots and commas:
        decimal = "." if num.rfind(".") > num.rfind(",") else ","
    elif dots + commas == 0:
        decimal = None
    else:
        sep = "." if dots else ","
        last = num.rsplit(sep, 1)[1]
        groups = num.split(sep)
        if (dots + commas) > 1 and _decimal_after_groups(groups):
            # "181.143.00": thousands groups, then one or two digits. Only a decimal mark can stand
            # there (OCR reads "181.143,00" so); all of them thousands would need three digits.
            value = Decimal("".join(groups[:-1]) + "." + groups[-1])
            return -value if negative else value
        if (dots + commas) > 1:
            decimal = None  # "1.234.567": only thousands
        elif len(last) == 3 and num[0] != sep:
            decimal = sep if decimal_hint == sep else None
        else:
            decimal = sep
    if decimal is None:
        digits = num.replace(".", "").replace(",", "")
    else:
        thousands = "," if decimal == "." else "."
        digits = num.replace(thousands, "").replace(decimal, ".")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    return -value if negative else value


def _decimal_after_groups(groups: list[str]) -> bool:
    """Groups split at one repeated mark that read only as thousands groups ending in a decimal
    part: a lead group of one to three digits, groups of exactly three, a last of one or two."""
    return (
        1 <= len(groups[0]) <= 3
        and all(len(g) == 3 for g in groups[1:-1])
        and 1 <= len(groups[-1]) <= 2
        and all(g.isdigit() for g in groups)
    )


def looks_like_amount(text: str) -> bool:
    """True for tokens that read as money: they carry a decimal part or a currency mark."""
    if parse_amount(text) is None:
        return False
    return bool(_TWO_DECIMALS.search(text)) or bool(_CURRENCY_NOISE.search(text))


_TWO_DECIMALS = re.compile(r"[.,]\d{2}\b")


_AMOUNT_TOKEN = re.compile(
    r"(?<![\w.,])(?:\(\s*)?[-−–]?\s?(?:(?:[€$£¥₹]|Rs\.?|EUR|USD|GBP|CHF|INR)\s?)?[-−–]?"
    r"\d{1,3}(?:(?:[.,'’]|[ \u00a0\u202f](?=\d{3}(?!\d)))\d{3})*(?:[.,]\d{1,2})?(?!\d)(?![.,]\d)"
    r"(?:\s?(?:[€$£¥₹]|EUR|USD|GBP|CHF|INR)(?![A-Za-z\d\-−]))?(?:\s*\))?"
    r"|(?<![\w.,])(?:(?:[€$£¥₹]|Rs\.?)\s?)?\d{4,}(?:[.,]\d{1,2})?(?![\d.,]*\d)(?:\s?[€$£¥₹](?![\d\-−]))?"
)


def find_amounts(text: str, decimal_hint: str | None = None) -> list[tuple[Decimal, int, int]]:
    """Money amounts in `text` as (value, start, end): tokens with a decimal part or a currency
    mark, never percentages (`21 %`) or bare integers such as quantities and years."""
    out = []
    for m in _AMOUNT_TOKEN.finditer(text):
        token = m.group().strip()
        after = text[m.end() : m.end() + 3]
        if after.lstrip().startswith("%"):
            continue
        if not looks_like_amount(token):
            continue
        value = parse_amount(token, decimal_hint)
        if value is not None:
            start = m.start() + (len(m.group()) - len(m.group().lstrip()))
            out.append((value, start, m.end()))
    return out

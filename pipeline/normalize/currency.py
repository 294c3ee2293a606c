"""ISO 4217 currency from the codes and symbols printed on a document.

Codes (`EUR`, `USD`) are unambiguous; symbols are mapped to the currency that uses them most
(`$` -> USD unless a code says otherwise, `Rs.`/`₹` -> INR). Each mention is a vote; a code next to
a currency label ("Currency", "Devise", "Währung") counts most.
"""

from __future__ import annotations

import re
from collections import Counter

CODES = (
    "EUR",
    "USD",
    "GBP",
    "CHF",
    "INR",
    "JPY",
    "CAD",
    "AUD",
    "NZD",
    "SEK",
    "NOK",
    "DKK",
    "PLN",
    "CZK",
    "HUF",
    "RON",
    "BGN",
    "CNY",
    "HKD",
    "SGD",
    "ZAR",
    "BRL",
    "MXN",
    "TRY",
    "RUB",
    "AED",
    "SAR",
    "ILS",
    "KRW",
    "THB",
    "MYR",
    "IDR",
    "PHP",
)
SYMBOLS: dict[str, str] = {
    "€": "EUR",
    "£": "GBP",
    "₹": "INR",
    "¥": "JPY",
    "₩": "KRW",
    "₺": "TRY",
    "₽": "RUB",
    "zł": "PLN",
    "kč": "CZK",
    "r$": "BRL",
    "us$": "USD",
    "a$": "AUD",
    "c$": "CAD",
    "hk$": "HKD",
    "s$": "SGD",
    "$": "USD",
    "rs.": "INR",
    "rs": "INR",
    "inr": "INR",
    "fr.": "CHF",
    "sfr": "CHF",
}
# The one-character signs among them ("€", "$", "£" ...): what OCR repairs look for beside digits.
SIGNS = "".join(sign for sign in SYMBOLS if len(sign) == 1)
WORDS: dict[str, str] = {
    "euro": "EUR",
    "euros": "EUR",
    "us dollars": "USD",
    "dollars": "USD",
    "dollar": "USD",
    "rupees": "INR",
    "pounds sterling": "GBP",
    "franken": "CHF",
}
_CODE_RE = re.compile(r"(?<![A-Za-z])(" + "|".join(CODES) + r")(?![A-Za-z])")
_SYMBOL_RE = re.compile(
    r"(?i)(us\$|hk\$|[acsr]\$|\$|€|£|₹|¥|₩|₺|₽|zł|kč|(?<![a-z])rs\.?(?=\s?[-+−]?\s?\d)|(?<=\d\s)rs\b\.?|(?<=\d)rs\b\.?|(?<![a-z])sfr\b)"
)
_WORD_RE = re.compile(r"(?i)\b(" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")\b")
_LABEL_RE = re.compile(r"(?i)\b(currency|devise|w[äa]hrung|moneda|divisa|valuta)\b")


def currency_votes(text: str, ocr: bool = False) -> Counter[str]:
    """Votes per ISO code from every code, symbol and currency word in `text`. OCR'd text (`ocr`):
    a bare "$" votes only beside an amount, since OCR reads a 5 or an S as "$" ("Unit $, Riverside"),
    and then half a vote, so that one misread digit does not outvote a sign read right (Flipkart's
    scan: "NO. 43 & $3" in an address against "Rs -40.00"). Another sign away from any amount votes
    half, and only standing alone (`_standing_alone`): OCR reads specks and unreadable print as
    signs too (Flipkart's "invoice €" on seed 487), while a column head's "(€)" still names the
    currency where nothing else does.
    """
    votes: Counter[str] = Counter()
    for line in text.splitlines():
        labelled = bool(_LABEL_RE.search(line))
        for m in _CODE_RE.finditer(line):
            votes[m.group(1)] += 5 if labelled else 2
        for m in _SYMBOL_RE.finditer(line):
            bare_dollar = ocr and m.group(1) == "$"
            beside = not ocr or _beside_amount(line, m.start(), m.end())
            if not beside and (bare_dollar or not _standing_alone(line, m.start(), m.end())):
                continue
            # Beside a short whole number only ("NO. 42/1 £ 43": an "&" in Flipkart's address on
            # seed 941), an OCR'd sign is as weak as one alone: house numbers are such numbers.
            short = ocr and not _beside_amount(line, m.start(), m.end(), cents=True)
            weak = bare_dollar or not beside or short
            votes[SYMBOLS[m.group(1).lower()]] += 0.5 if weak else 1
        for m in _WORD_RE.finditer(line):
            votes[WORDS[m.group(1).lower()]] += 3 if labelled else 1
    return votes


def _standing_alone(line: str, start: int, end: int) -> bool:
    """Is the sign at line[start:end] a word of its own, or alone in brackets ("Betrag (€)")? Away
    from any amount, OCR's signs glued to letters or marks are its readings of unreadable small print
    ("€smmptin", "%€-Jule": Flipkart's on seed 499), and so is one between two words of a sentence
    ("Keep this ivoic € and": Flipkart's "invoice and" on seed 3511, its "e" read "€")."""
    if not (line[start - 1 : start] in ("", " ", "(") and line[end : end + 1] in ("", " ", ")", ":")):
        return False
    before, after = line[:start].split()[-1:], line[end:].split()[:1]
    return not (before and after and before[0].isalpha() and after[0].isalpha())


def _beside_amount(line: str, start: int, end: int, cents: bool = False) -> bool:
    """Is the sign at line[start:end] printed against an amount ("$ 12", "12.50$", "$(3.00)")?

    An amount: two decimals, or at most three digits, or digits grouped by thousands (`cents`: not
    three digits alone). A long bare number is a code or postcode whose first digit OCR read as "$"
    (Flipkart's "Indiu - $6017" and "S: $132415345" on scanner seed 467, against one "Rs -40.00")."""
    after, before = _CENTS_AROUND if cents else _AMOUNT_AROUND
    return bool(after.match(line[end:]) or before.search(line[:start]))


def _around(money: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """`money` right after a sign, and right before one."""
    return re.compile(r"\s?[-(]?" + money + r"(?![\d.,]?\d)"), re.compile(r"(?<![\d.,])" + money + r"\s?$")


# An amount with its cents, or grouped by thousands: not a house number.
_WITH_CENTS = r"\d+[.,]\d{2}|\d{1,3}(?:[.,\s]\d{3})+(?:[.,]\d{2})?"
# Or a whole number of at most three digits; one opening with a zero ("$06*7": a postcode's misread
# on Flipkart's seed 997) is none.
_MONEY = rf"(?:{_WITH_CENTS}|0(?!\d)|[1-9]\d{{0,2}})"
_AMOUNT_AROUND = _around(_MONEY)
_CENTS_AROUND = _around(rf"(?:{_WITH_CENTS})")


def detect_currency(text: str, ocr: bool = False) -> tuple[str | None, float]:
    """The document's currency and a confidence (the winner's share of the votes); `ocr` as for
    `currency_votes`."""
    votes = currency_votes(text, ocr)
    if not votes:
        return None, 0.0
    # A code is stronger evidence than `$` for the same dollar family: "CAD" beats a bare "$".
    ranked = votes.most_common(2)
    code, count = ranked[0]
    if ocr and len(ranked) > 1 and ranked[1][1] == count:
        # Two currencies with as much evidence on a scan (a speck read "€" against "Rs -00": Flipkart
        # on seed 1487) name none: the text's order would pick one.
        return None, 0.0
    total = sum(votes.values())
    return code, round(min(0.99, 0.5 + 0.5 * count / total), 3)

"""Readings an OCR'd amount or date could have had, for validation to pick by arithmetic.

Why candidates and not corrections: OCR confuses S/5, O/0, l/1, B/8 and , with . ; guessing
silently would invent numbers. Extraction keeps the raw token; when a business rule fails
(`qty x price = total`, `sum(lines) = subtotal`, `subtotal + tax = total`), validation asks for
the candidates of the OCR'd tokens involved and accepts one only if it makes the rule hold, with
the fewest changes. Only OCR words (`text_source == "ocr"`) should be repaired; a PDF text layer
has no such confusions.

    from pipeline.ocr_repair import prove_amount
    fixed = prove_amount("1.234,S6", Decimal("1234.56"))   # -> ("1.234,56", Decimal("1234.56"))
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from pipeline.model import Word
from pipeline.normalize.amounts import parse_amount
from pipeline.normalize.currency import SIGNS
from pipeline.normalize.dates import DateMatch, parse_date, parse_date_prefix

# Character -> digits it is misread for (letters and symbols only; digits are never "repaired"
# into other digits except the 5/6/8 group below, which needs arithmetic all the more).
LOOKALIKES: dict[str, str] = {
    "O": "0", "o": "0", "D": "0", "Q": "0", "U": "0",
    "I": "1", "l": "1", "i": "1", "|": "1", "!": "1", "L": "1", "J": "1",
    "Z": "2", "z": "2",
    "E": "3",
    "A": "4", "h": "4",
    "S": "5", "s": "5", "$": "5",
    "G": "6", "b": "6",
    "T": "7",
    "B": "8",
    "g": "9", "q": "9",
}
DIGIT_SWAPS: dict[str, str] = {"5": "6", "6": "58", "8": "63", "3": "8", "1": "7", "7": "1", "0": "8"}
SEPARATORS: dict[str, str] = {",": ".", ".": ",", ";": ",.", ":": ".", "_": ".,", "'": ",."}
# A currency sign in front of the digits misread as a letter, digit or bracket ("$4.11" read "S4.11" or
# "84.11", "£5349.51" or "€12.00" read "E5349.51", "C12.00", "€19,99" read "619,99", "€593,36" read
# "(593,36"). Only the first character of a token, and only before a digit or digit look-alike: "S"
# elsewhere is 5. The sign read back is one of those it may be: it only changes which value the token
# parses to, never which currency it is.
CURRENCY_LOOKALIKES: dict[str, str] = {
    "S": "$", "s": "$", "8": "$", "5": "$", "§": "$", "E": "€", "C": "€", "6": "€", "(": "€", "f": "£",
}

# Marks OCR reads from specks in front of a number ('"350.74', '„15/01/2020'); a reading may drop one
# there, and OCR's words leave them out (`pipeline.ocr.words.split_box`).
STRAY_MARKS = "\"'`‘’‚“”„"
# A closing mark with no opening one after a number's last digit ("Total EUR 34,73)"), a frame's
# vertical rule read against it ("1,00!", "5,00|": a table cell's right edge on horstoeko's scans), or
# a point or a comma after its decimals ("60,00.": F20180027's unit price on seed 1237; "1,00,":
# akretion's quantity on seed 3221), or an apostrophe ("1,00'": F20180027's quantity on seed 3593):
# a speck or the rule beside the amount. A reading may drop it.
CLOSING_MARKS = ")]!|.,'"
# What a speck before an amount may be read as: a quote mark, or a tilde.
_SPECKS = STRAY_MARKS + "~"
# A speck between a printed currency sign and its digits comes back as a point, colon or quote mark
# ("€:19,99": coolblue's unit price on scanner seed 1669); a reading may drop it.
_SIGN_SPECKS = ".:;,'`’"
_ONE_THEN_DIGIT = {f"1{d}" for d in "0123456789"}
# The same rule read as a "1" after a money amount's two decimals ("Total EUR 34,731": QualityHosting's
# total cell on scanner seed 461), or as "l", "I", "|", or as a "0" by our five-language recogniser
# ("34,730" on seed 2011), or as a "7", the 1's look-alike ("10,007": horstoeko's unit price, latin5
# on seed 2161). Only after a decimal mark and two digits, where a third decimal is not money's,
# and only as a reading arithmetic must prove.
_RULE_AS_ONE = re.compile(r"\d[.,]\d\d[1lI|07]$")
# Both of an amount's decimals read as the letter o ("5,oo" for 5,00: horstoeko's unit price read
# by our five-language recogniser on seeds 2113 and 2129, beside 1,00 and 5,00): one "00" misread,
# so one change, where letter by letter it is two, past `amount_readings`' one.
_CENTS_AS_OO = re.compile(r"\d[.,](?:oo|OO)$")
# An amount's cents with one or both of their digits read as the letter o ("7,0o", "60,0o": akretion's
# line totals read by our five-language recogniser on seeds 3187 and 3203): the letter can be no
# other digit than 0.
_CENTS_WITH_O = re.compile(r"^([(\-−–+]?[€$£]?\d[\d.,]*[.,])(\d[oO]|[oO]\d|[oO]{2})$")
# An amount of digits and o's (after its sign): each o is a 0 wherever it stands ("6o,0o").
_O_AMONG_DIGITS = re.compile(r"^([(\-−–+]?[€$£]?)([\doO][\doO.,]*)$")


# Letters OCR reads for a digit printed between two digits of an identifier ("BLR_WFLD2O15100", "4l7",
# "P0z01925478": horstoeko's order number on seed 1039): inside a run of digits the letter is none
# (a Q, D or capital Z there may be printed, so they stay). A small "z" is none after an "O" either
# ("POz01925478": the same number on seed 3023): no identifier prints one among capitals and digits.
_DIGIT_BETWEEN_DIGITS = {"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "z": "2"}
_BETWEEN_DIGITS = re.compile(r"(?<=\d)[Ool|Iz](?=\d)|(?<=O)z(?=\d)")


# A capitals word glued to the stray letter a frame's vertical rule is read as: I, l, |, [, "¡" or "!"
# (the rule with a speck beside it: "¡NOM & DESIGNATION", F20180027 on scanner seed 251), or "Œ" for a
# rounded corner by our five-language recogniser ("IFACTURE N°", "ŒSELLER TRADE NAME", "INOM &
# DESIGNATION"). No label word of ours starts with such a character followed by three capitals. The
# word's first letter may come back in lower case ("IsELLER TRADE NAME": horstoeko on seed 547), or
# its letters after the first ("ISelleR TRADE NAME": akretion on seed 1481). Only a fallback, where
# nothing matched as read.
_AFTER_RULE = r"(?:[a-zà-ÿ]?[A-ZÀ-Þ]{3}|[A-ZÀ-Þ][a-zà-ÿ]{3})"
FRAME_RULE = re.compile(r"[Il|\[Œ¡!]" + _AFTER_RULE)
# Before a label, also a "J" ("JFACTURE N°": F20180027's title, read so by our five-language recogniser
# on seed 2027). Only where a label is looked for, against the label lists: a name may open with a J
# and capitals ("JEAN"), so names and addresses keep `FRAME_RULE`. There also before a number sign
# ("IN° TVA intra : FR 11 ...": akretion read by latin5 on seed 2897, whose vendor then took the
# footer's other id); no word opens with a capital and a number sign.
LABEL_FRAME_RULE = re.compile(r"[Il|\[Œ¡!J](?:" + _AFTER_RULE + r"|N[°º])")
# Before an item's description, only marks that print no capital's stem: not "I" ("IPHONE 12" is
# printed so) nor "Œ" ("lAPPEL": horstoeko's third item on seed 2203).
DESCRIPTION_FRAME_RULE = re.compile(r"[l|\[¡!]" + _AFTER_RULE)


# A clean amount with a dollar sign ("$0.01"). On a page that prints one, a leading "S" or "s" before
# an amount's digits is that sign, never the digit 5 ("S0.01": AWS's charges, read so by both recognisers),
# and so is a "§" ("§1.87": latin5 on seed 2237).
_DOLLAR = re.compile(r"^\$\d")
# An amount with cents behind a capital S ("S0.01", "SO.00", "S1,234.50"): no price is printed so,
# but every dollar amount of a page whose "$" no reader got right is read so (AWS's invoice
# photographed, seed 11 of `bench.scans.photograph`: eleven such words and no "$").
_S_AMOUNT = re.compile(r"^S[0-9O][0-9O,.]*[.,][0-9O]{2}$")
_S_AMOUNTS = 3  # such words on a page that make it a dollar page without a "$"


def dollar_page(words: Iterable[Word]) -> bool:
    """Does an OCR'd page print its amounts with a dollar sign: one word reads "$" before a digit, or
    `_S_AMOUNTS` words read "S" before an amount with cents?"""
    s_amounts = 0
    for w in words:
        if _DOLLAR.match(w.text):
            return True
        s_amounts += bool(_S_AMOUNT.match(w.text))
    return s_amounts >= _S_AMOUNTS


# How a dollar sign is read before an amount's digits besides itself: a capital or small S, a section
# sign; and, only in a column whose amounts mostly show the sign, a 5 or an 8 (`as_dollar`).
DOLLAR_READS = "Ss§"
_DOLLAR_AS_DIGIT = "58"


def as_dollar(text: str, signed_column: bool = False) -> str:
    """`text` with a leading "S", "s" or "§" before a digit read as "$" (for a `dollar_page`). In a
    column whose amounts mostly print the sign (`signed_column`), so is a leading "5" or "8": the
    sign is printed before every amount of a column, so an amount that shows none has had it read
    as a digit ("51.87" beside "S1.87" and "S0.01": AWS's outline photographed, seed 11 of
    `bench.scans.photograph`, where 1.87 and 51.87 otherwise tied)."""
    reads = DOLLAR_READS + _DOLLAR_AS_DIGIT if signed_column else DOLLAR_READS
    return "$" + text[1:] if text[:1] in reads and text[1:2].isdigit() else text


def mend_identifier(text: str) -> str:
    """An OCR'd identifier with each O, o, I, l or | that stands between two digits read as the digit.
    Only for identifiers (invoice, order, customer numbers): in words and amounts other rules apply."""
    return _BETWEEN_DIGITS.sub(lambda m: _DIGIT_BETWEEN_DIGITS[m.group()], text)


# Letters an italic digit is read as besides its look-alike: "J" for a 2 or a 3 as well as a 1
# (akretion's "FRJO" IBAN on seed 811; F20180027's line total "30,00" read "J0,00" on seed 3697), a
# small "z" for a 7 as well as a 2 (akretion's APPEL total "7,00" read "z,0o", latin5 on seed 3767).
# Tried with the digit swaps, where arithmetic (or a checksum: `identifiers`) must confirm.
LETTER_SWAPS: dict[str, str] = {"J": "23", "z": "7"}


def _options(ch: str, digit_swaps: bool) -> str:
    """`ch` itself first, then what it may really be."""
    alts = LOOKALIKES.get(ch, "") + SEPARATORS.get(ch, "")
    if digit_swaps:
        alts += DIGIT_SWAPS.get(ch, "") + LETTER_SWAPS.get(ch, "")
    return ch + alts


def candidates(raw: str, max_changes: int = 2, digit_swaps: bool = False) -> Iterator[tuple[str, int]]:
    """(reading, number of changed characters) for `raw`, fewest changes first, `raw` itself first.

    At most `max_changes` characters change. `digit_swaps` also tries 5/6/8/3 and 1/7 confusions,
    which are only safe when arithmetic must confirm the result. The first character, before a
    digit, may also be a currency sign (CURRENCY_LOOKALIKES) or a stray mark that the reading drops
    (STRAY_MARKS): such a reading is one character shorter than `raw`; so is one without a closing
    bracket that ends it after a digit and opens nowhere before it (CLOSING_MARKS), or without a
    "1" after two decimals (a frame's rule, `_RULE_AS_ONE`), or without a mark between a currency
    sign and its digits.
    """
    choices = [list(_options(c, digit_swaps)) for c in raw]
    # The sign may stand a space before the digits ("€ 593,36" read "6 593,36": coolblue on seed 1229).
    after_sign = raw[2:3] if raw[1:2] == " " else raw[1:2]
    if after_sign and (after_sign.isdigit() or after_sign in LOOKALIKES) and raw[0] in CURRENCY_LOOKALIKES:
        choices[0].append(CURRENCY_LOOKALIKES[raw[0]])
    if len(raw) > 1 and (raw[1].isdigit() or raw[1] in LOOKALIKES) and raw[0] in STRAY_MARKS:
        choices[0].append("")  # a speck read as a quote mark: the reading drops it
    if len(raw) > 2 and raw[0] in SIGNS and raw[1] in _SIGN_SPECKS and raw[2].isdigit():
        choices[1].append("")  # a speck between the sign and its digits ("€:19,99")
    # A speck after the sign read as a "1" ("€ 1593,36" for € 593,36: coolblue on seed 3061).
    first = len(raw) - len(raw.lstrip("".join(SIGNS) + " "))  # where the digits start after a sign
    if raw[:1] and raw[0] in SIGNS and first < len(raw) - 2 and raw[first : first + 2] in _ONE_THEN_DIGIT:
        choices[first].append("")
    if without_closing_mark(raw) is not None or _RULE_AS_ONE.search(raw):
        choices[-1].append("")
    changeable = [i for i, opts in enumerate(choices) if len(opts) > 1]
    yield raw, 0
    for n in range(1, max_changes + 1):
        for positions in itertools.combinations(changeable, n):
            pools = [choices[i][1:] for i in positions]
            for picks in itertools.product(*pools):
                chars = list(raw)
                for i, c in zip(positions, picks, strict=True):
                    chars[i] = c
                yield "".join(chars), n


def without_closing_mark(text: str) -> str | None:
    """`text` without a closing bracket or mark (`CLOSING_MARKS`) after its last digit where nothing
    opens before it ("34,73)": a speck or a cell's rule), or None where it ends otherwise. A reading:
    arithmetic must prove it ("(34,73)" is a negative amount and keeps its bracket)."""
    if len(text) > 1 and text[-1] in CLOSING_MARKS and text[-2].isdigit() and not set("([") & set(text):
        return text[:-1]
    return None


def one_digit_off(read: Decimal, proved: Decimal) -> bool:
    """Do two amounts differ in exactly one digit as printed with two decimals ("71,81" and
    "71,51")? What a misread digit that no look-alike lists leaves, where two sums prove the other."""
    a, b = f"{read:.2f}", f"{proved:.2f}"
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def prove_amount(
    raw: str, expected: Decimal, decimal_hint: str | None = None, max_changes: int = 2
) -> tuple[str, Decimal] | None:
    """The reading of `raw` with the fewest changes that parses to `expected`, or None.

    `expected` comes from arithmetic on *other* fields (e.g. quantity x unit price); `raw` itself
    is returned (0 changes) when it already parses to it.
    """
    for digit_swaps in (False, True):  # letter look-alikes first; digit swaps only if they fail
        for text, _ in candidates(raw, max_changes, digit_swaps):
            value = parse_amount(text, decimal_hint)
            if value is not None and value == expected:
                return text, value
    return None


_DOUBLED_MARK = re.compile(r"(?<=\d)([.,])([.,])(?=\d)")


def cents_read_as_o(text: str) -> str | None:
    """`text` with the o's of its cents read as zeros ("7,0o" -> "7,00"), or None where its cents
    hold no o (`_CENTS_WITH_O`). A reading: arithmetic must prove its value before it is taken."""
    m = _CENTS_WITH_O.match(text)
    return m.group(1) + m.group(2).replace("o", "0").replace("O", "0") if m else None


def one_mark_readings(text: str) -> list[str]:
    """`text` with two marks between digits read as one, either of them ("279.,84": "279.84" and
    "279,84"): OCR reads one mark twice, and no amount prints two there. Empty without such marks."""
    return [text[: m.start()] + m[k] + text[m.end() :] for m in _DOUBLED_MARK.finditer(text) for k in (1, 2)]


def without_rule_as_one(raw: str) -> str | None:
    """`raw` without the third decimal a frame's rule was read as (`_RULE_AS_ONE`: "1,001" for
    1,00), or None where it has none; a reading arithmetic must prove, as the number as read may be
    one."""
    return raw[:-1] if _RULE_AS_ONE.search(raw) else None


def amount_readings(raw: str, decimal_hint: str | None = None, max_changes: int = 1) -> list[Decimal]:
    """Distinct values `raw` may stand for (its own parse first), for rules that search combinations
    such as `sum(line totals) = subtotal` when several tokens are uncertain."""
    seen: list[Decimal] = []
    # A speck read as a mark before a sign read as a letter ('"S0.01', "~S0.00": AWS's charges on
    # seed 863) takes two changes; the speck's dropping alone changes no digit, so it comes free.
    texts = [raw, raw[1:]] if len(raw) > 2 and raw[0] in _SPECKS else [raw]
    # So does a sign read as a letter before a digit read as one ("SO.00": AWS's VAT on seed 1709):
    # the letter cannot stay, so reading it as the sign it stands for changes no digit.
    if len(raw) > 2 and raw[0].isalpha() and raw[0] in CURRENCY_LOOKALIKES and raw[1] in LOOKALIKES:
        texts.append(CURRENCY_LOOKALIKES[raw[0]] + raw[1:])
    if _CENTS_AS_OO.search(raw):
        texts.append(raw[:-2] + "00")
    # ... and so do o's among an amount's digits wherever they stand ("6o,0o" for 60,00: F20180027's
    # line total read by our five-language recogniser on seed 3697): the letter is no other digit.
    among = _O_AMONG_DIGITS.match(raw)
    if among is not None and any(c.isdigit() for c in among[2]) and any(c in "oO" for c in among[2]):
        texts.append(among[1] + among[2].replace("o", "0").replace("O", "0"))
    # So does one mark read as two ("S0.,00": AWS's VAT read by latin5 on seed 2657).
    texts += [r for t in list(texts) for r in one_mark_readings(t)]
    for text, _ in (c for t in texts for c in candidates(t, max_changes)):
        value = parse_amount(text, decimal_hint)
        if value is not None and value not in seen:
            seen.append(value)
    return seen


def prove_date(raw: str, accept: date | None = None, order: str = "DMY", max_changes: int = 2
               ) -> tuple[str, date] | None:
    """A reading of `raw` that is a real date (equal to `accept` when given), fewest changes first.

    Without `accept` this only fixes letters inside digit groups ("O1.O3.2024"); a rule such as
    due date >= issue date should pass `accept` when it has one.
    """
    for text, _ in candidates(raw, max_changes):
        if _letter_touches_digit(text):
            continue  # the date parser would skip the letter and read a shorter date
        value = parse_date(text, order)
        if value is not None and (accept is None or value == accept):
            return text, value
    return None


def _letter_touches_digit(text: str) -> bool:
    """A digit look-alike letter next to a digit ("O1"): a misread, not a month name."""
    return any(
        (a in LOOKALIKES and b.isdigit()) or (b in LOOKALIKES and a.isdigit())
        for a, b in itertools.pairwise(text)
    )


# A numeric date at the start of a text: its day and month groups (either order), then the year.
_NUMERIC_DATE_HEAD = re.compile(r"[\s:.#\-–]*(\d{1,2})[./\-](\d{1,2})[./\-]\d{2,4}")


def date_with_one_for_four(text: str, order: str = "DMY") -> DateMatch | None:
    """The date `text` starts with, where as read it is no date but one "4" of its day or month read
    as "1" makes it one, and only one such reading does; else None.

    Why this one confusion: the French templates' italic "1" comes back as "4" on scans ("34/01/2026",
    "45/01/2020", "31/42/2019": akretion and horstoeko on scanner seeds 547, 563, 557), and a day or
    month that cannot be is the proof that something was misread. The reading has the same length,
    so the match's offsets are the text's own."""
    if parse_date_prefix(text, order) is not None:
        return None
    m = _NUMERIC_DATE_HEAD.match(text)
    if m is None:
        return None
    found = []
    for k in [*range(m.start(1), m.end(1)), *range(m.start(2), m.end(2))]:
        if text[k] == "4":
            reading = parse_date_prefix(text[:k] + "1" + text[k + 1 :], order)
            if reading is not None:
                found.append(reading)
    return found[0] if len(found) == 1 else None


# A numeric date whose two separators differ.
_MIXED_SEPARATORS_HEAD = re.compile(r"[\s:.#\-–]*\d{1,2}([./\-])\d{1,2}(?!\1)([./\-])\d{2,4}(?![\d.,]\d)")


def date_with_mixed_separators(text: str, order: str = "DMY") -> DateMatch | None:
    """The date `text` starts with, where as read its two separators differ ("8.9-2022") and the
    second read as the first makes a date; else None. Offsets are the text's own.

    Why: a hyphen's short bar comes back as a point on a scan (saeco's "Factuur datum 8-9-2022" on
    scanner seed 1543), and no printed date mixes its separators; only a labelled value is asked."""
    m = _MIXED_SEPARATORS_HEAD.match(text)
    if m is None or parse_date_prefix(text, order) is not None:
        return None
    k = m.start(2)
    return parse_date_prefix(text[:k] + m.group(1) + text[k + 1 :], order)


# A date with its month in words whose comma before the year came back as a mark, or twice.
_MONTH_DAY_MARK_YEAR = re.compile(r"[\s:]*[^\W\d_]{3,}\.?\s+\d{1,2}\s?([‘’'`\".“”„]|,\s?,)\s?\d{4}\b")


def date_with_mark_for_comma(text: str, order: str = "DMY") -> DateMatch | None:
    """The date `text` starts with, where as read the comma between a worded date's day and year is
    a quote mark or a point ("August 3 ‘ 2014": AWS's invoice date on scanner seed 1931), or two
    commas ("Jan 1, , 2022": Sammy's on seed 3547, a speck read as the second), and a comma there
    makes a date; else None. Offsets are the text's own (the marks become a comma and spaces)."""
    m = _MONTH_DAY_MARK_YEAR.match(text)
    if m is None or parse_date_prefix(text, order) is not None:
        return None
    k, end = m.start(1), m.end(1)
    return parse_date_prefix(text[:k] + "," + " " * (end - k - 1) + text[end:], order)


# A numeric date whose groups hold letters a digit is read as, or whose year opens with an
# impossible digit: day and month (either order), then a year of four; a frame's rule may be glued
# after it, read as "l", "I", "|" or "]" ("15/01/202ol": horstoeko read by latin5 on seed 2917).
_LOOKALIKE_DATE_HEAD = re.compile(
    r"[\s:.#\-–]*([\dOoIlZ]{1,2})[./\-]([\dOoIlZ]{1,2})[./\-]([\dOoIlZ]{4})(?:[Il|\]](?!\w))?(?!\w)"
)
_DATE_LOOKALIKES = str.maketrans("OoIlZ", "00112")


def date_with_lookalike_digits(text: str, order: str = "DMY") -> DateMatch | None:
    """The date `text` starts with, where as read it is no date but its letters read as the digits
    they look like (O, o -> 0, I, l -> 1, Z -> 2) make one, or its year's first digit read as "2"
    does ("15/01/202o", "15/02/3020": horstoeko's dates on scanner seed 2473; no invoice is dated in
    the year 3020, and only "2" makes that a year of dates), or a worded date's year with its
    letters read so (`_worded_date_with_lookalike_year`); else None. The same length, so the
    offsets are the text's own."""
    if parse_date_prefix(text, order) is not None:
        return None
    m = _LOOKALIKE_DATE_HEAD.match(text)
    if m is None:
        return _worded_date_with_lookalike_year(text, order)
    read = text[: m.start(1)] + text[m.start(1) : m.end(3)].translate(_DATE_LOOKALIKES) + text[m.end(3) :]
    k = m.start(3)
    if read[k] not in "12":
        read = read[:k] + "2" + read[k + 1 :]
    return parse_date_prefix(read, order)


# A four-character year of a worded date with a letter read for a digit ("05 Juillet Z015":
# free_fiber's due date read by our five-language recogniser on seed 3691), two digits at least.
_LOOKALIKE_YEAR = re.compile(r"(?<!\w)(?=(?:\S*\d){2})[\dOoIlZ]{4}(?!\w)")


def _worded_date_with_lookalike_year(text: str, order: str) -> DateMatch | None:
    """The worded date `text` starts with, its year read as `_LOOKALIKE_YEAR`, where that year read
    as digits ends the date; else None. The same length, so the offsets are the text's own."""
    m = _LOOKALIKE_YEAR.search(text[:32])
    if m is None or m.group().isdigit():
        return None
    read = text[: m.start()] + m.group().translate(_DATE_LOOKALIKES) + text[m.end() :]
    found = parse_date_prefix(read, order)
    return found if found is not None and found.end == m.end() else None


# A numeric date with a mark glued after its four-digit year: a frame's rule beside the cell read
# as "1" or one of its look-alikes ("31/12/20181": F20180027 read by our five-language recogniser
# on seed 3491, its date lost).
_RULE_AFTER_YEAR_HEAD = re.compile(r"[\s:.#\-–]*\d{1,2}([./\-])\d{1,2}\1\d{4}([1lI|!\]])(?![\d.,/])")


def date_with_rule_after_year(text: str, order: str = "DMY") -> DateMatch | None:
    """The date `text` starts with, where as read its year has a fifth character that is a rule's
    reading ("1", "l", "|" ...): the date without it, the mark inside the match. Else None. A year
    has four digits, and the rule is what a frame around the date adds to it."""
    m = _RULE_AFTER_YEAR_HEAD.match(text)
    if m is None or parse_date_prefix(text, order) is not None:
        return None
    reading = parse_date_prefix(text[: m.start(2)], order)
    return dataclasses.replace(reading, end=m.end(2)) if reading is not None else None


# A numeric date whose day or month group has a third digit.
_LONG_GROUP_DATE_HEAD = re.compile(r"[\s:.#\-–]*(\d{1,3})[./\-](\d{1,3})[./\-]\d{2,4}")


def date_with_extra_digit(text: str, order: str = "DMY") -> DateMatch | None:
    """The date `text` starts with, where as read its day or month has three digits and dropping one
    of them makes a date, and only one date; else None. Offsets are the text's own.

    Why: the same italic "1" of the French templates also comes back as "41" ("415/01/2020",
    "31/412/2018": horstoeko and F20180027 on scanner seeds 1327 and 1301); a third digit in a day
    or month is the proof that something was misread, and the one date left says what."""
    m = _LONG_GROUP_DATE_HEAD.match(text)
    if m is None or parse_date_prefix(text, order) is not None:
        return None
    groups = [g for g in (1, 2) if len(m.group(g)) == 3]
    if len(groups) != 1:
        return None
    found: dict[date, DateMatch] = {}
    for k in range(m.start(groups[0]), m.end(groups[0])):
        reading = parse_date_prefix(text[:k] + text[k + 1 :], order)
        if reading is not None and reading.start <= k:
            found.setdefault(reading.value, dataclasses.replace(reading, end=reading.end + 1))
    return next(iter(found.values())) if len(found) == 1 else None


"""Cell text -> typed values: amounts, quantities with units, percentages, product codes.

Kept apart from the geometry so the parsing rules are easy to test on their own.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from pipeline.layout import Line, Segment
from pipeline.model import Word
from pipeline.normalize.amounts import parse_amount

_NUMBERISH = re.compile(r"^[(\-−–+]?[€$£]?\d[\d.,' \u00a0\u202f]*%?[)\-]?$")
_PERCENT = re.compile(r"^[-+]?\d+(?:[.,]\d+)?\s*%$")
_CURRENCY = frozenset({"€", "$", "£", "¥", "₹", "eur", "usd", "gbp", "chf", "inr", "cad", "aud", "sek",
                       "nok", "dkk", "pln", "czk", "huf", "jpy", "fr", "fr.", "sfr", "sfr.", "€.", "e", "rs",
                       "rs."})
_BRACKET_CODE = re.compile(r"^\[([^\]\s]{2,})\]$|^\*([A-Z0-9][A-Z0-9_\-./]+)\*$")
_DECIMAL_COMMA = re.compile(r"\d,\d{1,2}(?!\d)")
_DECIMAL_DOT = re.compile(r"\d\.\d{1,2}(?!\d)")
_LEAD_GROUP = re.compile(r"^[(\-−–+]?[€$£]?\d{1,3}(?: \d{3})*$")
_NEXT_GROUP = re.compile(r"^\d{3}(?:[.,]\d{1,3})?[)\-]?%?$")
_MONEY_MARK = re.compile(r"[€$£¥₹]|\d[.,]\d{2}(?!\d)")
# A unit printed against its quantity, or set so close that OCR reads one word ("1.00kg", "1PCS",
# "2,5Std."): two or more letters, or one after a decimal part ("1.00L"). One letter after a whole
# number stays unread ("1O", "5l"): it may be a misread digit.
_GLUED_UNIT = re.compile(r"^(\d+(?:[.,]\d+)?)([^\W\d_]{2,8}\.?|(?<=[.,]\d\d)[^\W\d_]\.?)$")


def is_numeric_word(text: str) -> bool:
    """Digits with separators, an optional sign, currency or percent: a value, not a word."""
    t = text.strip()
    if t.lower() in _CURRENCY:
        return True
    return bool(_NUMBERISH.match(t)) or parse_amount(t) is not None


def single_value_word(words: list[Word]) -> Word | None:
    """The cell's one word with a digit ("5" of "5 h", "12.00" of "12.00 EUR"); cells with two such
    words are left alone (no guess at which is the value)."""
    digits = [w for w in words if any(c.isdigit() for c in w.text)]
    return digits[0] if len(digits) == 1 else None


def decimal_mark(words: list[Word]) -> str | None:
    """The table's decimal mark, from amounts with one or two decimals ("12,50" vs "12.50")."""
    commas = sum(1 for w in words if _DECIMAL_COMMA.search(w.text) and not _DECIMAL_DOT.search(w.text))
    dots = sum(1 for w in words if _DECIMAL_DOT.search(w.text) and not _DECIMAL_COMMA.search(w.text))
    if commas == dots:
        return None
    return "," if commas > dots else "."


def _clean(words: list[Word]) -> str:
    return " ".join(w.text for w in words if w.text.strip().lower() not in _CURRENCY).strip()


def parse_money(words: list[Word], hint: str | None) -> Decimal | None:
    """The amount in a numeric cell; currency marks around it are ignored.

    Several numbers in one cell are one amount only when they are its digit groups ("1 234,56");
    otherwise they are separate values ("Rs 1939 x 1 Night x 1 Room", "60,00 EUR (net)") and are
    never glued together: the last one marked as money (a currency beside it, a decimal part) is
    taken, else the last.
    """
    tokens = [w for w in words if w.text.strip().lower() not in _CURRENCY]
    if not tokens:
        return None
    if len(tokens) == 1 or _digit_groups([w.text for w in tokens]):
        value = parse_amount(_clean(words), hint)
        if value is not None:
            return value
    parsed = [(k, w, parse_amount(w.text, hint)) for k, w in enumerate(words)]
    candidates = [(k, w, v) for k, w, v in parsed
                  if v is not None and w.text.strip().lower() not in _CURRENCY]
    if not candidates:
        return None

    def money_like(k: int, w: Word) -> bool:
        beside = [words[j].text.strip().lower() for j in (k - 1, k + 1) if 0 <= j < len(words)]
        return any(b in _CURRENCY for b in beside) or bool(_MONEY_MARK.search(w.text))

    marked = [c for c in candidates if money_like(c[0], c[1])]
    return (marked or candidates)[-1][2]


def _digit_groups(texts: list[str]) -> bool:
    """"1 234 567,89": a lead group of one to three digits, then groups of exactly three."""
    return bool(_LEAD_GROUP.match(texts[0])) and all(_NEXT_GROUP.match(t) for t in texts[1:])


# On a scan the "%" after a rate's two decimals is often read as one or two digits ("10,00%" read
# "10,005", "20,0096", "10,0012": F20180027's, horstoeko's and akretion's TVA columns on most scanner
# seeds). No rate is printed with more than two decimals, so an OCR'd rate cell of that shape is the
# rate and its sign; its last decimal may come back an "o" too ("10,0o1", "10,0o2": horstoeko on
# seeds 2633 and 2617), as below.
_PERCENT_AS_DIGITS = re.compile(r"^(\d{1,2}[.,]\d[\do])\d{1,2}$")
# ... or as a letter or mark the recogniser makes of it ("10,00r", "10,00*", "10,00x": the last two
# horstoeko on seed 797; "10,00k": F20180027 on 1097, horstoeko on 929), the decimals read "o" or the
# last lost before it ("10,0ox", "10,0x": horstoeko's TVA column read by latin5 on seed 2027;
# "10,oox" on 2677; the units' zero too: "1o,o0x", horstoeko read by latin5 on 2963): only in a
# column already known to hold rates, since a letter after an amount may be its currency ("5,00E")
# and a star a footnote.
_PERCENT_AS_LETTER = re.compile(r"^(\d[\do]?[.,][\do]{1,2})[%Aaonrxk*]$")
# ... or the "%" read whole with one more character after it, its lower ring read twice ("21%6":
# coolblue's BTW column read by latin5 on seed 2273): after a rate's sign nothing is printed in its
# cell.
_PERCENT_WITH_TAIL = re.compile(r"^(\d{1,2}(?:[.,]\d{1,2})?)%[\dOo°.,]$")


def parse_percent(words: list[Word], hint: str | None, ocr: bool = False) -> Decimal | None:
    """A rate: "21%", "21 %", "19,00", "0.00"; a rate above 100 is not a rate. On an OCR'd page
    (`ocr`) also a rate whose "%" was read as digits or a letter (`_PERCENT_AS_DIGITS`,
    `_PERCENT_AS_LETTER`) or with a character after it (`_PERCENT_WITH_TAIL`): callers ask only of
    a column of rates. Where two words hold digits and
    one a "%" ("49,99 21%": saeco's price under a rate's head that swallowed its misread label, seed
    1697), that one is the rate; else the words are one rate split ("21 %", "5, 5%")."""
    numbers = [w for w in words if any(c.isdigit() for c in w.text)]
    marked = [w for w in numbers if "%" in w.text]
    if len(numbers) > 1 and len(marked) == 1:
        words = marked
    text = "".join(w.text for w in words).replace(" ", "")
    if not text:
        return None
    m = (_PERCENT_AS_DIGITS.match(text) or _PERCENT_AS_LETTER.match(text) or _PERCENT_WITH_TAIL.match(text)
         ) if ocr else None
    value = parse_amount(m.group(1).replace("o", "0") if m else text.rstrip("%").lstrip("%"), hint)
    if value is None or value < 0 or value > 100:
        return None
    return value


def is_percent(text: str) -> bool:
    """A rate with its sign: "21%", "5,5 %", "-10%"."""
    return bool(_PERCENT.match(text.strip()))


def is_misread_rate(text: str) -> bool:
    """An OCR'd rate whose "%" came back as a letter ("10,00r"), with a character after it ("21%6")
    or as a digit after an "o" for a decimal ("10,0o1"): no number to `is_numeric_word`."""
    return any(p.match(text) for p in (_PERCENT_AS_LETTER, _PERCENT_WITH_TAIL, _PERCENT_AS_DIGITS))


def has_percent(words: list[Word], ocr: bool = False) -> bool:
    """A "%" among the words, or on an OCR'd page a rate whose "%" was read as digits."""
    return any("%" in w.text or (ocr and _PERCENT_AS_DIGITS.match(w.text)) for w in words)


def split_unit(text: str) -> tuple[str, str | None]:
    """A quantity word's number and the unit glued to it ("1.00kg" -> "1.00", "kg"); a word without
    one comes back whole, with None."""
    m = _GLUED_UNIT.match(text.strip())
    return (m.group(1), m.group(2)) if m else (text, None)


def parse_quantity(words: list[Word], hint: str | None) -> tuple[Decimal | None, str | None]:
    """Quantity and the unit printed beside it ("3 Piece", "1.00 kg", "2 x") or against it ("1PCS")."""
    parsed = ((w, split_unit(_strip_times(w.text))) for w in words)
    first, value, glued = next(
        ((w, v, unit) for w, (number, unit) in parsed if (v := parse_amount(number, hint)) is not None),
        (None, None, None),
    )
    if first is None:
        return None, None
    rest = [w.text for w in words if w is not first and w.text.lower() not in ("x", "×")]
    unit = " ".join([glued, *rest] if glued else rest).strip() or None
    if unit is not None and any(ch.isdigit() for ch in unit):
        unit = None
    return value, unit


def split_bracket_code(words: list[Word], ocr: bool = False) -> tuple[str | None, list[Word]]:
    """A leading "[CODE]" or barcode-style "*CODE*" in a description is the product code (Odoo and
    other ERPs print it so); a bracket alone on its line is left as the description.

    On an OCR'd page the brackets may come back as other marks, the opening one glued or a word of
    its own, any one or two characters ("[987123*", "* 987123*", "1 987123*", "a 987123*", "44 987123*":
    Azure's "[987123] Olive Oil" on scans), or lost ("987123*", seed 577): a code still, when a
    closing "]" or "*" ends it (without an opening mark, only a code with a digit in it), or when a
    "[" or "*" opens a code with a digit in it and one character of its own follows ("*987123 k"),
    or nothing opens five digits or more that one follows ("987123 F"; not "x", a count's times)."""
    if words:
        m = _BRACKET_CODE.match(words[0].text)
        if m and len(words) > 1:
            return m.group(1) or m.group(2), words[1:]
        if ocr and len(words) > 1:
            m = _OCR_BRACKET_CODE.match(words[0].text)
            if m:
                return m.group(1), words[1:]
            # or a speck before a whole code ("* *987123* Olive Oil": seed 1583; read as digits:
            # "70 *987123* Olive Oil", seed 3109)
            m = _OCR_MARKED_CODE.match(words[1].text) or _BRACKET_CODE.match(words[1].text)
            if m and len(words[0].text) <= 2 and len(words) > 2:  # "44 987123*": the "[" as two
                return m.group(1) or m.group(2), words[2:]
            m = _OCR_OPENED_CODE.match(words[0].text)
            code = m and (m.group(1) or m.group(2))
            closing = len(words[1].text) == 1 and words[1].text not in "xX×"
            if code and closing and len(words) > 2 and any(c.isdigit() for c in code):
                return code, words[2:]  # the closing mark a character of its own
            m = _OCR_CLOSED_CODE.match(words[0].text)
            if m and any(c.isdigit() for c in m.group(1) or m.group(2)):
                return m.group(1) or m.group(2), words[1:]  # the opening mark lost: a code with a digit
        # "[FURN_7777]Office Chair": the space after the bracket lost (Azure, seed 2069); also behind
        # its opening mark read as one or two characters of their own, as above ("+ 987123*Olive
        # Oil": seed 2221; "4 987123*Olive Oil": latin5 on seed 2617).
        speck = len(words) > 2 and len(words[0].text) <= 2
        for k in ((0, 1) if speck else (0,)) if ocr else ():
            m = _GLUED_CODE.match(words[k].text)
            if m:
                first = words[k]
                cut = first.x0 + (first.x1 - first.x0) * m.start(3) / len(first.text)
                code = m.group(1) or m.group(2)
                return code, [dataclasses.replace(first, text=m.group(3), x0=cut), *words[k + 1 :]]
    return None, words


# Codes opened and closed by a bracket or an asterisk as OCR reads them, and closed only (see above);
# after an opening mark the closing "]" may come back as a quote or a rule too ("*987123\"": seed 743).
# The opening mark may come back as any mark or sign ("ª987123*": latin5 on seed 2179).
_OCR_BRACKET_CODE = re.compile(r"^[^\sA-Za-z0-9]([A-Z0-9][A-Z0-9_\-./]{2,})[\]*|\"”'’!]$")
# The same after an opening mark read as a character of its own ("4 987123\"": Azure on seed 1523).
_OCR_MARKED_CODE = re.compile(r"^([A-Z0-9][A-Z0-9_\-./]{2,})[\]*|\"”'’!]$")
# Opened by its mark and closed by one read as a character of its own ("*987123 k": seed 1667).
# Without its opening mark too, where the code is five digits or more ("987123 F": seed 1787).
_OCR_OPENED_CODE = re.compile(r"^[\[*]([A-Z0-9][A-Z0-9_\-./]{2,})$|^(\d{5,})$")
# Five digits or more closed by any of the marks above ("987123' Olive Oil": latin5 on seed 2141).
# Before a code that "]" closes, an "I", "l" or "|" is its opening "[" read as a letter ("IFURN_7777]":
# latin5 on seed 2617): the closing bracket proves one was printed, and these are how it reads.
_BRACKET_AS_LETTER = r"(?:[Il|](?=[A-Z0-9_\-./]{3,}\]))?"
_OCR_CLOSED_CODE = re.compile(
    rf"^{_BRACKET_AS_LETTER}([A-Z0-9][A-Z0-9_\-./]{{2,}})[\]*]$|^(\d{{5,}})[\]*|\"”'’!]$"
)
# A bracketed code glued to the description's first word, which opens with a letter; with its
# opening mark lost or read as another, a code with a digit that "]" or "*" closes ("987123*Olive
# Oil", "°987123*Olive Oil": Azure, latin5 on seeds 2131 and 2129), or a quote mark read for the "]"
# ("°987123'Olive Oil": latin5 on seed 3709).
_GLUED_CODE = re.compile(
    r"^(?:\[([A-Z0-9][A-Z0-9_\-./]{2,})\]|"
    rf"(?:[^\w\s]|{_BRACKET_AS_LETTER})(?=[A-Z_\-./]*\d)([A-Z0-9][A-Z0-9_\-./]{{2,}})[\]*'’])"
    r"(?=[^\W\d_])(.+)$"
)


def _strip_times(text: str) -> str:
    """"2x" / "2 ×" count as 2."""
    return text.rstrip("x×X").strip() if len(text) > 1 else text


def _join_groups(words: list[Word]) -> list[Word]:
    """Digit groups split by a thin space ("4 809,41", "1 234 567.50") become one word.

    French, Swiss and Nordic invoices separate thousands with a space, so the text layer gives one
    word per group and "4" would otherwise land in the column to the left of "809,41". Only a gap
    narrower than a word space joins: columns are always further apart.
    """
    out: list[Word] = []
    for w in words:
        prev = out[-1] if out else None
        if (
            prev is not None
            and _NEXT_GROUP.match(w.text)
            and _LEAD_GROUP.match(prev.text)
            and w.x0 - prev.x1 <= 0.4 * max(1.0, min(prev.height, w.height))
        ):
            out[-1] = Word(f"{prev.text} {w.text}", prev.x0, min(prev.y0, w.y0), w.x1, max(prev.y1, w.y1),
                           prev.page, min(prev.confidence, w.confidence), prev.block, prev.line)
            continue
        out.append(w)
    return out


def join_digit_groups(line: Line) -> Line:
    """`line` with space-separated thousands groups joined (the same line when there are none)."""
    if not any(_NEXT_GROUP.match(w.text) for w in line.words[1:]):
        return line
    segments = [Segment(_join_groups(seg.words)) for seg in line.segments]
    return Line(words=[w for seg in segments for w in seg.words], segments=segments)


def whole_quotient(price: Decimal | None, total: Decimal | None) -> Decimal | None:
    """The quantity a unit price and a total prove when no quantity was read: total / price when
    that is a whole number from 1 to 10,000, else None."""
    if price is None or total is None or price <= 0 or total <= 0:
        return None
    qty = total / price
    return qty.quantize(Decimal(1)) if qty == qty.to_integral_value() and 1 <= qty <= 10_000 else None

"""Helpers shared by the receipt, purchase-order, delivery-note, bank-statement and payslip extractors.

They generalise what the invoice extractor does for one field at a time: value parsers for the
label -> value search of `pipeline.extract.context`, amounts to the right of a label, labelled
party blocks (name, address, contact, tax id), and a header-driven column reader for the tables
those documents have and the invoice table stage does not know (ordered / delivered quantities,
debit / credit columns, earnings / deductions). Nothing here knows one supplier's layout: columns come
from header words in five languages and geometry, rows from the lines under the header.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any

from pipeline.extract.context import (
    Candidate,
    DocContext,
    Parser,
    best,
    labelled_candidates,
    span_words,
    words_span,
)
from pipeline.extract.labels import Z_HD, Label, misread_amount_labels
from pipeline.extract.parties import Block, blocks_of
from pipeline.layout import Line, Segment
from pipeline.model import Evidence, Word
from pipeline.normalize.amounts import find_amounts, parse_amount
from pipeline.normalize.currency import CODES as CURRENCY_CODES
from pipeline.normalize.dates import find_dates, parse_date_prefix
from pipeline.normalize.identifiers import find_ibans, find_vat_ids
from pipeline.ocr_repair import (
    date_with_extra_digit,
    date_with_lookalike_digits,
    date_with_mark_for_comma,
    date_with_mixed_separators,
    date_with_one_for_four,
    date_with_rule_after_year,
)

# Before an identifier: "No.", "Nr", "#", or "+" standing apart, which is how OCR reads a "#" (a phone
# number's "+" is glued to its digits).
# What may stand between an id's label and the id: "No.", "#", and on scans the "#" read as a "$"
# standing alone ("Invoice No : $ BLR_WFLD2015...": Flipkart on seed 617), or as a "4" standing alone
# before an id that opens with a letter ("Invoice No 4 BLR_WFLD2015...": seed 3391), which as read
# gave no id at all (one digit is none).
_ID_PREFIX = re.compile(
    r"(?i)^(?:n[°ºo]\.?|nr\.?|no\.?|number|num[ée]ro|#|(?:\+\+?|\$)(?=\s)|4(?=\s+[a-z][\w\-/.]*\d))\s*:?\s*"
)
_ID_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_\-.]*[A-Za-z0-9]|[0-9]")
_POSTCODE = re.compile(
    r"\b(?:[A-Z]{1,2}-)?\d{4,5}\b|\b\d{4}\s?[A-Z]{2}\b|\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b"
)
CONTACT = re.compile(
    rf"(?i)^\s*(?:attn\.?|attention|contact(?:\s*person)?|{Z_HD}\.?|zu\s*h[äa]nden|ansprechpartner(?:in)?|"
    r"kontakt|interlocuteur|[àa]\s*l['’]attention\s*de|contacto|persona\s*de\s*contacto|atn\.?|"
    r"contactpersoon|t\.a\.v\.?)\s*[:.]?\s*"
)
_NOT_ADDRESS = re.compile(
    r"(?i)@|www\.|\btel\b|\bfax\b|phone|iban|\bbic\b|\bvat\b|\bbtw\b|\btva\b|\bust|\bnif\b"
)

NOTES: list[Label] = [
    (
        re.compile(
            r"^(?:notes?|remarks?|comments?|bemerkung(?:en)?|hinweise?|remarques?|observaciones|notas?|"
            r"opmerking(?:en)?)\b",
            re.IGNORECASE,
        ),
        1.0,
    )
]



def vat_ids(text: str) -> list[tuple[str, int, int]]:
    """VAT ids in `text` that are mostly digits after the country prefix: the shared finder also
    accepts a prefix followed by words ("Cheddar 200g 11.50" reads as CHE + ...)."""
    out = []
    for v in find_vat_ids(text):
        body = v[0][3:] if v[0][:3] in ("CHE", "ATU") else v[0][2:]
        if sum(c.isdigit() for c in body) >= 6 and sum(c.isalpha() for c in body) <= 4:
            out.append(v)
    return out


def compile_labels(entries: list[tuple[str, float]]) -> list[Label]:
    """Labels as `pipeline.extract.labels` writes them: (case-insensitive regex, strength)."""
    return [(re.compile(p, re.IGNORECASE), s) for p, s in entries]


def fold(text: str) -> str:
    """Lower case with accents removed, for matching labels written with or without them."""
    s = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in s if not unicodedata.combining(c))


# ---------------------------------------------------------------------------------------- parsers


AMOUNT_LIKE = r"\d{1,3}(?:[.,]\d{3})*[.,]\d{2}"
# A short capitals series before a number, one space apart: part of the identifier ("INV 2024-001",
# "RE 4711"; on scans "BLR WFLD20151000982590", Flipkart's "_" read as a space). Not a currency code
# ("USD 100"), and the number after it must be an identifier by itself ("USD 100.00" is none).
_LETTER_PREFIX = re.compile(r"(?!(?:" + "|".join(CURRENCY_CODES) + r")$)[A-Z]{2,4}")


def id_parser(text: str, not_an_id: str = AMOUNT_LIKE) -> tuple[str, int, int] | None:
    """An identifier at the start of `text`: one token with a digit, 3..40 characters, not a date.

    A token that fully matches `not_an_id` (by default an amount such as "1.234,56") is a value
    printed after the label, not a number; the invoice extractor also rejects quantities.
    """
    m = _ID_PREFIX.match(text)
    off = m.end() if m else 0
    t = _ID_TOKEN.match(text, off)
    if not t:
        return None
    start = t.start()
    if _LETTER_PREFIX.fullmatch(t.group()) and text[t.end() : t.end() + 1] == " ":
        t = _ID_TOKEN.match(text, t.end() + 1)  # "INV 2024-001", "BLR WFLD2015..." (its "_" unread)
        if not t:
            return None
    end = t.end()
    split = _SPLIT_AFTER_UNDERSCORE.match(text, end)
    if split is not None and not _CONNECTOR_WORD.match(text, end + 2):  # "invoice_number_ 1": the id
        end = split.end()  # goes on after the gap (not into "du_02 Juillet 2015")
    glued = _GLUED_CONNECTOR.search(t.group())
    after = text[t.start() + glued.end() :].replace("_", " ") if glued else ""
    if glued and parse_date_prefix(after):
        end = t.start() + glued.start()  # "562044387du 02 Juillet 2015": the space before "du" lost
    value = text[t.start() : end]
    if not any(c.isdigit() for c in value) or not 3 <= len(value) <= 40:
        return None
    if find_dates(value) or re.fullmatch(not_an_id, value):
        return None
    return text[start:end].replace("_ ", "_"), start, end


# An underscore ends no identifier: one followed by a gap and more of the id is inside it, the gap
# a scan's ("invoice_number_ 1" for "invoice_number_1": Sammy's number, its last digit boxed apart,
# on seed 3677; with no digit before it, the id as read was none).
_SPLIT_AFTER_UNDERSCORE = re.compile(r"_ (?:[A-Za-z0-9][A-Za-z0-9/_\-.]*[A-Za-z0-9]|[0-9])")
_CONNECTOR_WORD = re.compile(r"(?i)(?:du|vom|of|del|van|le|from)(?![^\W\d_])")


# The word between an invoice's number and its date ("Facture n° 562044387 du 02 Juillet 2015") glued
# to the number's last digit: free_fiber read by latin5 on seed 2089; the space after it read as an
# underscore, the day glued too ("562044387du_02 Juillet. 2015": seed 3167), or the space before it
# too ("562044387_du_02": seed 3217).
_GLUED_CONNECTOR = re.compile(r"(?<=\d)_?(?:du|vom|of|del|van|le|from)(?:$|_(?=\d))")


def date_parser(order: str, ocr: bool = False) -> Parser:
    """Dates at the start of a labelled value; on OCR'd pages (`ocr`) also an impossible one with a
    "1" read as "4" (`ocr_repair.date_with_one_for_four`), with a third digit in its day or month
    (`ocr_repair.date_with_extra_digit`), with letters for digits or an impossible first digit of
    its year (`ocr_repair.date_with_lookalike_digits`), with two different separators
    (`ocr_repair.date_with_mixed_separators`), a worded date's comma read as a mark
    (`ocr_repair.date_with_mark_for_comma`) or a rule read after its year
    (`ocr_repair.date_with_rule_after_year`), and its underscores read as the spaces they stand for
    ("05 Juillet_2015": a date holds none; `labelled_candidates(spaced=True)`)."""
    repairs = (date_with_one_for_four, date_with_extra_digit, date_with_lookalike_digits,
               date_with_mixed_separators, date_with_mark_for_comma, date_with_rule_after_year) if ocr else ()

    def parse(text: str) -> tuple[date, int, int] | None:
        if ocr:
            text = text.replace("_", " ")
        m = parse_date_prefix(text, order) or next(
            (found for repair in repairs if (found := repair(text, order)) is not None), None
        )
        return (m.value, m.start, m.end) if m else None

    return parse


def text_parser(text: str, strip: str | None = " :") -> tuple[str, int, int] | None:
    """Free text up to 120 characters, with `strip` (None: all whitespace) removed from both ends."""
    t = text.strip(strip)
    if not t or len(t) > 120:
        return None
    start = text.find(t)
    return t, start, start + len(t)


def name_parser(text: str) -> tuple[str, int, int] | None:
    """A name: letters first, at most a few digits, no e-mail or long number."""
    t = text.strip(" :,")
    if not t or len(t) > 80 or not t[0].isalpha() or "@" in t:
        return None
    if sum(c.isdigit() for c in t) > 2:
        return None
    start = text.find(t)
    return t, start, start + len(t)


RANGE_CONNECTORS = r"-|–|to|until|bis|au|al|a|t/m|tot"


def date_range_parser(order: str, connectors: str = RANGE_CONNECTORS) -> Parser:
    """Two dates near the start of the text joined by one of `connectors` (a regex alternation)
    or by nothing but spaces: the period a bank statement or a payslip covers. A one-sided period
    is not a period."""

    def parse(text: str) -> tuple[tuple[date, date], int, int] | None:
        found = find_dates(text[:80], order)
        if len(found) < 2 or found[0].start > 8:
            return None
        between = text[found[0].end : found[1].start]
        if not re.fullmatch(rf"(?i)\s*(?:{connectors})?\s*", between):
            return None
        return (found[0].value, found[1].value), found[0].start, found[1].end

    return parse


def ev(c: Candidate | None, confidence: float | None = None) -> Evidence:
    return c.evidence(confidence) if c is not None else Evidence(None)


def first_iban(ctx: DocContext, confidence: float) -> Evidence:
    """The first valid IBAN printed anywhere: a statement or payslip names one account, and an IBAN
    is self-checking (mod 97), so no label is needed."""
    for lines in ctx.lines:
        for line in lines:
            found = find_ibans(line.text, require_valid=True)
            if found:
                v, s, e = found[0]
                return Evidence.from_words(v, span_words(line, s, e), confidence, raw=line.text[s:e])
    return Evidence(None)


def labelled(ctx: DocContext, labels: list[Label], parser: Parser, **kw: Any) -> Candidate | None:
    """The best value `parser` reads next to one of `labels` (same rules as the invoice fields)."""
    return best(labelled_candidates(ctx, labels, parser, **kw))


def whole_text_flag(ctx: DocContext, pattern: re.Pattern[str], value: Any, conf: float = 0.8) -> Evidence:
    """`value` with the words of the first line that matches `pattern` as evidence, else null."""
    for lines in ctx.lines:
        for line in lines:
            m = pattern.search(line.text)
            if m:
                return Evidence.from_words(value, span_words(line, m.start(), m.end()), conf)
    return Evidence(None)


# ---------------------------------------------------------------------------------------- amounts


def amount_fields(
    ctx: DocContext, fields: dict[str, list[Label]], *, exclude: re.Pattern[str] | None = None
) -> dict[str, list[Candidate]]:
    """Per field, the amounts printed right of (else under) its labels: the rightmost amount of the
    label's line, because totals blocks print "Total (2 items)  12,00" or "MwSt 19%  1,92" and the
    amount that ends the line is the value. When labels of two fields overlap in one segment
    ("Total net"), the stronger (then the longer) label decides which field the line is."""
    out: dict[str, list[Candidate]] = {k: [] for k in fields}
    hint = ctx.decimal_hint
    for page, lines in enumerate(ctx.lines):
        ocr = ctx.doc.pages[page].text_source == "ocr"
        for li, line in enumerate(lines):
            for si, seg in enumerate(line.segments):
                if exclude is not None and exclude.search(seg.text):
                    continue
                found = {k: _best(seg.text, labels) for k, labels in fields.items()}
                found = {k: v for k, v in found.items() if v is not None and v[0].start() <= 3}
                if ocr and not found:
                    misread = misread_amount_labels(seg.text, tax=False)
                    found = {k: v for k, v in misread.items() if k in fields}
                for key, (m, strength) in found.items():
                    if any(
                        (o[1], o[0].end() - o[0].start()) > (strength, m.end() - m.start())
                        and o[0].start() < m.end()
                        and m.start() < o[0].end()
                        for k2, o in found.items()
                        if k2 != key
                    ):
                        continue
                    cand = _amount_after(ctx, lines, li, si, m, strength, hint, page)
                    if cand is not None:
                        out[key].append(cand)
    return out


def _amount_after(ctx, lines, li, si, m, strength, hint, page) -> Candidate | None:
    line = lines[li]
    seg = line.segments[si]
    tail = [(seg, m.end())] + [(s, 0) for s in line.segments[si + 1 :]]
    got = None
    for owner, off in tail:
        amounts = find_amounts(owner.text[off:], hint)
        if amounts:
            v, s, e = amounts[-1]
            got = (owner, v, off + s, off + e)
    if got is None:
        got = _amount_under(lines, li, seg, hint)
        strength *= 0.85
    if got is None:
        return None
    owner, v, s, e = got
    label = seg.text[m.start() : m.end()]
    return Candidate(v, strength, span_words(owner, s, e), owner.text[s:e], label, line.yc, page)


def sum_of_line_totals(rows: list[dict[str, Evidence]]) -> Decimal | None:
    """The sum of the rows' `total` cells, or None unless every row has one: the figure the
    printed subtotal is checked against (sum(line totals) = subtotal), so a partial sum is no use.
    A cell the tables stage could not read as a number (Decimal raises InvalidOperation, an
    ArithmeticError) also gives None."""
    totals = [r.get("total") for r in rows]
    if not totals or any(t is None or t.value is None for t in totals):
        return None
    try:
        return sum((Decimal(str(t.value)) for t in totals), Decimal(0))
    except ArithmeticError:
        return None


def choose_totals(cands: dict[str, list[Candidate]], line_sum: Decimal | None = None) -> dict[str, Evidence]:
    """Subtotal, tax and total chosen together: label strength plus arithmetic (net + tax = gross,
    lines sum to the net or the gross), so a "Total" that is really the net loses to the pair that
    adds up."""
    opts = {k: [*strongest_per_value(cands.get(k, [])), None] for k in ("subtotal", "tax_amount", "total")}
    best_combo: tuple[Candidate | None, ...] = (None, None, None)
    best_score = -1e9
    for sub in opts["subtotal"]:
        for tax in opts["tax_amount"]:
            for tot in opts["total"]:
                score = sum(c.score for c in (sub, tax, tot) if c is not None)
                if sub and tax and tot:
                    score += 1.5 if abs(sub.value + tax.value - tot.value) <= Decimal("0.02") else -0.5
                if sub and tot and abs(sub.value) > abs(tot.value):
                    score -= 0.5
                if line_sum is not None:
                    if sub is not None and abs(line_sum - sub.value) <= Decimal("0.02"):
                        score += 0.4
                    elif sub is None and tot is not None and abs(line_sum - tot.value) <= Decimal("0.02"):
                        score += 0.3
                if sub is not None and tot is not None and sub is not tot and sub.words == tot.words:
                    score -= 2.0
                if score > best_score:
                    best_combo, best_score = (sub, tax, tot), score
    sub, tax, tot = best_combo
    consistent = bool(sub and tax and tot and abs(sub.value + tax.value - tot.value) <= Decimal("0.02"))
    bonus = 0.1 if consistent else 0.0
    return {
        k: (c.evidence(min(0.99, c.score * 0.9 + bonus)) if c else Evidence(None))
        for k, c in zip(("subtotal", "tax_amount", "total"), (sub, tax, tot), strict=True)
    }


def strongest_per_value(cands: list[Candidate], n: int = 4) -> list[Candidate]:
    """The best-scored candidate of each value, strongest first, at most `n`: the totals
    arithmetic tries every combination, so the same value found twice must count once."""
    by_value: dict[Decimal, Candidate] = {}
    for c in cands:
        if c.value not in by_value or c.score > by_value[c.value].score:
            by_value[c.value] = c
    return sorted(by_value.values(), key=lambda c: -c.score)[:n]


def _amount_under(lines: list[Line], li: int, seg: Segment, hint: str | None):
    line = lines[li]
    for below in lines[li + 1 : li + 3]:
        if below.yc - line.yc > 3.0 * max(line.height, 6):
            break
        for other in below.segments:
            if min(other.x1, seg.x1) - max(other.x0, seg.x0) > 0:
                amounts = find_amounts(other.text, hint)
                if amounts and len(amounts) == 1:
                    v, s, e = amounts[0]
                    return other, v, s, e
    return None


def _best(text: str, labels: list[Label]) -> tuple[re.Match[str], float] | None:
    out = None
    for pattern, strength in labels:
        m = pattern.search(text)
        if m and (
            out is None
            or strength > out[1]
            or (strength == out[1] and (m.start(), -m.end()) < (out[0].start(), -out[0].end()))
        ):
            out = (m, strength)
    return out


# ---------------------------------------------------------------------------------------- parties


@dataclass(slots=True)
class Party:
    """A labelled party block: its name, address, contact and tax id as evidence."""

    name: Evidence = field(default_factory=lambda: Evidence(None))
    address: Evidence = field(default_factory=lambda: Evidence(None))
    contact: Evidence = field(default_factory=lambda: Evidence(None))
    tax_id: Evidence = field(default_factory=lambda: Evidence(None))
    words: list[Word] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return self.name.value is not None


def _clean(text: str) -> str:
    return text.strip(" :,;-–")


def _plausible_name(text: str) -> bool:
    t = text.strip()
    if len(t) < 2 or len(t) > 80 or "@" in t or _POSTCODE.search(t) or _NOT_ADDRESS.search(t):
        return False
    letters = sum(c.isalpha() for c in t)
    return letters >= 2 and sum(c.isdigit() for c in t) <= letters / 3


def labelled_party(ctx: DocContext, labels: list[Label], *, pages: tuple[int, ...] = (0,)) -> Party:
    """The block a role label heads ("Supplier:", "Ship to", "Empfänger"): the name beside or under
    the label, then the address lines of that column down to the postcode line (and a country
    line), a contact line ("Attn:", "z. Hd.") anywhere in the block, a VAT id in or just under it."""
    for page in pages:
        if page >= len(ctx.lines):
            continue
        lines = ctx.lines[page]
        blocks = blocks_of(lines)
        for li, line in enumerate(lines):
            for seg in line.segments:
                found = _best(seg.text, labels)
                if not found or found[0].start() > 2:
                    continue
                rest = _clean(seg.text[found[0].end() :])
                block = next((b for b in blocks if b.contains(seg)), None)
                segs = _column_below(lines, li, seg, block)
                if rest and _plausible_name(rest):
                    start = seg.text.find(rest, found[0].end())
                    name_words = span_words(seg, start, start + len(rest))
                    return _party(rest, name_words, segs)
                for i, s in enumerate(segs):
                    if CONTACT.match(s.text):
                        continue
                    if _plausible_name(s.text):
                        return _party(_clean(s.text), s.words, segs[i + 1 :], contact_segs=segs)
                    break
    return Party()


def _column_below(lines: list[Line], li: int, seg: Segment, block: Block | None) -> list[Segment]:
    """The segments stacked under `seg` in its column (its block, else by x alignment)."""
    if block is not None and block.segments[-1] is not seg:
        idx = next(i for i, s in enumerate(block.segments) if s is seg)
        return block.segments[idx + 1 : idx + 8]
    return _stacked_below(lines, li, seg, right_edge=False, tolerance=12, reach=8)


def _party(
    name: str, name_words: list[Word], after: list[Segment], contact_segs: list[Segment] | None = None
) -> Party:
    party = Party(name=Evidence.from_words(name, name_words, 0.8, raw=name))
    picked: list[Segment] = []
    words = list(name_words)
    for seg in contact_segs or after:
        m = CONTACT.match(seg.text)
        if m and seg.text[m.end() :].strip() and party.contact.value is None:
            value = seg.text[m.end() :].strip()
            party.contact = Evidence.from_words(
                value, span_words(seg, m.end(), len(seg.text)), 0.75, raw=value
            )
            words.extend(seg.words)
    for k, seg in enumerate(after):
        if CONTACT.match(seg.text):
            continue
        vats = vat_ids(seg.text)
        if vats and party.tax_id.value is None:
            v, s, e = vats[0]
            party.tax_id = Evidence.from_words(clean_vat(v), span_words(seg, s, e), 0.8)
            words.extend(seg.words)
            continue
        if _NOT_ADDRESS.search(seg.text) or (
            picked and _POSTCODE.search(picked[-1].text) and not _country(seg)
        ):
            if picked and _POSTCODE.search(picked[-1].text):
                break
            continue
        if len(picked) >= 4:
            break
        picked.append(seg)
        if _POSTCODE.search(seg.text):
            nxt = after[k + 1] if k + 1 < len(after) else None
            if nxt is not None and _country(nxt):
                picked.append(nxt)
            break
    if picked and any(_POSTCODE.search(s.text) or re.search(r"\d", s.text) for s in picked):
        text = ", ".join(_clean(s.text) for s in picked)
        party.address = Evidence.from_words(text, [w for s in picked for w in s.words], 0.7, raw=text)
        words.extend(w for s in picked for w in s.words)
    party.words = words
    return party


def _country(seg: Segment) -> bool:
    t = seg.text.strip()
    return 0 < len(t.split()) <= 3 and t.replace(" ", "").isalpha() and not CONTACT.match(t)


# ---------------------------------------------------------------------------------------- tables


@dataclass(slots=True)
class HeaderColumn:
    field: str
    x0: float
    x1: float
    words: list[Word]


@dataclass(slots=True)
class TableRow:
    """One row of a header-driven table: per field, the words in its column (all lines of the row)."""

    cells: dict[str, list[Word]]
    page: int
    y: float
    lines: list[Line]

    def text(self, name: str) -> str:
        return " ".join(w.text for w in self.cells.get(name, []))

    def words(self, name: str) -> list[Word]:
        return self.cells.get(name, [])


@dataclass(slots=True)
class Vocabulary:
    """Column labels of one table kind: folded phrases -> field, longest phrase first."""

    phrases: dict[tuple[str, ...], str]

    @classmethod
    def of(cls, entries: dict[str, list[str]]) -> Vocabulary:
        phrases: dict[tuple[str, ...], str] = {}
        for name, words in entries.items():
            for p in words:
                phrases[tuple(_tok(t) for t in p.split() if _tok(t))] = name
        return cls(phrases)

    def match(self, words: list[Word]) -> list[HeaderColumn]:
        tokens = [_tok(w.text) for w in words]
        out: list[HeaderColumn] = []
        i = 0
        longest = max((len(k) for k in self.phrases), default=1)
        while i < len(tokens):
            hit = None
            for n in range(min(longest, len(tokens) - i), 0, -1):
                key = tuple(t for t in tokens[i : i + n] if t)
                if not key or key not in self.phrases:
                    continue
                ws = words[i : i + n]
                # Words of one phrase must be close (one header cell), not two cells that read on.
                if all(b.x0 - a.x1 < 1.2 * max(a.height, 4) for a, b in pairwise(ws)):
                    hit = (self.phrases[key], n)
                    break
            if hit is None:
                i += 1
                continue
            ws = words[i : i + hit[1]]
            out.append(HeaderColumn(hit[0], ws[0].x0, ws[-1].x1, ws))
            i += hit[1]
        return out


def _tok(text: str) -> str:
    return fold(text).strip(".,:;()[]{}*/\\'\"")


def find_header(
    lines: list[Line], vocab: Vocabulary, required: set[str], min_columns: int = 2, start: int = 0
) -> tuple[int, list[HeaderColumn]] | None:
    """The first line at or after `start` that names `min_columns` distinct columns, one of them in
    `required`."""
    for i in range(start, len(lines)):
        cols = vocab.match(lines[i].words)
        names = {c.field for c in cols}
        if len(names) >= min_columns and names & required:
            # One column per field: the first occurrence wins.
            seen: set[str] = set()
            uniq = []
            for c in sorted(cols, key=lambda c: c.x0):
                if c.field not in seen:
                    seen.add(c.field)
                    uniq.append(c)
            return i, uniq
    return None


def _column_of(word: Word, cols: list[HeaderColumn], text_fields: set[str]) -> str | None:
    """The column a body word belongs to. Boundaries sit in the gaps between header cells; a text
    column (description) gives way to its right neighbour only near that neighbour's label, because
    numbers under short labels ("Qty") are often right-aligned and wider than the label."""
    xc = word.xc
    for i, col in enumerate(cols):
        left = -1e9 if i == 0 else _boundary(cols[i - 1], col, text_fields)
        right = 1e9 if i == len(cols) - 1 else _boundary(col, cols[i + 1], text_fields)
        if left <= xc < right:
            return col.field
    return None


def _boundary(a: HeaderColumn, b: HeaderColumn, text_fields: set[str]) -> float:
    mid = (a.x1 + b.x0) / 2
    if a.field in text_fields and b.field not in text_fields:
        return max(mid, b.x0 - 25)
    return mid


def read_table(
    ctx: DocContext,
    vocab: Vocabulary,
    *,
    required: set[str],
    anchors: set[str],
    text_fields: set[str],
    stop: re.Pattern[str],
    anchor_ok: Callable[[str, str], bool] | None = None,
    min_columns: int = 2,
) -> list[TableRow]:
    """Rows of every table whose header `vocab` recognises, over all pages.

    A row starts at a line with a value in one of `anchors` (checked by `anchor_ok(field, text)`
    when given); the lines under it without an anchor value continue it (wrapped descriptions).
    The table ends at a line matching `stop` (totals, closing balance), a gap of more than three
    line heights, or the page end. A header repeated on a later page starts a new run."""
    rows: list[TableRow] = []
    for page, lines in enumerate(ctx.lines):
        start = 0
        while True:
            found = find_header(lines, vocab, required, min_columns, start)
            if found is None:
                break
            hi, cols = found
            heights = sorted(ln.height for ln in lines) or [10.0]
            h = max(heights[len(heights) // 2], 4.0)
            last_y = lines[hi].y1
            current: TableRow | None = None
            end = len(lines)
            for j in range(hi + 1, len(lines)):
                line = lines[j]
                if stop.search(line.text) or line.y0 - last_y > 3.2 * h:
                    end = j
                    break
                if vocab.match(line.words) and len({c.field for c in vocab.match(line.words)}) >= min_columns:
                    end = j
                    break
                cells: dict[str, list[Word]] = {}
                for w in line.words:
                    name = _column_of(w, cols, text_fields)
                    if name is not None:
                        cells.setdefault(name, []).append(w)
                is_anchor = any(
                    name in cells
                    and (anchor_ok is None or anchor_ok(name, " ".join(x.text for x in cells[name])))
                    for name in anchors
                )
                if is_anchor:
                    current = TableRow(cells, page, line.yc, [line])
                    rows.append(current)
                elif current is not None and set(cells) <= text_fields | {"reference"}:
                    for name, ws in cells.items():
                        current.cells.setdefault(name, []).extend(ws)
                    current.lines.append(line)
                elif current is not None:
                    current = None
                last_y = line.y1
            start = end
            if start >= len(lines):
                break
    return rows


def cell_number(row: TableRow, name: str) -> Evidence:
    """A quantity in a cell ("12", "2,5", "1.000"), without its unit."""
    text = row.text(name)
    m = re.search(r"[-+]?\d[\d.,' ]*", text)
    if not m:
        return Evidence(None)
    value = parse_amount(m.group().strip(), None)
    if value is None:
        return Evidence(None)
    return Evidence.from_words(
        value, _words_span(row.words(name), m.start(), m.end()), 0.8, raw=m.group().strip()
    )


def cell_text(row: TableRow, name: str, conf: float = 0.8) -> Evidence:
    text = row.text(name).strip()
    if not text:
        return Evidence(None)
    return Evidence.from_words(text, row.words(name), conf, raw=text)


def cell_date(row: TableRow, name: str, order: str) -> Evidence:
    text = row.text(name)
    found = find_dates(text, order)
    if not found:
        return Evidence(None)
    d = found[0]
    return Evidence.from_words(
        d.value, _words_span(row.words(name), d.start, d.end), 0.85, raw=text[d.start : d.end]
    )


def _words_span(words: list[Word], start: int, end: int) -> list[Word]:
    """`words_span`, or all the cell's words when no word overlaps (the cell is still the evidence)."""
    return words_span(words, start, end) or words


def position_of(text: str) -> int | None:
    """A line position ("1", "10", "3.") as a number; None for anything else."""
    m = re.fullmatch(r"\s*(\d{1,4})\.?\s*", text or "")
    return int(m.group(1)) if m else None


# ------------------------------------------------------------------------------ issuer and window

_SENDER_SPLIT = re.compile(r"\s+[-–·|•]\s+|\s*,\s+")
_TITLE_WORDS = re.compile(
    r"(?i)\b(?:invoice|facture|factura|factuur|order|commande|pedido|orden|inkooporder|delivery|packing|"
    r"livraison|albar[áa]n|entrega|pakbon|leverbon|statement|relev[ée]|extracto|payslip|salary|bulletin|"
    r"n[óo]mina|loonstrook|salarisstrook|receipt|recibo|salario|page|seite)\b|"
    r"(?i:rechnung|bestellung|bestelling|lieferschein|auszug|afschrift|abrechnung)"
)


def window_party(ctx: DocContext) -> Party:
    """The addressee in the address window: the block under the small sender line
    ("ACME GmbH · Street 1 · 12345 Town") that business letters print above the window."""
    if not ctx.lines or not ctx.lines[0]:
        return Party()
    lines = ctx.lines[0]
    height = ctx.page_height(0)
    for li, line in enumerate(lines):
        if line.y0 > 0.5 * height:
            break
        for seg in line.segments:
            parts = [p for p in _SENDER_SPLIT.split(seg.text) if p.strip()]
            if len(parts) < 3 or not _POSTCODE.search(seg.text):
                continue
            below = _column_below(lines, li, seg, None)
            names = [s for s in below if not CONTACT.match(s.text)]
            if names and _plausible_name(names[0].text):
                first = names[0]
                rest = below[below.index(first) + 1 :]
                return _party(_clean(first.text), first.words, rest, contact_segs=below)
    return Party()


def issuer_party(ctx: DocContext, exclude: list[Word]) -> Party:
    """The issuer in the letterhead: the largest-type name in the top quarter of page 1 that is not
    the document title or another party's words, with the address lines stacked under it."""
    if not ctx.lines or not ctx.lines[0]:
        return Party()
    lines = ctx.lines[0]
    skip = {id(w) for w in exclude}
    height = ctx.page_height(0)
    best_seg: tuple[float, int, Segment] | None = None
    for li, line in enumerate(lines):
        if line.y0 > 0.28 * height:
            break
        for seg in line.segments:
            if any(id(w) in skip for w in seg.words) or _TITLE_WORDS.search(seg.text):
                continue
            if not _plausible_name(seg.text) or len(seg.text.split()) > 7:
                continue
            size = max(w.height for w in seg.words)
            key = size - 0.01 * li
            if best_seg is None or key > best_seg[0]:
                best_seg = (key, li, seg)
    if best_seg is None:
        return Party()
    _, li, seg = best_seg
    below = _column_below(lines, li, seg, None)
    if not below:  # right-aligned letterheads: stack by the right edge
        below = _stacked_below(lines, li, seg, right_edge=True, tolerance=8, reach=7)
    party = _party(_clean(seg.text), seg.words, below)
    party.name.confidence = 0.7
    if party.tax_id.value is None:
        party.tax_id = _issuer_vat(ctx, {id(w) for w in exclude})
    return party


def _stacked_below(
    lines: list[Line], li: int, seg: Segment, right_edge: bool, tolerance: float, reach: int
) -> list[Segment]:
    """Segments stacked under `seg` on the following `reach` lines, aligned on its left (or right)
    edge within `tolerance`, until a vertical gap wider than about two lines or a line with none."""
    out: list[Segment] = []
    last_y = seg.y1
    h = max(lines[li].height, 6.0)
    anchor = seg.x1 if right_edge else seg.x0
    for below in lines[li + 1 : li + 1 + reach]:
        if below.y0 - last_y > 1.8 * h:
            break
        near = [s for s in below.segments if abs((s.x1 if right_edge else s.x0) - anchor) <= tolerance]
        if not near:
            break
        out.append(near[0])
        last_y = near[0].y1
    return out


def _issuer_vat(ctx: DocContext, skip: set[int]) -> Evidence:
    """The first VAT id on page 1 outside other parties' blocks: letterheads and footers print the
    issuer's."""
    for line in ctx.lines[0] if ctx.lines else []:
        for seg in line.segments:
            if any(id(w) in skip for w in seg.words):
                continue
            ibans = find_ibans(seg.text, require_valid=False)
            found = [f for f in vat_ids(seg.text) if not any(i[1] < f[2] and f[1] < i[2] for i in ibans)]
            if found and not re.search(r"(?i)\biban\b", seg.text):
                v, s, e = found[0]
                return Evidence.from_words(clean_vat(v), span_words(seg, s, e), 0.6)
    return Evidence(None)


def clean_vat(value: str) -> str:
    """A VAT id without the tax word some countries print after it ("CHE-123.456.789 MWST")."""
    return re.sub(r"(?:MWST|TVA|IVA|VAT)$", "", value) if value.startswith("CHE") else value

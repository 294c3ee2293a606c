"""Other readings of OCR'd totals, for the totals arithmetic to prove or reject.

Why: OCR reads "$4.11" as "84.11" (a wrong value) or "S127.50" (no value at all), so the label's
amount is wrong or missing. Guessing would invent numbers; instead every look-alike reading of the
amount after a subtotal/tax/total label becomes a *reading candidate*, and `_amounts` in
`invoice.py` may only choose one in a combination that arithmetic proves (subtotal + tax = total,
or the line items summing to the subtotal or the total). Only pages with `text_source == "ocr"`
give readings: a PDF text layer has no such confusions. A chosen reading keeps the raw text as read
and a lower confidence.
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal

from pipeline.extract import labels as L
from pipeline.extract.context import Candidate, DocContext, span_words
from pipeline.layout import Line, Segment
from pipeline.model import Word
from pipeline.normalize.amounts import find_amounts, parse_amount
from pipeline.normalize.currency import SIGNS
from pipeline.ocr_repair import CURRENCY_LOOKALIKES, candidates, dollar_page, one_mark_readings, prove_amount

# Confidence ceiling of a total whose reading arithmetic chose: proved, but not what the page reads.
REPAIRED_CONFIDENCE = 0.7
# Score given up by a reading against the value as read, so that an equal proof as read wins.
READING_COST = 0.05


Glyphs = frozenset[tuple[str, str]]  # (character as read, character it was taken for) of one reading


def reading_candidates(
    ctx: DocContext, fields: tuple[tuple[str, object], ...]
) -> tuple[dict[str, list[Candidate]], dict[int, Glyphs]]:
    """Per amount field, candidates for the other readings of the token closing each labelled line,
    and (by candidate id) the characters each reading changed, for `proves` to check they agree.

    The token is the last word of the line right of the label; its value as read (when it has one)
    is left to the ordinary candidates. Two changed characters at most when the token does not
    parse at all ("SO.OO"), one when it does: a readable amount needs stronger doubt to change.
    """
    out: dict[str, list[Candidate]] = {k: [] for k, _ in fields}
    glyphs: dict[int, Glyphs] = {}
    hint = ctx.decimal_hint
    dollars = [dollar_page(p.words) for p in ctx.doc.pages]
    for page, lines in enumerate(ctx.lines):
        if ctx.doc.pages[page].text_source != "ocr":
            continue
        for li, line in enumerate(lines):
            for si, seg in enumerate(line.segments):
                for key, labels in fields:
                    found = L.best_label(seg.text, labels)  # type: ignore[arg-type]
                    if not found:
                        continue
                    strength = found[1] * (0.5 if ctx.in_table(page, seg.bbox) else 1.0)
                    label = span_words(seg, found[0].start(), found[0].end())
                    word = _closing_token(line.segments, si) or _token_under(lines, li, label)
                    if word is None:
                        continue
                    words = [*(_whole_before(line, word) or _sign_before(line, word)), word]
                    raw = " ".join(w.text for w in words)
                    for value, changed in _readings(raw, hint, dollars[page]):
                        cand = Candidate(value, strength * 0.9 - READING_COST, words, raw, seg.text,
                                         line.yc, page)
                        out[key].append(cand)
                        glyphs[id(cand)] = changed
    return out, glyphs


def _closing_token(segments: list[Segment], si: int) -> Word | None:
    """The last word with a digit where the value of the label in segment `si` may stand
    (`labels.up_to_next_label`, as `invoice._amount_right` reads it): "Exclusief BTW (593,36 |
    Subtotaal €717,97" gives "(593,36" to "Exclusief BTW", not the next label's amount."""
    words = [w for seg in L.up_to_next_label(segments, si, ocr=True) for w in seg.words]
    with_digit = [w for w in words if any(c.isdigit() for c in w.text)]
    return with_digit[-1] if with_digit else None


def _sign_before(line: Line, word: Word) -> list[Word]:
    """The word just left of `word` where it is one character a currency sign is read as, a space
    apart ("€ 593,36" read "6 593,36": coolblue on seed 1229): the two are read as one amount, so a
    reading with the sign back is among them ("6" as "€": 593,36). So is the sign itself, read as
    one: a speck after it read as a "1" is then among the readings ("€ 1593,36" for € 593,36:
    coolblue on seed 3061). Else nothing."""
    words = line.words
    k = next((i for i, w in enumerate(words) if w is word), 0)
    prev = words[k - 1] if k else None
    near = prev is not None and word.x0 - prev.x1 < 1.5 * max(word.height, 1.0)
    return [prev] if near and (prev.text in CURRENCY_LOOKALIKES or prev.text in SIGNS) else []


def _whole_before(line: Line, word: Word) -> list[Word]:
    """The whole units just left of `word` where `word` is two digits alone, a narrow gap apart:
    the amount's decimal mark was lost between them ("Total EUR 34 73" for "34,73": QualityHosting
    on seed 2389); the two are read as one amount, with the mark among its readings. Else nothing."""
    if not _CENTS.fullmatch(word.text):
        return []
    words = line.words
    k = next((i for i, w in enumerate(words) if w is word), 0)
    prev = words[k - 1] if k else None
    near = prev is not None and 0 <= word.x0 - prev.x1 < 0.8 * max(word.height, 1.0)
    return [prev] if near and _WHOLE.fullmatch(prev.text) else []


_CENTS = re.compile(r"\d\d")
_WHOLE = re.compile(r"\d{1,3}(?:[.,]\d{3})*|\d+")


def _token_under(lines: list[Line], li: int, label: list[Word]) -> Word | None:
    """The first word with a digit under a column head's label, within a few lines' reach: the value
    of a totals row printed as heads over amounts ("TOTAL HT" over "10O,00": F20180027 on seed 1117,
    as `invoice._amounts_below` reads the values as read)."""
    if not label:
        return None
    x0, x1 = min(w.x0 for w in label), max(w.x1 for w in label)
    for below in lines[li + 1 : li + 4]:
        if below.yc - lines[li].yc > 3.5 * max(lines[li].height, 6):
            return None
        under = [w for w in below.words if min(w.x1, x1) - max(w.x0, x0) > 0]
        found = next((w for w in under if any(c.isdigit() for c in w.text)), None)
        if found is not None:
            return found
    return None


def _readings(raw: str, hint: str | None, dollars: bool) -> list[tuple[Decimal, Glyphs]]:
    """Values `raw` may stand for besides its value as read, fewest changes first, each with the
    characters its reading changed.

    Two changed characters at most when the token does not parse at all ("SO.OO"), one when it
    does: a readable amount needs stronger doubt to change. On a page whose clean amounts carry a
    "$" ("$0.01"), a leading "S" or "$" before the digits is that sign, never the digit 5.
    """
    as_read = parse_amount(raw, hint)
    # What the ordinary candidates already hold: the token's value where it reads as money. "34,730"
    # parses to 34.73 but is no amount as read (three decimals), so its reading "34,73" is offered.
    shown = {value for value, _, _ in find_amounts(raw, hint)}
    out: dict[Decimal, Glyphs] = {}
    for text, changes in candidates(raw, 1 if as_read is not None else 2):
        if not changes or (dollars and text[:1] == "5" and raw[:1] in "S$s"):
            continue
        value = parse_amount(text, hint)
        if value is not None and value not in shown and value not in out:
            out[value] = _changed(raw, text)
    for text in one_mark_readings(raw):  # one mark read as two ("$279.,84": Azure, latin5 on 2749)
        value = parse_amount(text, hint)
        if value is not None and value not in shown and value not in out:
            out[value] = frozenset()  # no character misread: nothing for other readings to agree on
    lost = _LOST_MARK.fullmatch(raw)
    if lost is not None:  # the decimal mark read as a gap ("34 73": `_whole_before`)
        for mark in (hint,) if hint is not None else (".", ","):
            value = parse_amount(f"{lost[1]}{mark}{lost[2]}", mark)
            if value is not None and value not in out:
                out[value] = frozenset()  # no character misread: nothing for other readings to agree on
    if hint is not None and _ONE_DECIMAL.search(raw) and raw[-2] == hint:
        for digit in "123456789":  # the last decimal lost ("Total EUR 34,7" for 34,73: seed 1279)
            value = parse_amount(raw + digit, hint)
            if value is not None and value not in out:
                out[value] = frozenset()  # no character misread: nothing for other readings to agree on
    return list(out.items())


# Whole units and two decimals a gap apart: the decimal mark lost ("34 73").
_LOST_MARK = re.compile(r"(\d[\d.,]*) (\d\d)")
# An amount with one decimal after its mark, where the page prints two: its last digit may be lost.
_ONE_DECIMAL = re.compile(r"\d[.,]\d$")


def _changed(raw: str, text: str) -> Glyphs:
    """The characters a reading changed, each as (read, reading); a dropped one (a stray first mark,
    a closing one at the end, a speck read as a "1" after the sign) reads as ""."""
    if len(text) == len(raw):
        return frozenset((a, b) for a, b in zip(raw, text, strict=True) if a != b)
    out: set[tuple[str, str]] = set()
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, raw, text, autojunk=False).get_opcodes():
        if op != "equal":
            read, reading = raw[i1:i2], text[j1:j2]
            out |= {(a, reading[k] if k < len(reading) else "") for k, a in enumerate(read)}
    return frozenset(out)


def proves(
    combo: tuple[Candidate | None, Candidate | None, Candidate | None],
    line_sum: Decimal | None,
    glyphs: dict[int, Glyphs],
) -> bool:
    """True when the combination's arithmetic holds: subtotal + tax = total, or the line items
    sum to the subtotal (or, without one, to the total), and its readings agree on what each
    misread character was: one page's "£" read as "E" is not a pound sign in one total and a 3 in
    the next (that would let "E1069.90" be 31069.90 beside "E5349.51" as 5349.51)."""
    taken: dict[str, str] = {}
    for c in combo:
        for was, now in glyphs.get(id(c), ()):
            if taken.setdefault(was, now) != now:
                return False
    sub, tax, tot = combo
    if sub is not None and tax is not None and tot is not None:
        return abs(sub.value + tax.value - tot.value) <= Decimal("0.02")
    if line_sum is None:
        return False
    if sub is not None:
        return abs(line_sum - sub.value) <= Decimal("0.02") and (tot is None or tot.value == sub.value)
    return tot is not None and tax is None and abs(line_sum - tot.value) <= Decimal("0.02")


def proved_currency(
    combo: tuple[Candidate | None, Candidate | None, Candidate | None], glyphs: dict[int, Glyphs]
) -> str | None:
    """USD when the chosen totals were proved by reading a misread "$" ("S127.50"): on a page whose
    signs OCR never read right, that proof is the only evidence of the currency. Only "$": the
    pound and euro readings stand for each other ("E" may be either) and name no currency."""
    for c in combo:
        if c is not None and any(now == "$" for _, now in glyphs.get(id(c), ())):
            return "USD"
    return None


def net_proved_twice(
    sub: Candidate | None,
    taxes: list[Candidate | None],
    tot: Candidate | None,
    line_sum: Decimal | None,
    hint: str | None,
) -> tuple[Candidate, Candidate] | None:
    """(net, tax) where the net as read fails both checks but one reading of it, digit swaps
    included ("8 995,16" for 8 995,76), is what two independent sums both say: `line_sum` (the line
    items' total, or the nets of a VAT summary whose rates prove them), and the gross less one of
    the tax candidates. Or None.

    Why two proofs: a digit read for another (1/7, 5/6, 3/8) parses, so only arithmetic can tell;
    one equation could be met by chance, two that agree on the same value are not.
    """
    if sub is None or tot is None or line_sum is None or not sub.words:
        return None
    for tax in taxes:
        if tax is None or abs(tot.value - tax.value - line_sum) > Decimal("0.02"):
            continue
        if abs(sub.value + tax.value - tot.value) <= Decimal("0.02"):
            return None  # the net as read already holds
        found = prove_amount(sub.raw, line_sum, hint)
        if found is not None:
            net = Candidate(found[1], sub.score, sub.words, sub.raw, sub.label, sub.y, sub.page)
            return net, tax
    return None

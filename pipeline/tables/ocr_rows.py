"""OCR'd table rows whose amounts were misread, repaired where the row's arithmetic proves it.

Why: OCR reads "$10.00" as "810.00" and "$120.00" as "S120.00"; the second does not parse, so the
row has no line total, is no anchor, and the whole row is lost (the first silently gives 810).
Guessing would invent numbers, so a row is repaired only when `quantity x unit price = total` holds
for exactly one combination of readings (`pipeline.ocr_repair.amount_readings`) and fails as read.
Only pages with `text_source == "ocr"` come here: a PDF text layer has no such confusions. The
repaired words carry the value's reading; `Repairs` remembers what OCR read, so the evidence keeps
`raw` as read and a lower confidence.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from pipeline.layout import Line, Segment
from pipeline.model import BBox, Evidence, Word
from pipeline.normalize.amounts import CENT, parse_amount
from pipeline.normalize.currency import SIGNS
from pipeline.ocr_repair import CLOSING_MARKS, amount_readings, one_digit_off, one_mark_readings, prove_amount
from pipeline.tables.cells import parse_percent, single_value_word, split_unit, whole_quotient
from pipeline.tables.grid import Grid

# Confidence of a value that arithmetic repaired: proved, but not what the page reads.
REPAIRED_CONFIDENCE = 0.7

Repairs = dict[tuple[int, BBox], str]  # (page, word box) -> the text OCR read


def _line_total(q: Decimal, p: Decimal, kept: Decimal) -> Decimal:
    """q x p, less the row's discount (`kept`: the share left after it, 1 without one), in cents."""
    return q * p if kept == 1 else (q * p * kept).quantize(CENT, ROUND_HALF_UP)


def _proof(
    qty: Word, price: Word, total: Word, hint: str | None, kept: Decimal = Decimal(1)
) -> tuple[Decimal, Decimal, Decimal] | None:
    """The one (quantity, price, total) of the words' readings with q x p = total (less the row's
    discount: `kept` is the share left after it), fewest changes.

    None when the words as read already agree, when nothing agrees, or when two readings with the
    same number of changes agree (arithmetic does not decide between them).
    """
    texts = _texts(qty, price, total)
    as_read = [parse_amount(t, hint) for t in texts]
    if None not in as_read and _line_total(as_read[0], as_read[1], kept) == as_read[2]:  # type: ignore[arg-type]
        return None
    found: dict[int, list[tuple[Decimal, Decimal, Decimal]]] = {}
    readings = [amount_readings(t, hint) for t in texts]
    readings[0] += [v for _, v in _quantity_readings(texts[0], hint) if v not in readings[0]]
    if texts[0].endswith("%"):  # a quantity holds no percent sign ("1,0o%": horstoeko, latin5 on seed 2671)
        readings[0] += [v for v in amount_readings(texts[0][:-1], hint) if v not in readings[0]]
    digit = _digit_for_quantity(texts[0], as_read[1], as_read[2], kept)
    if digit is not None and digit not in readings[0]:
        readings[0].append(digit)
    for k in (1, 2):  # a price's or a total's mark lost ("5,00" read "500": F20180027 on seed 1297)
        readings[k] += [v for _, v in _money_readings(texts[k], hint) if v not in readings[k]]
    if as_read[0] is not None and as_read[1] is not None and as_read[2] is None:
        # a total that is no number as read, its digit read as a letter past the look-alikes ("J0,00"
        # for 30,00, an italic 3: F20180027 on seed 3697), where the quantity and price as read prove it
        proved = prove_amount(texts[2], _line_total(as_read[0], as_read[1], kept), hint)
        readings[2] += [proved[1]] if proved is not None and proved[1] not in readings[2] else []
    for q in readings[0]:
        for p in readings[1]:
            for t in readings[2]:
                if q > 0 and p != 0 and _line_total(q, p, kept) == t:  # 0 x anything proves nothing
                    changes = sum(v != a for v, a in zip((q, p, t), as_read, strict=True))
                    found.setdefault(changes, []).append((q, p, t))
    if not found:
        return None
    best = found[min(found)]
    return best[0] if len(set(best)) == 1 else None


def _digit_for_quantity(
    text: str, price: Decimal | None, total: Decimal | None, kept: Decimal
) -> Decimal | None:
    """The one digit a one-digit quantity must be for its row's price and total as read, where
    that is another digit: a digit misread as another that no look-alike lists ("2" read "4"
    beside coolblue's 99,99 and 199,98 on seed 1901), also a whole quantity printed with zero
    decimals ("2,00" for 1,00 beside F20180027's 60,00 and 60,00 on seed 3769). Two amounts with
    decimals that are an exact multiple of each other are the proof; none without a discount
    (`kept`) to take into account."""
    if not _ONE_DIGIT_QUANTITY.match(text) or kept != 1:
        return None
    digit = whole_quotient(price, total)
    return digit if digit is not None and digit <= 9 and digit != Decimal(text[0]) else None


_ONE_DIGIT_QUANTITY = re.compile(r"^\d(?:[.,]0{1,3})?$")


def _texts(qty: Word, price: Word, total: Word) -> list[str]:
    """The row's three numbers as read, the quantity without its glued unit."""
    return [_number_and_unit(qty.text)[0], price.text, total.text]


def _holds(qty: Word, price: Word, total: Word, hint: str | None, kept: Decimal) -> bool:
    """Do the words as read make q x p = total (less the row's discount), with q > 0 and p != 0?"""
    q, p, t = (parse_amount(x, hint) for x in _texts(qty, price, total))
    if q is None or p is None or t is None:
        return False
    return q > 0 and p != 0 and _line_total(q, p, kept) == t


def _kept_share(words: list[Word], hint: str | None) -> Decimal:
    """The share of q x p a row's discount-rate cell leaves ("10.00" or "10 %": 0.9); 1 without a
    readable rate. Why: with a discount q x p is not the total, and a row whose quantity OCR misread
    ("1.00 L" read "100L") could not be proved at all."""
    rate = parse_percent(words, hint)
    return 1 - rate / 100 if rate is not None and 0 < rate < 100 else Decimal(1)


def _number_and_unit(text: str) -> tuple[str, str | None]:
    """`split_unit`, and one letter after a whole number taken for a unit too ("100L": "1.00 L" with
    its decimal mark lost), which `split_unit` leaves alone since the letter may be a misread digit:
    here arithmetic decides which reading of the number holds, if any."""
    number, unit = split_unit(text)
    if unit is None and len(number) >= 2 and number[-1].isalpha() and number[:-1].isdigit():
        return number[:-1], number[-1]
    return number, unit


def _quantity_texts(text: str, mark: str) -> list[str]:
    """Other texts an OCR'd quantity (its glued unit split off) may stand for: without its last
    character, a glued unit letter read as a digit ("15.00g" read "15.008", "2l" read "21"); with
    the decimal `mark` OCR lost put back before the last two digits ("1.00kg" read "100kg"), also
    where a closing mark was read after it ("100]": F20180027's 1,00 beside a frame's rule on
    seed 2161)."""
    unclosed = _unclosed(text)
    if unclosed is not None:
        return _lost_mark(unclosed, mark)
    unit_read_as_digit = [text[:-1]] if len(text) >= 2 and text[-1].isdigit() else []
    return unit_read_as_digit + _lost_mark(text, mark)


def _unclosed(text: str) -> str | None:
    """`text` without a closing mark read after its last digit ("100]", "500)": a cell's rule), or
    None where none follows a digit."""
    return text[:-1] if len(text) >= 2 and text[-1] in CLOSING_MARKS and text[-2].isdigit() else None


def _lost_mark(text: str, mark: str) -> list[str]:
    """A whole number of three digits or more with the decimal `mark` OCR lost put back before its
    last two digits ("100" for "1.00": AzureInterior's unit price beside its quantity "100L" on
    scanner seeds 461 and others, where 1.00 x 1.00 less 10 % is the row's 0.90), after its
    currency sign too ("$4200" for "$42.00": Azure's line total on seed 1847)."""
    digits = text[1:] if text[:1] in SIGNS else text
    return [f"{text[:-2]}{mark}{text[-2:]}"] if len(digits) >= 3 and digits.isdigit() else []


def _quantity_readings(text: str, hint: str | None) -> list[tuple[str, Decimal]]:
    readings = [(t, parse_amount(t, hint)) for t in _quantity_texts(text, hint or ".")]
    return [(t, v) for t, v in readings if v is not None]


def lost_mark_values(text: str, hint: str | None) -> list[Decimal]:
    """The values `text` stands for with its decimal mark OCR lost put back ("100" for 1,00)."""
    return [v for _, v in _lost_mark_readings(text, hint)]


def _lost_mark_readings(text: str, hint: str | None) -> list[tuple[str, Decimal]]:
    readings = [(t, parse_amount(t, hint)) for t in _lost_mark(text, hint or ".")]
    return [(t, v) for t, v in readings if v is not None]


_MARK_AFTER_CENTS = re.compile(r"^(.*\d[.,]\d\d)[^\d\s]$")


def _money_readings(text: str, hint: str | None) -> list[tuple[str, Decimal]]:
    """Other readings of a unit price or line total: with its lost decimal mark put back, or without
    a percent sign after its digits ("10,00%": latin5's reading of F20180027's unit price 10,00 on
    seed 2011, the rate column's "10,00%" beside it; neither column holds a percentage) or a letter
    or mark after its cents ("10,00F", "10,00/": the cell's rule read so, F20180027 and horstoeko
    read by latin5 on seeds 2663 and 2677), or with one mark read twice ("5.,39": QualityHosting's
    unit price read by latin5 on seed 2999; `one_mark_readings`), or with both its mark lost and a
    closing mark after it."""
    m = _MARK_AFTER_CENTS.match(text)
    bare = text[:-1].rstrip() if text.endswith("%") else m.group(1) if m else ""
    value = parse_amount(bare, hint) if bare[-1:].isdigit() else None
    once = [(t, v) for t in one_mark_readings(text) if (v := parse_amount(t, hint)) is not None]
    # ... and both: the decimal mark lost and a cell's rule read after the digits ("500)" for 5,00:
    # F20180027's APPEL unit price on seed 3389), as `_quantity_texts` reads a quantity's "100]"
    unclosed = _unclosed(text)
    both = _lost_mark_readings(unclosed, hint) if unclosed is not None else []
    return _lost_mark_readings(text, hint) + ([(bare, value)] if value is not None else []) + once + both


def _reading(text: str, value: Decimal, hint: str | None, quantity: bool) -> str | None:
    """The text of `value` as `text` reads (`prove_amount`), for a quantity also without its glued
    unit and in its other readings (`_quantity_texts`)."""
    if not quantity:
        found = prove_amount(text, value, hint) or next(
            ((t, v) for t, v in _money_readings(text, hint) if v == value), None
        )
        return found[0] if found else None
    number, unit = _number_and_unit(text)
    reading = prove_amount(number, value, hint) or next(
        ((t, v) for t, v in _quantity_readings(number, hint) if v == value), None
    )
    if reading is None and number.endswith("%"):
        reading = prove_amount(number[:-1], value, hint)
    if reading is None and _ONE_DIGIT_QUANTITY.match(number) and value == value.to_integral_value():
        reading = (str(int(value)) + number[1:], value)  # the digit the row proves (`_digit_for_quantity`)
    return reading[0] + (unit or "") if reading else None  # the unit stays the quantity's


def _replace(line: Line, new: dict[int, Word]) -> Line:
    """A copy of `line` with some of its words replaced (by id); the page's words stay as they are."""
    words = [new.get(id(w), w) for w in line.words]
    segments = [Segment(words=[new.get(id(w), w) for w in seg.words]) for seg in line.segments]
    return Line(words=words, segments=segments)


# A money amount's cents with a frame's rule after them read as a closing bracket or brace that opens
# nowhere in the word ("7,00]": akretion's APPEL total on scanner seed 3203, beside the cell's rule),
# or with a speck after them read as a point ("60,00.": its PRESTATION SUPPORT on seed 3347). Not
# ")", which cells parse as printed ("(Brut: 65,00)"), nor the marks that are a "1"'s look-alikes
# ("!", "|", "l": `ocr_repair._RULE_AS_ONE`, a third decimal that only arithmetic can rule out).
_MARKED_CENTS = re.compile(r"^([(\-−–+]?[€$£]?\d[\d.,]*[.,]\d\d)[\]}.]$")


def drop_closing_marks(line: Line, read_as: Repairs) -> Line:
    """`line` with the mark after each amount's cents dropped (`_MARKED_CENTS`), so the amount lands
    in its cell as a number: a row whose line total was read so was no anchor, and its item went
    to the row above. The dropped mark changes no digit, so no arithmetic needs to prove it;
    `read_as` gets what OCR read, for the evidence's raw text and its lower confidence."""
    new: dict[int, Word] = {}
    for w in line.words:
        m = _MARKED_CENTS.match(w.text)
        if m and not set("[{") & set(w.text):
            new[id(w)] = dataclasses.replace(w, text=m.group(1))
            read_as[(w.page, w.bbox)] = w.text
    return _replace(line, new) if new else line


def repair_rows(lines: list[Line], start: int, grid: Grid, hint: str | None, repairs: Repairs) -> list[Line]:
    """`lines` with the misread amounts of rows below `start` repaired; `repairs` records each.

    Without a column labelled quantity (a scan misread its short head: "are" for "Qté"), an
    unlabelled column between the unit price and the total stands in for it where two rows or more
    hold with it, as read or by a proof ("100", "300" for 1,00 and 3,00 with their commas lost:
    horstoeko on seed 563; "3,00" as read and "1,00!" proved: horstoeko on seed 1831); the tables
    stage then finds it by arithmetic as it finds any unlabelled quantity."""
    price, total = grid.index_of("unit_price"), grid.index_of("total")
    if price is None or total is None:
        return lines
    qty = grid.index_of("quantity")
    if qty is not None:
        return _repair_with(lines, start, grid, (qty, price, total), hint, repairs)[0]
    for col in range(min(price, total) + 1, max(price, total)):
        if grid.columns[col].field != "other":
            continue
        trial: Repairs = {}
        out, proved = _repair_with(lines, start, grid, (col, price, total), hint, trial)
        if proved >= 2:
            repairs.update(trial)
            return out
    return lines


def _repair_with(
    lines: list[Line], start: int, grid: Grid, cols: tuple[int, int, int], hint: str | None, repairs: Repairs
) -> tuple[list[Line], int]:
    """`repair_rows` with the (quantity, unit price, total) columns `cols`; also the number of rows
    whose words hold as read or as a proof repaired them."""
    discount = grid.index_of("discount_rate")
    out = list(lines)
    proved = 0
    for i in range(start, len(lines)):
        cells = grid.cells(lines[i])
        words = [single_value_word(cells.get(c, [])) for c in cols]
        if None in words:
            continue
        qty, price, total = words  # type: ignore[misc]
        kept = _kept_share(cells.get(discount, []) if discount is not None else [], hint)
        proof = _proof(qty, price, total, hint, kept)  # type: ignore[arg-type]
        if proof is None:
            proved += _holds(qty, price, total, hint, kept)  # type: ignore[arg-type]
            continue
        new: dict[int, Word] = {}
        for k, (word, value) in enumerate(zip((qty, price, total), proof, strict=True)):
            text = _number_and_unit(word.text)[0] if k == 0 else word.text  # type: ignore[union-attr]
            if parse_amount(text, hint) == value:
                continue
            found = _reading(word.text, value, hint, quantity=k == 0)  # type: ignore[union-attr]
            if found is None:
                break
            new[id(word)] = dataclasses.replace(word, text=found)  # type: ignore[arg-type]
            repairs[(word.page, word.bbox)] = word.text  # type: ignore[union-attr]
        else:
            out[i] = _replace(lines[i], new)
            proved += 1
    return out, proved


def repair_closing_amounts(
    lines: list[Line], proved: dict[int, Decimal], hint: str | None, repairs: Repairs
) -> list[Line]:
    """`lines` with the last word of each line in `proved` (line index -> value its sum proves)
    replaced by the reading that gives that value; `repairs` records what OCR read."""
    out = list(lines)
    for i, value in proved.items():
        word = lines[i].words[-1]
        found = prove_amount(word.text, value, hint)
        if found is None:
            continue
        out[i] = _replace(lines[i], {id(word): dataclasses.replace(word, text=found[0])})
        repairs[(word.page, word.bbox)] = word.text
    return out


def fill_quantities(rows: list[dict[str, Evidence]], labelled: bool = False) -> None:
    """Give a row whose quantity OCR lost (a lone "1" is often not detected at all) the quantity
    its unit price and total prove, when the table prints a quantity on most rows, or a header
    labels a quantity column (`labelled`: then every row prints one, even where OCR read none on
    most), and the quotient is a whole number. The value has no raw text (nothing was read) and a
    low confidence."""
    with_qty = sum(1 for r in rows if "quantity" in r)
    if not labelled and with_qty < 0.6 * len(rows):
        return
    for row in rows:
        if "quantity" in row or "unit_price" not in row or "total" not in row:
            continue
        qty = whole_quotient(Decimal(str(row["unit_price"].value)), Decimal(str(row["total"].value)))
        if qty is not None:
            row["quantity"] = Evidence(qty, raw=None, confidence=0.5, page=row["total"].page)


def prove_total_by_sum(
    rows: list[dict[str, Evidence]], ocr_pages: set[int], adds_up: Callable[[list[Decimal]], bool],
    hint: str | None,
) -> bool:
    """Read one OCR'd line total as the one reading with which the line totals add up (`adds_up`:
    to an amount printed under the table, the subtotal) where as read they do not, and its quantity
    as the reading that then makes quantity x unit price the total; True when one was.

    Why: a row whose amounts lost their marks alike holds as read ("100kg" x 42.00 = "$4200" for
    1.00 x 42.00 = $42.00: Azure read by latin5 on seed 2179), and only the subtotal tells. Only
    where exactly one row's one reading (`amount_readings`, the lost decimal mark put back, or its
    quantity x unit price: `_product`) adds up; what OCR read stays as raw, and the confidence
    drops."""
    priced = [r for r in rows if "total" in r and r["total"].value is not None]
    totals = [Decimal(str(r["total"].value)) for r in priced]
    if not totals or adds_up(totals):
        return False
    found: list[tuple[dict[str, Evidence], Decimal]] = []
    for k, row in enumerate(priced):
        ev = row["total"]
        if ev.page not in ocr_pages or ev.raw is None:
            continue
        readings = amount_readings(ev.raw, hint) + [v for _, v in _money_readings(ev.raw, hint)]
        readings += _product(row)
        for value in dict.fromkeys(readings):
            if value != totals[k] and adds_up([*totals[:k], value, *totals[k + 1 :]]):
                found.append((row, value))
    if len(found) != 1:
        return False
    row, value = found[0]
    _repaired(row["total"], value)
    qty, price = row.get("quantity"), row.get("unit_price")
    if qty is None or price is None or qty.value is None or price.value is None or qty.raw is None:
        return True
    p = Decimal(str(price.value))
    if Decimal(str(qty.value)) * p != value:
        number = _number_and_unit(qty.raw)[0]
        readings = amount_readings(number, hint) + [v for _, v in _quantity_readings(number, hint)]
        q = next((q for q in readings if q * p == value), None)
        if q is not None:
            _repaired(qty, q)
    return True


def prices_from_summed_totals(rows: list[dict[str, Evidence]], ocr_pages: set[int]) -> None:
    """Give a row whose unit price OCR read a digit off no look-alike lists ("29,99" for saeco's
    49,99 beside its quantity 1 and line total 49,99: seed 3929) the price its total and quantity
    make, where the line totals add up to the amount printed under the table (the caller has
    checked that): the sum vouches for the totals, so of the two numbers that disagree the price is
    the misread one. Only a price that differs from total / quantity in one digit, in a row without
    a discount; what OCR read stays as raw, and the confidence drops."""
    for row in rows:
        qty, price, total = row.get("quantity"), row.get("unit_price"), row.get("total")
        if qty is None or price is None or total is None or price.page not in ocr_pages:
            continue
        if None in (qty.value, price.value, total.value) or _discounted(row):
            continue
        q, p, t = (Decimal(str(ev.value)) for ev in (qty, price, total))
        if q <= 0 or q * p == t or t / q != (t / q).quantize(CENT):
            continue
        if one_digit_off(p, t / q):
            _repaired(price, (t / q).quantize(CENT))


def _product(row: dict[str, Evidence]) -> list[Decimal]:
    """The row's quantity x unit price, as a reading of its total that the subtotal then proves as
    well: a total misread past one look-alike ("530" for 5,39: its mark lost and its 9 read as a 0,
    QualityHosting on seed 3253, the other six rows and the printed 34,73 agreeing)."""
    qty, price = row.get("quantity"), row.get("unit_price")
    if qty is None or price is None or qty.value is None or price.value is None:
        return []
    if _discounted(row):
        return []  # a discount's share is not known here
    return [(Decimal(str(qty.value)) * Decimal(str(price.value))).quantize(CENT, ROUND_HALF_UP)]


def _discounted(row: dict[str, Evidence]) -> bool:
    """Does the row print a discount (amount or rate)? Its share is not known to the row-level
    readings, so they leave such a row alone."""
    return any(row[k].value is not None for k in ("discount_amount", "discount_rate") if k in row)


def _repaired(ev: Evidence, value: Decimal) -> None:
    """`ev` read as `value` (a Decimal, as the rows' amounts are), its raw text as OCR read it."""
    ev.value = value
    _lower_confidence(ev)


def _lower_confidence(ev: Evidence) -> None:
    """A repaired value is proved, but not what the page reads: at most `REPAIRED_CONFIDENCE`."""
    ev.confidence = round(min(ev.confidence, REPAIRED_CONFIDENCE), 4)


def mark_repaired(rows: list[dict[str, Evidence]], repairs: Repairs) -> None:
    """Give repaired values their text as read and a lower confidence."""
    if not repairs:
        return
    for row in rows:
        for ev in row.values():
            if ev.page is not None and ev.bbox is not None and (ev.page, ev.bbox) in repairs:
                ev.raw = repairs[(ev.page, ev.bbox)]
                _lower_confidence(ev)

"""Row groups -> typed line items, with arithmetic deciding what the labels leave open.

Which numeric column is the quantity, the unit price and the line total is read from the header,
then checked: every assignment of the numeric columns to (quantity, unit price, total) is scored by
how many rows satisfy quantity x unit price - discount = total, and an assignment that explains
more rows than the labels' reading wins. The same test tells a discount rate from an amount and a
VAT rate from a VAT amount, and sets each row's confidence.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.layout import Line
from pipeline.model import Evidence, Word
from pipeline.normalize.amounts import CENT, parse_amount
from pipeline.normalize.similar import one_edit
from pipeline.ocr_repair import (
    CLOSING_MARKS,
    DESCRIPTION_FRAME_RULE,
    FRAME_RULE,
    STRAY_MARKS,
    amount_readings,
    cents_read_as_o,
    without_closing_mark,
    without_rule_as_one,
)
from pipeline.tables.cells import (
    has_percent,
    is_misread_rate,
    is_numeric_word,
    parse_money,
    parse_percent,
    parse_quantity,
    split_bracket_code,
    whole_quotient,
)
from pipeline.tables.grid import TEXT_FIELDS, Grid
from pipeline.tables.header import Column
from pipeline.tables.labels import norm_text
from pipeline.tables.ocr_rows import Repairs, lost_mark_values
from pipeline.tables.rows import RowGroup, misread_cents

_COMMON_RATES = {Decimal(x) for x in ("0", "2.1", "2.5", "3", "4", "5", "5.5", "6", "7", "7.7", "8", "8.1",
                                      "9", "10", "12", "13", "14", "15", "16", "17", "18", "19", "20",
                                      "21", "22", "23", "24", "25", "27")}
# A document-level allowance or charge by its first word; a frame's rule or a bracket OCR read before
# it ("[CHARGE : FRAIS DEPLACEMENT", "¡CHARGE : ..." on F20180027's seed 709) does not hide the word.
_ALLOWANCE = re.compile(
    r"^[\[(|{¡!]?\s?(?:remise|rabais|ristourne|rabatt|nachlass|abzug|zuschlag|discount|allowance|descuento|bonificacion|"
    r"korting|toeslag|charge|frais|recargo|surcharge)\b"
)
_VALUE_FIELDS = ("quantity", "unit_price", "total")
# Allowance words a scan's reading one letter off still names ("REMSE"); not "charge" or "korting",
# one letter from "change" and "sorting".
_ALLOWANCE_NEAR = ("remise", "rabais", "ristourne", "rabatt", "nachlass", "zuschlag", "discount", "allowance",
                   "descuento", "toeslag", "recargo", "surcharge")
# ... and for a bare row (a total alone), "frais" one letter off too, read from its second word where
# its first is a misread "CHARGE" ("CMARGE FRATS DÉPLACEMENT": F20180027, latin5 on seed 3767, taken
# for an item; "charge" itself stays out: "CHANGE DE FILTRE" is an item).
_BARE_ALLOWANCE_NEAR = (*_ALLOWANCE_NEAR, "frais")


def _allowance(description: str, ocr: bool, bare: bool = False) -> bool:
    """Does the description name a document-level allowance or charge (`_ALLOWANCE`)? Its first line
    of words counts: a lone character above it is a frame's speck read as "1" (F20180027 on seed
    719). On a scan also behind a frame's rule glued to it ("ICHARGE") and with one letter of the
    word lost or misread ("REMSE ; RemiSE COMMERCIALE": akretion on seed 727); and, for a `bare`
    row (neither quantity nor unit price), from its second word where the first is past reading
    ("RERYISE REMISE COMMERCIALE", "Harg FRAIS DEPLACEMENT": horstoeko on seed 929), past the colon
    that parts the two ("entise : RemiSE COMMERCIALE" on seed 1453); a row without a unit price
    whose total is negative is bare too, whatever its quantity cell holds (the discount's base
    "100,00 EUR" under the quantity's head: "IETSE ÉMISE COMMERCIAL" on seed 1861)."""
    first = next((ln.strip() for ln in description.splitlines() if len(ln.strip()) > 1), "")
    readings = [first, first[1:]] if ocr and FRAME_RULE.match(first) else [first]
    if ocr and bare and " " in first:
        readings.append(first.split(" ", 1)[1].lstrip(" :;,.-"))  # "REMISE : REMISE ..." as "entise : RemiSE"
    near = _BARE_ALLOWANCE_NEAR if bare else _ALLOWANCE_NEAR
    for text in map(norm_text, readings):
        if _ALLOWANCE.match(text):
            return True
        word = re.match(r"[^\W\d_]+", text) if ocr else None
        if word is not None and any(one_edit(word.group(), w) for w in near):
            return True
    return False


def _without_opening_mark(text: str) -> str:
    """`text` without a quote mark before its first letter that nothing closes: a speck OCR read as
    an opening quote ("‘Incl. Thuiskopieheffing": coolblue2 on seed 751). A quoted name keeps it.
    Nor a frame's rule glued to a capitals word (`DESCRIPTION_FRAME_RULE`: "lAPPEL")."""
    opened = len(text) > 1 and text[0] in STRAY_MARKS and text[1].isalpha()
    if opened and not any(c in STRAY_MARKS for c in text[1:]):
        return text[1:]
    return text[1:] if DESCRIPTION_FRAME_RULE.match(text) else text


@dataclass
class TableRows:
    rows: list[dict[str, Evidence]]
    confidence: float
    checked: int = 0  # rows whose arithmetic could be tested
    passed: int = 0
    totals: list[Decimal] = field(default_factory=list)


def _numbers(words: list[Word]) -> list[Word]:
    return [w for w in words if is_numeric_word(w.text)]


def _close(a: Decimal, b: Decimal, qty: Decimal | None = None) -> bool:
    tol = Decimal("0.011") + Decimal("0.0006") * abs(b)
    if qty is not None:
        tol = max(tol, Decimal("0.0051") * abs(qty))
    return abs(a - b) <= tol


@dataclass
class _Row:
    group: RowGroup
    money: dict[int, Decimal | None]  # per numeric column: the anchor line's value
    qty: dict[int, tuple[Decimal | None, str | None]]
    # A value taken from another line of the row (`_fill_from_group`): the word it was read from.
    taken: dict[int, Word] = field(default_factory=dict)

    def words_of(self, col: int) -> list[Word]:
        """The words column `col`'s value was read from."""
        if col in self.taken:
            return [self.taken[col]]
        return _numbers(self.group.anchor.cells.get(col, []))


def _expected(q: Decimal | None, p: Decimal | None, disc: Decimal | None, disc_kind: str) -> Decimal | None:
    if p is None:
        return None
    base = (q if q is not None else Decimal(1)) * p
    if disc is not None and disc != 0:
        base = base * (Decimal(1) - disc / Decimal(100)) if disc_kind == "rate" else base - abs(disc)
    return base


def _check(
    q: Decimal | None, p: Decimal | None, t: Decimal | None, disc: Decimal | None, kind: str
) -> bool | None:
    """True/False when q x p (- discount) = t can be tested, None when a value is missing."""
    if q is None or p is None or t is None:
        return None
    exp = _expected(q, p, disc, kind)
    if exp is None:
        return None
    return _close(exp, t, q)


# A price cell's line that notes the discount taken off the price ("(Rabais: 5,00)" between the
# EN 16931 templates' "(Brut: 65,00)" and "(Net): 60,00"): its amount is no unit price. Where no
# price of the row's other lines fits, the row had taken it (akretion on scanner seed 3539, its
# "(Rabais: 5,001" a price of 5.001, and "(Rabais: 0,001" one of 0.001 that made a quantity 7060).
_DISCOUNT_NOTE = re.compile(r"(?i)^\W*(?:rabais|remise|discount|rabatt|korting|descuento|sconto)\b")


def _notes_discount(words: list[Word]) -> bool:
    return bool(_DISCOUNT_NOTE.match(" ".join(w.text for w in words)))


def _cell_money(words: list[Word], field: str, hint: str | None) -> Decimal | None:
    """A cell's amount on a row's anchor line; none in a price cell that notes a discount."""
    return None if field == "unit_price" and _notes_discount(words) else parse_money(_numbers(words), hint)


def build_rows(
    groups: list[RowGroup],
    grid: Grid,
    hint: str | None,
    headerless: bool = False,
    ocr: bool = False,
    repairs: Repairs | None = None,
) -> TableRows:
    """The items of a table's row groups. On an OCR'd page (`ocr`) the values arithmetic proves
    against what OCR read are recorded in `repairs` (`ocr_rows.mark_repaired` marks them)."""
    cols = grid.columns
    numeric = [i for i, c in enumerate(cols) if c.field not in TEXT_FIELDS or c.field == "other"]
    if ocr and repairs is not None:
        _unsign_discounts(groups, grid, repairs)
    rows: list[_Row] = []
    for g in groups:
        cells = g.anchor.cells
        money = {i: _cell_money(cells.get(i, []), cols[i].field, hint) for i in numeric}
        qty = {i: parse_quantity(cells.get(i, []), hint) for i in numeric}
        rows.append(_Row(g, money, qty))
    _realign(rows, grid, numeric, hint)
    # Numeric candidates for (quantity, unit price, total): labelled ones, plus unlabelled columns that
    # hold a number on most rows.
    _fill_from_group(rows, cols, numeric, hint, repairs if ocr else None)
    cand = [i for i in numeric if cols[i].field in _VALUE_FIELDS]
    # Without a quantity label (a scan misread "Qté"), two rows with a number are enough: the
    # arithmetic decides whether the column is the quantity.
    unlabelled_qty = not any(cols[i].field == "quantity" for i in cand)
    least = max(1, 0.6 * len(rows))
    if unlabelled_qty:
        least = min(2, least)
    cand += [i for i in numeric if cols[i].field == "other"
             and sum(1 for r in rows if r.money[i] is not None) >= least]
    disc_col = next((i for i in numeric if cols[i].field.startswith("discount")), None)
    disc_kind = _discount_kind(rows, cols, disc_col, hint)
    tax_col = next((i for i in numeric if cols[i].field.startswith("tax")), None)
    tentative: set[int] = set()  # columns that take a role only where the arithmetic passes rows
    if disc_col is not None and unlabelled_qty:
        cand.append(disc_col)  # the quantity's own header lost on a scan: the arithmetic may tell
        tentative.add(disc_col)
    if ocr and tax_col is not None and _price_beside_rates(rows, cols, cand, tax_col):
        cand.append(tax_col)
        tentative.add(tax_col)
    roles = _choose_roles(rows, cols, cand, disc_col, disc_kind, hint, tentative)
    if disc_col in roles.values():
        disc_col = None
    tax_kind = _tax_kind(rows, cols, tax_col, hint, ocr)
    out: list[dict[str, Evidence]] = []
    checked = passed = 0
    totals: list[Decimal] = []
    for r in rows:
        item = _item(r, grid, roles, disc_col, disc_kind, tax_col, tax_kind, hint, ocr)
        if item is None:
            continue
        fields, ok = item
        if ok is not None:
            checked += 1
            passed += int(ok)
        conf = 0.95 if ok else (0.6 if ok is False else 0.8)
        if headerless:
            conf *= 0.85
        for ev in fields.values():
            ev.confidence = round(min(ev.confidence, conf), 4)
        if "total" in fields:
            totals.append(Decimal(str(fields["total"].value)))
        out.append(fields)
    confidence = 0.55 + 0.35 * passed / checked if checked else 0.7
    if headerless:
        confidence *= 0.85
    return TableRows(rows=out, confidence=round(confidence, 4), checked=checked, passed=passed, totals=totals)


_MAX_ASSIGNMENTS = 400
# A discount's minus sign read as a tilde ("~2,00" in akretion's "Remise (-)" column on seed 1747).
_TILDE_AMOUNT = re.compile(r"^~(?=\d)")


def _unsign_discounts(groups: list[RowGroup], grid: Grid, repairs: Repairs) -> None:
    """On a scan, a discount amount whose sign came back as a tilde is read without it: a discount
    is taken off whatever its sign (`_expected`), so only its size counts, and unread the row's
    arithmetic had no discount to take. `repairs` keeps what OCR read."""
    col = next((i for i, c in enumerate(grid.columns) if c.field in ("discount", "discount_amount")), None)
    if col is None:
        return
    for g in groups:
        words = g.anchor.cells.get(col, [])
        for k, w in enumerate(words):
            if _TILDE_AMOUNT.match(w.text):
                words[k] = dataclasses.replace(w, text=w.text[1:])
                repairs[(w.page, words[k].bbox)] = w.text


def _realign(rows: list[_Row], grid: Grid, numeric: list[int], hint: str | None) -> None:
    """Values that drifted across a column boundary go back where the arithmetic puts them.

    Columns aligned with runs of spaces in a proportional font do not line up: a wide description
    ("MAINTENANCE WORK  12") pushes its row's values right, a narrow one pulls them left, so a value
    can sit between two header cells or under the wrong one. Values keep their left-to-right order,
    though. For a row whose labelled quantity x unit price != total, every order-preserving placement
    of its values into the numeric columns is tried; among those that make the arithmetic hold, the
    one nearest the header cells (centre, left or right edge, whichever fits) wins. A number at the
    end of the description, after a column gap, is a candidate value too ("Widget 2000" is not: one
    word space). Nothing moves unless the arithmetic confirms it.
    """
    cols = grid.columns
    q = next((i for i in numeric if cols[i].field == "quantity"), None)
    p = next((i for i in numeric if cols[i].field == "unit_price"), None)
    t = next((i for i in numeric if cols[i].field == "total"), None)
    if q is None or p is None or t is None:
        return
    for r in rows:
        if _check(r.qty[q][0], r.money[p], r.money[t], None, "amount"):
            continue
        found = _placement(r, grid, numeric, (q, p, t), hint)
        if found is not None:
            _move(r, grid, numeric, *found, hint)


def _placement(
    r: _Row, grid: Grid, numeric: list[int], roles: tuple[int, int, int], hint: str | None
) -> tuple[list[Word], tuple[int, ...]] | None:
    """The row's values and the columns they go to, nearest first among those the arithmetic confirms.

    A first value printed one word space after the description's text ("Printer Model 2000") may be
    part of the description: it is tried both as a value and as text. A row whose quantity cell
    holds no quantity (OCR lost the "1", or read it "F"; "1.00kg" is one) may place just a price
    and a total, when the total is a whole multiple of the price (`whole_quotient`: the quantity
    they prove; not where the cell has one: "1.00kg" and "$4200" for $42.00, seed 1847). A quantity
    or price of zero proves no placement: "00" x 100,00 is within a cent of "0,009" (akretion's
    charge row on seed 1699, its rate's "%" read as "9"). Nor is a row placed whose price cell notes
    a discount (`_DISCOUNT_NOTE`): its amount is no price.
    """
    q, p, t = roles
    if _notes_discount(r.group.anchor.cells.get(p, [])):
        return None  # the price cell's amount is a discount: no placement makes it a price
    cols = grid.columns
    values = _value_words(r.group.anchor.cells, grid, numeric)
    q_words = r.group.anchor.cells.get(q, [])
    lost_qty = not any(_is_value(w) for w in q_words) and parse_quantity(q_words, hint)[0] is None
    variants = [values]
    if values and _ends_text(r.group.anchor.line.words, values[0]):
        variants.append(values[1:])
    # Each way to put some of the values into as many numeric columns (at most _MAX_ASSIGNMENTS).
    assignments = [
        (vals, placed)
        for vals in variants
        if 2 <= len(vals) <= len(numeric)
        for placed in itertools.islice(itertools.combinations(sorted(numeric), len(vals)), _MAX_ASSIGNMENTS)
    ]
    best: tuple[float, list[Word], tuple[int, ...]] | None = None
    # First with a printed quantity; only where none fits, a price and a total alone.
    for implied in (False, True) if lost_qty else (False,):
        for vals, placed in assignments:
            at = dict(zip(placed, vals, strict=True))
            if p not in at or t not in at or (q in at) == implied or _across_text(at, grid):
                continue
            pv, tv = parse_money([at[p]], hint), parse_money([at[t]], hint)
            qv = whole_quotient(pv, tv) if implied else parse_quantity([at[q]], hint)[0]
            if qv == 0 or pv == 0 or not _check(qv, pv, tv, None, "amount"):
                continue  # 0 x anything is about nothing: no proof of where values go
            cost = sum(_distance(w, cols[i]) for i, w in at.items())
            if best is None or cost < best[0]:
                best = (cost, vals, placed)
        if best is not None:
            break
    return None if best is None else (best[1], best[2])


def _across_text(at: dict[int, Word], grid: Grid) -> bool:
    """Does a placement move a value across the description column? Values drift over the boundary
    of a neighbouring column, never over the text between: a line number left of the description
    is no unit price right of it ("1" under "Ligne" read "Uigne", so no position column, placed as
    the price of 60,00 with the 60,00 as its quantity: horstoeko read by our five-language
    recogniser on seed 3209, whose quantity "1,00" was read "L00")."""
    d = grid.index_of("description")
    if d is None:
        return False
    edge = grid.columns[d].x0
    return any((w.xc < edge) != (grid.columns[i].x0 < edge) for i, w in at.items())


def _ends_text(line_words: list[Word], value: Word) -> bool:
    """`value` follows a text word after no more than a word space."""
    k = next((n for n, w in enumerate(line_words) if w is value), 0)
    if k == 0:
        return False
    prev = line_words[k - 1]
    return not is_numeric_word(prev.text) and not _column_gap(prev, value)


def _value_words(cells: dict[int, list[Word]], grid: Grid, numeric: list[int]) -> list[Word]:
    """The row's amounts left to right: numbers in numeric columns, and numbers that end a text cell
    after a column gap."""
    out: list[Word] = []
    for i, words in cells.items():
        if i in numeric:
            out.extend(w for w in words if _is_value(w))
            continue
        k = len(words)
        while k > 1 and _is_value(words[k - 1]) and _column_gap(words[k - 2], words[k - 1]):
            k -= 1
        out.extend(words[k:])
    return sorted(out, key=lambda w: w.x0)


def _is_value(word: Word) -> bool:
    return is_numeric_word(word.text) and any(ch.isdigit() for ch in word.text) and "%" not in word.text


def _column_gap(a: Word, b: Word) -> bool:
    return b.x0 - a.x1 > 0.75 * max(1.0, min(a.height, b.height))


def _distance(word: Word, col: Column) -> float:
    """How far a value sits from a header cell, for left-aligned, centred or right-aligned columns."""
    return min(abs(word.xc - (col.x0 + col.x1) / 2), abs(word.x0 - col.x0), abs(word.x1 - col.x1))


def _move(r: _Row, grid: Grid, numeric: list[int], values: list[Word], placed: tuple[int, ...],
          hint: str | None) -> None:
    """Rebuild the anchor line's cells with `values` in the `placed` columns. Words left of the first
    value that are not values (stranded text, a number that belongs to the description) go back to
    the description cell."""
    cells = r.group.anchor.cells
    moved = {id(w) for w in values}
    first_x = min(w.x0 for w in values)
    text_col = grid.index_of("description")
    new: dict[int, list[Word]] = {}
    for i, words in cells.items():
        for w in words:
            if id(w) in moved:
                continue
            col = i
            stranded = not is_numeric_word(w.text) or _is_value(w)  # a currency mark stays put
            if i in numeric and w.x1 <= first_x and stranded and text_col is not None:
                col = text_col
            new.setdefault(col, []).append(w)
    for col, w in zip(placed, values, strict=True):
        new.setdefault(col, []).append(w)
    for col in new:
        new[col].sort(key=lambda w: w.x0)
    cells.clear()
    cells.update(new)
    for i in numeric:
        r.money[i] = _cell_money(cells.get(i, []), grid.columns[i].field, hint)
        r.qty[i] = parse_quantity(cells.get(i, []), hint)


def _fill_from_group(
    rows: list[_Row], cols: list, numeric: list[int], hint: str | None, repairs: Repairs | None = None
) -> None:
    """A unit price printed on another line of the row's cell ("(Brut: 65,00)" / "(Net): 60,00"):
    take the candidate that makes quantity x price = total, when the anchor line's own value does not.

    A price may be given for a base quantity printed in the unit cell ("3 PCE" under "UNITÉ pour
    P.U.": EN 16931's item price base quantity, BT-149): "(Net): 30,00" for 3 pieces is 10,00 a
    piece (akretion's FOURNITURES PAPIER: 3 x 10,00 - 2,00 = 28,00). On a scan the quantity may
    have lost its decimal mark too ("1,00" read "100": akretion's APPEL on seed 1601): its reading
    with the mark put back is tried after the quantity as read, and taken where only it fits;
    `repairs` (given on a scan) records what OCR read, as the row repairs do (`ocr_rows`). On a scan
    whose quantity head was lost, an unlabelled column that proves prices on two rows or more
    stands in for it."""
    u = next((i for i, c in enumerate(cols) if c.field == "unit"), None)
    q = next((i for i in numeric if cols[i].field == "quantity"), None)
    p = next((i for i in numeric if cols[i].field == "unit_price"), None)
    t = next((i for i in numeric if cols[i].field == "total"), None)
    d = next((i for i in numeric if cols[i].field.startswith("discount")), None)
    if p is None or t is None:
        return

    def fits(qv: Decimal, pv: Decimal | None, tv: Decimal, dv: Decimal | None) -> bool:
        options = ((None, "amount"), (dv, "amount"), (dv, "rate"))
        return any(_check(qv, pv, tv, x, kind) for x, kind in options)

    def take_total(r: _Row, value: Decimal, word: Word) -> None:
        """A line total read with an o in its cents (`misread_cents`), proved by the row."""
        r.money[t], r.taken[t] = value, word
        if repairs is not None:
            repairs[(word.page, word.bbox)] = word.text

    def fill(q: int, apply: bool) -> int:
        """How many rows a price from the group's lines proves with column `q` as the quantity;
        with `apply`, those prices (and quantities with their mark put back) are taken."""
        proved = 0
        on_scan = repairs is not None
        for r in rows:
            qv, tv = r.qty[q][0], r.money[t]
            dv = r.money.get(d) if d is not None else None
            # a total read with an o in its cents, taken only where the row proves it
            o_total = misread_cents(r.group.anchor.cells.get(t, [])) if tv is None and on_scan else None
            if o_total is not None:
                tv = parse_amount(cents_read_as_o(o_total.text) or "", hint)
            words = _numbers(r.group.anchor.cells.get(q, []))
            if on_scan and not words:  # the quantity's cents read with an o too ("1,0o" beside a
                # total "60,oo": akretion read by our five-language recogniser on seed 3413)
                words = [w] if (w := misread_cents(r.group.anchor.cells.get(q, []))) is not None else []
            single = words[0].text if on_scan and len(words) == 1 else None
            if tv is None or (qv is None and single is None):
                continue
            if qv is not None and fits(qv, r.money[p], tv, dv):
                if apply and o_total is not None:
                    take_total(r, tv, o_total)
                continue
            base = _base_quantity(r.group.anchor.cells.get(u, [])) if u is not None else None
            # On a scan, the quantity with its lost mark put back; one that is no number as read,
            # as the readings one look-alike away ("1,00," with a speck: akretion on seed 3221).
            lost = lost_mark_values(single, hint) if single is not None else []
            if qv is None and single is not None:
                lost = [v for v in amount_readings(single, hint) if v > 0 and v not in lost] + lost
            elif single is not None and (cut := without_rule_as_one(single)) is not None:
                # a quantity as read with the cell's rule as a third decimal ("1,001" beside a total
                # "60,oo": akretion read by our five-language recogniser on seed 3607)
                lost = [v for v in [parse_amount(cut, hint)] if v is not None and v > 0] + lost
            prices = list(_group_prices(r, p, base, hint, ocr=on_scan))
            for quantity in [qv, *lost]:
                if quantity is None:
                    continue
                proving = [(v, w, misread) for v, w, misread in prices if fits(quantity, v, tv, dv)]
                # A price in cents before one with a third decimal that fits within rounding ("7,001)"
                # for "(Brut: 7,00)", a rule read as a 1, over the net "7,00" under it: seed 2339).
                cents = [c for c in proving if c[0] == c[0].quantize(CENT)]
                found = (cents or proving or [None])[0]
                if found is None:
                    continue
                proved += 1
                if apply:
                    r.money[p], r.taken[p], price_misread = found
                    if price_misread and repairs is not None:
                        repairs[(r.taken[p].page, r.taken[p].bbox)] = r.taken[p].text
                    if o_total is not None:
                        take_total(r, tv, o_total)
                    if quantity != qv and repairs is not None:
                        r.qty[q] = (quantity, r.qty[q][1])
                        repairs[(words[0].page, words[0].bbox)] = words[0].text
                break
        return proved

    if q is not None:
        fill(q, apply=True)
    elif repairs is not None:
        # A scan lost the quantity's head ("Qté" read "[0177": akretion on seed 2339): an unlabelled
        # column whose numbers prove prices on two rows or more is tried as the quantity; the
        # prices are taken, and the roles are then chosen by the arithmetic as for any unlabelled
        # quantity (`_choose_roles`).
        scores = [(fill(i, apply=False), i) for i in numeric if cols[i].field == "other"]
        best = max(scores, default=(0, None))
        if best[0] >= _UNLABELLED_PROOFS and best[1] is not None:
            fill(best[1], apply=True)


_UNLABELLED_PROOFS = 2  # rows an unlabelled quantity column must prove a price on before it is used


def _group_prices(
    r: _Row, p: int, base: Decimal | None, hint: str | None, ocr: bool = False
) -> Iterator[tuple[Decimal, Word, bool]]:
    """Each price on the row's lines, top to bottom, with its word and whether OCR misread it; per
    unit of a `base` quantity too, after the price as printed. On a scan (`ocr`) a closing mark
    after a price's digits is the cell's rule or a speck ("(Net): 30,00!": akretion on seed 1699),
    and a word that is no number as read is read as the amounts one look-alike away ("(Net): 60,oo":
    latin5 on seed 2269, `amount_readings`): the caller takes a price only where the row's
    arithmetic proves it."""
    for bl in r.group.lines:
        if _notes_discount(bl.cells.get(p, [])):
            continue
        for w in bl.cells.get(p, []):
            text = w.text.strip("()")
            if ocr and len(text) > 1 and text[-1] in CLOSING_MARKS and text[-2].isdigit():
                text = text[:-1]
            if is_numeric_word(text):
                value = parse_amount(text, hint)
                values, misread = ([] if value is None else [value]), False
            elif ocr and any(c.isdigit() for c in text):
                values, misread = amount_readings(text, hint), True
            else:
                continue
            for v in values:
                yield v, w, misread
                if base is not None:
                    yield v / base, w, misread


# After one character that is no digit, on a scan a speck beside the cell ("E 3 PCE": akretion read
# by our five-language recogniser on seed 3187, a word of no width before its base quantity).
_BASE_QUANTITY = re.compile(r"^(?:[^\d\s]\s+)?(\d+)\s*[^\W\d_]")


def _base_quantity(words: list[Word]) -> Decimal | None:
    """The number opening a unit cell ("3 PCE", "3PCE"), above one: the quantity a price is for."""
    m = _BASE_QUANTITY.match(" ".join(w.text for w in words))
    return Decimal(m.group(1)) if m and int(m.group(1)) > 1 else None


def _discount_kind(rows: list[_Row], cols: list, disc_col: int | None, hint: str | None) -> str:
    if disc_col is None:
        return "amount"
    if cols[disc_col].field == "discount_rate" or "%" in cols[disc_col].label:
        return "rate"
    if any(has_percent(r.group.anchor.cells.get(disc_col, [])) for r in rows):
        return "rate"
    return "amount"


def _price_beside_rates(rows: list[_Row], cols: list, cand: list[int], tax_col: int) -> bool:
    """With no column labelled unit price, do most of the rate column's cells hold an amount beside
    their rate ("49,99 21%")? On a scan the price's head, misread ("Pujs", "Prtj" for "Prijs"),
    joins the rate's beside it ("Prtj BTW": saeco on seeds 1697 and 1877), and the prices fall in
    the rate's cells."""
    if any(cols[i].field == "unit_price" for i in cand):
        return False
    beside = sum(1 for r in rows if r.money[tax_col] is not None
                 and has_percent(r.group.anchor.cells.get(tax_col, [])))
    return beside >= max(1, 0.6 * len(rows))


def _choose_roles(
    rows: list[_Row],
    cols: list,
    cand: list[int],
    disc_col: int | None,
    disc_kind: str,
    hint: str | None,
    tentative: set[int],
) -> dict[str, int]:
    """The (quantity, unit_price, total) columns that the labels and the arithmetic agree on best.

    `cand` may hold columns labelled otherwise (`tentative`): the discount column, where no column
    is labelled quantity (a scan can lose a short header, "Qté", and its numbers then fall under the
    next header, "Remise (-)"), or the rate column whose cells hold prices too (`_price_beside_rates`).
    Such a column takes a role only where the arithmetic passes rows with it; the discount column
    is then no discount.
    """
    labelled = {cols[i].field: i for i in cand if cols[i].field in _VALUE_FIELDS}
    best: tuple[float, dict[str, int]] = (-1.0, labelled)
    options: list[int | None] = [*cand, None]
    for q, p, t in itertools.product(options, options, options):
        chosen = [x for x in (q, p, t) if x is not None]
        if len(set(chosen)) != len(chosen) or t is None:
            continue
        if q is not None and p is not None and cols[q].x0 > cols[t].x0 and cols[p].x0 > cols[t].x0:
            continue
        if _swaps_labels(labelled, {"quantity": q, "unit_price": p, "total": t}):
            continue
        in_roles = disc_col is not None and disc_col in chosen
        tried = any(x in tentative for x in chosen)
        passes = 0
        for r in rows:
            qv = r.qty[q][0] if q is not None else None
            pv = r.money[p] if p is not None else None
            tv = r.money[t]
            dv = r.money.get(disc_col) if disc_col is not None and not in_roles else None
            if disc_col is not None and not in_roles and disc_kind == "rate":
                dv = parse_percent(r.group.anchor.cells.get(disc_col, []), None) if dv is None else dv
            if _check(qv, pv, tv, dv, disc_kind):
                passes += 1
        agree = sum(0.3 for role, idx in (("quantity", q), ("unit_price", p), ("total", t))
                    if idx is not None and cols[idx].field == role)
        # Labels decide unless the arithmetic explains more rows; the rightmost amount is the total.
        score = 10 * passes + agree + 0.01 * (cols[t].x0 / 1000.0)
        if passes == 0:
            if tried:
                continue
            score = agree - (0.5 if labelled.get("total") is None and t != max(cand) else 0.0)
        if score > best[0]:
            best = (score, {k: v for k, v in (("quantity", q), ("unit_price", p), ("total", t))
                            if v is not None})
    return best[1]


def _swaps_labels(labelled: dict[str, int], roles: dict[str, int | None]) -> bool:
    """Does the assignment give a column labelled quantity, unit price or total another of those
    roles, where the header labels all three? The arithmetic cannot overrule such labels: q x p is
    p x q, and the tolerance for a rounded unit price grows with the quantity, so with a misread
    value a price or a total taken for the quantity can pass rows the true roles fail."""
    if not all(k in labelled for k in ("quantity", "unit_price", "total")):
        return False
    owner = {idx: role for role, idx in labelled.items() if role in ("quantity", "unit_price", "total")}
    return any(idx in owner and owner[idx] != role for role, idx in roles.items() if idx is not None)


def _tax_kind(rows: list[_Row], cols: list, tax_col: int | None, hint: str | None, ocr: bool) -> str:
    if tax_col is None:
        return "rate"
    field_name = cols[tax_col].field
    if field_name in ("tax_rate", "tax_amount"):
        return "rate" if field_name == "tax_rate" else "amount"
    cells = [r.group.anchor.cells.get(tax_col, []) for r in rows]
    if any(has_percent(c, ocr) for c in cells) or "%" in cols[tax_col].label:
        return "rate"
    values = [parse_money(_numbers(c), hint) for c in cells]
    values = [v for v in values if v is not None]
    if values and all(v in _COMMON_RATES for v in values):
        return "rate"
    return "amount"


def _text(group: RowGroup, col: int | None) -> tuple[str, list[Word]]:
    if col is None:
        return "", []
    parts: list[str] = []
    words: list[Word] = []
    for bl in group.lines:
        ws = bl.cells.get(col, [])
        if ws:
            parts.append(" ".join(w.text for w in ws))
            words.extend(ws)
    return "\n".join(parts), words


def _item(
    r: _Row,
    grid: Grid,
    roles: dict[str, int],
    disc_col: int | None,
    disc_kind: str,
    tax_col: int | None,
    tax_kind: str,
    hint: str | None,
    ocr: bool = False,
) -> tuple[dict[str, Evidence], bool | None] | None:
    cells = r.group.anchor.cells
    fields: dict[str, Evidence] = {}
    desc_col = grid.index_of("description")
    code_col = grid.index_of("product_code")
    desc_words: list[Word] = []
    if desc_col is not None:
        lines_words = [bl.cells.get(desc_col, []) for bl in r.group.lines]
        code, first = (None, [])
        for k, ws in enumerate(lines_words):
            if ws:
                code, first = split_bracket_code(ws, ocr)
                lines_words[k] = first
                break
        text = "\n".join(" ".join(w.text for w in ws) for ws in lines_words if ws)
        desc_words = [w for ws in lines_words for w in ws]
        if text:
            value = _without_opening_mark(text) if ocr else text
            fields["description"] = Evidence.from_words(value, desc_words, 0.9, raw=text)
        if code:
            fields["product_code"] = Evidence.from_words(code, desc_words[:1], 0.8, raw=code)
    if code_col is not None and "product_code" not in fields:
        ws = cells.get(code_col) or next(
            (bl.cells[code_col] for bl in r.group.lines if bl.cells.get(code_col)), []
        )
        if ws:
            fields["product_code"] = Evidence.from_words(" ".join(w.text for w in ws), ws, 0.85)
    pos_col = grid.index_of("position")
    if pos_col is not None and cells.get(pos_col):
        ws = cells[pos_col]
        fields["position"] = Evidence.from_words(" ".join(w.text for w in ws), ws, 0.85)
    q_idx, p_idx, t_idx = roles.get("quantity"), roles.get("unit_price"), roles.get("total")
    qv = pv = tv = dv = None
    if q_idx is not None:
        qv, unit = r.qty[q_idx]
        if ocr and qv == 0 and t_idx is not None and r.money[t_idx]:
            # a scan's zero quantity beside a line total is a misreading (".00" for "1,00": horstoeko's
            # APPEL read by our five-language recogniser on seed 3709): no quantity rather than 0
            qv = None
        if qv is not None:
            fields["quantity"] = Evidence.from_words(qv, _numbers(cells[q_idx])[:1] or cells[q_idx], 0.9)
        if unit:
            unit_words = [w for w in cells[q_idx] if not is_numeric_word(w.text)]
            fields["unit"] = Evidence.from_words(unit, unit_words or cells[q_idx], 0.8, raw=unit)
    unit_col = grid.index_of("unit")
    if unit_col is not None and cells.get(unit_col):
        ws = [w for w in cells[unit_col] if not is_numeric_word(w.text)]
        if ws:
            text = " ".join(w.text for w in ws)
            fields["unit"] = Evidence.from_words(text, ws, 0.85, raw=text)
    if p_idx is not None and r.money[p_idx] is not None:
        pv = r.money[p_idx]
        fields["unit_price"] = Evidence.from_words(pv, r.words_of(p_idx), 0.9)
    if t_idx is not None and r.money[t_idx] is not None:
        tv = r.money[t_idx]
        fields["total"] = Evidence.from_words(tv, r.words_of(t_idx), 0.9)
    if disc_col is not None and cells.get(disc_col):
        ws = _numbers(cells[disc_col])
        if disc_kind == "rate":
            dv = parse_percent(ws, hint)
            if dv is not None:
                fields["discount_rate"] = Evidence.from_words(dv, ws, 0.85)
        else:
            dv = parse_money(ws, hint)
            if dv is not None:
                fields["discount_amount"] = Evidence.from_words(abs(dv), ws, 0.85)
    if tax_col is not None and cells.get(tax_col):
        ws = [w for w in cells[tax_col]
              if is_numeric_word(w.text) or w.text == "%" or (ocr and is_misread_rate(w.text))]
        if tax_kind == "rate":
            rate = parse_percent(ws, hint, ocr)
            if rate is not None:
                fields["tax_rate"] = Evidence.from_words(rate, ws, 0.85)
        else:
            amount = parse_money(_numbers(ws), hint)
            if amount is not None:
                fields["tax_amount"] = Evidence.from_words(amount, ws, 0.85)
    described = fields["description"].value if "description" in fields else ""
    desc = norm_text(described)
    # A row bare of quantity and price, or without a price and taking money off (or, on a scan,
    # with a total of nothing: akretion's "MISF REMISE COMMERCIALE ... 00", its base "100,00 EUR"
    # under the quantity's head, seed 3797), is no item whose first word alone could be read wrong.
    bare = pv is None and (qv is None or (tv is not None and (tv < 0 or (ocr and tv == 0))))
    if (pv is None or qv is None) and _allowance(described, ocr, bare=bare):
        # A document-level allowance or charge printed in the table, not an item: no unit price, or
        # no quantity (a price placed only because it equals the total: "CHARGE : FRAIS" with its
        # rate's "%" read as "*" on horstoeko's scan, seed 797).
        return None
    if not desc and qv is None and pv is None:
        return None
    return fields, _check(qv, pv, tv, dv, disc_kind)


def printed_sum_matches(totals: list[Decimal], lines: list[Line], hint: str | None) -> bool:
    """The line totals add up to an amount printed in the lines after the table (the subtotal), also
    one read with a closing mark after its digits that opens nowhere in it ("Total EUR 34,73)": a
    speck, QualityHosting on seed 3761): the sum is the proof that the mark is none."""
    if not totals:
        return False
    target = sum(totals, Decimal(0))
    for line in lines:
        for seg in line.segments:
            for text in (seg.text, *(w.text for w in seg.words)):
                text = text.replace("€", "").replace("$", "").strip()
                value = parse_amount(without_closing_mark(text) or text, hint)
                if value is not None and value != 0 and abs(value - target) <= Decimal("0.011"):
                    return True
    return False

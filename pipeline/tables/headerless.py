"""Tables without a header: numeric columns found by aligned right edges, roles by arithmetic.

Only used when a page has no recognisable header. Numbers on invoices are right-aligned, so the right
edges of amounts cluster into columns; a table is accepted only when some three columns satisfy
quantity x unit price = total on at least two lines and on most lines that have all three, which
keeps address blocks, dates and totals blocks out.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from pipeline.layout import Line, Segment
from pipeline.model import Word
from pipeline.normalize.amounts import parse_amount
from pipeline.ocr_repair import DOLLAR_READS, amount_readings, as_dollar, dollar_page
from pipeline.tables.cells import is_numeric_word
from pipeline.tables.grid import Grid
from pipeline.tables.header import Column

_ALIGN = 4.0  # points (or pixels) within which right edges count as one column


def _values(line: Line, hint: str | None) -> list[tuple[Word, Decimal]]:
    out = []
    for w in line.words:
        if not any(c.isdigit() for c in w.text) or not is_numeric_word(w.text):
            continue
        v = parse_amount(w.text.rstrip("%"), hint)
        if v is not None:
            out.append((w, v))
    return out


def _clusters(edges: list[float]) -> list[list[float]]:
    groups: list[list[float]] = []
    for x in sorted(edges):
        if groups and x - groups[-1][-1] <= _ALIGN:
            groups[-1].append(x)
        else:
            groups.append([x])
    return groups


def find_headerless(lines: list[Line], hint: str | None, word_h: float) -> tuple[Grid, int] | None:
    """A grid and the index of the first row line, or None when no table checks out."""
    per_line = [_values(ln, hint) for ln in lines]
    edges = [w.x1 for vals in per_line for w, _ in vals]
    cols = [c for c in _clusters(edges) if len(c) >= 2]
    if len(cols) < 3:
        return None
    centres = [sum(c) / len(c) for c in cols]

    def value_at(i: int, k: int) -> tuple[Word, Decimal] | None:
        for w, v in per_line[i]:
            if abs(w.x1 - centres[k]) <= _ALIGN:
                return w, v
        return None

    best: tuple[int, tuple[int, int, int], list[int]] | None = None
    for q, p, t in itertools.permutations(range(len(cols)), 3):
        if not (centres[t] > centres[q] and centres[t] > centres[p]):
            continue
        full, passing = [], []
        for i in range(len(lines)):
            qa, pa, ta = value_at(i, q), value_at(i, p), value_at(i, t)
            if qa is None or pa is None or ta is None:
                continue
            full.append(i)
            if qa[1] != 0 and abs(qa[1] * pa[1] - ta[1]) <= Decimal("0.011") + Decimal("0.0051") * abs(qa[1]):
                passing.append(i)
        if len(passing) >= 2 and len(passing) >= 0.6 * len(full) and (best is None or len(passing) > best[0]):
            best = (len(passing), (q, p, t), passing)
    if best is None:
        return None
    (q, p, t), rows = best[1], best[2]
    first = rows[0]
    num_left = min(value_at(i, k)[0].x0 for i in rows for k in (q, p, t) if value_at(i, k) is not None)
    text_words = [w for i in rows for w in lines[i].words if w.x1 < num_left - 0.5 * word_h]
    if not text_words:
        return None
    columns = [Column("description", 1.0, min(w.x0 for w in text_words), max(w.x1 for w in text_words))]
    for k, name in ((q, "quantity"), (p, "unit_price"), (t, "total")):
        ws = [value_at(i, k)[0] for i in rows if value_at(i, k) is not None]
        columns.append(Column(name, 1.0, min(w.x0 for w in ws), max(w.x1 for w in ws)))
    return Grid.from_columns(columns), first


def _single_amount(
    line: Line, hint: str | None, ocr: bool = False, dollars: bool = False
) -> tuple[list[Decimal], Word] | None:
    """The one amount that closes `line` after some text ("Amazon Glacier   $2.22"), else None.

    The text must start with a letter (on an OCR'd page, a mark before one: a letter read as a mark).
    The amount comes as its readings, the value as read first. On OCR'd pages a token that only
    parses once a look-alike is read right ("S2.22" for "$2.22") has its readings too: the outline's
    sums pick among them (`pipeline.ocr_repair.amount_readings`); elsewhere there is one reading.
    On a page of dollar amounts (`dollars`) a leading "S" is the sign: "S0.01" is never 50.01, which
    would tie with 0.01 in a sum of such readings (AWS on seed 2017: its outline was lost).
    """
    head = line.segments[0].text[:2] if len(line.segments) >= 2 else ""
    # On a scan the first letter may come back as a mark ("\mazon Simple Storage Service": AWS, seed 547).
    mark_first = ocr and len(head) == 2 and not head[0].isalnum() and head[1].isalpha()
    if not (head[:1].isalpha() or mark_first):
        return None
    last = line.segments[-1].words
    if len(last) != 1 or not any(c.isdigit() for c in last[0].text):
        return None
    if any(_number_cell(seg, ocr) for seg in line.segments[:-1]):
        return None  # a second number column: not a one-amount statement line
    if ocr:
        readings = amount_readings(as_dollar(last[0].text) if dollars else last[0].text, hint)
        return (readings, last[0]) if readings else None
    if not is_numeric_word(last[0].text):
        return None
    value = parse_amount(last[0].text, hint)
    return ([value], last[0]) if value is not None else None


# OCR's reading of a mark as short digits, read far less surely than print: AWS's "VAT **" came back
# as "VAT 4" (0.13) and "VAT 44" (0.03) from latin5 on seed 2017, and the VAT lines broke the outline.
_MARK_AS_DIGITS = 0.3


def _number_cell(seg: Segment, ocr: bool) -> bool:
    """Does `seg` hold only numbers (a number column)? On an OCR'd page, not where those are one or
    two characters read under `_MARK_AS_DIGITS`: marks ("**") read as digits."""
    if not all(is_numeric_word(w.text) for w in seg.words):
        return False
    marks = ocr and all(len(w.text) <= 2 and w.confidence < _MARK_AS_DIGITS for w in seg.words)
    return not marks


def _adds_up(
    parent: list[Decimal], children: list[list[Decimal]], as_read: list[Decimal | None]
) -> Decimal | None:
    """The parent's value when its children sum to it: as read, else the one sum that the fewest
    changed readings make hold (None when none does, or when two readings tie). `as_read` is each
    token's own parse (parent first), None where it does not parse."""
    best: tuple[int, set[Decimal]] | None = None
    for combo in itertools.product(parent, *children):
        if abs(sum(combo[1:], Decimal(0)) - combo[0]) > Decimal("0.011"):
            continue
        changes = sum(v != a for v, a in zip(combo, as_read, strict=True))
        if best is None or changes < best[0]:
            best = (changes, {combo[0]})
        elif changes == best[0]:
            best[1].add(combo[0])
    if best is None or len(best[1]) != 1:
        return None
    return next(iter(best[1]))


def find_outline(
    lines: list[Line], hint: str | None, word_h: float, ocr: bool = False
) -> tuple[Grid, list[int], dict[int, Decimal]] | None:
    """Items of a one-amount-column statement, each followed by indented breakdown lines that add
    up to it (cloud, telecom and utility bills: "Amazon Glacier $2.22" / "Charges $2.22" / "VAT $0.00").

    With a single amount column there is no quantity x price to check, so the evidence is the outline
    itself: at least two parents whose indented children sum exactly to them. Returns a grid
    (description, total), the indices of the parent lines and, for `ocr` pages, the parents whose
    amount as read is not the value their children prove (line index -> proved value). OCR'd right
    edges wander by a few pixels at scanning resolutions, so there alignment scales with the text.
    """
    dollars = ocr and dollar_page(w for ln in lines for w in ln.words)
    amounts = [_single_amount(ln, hint, ocr, dollars) for ln in lines]
    align = max(_ALIGN, 0.25 * word_h) if ocr else _ALIGN
    best: list[int] = []
    best_proved: dict[int, Decimal] = {}
    i = 0
    while i < len(lines):
        if amounts[i] is None:
            i += 1
            continue
        right = amounts[i][1].x1
        j = i
        while j < len(lines) and amounts[j] is not None and abs(amounts[j][1].x1 - right) <= align:
            j += 1
        block = list(range(i, j))
        i = max(j, i + 1)
        signed = 2 * sum(amounts[k][1].text[:1] in "$" + DOLLAR_READS for k in block) >= len(block)
        left = min(lines[k].x0 for k in block)
        parents = [k for k in block if lines[k].x0 < left + 0.5 * word_h]
        passing, failing = [], 0
        proved: dict[int, Decimal] = {}
        for n, p in enumerate(parents):
            end = parents[n + 1] if n + 1 < len(parents) else j
            children = [k for k in range(p + 1, end)]
            if not children:
                continue
            texts = [amounts[k][1].text for k in (p, *children)]
            as_read = [parse_amount(as_dollar(t, signed) if dollars else t, hint) for t in texts]
            value = _adds_up(amounts[p][0], [amounts[k][0] for k in children], as_read)
            if value is not None:
                passing.append(p)
                if value != parse_amount(texts[0], hint):  # repaired: "S0.01" is written "$0.01"
                    proved[p] = value
            else:
                failing += 1
        if len(passing) >= 2 and failing <= len(passing) // 4 and len(passing) > len(best):
            best, best_proved = passing, proved
    if not best:
        return None
    texts = [w for k in best for seg in lines[k].segments[:-1] for w in seg.words]
    nums = [amounts[k][1] for k in best]
    columns = [Column("description", 1.0, min(w.x0 for w in texts), max(w.x1 for w in texts)),
               Column("total", 1.0, min(w.x0 for w in nums), max(w.x1 for w in nums))]
    return Grid.from_columns(columns), best, best_proved

"""Body lines below a header -> groups of lines, one group per line item.

A row starts at an *anchor*: a line with a value in the line-total column (or, without one, in the
unit-price or quantity column). Lines without such a value are description continuations; between
two anchors they go to the anchor on the near side of the widest vertical gap, so descriptions that
wrap below their numbers and cells whose numbers are centred vertically both come out right.
The body ends at the totals block, at a second header, at a gap much taller than the row pitch, or at
the page end.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from pipeline.layout import Line
from pipeline.model import Word
from pipeline.ocr_repair import cents_read_as_o
from pipeline.tables.cells import is_numeric_word, parse_money, parse_quantity, single_value_word
from pipeline.tables.grid import TEXT_FIELDS, Grid
from pipeline.tables.labels import (
    is_carry_text,
    is_page_number,
    is_totals_amount_text,
    is_totals_text,
    match_words,
)


@dataclass(slots=True)
class BodyLine:
    line: Line
    cells: dict[int, list[Word]]
    anchor: bool = False
    after_subtotal: bool = False  # the first line under a section's subtotal (see `_is_heading`)


@dataclass(slots=True)
class RowGroup:
    anchor: BodyLine
    before: list[BodyLine] = field(default_factory=list)
    after: list[BodyLine] = field(default_factory=list)

    @property
    def lines(self) -> list[BodyLine]:
        return [*self.before, self.anchor, *self.after]


@dataclass(slots=True)
class Body:
    lines: list[BodyLine]
    ended_by_totals: bool
    end_index: int  # index in the page's line list where the body stopped


def _anchor_index(grid: Grid) -> list[int]:
    """Columns whose value marks a new row, strongest first."""
    out = []
    for name in ("total", "unit_price", "quantity"):
        idx = grid.index_of(name)
        if idx is not None:
            out.append(idx)
    return out


def is_anchor(cells: dict[int, list[Word]], grid: Grid, hint: str | None, ocr: bool = False) -> bool:
    """Does the line hold a value in the strongest anchor column (`_anchor_index`)? On a scan
    (`ocr`) also an amount whose cents OCR read with an o (`cents_read_as_o`: "7,0o"): the row is
    there, and the tables stage takes its value only where the row's arithmetic proves it."""
    order = _anchor_index(grid)
    if not order:
        return False
    idx = order[0]
    words = [w for w in cells.get(idx, []) if is_numeric_word(w.text)]
    if grid.columns[idx].field == "quantity":
        return parse_quantity(words, hint)[0] is not None
    if parse_money(words, hint) is not None:
        return True
    return ocr and not words and misread_cents(cells.get(idx, [])) is not None


def misread_cents(words: list[Word]) -> Word | None:
    """The cell's one word with a digit where that is an amount with an o in its cents ("7,0o")."""
    word = single_value_word(words)
    return word if word is not None and cents_read_as_o(word.text) is not None else None


def _has_values(cells: dict[int, list[Word]], grid: Grid, hint: str | None) -> bool:
    for idx, words in cells.items():
        if grid.columns[idx].field in TEXT_FIELDS:
            continue
        if parse_money([w for w in words if is_numeric_word(w.text)], hint) is not None:
            return True
    return False


def _ends_table(line: Line, cells: dict[int, list[Word]], grid: Grid, hint: str | None) -> bool:
    """A totals label outside the description column, one beside amounts but without a quantity, or
    a line that is nothing but a totals label and its amounts ("Subtotal: 490.00 EUR" printed from
    the description column's left edge, as text documents and space-aligned layouts do)."""
    if is_totals_amount_text(line.text, hint):
        return True
    desc = grid.index_of("description")
    qty = grid.index_of("quantity")
    for seg in line.segments:
        if not is_totals_text(seg.text):
            continue
        col = grid.place(seg.words[0])
        in_text = grid.columns[col].field in TEXT_FIELDS and col == desc
        if not in_text:
            return True
        has_qty = qty is not None and parse_quantity(cells.get(qty, []), hint)[0] is not None
        if _has_values(cells, grid, hint) and not has_qty:
            return True
    # A second header (the VAT breakdown under the items): three or more labels and no amount.
    fields = {m.field for m in match_words(line.words) if m is not None}
    return len(fields) >= 3 and not any(is_numeric_word(w.text) for w in line.words)


def _column_heads(line: Line, grid: Grid) -> bool:
    """Words without digits opening cells in two or more amount columns: the header of another table
    (a VAT breakdown's "Rate  Net  VAT") whose labels need not be in our vocabulary. A wrapped
    description never does this: its run-on words stay in the description column."""
    heads = set()
    for seg in line.segments:
        col = grid.place(seg.words[0])
        if grid.columns[col].field in TEXT_FIELDS:
            continue  # a note beside the second table ("Payment within 14 days") may hold digits
        if any(ch.isdigit() for ch in seg.text):
            return False
        heads.add(col)
    return len(heads) >= 2


def _is_item_line(cells: dict[int, list[Word]], grid: Grid, hint: str | None) -> bool:
    """An anchor with a described item and a quantity or unit price: a real line item."""
    desc = grid.index_of("description")
    if desc is None or not any(not is_numeric_word(w.text) for w in cells.get(desc, [])):
        return False
    if not is_anchor(cells, grid, hint):
        return False
    qty, price = grid.index_of("quantity"), grid.index_of("unit_price")
    has_qty = qty is not None and parse_quantity(cells.get(qty, []), hint)[0] is not None
    has_price = price is not None and parse_money(_nums(cells.get(price, [])), hint) is not None
    return has_qty or has_price


def _nums(words: list[Word]) -> list[Word]:
    return [w for w in words if is_numeric_word(w.text)]


def _section_subtotal(lines: list[Line], i: int, grid: Grid, hint: str | None, look: int = 4) -> bool:
    """A subtotal inside the table (grouped sections): more items follow before the next totals line."""
    for line in lines[i + 1 : i + 1 + look]:
        cells = grid.cells(line)
        if _is_item_line(cells, grid, hint):
            return True
        if _ends_table(line, cells, grid, hint):
            return False
    return False


def scan_body(
    lines: list[Line], start: int, grid: Grid, hint: str | None, word_h: float, continued: bool = False,
    ocr: bool = False,
) -> Body:
    """Collect the table's lines from `lines[start:]` until the table ends.

    `continued`: the grid comes from the previous page, so no header of ours precedes the lines and
    another table's header ends it even before the first row. `ocr`: the page was OCR'd
    (`is_anchor`).
    """
    body: list[BodyLine] = []
    anchors_y: list[float] = []
    prev_bottom: float | None = None
    subtotal_above = False
    ended = False
    i = start
    while i < len(lines):
        line = lines[i]
        cells = grid.cells(line)
        if (anchors_y or continued) and _column_heads(line, grid):
            ended = True
            break
        if _ends_table(line, cells, grid, hint):
            if _section_subtotal(lines, i, grid, hint):
                prev_bottom = line.y1
                i += 1
                subtotal_above = True
                continue
            ended = True
            break
        if prev_bottom is not None:
            pitch = max((b - a for a, b in itertools.pairwise(anchors_y)), default=0.0)
            limit = max(4.0 * word_h, 1.6 * pitch, 60.0 if not anchors_y else 0.0)
            if line.y0 - prev_bottom > limit:
                break
        anchor = is_anchor(cells, grid, hint, ocr)
        text = " ".join(w.text for w in line.words)
        if is_carry_text(text) or (is_carry_text(line.segments[0].text) and anchor):
            if anchors_y:
                i += 1  # "carried forward" under the rows: the table goes on over the page
                break
            prev_bottom = line.y1
            i += 1
            continue
        if is_page_number(text):
            i += 1
            continue
        body.append(BodyLine(line, cells, anchor, after_subtotal=subtotal_above))
        subtotal_above = False
        if anchor:
            anchors_y.append(line.yc)
        prev_bottom = line.y1
        i += 1
    return Body(lines=body, ended_by_totals=ended, end_index=i)


def _gap(a: Line, b: Line) -> float:
    return b.y0 - a.y1


def group_rows(body: list[BodyLine], head_top: float | None, word_h: float) -> list[RowGroup]:
    """Give every non-anchor line to the anchor it belongs to; lines far from any anchor are dropped."""
    anchors = [i for i, bl in enumerate(body) if bl.anchor]
    if not anchors:
        return []
    groups = [RowGroup(anchor=body[i]) for i in anchors]
    # Lines before the first anchor: keep those after the widest gap (the rest is a table preamble).
    lead = body[: anchors[0]]
    if lead:
        gaps = [_gap(a.line, b.line) for a, b in zip(lead, [*lead[1:], body[anchors[0]]], strict=False)]
        top_gap = (lead[0].line.y0 - head_top) if head_top is not None else 0.0
        cut = _split(top_gap, gaps)
        groups[0].before = lead[cut:]
    # Lines between anchors: split at the clearly widest gap, else they continue the upper row.
    for k in range(len(anchors) - 1):
        mid = body[anchors[k] + 1 : anchors[k + 1]]
        if not mid:
            continue
        seq = [body[anchors[k]], *mid, body[anchors[k + 1]]]
        gaps = [_gap(a.line, b.line) for a, b in itertools.pairwise(seq)]
        order = sorted(range(len(gaps)), key=lambda g: -gaps[g])
        split = len(mid)  # default: everything to the upper row
        if len(gaps) >= 2 and gaps[order[0]] > 1.4 * max(gaps[order[1]], 0.35 * word_h):
            split = order[0]
        split = min(split, _printed_above(gaps, word_h))
        split = min([split, *(n for n, bl in enumerate(mid) if _is_heading(bl))])  # a title opens a section
        groups[k].after = mid[:split]
        groups[k + 1].before = mid[split:]
    _drop_headings(groups)
    # Lines after the last anchor: keep them while they follow at the pitch of a wrapped description.
    tail = body[anchors[-1] + 1 :]
    inner = [_gap(a.line, b.line) for g in groups for a, b in zip(g.lines, g.lines[1:], strict=False)]
    inner_gap = sorted(inner)[len(inner) // 2] if inner else 0.5 * word_h
    prev = body[anchors[-1]]
    for bl in tail:
        if _gap(prev.line, bl.line) > max(1.6 * inner_gap, 0.9 * word_h):
            break
        groups[-1].after.append(bl)
        prev = bl
    return groups


# Lines closer than this share of a word height overlap: a description set half a line above its
# row's amounts ("FOURNITURES DIVERSES" over "3,00 ... 30,00"), not two lines of running text.
_OVERLAP = -0.2


def _printed_above(gaps: list[float], word_h: float) -> int:
    """Where the lines between two anchors split when the lowest of them overlap the lower anchor's
    line and a clear gap separates them from the lines above: those lines are the lower row's
    description, printed half a line above its amounts. `gaps[n]` is the gap above mid line n;
    returns the index of the first such line (len(mid) when there is none).

    A clear gap is a tenth of a word height wider than the widest gap between the lines above it:
    OCR's boxes are taller than the print, so a scan's lines of one row overlap (gaps of -2.5 pt on
    horstoeko's seed 1453) and the gap that parts two rows may be a mere touch (0.2 pt)."""
    n = len(gaps) - 1  # the gap under the last mid line, above the lower anchor
    while n > 0 and gaps[n] < _OVERLAP * word_h:
        n -= 1
    if n == len(gaps) - 1 or gaps[n] <= 0.1 * word_h + min(0.0, max(gaps[:n], default=0.0)):
        return len(gaps) - 1
    return n


def _rule(group: str) -> str:
    """A rule beside a title: one mark two or more times ("---", "=="), named `group`."""
    return rf"\s*(?P<{group}>[-=*#_~\u2013\u2014])(?P={group})+\s*"


_OPEN, _CLOSE = _rule("open"), _rule("close")
_DECORATED = re.compile(rf"^{_OPEN}[^\d\s].*?{_CLOSE}$")
# One side of the frame: OCR may miss a faint rule at the end of a scanned line ("-- Food Products").
_RULE_FIRST = re.compile(rf"^{_OPEN}[^\W\d][^\d]*$")
_RULE_LAST = re.compile(rf"^\s*[^\W\d][^\d]*?{_CLOSE}$")


def _is_heading(bl: BodyLine) -> bool:
    """A section title: text framed by rules ("--- Food Products ---", "== Hardware =="), or a rule
    on one side of words without a digit ("-- Food Products"), or rules OCR read as junk
    (`_junk_framed`), or a line without a digit right under a section's subtotal, before the next
    row's amounts (the next section opens there; on scans its rules are often lost altogether:
    "Food Products" under "Subtotal $ 112.00")."""
    text = bl.line.text
    digits = any(c.isdigit() for w in bl.line.words if not _speck(w) for c in w.text)
    if bl.after_subtotal and not bl.anchor and not digits:
        return True
    return any(p.match(text) for p in (_DECORATED, _RULE_FIRST, _RULE_LAST)) or _junk_framed(bl.line.words)


# A word read this unsurely (OCR's confidence) at a line's end may be a rule read as junk.
_UNREAD = 0.1
# One or two characters read this unsurely are a speck or a rule's stub ("5 Food Products", the "5"
# at 0.10: Azure on seed 821; "77 Food Products", "--" read "77" at 0.09 on seed 937), not digits
# of the line.
_SPECK = 0.2


def _speck(word: Word) -> bool:
    return len(word.text) <= 2 and word.confidence < _SPECK

_RULE_MARKS = frozenset("-=~_\u2013\u2014")


def _junk_framed(words: list[Word]) -> bool:
    """Words without a digit between junk that OCR read at almost no confidence: at both ends, or
    at one end with a rule's mark in it. On scans the rules of "--- Non Food ---" come back as
    "Non Food Ic-" or "7e Food Products 7o" (confidence 0.00-0.05); a text layer's words are sure."""
    if len(words) < 2:
        return False
    ends = [w for w in (words[0], words[-1]) if w.confidence < _UNREAD]
    core = [w for w in words if all(w is not e for e in ends)]
    if not ends or not core or any(c.isdigit() for w in core for c in w.text):
        return False
    return len(ends) == 2 or any(_RULE_MARKS & set(w.text) for w in ends)


def _drop_headings(groups: list[RowGroup]) -> None:
    """Section titles above a row are not part of its description.

    Framed titles always go. Unframed lines above the first row go too when the table's rows wrap
    downwards (continuation lines under the numbers, none above them): there a line above a row
    cannot be the start of its description, it titles the first section.
    """
    for g in groups:
        g.before = [bl for bl in g.before if not _is_heading(bl)]
    wraps_down = any(g.after for g in groups) and not any(g.before for g in groups[1:])
    if wraps_down and len(groups) >= 2:
        groups[0].before = []


def _split(top_gap: float, gaps: list[float]) -> int:
    """Index in the lead lines where the first row starts (len = none of them belong to it)."""
    all_gaps = [top_gap, *gaps]  # all_gaps[i] is the gap above lead line i; the last one is above the anchor
    widest = max(range(len(all_gaps)), key=lambda i: all_gaps[i])
    others = [g for i, g in enumerate(all_gaps) if i != widest]
    if others and all_gaps[widest] <= 1.4 * max(others):
        return 0
    return widest

"""Stage 5: line-item tables from word geometry, without per-supplier templates.

Per page: find the header (labels in EN/DE/FR/ES/NL, wrapped headers included), derive columns,
collect the body down to the totals block, group lines into rows (multi-line descriptions), type
the cells, and let arithmetic (quantity x unit price - discount = total, sum of totals = a printed
subtotal) settle ambiguous columns and set the confidence. A page without a header continues the
previous page's table when that one ran to the page end; a page with no header at all may still
hold a table whose numeric columns check out arithmetically (see `headerless`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.layout import Line, join_number_parts, lines_of, median
from pipeline.model import BBox, Evidence, LoadedDocument, union_bbox
from pipeline.tables.build import TableRows, build_rows, printed_sum_matches
from pipeline.tables.cells import decimal_mark, join_digit_groups
from pipeline.tables.grid import Grid
from pipeline.tables.header import Header, find_headers
from pipeline.tables.headerless import find_headerless, find_outline
from pipeline.tables.ocr_rows import (
    Repairs,
    drop_closing_marks,
    fill_quantities,
    mark_repaired,
    prices_from_summed_totals,
    prove_total_by_sum,
    repair_closing_amounts,
    repair_rows,
)
from pipeline.tables.rows import Body, BodyLine, RowGroup, group_rows, scan_body

__all__ = ["LineItems", "find_line_items"]


@dataclass
class LineItems:
    """The line items of a document, where their tables are, and how sure we are of them."""

    rows: list[dict[str, Evidence]] = field(default_factory=list)
    regions: list[tuple[int, BBox]] = field(default_factory=list)
    confidence: float = 0.0


def _median_height(words: list) -> float:
    return median([w.height for w in words if w.height > 0]) or 10.0


@dataclass(slots=True)
class _Plan:
    """How a page's table is read: its grid, the index of its first body line, the top and box of
    its header (None without one), and for an outline (`find_outline`) the indices of its parent
    lines instead of a body to scan."""

    grid: Grid
    start: int = 0
    head_top: float | None = None
    head_box: BBox | None = None
    outline: list[int] | None = None


def _headed(lines: list[Line], header: Header) -> _Plan:
    start = next(i for i, ln in enumerate(lines) if ln is header.lines[-1]) + 1
    return _Plan(Grid.from_columns(header.columns), start, header.y1,
                 (header.x0, header.y0, header.x1, header.y1))


def _headerless(
    lines: list[Line], hint: str | None, word_h: float, ocr: bool, repairs: Repairs
) -> tuple[list[Line], _Plan] | None:
    """A table without a header (`find_headerless`), else an outline of items (`find_outline`,
    whose amounts its sums prove are repaired in the returned lines); None without either."""
    found = find_headerless(lines, hint, word_h)
    if found is not None:
        grid, start = found
        return lines, _Plan(grid, start)
    items_only = find_outline(lines, hint, word_h, ocr=ocr)
    if items_only is None:
        return None
    grid, outline, proved = items_only
    return repair_closing_amounts(lines, proved, hint, repairs), _Plan(grid, outline=outline)


def _table(
    lines: list[Line],
    plan: _Plan,
    carry: Grid | None,
    hint: str | None,
    word_h: float,
    ocr: bool,
    repairs: Repairs,
) -> tuple[TableRows, list[RowGroup], Body, _Plan, list[Line]] | None:
    """The rows of one page's table read by `plan` (returned with them), and the page's lines as
    the rows' repairs left them; None where it holds no row."""
    grid = plan.grid
    headerless = plan.head_box is None and grid is not carry
    if plan.outline is not None:
        # Parents of an outline are whole items; their indented children are the breakdown.
        parents = [BodyLine(lines[k], grid.cells(lines[k]), True) for k in plan.outline]
        body = Body(parents, ended_by_totals=True, end_index=plan.outline[-1] + 1)  # never carried over
        groups = [RowGroup(anchor=bl) for bl in body.lines]
    else:
        if ocr:
            lines = repair_rows(lines, plan.start, grid, hint, repairs)
        body = scan_body(lines, plan.start, grid, hint, word_h, continued=grid is carry, ocr=ocr)
        groups = group_rows(body.lines, plan.head_top, word_h)
    if not groups:
        return None
    table = build_rows(groups, grid, hint, headerless=headerless, ocr=ocr, repairs=repairs)
    if ocr and grid.index_of("quantity") is not None:
        fill_quantities(table.rows, labelled=not headerless)
    if not table.rows:
        return None
    return table, groups, body, plan, lines


def find_line_items(doc: LoadedDocument) -> LineItems:
    """Reconstruct every line-item table of `doc`; an empty result when there is none."""
    hint = decimal_mark(doc.words)
    result = LineItems()
    tables: list[TableRows] = []
    after: list[Line] = []
    carry: Grid | None = None  # columns of a table that ran to the bottom of the previous page
    repairs: Repairs = {}  # OCR'd amounts that row arithmetic repaired: what OCR read
    for page in doc.pages:
        if not page.words:
            carry = None
            continue
        lines = [join_digit_groups(ln) for ln in lines_of(page)]
        if page.text_source == "ocr":
            lines = [drop_closing_marks(join_number_parts(ln, repairs), repairs) for ln in lines]
        word_h = _median_height(page.words)
        ocr = page.text_source == "ocr"
        headers = find_headers(lines, ocr=ocr)
        built = None
        if headers:
            built = _table(lines, _headed(lines, headers[0]), carry, hint, word_h, ocr, repairs)
        elif carry is not None:
            built = _table(lines, _Plan(carry), carry, hint, word_h, ocr, repairs)
        if built is None and (headers or carry is None):
            # No header, or a header over no rows (prose taken for one, below the items: AWS on
            # scanner seed 1951): the page's table, if any, has no header.
            found = _headerless(lines, hint, word_h, ocr, repairs)
            if found is not None:
                lines, plan = found
                built = _table(lines, plan, None, hint, word_h, ocr, repairs)
        if built is None:
            carry = None
            continue
        table, groups, body, plan, lines = built
        tables.append(table)
        after = lines[body.end_index : body.end_index + 12]
        boxes: list[BBox] = []
        for g in groups:
            for bl in g.lines:
                boxes.append((bl.line.x0, bl.line.y0, bl.line.x1, bl.line.y1))
        if plan.head_box is not None:
            boxes.append(plan.head_box)
        region = union_bbox(boxes)
        if region is not None:
            result.regions.append((page.index, region))
        carry = None if body.ended_by_totals else plan.grid
    for table in tables:
        result.rows.extend(table.rows)
    mark_repaired(result.rows, repairs)
    if tables:
        weights = [len(t.rows) for t in tables]
        confidence = sum(t.confidence * w for t, w in zip(tables, weights, strict=True)) / sum(weights)
        totals = [v for t in tables for v in t.totals]
        ocr_pages = {p.index for p in doc.pages if p.text_source == "ocr"}

        def adds_up(totals: list[Decimal]) -> bool:
            return printed_sum_matches(totals, after, hint)

        if adds_up(totals) or (ocr_pages and prove_total_by_sum(result.rows, ocr_pages, adds_up, hint)):
            confidence = min(0.99, confidence + 0.1)
            prices_from_summed_totals(result.rows, ocr_pages)
        result.confidence = round(confidence, 4)
    return result

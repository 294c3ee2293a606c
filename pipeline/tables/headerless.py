"""Tables without a header: numeric columns found by aligned right edges, roles by arithmetic.

Only used when a page has no recognisable header. Numbers on invoices are right-aligned, so the right
edges of amounts cluster into columns; a table is accepted only when some three columns satisfy
quantity x unit price = total on at least two lines and on most lines that have all three, which
keeps address blocks, dates and totals blocks out.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from pipeline.layout import Line
from pipeline.model import Word
from pipeline.normalize.amounts import parse_amount
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

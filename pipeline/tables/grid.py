"""Columns -> x boundaries, and the words of one visual line -> cells.

Boundaries start halfway between neighbouring header cells; numbers are then placed by overlap with
the header cell first (right-aligned amounts sit under their label), text by segment: the words of
one gap-free run stay in the column where the run starts, so a long description never leaks into the
column to its right.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from pipeline.layout import Line
from pipeline.model import Word
from pipeline.tables.cells import is_numeric_word, is_percent
from pipeline.tables.header import Column

TEXT_FIELDS = frozenset({"description", "product_code", "position", "unit", "other"})
_MONEY_FIELDS = frozenset({"unit_price", "total", "tax_amount", "discount_amount"})
_RATE_FIELDS = frozenset({"tax", "tax_rate", "discount", "discount_rate"})


@dataclass(slots=True)
class Grid:
    columns: list[Column]
    bounds: list[float]  # len(columns) - 1 cut points, left to right

    @classmethod
    def from_columns(cls, columns: list[Column]) -> Grid:
        cols = sorted(columns, key=lambda c: c.x0)
        bounds = [(a.x1 + b.x0) / 2 for a, b in itertools.pairwise(cols)]
        return cls(columns=cols, bounds=bounds)

    def index_of(self, field: str) -> int | None:
        for i, col in enumerate(self.columns):
            if col.field == field:
                return i
        return None

    def _by_centre(self, x: float) -> int:
        for i, cut in enumerate(self.bounds):
            if x < cut:
                return i
        return len(self.columns) - 1

    def _by_overlap(self, word: Word) -> int | None:
        best, index = 0.0, None
        for i, col in enumerate(self.columns):
            overlap = min(col.x1, word.x1) - max(col.x0, word.x0)
            if overlap > best:
                best, index = overlap, i
        return index

    def place(self, word: Word) -> int:
        centre = self._by_centre(word.xc)
        if is_numeric_word(word.text) and self.columns[centre].field in TEXT_FIELDS:
            # A number drifting into a text column: keep it where the header says, if it overlaps one.
            idx = self._by_overlap(word)
            if idx is not None and self.columns[idx].field not in TEXT_FIELDS:
                return idx
        if self.columns[centre].field in _MONEY_FIELDS and is_percent(word.text):
            # An amount never carries "%": a rate past the cut beside a rate column belongs to it.
            # On a scan, labels OCR read as one box ("BTW Prijs incl. BTW") get estimated edges, so
            # the narrow rate label's cut can fall left of the rates printed under it.
            near = [j for j in (centre - 1, centre + 1)
                    if 0 <= j < len(self.columns) and self.columns[j].field in _RATE_FIELDS]
            if near:
                return min(near, key=lambda j: self._gap(word, j))
        return centre

    def _gap(self, word: Word, col: int) -> float:
        c = self.columns[col]
        return max(c.x0 - word.x1, word.x0 - c.x1, 0.0)

    def _under_header(self, word: Word, col: int) -> bool:
        """The word sits squarely under column `col`'s label (a value, not a run-on)."""
        c = self.columns[col]
        overlap = min(c.x1, word.x1) - max(c.x0, word.x0)
        return overlap > 0.5 * max(word.x1 - word.x0, 1e-6)

    def _opens_text_cell(self, prev: Word, word: Word, col: int, start_col: int) -> bool:
        """`word` starts the next text column's cell rather than running on from the cell to its left.

        Text columns are left-aligned under their label: a word that starts at (or right of) the
        label's left edge, after a gap wider than a word space, with the previous word still left
        of that edge, opens the column ("3  Softwarelicentie" under "Nr.  Artikel").
        """
        c = self.columns[col]
        if c.field not in TEXT_FIELDS or self.columns[start_col].field not in TEXT_FIELDS or col < start_col:
            return False
        height = max(1.0, min(prev.height, word.height))
        return word.x0 >= c.x0 - 0.2 * height and prev.x1 < c.x0 and word.x0 - prev.x1 > 0.45 * height

    def cells(self, line: Line) -> dict[int, list[Word]]:
        """The words of `line` per column index."""
        out: dict[int, list[Word]] = {}
        for seg in line.segments:
            start_col: int | None = None
            prev: Word | None = None
            for word in seg.words:
                col = self.place(word)
                if start_col is None or prev is None or self._opens_text_cell(prev, word, col, start_col):
                    start_col = col
                elif col != start_col and not self._under_header(word, col) and (
                    self.columns[start_col].field in TEXT_FIELDS or self.columns[col].field not in TEXT_FIELDS
                ) and not (is_numeric_word(word.text) and self.columns[col].field not in TEXT_FIELDS):
                    # Text continues the run it belongs to ("LONDON Schreibtischstuhl," / "1 PCS").
                    col = start_col
                else:
                    start_col = col
                out.setdefault(col, []).append(word)
                prev = word
        return out

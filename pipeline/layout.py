"""Geometry helpers shared by tables and header extraction: words -> visual lines -> segments.

A *line* is the words whose vertical centres fall in one band, left to right. A *segment* is a run
of words in a line without a gap wider than about two character widths: on invoices a segment is
usually one cell, one label or one value.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.model import BBox, Page, Word


@dataclass(slots=True)
class Segment:
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def y0(self) -> float:
        return min(w.y0 for w in self.words)

    @property
    def y1(self) -> float:
        return max(w.y1 for w in self.words)

    @property
    def bbox(self) -> BBox:
        return (self.x0, self.y0, self.x1, self.y1)

    @property
    def page(self) -> int:
        return self.words[0].page


@dataclass(slots=True)
class Line:
    words: list[Word]
    segments: list[Segment]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def y0(self) -> float:
        return min(w.y0 for w in self.words)

    @property
    def y1(self) -> float:
        return max(w.y1 for w in self.words)

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def page(self) -> int:
        return self.words[0].page

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def _median(values: list[float]) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return s[len(s) // 2]


def lines_of(page: Page, gap_factor: float = 1.2) -> list[Line]:
    """Group a page's words into visual lines, top to bottom, and split each into segments.

    `gap_factor` times the median word height is the widest gap still inside one segment.
    """
    words = sorted(page.words, key=lambda w: (w.yc, w.x0))
    if not words:
        return []
    bands: list[list[Word]] = []
    for word in words:
        placed = False
        # Compare with the last few bands only: lines are sorted by centre already.
        for band in reversed(bands[-3:]):
            top = min(w.y0 for w in band)
            bottom = max(w.y1 for w in band)
            overlap = min(bottom, word.y1) - max(top, word.y0)
            if overlap > 0.5 * min(word.height, bottom - top):
                band.append(word)
                placed = True
                break
        if not placed:
            bands.append([word])
    median_h = _median([w.height for w in words]) or 10.0
    lines = []
    for band in bands:
        band.sort(key=lambda w: w.x0)
        lines.append(Line(words=band, segments=split_segments(band, gap_factor * median_h)))
    lines.sort(key=lambda ln: ln.yc)
    return lines


def lines_by_centre(page: Page, gap_factor: float = 1.2) -> list[Line]:
    """Like `lines_of`, but robust to mixed font sizes: what header extraction reads.

    A word joins a line only when each one's vertical centre lies inside the other's box. Plain
    box overlap is not enough: a large title ("RECHNUNG" at 25 pt) overlaps three lines of a 9 pt
    label column beside it and would glue them into one line. Each line keeps a reference box,
    widened only by words of about the same height. `gap_factor` times the median word height is
    the widest gap still inside one segment.
    """
    words = sorted(page.words, key=lambda w: (w.yc, w.x0))
    if not words:
        return []
    bands: list[tuple[list[Word], list[float]]] = []
    for word in words:
        placed = False
        # Compare with the last few bands only: words are sorted by centre already.
        for band, ref in reversed(bands[-4:]):
            top, bottom = ref
            yc = (top + bottom) / 2
            if top <= word.yc <= bottom and word.y0 <= yc <= word.y1:
                band.append(word)
                if 0.75 <= word.height / max(bottom - top, 0.1) <= 1.33:
                    ref[0], ref[1] = min(top, word.y0), max(bottom, word.y1)
                placed = True
                break
        if not placed:
            bands.append(([word], [word.y0, word.y1]))
    median_h = _median([w.height for w in words]) or 10.0
    lines = []
    for band, _ref in bands:
        band.sort(key=lambda w: w.x0)
        lines.append(Line(words=band, segments=split_segments(band, gap_factor * median_h)))
    lines.sort(key=lambda ln: ln.yc)
    return lines


def split_segments(words: list[Word], max_gap: float) -> list[Segment]:
    """Split left-to-right words where the horizontal gap exceeds `max_gap`."""
    segments: list[Segment] = []
    current: list[Word] = []
    for word in words:
        if current and word.x0 - current[-1].x1 > max_gap:
            segments.append(Segment(current))
            current = []
        current.append(word)
    if current:
        segments.append(Segment(current))
    return segments

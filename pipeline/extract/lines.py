"""Visual lines for header extraction, robust to mixed font sizes.

`pipeline.layout.lines_of` joins a word to a line when their boxes overlap by half the smaller
height. A large title ("RECHNUNG" at 25 pt) overlaps three lines of a 9 pt label column beside it,
so every one of them was glued into one line and label/value pairs were lost. Here a word joins a
line only when each one's vertical centre lies inside the other's box: words sharing a baseline
in similar sizes still join, a tall word no longer swallows the small lines it spans.
"""

from __future__ import annotations

from pipeline.layout import Line, split_segments
from pipeline.model import Page, Word


def _median(values: list[float]) -> float:
    s = sorted(values)
    return s[len(s) // 2] if s else 0.0


def header_lines(page: Page, gap_factor: float = 1.2) -> list[Line]:
    """A page's words grouped into lines top to bottom, each split into segments (cells)."""
    words = sorted(page.words, key=lambda w: (w.yc, w.x0))
    if not words:
        return []
    # Each band keeps a reference box: the box of its first (most typical) word, widened only by
    # words of about the same height.
    bands: list[tuple[list[Word], list[float]]] = []
    for word in words:
        placed = False
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

"""Ink no detected box covers, of the size of a character: a lone digit the detector missed.

Why: CRAFT's score for a single thin character ("1", or a position number "2" in a column of its
own) often stays under the detector's floors, so a table's quantity column of ones comes back
empty (docs/ocr.md: on a scanned real invoice all seven quantities and six position numbers were
lost). Such a character is still plain in the binarised page: a connected blob as tall as text,
narrow, away from every detected box. Those blobs (merged with their neighbours on one line, for
"12") become extra boxes for the recogniser; only readings with a letter or digit, read surely,
are kept. Table rules (long, or solid bars), specks (too small) and fragments of detected words
(touching a box) are left out by their geometry, and so are the pieces of a faint rule that the
binarisation broke up (`_on_rule`).
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.ocr.engine import TextBox
from pipeline.orient import paper_colour

# Ink height of a character against the median detected box height (boxes carry a margin).
_MIN_HEIGHT, _MAX_HEIGHT = 0.35, 0.9
_MIN_WIDTH, _MAX_WIDTH = 0.06, 0.9
_MAX_FILL = 0.9  # a solid bar (a rule's stub, a bullet block) is no character
_MIN_FILL = 0.15
_MAX_RUN = 2.5  # merged blobs wider than this many box heights are no lone number
SURE = 0.5  # the least confidence a lone reading needs
ALIGNED = 0.3  # ... or the least where a sure lone reading of the same digit stands above or below it
_RULE_SHARE = 0.9  # rows above and below a blob that must be dark for it to be a piece of a rule


def ink(grey: np.ndarray) -> np.ndarray:
    """The page's ink as 1 and paper as 0 (Otsu), as the word splitting reads it too."""
    _, binary = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return binary


def _on_rule(grey: np.ndarray, paper: float, x: int, y: int, w: int, h: int) -> bool:
    """Is the blob at (x, y, w, h) a piece of a longer vertical rule? A grey rule on a scan hovers
    around the binarisation's threshold, so its ink breaks into character-sized pieces that read
    as "1" ("1 LE CLIENT", a "1" between two rows of F20180027's frame: the rows then split
    wrongly). Along the blob's own columns the page stays nearly as dark as the blob for a blob's
    height above and below it; above and below a "1" there is paper between the lines."""
    if y < h or y + 2 * h > grey.shape[0]:
        return False
    cols = grey[:, x : x + w]
    level = float(np.median(cols[y : y + h].min(axis=1)))
    cut = level + (paper - level) / 2
    above, below = cols[y - h : y].min(axis=1), cols[y + h : y + 2 * h].min(axis=1)
    return bool((above <= cut).mean() >= _RULE_SHARE and (below <= cut).mean() >= _RULE_SHARE)


def lone_marks(binary: np.ndarray, found: list[TextBox], grey: np.ndarray | None = None) -> list[list[int]]:
    """Boxes `[x_min, x_max, y_min, y_max]` around character-sized ink (`binary`: `ink` of the page)
    that none of `found` covers; with the page's `grey` image, pieces of a faint rule are left out."""
    if not found:
        return []
    paper = float(paper_colour(grey)) if grey is not None else 0.0
    heights = sorted(t.y1 - t.y0 for t in found)
    box_h = heights[len(heights) // 2]
    pad = max(2, int(0.15 * box_h))
    covered = np.zeros_like(binary)
    for t in found:
        covered[max(0, int(t.y0) - pad) : int(t.y1) + pad, max(0, int(t.x0) - pad) : int(t.x1) + pad] = 1
    free = (binary & (1 - covered)).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(free, connectivity=8)
    blobs = []
    for k in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[k])
        tall = _MIN_HEIGHT * box_h <= h <= _MAX_HEIGHT * box_h
        if not (tall and _MIN_WIDTH * box_h <= w <= _MAX_WIDTH * box_h):
            continue
        if not _MIN_FILL <= area / (w * h) <= _MAX_FILL:
            continue
        near = covered[max(0, y - pad) : y + h + pad, max(0, x - pad) : x + w + pad]
        if near.any():  # a piece of a detected word (an accent, a descender cut off)
            continue
        if grey is not None and _on_rule(grey, paper, x, y, w, h):
            continue
        blobs.append([x, y, x + w, y + h])
    merged: list[list[int]] = []
    for b in sorted(blobs):
        if merged:
            m = merged[-1]
            overlap = min(m[3], b[3]) - max(m[1], b[1])
            if overlap > 0.5 * min(m[3] - m[1], b[3] - b[1]) and b[0] - m[2] < 0.4 * box_h:
                merged[-1] = [m[0], min(m[1], b[1]), max(m[2], b[2]), max(m[3], b[3])]
                continue
        merged.append(b)
    out = []
    h_img, w_img = binary.shape[:2]
    for x0, y0, x1, y1 in merged:
        if x1 - x0 > _MAX_RUN * box_h:
            continue
        m = int(0.3 * (y1 - y0)) + 2
        out.append([max(0, x0 - m), min(w_img, x1 + m), max(0, y0 - m), min(h_img, y1 + m)])
    return out


def kept(readings: list[TextBox]) -> list[TextBox]:
    """The lone readings worth adding: sure, and with a letter or digit in them; or a digit read
    less surely (down to `ALIGNED`) in a column where a sure lone reading of the same digit stands
    (its centre within a character's height of this one's). Why: a quantity column of ones read
    one by one ("1" at 1.0, 0.84, 0.53 and 0.40 on coolblue's page, scanner seed 2251): the last,
    the levy row's, was dropped, and its row lost its quantity. Its box keeps its own confidence."""
    def is_sure(t: TextBox) -> bool:
        return t.confidence >= SURE and any(c.isalnum() for c in t.text)

    sure = [t for t in readings if is_sure(t)]

    def aligned(t: TextBox) -> bool:
        centre, size = (t.x0 + t.x1) / 2, t.y1 - t.y0
        return t.confidence >= ALIGNED and t.text.isdigit() and any(
            s.text == t.text and abs((s.x0 + s.x1) / 2 - centre) <= size for s in sure)

    return [t for t in readings if is_sure(t) or aligned(t)]

"""Boxes of one line joined across a gap full of ink: a word the detector broke in two.

Why: CRAFT's text score can sag in the middle of a long word on a scan ("Fuhrparkmanagement" on
ZUGFeRD's sample came back as boxes for "Alphabet Fuhrpa", a sliver of "na" and "igement GmbH"),
and the recogniser then reads each piece as a word of its own. The letters in between are plain in
the binarised page. So two boxes on one line whose gap is mostly inked columns, at most a few box
heights wide, are one box; a gap of paper between words, or between columns, joins nothing. Once a
box grew that way it also takes a neighbour it touches (the rest of the broken word, which the
detector's grouping had kept apart for the sliver's height).
"""

from __future__ import annotations

import numpy as np

_MAX_GAP = 3.0  # widest gap joined, in box heights
_MIN_INKED = 0.6  # share of the gap's columns that must hold ink
_MIN_GAP = 0.3  # a gap under this many box heights is a word space or a box margin, not a lost piece
_TOUCH = 0.15  # a gap this small (box heights) is touching
_SAME_LINE = 0.6  # vertical overlap, as a share of the smaller box, of two boxes on one line
_TALL = 0.4  # share of the gap's rows its ink must reach: a rule or a dotted leader does not


def bridged(binary: np.ndarray, boxes: list[list[int]]) -> list[list[int]]:
    """`boxes` (`[x_min, x_max, y_min, y_max]`) with each pair on one line whose gap is inked joined
    (`binary`: the page's ink as 1). Order is not kept."""
    if len(boxes) < 2:
        return [list(b) for b in boxes]
    heights = sorted(b[3] - b[2] for b in boxes)
    box_h = max(1, heights[len(heights) // 2])
    out = sorted((list(b) for b in boxes), key=lambda b: b[0])
    grown: set[int] = set()  # ids of boxes made by a join
    joined = True
    while joined:  # a box joined late may now touch a grown one on its left: another pass
        joined = False
        i = 0
        while i < len(out):
            a = out[i]
            k = _right_neighbour(out, i, _MAX_GAP * box_h)
            if k is not None and _joins(binary, a, out[k], box_h, grown):
                b = out.pop(k)
                out[i] = [a[0], max(a[1], b[1]), min(a[2], b[2]), max(a[3], b[3])]
                grown.add(id(out[i]))
                joined = True
                continue  # the grown box may reach its next neighbour too
            i += 1
    return out


def _joins(binary: np.ndarray, a: list[int], b: list[int], box_h: int, grown: set[int]) -> bool:
    gap = b[0] - a[1]
    if gap <= _TOUCH * box_h and (id(a) in grown or id(b) in grown):
        return True
    return _MIN_GAP * box_h <= gap <= _MAX_GAP * box_h and _inked(binary, a, b)


def _right_neighbour(boxes: list[list[int]], i: int, reach: float) -> int | None:
    """The nearest box right of `boxes[i]` (sorted by left edge) on its line, starting at most
    `reach` pixels after its end and not overlapping it by more than a touch."""
    a = boxes[i]
    for k in range(i + 1, len(boxes)):
        b = boxes[k]
        if b[0] > a[1] + reach:
            break
        if b[0] < a[1] - 2 or b[1] <= a[1]:
            continue
        if min(a[3], b[3]) - max(a[2], b[2]) >= _SAME_LINE * min(a[3] - a[2], b[3] - b[2]):
            return k
    return None


def _inked(binary: np.ndarray, a: list[int], b: list[int]) -> bool:
    """Most columns of the gap between `a` and `b`, over the rows both span, hold ink, and the ink
    is as tall as letters: a rule or a dotted leader between a label and its amount is not."""
    y0, y1 = max(a[2], b[2]), min(a[3], b[3])
    x0, x1 = max(0, a[1]), min(binary.shape[1], b[0])
    if x1 <= x0 or y1 <= y0:
        return False
    band = binary[max(0, y0) : y1, x0:x1]
    return float(band.any(axis=0).mean()) >= _MIN_INKED and float(band.any(axis=1).mean()) >= _TALL


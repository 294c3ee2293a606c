"""Geometry helpers shared by tables and header extraction: words -> visual lines -> segments.

A *line* is the words whose vertical centres fall in one band, left to right. A *segment* is a run
of words in a line without a gap wider than about two character widths: on invoices a segment is
usually one cell, one label or one value.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.model import BBox, Page, Word
from pipeline.normalize.currency import SIGNS


@dataclass(slots=True)
class _WordRun:
    """Words read left to right (a segment or a whole line), with the box properties both share.

    `words` is never changed after construction, so the joined text and the vertical extent are
    computed once: every stage reads them many times per run.
    """

    words: list[Word]
    _text: str | None = field(default=None, init=False, repr=False, compare=False)
    _y0: float | None = field(default=None, init=False, repr=False, compare=False)
    _y1: float | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def text(self) -> str:
        text = self._text
        if text is None:
            text = self._text = " ".join([w.text for w in self.words])
        return text

    @property
    def x0(self) -> float:
        return self.words[0].x0

    def x_at(self, offset: int) -> float:
        """Where character `offset` of `text` stands: inside its word by the word's share of
        characters (a label glued to the end of a word, "85425874693-BIC:", starts inside it)."""
        start = 0
        for w in self.words:
            end = start + len(w.text)
            if offset <= end:
                share = max(0, offset - start) / max(1, len(w.text))
                return w.x0 + (w.x1 - w.x0) * share
            start = end + 1
        return self.x1

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def y0(self) -> float:
        y0 = self._y0
        if y0 is None:
            y0 = self._y0 = min([w.y0 for w in self.words])
        return y0

    @property
    def y1(self) -> float:
        y1 = self._y1
        if y1 is None:
            y1 = self._y1 = max([w.y1 for w in self.words])
        return y1

    @property
    def page(self) -> int:
        return self.words[0].page


@dataclass(slots=True)
class Segment(_WordRun):
    """A run of words of one line."""

    @property
    def bbox(self) -> BBox:
        return (self.x0, self.y0, self.x1, self.y1)


@dataclass(slots=True)
class Line(_WordRun):
    """The words of one visual line and its segments."""

    segments: list[Segment]

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def median(values: list[float]) -> float:
    """The upper median (an element of `values`, no averaging); 0.0 for none."""
    if not values:
        return 0.0
    s = sorted(values)
    return s[len(s) // 2]


def ocr_slack(page: Page) -> float:
    """How far (page units) an OCR'd box edge may stray from where the text layer would put it.

    Why: geometry rules stack lines whose edges agree within a few PDF points, but OCR boxes hug
    the ink in pixels (2-4 per point) and a trailing mark is dropped or added ("B.V." read "B.V_"),
    so right- or left-aligned lines of one block end up a character apart. Half the median word
    height is about half a character. A PDF text layer needs none: 0.0, its rules stay exact.
    """
    if page.text_source != "ocr" or not page.words:
        return 0.0
    return 0.5 * median([w.height for w in page.words])


def lines_of(page: Page, gap_factor: float = 1.2) -> list[Line]:
    """Group a page's words into visual lines, top to bottom, and split each into segments.

    `gap_factor` times the median word height is the widest gap still inside one segment. Computed
    once per page and shared (classify and tables both read it); the lines are never changed by
    their readers, the returned list is the caller's own.
    """
    return _cached_lines(page, "band", gap_factor, _lines_of)


def _cached_lines(
    page: Page, kind: str, gap_factor: float, build: Callable[[Page, float], list[Line]]
) -> list[Line]:
    """`build(page, gap_factor)`, remembered on the page for as long as its word list is the same
    list with the same length (OCR and load replace it; nothing edits it in place after them).
    """
    key = (kind, gap_factor)
    words = page.words
    entry = page.layout_cache.get(key)
    if entry is None or entry[0] is not words or entry[1] != len(words):
        entry = (words, len(words), build(page, gap_factor))
        page.layout_cache[key] = entry
    return list(entry[2])


def _banded_lines(
    page: Page, gap_factor: float, bands_of: Callable[[list[Word]], list[list[Word]]]
) -> list[Line]:
    """The skeleton both line builders share: words sorted by vertical centre, grouped into bands
    by `bands_of` (the only part that differs), each band sorted left to right and split into
    segments at gaps wider than `gap_factor` times the median word height, lines top to bottom.
    """
    words = sorted(page.words, key=lambda w: ((w.y0 + w.y1) / 2, w.x0))
    if not words:
        return []
    bands = bands_of(words)
    if page.text_source == "ocr":
        bands = [part for band in bands for part in _unstacked(band)]
    median_h = median([w.height for w in words]) or 10.0
    lines = []
    for band in bands:
        band.sort(key=lambda w: w.x0)
        segments = split_segments(band, gap_factor * median_h, gap_factor, ocr=page.text_source == "ocr")
        lines.append(Line(words=band, segments=segments))
    lines.sort(key=lambda ln: ln.yc)
    return lines


def _unstacked(band: list[Word]) -> list[list[Word]]:
    """An OCR'd band parted where two of its words, of different detected boxes, stand over each
    other: the box whose word is lower, with every word of it, is a line of its own under the rest.

    Why: printed words of one line never share a column of the page, but a detector box can span
    two printed lines ("GLN:5987854125 PRESTATION SUPPORT - Description" boxed 15 pt high over the
    line of "Période de 01/12/2019 au 31/12/2019" under it: horstoeko on seed 1721). Banded by
    overlap, both lines were one, and sorted left to right their words interleaved ("PRESTATION
    Période de SUPPORT 01/12/2019 ...")."""
    lower: set[int] = set()
    for a, b in itertools.combinations([w for w in band if _wordlike(w)], 2):
        if a.block == b.block or a.block in lower or b.block in lower:
            continue
        across = min(a.x1, b.x1) - max(a.x0, b.x0)
        if across > 0.5 * min(a.x1 - a.x0, b.x1 - b.x0) and abs(a.yc - b.yc) > 0.15 * min(a.height, b.height):
            lower.add(a.block if a.yc > b.yc else b.block)
    if not lower:
        return [band]
    return [[w for w in band if w.block not in lower], [w for w in band if w.block in lower]]


def _wordlike(w: Word) -> bool:
    """Two letters or digits at least, no narrower than high: specks and marks ("`", "..") are
    boxed anywhere and stand over nothing (AWS's "VAT `" over ".." on seed 1811)."""
    return sum(c.isalnum() for c in w.text) >= 2 and w.x1 - w.x0 >= w.height


def _lines_of(page: Page, gap_factor: float) -> list[Line]:
    return _banded_lines(page, gap_factor, _bands_by_overlap)


_SAME_LINE = 0.65  # overlap, as a share of the lower height, that makes two boxes one line


def _bands_by_overlap(words: list[Word]) -> list[list[Word]]:
    """A word joins a band when their vertical overlap exceeds half the smaller height.

    A band's extent is the median top and bottom of its words, not their union: a union grows with
    every taller word (a bracket, a raised mark, an OCR box of two half-lines) until it reaches the
    staggered line above or below, and a wrapped two-row header or a description set half a line
    above its amounts became one line.
    """
    bands: list[list[Word]] = []
    tops: list[list[float]] = []  # each band's word tops and bottoms, sorted
    bottoms: list[list[float]] = []
    for word in words:
        placed = False
        # Compare with the last few bands only: lines are sorted by centre already.
        n = len(bands)
        for i in range(n - 1, max(n - 3, 0) - 1, -1):
            extent = _middle(tops[i], bottoms[i])
            if _overlap(word, extent) > _SAME_LINE * min(word.height, extent[1] - extent[0]):
                bands[i].append(word)
                bisect.insort(tops[i], word.y0)
                bisect.insort(bottoms[i], word.y1)
                placed = True
                break
        if not placed:
            bands.append([word])
            tops.append([word.y0])
            bottoms.append([word.y1])
    return _settled(bands, tops, bottoms)


def _middle(tops: list[float], bottoms: list[float]) -> tuple[float, float]:
    """A band's extent from its words' sorted tops and bottoms: the middle ones; of two, the inner
    ones (the words' common part)."""
    return tops[len(tops) // 2], bottoms[(len(bottoms) - 1) // 2]


def _overlap(word: Word, extent: tuple[float, float]) -> float:
    return min(extent[1], word.y1) - max(extent[0], word.y0)


def _settled(
    bands: list[list[Word]], tops: list[list[float]], bottoms: list[list[float]]
) -> list[list[Word]]:
    """Each word moved to a neighbouring band that it overlaps more than its own (middle extents).

    Why: the first pass places a word before the bands below it exist. A tall OCR box reaching into
    the line above (akretion's total "7,00" boxed 8 pt high among 6 pt words, on seed 1453) joined
    that line by a hair, and the row's amounts were split across two lines: the row kept its total
    and lost its quantity and tax rate. Once every band is known, the one the word overlaps most
    is its line; bands keep the extents of the first pass, so no move chains into another.
    """
    extents = [_middle(t, b) for t, b in zip(tops, bottoms, strict=True)]
    moves = []
    for i, band in enumerate(bands):
        for word in band if len(band) > 1 else ():
            best = max((j for j in (i - 1, i + 1) if 0 <= j < len(bands)),
                       key=lambda j: _overlap(word, extents[j]), default=None)
            if best is None:
                continue
            top, bottom = extents[best]
            if _overlap(word, extents[best]) > max(_overlap(word, extents[i]),
                                                   _SAME_LINE * min(word.height, bottom - top)):
                moves.append((i, best, word))
    for i, j, word in moves:
        bands[i].remove(word)
        bands[j].append(word)
    return [band for band in bands if band]


def lines_by_centre(page: Page, gap_factor: float = 1.2) -> list[Line]:
    """Like `lines_of`, but robust to mixed font sizes: what header extraction reads.

    A word joins a line only when each one's vertical centre lies inside the other's box. Plain
    box overlap is not enough: a large title ("RECHNUNG" at 25 pt) overlaps three lines of a 9 pt
    label column beside it and would glue them into one line. Each line keeps a reference box,
    widened only by words of about the same height. `gap_factor` times the median word height is
    the widest gap still inside one segment.
    """
    return _banded_lines(page, gap_factor, _bands_by_centre)


# Words under this share of the median height (a speck OCR read as "9", a superscript) join lines
# after the others: started first, such a word's box would be the reference of a whole line.
_SMALL = 0.5


def _beside(last: Word, word: Word) -> bool:
    """Do `last` (a band's latest word) and `word`, of about one height, each have the other's
    centre in their box? Then they are one line though the band's reference box, set by smaller
    print that started it, misses the word's centre: a footer's 6 pt "Datum: 30.10.2024" beside
    the 8 pt bank line, whose "9193" (centre a hair below the small box) made a line of its own
    and took a group out of the IBAN (ZUGFeRD's leasing sample on seed 907)."""
    h0, h1 = last.y1 - last.y0, word.y1 - word.y0
    if not 0.75 <= h1 / max(h0, 0.1) <= 1.33:
        return False
    return last.y0 <= (word.y0 + word.y1) / 2 <= last.y1 and word.y0 <= (last.y0 + last.y1) / 2 <= word.y1


def _bands_by_centre(words: list[Word]) -> list[list[Word]]:
    """A word joins a band when each one's vertical centre lies inside the other's box.

    Small words (`_SMALL`) come last: a speck read between a label and its value ("Date d'échéance
    9 15/02/2020", the "9" a third of the line's height) would otherwise start the line with its own
    small box, and the value, whose centre lies a hair lower, would start another. Like any word
    they join a band only when each centre lies in the other's box, else they are a line of their own.
    """
    cut = _SMALL * median([w.height for w in words])
    small = [w for w in words if w.height < cut]
    bands: list[tuple[list[Word], list[float]]] = []
    for word in (w for w in words if w.height >= cut):
        placed = False
        # The word's box read once (the same arithmetic as Word.yc and Word.height).
        wy0, wy1 = word.y0, word.y1
        wyc = (wy0 + wy1) / 2
        # Compare with the last few bands only: words are sorted by centre already.
        for band, ref in reversed(bands[-4:]):
            top, bottom = ref
            yc = (top + bottom) / 2
            if (top <= wyc <= bottom and wy0 <= yc <= wy1) or _beside(band[-1], word):
                band.append(word)
                if 0.75 <= (wy1 - wy0) / max(bottom - top, 0.1) <= 1.33:
                    ref[0], ref[1] = min(top, wy0), max(bottom, wy1)
                placed = True
                break
        if not placed:
            bands.append(([word], [wy0, wy1]))
    for word in small:  # the same test, against every band: they are no longer in order of centre
        wy0, wy1 = word.y0, word.y1
        wyc = (wy0 + wy1) / 2
        home = next((band for band, (top, bottom) in bands
                     if top <= wyc <= bottom and wy0 <= (top + bottom) / 2 <= wy1), None)
        if home is not None:
            home.append(word)
        else:
            bands.append(([word], [wy0, wy1]))
    return [band for band, _ref in bands]


def split_segments(
    words: list[Word], max_gap: float, per_height: float = 0.0, ocr: bool = False
) -> list[Segment]:
    """Split left-to-right words where the horizontal gap exceeds `max_gap`, or `per_height` times
    the lower of the two words' heights where that is more: a word space grows with the type, so
    a title's two words set in large print stay one segment.

    `ocr`: words of one detected text box (`block`) part only at twice that gap. The detector
    joins only what is about a word space apart; a wider gap between them is mostly an error of
    the word positions, which are estimated inside the box (a misread character count moves them).
    """
    segments: list[Segment] = []
    current: list[Word] = []
    for word in words:
        gap = max(max_gap, per_height * min(word.height, current[-1].height)) if current else 0.0
        if ocr and current and current[-1].block == word.block:
            gap *= 2
        if current and word.x0 - current[-1].x1 > gap:
            segments.append(Segment(current))
            current = []
        current.append(word)
    if current:
        segments.append(Segment(current))
    return segments


_MARKS = ".,'’"  # decimal and thousands marks


def _joins(a: Word, b: Word) -> bool:
    """`_number_pieces` or `_identifier_pieces`."""
    return _number_pieces(a, b) or _identifier_pieces(a, b)


def _identifier_pieces(a: Word, b: Word) -> bool:
    """Are `a` and `b` two pieces of one identifier that an underscore joins ("BLR" "_WFLD2015...":
    Flipkart's invoice number on seed 1699), cut apart where the detector's two boxes overlapped
    (`pipeline.ocr.engine.part_overlaps`, so they touch)? An underscore never stands between words."""
    if a.line != b.line or a.block == b.block or b.x0 != a.x1:
        return False
    return (b.text[:1] == "_" and a.text[-1:].isalnum()) or (a.text[-1:] == "_" and b.text[:1].isalnum())


def _number_pieces(a: Word, b: Word) -> bool:
    """Are `a` and `b` two pieces of one number that OCR spaced apart ("4," "462" "." "57")? Inside
    one detected text box (`block`): the recogniser read them as one run, and a space beside a
    decimal or thousands mark never separates two numbers. Across boxes only where they touch: the
    detector boxed a mark apart and the boxes, overlapping, were cut apart at one point
    (`pipeline.ocr.engine.part_overlaps`: "54" "." "232,58"); boxes of two numbers stand apart.
    Both pieces must be digits and marks, but for a currency sign before the first or after the last
    ("£84," "916.36")."""
    if a.line != b.line or (a.block != b.block and b.x0 != a.x1):
        return False
    left, right = a.text.lstrip(SIGNS), b.text.rstrip(SIGNS)
    if not left or not right or not all(c.isdigit() or c in _MARKS for c in left + right):
        return False
    mark_after = left[-1] in _MARKS and any(c.isdigit() for c in left) and right[0].isdigit()
    mark_before = right[0] in _MARKS and left[-1].isdigit() and (len(right) == 1 or right[1].isdigit())
    return mark_after or mark_before


# What a low mark between two digit groups reads as when the recogniser gets it alone: a comma's
# tail or a period is read as a thin letter or digit.
_MARK_READS = frozenset("1lI|ri.,'")
_DECIMAL_IN = re.compile(r"\d([.,])\d\d(?!\d)")


def _low_mark(a: Word, b: Word, c: Word) -> bool:
    """Is `b`, one character between the digit groups `a` and `c` and touching both, the lower half
    of the line's height only: a comma or period the detector boxed alone ("71 1 51": a Courier
    comma read as "1" on ZUGFeRD's leasing sample, seed 709)? A digit of the number would be as tall
    as its neighbours."""
    if len(b.text) != 1 or b.text not in _MARK_READS or not (a.line == b.line == c.line):
        return False
    if not (a.text.lstrip(SIGNS)[-1:].isdigit() or a.text[-1:] in _MARKS) or not c.text[:1].isdigit():
        return False
    h = min(a.y1 - a.y0, c.y1 - c.y0)
    touching = b.x0 - a.x1 <= 0.2 * h and c.x0 - b.x1 <= 0.2 * h
    low = b.y0 >= min(a.y0, c.y0) + 0.4 * h and b.y1 - b.y0 <= 0.6 * h
    return touching and low


def _touch(a: Word, b: Word) -> bool:
    """`b` starts where `a` ends, within a fifth of the lower height (or overlaps it a little)."""
    return -0.2 * min(a.height, b.height) <= b.x0 - a.x1 <= 0.2 * min(a.height, b.height)


def _lost_mark(words: list[Word], k: int) -> bool:
    """Are `words[k]` (one to three digits, maybe after a sign) and `words[k + 1]` (two digits),
    boxes of their own that touch, an amount whose decimal mark was lost ("5" "39" for "5,39":
    QualityHosting's line total on seed 1759, read as 39)? Two numbers are never set that close;
    a run of more touching pieces is left to `_low_mark` ("71" "1" "51")."""
    a, b = words[k], words[k + 1]
    if a.line != b.line or a.block == b.block or len(b.text) != 2 or not b.text.isdigit():
        return False
    digits = a.text.lstrip(SIGNS)
    if not (1 <= len(digits) <= 3 and digits.isdigit()) or not _touch(a, b):
        return False
    return not (k > 0 and _touch(words[k - 1], a)) and not (k + 2 < len(words) and _touch(b, words[k + 2]))


def _join_lost_marks(seg: Segment, mark: str, read_as: dict[tuple[int, BBox], str]) -> Segment:
    words = list(seg.words)
    k = 0
    while k + 1 < len(words):
        if _lost_mark(words, k):
            a, b = words[k], words[k + 1]
            joined = _spanning(a, b, a.text + mark + b.text)
            read_as[(joined.page, joined.bbox)] = f"{a.text} {b.text}"
            words[k : k + 2] = [joined]
        k += 1
    return seg if len(words) == len(seg.words) else Segment(words)


def _decimal_of(line: Line) -> str | None:
    """The decimal mark the line's other amounts print, when they agree on one."""
    marks = {m.group(1) for w in line.words for m in [_DECIMAL_IN.search(w.text)] if m}
    return marks.pop() if len(marks) == 1 else None


def _spanning(a: Word, b: Word, text: str) -> Word:
    """One word of `text` from `a` to `b` (a's block and line), as sure as the less sure of them."""
    return Word(text, a.x0, min(a.y0, b.y0), b.x1, max(a.y1, b.y1), a.page, min(a.confidence, b.confidence),
                a.block, a.line)


def _join_low_marks(seg: Segment, mark: str, read_as: dict[tuple[int, BBox], str]) -> Segment:
    words = list(seg.words)
    i = 1
    while i + 1 < len(words):
        a, b, c = words[i - 1], words[i], words[i + 1]
        if _low_mark(a, b, c):
            joined = _spanning(a, c, a.text + ("" if a.text[-1] in _MARKS else mark) + c.text)
            read_as[(joined.page, joined.bbox)] = f"{a.text} {b.text} {c.text}"
            words[i - 1 : i + 2] = [joined]
            continue
        i += 1
    return seg if len(words) == len(seg.words) else Segment(words)


def join_number_parts(line: Line, read_as: dict[tuple[int, BBox], str]) -> Line:
    """`line` with the pieces of each OCR-spaced number joined into one word ("4, 462 . 57" ->
    "4,462.57"), so the number lands in one cell and parses, and those of an identifier cut at its
    underscore ("BLR _WFLD20151000982590"); `read_as` gets, by (page, box) of each
    joined word, what OCR read, for the evidence's raw text. Only for OCR'd pages (a text layer
    never spaces a number so); the same line when nothing joins. A mark boxed and read apart
    (`_low_mark`), or lost between two touching boxes (`_lost_mark`), joins too where the line's
    other amounts say which mark it is."""
    low = any(_low_mark(*t) for t in zip(line.words, line.words[1:], line.words[2:], strict=False))
    if low or any(_lost_mark(line.words, k) for k in range(len(line.words) - 1)):
        mark = _decimal_of(line)
        if mark is not None:
            segments = [_join_lost_marks(_join_low_marks(seg, mark, read_as) if low else seg, mark, read_as)
                        for seg in line.segments]
            line = Line(words=[w for seg in segments for w in seg.words], segments=segments)
    if not any(_joins(a, b) for a, b in zip(line.words, line.words[1:], strict=False)):
        return line
    segments: list[Segment] = []
    for seg in line.segments:
        out: list[Word] = []
        read: list[str] = []
        for w in seg.words:
            prev = out[-1] if out else None
            if prev is not None and _joins(prev, w):
                out[-1] = _spanning(prev, w, prev.text + w.text)
                read[-1] += " " + w.text
                continue
            out.append(w)
            read.append(w.text)
        for w, raw in zip(out, read, strict=True):
            if raw != w.text:
                read_as[(w.page, w.bbox)] = raw
        segments.append(Segment(out))
    return Line(words=[w for seg in segments for w in seg.words], segments=segments)

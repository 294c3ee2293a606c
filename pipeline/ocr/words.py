"""EasyOCR text boxes -> the pipeline's words, with line and block numbers.

Why: EasyOCR merges neighbouring words into one box ("Rechnung Nr. RE-2022-7464"), but tables and
header extraction reason about words and the gaps between them. A box is split at its spaces; each
word gets the share of the box width its characters take (EasyOCR gives no per-character
positions), then its edges are moved to the nearest blank column of the crop when there is one,
so a word box hugs its ink. Boxes whose vertical extents overlap by more than half form one
visual line and share its `line` number (top to bottom); `block` numbers the EasyOCR boxes in
reading order, like PyMuPDF's blocks group words that were set together.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.layout import median
from pipeline.model import Word
from pipeline.ocr.engine import TextBox
from pipeline.ocr_repair import STRAY_MARKS


def group_lines(boxes: list[TextBox]) -> list[list[TextBox]]:
    """Boxes grouped into visual lines, top to bottom, each left to right."""
    lines: list[list[TextBox]] = []
    for box in sorted(boxes, key=lambda b: ((b.y0 + b.y1) / 2, b.x0)):
        for line in reversed(lines[-3:]):
            top = min(b.y0 for b in line)
            bottom = max(b.y1 for b in line)
            overlap = min(bottom, box.y1) - max(top, box.y0)
            if overlap > 0.5 * min(box.y1 - box.y0, bottom - top):
                line.append(box)
                break
        else:
            lines.append([box])
    for line in lines:
        line.sort(key=lambda b: b.x0)
    lines.sort(key=lambda ln: sum((b.y0 + b.y1) / 2 for b in ln) / len(ln))
    return lines


# A table's vertical rule read as a character at a word's edge ("|LE FOURNISSEUR", "60,00|") or
# alone: 99 of 6,608 words of the scanned real invoices had one, none printed. It is dropped, so a
# label or an amount reads as printed.
_RULE = "|"
# The same rule (or a closing bracket and the space after it) read between a code's digits and the
# capitals word after it ("GLN.5987854125|PRESTATION": horstoeko's first item read by our
# five-language recogniser on seed 2129, its description lost to the code): two words; so too
# before a capital and a small letter ("GLN.5987854125|Période": seed 3373), and after a closing
# bracket before any word ("P.U.HT (EUR)|for P.U.": horstoeko's price head glued to the unit's
# "pour P.U.", the price column lost on 3373). Between digits it may be a "1" (`ocr_repair`),
# between letters an "l", and between a digit and small letters a "1" too ("12|a"); none is cut.
_RULE_BEFORE_CAPITALS = re.compile(r"(?<=\d)\|(?=[A-ZÀ-Þ][A-Za-zÀ-ÿ])|(?<=[)\]])\|(?=[A-Za-zÀ-ÿ]{2})")
# A speck in front of a number read as a quote mark ('"49,99', '„15/01/2020', '‘5.00'): 10 of 5,906
# words of the scanned real invoices (seed 71) began so, none of the 6,827 words of their text
# layers. Dropped, so the number parses.
_SPECK_BEFORE_DIGIT = re.compile(rf"^[{re.escape(STRAY_MARKS)}]+(?=\d)")
# "N°" as the English recogniser, which has no degree sign, reads it: N" N' N’ N? and, with a rule or
# bracket in front, IN" (N" [N'. Alone as a word these are nothing else.
_DEGREE_SIGN = re.compile(r"^[I(\[]?N[\"'’‘”?]$")


def split_box(box: TextBox, ink: np.ndarray | None = None) -> list[tuple[str, float, float]]:
    """(word, x0, x1) for each space-separated word of the box, in image pixels, table rules
    ("|") at the words' edges and quote-mark specks in front of a number left out, a rule between
    digits and a capitals word a space.

    `ink`, when given, is the column ink profile of the box (one value per pixel column from x0);
    word edges then snap to blank columns near their proportional estimate.
    """
    text = _RULE_BEFORE_CAPITALS.sub(" ", box.text.strip())  # one character for one: pos stays right
    if not text:
        return []
    width = box.x1 - box.x0
    per_char = width / max(1, len(text))
    words: list[tuple[str, float, float]] = []
    pos = 0
    for token in text.split(" "):
        inner = token.strip(_RULE)
        speck = _SPECK_BEFORE_DIGIT.match(inner)
        cut = speck.end() if speck else 0
        word = _DEGREE_SIGN.sub("N°", inner[cut:])
        if word:
            lead = len(token) - len(token.lstrip(_RULE)) + cut
            start = box.x0 + (pos + lead) * per_char
            end = start + len(word) * per_char
            words.append((word, start, end))
        pos += len(token) + 1
    if ink is not None and len(words) > 1:
        words = _snap(words, box.x0, per_char, ink)
    return words


def _snap(words: list[tuple[str, float, float]], x0: float, per_char: float, ink: np.ndarray
          ) -> list[tuple[str, float, float]]:
    """Move the boundary between consecutive words to the middle of the nearest blank gap."""
    blank = ink <= max(ink.max() * 0.02, 0)
    reach = max(2, round(per_char * 1.5))
    out = list(words)
    for i in range(len(out) - 1):
        guess = round((out[i][2] + out[i + 1][1]) / 2 - x0)
        lo, hi = max(0, guess - reach), min(len(blank), guess + reach + 1)
        cols = np.nonzero(blank[lo:hi])[0] + lo
        if len(cols) == 0:
            continue
        # The blank run closest to the guess; the word edges go to the run's ends.
        centre = cols[int(np.argmin(np.abs(cols - guess)))]
        left = right = centre
        while left - 1 >= lo and blank[left - 1]:
            left -= 1
        while right + 1 < hi and blank[right + 1]:
            right += 1
        text_a, a0, _ = out[i]
        text_b, _, b1 = out[i + 1]
        if a0 < x0 + left and x0 + right + 1 < b1:
            out[i] = (text_a, a0, x0 + left)
            out[i + 1] = (text_b, x0 + right + 1, b1)
    return out


def column_ink(binary: np.ndarray, box: TextBox) -> np.ndarray | None:
    """Dark pixels per column inside the box's middle band (ignores neighbours' ascenders)."""
    h = box.y1 - box.y0
    y0 = int(max(0, box.y0 + 0.2 * h))
    y1 = int(min(binary.shape[0], box.y1 - 0.2 * h))
    x0, x1 = int(max(0, box.x0)), int(min(binary.shape[1], box.x1))
    if y1 <= y0 or x1 <= x0:
        return None
    return binary[y0:y1, x0:x1].sum(axis=0)


# A text layer's word box spans the font's ascent and descent around the baseline. From the ink:
# the baseline is where the box's dense rows end (descenders and the tails of brackets are sparse),
# the ink's top is the capital or ascender line, and the box runs from `_ASCENT` of that height
# above the baseline to `_DESCENT` below it. Chosen on the 16 real invoices of ../shared/data
# scanned (seeds 43 and 53), against each word's text-layer box with each page's placement fitted
# out: the centres stray 0.013 of a word's height (median; 90th percentile 0.043) where the
# detector's boxes strayed 0.034 (0.084), and the heights are 0.86-1.07 times the text layer's
# (quartiles) where the detector's were 1.13-1.47.
_ASCENT = 1.1
_DESCENT = 0.5
_DENSE_ROW = 0.35  # a row at least this share of the fullest row's ink is in the letters' body
# One or two digits (and a point) stand on the baseline with nothing below it, so their ink ends
# there; rows dense with ink do not tell their body: in a lone "7" (QualityHosting's "7. Mai 2014",
# boxed apart on seeds 1237 and 1249) only the bar is, and the box came out half high and raised,
# a line of its own, and the date lost its day.
_ON_BASELINE = re.compile(r"\d{1,2}[.,]?")
_INK_ROW = 0.02  # a row of the box is ink when it holds this share of its fullest row's ink
_MIN_CONTRAST = 30  # grey levels between the box's ink and paper below which its ink is not trusted
# A box's ink height against its detector box height, within this factor of the page's median
# ratio: short readings ("48", "1,00", "avenue" with no capital) measure their size badly.
_HEIGHT_SPREAD = 1.25


@dataclass(frozen=True, slots=True)
class _Ink:
    baseline: float  # image row under the letters' body
    height: float  # baseline to the top of the ink (capitals, ascenders)


def _ink_of(box: TextBox, grey: np.ndarray) -> _Ink | None:
    """Where the box's text sits: the run of inked rows around the box's middle (a neighbour's
    descenders at the margin are cut off by the blank rows between lines), its baseline and height.
    Ink is told from paper inside the box (Otsu on its own pixels, so light grey print beside black
    counts); None for a box without clear contrast."""
    h, w = grey.shape[:2]
    x0, x1 = max(0, int(box.x0)), min(w, int(np.ceil(box.x1)))
    y0, y1 = max(0, int(box.y0)), min(h, int(np.ceil(box.y1)))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    crop = np.ascontiguousarray(grey[y0:y1, x0:x1])
    _, binary = cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    dark, light = crop[binary == 1], crop[binary == 0]
    if dark.size == 0 or light.size == 0 or float(light.mean()) - float(dark.mean()) < _MIN_CONTRAST:
        return None
    rows = binary.sum(axis=1)
    floor = _INK_ROW * int(rows.max())
    inked = np.flatnonzero(rows > floor)
    a = b = int(inked[np.argmin(np.abs(inked - (y1 - y0) // 2))])
    while a > 0 and rows[a - 1] > floor:
        a -= 1
    while b + 1 < len(rows) and rows[b + 1] > floor:
        b += 1
    run = rows[a : b + 1]
    if _ON_BASELINE.fullmatch(box.text.strip()):
        body_end = b + 1  # a lone "7": its bar is the densest row, its stem too thin to count
    else:
        body_end = a + int(np.flatnonzero(run >= _DENSE_ROW * run.max())[-1]) + 1
    return _Ink(baseline=float(y0 + body_end), height=float(body_end - a))


def fit_to_ink(boxes: list[TextBox], grey: np.ndarray) -> list[TextBox]:
    """The boxes with their vertical extents taken from their ink, placed and sized like a text
    layer's word boxes (`_ASCENT` and `_DESCENT` of the ink's height around its baseline).

    Why: the detector's boxes carry a margin that varies with the box (1.1-1.5 times a text layer's
    box height) and their middles stray with it, so on tightly set lines (6-7 point type, a
    two-row header, a description printed half a line above its amounts) neighbouring lines'
    boxes overlapped by more than half and were read as one line. A box's ink height is kept
    within `_HEIGHT_SPREAD` of what the page's boxes of its detector height have; a box without
    clear contrast keeps its detector box.
    """
    inks = [_ink_of(b, grey) for b in boxes]
    ratios = [k.height / (b.y1 - b.y0) for b, k in zip(boxes, inks, strict=True) if k and b.y1 > b.y0]
    typical = median(ratios)
    out = []
    for box, k in zip(boxes, inks, strict=True):
        if k is None:
            out.append(box)
            continue
        expected = typical * (box.y1 - box.y0)
        height = min(max(k.height, expected / _HEIGHT_SPREAD), expected * _HEIGHT_SPREAD)
        top, bottom = k.baseline - _ASCENT * height, k.baseline + _DESCENT * height
        out.append(dataclasses.replace(box, y0=top, y1=bottom))
    return out


# A box at most this share of the page's median box height, and much wider than high, holds a rule
# or a run of dashes ("--- Food Products ---"): the recogniser, trained on whole lines, reads such a
# stroke alone as "7-", "~-" or "--" at confidence 0.02-0.14 (the scanned AzureInterior).
_FLAT = 0.45
_DASH_ASPECT = 1.8  # a stroke is this much wider than high at least; a full stop is about square
_DASH_WIDTH = 0.3  # a hyphen's advance against the median box height
_DASH_LIKE = frozenset("-~_=\u2013\u2014")
_SURE = 0.5  # a flat box read at this confidence or more keeps its reading (dot leaders, "...")


def dashes(boxes: list[TextBox]) -> list[TextBox]:
    """The boxes with each flat one (a stroke at the height of a dash, not of letters) read as
    hyphens, one per hyphen's width, where the recogniser read it unsurely or as dash-like marks.
    So a section title framed by dashes reads as framed (`pipeline.tables.rows`)."""
    typical = median([b.y1 - b.y0 for b in boxes])
    if not typical:
        return boxes
    out = []
    for b in boxes:
        w, h = b.x1 - b.x0, b.y1 - b.y0
        flat = h <= _FLAT * typical and w >= _DASH_ASPECT * h
        if flat and (b.confidence < _SURE or set(b.text.strip()) <= _DASH_LIKE):
            b = dataclasses.replace(b, text="-" * max(1, round(w / (_DASH_WIDTH * typical))))
        out.append(b)
    return out


def to_words(
    boxes: list[TextBox], page: int, binary: np.ndarray | None = None, grey: np.ndarray | None = None
) -> list[Word]:
    """The page's words in reading order; flat strokes read as dashes (`dashes`); `grey` (the page)
    fits each box to its ink (`fit_to_ink`), `binary` (ink = 1) snaps the words' edges to blank
    columns."""
    boxes = dashes(boxes)
    if grey is not None:
        boxes = fit_to_ink(boxes, grey)
    words: list[Word] = []
    block = 0
    for line_no, line in enumerate(group_lines(boxes)):
        for box in line:
            ink = column_ink(binary, box) if binary is not None else None
            for text, x0, x1 in split_box(box, ink):
                words.append(
                    Word(
                        text=text,
                        x0=round(x0, 1),
                        y0=round(box.y0, 1),
                        x1=round(x1, 1),
                        y1=round(box.y1, 1),
                        page=page,
                        confidence=round(box.confidence, 4),
                        block=block,
                        line=line_no,
                    )
                )
            block += 1
    return words


# A page-shaped image (ISO A4 1.41, US Letter 1.29, a photo of either with some background) is
# taken to be a page whose longer side is A4's 842 points (Letter's 792 is 6 % off).
_PAGE_ASPECT = (1.2, 1.6)
_PAGE_LONG_SIDE = 842.0
# Median word height in points on the 16 real invoices of ../shared/data: their text layers 5.6-13.7
# (median 10.3), their scans' OCR words fitted to the ink 5.9-12.2 (median 9.7). Used only for
# images of no stated resolution that are not page-shaped (a receipt strip).
_WORD_HEIGHT_POINTS = 10.0


def pixels_per_point(dpi: float | None, width: float, height: float, words: list[Word]) -> float:
    """How many pixels of a page image make one point (1/72 inch), the unit of a PDF text layer.

    Why: the layout and extraction rules measure in points (a 12-point indent, a 6-point edge
    tolerance), tuned on text layers. In raw pixels of a 150-300 dpi scan those tolerances were 2-4
    times too tight, so a column heading 22 pixels left of its entries (8 points) was not their
    heading. The image's resolution decides where known (a rendered PDF page, a scanner's tag);
    else a page-shaped image is taken to be A4; else the median word height is taken to be 10 points.
    """
    if dpi:
        return dpi / 72.0
    long, short = max(width, height), min(width, height)
    if short > 0 and _PAGE_ASPECT[0] <= long / short <= _PAGE_ASPECT[1]:
        return long / _PAGE_LONG_SIDE
    height = median([w.height for w in words if w.height > 0])
    return max(height / _WORD_HEIGHT_POINTS, 0.1) if height else 1.0


def scaled(words: list[Word], scale: float) -> list[Word]:
    """The words with their boxes divided by `scale` (pixels per point): boxes in points."""
    return [
        dataclasses.replace(
            w, x0=round(w.x0 / scale, 2), y0=round(w.y0 / scale, 2), x1=round(w.x1 / scale, 2),
            y1=round(w.y1 / scale, 2),
        )
        for w in words
    ]

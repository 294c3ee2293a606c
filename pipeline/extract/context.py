"""What header extraction works on: the document's lines and segments, a few document-wide
decisions (language, currency, date order, decimal mark), and the label -> value search.

A value is looked for in three places around its label, in this order of trust:
the rest of the label's own segment ("Invoice No: 123"), the next segments to the right on the
same line ("Invoice No | 123"), and the segment just below that overlaps the label horizontally
(header rows such as "Invoice Date | Due Date" over "03/20/2023 | 04/04/2023").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pipeline.extract.labels import GLUED_LITTLE_WORD, SEPARATORS, Label, best_label, is_any_label
from pipeline.layout import Line, Segment, join_number_parts, lines_by_centre
from pipeline.model import BBox, Evidence, LoadedDocument, Word
from pipeline.normalize.currency import detect_currency
from pipeline.normalize.dates import numeric_order_votes
from pipeline.normalize.language import detect_language

# A parser reads a value at the start of a text: (value, start, end) or None.
Parser = Callable[[str], tuple[Any, int, int] | None]

# What OCR makes of a colon after a label ("Factuurnr;", "Bestell-Nr ,") and the specks it reads as
# quote marks before a value ('"2556063'): also separators, on OCR'd pages only.
_OCR_SEPARATORS = re.compile(r"^[\s:;,#.\-–=|\"'`‘’“”]*")


@dataclass(slots=True)
class Candidate:
    value: Any
    score: float
    words: list[Word]
    raw: str
    label: str = ""
    y: float = 0.0
    page: int = 0

    def evidence(self, confidence: float | None = None) -> Evidence:
        conf = self.score if confidence is None else confidence
        return Evidence.from_words(self.value, self.words, round(min(conf, 0.99), 4), raw=self.raw)


@dataclass(slots=True)
class DocContext:
    doc: LoadedDocument
    lines: list[list[Line]]  # per page
    text: str
    language: str | None
    language_confidence: float
    currency: str | None
    currency_confidence: float
    date_order: str
    decimal_hint: str | None
    regions: list[tuple[int, BBox]] = field(default_factory=list)
    # OCR'd pages: what OCR read for each number whose spaced pieces were joined into one word, by
    # (page, box) of the joined word (`layout.join_number_parts`), for the evidence's raw text.
    read_as: dict[tuple[int, BBox], str] = field(default_factory=dict)

    def in_table(self, page: int, box: BBox) -> bool:
        """True when the box lies inside a line-item table found by the tables stage."""
        x0, y0, x1, y1 = box
        yc = (y0 + y1) / 2
        for p, (rx0, ry0, rx1, ry1) in self.regions:
            if p == page and ry0 - 1 <= yc <= ry1 + 1 and x1 >= rx0 and x0 <= rx1:
                return True
        return False

    def was_joined(self, words: list[Word]) -> bool:
        """Is one of `words` a number joined from pieces OCR spaced apart?"""
        return bool(self.read_as) and any((w.page, w.bbox) in self.read_as for w in words)

    def as_read(self, words: list[Word], raw: str) -> str:
        """`raw` (text of `words`) with each joined number put back as OCR read it ("10, 523.60")."""
        for w in words:
            read = self.read_as.get((w.page, w.bbox))
            if read is not None:
                raw = raw.replace(w.text, read, 1)
        return raw

    def page_height(self, page: int) -> float:
        return self.doc.pages[page].height or 1.0

    def page_width(self, page: int) -> float:
        return self.doc.pages[page].width or 1.0


# OCR confidence under which a word is no evidence of the currency: garbled prose read at 0.01-0.02
# holds signs ("€" in Flipkart's returns policy on seed 2539 voted EUR against its "Rs").
_UNSURE_SIGN = 0.1


def _sure_text(lines: list[list[Line]]) -> str:
    """The lines' text without the words OCR read under `_UNSURE_SIGN`."""
    return "\n".join(" ".join(w.text for w in ln.words if w.confidence >= _UNSURE_SIGN)
                     for page in lines for ln in page)


def build_context(doc: LoadedDocument, items: Any) -> DocContext:
    """Lines of every page and the document-wide decisions every field parser shares."""
    read_as: dict[tuple[int, BBox], str] = {}
    lines = [
        [join_number_parts(ln, read_as) for ln in lines_by_centre(p)]
        if p.text_source == "ocr"
        else lines_by_centre(p)
        for p in doc.pages
    ]
    text = "\n".join(ln.text for page in lines for ln in page)
    language, lang_conf = detect_language(text)
    ocr = any(p.text_source == "ocr" for p in doc.pages)
    currency, cur_conf = detect_currency(_sure_text(lines) if ocr else text, ocr=ocr)
    dmy, mdy = numeric_order_votes(text)
    if dmy != mdy:
        order = "DMY" if dmy > mdy else "MDY"
    else:
        order = "MDY" if (currency == "USD" and language in (None, "en")) else "DMY"
    decimal_hint = _decimal_mark(text)
    regions = list(getattr(items, "regions", []) or [])
    return DocContext(
        doc, lines, text, language, lang_conf, currency, cur_conf, order, decimal_hint, regions, read_as
    )


# Two digits after a point, in a number that is no date's pieces ("01.05.14", "12.05.2014"): a
# German invoice prints more dates than amounts (QualityHosting's service periods on every row), and
# their points made "." the page's decimal mark, so "34,7" read for "34,73" was no amount at all.
_DOT_DECIMALS = re.compile(r"(?<![\d.])\d+\.\d{2}(?![\d.])")


def _decimal_mark(text: str) -> str | None:
    """ "," or "." as the decimal mark most amounts on the page use (two digits after the mark)."""
    commas = len(re.findall(r"\d,\d{2}(?!\d)", text))
    dots = len(_DOT_DECIMALS.findall(text))
    if commas == dots:
        return None
    return "," if commas > dots else "."


def span_words(segment: Segment | Line, start: int, end: int) -> list[Word]:
    """The words of `segment` that overlap characters start..end of its text (words joined by one space)."""
    return words_span(segment.words, start, end)


def evidence_words(ctx: DocContext, e: Evidence) -> list[Word]:
    """The words an evidence's box covers: the words it was made from (`Evidence.from_words`)."""
    if e.bbox is None or e.page is None:
        return []
    x0, y0, x1, y1 = e.bbox
    return [
        w
        for w in ctx.doc.pages[e.page].words
        if w.x0 >= x0 - 0.5 and w.x1 <= x1 + 0.5 and w.y0 >= y0 - 0.5 and w.y1 <= y1 + 0.5
    ]


def words_span(words: list[Word], start: int, end: int) -> list[Word]:
    """The words that overlap characters start..end of `" ".join(w.text for w in words)`.

    The one place that maps a regex match on joined text back to the words (their boxes are the
    evidence): every extractor matches on text, then needs the words it came from.
    """
    out, pos = [], 0
    for w in words:
        w_end = pos + len(w.text)
        if pos < end and start < w_end:
            out.append(w)
        pos = w_end + 1
    return out


def strip_separators(text: str, ocr: bool = False) -> int:
    """How many leading characters of `text` are separators between a label and its value; on an
    OCR'd page (`ocr`) also the marks OCR reads for a colon and stray quote marks, and a little word
    glued to the number (`GLUED_LITTLE_WORD`: "le05")."""
    m = SEPARATORS.match(text)
    n = m.end() if m else 0
    if ocr:
        glued = GLUED_LITTLE_WORD.match(text)
        n = max(n, _OCR_SEPARATORS.match(text).end(), glued.end() if glued else 0)  # type: ignore[union-attr]
    return n


def labelled_candidates(
    ctx: DocContext,
    labels: list[Label],
    parser: Parser,
    *,
    below: bool = True,
    right: bool = True,
    negative: re.Pattern[str] | None = None,
    pages: list[int] | None = None,
    max_right: int = 3,
    spaced: bool = False,
) -> list[Candidate]:
    """Every value `parser` reads next to one of `labels`, scored by label strength and position.

    `spaced`: the value never holds an underscore (a date), so on an OCR'd page a label's segment
    is read with its underscores as the spaces OCR took them for ("Date_limite de_paiement_le_05
    Juillet_2015": free_fiber read by latin5 on seeds 2311 and 2357), the same length, so offsets
    still name the words; `parser` must read them so too (`common.date_parser`)."""
    out: list[Candidate] = []
    for page_index, page_lines in enumerate(ctx.lines):
        if pages is not None and page_index not in pages:
            continue
        spaces = spaced and ctx.doc.pages[page_index].text_source == "ocr"
        for li, line in enumerate(page_lines):
            for si, seg in enumerate(line.segments):
                text = seg.text.replace("_", " ") if spaces else seg.text
                found = best_label(text, labels)
                if not found:
                    continue
                match, strength = found
                if negative is not None and negative.search(text[: match.end() + 12]):
                    strength *= 0.3
                if match.start() > 3:
                    strength *= 0.85
                if ctx.in_table(page_index, seg.bbox):
                    strength *= 0.5
                label_text = seg.text[match.start() : match.end()]
                ocr = ctx.doc.pages[page_index].text_source == "ocr"
                rest_start = match.end() + strip_separators(text[match.end() :], ocr)
                rest = text[rest_start:]
                got = parser(rest) if rest.strip() else None
                if got is None and ocr:
                    got = _parse_after_speck_word(parser, seg, rest_start)
                if got is not None:
                    value, s, e = got
                    words = span_words(seg, rest_start + s, rest_start + e)
                    out.append(Candidate(value, strength, words, rest[s:e], label_text, line.yc, page_index))
                    continue
                if rest.strip() and len(rest.strip()) > 3:
                    strength *= 0.8  # words follow the label in its own cell but are not the value
                if right:
                    for other in line.segments[si + 1 : si + 1 + max_right]:
                        if is_any_label(other.text):
                            break
                        got = _parse_after_specks(parser, other.text, ocr)
                        if got is not None:
                            value, s, e = got
                            words = span_words(other, s, e)
                            gap = (other.x0 - seg.x1) / ctx.page_width(page_index)
                            score = strength * (0.95 - min(0.15, gap * 0.3))
                            out.append(
                                Candidate(
                                    value, score, words, other.text[s:e], label_text, line.yc, page_index
                                )
                            )
                            break
                if below:
                    # A header cell merged with its neighbours ("Due date Customer no" as one segment):
                    # only the label's own words say which value below is its.
                    x_range = None
                    if match.start() > 3:
                        lw = span_words(seg, match.start(), match.end())
                        x_range = (lw[0].x0, lw[-1].x1) if lw else None
                    out.extend(
                        _below(ctx, page_lines, li, seg, parser, strength, label_text, page_index, x_range)
                    )
    return out


def _parse_after_specks(parser: Parser, text: str, ocr: bool) -> tuple[Any, int, int] | None:
    """`parser` on `text`; on an OCR'd page, when that fails, on `text` less the quote marks OCR reads
    from specks in front of a value ('"2556063'), with offsets into `text`."""
    got = parser(text)
    if got is not None or not ocr:
        return got
    k = len(text) - len(text.lstrip("\"'`‘’“”"))
    got = parser(text[k:]) if 0 < k < len(text) else None
    return (got[0], got[1] + k, got[2] + k) if got is not None else None


# A one-character word read under this confidence is a speck ("2" at 0.11, "ª" at 0.10 between
# "N° BON DE COMMANDE" and F20180027's order number on seed 2423; the colon there read "3" at 0.24
# and "%" at 0.21 by latin5 on seeds 2957 and 2963). Only where the value cannot be read with it.
_SPECK_WORD = 0.3


def _parse_after_speck_word(parser: Parser, seg: Segment, start: int) -> tuple[Any, int, int] | None:
    """`parser` on the segment's text from `start` past a first word that is a speck (one character
    read under `_SPECK_WORD`), with offsets from `start`; None where there is no such word."""
    first = span_words(seg, start, start + 1)
    rest = seg.text[start:]
    if len(first) != 1 or len(first[0].text) != 1 or first[0].confidence >= _SPECK_WORD:
        return None
    k = len(rest) - len(rest[1:].lstrip())  # past the speck (the text's first character) and spaces
    got = parser(rest[k:]) if k < len(rest) else None
    return (got[0], got[1] + k, got[2] + k) if got is not None else None


def _below(
    ctx: DocContext,
    page_lines: list[Line],
    li: int,
    seg: Segment,
    parser: Parser,
    strength: float,
    label_text: str,
    page_index: int,
    x_range: tuple[float, float] | None = None,
) -> list[Candidate]:
    line = page_lines[li]
    limit = line.yc + 3.2 * max(line.height, 6.0)
    x0, x1 = x_range if x_range is not None else (seg.x0, seg.x1)
    for below_line in page_lines[li + 1 : li + 8]:
        if below_line.yc > limit:
            break
        for other in below_line.segments:
            overlap = min(other.x1, x1) - max(other.x0, x0)
            if overlap <= 0 and abs(other.x0 - x0) > 8 and abs(other.x1 - x1) > 8:
                continue
            if is_any_label(other.text):
                return []
            got = parser(other.text)
            if got is not None:
                value, s, e = got
                words = span_words(other, s, e)
                return [
                    Candidate(
                        value, strength * 0.85, words, other.text[s:e], label_text, below_line.yc, page_index
                    )
                ]
            return []
    return []


def best(cands: list[Candidate]) -> Candidate | None:
    """The highest-scoring candidate (earliest in reading order on ties)."""
    if not cands:
        return None
    return max(cands, key=lambda c: (round(c.score, 6), -c.page, -c.y))

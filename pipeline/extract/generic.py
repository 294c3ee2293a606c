"""Generic extraction: what any document yields when its type has no schema of its own.

A receipt, a delivery note or a letter still has a title, a date, "label: value" pairs and
tables; finding those by geometry (not by per-type rules) makes every document type useful from
day one, and gives a type-specific extractor a starting point. The result is an evidence tree
shaped like `pipeline.schemas.generic.GenericContent`.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.layout import Line, Segment, lines_of
from pipeline.model import BBox, Evidence, LoadedDocument, Page, Word
from pipeline.normalize.dates import find_dates, numeric_order_votes
from pipeline.schemas.invoice import LINE_ITEM_KEYS

# Labels that announce the document's own date (EN, DE, FR, ES, NL), folded to lower case.
_DATE_KEY = re.compile(
    r"(?i)\b(?:date|dated|issued?|datum|rechnungsdatum|belegdatum|ausstellungsdatum|fecha|le|du|"
    r"factuurdatum|invoice date|order date|delivery date|lieferdatum|date de|fecha de)\b"
)
_MAX_KEY_CHARS = 40
_MAX_KEY_WORDS = 5


def _inside(box: BBox, region: BBox, slack: float = 2.0) -> bool:
    return (
        box[0] >= region[0] - slack
        and box[2] <= region[2] + slack
        and box[1] >= region[1] - slack
        and box[3] <= region[3] + slack
    )


def _in_tables(line: Line, regions: list[tuple[int, BBox]]) -> bool:
    box = (line.x0, line.y0, line.x1, line.y1)
    return any(page == line.page and _inside(box, region) for page, region in regions)


def _is_key(words: list[Word]) -> bool:
    """A plausible label: a few words, starts with a letter, not a sentence."""
    text = " ".join(w.text for w in words).strip(" :")
    return (
        0 < len(text) <= _MAX_KEY_CHARS
        and len(words) <= _MAX_KEY_WORDS
        and text[0].isalpha()
        and not text.endswith((".", ","))
    )


def _pair(key: list[Word], value: list[Word], confidence: float) -> dict[str, Evidence]:
    key_text = " ".join(w.text for w in key).strip().rstrip(":").strip()
    value_text = " ".join(w.text for w in value).strip()
    return {
        "key": Evidence.from_words(key_text, key, confidence),
        "value": Evidence.from_words(value_text, value, confidence),
    }


def _colon_split(seg: Segment) -> tuple[list[Word], list[Word]] | None:
    """`Label: value` inside one segment: split after the first word that ends with a colon."""
    for i, word in enumerate(seg.words[:-1]):
        if word.text == ":" and i > 0:
            return seg.words[:i], seg.words[i + 1 :]
        if word.text.endswith(":") and len(word.text) > 1:
            return seg.words[: i + 1], seg.words[i + 1 :]
    return None


def key_values(lines: list[Line], regions: list[tuple[int, BBox]]) -> list[dict[str, Evidence]]:
    """Label/value pairs found by geometry, top to bottom.

    Three shapes: `Label: value` within a segment; a segment ending with a colon followed by a
    value segment on its right; a line of exactly two segments, a short label then a value that
    holds a digit (the label/value columns of a meta block).
    """
    pairs: list[dict[str, Evidence]] = []
    for line in lines:
        if _in_tables(line, regions):
            continue
        segs = line.segments
        used: set[int] = set()
        for i, seg in enumerate(segs):
            if i in used:
                continue
            split = _colon_split(seg)
            if split and _is_key(split[0]) and split[1]:
                pairs.append(_pair(split[0], split[1], 0.7))
                used.add(i)
            elif seg.text.endswith(":") and _is_key(seg.words) and i + 1 < len(segs):
                pairs.append(_pair(seg.words, segs[i + 1].words, 0.65))
                used.update((i, i + 1))
        if not used and len(segs) == 2:
            label, value = segs
            if (
                _is_key(label.words)
                and not any(c.isdigit() for c in label.text)
                and any(c.isdigit() for c in value.text)
            ):
                pairs.append(_pair(label.words, value.words, 0.5))
    return pairs


def title(page: Page, lines: list[Line]) -> Evidence | None:
    """The line in the largest type in the top 40% of the first page (the topmost on a tie)."""
    best: tuple[float, float, Line] | None = None
    for line in lines:
        if line.y0 > page.height * 0.4 or not any(c.isalpha() for c in line.text):
            continue
        heights = sorted(w.height for w in line.words)
        size = heights[len(heights) // 2]
        if best is None or size > best[0] + 0.5:
            best = (size, line.y0, line)
    if best is None:
        return None
    line = best[2]
    words = max(line.segments, key=lambda s: max(w.height for w in s.words)).words
    return Evidence.from_words(" ".join(w.text for w in words), words, 0.6)


def _date_in(words: list[Word], order: str) -> Evidence | None:
    text = " ".join(w.text for w in words)
    found = find_dates(text, order)
    if not found:
        return None
    match = found[0]
    # the words the matched characters came from
    spans, pos = [], 0
    for w in words:
        start, end = pos, pos + len(w.text)
        if start < match.end and match.start < end:
            spans.append(w)
        pos = end + 1
    return Evidence.from_words(
        match.value, spans or words, 0.5 if match.ambiguous else 0.8, raw=text[match.start : match.end]
    )


def document_date(
    pairs: list[dict[str, Evidence]], lines: list[Line], page_height: float, order: str
) -> Evidence | None:
    """The first date under a date label; else the first date in the top half of page 1."""
    for pair in pairs:
        key = pair["key"]
        if key.raw and _DATE_KEY.search(key.value or ""):
            value = pair["value"]
            found = find_dates(value.raw or "", order)
            if found:
                ev = Evidence(
                    found[0].value, raw=value.raw, confidence=0.85, page=value.page, bbox=value.bbox
                )
                return ev
    for line in lines:
        if line.page != 0 or line.y0 > page_height / 2:
            continue
        ev = _date_in(line.words, order)
        if ev is not None:
            return ev
    return None


def tables(items: Any) -> list[Evidence]:
    """Line-item rows as string cells, one Evidence per table region; the first row names the columns."""
    rows: list[dict[str, Evidence]] = list(getattr(items, "rows", None) or [])
    if not rows:
        return []
    regions: list[tuple[int, BBox]] = list(getattr(items, "regions", None) or [])
    groups: list[list[dict[str, Evidence]]] = [[] for _ in regions] or [[]]
    for row in rows:
        ev = next((e for e in row.values() if isinstance(e, Evidence) and e.bbox is not None), None)
        index = 0
        if ev is not None and regions:
            index = next(
                (
                    k
                    for k, (page, box) in enumerate(regions)
                    if page == ev.page and _inside(ev.bbox, box, slack=4.0)
                ),
                0,
            )
        groups[index].append(row)
    out = []
    for group in groups:
        if not group:
            continue
        cols = [c for c in LINE_ITEM_KEYS if any(c in r and r[c] is not None for r in group)]
        cols += sorted({c for r in group for c in r} - set(cols))
        cells = [cols]
        boxes: list[tuple[int | None, BBox]] = []
        for row in group:
            line = []
            for c in cols:
                ev = row.get(c)
                if isinstance(ev, Evidence) and ev.value is not None:
                    line.append(ev.raw if ev.raw is not None else str(ev.value))
                    if ev.bbox is not None:
                        boxes.append((ev.page, ev.bbox))
                else:
                    line.append("")
            cells.append(line)
        page = boxes[0][0] if boxes else None
        same = [b for p, b in boxes if p == page]
        bbox = (
            (
                min(b[0] for b in same),
                min(b[1] for b in same),
                max(b[2] for b in same),
                max(b[3] for b in same),
            )
            if same
            else None
        )
        confidence = float(getattr(items, "confidence", 0.5) or 0.5)
        out.append(Evidence(cells, raw=None, confidence=confidence, page=page, bbox=bbox))
    return out


def extract_generic(doc: LoadedDocument, items: Any, document_type: str) -> dict[str, Any]:
    """The evidence tree of `GenericContent` for any document."""
    all_lines = [line for page in doc.pages for line in lines_of(page)]
    regions = list(getattr(items, "regions", None) or [])
    pairs = key_values(all_lines, regions)
    first = doc.pages[0] if doc.pages else None
    first_lines = [ln for ln in all_lines if ln.page == 0]
    dmy, mdy = numeric_order_votes(" ".join(ln.text for ln in all_lines))
    order = "MDY" if mdy > dmy else "DMY"
    heading = title(first, first_lines) if first is not None else None
    if heading is not None:
        kind = Evidence(document_type, raw=heading.raw, confidence=0.6, page=heading.page, bbox=heading.bbox)
    else:
        kind = Evidence(document_type, confidence=0.4)
    return {
        "document_type": kind,
        "title": heading,
        "date": document_date(pairs, all_lines, first.height if first else 0.0, order),
        "key_values": pairs,
        "tables": tables(items),
    }

"""Find a table's header band and turn it into columns.

A header is the visual line with the most column labels (it must name a description-like column and
a numeric one), plus the lines stacked tightly above and below it (headers that wrap: "Unit Price" /
"Excl. VAT", "TOTAL HT" / "(EUR)"). Words of the band are grouped into cells: label phrases found on
one line, qualifiers glued to their label, other words grouped by proximity. Cells that overlap
horizontally across the band's lines are one column; its field is the strongest label in it.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass, field

from pipeline.layout import Line, median
from pipeline.model import Word
from pipeline.tables.labels import (
    LabelMatch,
    column_breaks,
    is_qualifier,
    match_labels,
    match_words,
    norm_token,
    qualifier_token,
)

_DIGIT = re.compile(r"\d")
_DATE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}")
_DESC_FIELDS = ("description", "item")
_NUM_FIELDS = ("quantity", "unit_price", "total")
# Words after which "VAT"/"MwSt"/"BTW" qualifies the label instead of naming a tax column.
_GLUE = frozenset({"excl", "incl", "inkl", "exkl", "zzgl", "ohne", "hors", "sans", "sin", "ex", "exc", "inc",
                   "plus", "mit", "con", "avec", "including", "excluding", "exclusief", "inclusief", "net",
                   "netto", "o", "m", "&", "+"})
# Prepositions that qualify the label after them ("UNITÉ / pour P.U.", "Preis / per Stück"): printed
# tight against the cell before them (OCR's boxes carry a margin), they were glued to it instead.
_LEADS = frozenset({"for", "pour", "par", "per", "pro", "por"})
# Words that join two words of one head ("Nom & Désignation", "Art.-Nr. und Bezeichnung").
_JOINS = frozenset({"&", "+", "and", "et", "und", "y", "en"})


@dataclass(slots=True)
class Column:
    """One column: its field (or "other"), the header words, and its x extent in the header."""

    field: str
    strength: float
    x0: float
    x1: float
    words: list[Word] = field(default_factory=list)
    # Set from the data below the header: the band the column's values occupy.
    left: float = 0.0
    right: float = 0.0

    @property
    def label(self) -> str:
        return " ".join(w.text for w in sorted(self.words, key=lambda w: (round(w.y0), w.x0)))


@dataclass(slots=True)
class Header:
    lines: list[Line]
    columns: list[Column]
    score: float

    @property
    def y0(self) -> float:
        return min(ln.y0 for ln in self.lines)

    @property
    def y1(self) -> float:
        return max(ln.y1 for ln in self.lines)

    @property
    def x0(self) -> float:
        return min(ln.x0 for ln in self.lines)

    @property
    def x1(self) -> float:
        return max(ln.x1 for ln in self.lines)


@dataclass(slots=True)
class _Cell:
    field: str
    strength: float
    words: list[Word]

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)


# Two column heads OCR read as one word, a short head in capitals glued to a capitalised one
# ("BIWHoeveelheid": saeco's "BTW" and "Hoeveelheid", read so by our five-language recogniser on
# seeds 2017 and 2039; the quantity column was lost), or joined by the space read as an underscore
# ("BTW_Hoeveelheid", seed 2111: there both heads must be labels, of two fields).
_GLUED_HEADS = re.compile(r"^([A-ZÀ-Þ]{2,4})([A-ZÀ-Þ][a-zà-ÿ]{4,})$")
_UNDERSCORED_HEADS = re.compile(r"^([^\W\d_]{2,})_([^\W\d_]{3,})$")
# ... or two capitalised heads run together ("MengeBeschreibung": QualityHosting read by latin5 on
# seed 2677; its quantities were lost), a speck between them read as marks or a digit too
# ("Rate0%Amount": Sammy read by latin5 on seed 3803, its table lost), where both are labels, of two
# fields.
_CAMEL_HEADS = re.compile(r"^([A-ZÀ-Þ][a-zà-ÿ]{2,})[\W\d_]{0,3}([A-ZÀ-Þ][a-zà-ÿ]{4,})$")


def _unglued(words: list[Word]) -> list[Word]:
    """`words` with each word of two heads (`_GLUED_HEADS`, `_UNDERSCORED_HEADS`, `_CAMEL_HEADS`)
    whose second head is a label cut in two, the box shared by their letters; and a label word
    whose qualifiers OCR joined to it by underscores, its spaces, cut at them (`_with_qualifiers`)."""
    out: list[Word] = []
    for w in words:
        m = _GLUED_HEADS.match(w.text) or _UNDERSCORED_HEADS.match(w.text)
        if m is None or not _two_heads(m):
            m = _CAMEL_HEADS.match(w.text)
            m = m if m is not None and _two_heads(m, both=True) else None
        if m is None:
            out += _with_qualifiers(w)
            continue
        cut = w.x0 + (w.x1 - w.x0) * (m.end(1) + m.start(2)) / 2 / len(w.text)
        out += [dataclasses.replace(w, text=m.group(1), x1=cut),
                dataclasses.replace(w, text=m.group(2), x0=cut)]
    return out


def _with_qualifiers(word: Word) -> list[Word]:
    """"Amount_Excl." as "Amount", "Excl.", the box shared by their characters, where the parts open
    with a label (a word or a phrase) and each part after it is a qualifier (`is_qualifier`): so
    "Line" before it makes the phrase "Line Amount" (103767's "Line Amount Excl. VAT" read "Line
    Amount_Excl. VAT" by latin5 on seed 2213; "Line" alone was taken for a position column, and the
    row was lost), and "VAT" after "Line_Amount_Excl." qualifies it (seed 2239: a tax column of its
    own had taken the amount). A space after the word read as an underscore too ("Amount_Excl._ VAT":
    seed 2417) is dropped with it. Else the word as it is."""
    parts = word.text.rstrip("_").split("_")
    if len(parts) < 2 or not all(parts):
        return [word]
    head = match_labels(parts, ocr=True)[0]  # the label the parts open with, one word or a phrase
    if head is None or not all(is_qualifier(p, ocr=True) for p in parts[head.end :]):
        return [word]
    per_char = (word.x1 - word.x0) / len(word.text)
    out, start = [], 0
    for part in parts:
        x0 = word.x0 + start * per_char
        out.append(dataclasses.replace(word, text=part, x0=x0, x1=x0 + len(part) * per_char))
        start += len(part) + 1
    return out


def _two_heads(m: re.Match[str], both: bool = False) -> bool:
    """Are `m`'s two parts of a word two heads: the second a label, and where an underscore joins
    them (or `both`) the first a label of another field?"""
    second = _label_of(m.group(2))
    if second is None or (m.end(1) == m.start(2) and not both):
        return second is not None
    first = _label_of(m.group(1))
    return first is not None and first != second


def _label_of(text: str) -> str | None:
    """The field `text` labels as a head of its own on an OCR'd page, if any."""
    found = match_labels([text], ocr=True)[0]
    return found.field if found is not None else None


def _without_doubles(words: list[Word]) -> list[Word]:
    """`words` without a word that repeats the one before it over most of the same box: one printed
    word OCR boxed and read twice ("for for P U" for "pour P.U.": horstoeko on seeds 2549 and 2729,
    whose second "for" made the unit's head reach the unit price's and took it)."""
    out: list[Word] = []
    for w in words:
        prev = out[-1] if out else None
        if prev is not None and prev.text.lower() == w.text.lower():
            overlap = min(prev.x1, w.x1) - max(prev.x0, w.x0)
            if overlap > 0.5 * min(prev.x1 - prev.x0, w.x1 - w.x0):
                continue
        out.append(w)
    return out


def _line_cells(line: Line, ocr: bool = False) -> list[_Cell]:
    """Split one header line into label cells, qualifier words glued to the label before them."""
    words = _unglued(_without_doubles(line.words)) if ocr else line.words
    matches = match_words(words, ocr)
    breaks = column_breaks(words)
    height = max(1.0, min(w.height for w in words))
    cells: list[_Cell] = []
    seen: set[int] = set()
    lead: list[Word] = []  # a preposition that opens the next label's cell
    for i, word in enumerate(words):
        m: LabelMatch | None = matches[i]
        if m is not None:
            if id(m) in seen:
                continue
            seen.add(id(m))
            after_qualifier = i > 0 and qualifier_token(words[i - 1].text, ocr) in _GLUE
            if after_qualifier and cells and m.field == "tax" and word.x0 - cells[-1].x1 < 1.5 * height:
                cells[-1].words.extend(words[m.start : m.end])  # "Prijs incl. BTW": BTW qualifies
                continue
            cells.append(_Cell(m.field, m.strength, lead + list(words[m.start : m.end])))
            lead = []
            continue
        leads = (norm_token(word.text) in _LEADS and i + 1 < len(words)
                 and words[i + 1].x0 - word.x1 < 1.5 * height)
        if leads and matches[i + 1] is not None:
            lead = [word]
            continue
        if leads and cells and not is_qualifier(words[i + 1].text):
            cells.append(_Cell("other", 0.0, [word]))  # "for PjU.": a label misread still opens here
            continue
        if not leads and cells and norm_token(word.text) in _LEADS:
            # nothing after it on the line: its label is below it ("P.U. HT (EUR) for" over "P.U.",
            # one box over two lines: horstoeko on seed 3881, its unit price merged with the unit)
            cells.append(_Cell("other", 0.0, [word]))
            continue
        prev = cells[-1] if cells else None
        near = prev is not None and i not in breaks
        if near and (is_qualifier(word.text, ocr) or prev.field == "other"):
            prev.words.append(word)
        else:
            cells.append(_Cell("other", 0.0, [word]))
    return _merge_fragments(cells, height)


def _merge_fragments(cells: list[_Cell], height: float) -> list[_Cell]:
    """Join tight neighbours that are weak or unlabelled ("# ligne BC") into one cell, and an
    unlabelled cell that ends with an "&" (`_JOINS`) into the label after it: the two are one head
    whose first word OCR misread ("NomM & DESIGNATION": horstoeko on seed 2309, whose descriptions
    then lost their first word to the column before)."""
    out: list[_Cell] = []
    for cell in cells:
        prev = out[-1] if out else None
        if prev is not None and cell.x0 - prev.x1 < 0.6 * height:
            # "pour P.U." (qualifiers only), "NomM & DESIGNATION" (joined to it): the label names it
            joined = cell.field != "other" and norm_token(prev.words[-1].text) in _JOINS
            if prev.field == "other" and (joined or all(is_qualifier(w.text) for w in prev.words)):
                prev.field, prev.strength = cell.field, cell.strength
                prev.words.extend(cell.words)
                continue
            joins_next = norm_token(cell.words[-1].text) in _JOINS  # its words head the next cell's
            if cell.field == "other" and prev.field != "other" and not (_opens_with_lead(cell) or joins_next):
                prev.words.extend(cell.words)  # "DESIGNATION, Période": words run on from a label
                continue
            weak = prev.strength < 0.8 and cell.strength < 0.8
            if weak and (prev.field == cell.field or "other" in (prev.field, cell.field)):
                if prev.field == "other":
                    prev.field, prev.strength = cell.field, cell.strength
                prev.words.extend(cell.words)
                continue
        out.append(cell)
    return out


def _opens_with_lead(cell: _Cell) -> bool:
    """A cell a preposition opens qualifies the label above or below it, never the one before."""
    return norm_token(cell.words[0].text) in _LEADS


def _label_score(line: Line, ocr: bool = False) -> tuple[float, set[str]]:
    fields: dict[str, float] = {}
    for m in match_words(line.words, ocr):
        if m is not None:
            fields[m.field] = max(fields.get(m.field, 0.0), m.strength)
    return sum(fields.values()), set(fields)


def _headerish(line: Line, strict: bool = False, ocr: bool = False) -> bool:
    """Header lines carry no numbers (a header never prints an amount or a date); one digit word
    among four or more is let pass unless `strict`, but never a date ("DATE DE FIN DE PRESTATION :
    31/12/2018" over F20180027's table, which a speck between the lines chained to it: seed 1153).
    On a scan a digit a speck was read as between two glued heads is none (`_unglued`)."""
    words = line.words
    digits = [w.text for w in words if _DIGIT.search(w.text)]
    if digits and ocr:
        words = _unglued(words)
        digits = [w.text for w in words if _DIGIT.search(w.text)]
    if len(digits) == 1 and not strict and len(words) >= 4:
        return not _DATE.search(digits[0])
    return not digits


def find_headers(lines: list[Line], ocr: bool = False) -> list[Header]:
    """Every plausible header on a page, best first; callers usually take the first. `ocr`: the
    page was OCR'd, so a label with a letter misread still counts (`labels.match_labels`)."""
    found: list[Header] = []
    for i, line in enumerate(lines):
        if not _headerish(line, ocr=ocr):
            continue
        _score, fields = _label_score(line, ocr)
        if not fields.intersection(_NUM_FIELDS) or len(fields) < 2:
            continue
        band = _band(lines, i)
        header = build_header(band, ocr)
        fields = {c.field for c in header.columns}
        has_desc = bool(fields.intersection(_DESC_FIELDS)) or "product_code" in fields
        numeric = fields.intersection(_NUM_FIELDS)
        if not has_desc or not numeric:
            continue
        if not any(c.words and c.field in (*_DESC_FIELDS, "product_code") and c.strength > 0
                   for c in header.columns) and len(numeric) < 2:
            # No label names the item, only one amount column ("Rate  Net  VAT"): a VAT breakdown.
            continue
        header.score = sum(c.strength for c in header.columns if c.field != "other") + len(numeric)
        found.append(header)
    found.sort(key=lambda h: -h.score)
    return found


def _band(lines: list[Line], main: int) -> list[Line]:
    """The main line plus tightly stacked neighbours without numbers (a wrapped header)."""
    band = [lines[main]]
    # The words' median height, not the line's: on OCR'd pages one bracket or raised mark makes the
    # line's extent taller than its print, and the band then reached the lines above the table.
    height = median([w.height for w in lines[main].words]) or 8.0
    limit = 1.6 * height

    def pitch_ok(a: Line, b: Line, current: list[Line]) -> bool:
        pitch = abs(_centre(b) - _centre(a))
        if pitch > limit:
            return False
        if len(current) >= 2:
            pitches = sorted(abs(_centre(x) - _centre(y)) for x, y in itertools.pairwise(current))
            return pitch <= 1.35 * max(pitches[-1], 0.5 * height)
        return True

    cells = [c for c in _line_cells(lines[main]) if c.field != "other"]

    def stacked(line: Line, below: bool = False) -> bool:
        # Below the main line no word may hold a digit: the body starts there, and its first line
        # can look like a header's ("# ligne BC: 1" over a description, one digit in four words).
        return _headerish(line, strict=below) and not _spans_columns(line, cells)

    j = main - 1
    while j >= 0 and stacked(lines[j]) and pitch_ok(lines[j], band[0], band):
        band.insert(0, lines[j])
        j -= 1
    j = main + 1
    while j < len(lines) and stacked(lines[j], below=True) and pitch_ok(band[-1], lines[j], band):
        band.append(lines[j])
        j += 1
    return band


def _centre(line: Line) -> float:
    """The median of the line's word centres: like the height above, not moved by one bracket's tall
    box (horstoeko's "[charge" on seed 1153 put the main line's centre 3 points low, and the band
    then reached the first row: "#ligne BC: a" with its "1" misread, "PRESTATION SUPPORT")."""
    return median([(w.y0 + w.y1) / 2 for w in line.words])


def _spans_columns(line: Line, cells: list[_Cell]) -> bool:
    """A run of words that reaches across two label cells of the main header line: prose above or
    below the header ("Bill to: Example Customer Ltd, 42 High Street, London"), not a stacked label.

    Wrapped labels ("Unit Price" / "excl. VAT") sit inside one column; a phrase that runs over the
    gap between two columns without a column break of its own belongs to another block of the page.
    """
    for run in _runs(line.words):
        x0, x1 = run[0].x0, run[-1].x1
        touched = sum(1 for c in cells if min(c.x1, x1) - max(c.x0, x0) > 0)
        if touched >= 2:
            return True
    return False


def _runs(words: list[Word]) -> list[list[Word]]:
    """`words` split at column breaks (gaps wider than a word space)."""
    breaks = column_breaks(words)
    runs: list[list[Word]] = []
    for k, word in enumerate(words):
        if k == 0 or k in breaks:
            runs.append([])
        runs[-1].append(word)
    return runs


def build_header(band: list[Line], ocr: bool = False) -> Header:
    """Merge the band's cells into columns, left to right."""
    cells = [c for line in band for c in _line_cells(line, ocr)]
    # Strong cells first so that they seed columns and weaker stacked words join them; among strong
    # ones the upper line wins ("UNITÉ" over "pour P.U." below it, "Unit Price" over "Excl. VAT").
    cells.sort(key=lambda c: (-min(c.strength, 0.8), min(w.y0 for w in c.words)))
    columns: list[Column] = []
    for cell in cells:
        target = None
        best = 0.0
        for col in columns:
            overlap = min(col.x1, cell.x1) - max(col.x0, cell.x0)
            span = min(col.x1 - col.x0, cell.x1 - cell.x0) or 1.0
            if overlap / span > best:
                best, target = overlap / span, col
        if target is not None and best > 0.3 and not _same_line(target, cell):
            target.words.extend(cell.words)
            target.x0, target.x1 = min(target.x0, cell.x0), max(target.x1, cell.x1)
            if cell.strength > target.strength and target.strength < 0.8:
                target.field, target.strength = cell.field, cell.strength
            continue
        columns.append(Column(cell.field, cell.strength, cell.x0, cell.x1, list(cell.words)))
    columns.sort(key=lambda c: c.x0)
    columns = _drop_qualifier_columns(columns)
    _resolve_items(columns)
    return Header(lines=band, columns=columns, score=0.0)


def _same_line(col: Column, cell: _Cell) -> bool:
    """Two cells of one line are different columns even when their boxes touch."""
    ys = {round(w.yc) for w in col.words}
    return any(round(w.yc) in ys for w in cell.words)


def _drop_qualifier_columns(columns: list[Column]) -> list[Column]:
    """An "other" column made only of qualifiers ("(EUR)") joins the nearest labelled column."""
    kept: list[Column] = []
    for col in columns:
        if col.field == "other" and all(is_qualifier(w.text) for w in col.words) and kept:
            kept[-1].words.extend(col.words)
            kept[-1].x1 = max(kept[-1].x1, col.x1)
            continue
        kept.append(col)
    return kept


def _resolve_items(columns: list[Column]) -> None:
    """"Item"/"Artikel" is the product code when another column holds the description."""
    has_desc = any(c.field == "description" for c in columns)
    items = [c for c in columns if c.field == "item"]
    for col in items:
        # Without a description label the rightmost item column describes ("Artikel | Leistung": the
        # article number comes first, the service text after it).
        col.field = "description" if not has_desc and col is items[-1] else "product_code"
    if not any(c.field == "description" for c in columns):
        # No description label at all: the widest text column left of the numbers describes the item.
        texts = [c for c in columns if c.field in ("other", "product_code")]
        if texts:
            widest = max(texts, key=lambda c: c.x1 - c.x0)
            widest.field = "description"

"""Whose VAT id is whose: the vendor's and the customer's tax ids, and the vendor's registrations.

An invoice often prints two VAT ids (intra-EU B2B invoices must). Evidence that an id is the
customer's, strongest first: it lies inside the customer's address block or just under it; its own
label names the customer ("Customer VAT", "USt-IdNr. des Kunden", "N° TVA client", "NIF cliente",
"BTW-nummer klant"); the column it sits in is headed for the customer ("Vos identifiants", "Your
details"); it is the one other valid id on the page once the vendor's is known (the vendor's sits in
its letterhead or footer). Ids outside the EU scheme (GSTIN, EIN, ABN) are read after a tax-id label.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.extract import labels as L
from pipeline.extract.context import (
    Candidate,
    DocContext,
    best,
    labelled_candidates,
    span_words,
    strip_separators,
)
from pipeline.layout import Line, Segment
from pipeline.model import Evidence, Word
from pipeline.normalize.identifiers import (
    REGISTRATION_TYPES,
    compact,
    digit_reading,
    find_vat_ids,
    french_numeric_key,
    french_ones_read_as_fours,
    is_valid_vat,
    repair_lookalike,
    vat_fits_length,
    vat_format_reading,
    vat_from_siren,
    vat_ids_with_misread_prefix,
    vat_inside_speck,
    vat_with_misread_country,
)
from pipeline.normalize.similar import unaccented

# Words that make a label or a column heading the customer's.
_CUSTOMER_MARK = re.compile(
    r"(?i)\b(?:uw|your|votre|vos|ihre?|su|sus|customer|client|cliente|kunde|kunden|buyer|acheteur|"
    r"comprador|klant|afnemer|koper|k[äa]ufer|destinataire|bill(?:ed)?\s*to|leistungsempf[äa]nger)\b"
)
# A tax id that is not EU-shaped, read after a tax-id label: GSTIN, US EIN, ABN, other national forms.
_TAX_TOKEN = re.compile(r"\s*([A-Z0-9](?:[A-Z0-9]|[ .\-/](?=[A-Z0-9])){5,19})")


# OCR confidence at or above which an id's digits are taken as read: a digit for another (7 read as
# 1) is not looked for there. Why: test and sample invoices print ids that fail their checksum
# (DE777777777), and one of the few digit swaps a checksum lets through turned such an id, read
# at 0.91-0.98, into another company's valid one; OCR's real digit misreads come at lower confidence.
_SURE = 0.9


# A comma OCR read between an id's digit groups for a space or a speck ("FR 05 987 654,321"; "FR 05
# 987,654321" with the next space lost too: seed 2647), or a speck read as a point or a comma before
# the space ("FR05. 987 654 321": akretion's customer read by our five-language recogniser on seed
# 3623).
_GROUP_MARK = re.compile(r"(?<=\d),(?=\d{3})|(?<=\d)[,.](?= \d{3}\b)")


def _without_group_marks(text: str) -> tuple[str, list[int]]:
    """`text` with each mark of `_GROUP_MARK` read as the space it stands for (one before a space
    dropped), and where each of its characters stands in `text` (one more: its end)."""
    keep: list[int] = []
    chars: list[str] = []
    marks = {m.start() for m in _GROUP_MARK.finditer(text)}
    for k, ch in enumerate(text):
        if k in marks:
            if text[k + 1 : k + 2] == " ":
                continue
            ch = " "
        keep.append(k)
        chars.append(ch)
    keep.append(len(text))
    return "".join(chars), keep


_PREFIX_UNDERSCORE = re.compile(r"(?i)(?<=\b[a-z]{2})_(?=\d)")


def _vat_ids_in(text: str, ocr: bool) -> list[tuple[str, int, int]]:
    """`find_vat_ids` on a segment; on an OCR'd page with accents dropped, ids whose country prefix
    OCR read with a digit (`vat_ids_with_misread_prefix`), and an id cut short of its country's
    length at a comma between digit groups read on past the comma when that gives the full length
    (the comma as a space: akretion's customer id on scan seed 7) or under the seven digits an id
    needs ("FR 05 987,654321": seed 2647), and the space after the country
    code read as an underscore ("FR_604 219 388 61": free_fiber read by latin5 on seed 2371), and a
    speck before an id read as another country's letters left out (`_inside_speck`). Offsets into
    `text`."""
    if not ocr:
        return find_vat_ids(text)
    text = _PREFIX_UNDERSCORE.sub(" ", unaccented(text))
    found = [_inside_speck(v, s, e, text) for v, s, e in find_vat_ids(text)]
    found += vat_ids_with_misread_prefix(text)
    joined, at = _without_group_marks(text)
    if joined == text:
        return found
    longer = {at[s]: (v, at[s], at[e]) for v, s, e in find_vat_ids(joined)}
    out = []
    for v, s, e in found:
        alt = longer.get(s)
        if alt is not None and not vat_fits_length(v) and vat_fits_length(alt[0]):
            out.append(alt)
        else:
            out.append((v, s, e))
    # ... and an id the comma cut under the seven digits an id needs ("FR 05 987,654 321"), where
    # nothing was found over it
    out += [(v, s, e) for v, s, e in longer.values() if all(e <= s2 or s >= e2 for _, s2, e2 in out)]
    return out


def _inside_speck(value: str, start: int, end: int, text: str) -> tuple[str, int, int]:
    """A found id, or the id inside it where a speck before it was read as a country's letters
    (`vat_inside_speck`), from where that id's own country code stands in `text`."""
    inner = vat_inside_speck(value)
    if inner is None:
        return value, start, end
    return inner, text.upper().index(inner[:2], start + 2), end


def _without_inner_word(text: str) -> str | None:
    """The id as read without a word of three or more letters inside it, when that makes it valid:
    on a scan two footer columns merge into one line and a word of the next column lands between an
    id's digit groups ("DE 232 446 Hanau 240"). The checksum proves the reading."""
    parts = text.split()
    inner = [k for k, p in enumerate(parts[1:-1], start=1) if len(p) >= 3 and p.isalpha()]
    for k in inner:
        reading = compact("".join(parts[:k] + parts[k + 1 :]))
        if is_valid_vat(reading):
            return reading
    return None


# A SIREN (9 digits) after its label, or a SIRET (14) whose first nine are the SIREN; the label may
# have a frame's rule read as a letter glued before it ("ISIREN 123 456 782": akretion, seed 2707).
_SIREN = re.compile(r"(?i)(?<![^\W\d_])[Il|\[]?SIRE[NT]\b[^0-9]{0,12}?(\d{3})\s?(\d{3})\s?(\d{3})")
# ... or the company's registration with the trade register, which is its SIREN after the court's
# letter: "RCS Paris B 421 938 861", "B 421 938 861 RCS Paris" (free_fiber's footer, whose VAT id
# latin5 read "FR 604 219 288 61" on seed 3823).
_RCS = re.compile(
    r"(?<![^\W\d_])R\.?C\.?S\.?\s+[^\W\d_]+(?:[ -][^\W\d_]+){0,3}\s+[AB]\s?(\d{3})\s?(\d{3})\s?(\d{3})(?!\d)"
    r"|(?<![^\W\d_])[AB]\s?(\d{3})\s?(\d{3})\s?(\d{3})\s+R\.?C\.?S\b"
)


def _sirens(lines: list[Line]) -> set[str]:
    """The SIRENs the lines print (`vat_from_siren` checks them), after their label or as the
    trade register's number (`_RCS`)."""
    found = (m for ln in lines for pattern in (_SIREN, _RCS) for m in pattern.finditer(ln.text))
    return {"".join(g for g in m.groups() if g) for m in found}


def _ocr_reading(value: str, valid: bool | None, text: str, unsure: bool) -> str | None:
    """The reading of an OCR'd id (`value`, `valid` as read, `text` its words) that its checksums
    prove, if any: a French key read with a letter first (`french_numeric_key`), for an invalid id
    then a word of the next column inside it, one look-alike (a digit swap only where OCR was
    `unsure`) or, unsure, several italic 1s read as 4s; for a valid one its look-alike letters read
    as digits (`digit_reading`)."""
    if valid is False:
        found = (
            french_numeric_key(value)
            or _without_inner_word(text)
            or repair_lookalike(value, is_valid_vat, digits=unsure)
            or (french_ones_read_as_fours(value) if unsure else None)
        )
        # a reading may still hold a letter key that passes as read ("FR M1423 456782": its 4s read
        # back as 1s give FRM1123456782, whose key is FR11's misread; seed 3163)
        return (french_numeric_key(found) or found) if found else None
    return french_numeric_key(value) or digit_reading(value, is_valid_vat) if valid else None


def _unsure(words: list[Word]) -> bool:
    return not words or min(w.confidence for w in words) < _SURE


def _tax_token(text: str) -> tuple[str, int, int] | None:
    m = _TAX_TOKEN.match(text.upper())
    if not m:
        return None
    value = compact(m.group(1))
    if sum(c.isdigit() for c in value) < 5 or (value.isalpha()):
        return None
    return value, m.start(1), m.end(1)


def _column_heading(lines: list[Line], li: int, seg: Segment) -> Segment | None:
    """The top segment of the column run `seg` belongs to: same left edge give or take an indent, on
    consecutive lines with no blank gap. That is where "Vos identifiants" / "Customer details" sit.
    A customer heading met on the way up ends the run there: on a scan the blank above it can be
    lost (a frame's rule read as text, lines of the next column merged), and the run would go on
    into the block above."""
    top: Segment | None = None
    last_y0 = seg.y0
    for line in reversed(lines[max(0, li - 8) : li]):
        h = max(line.height, 6.0)
        if last_y0 - line.y1 > 1.6 * h:
            break
        near = [s for s in map(_unspecked, line.segments) if abs(s.x0 - seg.x0) <= 12]
        if not near:
            continue
        top = near[0]
        last_y0 = top.y0
        if _customer_heading(top) or _tax_representative(top):
            break
    return top


def _tax_representative(seg: Segment) -> bool:
    """Is `seg` the heading of a tax representative (`_TAX_REPRESENTATIVE`), its accents read or
    misread as they may be ("Représentänt Fiscäl": latin5 on seed 2843)?"""
    return bool(_TAX_REPRESENTATIVE.search(unaccented(seg.text)))


def _unspecked(seg: Segment) -> Segment:
    """`seg` without a lone character before its words, or two that are no letters: a speck read as
    "7" or "I" set a scan's heading left of its column ("7 Vos identifiants": F20180027 on seed 1787;
    a frame's corner read "77": horstoeko on seed 2663)."""
    words = seg.words
    first = words[0].text if words else ""
    speck = len(first) == 1 or (len(first) == 2 and not any(c.isalpha() for c in first))
    if len(words) > 1 and speck and len(words[1].text) > 1:
        return Segment(words[1:])
    return seg


# The heading of a seller's tax representative (EN 16931's BG-11): the ids under it are the
# representative's, neither the vendor's nor the customer's. On akretion's sample it prints its own
# "TVA intra" id under the seller's; a scan that loses or misreads the seller's line must not give
# the vendor it. "sentant fis" is enough of "Représentant fiscal" (scans lose its ends and misread
# its letters: "Fisc5i", latin5 on seed 2621; "Reprösentant Fisca", seed 2707).
_TAX_REPRESENTATIVE = re.compile(
    r"(?i)sentant\s+fis|\b(?:tax\s+representative|fiskalvertret|steuervertret|"
    r"representante\s+fiscal|fiscaal\s+vertegenwoordig)"
)


def _labelled_from(line: Line, seg: Segment, start: int) -> Segment:
    """The segment whose left edge puts the id in its column: its own, or the segment before it when
    the id opens its segment and that one is a tax-id label ("N° TVA" | "FR 05 987 654 321": a scan
    lost the colon and the label's run stood apart from the id's)."""
    k = next((i for i, x in enumerate(line.segments) if x is seg), 0)
    if start > 0 or k == 0:
        return seg
    prev = line.segments[k - 1]
    found = L.best_label(prev.text, L.VAT_ID)
    return prev if found is not None and not prev.text[found[0].end() :].strip(" :.") else seg


def _customer_heading(seg: Segment | None) -> bool:
    """A short column heading naming the customer's side ("Vos identifiants", "Customer details"):
    three words at most, no digit, no full stop at its end, so not a sentence that merely holds such
    a word ("Thank you for your business.", "Gracias por su pedido.") nor a field ("Your order:
    PO-14835"). A mark glued to its first word (`_GLUED_MARK`) is looked past, a "W" for its "V",
    a bracket for its "V" (`_V_AS_BRACKET`), a space lost after its possessive (`_POSSESSIVE_GLUED`)
    and an accent OCR put on a letter ("[vösidentifiants": latin5 on seed 2659)."""
    text = seg.text.strip() if seg is not None else ""
    if not text or len(text.split()) > 3 or text.endswith(".") or any(c.isdigit() for c in text):
        return False
    plain = _V_AS_BRACKET.sub("V", unaccented(text))
    unglued = _POSSESSIVE_GLUED.sub(r"\1 ", _W_FOR_V.sub("V", _GLUED_MARK.sub("", plain)))
    return any(_CUSTOMER_MARK.search(t) for t in (text, unglued))


# A frame's rule or a bracket read glued to a heading's first word ("IVos identifiants" on a scan;
# a bracket before any letter: "[vos"), or read as another capital ("MVos identifiants": akretion
# read by latin5 on seed 2677), or its capital read twice ("VVos identifiants": horstoeko on seed 709),
# the second time in small type after a bracket ("[Vvos identifiants": akretion read by latin5 on
# seed 2903), or the first time ("[vVos identifiants": latin5 on seed 3631).
_GLUED_MARK = re.compile(
    r"^(?:\[(?=[A-Za-z])|[Il|(A-Z](?=[A-Z][a-z])|([A-Z])(?=(?i:\1)[a-z])|([a-z])(?=(?i:\2)(?<=[A-Z])[a-z]))+"
)
# ... or its "V" read as a "W" ("Wos identifiants": akretion on seed 1723), the two strokes of a
# doubled V run together, or as a bracket, the frame's rule and the V's first stroke read as one
# ("[os identifiants": akretion on seed 3851; its customer's id had gone to no side).
_W_FOR_V = re.compile(r"^W(?=[a-z])")
_V_AS_BRACKET = re.compile(r"^[\[(|](?=os\b)")
# ... or the space after its possessive lost before the noun of a column heading ("Vosidentifiants":
# akretion read by latin5 on seed 2251). Only these nouns: "Yourself" or "Sushi" stay one word.
_POSSESSIVE_GLUED = re.compile(
    r"(?i)^(vos|your|uw|ihre|sus)(?=identifiants|identifiers|r[ée]f[ée]rences|references|details|"
    r"d[ée]tails|gegevens|angaben|datos|referenties|referencias)"
)


def _under_block(words: list[Word], block: Any, line: Line) -> bool:
    """True when the id's line sits just under the customer block (within two line heights), at its
    left edge: "VAT: FR..." printed after the address."""
    if block is None or not words:
        return False
    gap = words[0].y0 - block.y1
    return -1 <= gap <= 2.5 * max(line.height, 6.0) and abs(words[0].x0 - block.x0) <= 40


def tax_ids(ctx: DocContext, parties: Any) -> tuple[Evidence, Evidence, list[dict[str, Evidence]]]:
    """Vendor and customer VAT ids, and the vendor's other registrations (SIRET, KvK, HRB ...)."""
    customer_ids = {id(w) for w in parties.customer_words}
    vendor_ids: set[int] = set()
    if parties.vendor_block is not None:
        vendor_ids = {id(w) for s in parties.vendor_block.segments for w in s.words}
    vendor_c: list[Candidate] = []
    customer_c: list[Candidate] = []
    others: list[Candidate] = []  # neither side's by position or label: the "second id" rule decides
    representative: set[int] = set()  # words of ids under a tax representative's heading: no side's
    for page, lines in enumerate(ctx.lines):
        height = ctx.page_height(page)
        ocr = ctx.doc.pages[page].text_source == "ocr"
        sirens = _sirens(lines) if ocr else set()
        for li, line in enumerate(lines):
            for seg in line.segments:
                for value, s, e in _vat_ids_in(seg.text, ocr):
                    words = span_words(seg, s, e)
                    label = L.best_label(seg.text[:s], L.VAT_ID)
                    valid = is_valid_vat(value)
                    repaired = _ocr_reading(value, valid, seg.text[s:e], _unsure(words)) if ocr else None
                    if ocr and valid and not repaired and value[-9:] in sirens:
                        # a letter key that passes by chance, beside the SIREN that gives the id's key
                        repaired = french_numeric_key(value, siren_printed=True)
                    if repaired:  # an OCR'd id one look-alike away from valid: raw stays as read
                        value, valid = repaired, None
                    elif ocr and valid is False:  # still no valid reading: at least the printed form
                        printed = vat_format_reading(value)
                        # ... and from it, one look-alike the checksum proves (its letter read as a
                        # digit is no guess: the format wants a digit there).
                        proved = printed and repair_lookalike(printed, is_valid_vat, digits=_unsure(words))
                        proved = proved or vat_from_siren(printed or value, sirens)
                        value, valid = (proved, None) if proved else (printed or value, valid)
                    if valid is False and seg.text[s : s + 2].islower():
                        continue  # "capital de 3.441.812 Euros": a word, not a country's prefix
                    if ocr and valid is False and not vat_fits_length(value):
                        # cut short (a separator misread, a group the detector lost: "FR11 423 456"
                        # for FR 11 423 456 782, akretion on seed 3253): no id, a full reading may be
                        continue
                    score = 0.6 + (0.3 if label else 0.0) + (0.05 if valid else 0.0)
                    cand = Candidate(value, score, words, seg.text[s:e], "", line.yc, page)
                    in_customer = any(id(w) in customer_ids for w in words)
                    heading = _column_heading(lines, li, _labelled_from(line, seg, s))
                    if heading is not None and _tax_representative(heading):
                        representative.update(id(w) for w in words)
                        continue
                    if (
                        in_customer
                        or _CUSTOMER_MARK.search(seg.text[:s])
                        or (page == 0 and _under_block(words, parties.customer_block, line))
                        or _customer_heading(heading)
                    ):
                        cand.score += 0.2 if in_customer else 0.0
                        customer_c.append(cand)
                        continue
                    in_vendor = any(id(w) in vendor_ids for w in words)
                    if in_vendor:
                        # more than a label's weight: whose id it is, the block says, where a scan
                        # may lose the label ("N° IVAintre:FR 11 ...") and a footer prints another
                        # labelled one (the template's "N° TVA : FR32 ...": akretion on seed 3463)
                        cand.score += 0.35
                    cand.score -= 0.001 * line.yc / max(height, 1)
                    vendor_c.append(cand)
                    if not in_vendor and valid and line.y0 < 0.8 * height:
                        others.append(cand)
    # Ids in other national forms after a tax-id label inside (or just under) the customer block.
    if not customer_c and parties.customer_block is not None:
        for seg in parties.customer_block.segments:
            found = L.best_label(seg.text, L.VAT_ID)
            if found is None:
                continue
            start = found[0].end() + strip_separators(seg.text[found[0].end() :])
            got = _tax_token(seg.text[start:])
            if got is not None:
                value, s, e = got
                words = span_words(seg, start + s, start + e)
                customer_c.append(Candidate(value, 0.7 * found[1], words, seg.text[start + s : start + e]))
    # Tax ids written without a country prefix after a label ("VAT/TIN: 29670869006").
    if not vendor_c:
        for c in labelled_candidates(ctx, L.VAT_ID, _tax_token, below=False):
            if any(id(w) in representative for w in c.words):
                continue
            if not any(id(w) in customer_ids for w in c.words) and not any(
                id(w) in {id(x) for cc in customer_c for x in cc.words} for w in c.words
            ):
                c.score *= 0.7
                if ctx.doc.pages[c.page].text_source == "ocr":  # "FA 11 123 ...": FR's R read "A"
                    c.value = vat_with_misread_country(str(c.value)) or c.value
                    if not vat_fits_length(str(c.value)):
                        continue  # cut short, as above
                vendor_c.append(c)
    vendor_best = best(vendor_c)
    # The second valid id: once the vendor's is known, another valid id high on the page that is not in
    # the vendor's block is the customer's.
    if not customer_c and vendor_best is not None and is_valid_vat(str(vendor_best.value)):
        rest = {c.value: c for c in others if c.value != vendor_best.value}
        if len(rest) == 1:
            cand = next(iter(rest.values()))
            cand.score = 0.5
            customer_c.append(cand)
    vendor_ev = vendor_best.evidence() if vendor_best else Evidence(None)
    cust_best = best(customer_c)
    if cust_best is not None and vendor_best is not None and cust_best.value == vendor_best.value:
        cust_best = None  # one id cannot be both parties'
    regs: list[dict[str, Evidence]] = []
    if vendor_best is not None:
        regs.append(
            {
                "type": Evidence("VAT", None, vendor_best.score, vendor_ev.page, vendor_ev.bbox),
                "value": vendor_ev,
            }
        )
    regs.extend(_registrations(ctx, customer_ids))
    return vendor_ev, (cust_best.evidence() if cust_best else Evidence(None)), regs


# Each registration label with what may follow it before the value ("SIRET No.: "), compiled once;
# the suffix can match nothing, so a line where no bare label matches (most lines) is skipped by one
# search of their alternation.
_REGISTRATIONS = tuple(
    (re.compile(pattern + r"[\s.:#/-]*(?:No\.?|Nr\.?)?[\s.:#]*", re.IGNORECASE), kind)
    for pattern, kind in REGISTRATION_TYPES
)
_ANY_REGISTRATION = re.compile("|".join(f"(?:{p})" for p, _ in REGISTRATION_TYPES), re.IGNORECASE)
_REGISTRATION_VALUE = re.compile(r"[A-Z0-9][A-Z0-9 ]{3,24}[A-Z0-9]")


def _registrations(ctx: DocContext, customer_ids: set[int]) -> list[dict[str, Evidence]]:
    """SIRET, KvK, HRB, GSTIN ... printed outside the customer block: the vendor's registrations."""
    regs: list[dict[str, Evidence]] = []
    seen: set[tuple[str, str]] = set()
    for lines in ctx.lines:
        for line in lines:
            if any(id(w) in customer_ids for w in line.words):
                continue
            if not _ANY_REGISTRATION.search(line.text):
                continue
            for pattern, kind in _REGISTRATIONS:
                for m in pattern.finditer(line.text):
                    got = _REGISTRATION_VALUE.match(line.text[m.end() :])
                    if not got or sum(c.isdigit() for c in got.group()) < 4:
                        continue
                    raw = got.group().strip()
                    value = compact(raw) if kind != "HRB" else raw
                    if (kind, value) in seen or _CUSTOMER_MARK.search(
                        line.text[max(0, m.start() - 12) : m.start()]
                    ):
                        continue
                    seen.add((kind, value))
                    s = m.end() + got.start()
                    words = span_words(line, s, s + len(raw))
                    value_ev = Evidence.from_words(value, words, 0.7, raw=raw)
                    regs.append(
                        {"type": Evidence(kind, None, 0.8, value_ev.page, value_ev.bbox), "value": value_ev}
                    )
    return regs

"""Vendor and customer: which block of the first page is who.

Evidence, strongest first: an explicit label ("Sold by", "Bill to", "Client"); the sender line
printed small above the address window ("ACME GmbH - Street 1 - 12345 City"); a company legal form
(GmbH, B.V., Ltd, SAS ...) in the letterhead or the footer; the footer's legal block (capital, RCS,
HRB, registered office); the name matching the domain of an e-mail or web address that is not the
customer's. The customer is the labelled block, else the address window the sender line sits above.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field, replace

from pipeline.extract.context import Candidate, DocContext, span_words
from pipeline.extract.labels import (
    CUSTOMER_BLOCK,
    CUSTOMER_NUMBER,
    SHIP_BLOCK,
    VENDOR_BLOCK,
    Z_HD,
    best_label,
    is_any_label,
)
from pipeline.layout import Line, Segment, ocr_slack
from pipeline.model import Evidence, Word
from pipeline.normalize.dates import find_dates
from pipeline.normalize.similar import fold_in_place, mismatches, one_edit, unaccented
from pipeline.ocr_repair import FRAME_RULE

# Bounded by anything but a letter or digit: an underscore is OCR's reading of a full stop ("B.V_").
LEGAL_FORMS = re.compile(
    r"(?i)(?<![^\W_])(gmbh(?:\s*&\s*co\.?\s*kg)?|ag|kg|ohg|ug|e\.\s?k\.|b\.\s?v\.?|bv|n\.\s?v\.?|ltd\.?|limited|"
    r"inc\.?|llc|llp|plc|corp\.?|corporation|co\.?,?\s*ltd\.?|pvt\.?\s*ltd\.?|private\s*limited|sas|sasu|sarl|"
    r"s\.a\.r\.l\.|s[àa]rl|eurl|sa|s\.a\.|s\.l\.|sl|s\.r\.l\.|srl|spa|s\.p\.a\.|oy|ab|a/s|aps|sprl|bvba|vof|cv|"
    r"co\.?(?=[\s.,:_]*$))(?![^\W_])"  # "Trading Co.": "Co" only where the name ends with it
)
# OCR'd pages: the "L" of a Spanish or Italian form read as a one ("Valdés Soluciones S.1"), its
# point as a colon or comma, the letters boxed apart ("Delfina Soluciones S : L"); the "G" of GmbH
# read as a round letter or a six, or its "H" as an "M" ("Alphabet ... GmbM": ZUGFeRD's leasing sample,
# latin5 on seed 3733, its vendor and customer swapped without it) (`_GMBH_OCR`).
_GMBH_READ = r"(?<![^\W_])(?:[cœoq6]mbh|[gcœoq6]mbm)(?![^\W_])"  # "ŒmbH": "mbH" ends no other word
_GMBH_OCR = re.compile(rf"(?i){_GMBH_READ}")
_LEGAL_FORMS_OCR = re.compile(rf"(?i)(?<![^\W_])s\s?[.:,]\s?[l1i|]\s?[.:,]?(?=[\s_]*$)|{_GMBH_READ}")
_FOOTER_LEGAL = re.compile(
    r"(?i)capital|rcs|r\.c\.s|siret|siren|hrb|handelsregister|registergericht|kvk|registered\s*office|"
    r"si[èe]ge\s*social|company\s*(?:no|number|reg)|gesch[äa]ftsf[üu]hrer|vorstand|cin\b|ust-?id|tva\s*intra"
)
_SENDER_SPLIT = re.compile(r"\s+[-–·|•]\s+|\s*,\s+")
_POSTCODE = re.compile(
    r"\b(?:[A-Z]{1,2}-)?\d{4,6}\b|\b\d{3}\s\d{3}\b|\b\d{4}\s?[A-Z]{2}\b|\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b|"
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b"
)
# OCR'd pages: the middle dot between the parts of a sender line is read as a full stop, a quote,
# a colon; a UK postcode's digits as I or l ("EC1A 1BB" as "ECIA IBB", "M1" as "Ml") where the format
# can only hold a digit. Text layers keep the strict patterns.
_SENDER_SPLIT_OCR = re.compile(r"\s+[-–·|•.'‘’:;=]\s+|\s*,\s+")
# ... and a separator OCR glued to the word before it ("Uterweg 40-42. D-63571 Gelnhausen"): on an
# OCR'd page a sender line of two parts is enough when the second holds a street, its number and a
# postcode, in that order; not a date ("July 31 2014", a month, its day and year: AWS's billing period
# "July 1 - July 31 2014" on seed 2039 had become a sender line).
_STREET_THEN_POSTCODE = re.compile(r"[^\W\d]{3,}\.?\s+\d+[\w/-]*[.,]?\s+(?:[A-Z]{1,2}-)?\d{4,6}\b")
_POSTCODE_OCR = re.compile(_POSTCODE.pattern + r"|\b[A-Z]{1,2}[0-9Il][A-Z0-9Il]?\s[0-9Il!][A-Z]{2}\b")


def _postcode(ocr: bool) -> re.Pattern[str]:
    """The postcode pattern for a page: OCR's misreadings count only where the page was OCR'd."""
    return _POSTCODE_OCR if ocr else _POSTCODE


_EMAIL_DOMAIN = re.compile(r"(?i)[\w.+-]+@([\w-]+)\.|www\.([\w-]+)\.|https?://(?:www\.)?([\w-]+)\.")
# OCR'd pages: the full stop before the top-level domain lost ("info@cronuscom") or read as a space
# ("buchhaltung @qualityhosting de"): the domain is what precedes a common ending; or the ending
# lost and the stop read as another mark ("info@cronus:", 103767 on seed 1931); or the address split
# after its "@", a speck read at the cut ("info@. cronus.com": 103767 on seed 3739, its vendor and
# customer swapped without it). Only as evidence for a name, never as the e-mail address.
_EMAIL_DOMAIN_OCR = re.compile(
    r"(?i)[\w.+-]+\s?@\s?([\w-]{2,}?)\s?(?:com|net|org|de|fr|nl|es|be|eu|ch|at|it)\b"
    r"|[\w.+-]+@([\w-]{2,})[:;,](?!\w)"
    r"|[\w.+-]+@[.,:;]?\s([\w-]{2,})\.\w"
)
# The heading of a block of references ("Vos identifiants", "Nos références"): akretion's, taken for
# the vendor where a scan had garbled the letterhead (seed 1307); on a scan also with a frame's rule
# read as a letter before it and its space lost ("MVosidentifiants": the customer, latin5 on 2707).
_REFERENCES_HEAD = (r"[^\W\d_]?(?:vos|nos|your|our|uw|onze|ihre|unsere|sus|nuestras)\s*"
                    r"(?:identifiants|r[ée]f[ée]rences|references|referenties|referenzen|referencias)\b")
# The payment method's label by its first words: "MOYEN DE PAIEMENT : VIREMENT" read "MOYEN DE
# PAIENENT VIKLMENT" (akretion on seed 1553, taken for the vendor), its Y read as a V ("MOVEN DE
# PAEMENT", "MoveN DE paiement": both configurations on seed 3919).
_PAYMENT_HEAD = r"(?:mo[yv]en|mode)\s*de\s*(?:pa|r[èe]gl)"
# Lines that open a name never does; a remark in brackets among them (OCR reads its "(" as "{" or "["),
# a number sign ("# ligne BC", a table's column head: akretion's customer on seed 1597), and the
# headings above.
_NOT_NAME = re.compile(
    r"(?i)^(?:invoice|rechnung|facture|factura|factuur|tax invoice|page|seite|date|datum|tel|fax|phone|"
    rf"e-?mail|www|http|iban|bic|vat|btw|tva|contact|[(\[{{#]|attn|{Z_HD}|t\.a\.v|{_REFERENCES_HEAD}|"
    rf"{_PAYMENT_HEAD})"
)
# A field's label, not its value: "Buyer contact name", "Seller trade name", "Nombre". Labels are
# known by their words too (`is_any_label`), but an OCR'd label is one typo off them ("Buver
# contact name"), while no printed name ends in the word "name" (nor in "contact name" misread:
# `_contact_label`).
_LABEL_END = re.compile(r"(?i)(?:^|\s)(?:name|naam|nombre)\s*:?$")


@dataclass(slots=True)
class Block:
    """Lines stacked in one column: an address, a letterhead, a footer column."""

    segments: list[Segment] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return min(s.x0 for s in self.segments)

    @property
    def y0(self) -> float:
        return self.segments[0].y0

    @property
    def y1(self) -> float:
        return self.segments[-1].y1

    def contains(self, seg: Segment) -> bool:
        return any(s is seg for s in self.segments)


def blocks_of(lines: list[Line], slack: float = 0.0) -> list[Block]:
    """Stack segments that start at the same x (or end at the same x) on consecutive lines; `slack`
    widens both tolerances on OCR'd pages (`pipeline.layout.ocr_slack`)."""
    blocks: list[Block] = []
    open_blocks: list[tuple[Block, float]] = []
    for line in lines:
        h = max(line.height, 6.0)
        for seg in line.segments:
            placed = False
            for block, _ in open_blocks:
                last = block.segments[-1]
                if seg.y0 - last.y1 > 1.6 * h or seg.y0 <= last.y0:
                    continue
                if abs(seg.x0 - last.x0) <= 6 + slack or abs(seg.x1 - last.x1) <= 4 + slack:
                    block.segments.append(seg)
                    placed = True
                    break
            if not placed:
                block = Block([seg])
                blocks.append(block)
                open_blocks.append((block, seg.y0))
        open_blocks = [(b, y) for b, y in open_blocks if line.y1 - b.segments[-1].y1 <= 3 * h]
    return blocks


_ATTN_PREFIX = re.compile(rf"(?i)^(?:attn|{Z_HD}\.?|t\.a\.v\.?)\s*:?\s*")
_NAME_END = re.compile(r"(?i)\s+au\s+capital|\s+[-–]\s+|\s*\|\s*")
_NON_WORD = re.compile(r"\W+")


# A frame's rule read as "[" or "|" never closed before a name with a capitals word ("[LE
# FOURNISSEUR" on a scan, "[Le CLIENT": akretion on seed 1481), or as "(" never closed before one
# ("(Le CLIENT", "(le CLIENT": small capitals read in lower case; "(LE FourniSSEUR", the capitals
# word first: akretion on seed 809), or before words that all open with a capital ("(Le ClienT":
# seed 971), the same read as "{" ("{LE CLIENT": latin5 on seed 3853): not the opening of a remark
# in brackets (`_NOT_NAME`), which goes on in lower case ("{Not to be used ...") or closes
# ("(Lieferung frei Haus)").
_FRAME_MARK = re.compile(
    r"^(?:[\[|]\s?(?=[A-Za-zÀ-ÿ])(?=[^\]]*\b[A-ZÀ-Þ]{2}[^\]]*$)|[({]\s?(?=[A-Za-zÀ-ÿ])(?=[^)}]*\b[A-ZÀ-Þ]{2}[^)}]*$)"
    r"|[({]\s?(?=[A-ZÀ-Þ][^\s)}]*(?:\s+[A-ZÀ-Þ][^\s)}]*)+\s*$))"
)


def _split_at_legal_form(text: str) -> list[str]:
    """A name with an address run on after its legal form, where the address holds a digit, cut
    there: a sender line whose separators a scan lost or misread ("QualityHosting AG C Uleoteg
    40-42.06352LGelnbaused", seed 719; "Qualbytosting AG. Ulema0g4042_0-63571 Gelnhaused", seed 859;
    "QualityHosting AG__ Uferweg 40-42. D-63571Gelnhausen", seed 983) -> [name, address]. Marks may
    stand between the legal form and the space. Else the text alone."""
    for m in LEGAL_FORMS.finditer(text):
        head, rest = text[: m.end()], text[m.end() :]
        named = len(LEGAL_FORMS.sub("", head).strip()) >= 2
        if named and _AFTER_LEGAL_FORM.match(rest) and any(c.isdigit() for c in rest):
            return [head, _AFTER_LEGAL_FORM.sub("", rest, count=1)]
    return [text]


# ... or a point, colon or dash glued to the street's capital ("QualityHosting_AG.Uferweg 40-42",
# "QualityHosting AG-Uferweg 40-42", "AG=Utemweg.40.42", "AG:Uierweg 40.42": latin5 on seeds 2017,
# 2069, 2143, 2711).
_AFTER_LEGAL_FORM = re.compile(r"[^\w\s]{0,2}_*\s+|[.·•\-–=:]_*(?=[A-ZÀ-Þ][a-zà-ÿ])")


def _clean_name(text: str) -> str:
    text = _FRAME_MARK.sub("", _ATTN_PREFIX.sub("", text.strip()))
    text = _split_at_legal_form(_NAME_END.split(text)[0])[0]
    return text.strip(" ,;:-–")


@functools.lru_cache(maxsize=4096)
def _squashed(text: str) -> str:
    """`text` lower-cased with every run of non-word characters one space, framed by spaces: the form
    in which `_repeated` looks for a name. Cached: it is asked for every segment of the page once per
    candidate name, and depends on the text alone."""
    return " " + _NON_WORD.sub(" ", text.lower()) + " "


@functools.lru_cache(maxsize=4096)
def _plausible_name(text: str) -> bool:
    """Could `text` be a company or person name? Cached: a pure function of the text, asked for the
    same segments by several of the vendor and customer searches."""
    t = text.strip()
    if len(t) < 2 or len(t) > 80 or _LABEL_END.search(t) or _contact_label(t):
        return False
    if _NOT_NAME.match(unaccented(t)):  # an accent OCR put on a heading's letter: "Vos Îdentifiants"
        return False
    if is_any_label(t):
        return False
    letters = sum(c.isalpha() for c in t)
    digits = sum(c.isdigit() for c in t)
    return letters >= 2 and digits <= letters / 3 and "@" not in t and not _POSTCODE.search(t)


def _seller_name_label(text: str) -> bool:
    """An OCR'd "Seller trade name" (EN 16931's BT-28 as the Factur-X templates head the seller's
    column) with its first word a letter off ("SEULÉR TRADE NAME": akretion read by our
    five-language recogniser on seed 3469, its vendor lost): a vendor heading, the name below."""
    first = fold_in_place(text.strip()).split(" ", 1)[0]
    return _contact_label(text) and one_edit(first, "seller")


def _contact_label(text: str) -> bool:
    """Ends in "contact name" or "trade name" with a letter wrong in each word at most, or the name's
    end lost: the label a scan misread ("Buyer contoct nome", akretion on seed 431, taken for the
    customer's name; "Buver contact nam" and "... contact na", seed 88; "seller TraDe MAME", taken
    for the vendor's, seed 1069). "contact" may have two letters wrong ("contert nome", 1069), or
    "name" where "contact" has one at most ("contoct noie", seed 2707)."""
    words = text.lower().rstrip(" :").split()
    if len(words) < 2:
        return False
    kind = words[-2]
    two_off = len(kind) == 7 and mismatches(kind, "contact") <= 2
    if not (one_edit(kind, "contact") or one_edit(kind, "trade") or two_off):
        return False
    last = words[-1]
    name_two_off = len(last) == 4 and mismatches(last, "name") <= 2
    return (
        one_edit(last, "name")
        or (len(last) >= 2 and "name".startswith(last))
        or (name_two_off and one_edit(kind, "contact"))
    )


def _domains(ctx: DocContext, exclude: list[Block], ocr: bool = False) -> set[str]:
    out: set[str] = set()
    excluded = {id(s) for b in exclude for s in b.segments}  # what Block.contains tests, for all at once
    patterns = (_EMAIL_DOMAIN, _EMAIL_DOMAIN_OCR) if ocr else (_EMAIL_DOMAIN,)
    # A scan's first page may have lost its e-mail and web address to OCR: the later pages' count too.
    pages = ctx.lines if ocr else ctx.lines[:1]
    for line in (ln for page in pages for ln in page):
        for seg in line.segments:
            if id(seg) in excluded:
                continue
            for m in (m for p in patterns for m in p.finditer(seg.text)):
                dom = next(g for g in m.groups() if g)
                if dom.lower() not in (
                    "gmail",
                    "yahoo",
                    "hotmail",
                    "outlook",
                    "example",
                    "fake",
                    "web",
                    "gmx",
                ):
                    out.add(dom.lower())
    return out


def _name_tokens(text: str) -> set[str]:
    return {t for t in re.findall(r"[a-z0-9]+", text.lower()) if len(t) >= 3}


@dataclass(slots=True)
class Parties:
    vendor_name: Candidate | None
    vendor_block: Block | None
    customer_block: Block | None
    customer_name: Candidate | None
    customer_words: list[Word]


def _seg_candidate(seg: Segment, text: str, score: float, label: str = "") -> Candidate:
    start = seg.text.find(text)
    words = span_words(seg, start, start + len(text)) if start >= 0 else seg.words
    return Candidate(text, score, words, text, label, (seg.y0 + seg.y1) / 2, seg.page)


_CONTACT = re.compile(r"(?i)@|www\.|https?://|\b(?:tel|t[ée]l[ée]?fon[oe]?|phone|fax|mobile?)\b|^\+\d")
_IDS = re.compile(
    r"(?i:\b(?:vat|tva|btw|ust|mwst|nif|cif|gstin|siret|siren|tax\s*id|iban|bic|kvk|abn|ein)\b)|"
    r"\b[A-Z]{2}(?=[0-9A-Z]{8,12}\b)[A-Z]*\d[0-9A-Z]*\b"
)
# A payment method's label beside "Bénéficiaire" ("Bénéficiaire  MOYEN DE PAIEMENT : VIREMENT": the
# akretion layout's columns, read as one line on seed 1051): never the account holder. A frame's rule
# may stand before it as a letter and its last letters may be lost ("IMOYEN DE PAIEMEN": seed 1213).
_PAYMENT_METHOD = re.compile(
    rf"(?i)[Il|\[¡!]?{_PAYMENT_HEAD}|payment\s*(?:method|mode)|zahlungs(?:art|weise)|"
    r"forma\s*de\s*pago|m[ée]todo\s*de\s*pago|betaalwijze|betalingswijze"
)
_ACCOUNT_HOLDER = re.compile(
    r"(?i)\b(?:titulaire(?:\s*du\s*compte)?|account\s*(?:holder|name)|kontoinhaber|beneficiary|"
    r"b[ée]n[ée]ficiaire|payable\s*to|pay\s*to|cheques?\s*(?:payable\s*)?to|titular|rekeninghouder|"
    r"ten\s*name\s*van)\b"
)


def _column_below(
    lines: list[Line], li: int, head: Segment, stop_at_labels: bool = True, slack: float = 0.0
) -> list[Segment]:
    """Segments stacked under a heading cell ("Bill to", "Adresse du client"): same left edge give or
    take an indent (and `slack` on OCR'd pages), consecutive lines, up to the next heading or a blank
    of two line heights."""
    out: list[Segment] = []
    last_y1 = head.y1
    for line in lines[li + 1 : li + 12]:
        h = max(line.height, 6.0)
        if line.y0 - last_y1 > 2.2 * h:
            break
        near = [
            s
            for s in line.segments
            if head.x0 - 12 - slack <= s.x0 <= head.x0 + 30 + slack and s.x0 < head.x1 + 10 + slack
        ]
        if not near:
            continue
        seg = near[0]
        if stop_at_labels and _starts_with_party_label(seg):
            break
        out.append(seg)
        last_y1 = seg.y1
    return out


# What may follow a party label in a heading cell: nothing, a colon (the name may follow it), or a
# generic heading noun ("Customer details", "Kundendaten"). Anything else is text that merely opens
# with the word: "Buyer line 2", "customer's IT department", "Client nom commercial".
_HEADING_NOUN = re.compile(
    r"(?i)^(?:(?:trade|company|legal)\s+)?(?:details?|information|info|address|adresse|anschrift|data|"
    r"daten|gegevens|datos|informations|coordonn[ée]es|identification|name|nom|naam|nombre)\b\s*:?\s*$"
)
# Words that may precede the party word in a heading: "Datos del cliente", "Coordonnées du client".
_HEADING_PREFIX = re.compile(
    r"(?i)^\s*(?:datos|donn[ée]es|coordonn[ée]es|adresse|address|gegevens|angaben|daten|details|"
    r"informations?|informaci[óo]n|direcci[óo]n|identit[ée])\s+(?:du|de|del|des|de\s+la|van|der|des|the|of)?\s*$"
)
_PREPOSITION_END = re.compile(r"(?i)(?:\bto|\ban|\bà|\ba|\baan|\bby|\bpar|\bfor|\bpour|\bfür)\s*$")


def _heading_rest_ok(label: re.Match[str], text: str, ocr: bool = False) -> bool:
    """Does the text after a party label leave the segment a heading? (see _HEADING_NOUN) On an
    OCR'd page a lone mark or digit after it is its colon misread ("CLIENT $", "Bill to;", "CLIENT
    2": akretion on seed 1597, whose customer block was then lost)."""
    rest = text[label.end() :].strip()
    if not rest or rest.startswith(":") or _HEADING_NOUN.match(rest):
        return True
    if ocr and re.fullmatch(r"[^\w\s]|\d", rest):
        return True
    return bool(_PREPOSITION_END.search(label.group()))


def _starts_with_party_label(seg: Segment) -> bool:
    """A heading of another party block ("Ship to", "Seller", "Client") starts this segment."""
    if SHIP_BLOCK.search(seg.text[:20]):
        return True
    found = best_label(seg.text, CUSTOMER_BLOCK) or best_label(seg.text, VENDOR_BLOCK)
    return bool(
        found and found[0].start() <= 2 and len(seg.text) < 40 and _heading_rest_ok(found[0], seg.text)
    )


def _window_below(
    lines: list[Line], li: int, sender: Segment, height: float, slack: float = 0.0
) -> list[Segment]:
    for lj in range(li + 1, min(li + 6, len(lines))):
        line = lines[lj]
        if line.y0 - sender.y1 > 0.15 * height:
            break
        near = [s for s in line.segments if abs(s.x0 - sender.x0) <= 15 + slack]
        if not near:
            continue
        seg = near[0]
        name = _clean_name(seg.text)
        if _IDS.search(seg.text) or _CONTACT.search(seg.text) or not _plausible_name(name):
            continue
        below = _column_below(lines, lj, seg, slack=slack)
        if any(_address_like(s) for s in below[:4]):
            return [seg, *below]
    return []


# Customer block headings as printed, for OCR'd pages where a misread letter or two ("Adresse de
# lacluration") defeats the label patterns and the heading would be taken for the customer's name.
_CUSTOMER_HEADINGS = (
    "bill to",
    "bill to address",  # AWS's heading; "Bll to Address:" (latin5, seed 2053) is far from "bill to"
    "billed to",
    "invoice to",
    "sold to",
    "billing address",
    "invoice address",
    "customer",
    "client",
    "cliente",
    "customer details",
    "client details",
    "rechnungsempfänger",
    "rechnungsadresse",
    "rechnungsanschrift",
    "rechnung an",
    "leistungsempfänger",
    "kundendaten",
    "facturé à",
    "facturer à",
    "adresse de facturation",
    "adresse du client",
    "destinataire",
    "facturar a",
    "dirección de facturación",
    "datos del cliente",
    "factuuradres",
    "factuur aan",
    "gefactureerd aan",
)


def _fuzzy_heading(text: str) -> bool:
    """An OCR'd segment that reads as a customer heading with a few letters wrong: two to four words
    of letters, at least 85 % alike (difflib) to a printed heading, and more than one word so that a
    short name ("Clint") is never taken for "Client" -- unless a colon ends the one word, which a
    name never has ("(CLENT :" with its frame's rule read as a bracket, akretion on seed 88). The
    capitals "LI" read as one "U" is the one exact misreading taken for a one-word heading too."""
    colon = text.rstrip().endswith((":", "="))  # its two points may read as "=" ("CUENT=": seed 2707)
    words = text.strip(" :=").lstrip("([|").lower().split()
    if not all(w.isalpha() for w in words):
        return False
    joined = " ".join(words)
    if "u" in joined and joined.replace("u", "li") in _CUSTOMER_HEADINGS:
        return True  # "LI" read as one "U": "[cuent" (akretion on seed 383)
    if not (2 <= len(words) <= 4 or (colon and len(words) == 1)):
        return False
    if is_any_label(text):
        return False  # "Invoice no:" is one letter from "Invoice to" but a field label of its own
    return any(difflib.SequenceMatcher(None, joined, h).ratio() >= 0.85 for h in _CUSTOMER_HEADINGS)


def _is_heading(seg: Segment, labels, ocr: bool = False) -> re.Match[str] | None:
    """The label that makes `seg` a party block's heading; on OCR'd pages (`ocr`) a customer
    heading misread by a letter or two counts too (the match then spans the whole segment)."""
    found = best_label(seg.text, labels)
    weak = not found or found[1] < 1.0  # a weak label inside it ("Address" of "Bll to Address:")
    if weak and ocr and labels is CUSTOMER_BLOCK and _fuzzy_heading(seg.text):
        return re.match(r"(?s).*", seg.text)
    if not found or found[1] < 1.0:
        return None
    rest = seg.text[found[0].end() :].strip(" :")
    if found[0].start() > 2 and (rest or not _HEADING_PREFIX.match(seg.text[: found[0].start()])):
        return None  # "LE CLIENT" is a name that holds the word; "Datos del cliente" is a heading
    number = best_label(seg.text, CUSTOMER_NUMBER)
    if number and number[1] >= 0.9:
        return None  # "Código cliente:", "Customer ID": a field label
    if not _heading_rest_ok(found[0], seg.text, ocr):
        return None
    if len(rest) > 40 or re.match(r"(?i)(?:number|no\.?|nr\.?|id|#|nummer|n[°º]|ref|code)\b", rest):
        return None  # "Customer No. 4711" is a field, not a block heading
    return found[0]


def _address_like(seg: Segment, ocr: bool = False) -> bool:
    return bool(
        _postcode(ocr).search(seg.text) or re.search(r"\d+\s*[A-Za-zÀ-ÿ]|[A-Za-zÀ-ÿ.,]\s+\d+", seg.text)
    )


def _name_in_block(segs: list[Segment]) -> tuple[int, str] | None:
    """Index and text of the first plausible name among the first segments of an address block."""
    for k, seg in enumerate(segs[:3]):
        name = _clean_name(seg.text)
        if _plausible_name(name):
            return k, name
        if not CONTACT_LINE.match(seg.text):
            return None
    return None


CONTACT_LINE = re.compile(rf"(?i)^\s*(?:attn|{Z_HD}|t\.a\.v|c/o)\b")


def _repeated(ctx: DocContext, name: str, own: list[Segment], exclude: list[Segment]) -> bool:
    """True when `name` is printed again low on the page (footer, bank holder): vendors repeat their name,
    recipients rarely do."""
    key = _NON_WORD.sub(" ", name.lower()).strip()
    if len(key) < 3:
        return False
    skip = {id(s) for s in own + exclude}
    for page_index, lines in enumerate(ctx.lines[:2]):
        height = ctx.page_height(page_index)
        for line in lines:
            for seg in line.segments:
                if id(seg) in skip:
                    continue
                text = _squashed(seg.text)
                if f" {key} " in text and (line.y0 > 0.7 * height or _ACCOUNT_HOLDER.search(seg.text)):
                    return True
    return False


def find_parties(ctx: DocContext) -> Parties:
    """Vendor name (with its block) and customer block (with its name) on the first page."""
    if not ctx.lines or not ctx.lines[0]:
        return Parties(None, None, None, None, [])
    lines = ctx.lines[0]
    height = ctx.page_height(0)
    ocr = ctx.doc.pages[0].text_source == "ocr"
    slack = ocr_slack(ctx.doc.pages[0])
    blocks = blocks_of(lines, slack)
    block_of = {id(s): b for b in blocks for s in b.segments}
    line_of = {id(s): li for li, ln in enumerate(lines) for s in ln.segments}

    # Customer: a block under a heading ("Bill to", "Rechnung an", "Adresse du client") first, above
    # the line items (a wrapped description may end in "client").
    tops = [box[1] for page, box in ctx.regions if page == 0]
    table_top = min(tops) if tops else None
    customer_block: Block | None = None
    customer_start = 0
    under_heading: set[int] = set()  # segments stacked under a customer heading: never a sender line
    for li, line in enumerate(lines):
        for seg in line.segments:
            m = _is_heading(seg, CUSTOMER_BLOCK, ocr)
            if m is None or SHIP_BLOCK.search(seg.text) or ctx.in_table(0, seg.bbox):
                continue
            if table_top is not None and seg.y0 >= table_top - 2:
                continue
            rest = seg.text[m.end() :].strip(" :")
            below = _column_below(lines, li, seg, slack=slack)
            under_heading |= {id(s) for s in _column_below(lines, li, seg, stop_at_labels=False, slack=slack)}
            if rest and _plausible_name(_clean_name(rest)):
                customer_block, customer_start = Block([seg, *below]), 0
            elif below:
                customer_block, customer_start = Block(below), 0
            if customer_block:
                break
        if customer_block:
            break

    cands: list[Candidate] = []
    # Sender line above the address window: "ACME GmbH - Street 1 - 12345 City".
    for li, line in enumerate(lines):
        if line.y0 > 0.45 * height:
            break
        for seg in line.segments:
            if id(seg) in under_heading:
                continue  # "Yuen Long, N.T., 0000, HK" under AWS's "Bill to Address:", past its "ATTN:"
            parts = [p for p in (_SENDER_SPLIT_OCR if ocr else _SENDER_SPLIT).split(seg.text) if p.strip()]
            if ocr and 1 <= len(parts) < 3:
                parts = _split_at_legal_form(parts[0]) + parts[1:]
            two = ocr and len(parts) == 2 and (
                (_STREET_THEN_POSTCODE.search(parts[1]) and not find_dates(parts[1], "MDY"))
                or (LEGAL_FORMS.search(parts[0]) and _postcode(ocr).search(parts[1]))
            )
            enough = len(parts) >= 3 or two
            if enough and _postcode(ocr).search(seg.text) and _plausible_name(parts[0]):
                cands.append(_seg_candidate(seg, parts[0].strip(), 0.8, "sender line"))
                if customer_block is not None:
                    continue
                # The window: the first name below it at the same left edge (skipping the sender's own
                # id line), with the lines stacked under it.
                window = _window_below(lines, li, seg, height, slack)
                if window:
                    customer_block, customer_start = Block(window), 0
    # Labelled vendor ("Seller", "Lieferant", "Vendeur", "From").
    for li, line in enumerate(lines):
        for seg in line.segments:
            found = best_label(seg.text, VENDOR_BLOCK)
            if not found and ocr and _seller_name_label(seg.text):
                found = (re.match(r"(?s).*", seg.text), 1.0)  # type: ignore[assignment]
            if not found or found[0].start() > 2:
                continue
            rest = _clean_name(seg.text[found[0].end() :].strip(" :"))
            if re.search(r"(?i)\b(?:name|nom|naam|nombre|address|adresse)\b", rest):
                rest = ""  # a column header such as "Seller trade name": the value is below
            if rest and _plausible_name(rest):
                cands.append(_seg_candidate(seg, rest, 0.9, "vendor label"))
                continue
            for below in _column_below(lines, li, seg, slack=slack)[:3]:
                name = _clean_name(below.text)
                if _plausible_name(name) and not _number_and_street(below.text):
                    cands.append(_seg_candidate(below, name, 0.9, "vendor label"))
                    break
    # Legal forms, letterhead, footer.
    cust_segs = customer_block.segments if customer_block else []
    domains = _domains(ctx, [customer_block] if customer_block else [], ocr)
    for block in blocks:
        if customer_block and any(customer_block.contains(s) for s in block.segments):
            continue
        top = block.y0 < 0.3 * height
        footer = block.y0 > 0.8 * height
        contact = sum(1 for s in block.segments if _CONTACT.search(s.text) or _IDS.search(s.text))
        for k, seg in enumerate(block.segments[:3]):
            name = _clean_name(seg.text)
            if not _plausible_name(name) or len(name.split()) > 7 or _starts_with_party_label(seg):
                continue
            has_form = bool(LEGAL_FORMS.search(name) or (ocr and _LEGAL_FORMS_OCR.search(name)))
            has_form = has_form and len(LEGAL_FORMS.sub("", name).strip(" .,&")) >= 2
            score = 0.0
            if has_form:
                score = 0.7 + (0.1 if top else 0.05 if footer else 0.0)
            elif k == 0 and top:
                score = 0.5
            elif k == 0 and footer and any(_FOOTER_LEGAL.search(s.text) for s in block.segments[1:]):
                score = 0.6
            if not score:
                continue
            if has_form and not footer and _legal_after(lines, line_of.get(id(seg))):
                score += 0.1  # "ACME Ltd" over "Registered office ... / CIN ...": the issuer's legal block
            if _name_tokens(name) & domains:
                score += 0.45
            if top and contact:
                score += 0.1 * min(contact, 2)  # a letterhead carries the sender's phone, e-mail, ids
            if not footer and _repeated(ctx, name, block.segments, cust_segs):
                score += 0.25
            cands.append(_seg_candidate(seg, name, score - 0.02 * k, "block"))
        # Free-standing footer lines "ACME SAS au capital de ..." have the name before the legal words.
        if footer:
            for seg in block.segments:
                if _FOOTER_LEGAL.search(seg.text):
                    name = _clean_name(seg.text)
                    short = len(name.split()) <= 5 and len(LEGAL_FORMS.sub("", name).strip(" .,&")) >= 2
                    if LEGAL_FORMS.search(name) and short and _plausible_name(name):
                        cands.append(_seg_candidate(seg, name, 0.75, "footer"))
    # The account holder of the bank details is the payee, i.e. the vendor.
    for line in (ln for page in ctx.lines[:2] for ln in page):
        m = _ACCOUNT_HOLDER.search(line.text)
        if m:
            rest = line.text[m.end() :]
            rest = rest[strip_len(rest) :]
            name = _clean_name(re.split(r"\s{2,}|\s[-–]\s|,|\b(?:IBAN|BIC|BLZ)\b", rest)[0])
            if name and _plausible_name(name) and len(name.split()) <= 6 and not _PAYMENT_METHOD.match(name):
                seg = next((s for s in line.segments if name in s.text), line.segments[-1])
                cands.append(_seg_candidate(seg, name, 0.85, "account holder"))
    cands = [
        c
        for c in cands
        if not (customer_block and any(customer_block.contains(s) for s in _segs_of(c, block_of)))
    ]
    vendor = max(cands, key=lambda c: (c.score, -c.y)) if cands else None
    if ocr and vendor is not None:
        vendor = _larger_print(vendor, cands)
    letterhead = vendor
    if vendor is not None:
        vendor = _legal_entity(vendor, cands)
    vendor_block = None
    if vendor is not None and vendor.words:
        vendor_block = next(
            (b for b in blocks if any(w in s.words for s in b.segments for w in vendor.words)), None
        )

    if vendor is not None and vendor_block is not None:
        vendor, vendor_block = _vendor_with_address(vendor, vendor_block, blocks, customer_block)
    if ocr and vendor is not None:  # after the block with the address took the logo's place
        lines = ctx.lines[vendor.page]
        vendor = repeated_reading(surer_reading(_glued_reading(vendor, lines), lines), lines)
        vendor = _form_as_printed(agreed_reading(vendor, lines))
        vendor = _without_trailing_stroke(vendor, domains)

    # No labelled block and no window under a sender line: the address block high on the page that
    # is not the vendor's and carries no contact details or ids of its own.
    if customer_block is None:
        best_block, best_score, best_start = None, 0.0, 0
        vendor_key = _name_tokens(vendor.value) if vendor is not None else set()
        for block in blocks:
            if block is vendor_block or block.y0 > 0.45 * height or block.y0 < 0.03 * height:
                continue
            if letterhead is not None and any(w in s.words for s in block.segments for w in letterhead.words):
                continue
            if table_top is not None and block.y0 >= table_top - 2:
                continue
            skip = _small_first_line(block, ocr)
            if vendor is not None and _return_address(block.segments[skip:], vendor.value, ocr):
                skip += 1
            named = _name_in_block(block.segments[skip:])
            if not named:
                continue
            k, name = named[0] + skip, named[1]
            addr = [s for s in block.segments[k + 1 : k + 5] if _postcode(ocr).search(s.text)]
            if not addr or SHIP_BLOCK.search(" ".join(s.text for s in block.segments[:2])):
                continue
            if vendor_key and _name_tokens(name) == vendor_key:
                continue
            if vendor is not None and _starts_with_company(name, vendor.value):
                continue  # the vendor's department ("Free Service Abonné" for "Free SAS")
            li = line_of.get(id(block.segments[k]), 0)
            above = lines[li - 1].text if li > 0 else ""
            if SHIP_BLOCK.search(above):
                continue
            score = 1.0 - 0.5 * min(1.0, sum(1 for s in block.segments if _CONTACT.search(s.text)))
            score -= 0.3 * (block.y0 / height)
            if score > best_score:
                best_block, best_score, best_start = block, score, k
        if best_block is not None:
            customer_block, customer_start = best_block, best_start

    customer_name = None
    customer_words: list[Word] = []
    if customer_block is not None:
        segs = customer_block.segments[customer_start:]
        for seg in segs:
            heading = _is_heading(seg, CUSTOMER_BLOCK, ocr)
            if heading is not None and not seg.text[heading.end() :].strip(" :"):
                continue  # the block's own heading ("Datos del cliente")
            name = _clean_name(seg.text)
            found = best_label(seg.text, CUSTOMER_BLOCK)
            if found and found[0].start() <= 2:
                name = _clean_name(seg.text[found[0].end() :].strip(" :"))
            if _plausible_name(name):
                customer_name = _seg_candidate(seg, name, 0.75, "customer block")
                customer_name = _form_as_printed(customer_name) if ocr else customer_name
                break
        customer_words = [w for s in segs for w in s.words]
    return Parties(vendor, vendor_block, customer_block, customer_name, customer_words)


def _larger_print(vendor: Candidate, cands: list[Candidate]) -> Candidate:
    """On an OCR'd page, the same name printed again in larger type (the letterhead over the small
    sender line) is the better reading of it: small print is misread most ("Kesttel & Puner Ud" for
    "Kestrel & Partners Ltd"). Same name: at least 70 % alike (difflib); larger: words a fifth taller."""
    if not vendor.words:
        return vendor
    height = sum(w.height for w in vendor.words) / len(vendor.words)
    best = vendor
    for c in cands:
        if c is vendor or not c.words or c.score < vendor.score - 0.1:
            continue
        if sum(w.height for w in c.words) / len(c.words) < 1.2 * height:
            continue
        if difflib.SequenceMatcher(None, c.value.lower(), vendor.value.lower()).ratio() >= 0.7:
            best = c if best is vendor or c.score > best.score else best
    return best


# OCR confidence under which a name's word is looked for in the name's other printings on the page,
# and how much surer (mean over the words compared) the other printing must have been read.
_UNSURE_WORD = 0.7
_SURER_BY = 0.15


def _form_as_printed(name: Candidate) -> Candidate:
    """An OCR'd name with its legal form misread as no word can be ("Alphabet Fuhrparkmanagement
    ŒmbH": latin5 reads a bold G so) written as the form, and a space read as an underscore between
    two words as a space ("QualityHosting_AG": no company name prints one); the raw text keeps the
    reading."""
    value = _SPACE_AS_UNDERSCORE.sub(" ", _GMBH_OCR.sub("GmbH", name.value))
    return replace(name, value=value) if value != name.value else name


_SPACE_AS_UNDERSCORE = re.compile(r"(?<=[^\W\d_])_(?=[^\W\d_])")

# What one stroke after a name is read as: a speck, a rule, a stroke of a logo's artwork.
_STROKES = frozenset("1lI|!")


def _without_trailing_stroke(name: Candidate, domains: set[str]) -> Candidate:
    """An OCR'd name whose last word is one stroke ("QualityHosting 1": the logo read with a stroke
    of its artwork after it, seed 3761) without it, where the rest is the domain of an e-mail or web
    address the page prints: the domain says the name is whole without it. Names that end in a
    number ("Formula 1") keep it where no domain says so."""
    parts = name.value.split()
    if len(parts) < 2 or parts[-1] not in _STROKES:
        return name
    rest = " ".join(parts[:-1])
    if re.sub(r"[^a-z0-9]", "", rest.lower()) not in domains:
        return name
    words = name.words[:-1] if name.words and name.words[-1].text == parts[-1] else name.words
    return replace(name, value=rest, words=words)


def surer_reading(name: Candidate, lines: list[Line]) -> Candidate:
    """An OCR'd name with the words it was read unsurely in taken from a surer printing of the same
    words elsewhere on the page: the remit-to line "Amazon Wob Servicos, Inc" (read at 0.58) under
    the letterhead "Amazon Web Services" (0.95) is "Amazon Web Services, Inc".

    Why: a name is printed several times (letterhead, sender line, footer, bank details), and OCR
    misreads the small printings most; `_larger_print` takes the larger printing when it is a
    candidate itself, but the letterhead is often part of a title line ("Amazon Web Services
    Invoice") or a sentence. Here only words are compared: a run of at least two of the name's
    words, one of them read under 0.7, against runs of as many words on one line elsewhere, each
    pair equal or one edit apart (so "Inc" never becomes "Invoice"), read at least 0.15 surer on
    average and none of them unsure. The longest such run is taken; the name keeps its own place
    (words and box) and its raw text, so the evidence still points at what was chosen.
    """
    own = name.words
    if len(own) < 2 or min(w.confidence for w in own) >= _UNSURE_WORD:
        return name
    mine = {id(w) for w in own}
    runs = [[w for w in line.words if id(w) not in mine] for line in lines]
    best: tuple[float, int, list[Word]] | None = None  # (confidence, start in own, the surer words)
    for length in range(len(own), 1, -1):
        for start in range(len(own) - length + 1):
            span = own[start : start + length]
            if min(w.confidence for w in span) >= _UNSURE_WORD:
                continue
            floor = sum(w.confidence for w in span) / length + _SURER_BY
            for words in runs:
                for j in range(len(words) - length + 1):
                    other = words[j : j + length]
                    conf = sum(w.confidence for w in other) / length
                    sure = conf >= floor and min(w.confidence for w in other) >= _UNSURE_WORD
                    if sure and _same_words(span, other) and (best is None or conf > best[0]):
                        best = (conf, start, other)
        if best is not None:
            break  # the longest run found
    if best is None:
        return name
    _, start, other = best
    # A word that a sure printing elsewhere reads as the name does stays: the printings disagree,
    # and the name's own is one of them (QualityHosting's logo against its footer's "QualilyHosting
    # AG", read at 0.9, on seed 947).
    confirmed = {_bare(w.text) for words in runs for w in words if w.confidence >= _UNSURE_WORD}
    return _with_readings(name, own[start : start + len(other)], [_core(w.text) for w in other], confirmed)


def _with_readings(name: Candidate, words: list[Word], readings: list[str], keep: set[str]) -> Candidate:
    """`name` with each of `words` read as its reading, in order and in place (its words, box and raw
    text stay), except a word whose own reading is in `keep` (the page prints it so elsewhere)."""
    value, at = name.value, 0
    for word, new in zip(words, readings, strict=True):
        old = _core(word.text)
        k = value.find(old, at) if old else -1
        if k < 0 or old.lower() == new.lower() or _bare(old) in keep:
            continue
        value = value[:k] + new + value[k + len(old) :]
        at = k + len(new)
    return replace(name, value=value) if value != name.value else name


def _glued_reading(name: Candidate, lines: list[Line]) -> Candidate:
    """An OCR'd name read as one word with its spaces lost, unsurely ("LefourMisSEUR" at 0.11 under
    akretion's seller heading on seed 3559; "LEFOURNISSIUR" at 0.15, latin5 on 3511), is the run
    of two to four words a surer line elsewhere prints with the same letters, one or two of them
    read otherwise ("LOGO LE FOURNISSEUR" at 0.88 in the letterhead): `surer_reading` compares
    word with word and finds no second word here. Kept as read where no such run is found."""
    glued = _bare(name.value)
    if len(name.words) != 1 or " " in name.value.strip() or len(glued) < 8 or name.words[0].confidence >= 0.5:
        return name
    mine = id(name.words[0])
    for line in lines:
        words = [w for w in line.words if id(w) != mine]
        for n in (2, 3, 4):
            for j in range(len(words) - n + 1):
                run = words[j : j + n]
                joined = "".join(_bare(w.text) for w in run)
                if min(w.confidence for w in run) < _UNSURE_WORD or len(joined) != len(glued):
                    continue
                if mismatches(joined, glued) <= 2:
                    return replace(name, value=" ".join(_core(w.text) for w in run))
    return name


def repeated_reading(name: Candidate, lines: list[Line]) -> Candidate:
    """An OCR'd name with a word taken from the reading the page prints twice or more elsewhere
    where its own reading is printed nowhere else: "Alphabel Fuhrparkmanagement GmbH" (read at
    0.85) under the logo "ALPHABET" and over the return address "Alphabet, Lilienthalallee 26"
    (ZUGFeRD's sample on seed 2939) is "Alphabet Fuhrparkmanagement GmbH".

    `surer_reading` needs two words in a row printed elsewhere and one of the name's read unsurely;
    a company's name word alone recurs on its page (logo, sender line, footer), each printing read
    on its own. Only words of five letters or more, one edit apart, and each of the other printings
    read at least as surely as the name's word: two readings that agree against one are the
    evidence."""
    mine = {id(w) for w in name.words}
    others: dict[str, list[tuple[int, Word]]] = {}
    for li, line in enumerate(lines):
        for w in line.words:
            if id(w) not in mine:
                others.setdefault(_bare(w.text), []).append((li, w))
    value = name.value
    for word in name.words:
        old = _core(word.text)
        bare = old.lower()
        if len(bare) < 5 or not bare.isalpha() or bare in others or old not in value:
            continue
        near = [
            b for b, printed in others.items()
            if len(b) >= 5 and b.isalpha() and one_edit(bare, b)
            and len({li for li, w in printed if w.confidence >= word.confidence}) >= 2
        ]
        if len(near) != 1:
            continue
        new = near[0].upper() if old.isupper() else near[0].capitalize() if old[0].isupper() else near[0]
        value = value.replace(old, new, 1)
    return replace(name, value=value) if value != name.value else name


def agreed_reading(name: Candidate, lines: list[Line]) -> Candidate:
    """An OCR'd name with the words of a run of three or more that two other lines print alike
    and otherwise: "Amazon Wob Services, Inc." (the remit-to line, read at 0.81) where the
    letterhead and the address block both read "Amazon Web Services" (at 0.77 and 0.74: AWS read by
    our five-language recogniser on seed 3329; "Wab" by the English one on 3257).

    `surer_reading` wants a surer printing, `repeated_reading` a word of five letters; here two
    printings that agree against one are the evidence, and the words around the misread one (the
    same on all three lines) say the runs are the same words. The name's own reading of a word
    must be printed nowhere else on the page."""
    own = name.words
    if len(own) < 3:
        return name
    mine = {id(w) for w in own}
    runs = [[w for w in line.words if id(w) not in mine] for line in lines]
    printed = {_bare(w.text) for words in runs for w in words}
    found: dict[tuple[str, ...], set[int]] = {}
    for length in range(len(own), 2, -1):
        for start in range(len(own) - length + 1):
            span = own[start : start + length]
            for li, words in enumerate(runs):
                for j in range(len(words) - length + 1):
                    other = words[j : j + length]
                    if _same_words(span, other):
                        key = (start, *(_core(w.text) for w in other))
                        found.setdefault(key, set()).add(li)
        agreed = [k for k, where in found.items() if len(where) >= 2]
        if agreed:
            break
    if len(agreed) != 1:
        return name
    start, *reading = agreed[0]
    return _with_readings(name, own[start : start + len(reading)], reading, printed)


def _same_words(read: list[Word], other: list[Word]) -> bool:
    """Are `other` the words `read` stands for, read otherwise: each pair equal or (3 letters or
    more) one edit apart, at least one pair not equal (case and punctuation aside)? In a run of
    three or more with a pair equal, a word of seven letters or more may have two letters wrong
    ("Amazon Web Sonvices" for "Amazon Web Services": AWS on scanner seed 3343)."""
    pairs = [(_bare(a.text), _bare(b.text)) for a, b in zip(read, other, strict=True)]
    context = len(pairs) >= 3 and any(a == b for a, b in pairs)

    def alike(a: str, b: str) -> bool:
        if a == b or (min(len(a), len(b)) >= 3 and one_edit(a, b)):
            return True
        return context and len(a) == len(b) >= 7 and a.isalpha() and b.isalpha() and mismatches(a, b) <= 2

    return all(a and b and alike(a, b) for a, b in pairs) and any(a != b for a, b in pairs)


def _core(text: str) -> str:
    """A word without the punctuation around it ("Servicos," -> "Servicos")."""
    return text.strip(".,;:()[]\"'")


def _bare(text: str) -> str:
    return _core(text).lower()


def _small_first_line(block: Block, ocr: bool) -> int:
    """1 when an OCR'd block opens with a line in smaller print than the one under it (a sender
    line over the address window whose separators and postcode OCR garbled, so it was not taken
    for one), else 0: the name is looked for below it."""
    segs = block.segments
    if not ocr or len(segs) < 3:
        return 0
    return 1 if segs[0].y1 - segs[0].y0 < 0.8 * (segs[1].y1 - segs[1].y0) else 0


def _return_address(segs: list[Segment], vendor: str, ocr: bool) -> bool:
    """Does the block open with the vendor's one-line return address over the window ("Lumen SARL ·
    61 rue de la République · 69002 Lyon": its name, then a postcode)? The recipient is under it.
    Asked where the line did not split as a sender line (OCR lost a separator)."""
    if not segs:
        return False
    return _starts_with_company(segs[0].text, vendor) and bool(_postcode(ocr).search(segs[0].text))


def _starts_with_company(name: str, legal_name: str) -> bool:
    """Does `name` open with the words of `legal_name` less its legal form ("Free Service Abonné" and
    "Free SAS")? Only for a legal name that has a form, so that a bare common word does not match."""
    if not LEGAL_FORMS.search(legal_name):
        return False
    words = re.findall(r"\w+", name.lower())
    core = re.findall(r"\w+", LEGAL_FORMS.sub(" ", legal_name).lower())
    return bool(core) and len(core) < len(words) and words[: len(core)] == core


def _legal_entity(vendor: Candidate, cands: list[Candidate]) -> Candidate:
    """A letterhead or return address naming a department ("Free Service Abonné", "ACME Billing")
    when the legal block names the company ("Free SAS au capital de ..."): the legal name is the
    vendor's. Only when the letterhead carries no legal form and starts with the legal name's words."""
    if LEGAL_FORMS.search(vendor.value):
        return vendor
    best_legal: Candidate | None = None
    for c in cands:
        if c is vendor or not LEGAL_FORMS.search(c.value):
            continue
        if _starts_with_company(vendor.value, c.value) and (best_legal is None or c.score > best_legal.score):
            best_legal = c
    return best_legal if best_legal is not None else vendor


def _vendor_with_address(
    vendor: Candidate, block: Block, blocks: list[Block], customer_block: Block | None
) -> tuple[Candidate, Block]:
    """A letterhead name printed alone (a big title) whose address sits in a second block under the
    same name ("From / ACME Ltd / 3 High St ..."), or under a fuller one that begins with it (a logo
    read as "cronus" over the block "CRONUS DE / Hofstraße 12 / ...", also where a speck beside it
    was read as a lone character, `_SPECK_AFTER`): take that block, so the address can be read."""
    idx = next((i for i, s in enumerate(block.segments) if any(w in s.words for w in vendor.words)), None)
    if idx is None or any(_address_like(s) for s in block.segments[idx + 1 : idx + 4]):
        return vendor, block
    if "·" in block.segments[idx].text or _POSTCODE.search(block.segments[idx].text):
        return vendor, block  # a one-line letterhead carries its own address
    key = _SPECK_AFTER.sub("", re.sub(r"\W+", " ", vendor.value.lower()).strip())
    for other in blocks:
        if other is block or other is customer_block:
            continue
        for k, seg in enumerate(other.segments[:3]):
            name = re.sub(r"\W+", " ", _clean_name(seg.text).lower()).strip()
            if name != key and not name.startswith(key + " "):
                continue
            if any(_address_like(s) for s in other.segments[k + 1 : k + 4]):
                return _seg_candidate(seg, _clean_name(seg.text), vendor.score, vendor.label), other
    return vendor, block


# A lone character after a name's words: a speck beside a logo read as a letter or digit ("cronus 3",
# 103767's logo on scanner seed 467), or as two digits ("cronus 28", "cronus 38": seeds 773, 907);
# the name it is compared with does not carry it.
_SPECK_AFTER = re.compile(r"(?<=\w{3}) (?:\w|\d\d)$")


def _number_and_street(text: str) -> bool:
    """A house number, then a street named by its kind ("35 rue d'ici, Seller line 2"): an address
    line, never a name. Under "SELLER TAX REP" (the tax representative akretion prints, its heading
    taken for a seller's) it became the vendor where a scan lost "SELLER TRADE NAME" (seed 1051)."""
    return bool(_HOUSE_NUMBER.match(text)) and bool(_STREET.search(text))


_HOUSE_NUMBER = re.compile(r"\s*\d+[A-Za-z]?,?\s")


def _legal_after(lines: list[Line], li: int | None) -> bool:
    if li is None:
        return False
    return any(_FOOTER_LEGAL.search(ln.text) for ln in lines[li + 1 : li + 3])


def strip_len(text: str) -> int:
    m = re.match(r"[\s:.\-–]*", text)
    return m.end() if m else 0


def _segs_of(cand: Candidate, block_of: dict[int, Block]) -> list[Segment]:
    # Words compare by value (frozen dataclass) and hash alike, so a set answers `w in seg.words`
    # for every candidate word without comparing it with each word of every segment.
    cand_words = set(cand.words)
    out = []
    for block in {id(b): b for b in block_of.values()}.values():
        for seg in block.segments:
            if not cand_words.isdisjoint(seg.words):
                out.append(seg)
    return out


# A line that ends an address: contact details, tax and bank ids, registrations.
_ADDRESS_STOP = re.compile(
    r"(?i)@|www\.|https?://|\b(?:tel|t[ée]l[ée]?(?:phone|fon|fono)?|fax|phone|mobile?|e-?mail|iban|bic|swift|"
    r"vat|btw|tva|ust|mwst|uid|kvk|siret|siren|contact|kontakt|gstin|nif|cif|tax|steuer|abn|ein|gln|"
    r"rcs|hrb|duns)\b|^\+?\d[\d ()/.\-]{7,}$"
)
_COUNTRY_LINE = re.compile(r"^(?:[A-Z]{2}|[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ.\- ]{2,30})$")


# A street named by its kind ("Musterweg", "Hofstraße", "rue des Lilas", "Kalverstraat", "Main Street"):
# the line over a postcode line that names one is the street even without a number (OCR loses a lone
# "1" at the end of a line; some streets are printed without one).
_STREET = re.compile(
    r"(?i)(?:\b(?:rue|avenue|boulevard|chemin|place|allée|quai|impasse|route|calle|avenida|plaza|paseo|"
    r"camino|street|road|lane|drive|square|laan|plein|kade)\b|"
    r"[a-zß](?:straße|strasse|str\.|weg|allee|platz|gasse|damm|ufer|straat|laan|gracht|dijk|singel)\b)"
)


def address_after(
    block: Block | None,
    name: Candidate | None,
    max_lines: int = 4,
    lines: list[Line] | None = None,
    ocr: bool = False,
) -> Evidence:
    """The address lines that follow the name in its block (street, postcode and town, country), or
    the rest of the name's own line when it is a one-line sender ("ACME GmbH · Street 1 · 12345 City").
    With the page's `lines`, a block that holds no address lets the segments printed right of the
    name on its line be read as one (`_address_right_of`). `ocr`: the page was OCR'd, so postcodes
    and separators are read as OCR misreads them (`_POSTCODE_OCR`, `_SENDER_SPLIT_OCR`).

    Lines between the name and the first street-like line (a department, a trade name, a contact) are
    skipped; "Attn"/"z. Hd." lines too. The address ends at a contact or id line, another party's
    heading, or after the postcode line (and a country line under it)."""
    if block is None or name is None:
        return Evidence(None)
    idx = next((i for i, s in enumerate(block.segments) if any(w in s.words for w in name.words)), None)
    if idx is None:
        return Evidence(None)
    postcode = _postcode(ocr)
    inline = _inline_address(block.segments[idx], name, ocr)
    if inline is not None:
        return inline
    segs = block.segments[idx + 1 :]
    picked: list[Segment] = []
    skipped = 0
    for k, seg in enumerate(segs):
        t = seg.text.strip()
        if _ADDRESS_STOP.search(t) or _starts_with_party_label(seg) or is_any_label(t):
            break
        if CONTACT_LINE.match(t):
            continue
        if not picked and not _address_like(seg, ocr):
            skipped += 1
            if skipped > 2:
                break
            continue  # a department or contact line under the name
        before = segs[k - 1] if k else None
        if not picked and before is not None and postcode.search(t) and _STREET.search(before.text):
            picked.append(before)  # the street over the postcode line, its number lost or not printed
        picked.append(seg)
        nxt = segs[k + 1] if k + 1 < len(segs) else None
        if postcode.search(t) and not (nxt is not None and postcode.search(nxt.text) and len(picked) == 1):
            # The postcode line ends the address; a country line may follow it.
            if nxt is not None and _is_country_line(nxt.text):
                picked.append(nxt)
            break
        if len(picked) >= max_lines:
            break
    if not picked or not any(postcode.search(s.text) or re.search(r"\d", s.text) for s in picked):
        return _address_right_of(lines, block.segments[idx], name, ocr) if lines else Evidence(None)
    text = ", ".join(_address_line(s.text, ocr).strip(" ,") for s in picked)
    return Evidence.from_words(text, [w for s in picked for w in s.words], 0.6, raw=text)


def _address_line(text: str, ocr: bool) -> str:
    """An OCR'd address line without the frame's rule glued to its first word ("IMON ADRESSE LIGNE
    1", "IBuyer line 3": akretion's customer block on seed 1619; `FRAME_RULE`), with a postcode's
    zeros read as o's read back (`_POSTCODE_WITH_OS`) and a house number "1" read as a letter after
    its street's name read back (`_ONE_AS_LETTER`)."""
    if not ocr:
        return text
    text = text[1:] if FRAME_RULE.match(text) else text
    text = _POSTCODE_WITH_OS.sub(_postcode_digits, text)
    return _ONE_AS_LETTER.sub("1", text) if _STREET.search(text) else text


# A postcode whose zeros were read as the letter "o" ("(o6ooo MA VILLE, FR": akretion's customer on
# seed 2939, a frame's rule read "(" before it): four to six characters of digits and o's, one digit
# at least, opening the line before a capitalised word. No postcode mixes digits with an "o" (UK
# codes that hold an O hold other letters too), so each o is a zero; the frame's mark goes with it.
_POSTCODE_WITH_OS = re.compile(r"^[(\[|]?([0-9oO]{4,6})(?=\s+[A-ZÀ-Þ])")


def _postcode_digits(m: re.Match[str]) -> str:
    code = m.group(1)
    return code.translate(_O_AS_ZERO) if any(c.isdigit() for c in code) else m.group()


_O_AS_ZERO = str.maketrans("oO", "00")


# A house number "1" read as "I", "l" or "|" at the end of a street line ("Musterweg I": ZUGFeRD's
# customer on seed 2339): after a street's name no letter stands alone as its number.
_ONE_AS_LETTER = re.compile(r"(?<=[^\W\d_]{3} )[Il|](?=\s*,?\s*$)")


def _address_right_of(lines: list[Line], seg: Segment, name: Candidate, ocr: bool) -> Evidence:
    """A one-line letterhead whose separators left gaps instead of marks ("ACME GmbH   Street 1
    12345 City": OCR drops the "·", the words are measured apart): the segments right of the name's
    segment on its line, each within two line heights of the one before, up to a contact or id; an
    address only with a postcode. Asked only when the name's own block holds no address."""
    if not name.words or name.words[-1] is not seg.words[-1]:
        return Evidence(None)  # text follows the name inside its segment: not a gap-separated line
    line = next((ln for ln in lines if any(s is seg for s in ln.segments)), None)
    if line is None:
        return Evidence(None)
    k = next(i for i, s in enumerate(line.segments) if s is seg)
    picked: list[Segment] = []
    last = seg
    for other in line.segments[k + 1 :]:
        t = other.text.strip()
        if other.x0 - last.x1 > 2 * max(line.height, 1.0) or _ADDRESS_STOP.search(t) or is_any_label(t):
            break
        picked.append(other)
        last = other
    if not picked or not any(_postcode(ocr).search(s.text) for s in picked):
        return Evidence(None)
    text = ", ".join(s.text.strip(" ,") for s in picked)
    return Evidence.from_words(text, [w for s in picked for w in s.words], 0.55, raw=text)


def _is_country_line(text: str) -> bool:
    """ "FR", "Germany", "United Kingdom": a short letters-only line under the postcode line."""
    t = text.strip()
    return bool(
        _COUNTRY_LINE.match(t) and len(t.split()) <= 3 and not _ADDRESS_STOP.search(t) and not is_any_label(t)
    )


def _inline_address(seg: Segment, name: Candidate, ocr: bool = False) -> Evidence | None:
    """The address printed on the name's own line after a separator: a sender line above the address
    window or a one-line letterhead ("ACME Ltd | 3 High St | London EC1A 1BB | Tel ...")."""
    last = name.words[-1] if name.words else None
    if last is None or last not in seg.words:
        return None
    start = sum(len(w.text) + 1 for w in seg.words[: seg.words.index(last) + 1])
    rest = seg.text[start:]
    m = re.match(r"\s*(?:[-–·|•,.'‘’:;]\s*)" if ocr else r"\s*(?:[-–·|•,]\s*)", rest)
    if not m:
        return None
    parts: list[str] = []
    for part in (_SENDER_SPLIT_OCR if ocr else _SENDER_SPLIT).split(rest[m.end() :]):
        part = part.strip(" ,;")
        if not part:
            continue
        if _ADDRESS_STOP.search(part):
            break
        parts.append(part)
    if not parts or not any(_postcode(ocr).search(p) for p in parts):
        return None
    text = ", ".join(parts)
    pos = seg.text.find(parts[0], start)
    end = seg.text.find(parts[-1], pos) + len(parts[-1]) if pos >= 0 else -1
    words = span_words(seg, pos, end) if pos >= 0 and end > pos else seg.words
    return Evidence.from_words(text, words, 0.6, raw=seg.text[pos:end] if pos >= 0 else text)

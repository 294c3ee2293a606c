"""Column-label vocabulary (EN/DE/FR/ES/NL) and the keywords that end or interrupt a table.

Labels are matched on normalised word sequences (lower case, accents and edge punctuation removed),
longest phrase first, so "Unit Price" wins over "Unit" and "Prijs per stuk" over "Prijs". Each label
carries a strength: weak labels ("VAT", "Item", "No.") only decide a column when nothing stronger
sits in the same stacked header cell.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.layout import median
from pipeline.model import Word
from pipeline.normalize.amounts import parse_amount
from pipeline.normalize.similar import mismatches, one_edit
from pipeline.ocr_repair import LABEL_FRAME_RULE, STRAY_MARKS

# Fields a column can map to; "other" columns are kept so their words do not spill into neighbours.
NUMERIC_FIELDS = frozenset(
    {"quantity", "unit_price", "discount_rate", "discount_amount", "tax_rate", "tax_amount", "total",
     "discount", "tax"}
)

_LABELS: dict[str, tuple[str, float]] = {}


def _add(field: str, strength: float, *phrases: str) -> None:
    for phrase in phrases:
        _LABELS[norm_phrase(phrase)] = (field, strength)


# Punctuation around a label word: brackets and marks, and what OCR reads for specks beside it.
_AROUND_LABEL = ".,:;()[]{}*/\\" + STRAY_MARKS + "«»~^"


@functools.lru_cache(maxsize=16384)
def norm_token(text: str) -> str:
    """Lower case, accents dropped, surrounding punctuation removed (keeps a lone "%" or "#"); the
    typographic quotes, tildes and backticks too, which OCR reads for specks beside a label
    ("„Bedrag", "~VK-Preis")."""
    s = unicodedata.normalize("NFKD", text.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    stripped = s.strip(_AROUND_LABEL)
    if stripped or set(s.strip()) <= set(".,:;"):  # a point OCR boxed apart ("P . unit") is no token
        return stripped
    return s.strip()


def norm_phrase(text: str) -> tuple[str, ...]:
    return tuple(t for t in (norm_token(w) for w in text.split()) if t)


_add("position", 0.6, "pos", "position", "#", "no", "nr", "n°", "nº", "ligne", "line", "lfd nr", "zeile",
     "posicion", "posición", "pos nr", "regel")
_add("product_code", 0.8, "art.-nr", "art-nr", "art nr", "artikelnr", "artikelnummer", "artikel-nr",
     "item code", "item no", "item #", "sku", "code", "code article", "reference", "référence", "ref",
     "réf", "codigo", "código", "cod", "product code", "part no", "part number", "product no",
     "artikelcode", "productcode", "bestelnr", "materialnr", "ean")
_add("item", 0.4, "item", "items", "artikel", "article", "articulo", "artículo", "produkt", "product",
     "produit", "producto", "service", "services", "leistung")
_add("description", 1.0, "description", "beschreibung", "bezeichnung", "artikelbezeichnung",
     "leistungsbeschreibung", "beschrijving", "omschrijving artikel", "designation", "désignation",
     "nom & designation", "libelle", "libellé",
     "descripcion", "descripción", "concepto", "omschrijving", "details", "particulars",
     "item description", "product description", "description of goods", "text", "artikel/omschrijving")
_add("quantity", 1.0, "qty", "quantity", "menge", "anzahl", "quantite", "quantité", "qte", "qté",
     "cantidad", "cant", "aantal", "aant", "hoeveelheid", "stückzahl", "ctd", "qté fact", "anz", "stk",
     "stück", "hours", "hrs", "stunden",
     "std", "heures", "horas", "uren", "units", "qté.", "qty.")
# "Qt." is printed for quantity, and OCR often drops the "y" of "Qty".
_add("quantity", 0.9, "qt", "qt.")
_add("unit", 0.9, "unit", "einheit", "unite", "unité", "unidad", "eenheid", "me", "uom", "u.m", "ud")
_add("unit_price", 1.0, "unit price", "price", "rate", "einzelpreis", "e-preis", "ep", "preis",
     "stückpreis", "stuckpreis", "preis/einheit", "prix unitaire", "prix", "p.u", "pu", "p.u. ht",
     "prix u", "precio unitario", "precio", "precio unit", "p unit", "pr unit", "prix unit",
     "p unitario", "pvp", "preis/einh", "preis je einheit", "stuksprijs", "prijs/st", "prijs per eenheid",
     "prijs", "stukprijs", "prijs per stuk", "p.u.ht", "pu ht", "p.u.h.t", "p.u.ttc", "p.u. ttc",
     "eenheidsprijs", "vk-preis", "price/unit", "unit cost", "cost", "unit price excl", "einzelpreis netto",
     "price per unit", "tarif", "tarifa")
_add("total", 1.0, "amount", "total", "line total", "line amount", "betrag", "gesamt", "gesamtpreis",
     "gesamtbetrag", "summe", "montant", "montant ht", "total ht", "importe", "bedrag", "totaal",
     "zeilenbetrag", "net amount", "nettobetrag", "netto", "subtotal", "sub-total", "amount excl",
     "prix total", "precio total", "total línea", "totaalbedrag", "positionsbetrag", "wert", "extended",
     "ext price", "prijs incl", "total price", "gesamt netto")
_add("tax", 0.5, "vat", "tax", "taxes", "mwst", "ust", "tva", "iva", "btw", "steuer", "gst", "igv")
_add("tax_rate", 1.0, "vat %", "vat rate", "tax %", "tax rate", "mwst %", "mwst.-satz", "mwst-satz",
     "ust %", "ust.-satz", "steuersatz", "tva %", "taux tva", "taux", "iva %", "tipo iva", "btw %",
     "btw-tarief", "%", "% vat", "% tva", "% iva", "% btw", "% mwst", "% ust")
_add("tax_amount", 1.0, "vat amount", "tax amount", "mwst-betrag", "mwst betrag", "ust-betrag",
     "montant tva", "btw bedrag", "btw-bedrag", "importe iva", "cuota iva", "cuota")
_add("discount", 1.0, "discount", "disc", "rabatt", "rab", "remise", "descuento", "dto", "korting",
     "nachlass")
_add("discount_rate", 1.0, "disc.%", "disc %", "discount %", "rabatt %", "remise %", "dto %",
     "descuento %", "korting %", "rab %", "rab.%", "% discount", "% rabatt")

# Words that only qualify a label next to or above them ("Unit Price Excl. VAT", "TOTAL HT (EUR)").
QUALIFIERS = frozenset(
    norm_token(w)
    for w in ("excl", "excl.", "incl", "incl.", "inkl", "zzgl", "ht", "ttc", "(eur)", "eur", "€", "$", "£",
              "usd", "gbp", "chf", "net", "netto", "brutto", "gross", "ohne", "mit", "per", "pro", "stuk",
              "(-)", "(+)", "in", "en", "(€)", "sans", "avec", "hors", "taxe", "taxes", "vat", "mwst", "btw",
              "tva", "iva", "ust", "%", "de", "the", "for", "pour", "por", "charge", "excluding", "including",
              "exkl", "sin", "con", "exc", "inc", "ex", "unit", "unitaire", "unitario")
)

_TOTALS_WORDS = (
    "subtotal", "sub-total", "sub total", "zwischensumme", "nettobetrag", "netto", "gesamtbetrag",
    "gesamtsumme", "rechnungsbetrag", "summe", "sous-total", "sous total", "total ht", "total ttc",
    "total tva", "total", "totaal", "subtotaal", "totale", "base imponible", "importe total", "total factura",
    "net total", "grand total", "amount due", "balance due", "montant total", "net a payer", "net à payer",
    "te betalen", "factuur totaal", "zu zahlen", "gesamt", "endbetrag", "exclusief btw", "tax", "vat",
    "mwst", "ust", "tva", "iva", "btw", "totals", "invoice total", "total eur", "total due",
    "montant ht", "montant net", "total net", "net amount", "importe neto", "nettosumme", "netto bedrag",
)
_CARRY_WORDS = (
    "carried forward", "brought forward", "carry forward", "c/f", "b/f", "übertrag", "uebertrag", "ubertrag",
    "report", "à reporter", "a reporter", "reporté", "reporte", "suma y sigue", "suma anterior", "transport",
    "transporté", "transporte", "saldo vorseite", "vortrag", "zwischensumme übertrag", "van vorige pagina",
    "naar volgende pagina", "transportsaldo", "continued", "a transportar",
)


def _keyword_re(words: tuple[str, ...]) -> re.Pattern[str]:
    alts = sorted((re.escape(norm_text(w)) for w in words), key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(alts) + r")(?![a-z])")


@functools.lru_cache(maxsize=16384)
def norm_text(text: str) -> str:
    """Lower case with accents dropped; cached: the same words are normalised again and again."""
    s = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in s if not unicodedata.combining(c)).strip()


_TOTALS_RE = _keyword_re(_TOTALS_WORDS)
_CARRY_RE = _keyword_re(_CARRY_WORDS)


def is_totals_text(text: str) -> bool:
    """True when `text` opens with a totals label (the block that closes a line-item table)."""
    return bool(_TOTALS_RE.match(norm_text(text)))


_RATE_TOKEN = re.compile(r"^\(?[-+]?\d{1,3}(?:[.,]\d{1,3})?%\)?$")
_TOTALS_FILLER = frozenset({"on", "of", "over", "sur", "auf", "uber", "van", "de", "op", "del", "sobre"})
_CURRENCY_TOKENS = frozenset({"€", "$", "£", "¥", "₹", "eur", "usd", "gbp", "chf", "inr", "cad", "aud",
                              "sek", "nok", "dkk", "pln", "czk", "huf", "jpy", "fr", "sfr", "rs"})


def is_totals_amount_text(text: str, hint: str | None = None) -> bool:
    """A totals label followed only by amounts ("Subtotal: 490.00 EUR", "VAT 19%: 93.10", "Total TTC
    583,10 €", "Amount due $583.10"): the block under the items, wherever the line starts.

    A line item whose description merely begins with such a word ("Total station rental", "VAT
    registration service") has other words after the label, so it does not match.
    """
    norm = norm_text(text)
    m = _TOTALS_RE.match(norm)
    if m is None:
        return False
    rest = re.sub(r"(\d)\s+%", r"\1%", norm[m.end():])
    amounts = 0
    for raw in rest.replace(":", " ").split():
        token = norm_token(raw)
        if not token or (not any(ch.isalnum() for ch in token) and token not in "€$£"):
            continue  # punctuation between label and amount
        if token in _TOTALS_FILLER or token in QUALIFIERS or token in _CURRENCY_TOKENS:
            continue
        if _RATE_TOKEN.match(raw.strip(":")) or _RATE_TOKEN.match(token):
            continue
        if parse_amount(token.strip("€$£"), hint) is not None or parse_amount(raw, hint) is not None:
            amounts += 1
            continue
        return False
    return amounts > 0


_PAGE_NUMBER_RE = re.compile(
    r"^(?:page|seite|pagina|blatt|blad|hoja|feuille|p\.|s\.)\s*\d+\s*(?:(?:of|von|van|de|sur|/)\s*\d+)?$"
)


def is_page_number(text: str) -> bool:
    """"Page 2 of 3", "Seite 1 von 2", "Página 1 de 4": running page furniture, never an item."""
    return bool(_PAGE_NUMBER_RE.match(norm_text(text)))


def is_carry_text(text: str) -> bool:
    """True for "carried forward" / "Übertrag" style lines between pages: never an item."""
    return bool(_CARRY_RE.match(norm_text(text)))


@dataclass(slots=True)
class LabelMatch:
    field: str
    strength: float
    start: int  # word index in the line
    end: int  # exclusive


# Every word of six letters or more in a label phrase, for `_fuzzy_word`.
_LABEL_WORDS = frozenset(w for key in _LABELS for w in key if len(w) >= 6 and w.isalpha())


def _phrase_holes() -> dict[tuple[str, ...], list[tuple[str, tuple[str, float]]]]:
    """Each phrase of two words or more under each of its words of four letters or more left out,
    for `_one_word_off`: (phrase with "" in that word's place) -> [(the word, what it labels)]."""
    holes: dict[tuple[str, ...], list[tuple[str, tuple[str, float]]]] = {}
    for key, hit in _LABELS.items():
        for k, word in enumerate(key):
            if len(key) >= 2 and len(word) >= 4 and word.isalpha():
                holes.setdefault((*key[:k], "", *key[k + 1 :]), []).append((word, hit))
    return holes


_PHRASE_HOLES = _phrase_holes()


def match_labels(
    texts: list[str], breaks: frozenset[int] = frozenset(), ocr: bool = False
) -> list[LabelMatch | None]:
    """Greedy longest-phrase matching over a line's words; one entry per word (None = no label).

    Words of one phrase share the same LabelMatch object. A phrase never spans a break (`k` in
    `breaks`: a column gap before word `k`), so two neighbouring labels such as "Tax" | "Amount" stay
    two columns instead of reading as the phrase "Tax Amount". On OCR'd pages (`ocr`) a word that is
    no label may still be a one-word label with a letter misread (`_fuzzy_hit`: "Artlkel";
    "ute" for "Qté", `_qte_hit`; "BIW" for "BTW", `_tax_head_hit`) or a two-word one run together
    (`_glued_hit`: "TOTALHT") or joined by underscores (`_underscored_hit`: "Line_Amount_Excl.VAT")
    or glued to its bracketed qualifier (`_bracket_glued_hit`: "P.U.HT(EUR)") or an abbreviation
    whose qualifier
    was misread (`_dotted_hit`: "P.U.MT") or whose points were lost (`_undotted_hit`: "PU.HT"), and a
    phrase whose first word is glued to a frame's rule read as a letter ("INOM & DESIGNATION",
    `LABEL_FRAME_RULE`) is tried without that letter when it matches nothing as read, and two words in
    one cell may be one label the recogniser split ("Beschre ibung": QualityHosting on seed 509), a
    phrase's last word may have a letter wrong ("Nom & DESIgNaTON", `_fuzzy_word`), a one-word label
    may open with an "l" read for its "I" (`_l_for_i_hit`: "ltem"), and any one
    character between two words may be the phrase's "&" ("2", "8"; "r" by latin5 on seed 2269): the
    words around it must make a phrase with "&" as they are.
    """
    tokens = [norm_token(t) for t in texts]
    unglued = [norm_token(t[1:]) if ocr and LABEL_FRAME_RULE.match(t) else "" for t in texts]
    out: list[LabelMatch | None] = [None] * len(tokens)
    i = 0
    while i < len(tokens):
        found: LabelMatch | None = None
        for n in (4, 3, 2, 1):
            if i + n > len(tokens) or any(k in breaks for k in range(i + 1, i + n)):
                continue
            key = tuple(t for t in tokens[i : i + n] if t)
            hit = _LABELS.get(key)
            if hit is None and unglued[i]:
                hit = _LABELS.get(tuple(t for t in (unglued[i], *tokens[i + 1 : i + n]) if t))
            if hit is None and n >= 2 and ocr and key == tuple(tokens[i : i + n]):
                last = _fuzzy_word(key[-1])  # "nom & designaton" (seed 643): the phrase's last word
                hit = _LABELS.get((*key[:-1], last)) if last else _one_word_off(key)
            if hit is None and n == 3 and ocr and len(tokens[i + 1]) == 1:
                hit = _LABELS.get((tokens[i], "&", tokens[i + 2]))  # "NOM 2 DESIGNATION" (seed 557)
            if hit is None and n == 2 and ocr and key == tuple(tokens[i : i + 2]) and "".join(key).isalpha():
                # one word OCR read as two ("Beschre ibung"), a letter of it wrong too ("Beschre
                # übung": seed 2939)
                hit = _LABELS.get(("".join(key),)) or _joined_hit("".join(key))
            if hit is None and n == 1:
                hit = _split_hit(tokens[i])
            if hit is None and n == 1 and ocr:
                hit = (_fuzzy_hit(tokens[i]) or _qte_hit(tokens[i]) or _tax_head_hit(tokens[i])
                       or _glued_hit(tokens[i]) or _underscored_hit(tokens[i]) or _dotted_hit(tokens[i])
                       or _undotted_hit(tokens[i]) or _bracket_glued_hit(tokens[i])
                       or _l_for_i_hit(tokens[i]))
            if hit is not None:
                found = LabelMatch(hit[0], hit[1], i, i + n)
                break
        if found is None:
            i += 1
            continue
        for k in range(found.start, found.end):
            out[k] = found
        i = found.end
    return out


def column_breaks(words: list[Word]) -> frozenset[int]:
    """Word indices preceded by a gap wider than a word space: where one header cell ends.

    A word space is a quarter of the font size (0.6 of it in Courier, about half a line height);
    header cells of different columns sit further apart than that.
    """
    out = set()
    # The line's type size: a point or a comma OCR boxed alone has a box of its own ink's height.
    height = max(1.0, median([w.height for w in words]))
    for k in range(1, len(words)):
        if words[k].x0 - words[k - 1].x1 > 0.75 * height:
            out.add(k)
    return frozenset(out)


def match_words(words: list[Word], ocr: bool = False) -> list[LabelMatch | None]:
    """`match_labels` over a line's words, phrases kept inside one header cell."""
    return match_labels([w.text for w in words], column_breaks(words), ocr)


# The French "Qté" as our English recogniser reads it: it has no "é" and loses the Q's tail, so
# the bold head comes back as "ate", "ote" or "ute" at 0.94-0.99 (scan seeds 3, 29, 353, 461), and
# Tesseract's reading is never asked for. Too short for `_fuzzy_hit`; no table header prints a
# three-letter word one letter off "qte" as a word of its own.
def _qte_hit(token: str) -> tuple[str, float] | None:
    if len(token) == 3 and token.isalpha() and mismatches(token, "qte") == 1:
        return _LABELS.get(("qte",))
    return None


# The "T" of a three-letter tax head read as a thin letter or a "1" ("BIW" for "BTW": saeco's rate
# head on seed 2371, whose rows lost their rate).
_T_READS = str.maketrans("il1", "ttt")


def _tax_head_hit(token: str) -> tuple[str, float] | None:
    """A three-letter tax head ("btw", "vat", "tva") whose "T" OCR read as "I", "l" or "1"; with a
    percent sign after it, the rate's head ("VAI%" for "VAT %": 103767 read by our five-language
    recogniser on seed 3217, glued to the next head)."""
    rate = token.endswith("%")
    if len(token) != 3 + rate:
        return None
    hit = _LABELS.get((token.removesuffix("%").translate(_T_READS),))
    if hit is None or hit[0] != "tax":
        return None
    return ("tax_rate", 1.0) if rate else hit


def _glued_hit(token: str) -> tuple[str, float] | None:
    """A two-word label whose space OCR lost ("TOTALHT" for "TOTAL HT": horstoeko on seed 557)."""
    if not token.isalpha():
        return None
    for cut in range(2, len(token) - 1):
        hit = _LABELS.get((token[:cut], token[cut:]))
        if hit is not None:
            return hit
    return None


def _underscored_hit(token: str) -> tuple[str, float] | None:
    """A label whose spaces OCR read as underscores, the longest phrase it opens with
    ("Line_Amount_Excl.VAT" for "Line Amount Excl. VAT": 103767's total column, read so by our
    five-language recogniser on seeds 1511 and 2003, had left its amounts to the unit price), also
    with one word a letter off (`_one_word_off`: "Uine_Amount_Excl_VAT" on seed 3217)."""
    parts = [p for p in token.split("_") if p]
    if len(parts) < 2:
        return None
    for n in range(len(parts), 0, -1):
        hit = _LABELS.get(tuple(parts[:n])) or (_one_word_off(tuple(parts[:n])) if n >= 2 else None)
        if hit is not None:
            return hit
    return None


_QUALIFIER_READ = re.compile(r"[a-z]{1,3}")


def _dotted_hit(token: str) -> tuple[str, float] | None:
    """An abbreviated label followed by a short qualifier OCR misread, read as the abbreviation
    ("P.U.MT (EUR)" for "P.U.HT (EUR)": horstoeko's unit price head, read so by our five-language
    recogniser on seed 2129, had left the column unlabelled). Only an abbreviation with a point of
    its own ("p.u", "u.m"), cut at a point before one to three letters ("ht", "ttc", "net")."""
    cut = token.rfind(".")
    while cut > 0 and _QUALIFIER_READ.fullmatch(token[cut + 1 :].replace(".", "")):
        head = token[:cut]
        if "." in head and (head,) in _LABELS:
            return _LABELS[(head,)]
        cut = token.rfind(".", 0, cut)
    return None


def _undotted_hit(token: str) -> tuple[str, float] | None:
    """A one-word label with points whose points OCR lost or read as other marks, some or all
    ("PU.HT" for "P.U.HT": akretion's unit price head on seed 2311, read so by EasyOCR's English
    model; "P,u:" for "P.U.": horstoeko on seed 2749; the column was unlabelled): read without its
    marks, the token is that label's letters without its points, or a label of those letters."""
    if len(token) <= 2:
        return None
    bare = token.translate(_NO_POINTS)
    return _labels_without_points().get(bare) or (_LABELS.get((bare,)) if bare != token else None)


_NO_POINTS = str.maketrans("", "", ".,:;")


def _bracket_glued_hit(token: str) -> tuple[str, float] | None:
    """A one-word label with its bracketed qualifier glued to it, the space before the bracket
    lost ("P.U.HT(EUR)", "Remise(-)": akretion's heads read by our five-language recogniser on seed
    3449, its price column left unlabelled): the part before the bracket, as read or without its
    points (`_undotted_hit`). No label holds a bracket after a letter."""
    head, bracket, _ = token.partition("(")
    if not bracket or not head[-1:].isalpha():
        return None
    return _LABELS.get((head,)) or _undotted_hit(head)


@functools.cache
def _labels_without_points() -> dict[str, tuple[str, float]]:
    """Each one-word label that holds a point, by its letters without the points; none whose
    letters are another label's or those of labels of two fields."""
    out: dict[str, tuple[str, float]] = {}
    clash: set[str] = set()
    for key, hit in _LABELS.items():
        if len(key) != 1 or "." not in key[0]:
            continue
        bare = key[0].replace(".", "")
        if (bare,) in _LABELS or (bare in out and out[bare][0] != hit[0]):
            clash.add(bare)
        out[bare] = max(out.get(bare, hit), hit, key=lambda h: h[1])
    return {k: v for k, v in out.items() if k not in clash}


@functools.lru_cache(maxsize=4096)
def _fuzzy_hit(token: str) -> tuple[str, float] | None:
    """The one-word label an OCR'd token reads as with a letter wrong ("artlkel" for "artikel",
    "omschrljving" for "omschrijving"): letters only, at least 85 % alike (difflib) to labels of
    exactly one field, so seven letters or more for one wrong letter. Short words are left alone:
    one letter turns "pos" into "pcs", and "bedrog" (Dutch for fraud) is one letter off "bedrag". A
    hyphen may join the letters ("vk-prels" for "vk-preis": QualityHosting on seed 827)."""
    if len(token) < 6 or not token.replace("-", "").isalpha():
        return None
    return _one_word_hit(lambda label: len(label) >= 6 and _alike(token, label))


@functools.lru_cache(maxsize=1024)
def _joined_hit(token: str) -> tuple[str, float] | None:
    """The one-word label two OCR'd words joined (`token`) are with one letter wrong ("beschreubung"
    for "beschreibung"), of exactly one field; one edit only, not `_fuzzy_hit`'s 85 %: that let a
    neighbouring head glued in front pass ("BIW Hoeveelheid", saeco on seed 2957: the tax rate's
    head went into the quantity's)."""
    if len(token) < 8:
        return None
    return _one_word_hit(lambda label: one_edit(token, label))


def _one_word_hit(near: Callable[[str], bool]) -> tuple[str, float] | None:
    """The (field, strength) of the one one-word label `near` accepts; None where none or several do."""
    hits = {hit for key, hit in _LABELS.items() if len(key) == 1 and near(key[0])}
    return hits.pop() if len(hits) == 1 else None


@functools.lru_cache(maxsize=4096)
def _fuzzy_word(token: str) -> str | None:
    """The one label word (of six letters or more, in any label) an OCR'd token is at least 85 %
    like, as `_fuzzy_hit` weighs one-word labels: "designaton" for "designation"."""
    if len(token) < 6 or not token.isalpha():
        return None
    near = {w for w in _LABEL_WORDS if _alike(token, w)}
    return near.pop() if len(near) == 1 else None


def _one_word_off(key: tuple[str, ...]) -> tuple[str, float] | None:
    """The label of the one phrase `key` is with one of its words of four letters or more one
    letter off (`one_edit`) and the others as printed: "pris incl" for "prijs incl" (coolblue's
    total head on seed 2131, where the column's amounts went to the unit price). The other words
    vouch for a word too short for `_fuzzy_word`."""
    found = set()
    for k, token in enumerate(key):
        if len(token) >= 4 and token.isalpha():
            for word, hit in _PHRASE_HOLES.get((*key[:k], "", *key[k + 1 :]), ()):
                if one_edit(token, word):
                    found.add(hit)
    return found.pop() if len(found) == 1 else None


def _alike(token: str, word: str) -> bool:
    """At least 85 % alike (difflib): one letter wrong in a word of seven letters or more; or, in a
    word of ten letters or more, two letters wrong in place ("hoeveclheld" for "hoeveelheid": saeco
    on seed 3539, its quantity column unlabelled and merged into the rate's)."""
    if len(word) >= _LONG_WORD and len(token) == len(word) and mismatches(token, word) <= 2:
        return True
    return difflib.SequenceMatcher(None, token, word).ratio() >= 0.85


_LONG_WORD = 10


def _l_for_i_hit(token: str) -> tuple[str, float] | None:
    """A one-word label whose opening capital "I" OCR read as the "l" it is in a sans-serif font
    ("ltem" for "Item": Sammy's description head read by our five-language recogniser on seed 3637,
    whose rows were then lost)."""
    return _LABELS.get(("i" + token[1:],)) if len(token) >= 3 and token[0] == "l" else None


def _split_hit(token: str) -> tuple[str, float] | None:
    """Labels glued to punctuation or a '%' ("Qté.", "MwSt%", "Disc.%")."""
    for cut in (token.rstrip("%").strip(". "), token.replace("%", " %").strip()):
        key = norm_phrase(cut)
        if key and key in _LABELS:
            field, strength = _LABELS[key]
            if token.endswith("%") and field in ("tax", "discount"):
                return (field + "_rate", 1.0)
            return field, strength
    return None


def is_qualifier(text: str, ocr: bool = False) -> bool:
    return qualifier_token(text, ocr) in QUALIFIERS


def qualifier_token(text: str, ocr: bool = False) -> str:
    """`norm_token(text)`; on an OCR'd page (`ocr`), where that is no qualifier, its reading with
    each "d" as the "cl" OCR read it for, if that is one ("Exd." for "Excl.", "Ind." for "Incl.":
    103767's "Line Amount Excl. VAT" read "Line_Amount_Exd." by our five-language recogniser on seed
    3617; its "VAT" then headed a tax column of its own, and the row was lost), or with a "dl" as
    the "cl" whose "c" OCR read as a "d" ("Exdl.": the same, latin5 on seed 3919)."""
    token = norm_token(text)
    if ocr and token not in QUALIFIERS and "d" in token:
        for read in (token.replace("dl", "cl"), token.replace("d", "cl")):
            if read in QUALIFIERS:
                return read
    return token

"""Stage 4: which kind of document is this?

A transparent first pass: weighted title and keyword evidence in English, German, French,
Spanish and Dutch. Words in large type near the top of the first page (the document's title) weigh
most. The confidence is the winner's share of the evidence, so a page that says both "invoice"
and "delivery note" comes out less sure than one that only says "invoice".
"""

from __future__ import annotations

import functools
import re

from pipeline.layout import lines_of
from pipeline.model import LoadedDocument, Word
from pipeline.normalize.similar import one_edit

# Title phrases: strong evidence when they stand out as the heading.
TITLES: dict[str, list[str]] = {
    "invoice": [
        "invoice",
        "tax invoice",
        "rechnung",
        "facture",
        "factura",
        "factuur",
        "bill",
        "commercial invoice",
        "vat invoice",
        "faktura",
    ],
    "credit_note": [
        "credit note",
        "credit memo",
        "gutschrift",
        "rechnungskorrektur",
        "avoir",
        "facture d'avoir",
        "nota de crédito",
        "nota de credito",
        "factura rectificativa",
        "creditnota",
        "creditfactuur",
    ],
    "receipt": [
        "receipt",
        "sales receipt",
        "kassenbon",
        "quittung",
        "beleg",
        "kassenbeleg",
        "reçu",
        "ticket de caisse",
        "recibo",
        "ticket",
        "kassabon",
        "bon",
        "kwitantie",
    ],
    "purchase_order": [
        "purchase order",
        "order",
        "bestellung",
        "auftrag",
        "bon de commande",
        "commande",
        "orden de compra",
        "pedido",
        "inkooporder",
        "bestelling",
        "bestelbon",
    ],
    "delivery_note": [
        "delivery note",
        "packing slip",
        "packing list",
        "lieferschein",
        "bon de livraison",
        "albarán",
        "albaran",
        "nota de entrega",
        "pakbon",
        "leverbon",
        "afleverbon",
    ],
    "bank_statement": [
        "bank statement",
        "account statement",
        "statement of account",
        "kontoauszug",
        "relevé de compte",
        "releve de compte",
        "extracto bancario",
        "extracto de cuenta",
        "rekeningafschrift",
        "bankafschrift",
    ],
    "payslip": [
        "payslip",
        "pay slip",
        "salary slip",
        "earnings statement",
        "gehaltsabrechnung",
        "lohnabrechnung",
        "entgeltabrechnung",
        "bulletin de paie",
        "bulletin de salaire",
        "fiche de paie",
        "nómina",
        "nomina",
        "recibo de salario",
        "loonstrook",
        "salarisstrook",
    ],
    "contract": ["contract", "agreement", "vertrag", "contrat", "contrato", "overeenkomst"],
}

# Body keywords: weaker evidence, counted anywhere in the text.
KEYWORDS: dict[str, list[str]] = {
    "invoice": [
        "invoice number",
        "invoice no",
        "invoice date",
        "due date",
        "amount due",
        "balance due",
        "rechnungsnummer",
        "rechnungsdatum",
        "fällig",
        "zahlbar bis",
        "numéro de facture",
        "date de facture",
        "échéance",
        "net à payer",
        "número de factura",
        "fecha de factura",
        "vencimiento",
        "factuurnummer",
        "factuurdatum",
        "vervaldatum",
        # the number label after the title word, as printed beside the number ("Facture n° 2022089083"):
        # on a scan in body type it is no title, but it is an invoice's label
        "facture n°",
        "facture no",
        "rechnung nr",
        "factura n°",
        "factura no",
        "factuur nr",
        "invoice #",
        "subtotal",
        "total ht",
        "total ttc",
        "vat",
        "mwst",
        "ust",
        "tva",
        "iva",
        "btw",
        "total due",
        "payment terms",
        "iban",
    ],
    "credit_note": ["credit note", "gutschrift", "avoir", "creditnota", "refund", "erstattung", "abono"],
    "receipt": [
        "cash",
        "change",
        "card",
        "visa",
        "mastercard",
        "bar",
        "rückgeld",
        "espèces",
        "efectivo",
        "contant",
        "cashier",
        "kasse",
        "caisse",
        "caja",
        "kassa",
        "thank you",
        "vielen dank",
        "merci",
        "gracias",
        "bedankt",
        "terminal",
        "tse",
        "wisselgeld",
        "pinbetaling",
        "bonnr",
        "bon-nr",
        "beleg-nr",
        "rendu",
        "cambio",
        "tendered",
        "change due",
        "receipt no",
        "ticket n°",
        "ticket nº",
    ],
    "purchase_order": [
        "po number",
        "po no",
        "order number",
        "order date",
        "requested delivery",
        "ship to",
        "bestellnummer",
        "bestelldatum",
        "liefertermin",
        "numéro de commande",
        "date de commande",
        "número de pedido",
        "fecha de pedido",
        "ordernummer",
        "besteldatum",
        "buyer",
        "supplier",
    ],
    "delivery_note": [
        "delivered",
        "quantity delivered",
        "shipped",
        "carrier",
        "tracking",
        "packages",
        "weight",
        "geliefert",
        "liefermenge",
        "versand",
        "spediteur",
        "colis",
        "livré",
        "transporteur",
        "entregado",
        "transportista",
        "geleverd",
        "vervoerder",
        "gewicht",
        "poids",
        "peso",
    ],
    "bank_statement": [
        "opening balance",
        "closing balance",
        "balance brought forward",
        "anfangssaldo",
        "endsaldo",
        "alter kontostand",
        "neuer kontostand",
        "solde initial",
        "solde final",
        "saldo inicial",
        "saldo final",
        "beginsaldo",
        "eindsaldo",
        "value date",
        "wertstellung",
        "valuta",
    ],
    "payslip": [
        "gross pay",
        "net pay",
        "gross salary",
        "net salary",
        "employee",
        "employer",
        "brutto",
        "netto",
        "lohnsteuer",
        "sozialversicherung",
        "salaire brut",
        "salaire net",
        "cotisations",
        "salario bruto",
        "salario neto",
        "seguridad social",
        "brutoloon",
        "nettoloon",
        "loonheffing",
        "national insurance",
    ],
    "contract": [
        "hereby agree",
        "terms and conditions",
        "governing law",
        "party",
        "parties",
        "signature",
        "vertragsparteien",
        "kündigung",
        "les parties",
        "las partes",
        "partijen",
        "termination",
    ],
}


@functools.cache
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<![a-zà-ÿ])" + re.escape(phrase) + r"(?![a-zà-ÿ])")


def _has(text: str, phrase: str) -> bool:
    """`phrase` as whole words in `text`; the plain substring test first keeps this cheap."""
    return phrase in text and _phrase_pattern(phrase).search(text) is not None


# A title phrase followed by one of these is a field label ("Order ID:", "Order Date", "Invoice No #"),
# not the document's heading: online shops print "Order ID" on every invoice.
_LABEL_AFTER = re.compile(r"\s*(?:id|no\.?|nr\.?|number|num|date|datum|n°|nº|#)(?![a-zà-ÿ])")


# ... and one preceded by a number label is another document's number that this one quotes
# ("N° bon de livraison : DESPADV002" on an invoice; OCR reads N° as N' or N? too, or drops the °
# and leaves a lone N), not its title.
_NUMBER_BEFORE = re.compile(
    r"(?<![a-zà-ÿ])(?:n[°º'?]?|no\.?|nr\.?|num[ée]ro|n[uú]mero|number|nummer)\s*(?:de\s+|du\s+|of\s+)?$"
)


_QUOTED = 0.5  # what a quoted number label is worth: a keyword's weight, as "N° facture" may be this one's


def _quoted(text: str, start: int) -> bool:
    return _NUMBER_BEFORE.search(text, 0, start) is not None


def _title_hit(text: str, phrase: str, labels_too: bool = False) -> bool:
    """`phrase` as whole words in `text` at least once where it is not another document's number
    quoted here, nor (unless `labels_too`) the start of a field label."""
    if not _has(text, phrase):
        return False
    return any(
        not _quoted(text, m.start()) and (labels_too or _LABEL_AFTER.match(text, m.end()) is None)
        for m in _phrase_pattern(phrase).finditer(text)
    )


def _large(words: list[Word], head: str, big: float) -> bool:
    """Whether a word containing `head` (a title phrase's first word) is printed in large type."""
    return any(w.height >= big and head in w.text.lower() for w in words)


# Order-number labels that shops print on their invoices: on OCR pages, purchase-order evidence only
# when the page names no invoice number or date of its own.
_SHOP_ORDER_LABELS = ("order date", "order number")
_INVOICE_LABELS = (
    "invoice no",
    "invoice number",
    "invoice date",
    "rechnungsnummer",
    "rechnungsdatum",
    "numéro de facture",
    "número de factura",
    "factuurnummer",
)

# Title words long enough that one OCR slip ("lnvoice", "Invoices", "Rechnunq") cannot turn one
# into another type's word; shorter ones ("bon", "bill", "order") are matched exactly only.
_TITLE_WORDS: frozenset[str] = frozenset(
    w for phrases in TITLES.values() for p in phrases for w in p.split() if len(w) >= 6
)
_TYPE_OF_WORD: dict[str, str] = {
    w: t for t, phrases in TITLES.items() for p in phrases for w in p.split() if len(w) >= 6
}
# OCR glues a heading's words where it misreads the separator: "Invoice/Bill" -> "InvoicesIBill".
_CAMEL_PART = re.compile(r"[A-ZÀ-Þ]?[a-zß-ÿ]+|[A-ZÀ-Þ]+(?=[A-ZÀ-Þ][a-zß-ÿ]|[^A-Za-zÀ-ÿ]|$)|[^A-Za-zÀ-ÿ]+")


def _ocr_title_text(words: list[tuple[str, bool]]) -> str:
    """A title line as OCR read it, mended for matching: glued large-type words split at their
    capitals and one edit away from a title word read as that word (small words kept as read).
    OCR pages only: a text layer spells its heading as printed; mending it could only add false
    evidence."""
    out: list[str] = []
    for word, large in words:
        if not large:
            out.append(word.lower())
            continue
        for part in _CAMEL_PART.findall(word) if len(word) > 8 else [word]:
            low = part.lower()
            if len(low) >= 5 and low not in _TITLE_WORDS:
                near = [t for t in _TITLE_WORDS if one_edit(low, t)]
                if len(near) == 1 or (near and len({_TYPE_OF_WORD[t] for t in near}) == 1):
                    low = near[0]
            out.append(low)
    return " ".join(out)



_MASKED_CARD = re.compile(r"(?:[*x•]{4}[\s*x•-]*){1,3}\d{4}\b")


def _till_roll(doc: LoadedDocument, body: str) -> float:
    """Receipt evidence that needs no words in any language: a narrow, tall page (a till roll) and a
    masked card number ("**** **** **** 4242")."""
    score = 0.0
    first = doc.pages[0] if doc.pages else None
    if first is not None and first.width and first.words:
        xs = [w.x1 for w in first.words]
        used = max(xs) - min(w.x0 for w in first.words)
        if first.width < 0.6 * first.height and (first.width < 350 or used < 0.45 * first.height):
            score += 2.0
    if _MASKED_CARD.search(body):
        score += 0.5
    return score


def scores_of(doc: LoadedDocument) -> dict[str, float]:
    """The evidence per type, apart from the decision, so a caller (or a test) can see why a page
    came out as it did."""
    # In the order of TITLES (invoice first), never a set's: a tie goes to the earlier type, the same
    # in every process (a set's order of strings changes with Python's hash seed).
    scores: dict[str, float] = dict.fromkeys([*TITLES, *KEYWORDS], 0.0)
    first = doc.pages[0] if doc.pages else None
    if first is not None and first.words:
        lines = lines_of(first)
        ocr = first.text_source == "ocr"
        # Word heights, not line-band heights: a band that merges two slightly offset rows is tall
        # without any large type in it.
        heights = sorted(w.height for w in first.words)
        median_h = heights[len(heights) // 2]
        title_scores: dict[str, float] = {}
        for ln in lines:
            if ln.yc > first.height * 0.45:
                break
            size_weight = 2.0 if max(w.height for w in ln.words) >= 1.25 * median_h else 1.0
            text = ln.text.lower()
            cells = {seg.text.lower().strip(" :#.-") for seg in ln.segments}
            if ocr and size_weight > 1:
                # Mend only words in large type: body text is not a title however it is read, and
                # mending it would turn "contact" into "contract".
                big = 1.25 * median_h
                text = _ocr_title_text([(w.text, w.height >= big) for w in ln.words])
                cells = {
                    _ocr_title_text([(w.text, w.height >= big) for w in seg.words]).strip(" :#.-")
                    for seg in ln.segments
                }
            for doc_type, phrases in TITLES.items():
                for phrase in phrases:
                    # On OCR pages (text layers stay as they were scored) a phrase in body type that
                    # starts a field label ("Order Date: ...") is no heading.
                    label_ok = not ocr or _large(ln.words, phrase.split()[0], 1.25 * median_h)
                    # On a scan the phrase's own word must be large for the line's large type to count:
                    # a frame's rule boxed 14 pt high at the end of "N° BON DE COMMANDE : PO..."
                    # (horstoeko on seed 1559) made that label a title, and the invoice an order.
                    weight = size_weight if label_ok else 1.0
                    if _title_hit(text, phrase, labels_too=label_ok):
                        # A phrase that is a whole line or cell is a title; inside a sentence it is weaker.
                        # A cell counts as a title only in large type: "Purchase Order | PO-1" is a label.
                        whole = text.strip(" :#.-") == phrase or (phrase in cells and weight > 1)
                        got = weight * (3.0 if whole else 1.0) * (1 + phrase.count(" "))
                        if ocr and not whole and weight == 1:
                            # Inside a body-type line of a scan: mostly a label whose colon or N°
                            # OCR lost ("im bon de commande p0201925478"); at most one point, so a
                            # long phrase there does not outweigh the large title.
                            got = min(got, 1.0)
                        title_scores[doc_type] = max(title_scores.get(doc_type, 0.0), got)
                    elif label_ok and _has(text, phrase):  # only quoted: a number of this type's
                        title_scores[doc_type] = max(title_scores.get(doc_type, 0.0), _QUOTED)
        # One title per type: a word repeated down a table ("Gutschrift" on every credit line of a
        # bank statement) is not stronger evidence than the heading itself.
        for doc_type, got in title_scores.items():
            scores[doc_type] += got
    body = " ".join(w.text for p in doc.pages[:3] for w in p.words).lower()
    for doc_type, phrases in KEYWORDS.items():
        scores[doc_type] += sum(0.5 for phrase in phrases if _has(body, phrase))
    if any(p.text_source == "ocr" for p in doc.pages[:3]) and any(_has(body, x) for x in _INVOICE_LABELS):
        scores["purchase_order"] -= sum(0.5 for label in _SHOP_ORDER_LABELS if _has(body, label))
    scores["receipt"] += _till_roll(doc, body)
    return scores


def classify(doc: LoadedDocument) -> tuple[str, float]:
    """The most likely document type and a confidence in [0, 1]; "generic" when nothing speaks."""
    scores = scores_of(doc)
    # A credit note is an invoice with a credit-note title: keep it only when its own evidence wins.
    best = max(scores, key=lambda t: scores[t])
    total = sum(scores.values())
    if total <= 0 or scores[best] < 1.0:
        return "generic", 0.3
    confidence = scores[best] / total
    return best, round(min(0.99, 0.5 + 0.5 * confidence), 4)

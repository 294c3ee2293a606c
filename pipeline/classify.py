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
from pipeline.model import LoadedDocument

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
        "subtotal",
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


def classify(doc: LoadedDocument) -> tuple[str, float]:
    """The most likely document type and a confidence in [0, 1]; "generic" when nothing speaks."""
    scores: dict[str, float] = {t: 0.0 for t in set(TITLES) | set(KEYWORDS)}
    first = doc.pages[0] if doc.pages else None
    if first is not None and first.words:
        lines = lines_of(first)
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
            for doc_type, phrases in TITLES.items():
                for phrase in phrases:
                    if _has(text, phrase):
                        # A phrase that is a whole line or cell is a title; inside a sentence it is weaker.
                        # A cell counts as a title only in large type: "Purchase Order | PO-1" is a label.
                        whole = text.strip(" :#.-") == phrase or (phrase in cells and size_weight > 1)
                        got = size_weight * (3.0 if whole else 1.0) * (1 + phrase.count(" "))
                        title_scores[doc_type] = max(title_scores.get(doc_type, 0.0), got)
        # One title per type: a word repeated down a table ("Gutschrift" on every credit line of a
        # bank statement) is not stronger evidence than the heading itself.
        for doc_type, got in title_scores.items():
            scores[doc_type] += got
    body = " ".join(w.text for p in doc.pages[:3] for w in p.words).lower()
    for doc_type, phrases in KEYWORDS.items():
        scores[doc_type] += sum(0.5 for phrase in phrases if _has(body, phrase))
    scores["receipt"] += _till_roll(doc, body)
    # A credit note is an invoice with a credit-note title: keep it only when its own evidence wins.
    best = max(scores, key=lambda t: scores[t])
    total = sum(scores.values())
    if total <= 0 or scores[best] < 1.0:
        return "generic", 0.3
    confidence = scores[best] / total
    return best, round(min(0.99, 0.5 + 0.5 * confidence), 4)

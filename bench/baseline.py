"""NAIVE PEER BASELINE (not the product): "first regex match after a label in the plain text".

This is what a few hours of regular expressions over `page.get_text()` give: no geometry, no
arithmetic, no candidate scoring. Benchmarks print the pipeline's figures as a ratio against it,
so the ratio shows what layout analysis and business rules buy. It returns the same contract
shape as `pipeline.process_document` (only `document_type` and `content`), so one scorer serves
both.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pymupdf

from pipeline.normalize.amounts import parse_amount

_SEP = r"\s*[:#.]?\s*"
_LABELS = {
    "invoice_number": r"invoice\s*(?:no\.?|number|#)|rechnungs?\s*-?\s*(?:nr\.?|nummer)|beleg-nr\.?"
    r"|n°\s*(?:de\s*)?facture|facture\s*n°|num[ée]ro de facture|n[ºo°]\s*(?:de\s*)?factura"
    r"|factura\s*n[ºo°]|n[úu]mero de factura|factuurnummer|factuurnr\.?",
    "invoice_date": r"invoice\s*date|date of issue|issue date|rechnungsdatum|belegdatum|date de facture"
    r"|date d'[ée]mission|fecha de (?:factura|emisi[óo]n)|factuurdatum|datum|date|fecha",
    "due_date": r"due\s*date|payment due|f[äa]llig am|zahlbar bis|date d'[ée]ch[ée]ance|[ée]ch[ée]ance"
    r"|fecha de vencimiento|vencimiento|vervaldatum",
    "total": r"total due|amount due|invoice total|gesamtbetrag|rechnungsbetrag|endbetrag|total ttc"
    r"|net [àa] payer|total factura|total a pagar|totaal incl\.? btw|te betalen|total|totaal",
    "subtotal": r"subtotal|net total|zwischensumme|nettobetrag|summe netto|total ht|sous-total"
    r"|base imponible|subtotaal|totaal excl\.? btw",
    "tax_amount": r"vat|tax|mwst\.?|ust\.?|tva|iva|btw",
    "purchase_order_number": r"po number|purchase order|p\.o\. no\.?|bestellnummer|bestell-nr\.?"
    r"|n° de commande|n[ºo°] de pedido|bestelnummer|ordernummer",
}
_DATE = r"(\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})"
_AMOUNT = r"(-?[€$£]?\s?\d[\d.,' ]*\d(?:[.,]\d{2}))"
_ID = r"([A-Z0-9][A-Za-z0-9\-/.]{2,})"


def _after(label: str, value: str, text: str) -> str | None:
    m = re.search(rf"(?:{label}){_SEP}(?:\n\s*)?{value}", text, re.IGNORECASE)
    return m.group(1) if m else None


def _date(text: str | None) -> str | None:
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text).isoformat()
        d, mth, y = (int(p) for p in re.split(r"[./-]", text))
        return date(y + 2000 if y < 100 else y, mth, d).isoformat()
    except ValueError:
        return None


def _amount(text: str | None) -> float | None:
    value = parse_amount(text.strip()) if text else None
    return float(value) if value is not None else None


def _currency(text: str) -> str | None:
    for pattern, code in (
        ("€|\\bEUR\\b", "EUR"),
        ("£|\\bGBP\\b", "GBP"),
        ("\\bCHF\\b", "CHF"),
        ("\\bINR\\b|Rs\\.", "INR"),
        ("\\$|\\bUSD\\b", "USD"),
    ):
        if re.search(pattern, text):
            return code
    return None


def _rows(text: str) -> list[dict[str, Any]]:
    """Lines of `description qty price total` in the plain text (one line each)."""
    rows = []
    for line in text.splitlines():
        m = re.match(rf"^\s*(.*?[A-Za-z].*?)\s+(\d+(?:[.,]\d+)?)\s+{_AMOUNT}\s+{_AMOUNT}\s*$", line)
        if m:
            rows.append(
                {
                    "description": m.group(1),
                    "quantity": _amount(m.group(2) + ".00"),
                    "unit_price": _amount(m.group(3)),
                    "total": _amount(m.group(4)),
                }
            )
    return rows


def baseline_extract(data: bytes) -> dict[str, Any]:
    """The naive peer's result for a PDF (born-digital only: it reads the text layer)."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        text = "\n".join(page.get_text("text", sort=True) for page in doc)
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), None)
    iban = re.search(r"\b([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)\b", text)
    bic = _after(r"BIC|SWIFT", r"([A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)\b", text)
    vat = re.search(r"\b((?:DE|ATU|FR|NL|ES|GB|CHE)[-\s]?\d[\d .\-]{7,14}\d(?:B\d{2})?)", text)
    content = {
        "invoice_number": _after(_LABELS["invoice_number"], _ID, text),
        "invoice_date": _date(_after(_LABELS["invoice_date"], _DATE, text)),
        "due_date": _date(_after(_LABELS["due_date"], _DATE, text)),
        "purchase_order_number": _after(_LABELS["purchase_order_number"], _ID, text),
        "currency": _currency(text),
        "total": _amount(_after(_LABELS["total"], _AMOUNT, text)),
        "subtotal": _amount(_after(_LABELS["subtotal"], _AMOUNT, text)),
        "tax_amount": _amount(_after(_LABELS["tax_amount"], _AMOUNT, text)),
        "vendor": {"name": first, "tax_id": vat.group(1) if vat else None, "address": None},
        "customer": {},
        "bank_details": {"iban": iban.group(1) if iban else None, "bic": bic},
        "line_items": _rows(text),
    }
    return {"document_type": "invoice", "content": content}

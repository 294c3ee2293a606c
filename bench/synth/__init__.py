"""Synthetic invoices with known truth, for accuracy benchmarks and end-to-end tests.

`generate(seed, index)` draws one document deterministically: layout family and language cycle
with the index (so any 30 consecutive documents cover every family x language pair), everything
else (market, formats, fonts, items, identifiers) comes from a random stream seeded by
`(seed, index)`. The truth uses the same format as ../shared/data's truth files.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.synth.canvas import Canvas
from bench.synth.content import InvoiceData, make_invoice
from bench.synth.layouts import FAMILIES
from bench.synth.locales import LANGUAGES
from bench.synth.style import LAYOUTS, Style, choose_style

COLUMN_FIELDS = {
    "pos": "position",
    "code": "product_code",
    "desc": "description",
    "qty": "quantity",
    "unit": "unit",
    "price": "unit_price",
    "disc": "discount_rate",
    "vat": "tax_rate",
    "amount": "total",
}


@dataclass(slots=True)
class SynthDoc:
    id: str
    pdf: bytes
    truth: dict[str, Any]


def _num(v: Decimal | None) -> float | None:
    return None if v is None else float(v)


def _item_count(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.6:
        return rng.randint(1, 6)
    if r < 0.88:
        return rng.randint(7, 20)
    return rng.randint(21, 60)


def truth_of(inv: InvoiceData, st: Style, pages: int, seed: int, index: int) -> dict[str, Any]:
    """The truth record: what is printed, with `null` for what the document does not say."""
    cols = set(st.cols)
    items = []
    for it in inv.items:
        items.append(
            {
                "position": str(it.position) if "pos" in cols else None,
                "product_code": it.code if "code" in cols else None,
                "description": it.description,
                "quantity": _num(it.quantity),
                "unit": it.unit if "unit" in cols else None,
                "unit_price": _num(it.unit_price),
                "discount_rate": _num(it.discount) if "disc" in cols else None,
                "tax_rate": _num(it.tax_rate) if "vat" in cols else None,
                "total": _num(it.total),
            }
        )
    vendor_tax = inv.vendor.vat_id
    if inv.vendor.country == "CH" and vendor_tax:
        vendor_tax = f"CHE-{vendor_tax[3:6]}.{vendor_tax[6:9]}.{vendor_tax[9:]}"
    bank: dict[str, Any] = {"iban": inv.iban, "bic": inv.bic}
    if inv.iban is None:
        bank.update(account_number=inv.account_number, routing_number=inv.routing_number)
    return {
        "document_type": "invoice",
        "language": inv.lang,
        "invoice_number": inv.number,
        "invoice_date": inv.issue_date.isoformat(),
        "due_date": inv.due_date.isoformat() if inv.due_date else None,
        "currency": inv.currency,
        "vendor": {"name": inv.vendor.name, "tax_id": vendor_tax, "address": inv.vendor.address},
        "customer": {
            "name": inv.customer.name,
            "address": inv.customer.address,
            "tax_id": inv.customer.vat_id if inv.customer.vat_printed else None,
            "customer_number": inv.customer_number,
        },
        "purchase_order_number": inv.po_number,
        "bank_details": bank,
        "subtotal": _num(inv.subtotal),
        "tax_amount": _num(inv.tax_amount),
        "total": _num(inv.total),
        "tax_breakdown": [
            {"rate": _num(r), "net_amount": _num(n), "tax_amount": _num(t)} for r, n, t in inv.breakdown
        ],
        "line_items": items,
        "_source": "synthetic",
        "_pages": pages,
        "_columns": [COLUMN_FIELDS[c] for c in st.cols if c != "pos"],
        "_layout": st.layout,
        "_seed": [seed, index],
        "_style": {
            "family": st.family,
            "size": st.size,
            "numbers": st.num,
            "dates": st.date_style,
            "money": st.money,
            "table_money": st.col_money,
            "rules": st.rules,
            "carry": st.carry,
            "due_printed": inv.due_printed,
            "terms_days": inv.terms_days,
        },
    }


def generate(
    seed: int, index: int, layout: str | None = None, language: str | None = None, items: int | None = None
) -> SynthDoc:
    """One synthetic invoice; the same (seed, index, overrides) always give the same bytes."""
    rng = random.Random(f"invoice-ocr-synth:{seed}:{index}")
    layout = layout or LAYOUTS[index % len(LAYOUTS)]
    lang = language or LANGUAGES[(index + index // len(LAYOUTS)) % len(LANGUAGES)]
    n_items = items if items is not None else _item_count(rng)
    inv = make_invoice(rng, lang, n_items, discounts=layout == "erp")
    st = choose_style(rng, inv, layout)
    cv = Canvas(st.page_w, st.page_h, st.family)
    FAMILIES[layout](cv, inv, st)
    pages = cv.doc.page_count
    pdf = cv.finish()
    doc_id = f"synth_{seed}_{index:04d}"
    return SynthDoc(doc_id, pdf, truth_of(inv, st, pages, seed, index))


def write_set(out: Path, count: int, seed: int, start: int = 0, name: str | None = None,
              **overrides: Any) -> list[Path]:
    """Write `count` documents as `<id>.pdf` + `<id>.truth.json`; returns the PDF paths.

    `name` replaces the id in the file names (one document only); `overrides` go to `generate`
    (layout, language, items).
    """
    if name is not None and count != 1:
        raise ValueError("a file name can only be given to a single document")
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(start, start + count):
        doc = generate(seed, index, **overrides)
        doc.id = name or doc.id
        pdf_path = out / f"{doc.id}.pdf"
        pdf_path.write_bytes(doc.pdf)
        (out / f"{doc.id}.truth.json").write_text(json.dumps(doc.truth, indent=1, ensure_ascii=False) + "\n")
        paths.append(pdf_path)
    return paths

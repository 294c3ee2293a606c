"""Generated invoice results (hypothesis strategies) for export round trips."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

WORD = st.text(alphabet="ABCDEFGHIJKLMNOPRSTUVWZabcdefghijklmnoprstuvwzäöüéè", min_size=3, max_size=10)
CENT = Decimal("0.01")


@st.composite
def addresses(draw: Any) -> str:
    street = f"{draw(WORD)}straße {draw(st.integers(1, 200))}"
    extra = draw(st.lists(WORD, max_size=2))
    city = f"{draw(st.integers(10000, 99999))} {draw(WORD)}"
    return ", ".join([street, *extra, city, draw(st.sampled_from(["DE", "FR", "AT", "NL"]))])


@st.composite
def lines(draw: Any, i: int) -> dict[str, Any]:
    qty = Decimal(draw(st.integers(1, 500))) / draw(st.sampled_from([Decimal(1), Decimal(4)]))
    price = Decimal(draw(st.integers(1, 1_000_000))) * CENT
    discount = draw(st.one_of(st.none(), st.integers(1, 500).map(lambda n: Decimal(n) * CENT)))
    total = (qty * price - (discount or 0)).quantize(CENT)
    return {
        "position": str(i + 1),
        "product_code": draw(st.one_of(st.none(), st.from_regex(r"[A-Z]{2}-\d{3}", fullmatch=True))),
        "description": draw(WORD) + " " + draw(WORD), "quantity": float(qty),
        "unit": draw(st.sampled_from(["C62", "HUR", "KGM", "H87"])), "unit_price": float(price),
        "discount_rate": None, "discount_amount": float(discount) if discount else None,
        "tax_rate": float(draw(st.sampled_from([Decimal(0), Decimal(7), Decimal(19), Decimal(20)]))),
        "tax_amount": None, "total": float(total),
    }


@st.composite
def invoice_results(draw: Any, confidence: float = 0.95) -> dict[str, Any]:
    """A succeeded invoice result whose numbers add up, every value with its evidence."""
    items = [draw(lines(i)) for i in range(draw(st.integers(1, 6)))]
    by_rate: dict[float, Decimal] = {}
    for it in items:
        by_rate[it["tax_rate"]] = by_rate.get(it["tax_rate"], Decimal(0)) + Decimal(str(it["total"]))
    breakdown = [
        {"rate": r, "net_amount": float(n), "tax_amount": float((n * Decimal(str(r)) / 100).quantize(CENT))}
        for r, n in by_rate.items()
    ]
    subtotal = sum(by_rate.values(), Decimal(0))
    tax = sum((Decimal(str(b["tax_amount"])) for b in breakdown), Decimal(0))
    issued = date(2020, 1, 1) + timedelta(days=draw(st.integers(0, 2000)))
    vat = f"DE{draw(st.integers(100000000, 999999999))}"
    credit = draw(st.booleans())
    paid = draw(st.sampled_from([None, False, True]))
    content = {
        "vendor": {"name": f"{draw(WORD)} GmbH", "address": draw(addresses()),
                   "email": "billing@example.com",
                   "phone": "+49 30 1234567", "tax_id": vat,
                   "registrations": [{"type": "VAT", "value": vat}]},
        "customer": {"name": f"{draw(WORD)} SARL", "address": draw(addresses()),
                     "customer_number": draw(st.from_regex(r"K\d{5}", fullmatch=True)),
                     "tax_id": f"FR{draw(st.integers(10**10, 10**11 - 1))}"},
        "invoice_number": draw(st.from_regex(r"RE-20\d{2}-\d{4}", fullmatch=True)),
        "invoice_date": issued.isoformat(),
        "due_date": (issued + timedelta(days=30)).isoformat(),
        "performance_date_from": (issued - timedelta(days=30)).isoformat(),
        "performance_date_to": (issued - timedelta(days=1)).isoformat(),
        "purchase_order_number": draw(st.one_of(st.none(), st.from_regex(r"PO\d{6}", fullmatch=True))),
        "currency": draw(st.sampled_from(["EUR", "USD", "CHF"])),
        "language": None,
        "line_items": items,
        "subtotal": float(subtotal), "tax_amount": float(tax), "total": float(subtotal + tax),
        "tax_breakdown": breakdown,
        "is_reverse_charge": False, "is_paid": paid,
        "payment_terms": "Net 30 days",
        "bank_details": {"iban": "DE89370400440532013000", "bic": "COBADEFFXXX", "bank_name": None,
                         "account_number": None, "routing_number": None},
        "payment_details": [],
        "document_kind": "credit_note" if credit else "invoice",
        "notes": draw(st.one_of(st.none(), st.just("Thank you\nfor your order"))),
        "items_truncated": False,
    }
    return {"status": "succeeded", "document_type": "credit_note" if credit else "invoice",
            "content": content, "fields": evidence_for(content, confidence), "validation": []}


def evidence_for(tree: Any, confidence: float) -> Any:
    """`fields` matching `content`, every present value with `confidence`."""
    if isinstance(tree, dict):
        return {k: evidence_for(v, confidence) for k, v in tree.items()}
    if isinstance(tree, list):
        return [evidence_for(v, confidence) for v in tree]
    return {"value": tree, "raw": None if tree is None else str(tree),
            "confidence": confidence if tree is not None else 0.0, "page": 0, "bbox": None}

"""Three-way matching on output-contract content: partial deliveries, over-billing, prices."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.match import match_documents


def _po(lines: list[tuple[str, str, float, float]], number: str = "PO-4711") -> dict[str, Any]:
    return {
        "content": {
            "po_number": number,
            "currency": "EUR",
            "supplier": {"name": "Nordlicht GmbH"},
            "line_items": [
                {"article_number": a, "description": d, "quantity": q, "unit_price": p, "total": q * p}
                for a, d, q, p in lines
            ],
            "subtotal": sum(q * p for _, _, q, p in lines),
        }
    }


def _invoice(lines: list[tuple[str | None, str, float, float]], po: str | None = "PO-4711") -> dict[str, Any]:
    return {
        "content": {
            "purchase_order_number": po,
            "currency": "EUR",
            "vendor": {"name": "Nordlicht GmbH"},
            "document_kind": "invoice",
            "line_items": [
                {
                    "product_code": a,
                    "description": d,
                    "quantity": q,
                    "unit_price": p,
                    "total": round(q * p, 2),
                }
                for a, d, q, p in lines
            ],
            "subtotal": round(sum(q * p for _, _, q, p in lines), 2),
        }
    }


def _dn(lines: list[tuple[str | None, str, float | None, float]], order: str = "PO-4711") -> dict[str, Any]:
    return {
        "content": {
            "order_number": order,
            "items": [
                {"article_number": a, "description": d, "quantity_ordered": o, "quantity_delivered": q}
                for a, d, o, q in lines
            ],
        }
    }


ORDER = [("A-100", "Office chair", 10, 120.0), ("A-200", "Desk lamp LED", 4, 35.5)]


def test_partial_delivery_billed_as_delivered_is_partial_not_mismatch() -> None:
    dn = _dn([("A-100", "Office chair", 10, 6), ("A-200", "Desk lamp LED", 4, 4)])
    inv = _invoice([("A-100", "Office chair", 6, 120.0), ("A-200", "Desk lamp LED", 4, 35.5)])
    result = match_documents(inv, _po(ORDER), dn)
    assert result["status"] == "partial"
    codes = {i["code"] for i in result["issues"]}
    assert codes == {"partial_delivery", "not_invoiced"}
    assert all(i["severity"] == "info" for i in result["issues"])
    chair = result["lines"][0]
    assert (chair["ordered_quantity"], chair["delivered_quantity"], chair["invoiced_quantity"]) == (10, 6, 6)
    assert chair["status"] == ["ok"]
    assert result["totals"]["difference"] == 0


def test_billing_more_than_delivered_is_a_mismatch() -> None:
    dn = _dn([("A-100", "Office chair", 10, 6), ("A-200", "Desk lamp LED", 4, 4)])
    inv = _invoice([("A-100", "Office chair", 10, 120.0), ("A-200", "Desk lamp LED", 4, 35.5)])
    result = match_documents(inv, _po(ORDER), dn)
    assert result["status"] == "mismatch"
    errors = [i for i in result["issues"] if i["severity"] == "error"]
    assert [e["code"] for e in errors] == ["invoiced_more_than_delivered"]
    assert errors[0]["invoice_line"] == 0
    assert result["lines"][0]["status"] == ["invoiced_more_than_delivered"]


def test_full_match_without_delivery_note() -> None:
    inv = _invoice([("A-100", "Office chair", 10, 120.0), ("A-200", "Desk lamp LED", 4, 35.5)])
    result = match_documents(inv, _po(ORDER), None)
    assert result["status"] == "matched"
    assert result["issues"] == []
    assert {c["rule"]: c["status"] for c in result["checks"]}["invoice_references_order"] == "pass"


def test_price_change_and_unordered_line_are_errors() -> None:
    inv = _invoice(
        [
            ("A-100", "Office chair", 10, 125.0),
            ("A-200", "Desk lamp LED", 4, 35.5),
            ("Z-9", "Freight", 1, 40.0),
        ]
    )
    result = match_documents(inv, _po(ORDER), None)
    codes = [i["code"] for i in result["issues"] if i["severity"] == "error"]
    assert "price_mismatch" in codes and "not_ordered" in codes
    assert result["status"] == "mismatch"


def test_lines_pair_by_description_when_article_numbers_are_missing() -> None:
    inv = _invoice([(None, "Office Chair (black)", 10, 120.0), (None, "LED desk lamp", 4, 35.5)])
    result = match_documents(inv, _po(ORDER), None)
    assert [ln["po_line"] for ln in result["lines"]] == [0, 1]
    assert result["status"] == "matched"


def test_over_ordered_quantity_across_two_invoice_lines() -> None:
    inv = _invoice([("A-200", "Desk lamp LED", 3, 35.5), ("A-100", "Office chair", 12, 120.0)])
    result = match_documents(inv, _po(ORDER), None)
    assert any(i["code"] == "invoiced_more_than_ordered" and i["po_line"] == 0 for i in result["issues"])


@pytest.mark.parametrize(
    ("ref", "status"),
    [("PO-4711", "pass"), ("po 4711", "pass"), ("PO-4712", "fail"), (None, "skipped")],
)
def test_reference_check(ref: str | None, status: str) -> None:
    inv = _invoice([("A-100", "Office chair", 10, 120.0), ("A-200", "Desk lamp LED", 4, 35.5)], po=ref)
    result = match_documents(inv, _po(ORDER), None)
    assert {c["rule"]: c["status"] for c in result["checks"]}["invoice_references_order"] == status


def test_accepts_bare_content_and_credit_notes_are_flagged() -> None:
    inv = _invoice([("A-100", "Office chair", 10, 120.0)])["content"]
    inv["document_kind"] = "credit_note"
    result = match_documents(inv, _po(ORDER)["content"], None)
    assert any(i["code"] == "credit_note" for i in result["issues"])

"""POST /v1/match through the real stack: a purchase order, a delivery note and invoices are uploaded
as PDFs, extracted by the workers, and matched by id; the answer must equal what
`pipeline.match.match_documents` says about the stored results."""

from __future__ import annotations

import dataclasses
import secrets

import pytest

from infra.stack import drop_redis_keys
from tests.service.conftest import auth, wait_final
from tests.service.test_documents import upload

pytestmark = pytest.mark.service

Row = tuple[str, ...]


def _pdf(lines: list[str | Row]) -> bytes:
    """Plain lines, "" for a gap, tuples for table rows (columns at fixed x positions)."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    y = 60
    for line in lines:
        cells = line if isinstance(line, tuple) else (line,)
        for x, text in zip((50, 110, 300, 380, 470), cells, strict=False):
            if text:
                page.insert_text((x, y), text, fontsize=10 if isinstance(line, tuple) else 11)
        y += 20
    data = doc.tobytes()
    doc.close()
    return data


SUPPLIER = ["ACME Supplies GmbH", "Hauptstrasse 1, 10115 Berlin"]
BUYER = ["Example Customer Ltd", "42 High Street, London"]


def purchase_order_pdf() -> bytes:
    return _pdf(
        [
            ", ".join(BUYER),
            "PURCHASE ORDER",
            "PO number: PO-4711",
            "Order date: 2024-03-01",
            "",
            "Supplier:",
            *SUPPLIER,
            "",
            ("Art. no.", "Description", "Qty", "Unit price", "Amount"),
            ("A-100", "Office chair", "10", "120.00", "1200.00"),
            ("A-200", "Desk lamp LED", "4", "35.50", "142.00"),
            "",
            "Subtotal: 1342.00 EUR",
            "VAT 19%: 254.98 EUR",
            "Total: 1596.98 EUR",
        ]
    )


def delivery_note_pdf() -> bytes:
    """Six of the ten chairs and all four lamps arrived (a partial delivery)."""
    return _pdf(
        [
            ", ".join(SUPPLIER),
            "DELIVERY NOTE",
            "Delivery note number: DN-9001",
            "Order number: PO-4711",
            "Delivery date: 2024-03-05",
            "Ship to:",
            *BUYER,
            "",
            ("Art. no.", "Description", "Ordered", "Delivered", "Unit"),
            ("A-100", "Office chair", "10", "6", "pcs"),
            ("A-200", "Desk lamp LED", "4", "4", "pcs"),
        ]
    )


def invoice_pdf(number: str, chairs: int) -> bytes:
    net = chairs * 120 + 142
    return _pdf(
        [
            ", ".join(SUPPLIER),
            "INVOICE",
            f"Invoice number: {number}",
            "Invoice date: 2024-03-06",
            "Your order: PO-4711",
            "Bill to:",
            *BUYER,
            "",
            ("Art. no.", "Description", "Qty", "Unit price", "Amount"),
            ("A-100", "Office chair", str(chairs), "120.00", f"{chairs * 120:.2f}"),
            ("A-200", "Desk lamp LED", "4", "35.50", "142.00"),
            "",
            f"Subtotal: {net:.2f} EUR",
            f"VAT 19%: {net * 0.19:.2f} EUR",
            f"Total: {net * 1.19:.2f} EUR",
        ]
    )


def _processed(client, key: str, data: bytes, name: str, document_type: str) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    response = upload(client, key, data, name=name, document_type=document_type)
    assert response.status_code == 202, response.get_json()
    doc_id = response.get_json()["id"]
    result = wait_final(client, key, doc_id)
    assert result["status"] == "succeeded" and result["document_type"] == document_type, result
    return doc_id, result


def _match(client, key: str, **body):  # type: ignore[no-untyped-def]
    return client.post("/v1/match", json=body, headers=auth(key))


def test_three_way_match_of_uploaded_documents(client, key, other_key, stack) -> None:  # type: ignore[no-untyped-def]
    from pipeline.match import match_documents

    po, po_result = _processed(client, key, purchase_order_pdf(), "po.pdf", "purchase_order")
    dn, dn_result = _processed(client, key, delivery_note_pdf(), "dn.pdf", "delivery_note")
    fair, fair_result = _processed(client, key, invoice_pdf("INV-5001", 6), "inv-6.pdf", "invoice")
    over, over_result = _processed(client, key, invoice_pdf("INV-5002", 10), "inv-10.pdf", "invoice")

    # Billing what was delivered of a partial delivery: partial, not a mismatch.
    response = _match(client, key, invoice_id=fair, purchase_order_id=po, delivery_note_id=dn)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body == {
        "invoice_id": fair,
        "purchase_order_id": po,
        "delivery_note_id": dn,
        **match_documents(fair_result, po_result, dn_result),
    }
    assert body["status"] == "partial", body["issues"]
    assert {i["code"] for i in body["issues"]} == {"partial_delivery", "not_invoiced"}
    chair = body["lines"][0]
    assert (chair["ordered_quantity"], chair["delivered_quantity"], chair["invoiced_quantity"]) == (10, 6, 6)
    assert body["totals"]["difference"] == 0

    # Billing all ten chairs when six arrived: a mismatch naming the line.
    body = _match(client, key, invoice_id=over, purchase_order_id=po, delivery_note_id=dn).get_json()
    assert body["status"] == "mismatch"
    errors = [i for i in body["issues"] if i["severity"] == "error"]
    assert [(i["code"], i["invoice_line"]) for i in errors] == [("invoiced_more_than_delivered", 0)]

    # Without a delivery note the same invoice bills what was ordered: two-way, no error.
    body = _match(client, key, invoice_id=over, purchase_order_id=po, delivery_note_id=None).get_json()
    assert body["delivery_note_id"] is None and body["status"] == "matched", body["issues"]
    assert body == {
        "invoice_id": over,
        "purchase_order_id": po,
        "delivery_note_id": None,
        **match_documents(over_result, po_result, None),
    }

    # Refusals: wrong roles, unknown fields, bad bodies, other tenants, unfinished documents.
    ids = {"invoice_id": fair, "purchase_order_id": po}
    for payload, status, needle in [
        ({**ids, "invoice_id": po}, 422, "is of type purchase_order; expected invoice or"),
        ({**ids, "purchase_order_id": dn}, 422, "is of type delivery_note; expected purchase_order"),
        ({**ids, "delivery_note_id": fair}, 422, "is of type invoice; expected delivery_note"),
        ({**ids, "delivery_note": dn}, 422, "unknown field(s) delivery_note"),
        ({"invoice_id": fair}, 422, "purchase_order_id must be a document id"),
        ({**ids, "invoice_id": 7}, 422, "invoice_id must be a document id"),
        ([fair, po], 422, "must be a JSON object"),
        ({**ids, "purchase_order_id": "0" * 32}, 404, f"no document {'0' * 32!r}"),
    ]:
        response = client.post("/v1/match", json=payload, headers=auth(key))
        assert response.status_code == status, (payload, response.get_json())
        assert needle in response.get_json()["detail"] and set(response.get_json()) == {"detail"}
    response = _match(client, other_key, invoice_id=fair, purchase_order_id=po)
    assert response.status_code == 404 and response.get_json() == {"detail": f"no document {fair!r}"}
    response = client.post("/v1/match", data="not json", headers=auth(key), content_type="text/plain")
    assert response.status_code == 400 and set(response.get_json()) == {"detail"}
    assert client.post("/v1/match", json={"invoice_id": fair, "purchase_order_id": po}).status_code == 401

    from api.app import create_app

    idle_prefix = f"iocr-test-idle-{secrets.token_hex(4)}:"
    idle = create_app(dataclasses.replace(stack.settings, broker_key_prefix=idle_prefix)).test_client()
    try:
        queued = upload(idle, key, delivery_note_pdf(), name="dn2.pdf").get_json()["id"]
        response = _match(client, key, invoice_id=fair, purchase_order_id=po, delivery_note_id=queued)
        assert response.status_code == 409 and "is queued" in response.get_json()["detail"]
        assert client.delete(f"/v1/documents/{queued}", headers=auth(key)).status_code == 204
    finally:
        drop_redis_keys(idle_prefix)

"""GET /v1/documents/{id}/export through the real stack: upload, wait for the worker, export each format
and read every export back (CII/UBL with our XML reader, CSV with the csv module, Factur-X with the
factur-x library and our embedded-XML reader)."""

from __future__ import annotations

import csv
import dataclasses
import io
import secrets

import pytest

from infra.stack import drop_redis_keys
from tests.service.conftest import auth, wait_final
from tests.service.test_documents import upload

pytestmark = pytest.mark.service


def export_invoice_pdf(number: str) -> bytes:
    """An invoice with what EN 16931 needs (countries, VAT ids) so every format can be written."""
    import pymupdf

    rows = [
        ["ACME Supplies GmbH, Hauptstrasse 1, 10115 Berlin, DE"],
        ["VAT ID: DE123456789"],
        ["INVOICE"],
        [f"Invoice number: {number}"],
        ["Invoice date: 2024-03-01"],
        ["Due date: 2024-03-31"],
        [""],
        ["Bill to:"],
        ["Example Customer Ltd"],
        ["42 High Street, London, GB"],
        ["Customer VAT: GB123456789"],
        [""],
        ["Description", "Qty", "Unit price", "Amount"],
        ["Consulting services", "2", "100.00", "200.00"],
        ["Software licence", "1", "290.00", "290.00"],
        [""],
        ["", "", "Subtotal:", "490.00 EUR"],
        ["", "", "VAT 19%:", "93.10 EUR"],
        ["", "", "Total:", "583.10 EUR"],
        [""],
        ["IBAN: DE89 3704 0044 0532 0130 00"],
    ]
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    y = 60
    for row in rows:
        for x, text in zip((50, 300, 370, 470), row, strict=False):
            if text:
                page.insert_text((x, y), text, fontsize=10)
        y += 20
    data = doc.tobytes()
    doc.close()
    return data


def _succeeded(client, key: str, number: str, name: str = "Rechnung März.pdf"):  # type: ignore[no-untyped-def]
    data = export_invoice_pdf(number)
    response = upload(client, key, data, name=name)
    assert response.status_code == 202, response.get_json()
    doc_id = response.get_json()["id"]
    result = wait_final(client, key, doc_id)
    assert result["status"] == "succeeded", result
    return doc_id, data, result


def _export(client, key: str, doc_id: str, **params: str):  # type: ignore[no-untyped-def]
    return client.get(f"/v1/documents/{doc_id}/export", query_string=params, headers=auth(key))


def test_every_format_exports_and_reads_back(client, key) -> None:  # type: ignore[no-untyped-def]
    import facturx

    from pipeline import load
    from pipeline.einvoice import export, load_xml, read_embedded

    doc_id, original, result = _succeeded(client, key, "INV-8001")
    assert result["content"]["invoice_number"] == "INV-8001"
    for fmt in ("cii", "ubl"):
        response = _export(client, key, doc_id, format=fmt)
        assert response.status_code == 200, response.get_json()
        assert response.mimetype == "application/xml"
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment;") and f"Rechnung%20M%C3%A4rz.{fmt}.xml" in disposition
        back = load_xml(response.data).to_result()["content"]
        assert back["invoice_number"] == "INV-8001"
        assert (back["total"], back["subtotal"], back["currency"]) == (583.1, 490.0, "EUR")
        assert [(li["description"], li["quantity"], li["total"]) for li in back["line_items"]] == [
            ("Consulting services", 2.0, 200.0),
            ("Software licence", 1.0, 290.0),
        ]
        assert back["vendor"]["tax_id"] == "DE123456789"
        # The header is exactly the library's side report for the stored result.
        _body, _mime, uncertain = export(result, fmt, None)
        assert response.headers["X-Uncertain-Fields"] == ",".join(uncertain)

    response = _export(client, key, doc_id, format="csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith(b"\xef\xbb\xbf") and b"\r\n" in response.data
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    lines = [(r["invoice_number"], r["line_description"], r["line_quantity"], r["line_total"]) for r in rows]
    assert lines == [
        ("INV-8001", "Consulting services", "2", "200"),
        ("INV-8001", "Software licence", "1", "290"),
    ]
    header = {(r["total"], r["currency"], r["iban"]) for r in rows}
    assert header == {("583.1", "EUR", "DE89370400440532013000")}

    response = _export(client, key, doc_id, format="csv", delimiter="tab", bom="false", decimal=",")
    assert response.status_code == 200, response.get_json()
    assert not response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8")), delimiter="\t"))
    assert [r["line_unit_price"] for r in rows] == ["100", "290"] and rows[0]["total"] == "583,1"

    response = _export(client, key, doc_id, format="facturx")
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "application/pdf"
    assert "Rechnung%20M%C3%A4rz.facturx.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Uncertain-Fields"]
    name, xml = facturx.get_xml_from_pdf(response.data, check_xsd=True)
    assert name == "factur-x.xml" and b"INV-8001" in xml
    embedded = read_embedded(load.load(response.data))
    assert embedded is not None and embedded.to_result()["content"]["total"] == 583.1
    # The visible pages are the original's: the Factur-X carries the upload, not a re-rendering.
    import pymupdf

    with pymupdf.open(stream=response.data) as pdf, pymupdf.open(stream=original) as orig:
        assert pdf.page_count == orig.page_count == 1
        assert pdf[0].get_text() == orig[0].get_text()


def test_export_refusals(client, key, other_key, stack) -> None:  # type: ignore[no-untyped-def]
    doc_id, _data, _result = _succeeded(client, key, "INV-8002", name="refusals.pdf")
    for params, status, needle in [
        ({"format": "pdf"}, 422, "unknown export format 'pdf'"),
        ({}, 422, "unknown export format ''"),
        ({"format": "cii", "delimiter": ","}, 422, "only apply to format=csv"),
        ({"format": "csv", "delimiter": "|"}, 422, "unknown delimiter"),
        ({"format": "csv", "bom": "maybe"}, 422, "bom must be true or false"),
        ({"format": "csv", "decimal": "'"}, 422, "unknown decimal separator"),
    ]:
        response = _export(client, key, doc_id, **params)
        assert response.status_code == status, (params, response.get_json())
        assert needle in response.get_json()["detail"] and set(response.get_json()) == {"detail"}
    # A decimal comma with a comma separator would make the CSV ambiguous: the writer refuses it.
    response = _export(client, key, doc_id, format="csv", delimiter=",", decimal=",")
    assert response.status_code == 422 and set(response.get_json()) == {"detail"}

    # Other tenants, unknown ids and missing keys learn nothing.
    response = _export(client, other_key, doc_id, format="cii")
    assert response.status_code == 404 and response.get_json() == {"detail": f"no document {doc_id!r}"}
    assert _export(client, key, "0" * 32, format="cii").status_code == 404
    assert client.get(f"/v1/documents/{doc_id}/export?format=cii").status_code == 401

    # A document no worker has picked up yet: an app whose queue nobody consumes keeps it queued.
    from api.app import create_app

    idle_prefix = f"iocr-test-idle-{secrets.token_hex(4)}:"
    idle = create_app(dataclasses.replace(stack.settings, broker_key_prefix=idle_prefix)).test_client()
    try:
        queued = upload(idle, key, export_invoice_pdf("INV-8003")).get_json()["id"]
        response = _export(client, key, queued, format="ubl")
        assert response.status_code == 409, response.get_json()
        assert response.get_json() == {
            "detail": f"document {queued!r} is queued; only a succeeded one can be exported"
        }
        assert client.delete(f"/v1/documents/{queued}", headers=auth(key)).status_code == 204
        assert _export(client, key, queued, format="ubl").status_code == 404
    finally:
        drop_redis_keys(idle_prefix)

    # A non-invoice result is refused by the exporter with its reason.
    other = upload(client, key, export_invoice_pdf("INV-8004"), document_type="receipt").get_json()["id"]
    assert wait_final(client, key, other)["document_type"] == "receipt"
    response = _export(client, key, other, format="cii")
    assert response.status_code == 422 and "only invoices and credit notes" in response.get_json()["detail"]

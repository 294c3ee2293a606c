"""POST /v1/ocr, the synchronous Deep-OCR-compatible endpoint."""

from __future__ import annotations

import dataclasses
import io

import pytest

from tests.service.conftest import auth, make_invoice_pdf, wait_final

pytestmark = pytest.mark.service


def post_ocr(client, key: str, data: bytes, name: str = "invoice.pdf", query: str = "", **form: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/v1/ocr{query}",
        data={"file": (io.BytesIO(data), name), **form},
        headers=auth(key),
        content_type="multipart/form-data",
    )


def test_ocr_answers_the_deep_ocr_envelope(client, key) -> None:  # type: ignore[no-untyped-def]
    from pipeline import process_document

    data = make_invoice_pdf("INV-SYNC")
    response = post_ocr(
        client, key, data, name="../../etc/Rechnung\x07 01.pdf", query="?document_type=invoice"
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["filename"] == "Rechnung 01.pdf"
    assert body["document_type"] == "invoice"
    assert body["content"] == process_document(data, document_type="invoice")["content"]
    assert body["content"]["items_truncated"] is False
    assert body["metadata"]["pages"] == 1 and body["metadata"]["processing_time"] > 0
    assert {"fields", "validation", "id"} <= set(body)
    # The same job is a normal document afterwards.
    assert wait_final(client, key, body["id"])["content"] == body["content"]


def test_ocr_detects_the_type_and_takes_it_as_form_field(client, key) -> None:  # type: ignore[no-untyped-def]
    detected = post_ocr(client, key, make_invoice_pdf()).get_json()
    assert detected["document_type"]  # detected when not given
    forced = post_ocr(client, key, make_invoice_pdf(), document_type="generic")
    assert forced.status_code == 200 and forced.get_json()["document_type"] == "generic"


def test_ocr_errors(client, key) -> None:  # type: ignore[no-untyped-def]
    unknown = post_ocr(client, key, make_invoice_pdf(), query="?document_type=menu")
    assert unknown.status_code == 422 and "unknown document_type" in unknown.get_json()["detail"]
    assert post_ocr(client, "nope", make_invoice_pdf()).status_code == 401
    corrupt = post_ocr(client, key, b"%PDF-1.4 garbage garbage \x00\x01")
    assert corrupt.status_code == 400 and "PDF" in corrupt.get_json()["detail"]
    assert post_ocr(client, key, b"GIF89a....").status_code == 400


def test_ocr_times_out_with_504_and_the_job_goes_on(stack, key, client) -> None:  # type: ignore[no-untyped-def]
    from api.app import create_app

    impatient = create_app(dataclasses.replace(stack.settings, ocr_wait_seconds=0.0)).test_client()
    response = post_ocr(impatient, key, make_invoice_pdf("INV-SLOW", pages=3))
    assert response.status_code == 504, response.get_json()
    body = response.get_json()
    assert "did not finish" in body["detail"] and body["id"]
    assert wait_final(client, key, body["id"])["status"] == "succeeded"

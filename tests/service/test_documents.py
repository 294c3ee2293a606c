"""Submit -> poll -> result through the real stack (API, PostgreSQL, Redis, S3, Celery workers)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from tests.service.conftest import auth, make_invoice_pdf, wait_final

pytestmark = pytest.mark.service


def upload(
    client,
    key: str,
    data: bytes,
    name: str = "invoice.pdf",
    mime: str = "application/pdf",  # type: ignore[no-untyped-def]
    headers: dict[str, str] | None = None,
    **form: str,
):
    return client.post(
        "/v1/documents",
        data={"file": (io.BytesIO(data), name, mime), **form},
        headers={**auth(key), **(headers or {})},
        content_type="multipart/form-data",
    )


def test_submit_poll_result_matches_the_pipeline(client, key, sessions) -> None:  # type: ignore[no-untyped-def]
    from pipeline import process_document
    from store.models import Result, StageTiming, StatusEvent

    data = make_invoice_pdf("INV-7001")
    response = upload(client, key, data)
    assert response.status_code == 202, response.get_json()
    body = response.get_json()
    assert body["status"] == "queued" and body["links"]["self"] == f"/v1/documents/{body['id']}"
    result = wait_final(client, key, body["id"])
    assert result["status"] == "succeeded", result
    assert result["id"] == body["id"] and result["error"] is None
    expected = process_document(data, filename="invoice.pdf")
    assert result["content"] == expected["content"]
    assert result["document_type"] == expected["document_type"]
    assert result["metadata"]["pages"] == 1
    assert result["filename"] == "invoice.pdf"
    with sessions() as s:
        stages = {
            t.stage for t in s.scalars(select(StageTiming).where(StageTiming.document_id == body["id"]))
        }
        history = [
            e.status
            for e in s.scalars(
                select(StatusEvent).where(StatusEvent.document_id == body["id"]).order_by(StatusEvent.id)
            )
        ]
        assert len(list(s.scalars(select(Result).where(Result.document_id == body["id"])))) == 1
    assert {"load", "classify", "extract"} <= stages
    assert history == ["queued", "processing", "succeeded"]


def test_file_download_and_delete(client, key, stack) -> None:  # type: ignore[no-untyped-def]
    import boto3

    data = make_invoice_pdf("INV-7002")
    doc_id = upload(client, key, data, name="Rechnung März.pdf").get_json()["id"]
    wait_final(client, key, doc_id)
    got = client.get(f"/v1/documents/{doc_id}/file", headers=auth(key))
    assert got.status_code == 200 and got.data == data and got.mimetype == "application/pdf"
    assert "Rechnung" in got.headers["Content-Disposition"]
    s3 = boto3.client("s3", endpoint_url=stack.settings.s3_endpoint_url)
    listed = s3.list_objects_v2(Bucket="invoice-ocr-test", Prefix="files/documents/")
    assert any(doc_id in o["Key"] for o in listed.get("Contents", []))
    assert client.delete(f"/v1/documents/{doc_id}", headers=auth(key)).status_code == 204
    assert client.get(f"/v1/documents/{doc_id}", headers=auth(key)).status_code == 404
    assert client.get(f"/v1/documents/{doc_id}/file", headers=auth(key)).status_code == 404
    assert client.delete(f"/v1/documents/{doc_id}", headers=auth(key)).status_code == 404
    listed = s3.list_objects_v2(Bucket="invoice-ocr-test", Prefix="files/documents/")
    assert not any(doc_id in o["Key"] for o in listed.get("Contents", []))


def test_auth_and_tenant_isolation(client, key, other_key, sessions) -> None:  # type: ignore[no-untyped-def]
    from store.keys import create_key, revoke_key

    data = make_invoice_pdf("INV-7003")
    assert client.post("/v1/documents", data={"file": (io.BytesIO(data), "a.pdf")}).status_code == 401
    bad = upload(client, "iocr_nothere_xxxxxxxx", data)
    assert bad.status_code == 401 and "invalid" in bad.get_json()["detail"]
    assert upload(client, key + "x", data).status_code == 401
    doc_id = upload(client, key, data).get_json()["id"]
    for path in (f"/v1/documents/{doc_id}", f"/v1/documents/{doc_id}/file"):
        response = client.get(path, headers=auth(other_key))
        assert response.status_code == 404 and response.get_json() == {"detail": f"no document {doc_id!r}"}
    assert client.delete(f"/v1/documents/{doc_id}", headers=auth(other_key)).status_code == 404
    assert client.get(f"/v1/documents/{doc_id}", headers=auth(key)).status_code == 200
    with sessions() as s:
        issued = create_key(s, "short-lived")
        s.commit()
    assert upload(client, issued.key, data).status_code == 202
    with sessions() as s:
        assert revoke_key(s, issued.key)
        s.commit()
    revoked = upload(client, issued.key, data)
    assert revoked.status_code == 401 and revoked.get_json()["detail"] == "invalid or revoked API key"


@pytest.mark.parametrize(
    ("data", "name", "mime", "form", "status", "needle"),
    [
        (b"just some text, not a document", "notes.txt", "text/plain", {}, 400, "unsupported file type"),
        (b"", "empty.pdf", "application/pdf", {}, 400, "empty"),
        (None, "invoice.pdf", "image/png", {}, 400, "MIME type mismatch"),
        (None, "invoice.png", "application/octet-stream", {}, 400, "file type mismatch"),
        (None, "invoice.pdf", "application/pdf", {"document_type": "recipe"}, 422, "unknown document_type"),
        (None, "invoice.pdf", "application/pdf", {"priority": "urgent"}, 422, "unknown priority"),
        (
            None,
            "invoice.pdf",
            "application/pdf",
            {"callback_url": "ftp://example.com/x"},
            422,
            "callback_url",
        ),
    ],
)
def test_bad_input_is_refused_with_a_reason(client, key, data, name, mime, form, status, needle) -> None:  # type: ignore[no-untyped-def]
    data = make_invoice_pdf() if data is None else data
    response = upload(client, key, data, name=name, mime=mime, **form)
    assert response.status_code == status, response.get_json()
    assert needle in response.get_json()["detail"]
    assert set(response.get_json()) == {"detail"}


def test_missing_file_is_422(client, key) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/v1/documents",
        data={"document_type": "invoice"},
        headers=auth(key),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "file" in response.get_json()["detail"]


def test_size_limit_is_413_before_the_body_is_read(stack, key) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    from api.app import create_app

    small = create_app(dataclasses.replace(stack.settings, max_upload_bytes=2000)).test_client()
    data = make_invoice_pdf()
    assert len(data) > 2000
    response = upload(small, key, data)
    assert response.status_code == 413 and "limit of 2000 bytes" in response.get_json()["detail"]
    # A body far over the limit is refused from Content-Length alone, before the form is parsed.
    huge = b"%PDF-" + b"0" * (3 * 1024 * 1024)
    response = upload(small, key, huge)
    assert response.status_code == 413 and set(response.get_json()) == {"detail"}


def test_private_callback_refused_unless_allowed(stack, key) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    from api.app import create_app

    strict = create_app(dataclasses.replace(stack.settings, allow_private_callbacks=False)).test_client()
    for url in (
        "http://127.0.0.1:9/hook",
        "http://10.1.2.3/hook",
        "http://169.254.169.254/latest",
        "http://[::1]/",
    ):
        response = upload(strict, key, make_invoice_pdf(), callback_url=url)
        assert response.status_code == 422, url
        assert "private or reserved" in response.get_json()["detail"]


def test_corrupt_pdf_fails_with_the_reason(client, key) -> None:  # type: ignore[no-untyped-def]
    response = upload(client, key, b"%PDF-1.7\n this is not really a pdf at all \x00\x01\x02")
    assert response.status_code == 202
    result = wait_final(client, key, response.get_json()["id"])
    assert result["status"] == "failed"
    assert "PDF" in result["error"]
    assert result["content"] is None


def test_idempotency_key(client, key, other_key, sessions) -> None:  # type: ignore[no-untyped-def]
    from store.models import Document

    data = make_invoice_pdf("INV-7004")
    first = upload(client, key, data, headers={"Idempotency-Key": "order-42"})
    again = upload(client, key, data, headers={"Idempotency-Key": "order-42"})
    assert first.status_code == 202 and again.status_code == 200
    assert first.get_json()["id"] == again.get_json()["id"]
    clash = upload(client, key, make_invoice_pdf("INV-other"), headers={"Idempotency-Key": "order-42"})
    assert clash.status_code == 409 and "different file" in clash.get_json()["detail"]
    # Keys are per tenant: the same key from another tenant is a new document.
    theirs = upload(client, other_key, data, headers={"Idempotency-Key": "order-42"})
    assert theirs.status_code == 202 and theirs.get_json()["id"] != first.get_json()["id"]
    with sessions() as s:
        rows = s.scalars(select(Document).where(Document.idempotency_key == "order-42")).all()
    assert len(rows) == 2


def test_health_and_readiness(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.get_json()
    assert ready.get_json()["checks"] == {"database": "ok", "broker": "ok", "storage": "ok"}


def test_unknown_route_and_method_are_json(client, key) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/v1/nothing", headers=auth(key)).get_json() == {"detail": "not found"}
    response = client.put("/v1/documents", headers=auth(key))
    assert response.status_code == 405 and "POST" in response.headers["Allow"]

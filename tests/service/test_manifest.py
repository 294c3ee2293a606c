"""POST /v1/batches with a JSON manifest of objects the test puts into the moto bucket: accepted
objects are checked, copied to the document's own key and processed; keys outside the tenant's
`imports/<tenant id>/` prefix are refused before any storage request; per-item rejections."""

from __future__ import annotations

import dataclasses

import pytest

from tests.service.conftest import auth, make_invoice_pdf, wait_final

pytestmark = pytest.mark.service

BUCKET = "invoice-ocr-test"


def _s3(stack):  # type: ignore[no-untyped-def]
    import boto3

    return boto3.client("s3", endpoint_url=stack.env["S3_ENDPOINT_URL"], region_name="us-east-1")


def _tenant(sessions, key: str) -> str:  # type: ignore[no-untyped-def]
    from store.keys import authenticate

    with sessions() as s:
        return authenticate(s, key).tenant_id


def _post(client, key: str, body: object):  # type: ignore[no-untyped-def]
    return client.post("/v1/batches", json=body, headers=auth(key))


def test_manifest_batch(client, key, other_key, stack, sessions) -> None:  # type: ignore[no-untyped-def]
    from api.app import create_app

    s3 = _s3(stack)
    mine, theirs = _tenant(sessions, key), _tenant(sessions, other_key)
    prefix = f"files/imports/{mine}/"
    pdf = make_invoice_pdf("INV-MAN1")
    objects = {
        f"{prefix}in/a.pdf": pdf,
        f"{prefix}big.pdf": pdf + b"\n%" + b"x" * 4096,
        f"{prefix}fake.pdf": b"hello, not a pdf",
        f"{prefix}page.png": b"<!doctype html><html><body>login</body></html>",
        f"{prefix}invoice.png": pdf,  # a PDF named .png: type mismatch
        f"files/imports/{theirs}/secret.pdf": make_invoice_pdf("INV-THEIRS"),
    }
    for object_key, data in objects.items():
        s3.put_object(Bucket=BUCKET, Key=object_key, Body=data)
    small = create_app(dataclasses.replace(stack.settings, max_upload_bytes=len(pdf) + 1024)).test_client()
    items = [
        {"storage_key": f"{prefix}in/a.pdf", "filename": "März/../Rechnung.pdf"},
        {"storage_key": f"{prefix}missing.pdf"},
        {"storage_key": f"{prefix}big.pdf"},
        {"storage_key": f"{prefix}fake.pdf"},
        {"storage_key": f"{prefix}page.png"},
        {"storage_key": f"{prefix}invoice.png"},
        {"storage_key": f"files/imports/{theirs}/secret.pdf"},  # exists, but another tenant's
        {"storage_key": f"files/imports/{theirs}/nothing.pdf"},  # same answer as an existing one
        {"storage_key": f"{prefix}../{theirs}/secret.pdf"},
        {"storage_key": f"{prefix}in//a.pdf"},
        {"storage_key": f"imports/{mine}/in/a.pdf"},  # without the storage prefix
        {"storage_key": f"files/imports/{mine}"},
        {"storage_key": "files/documents/x/original"},  # the service's own objects
        {"storage_key": 42},
        {"storage_key": f"{prefix}in/a.pdf", "size": 1},
        "files/x.pdf",
    ]
    response = _post(small, key, {"items": items, "document_type": "invoice", "name": "imported"})
    assert response.status_code == 202, response.get_json()
    body = response.get_json()
    assert [(a["index"], a["filename"]) for a in body["accepted"]] == [(0, "Rechnung.pdf")]
    rejected = {r["index"]: (r["status"], r["detail"]) for r in body["rejected"]}
    assert sorted(rejected) == list(range(1, len(items)))
    assert rejected[1][0] == 404 and "missing.pdf" in rejected[1][1]
    assert rejected[2][0] == 413
    assert rejected[3][0] == 400 and "unsupported file type" in rejected[3][1]
    assert rejected[4][0] == 400 and "unsupported file type" in rejected[4][1]
    assert rejected[5][0] == 400 and "the name says PNG but the content is PDF" in rejected[5][1]
    refusal = (422, f"storage_key must name an object under {prefix!r}")
    for index in range(6, 13):
        assert rejected[index] == refusal, (index, items[index], rejected[index])
    assert {rejected[i][0] for i in (13, 14, 15)} == {422}
    assert "unknown item fields: size" in rejected[14][1]

    # The accepted object was copied: the document has its own key, and lives on without the import.
    doc_id = body["accepted"][0]["id"]
    s3.delete_object(Bucket=BUCKET, Key=f"{prefix}in/a.pdf")
    result = wait_final(client, key, doc_id)
    assert (result["status"], result["document_type"], result["batch_id"]) == (
        "succeeded",
        "invoice",
        body["id"],
    )
    assert result["content"]["invoice_number"] == "INV-MAN1"
    assert client.get(f"/v1/documents/{doc_id}/file", headers=auth(key)).data == pdf
    assert s3.get_object(Bucket=BUCKET, Key=f"files/documents/{mine}/{doc_id}/original")["Body"].read() == pdf
    progress = client.get(f"/v1/batches/{body['id']}", headers=auth(key)).get_json()
    assert (progress["total"], progress["counts"]["succeeded"]) == (1, 1)
    # The other tenant's object is untouched and was never copied anywhere.
    assert s3.get_object(Bucket=BUCKET, Key=f"files/imports/{theirs}/secret.pdf")["Body"].read()
    assert client.get(f"/v1/documents/{doc_id}", headers=auth(other_key)).status_code == 404

    # The other tenant cannot name our prefix either.
    other = _post(client, other_key, {"items": [{"storage_key": f"{prefix}big.pdf"}]}).get_json()
    assert other["accepted"] == [] and other["rejected"][0]["status"] == 422
    assert f"files/imports/{theirs}/" in other["rejected"][0]["detail"]


def test_manifest_refusals(client, key) -> None:  # type: ignore[no-untyped-def]
    good = {"items": [{"storage_key": "files/imports/x/a.pdf"}]}
    for body in (
        [],
        {"items": []},
        {"items": "a.pdf"},
        {"files": []},
        {**good, "priority": "batch"},
        {**good, "document_type": "letter"},
        {**good, "callback_url": 7},
        {**good, "callback_url": "ftp://example.com/x"},
    ):
        response = _post(client, key, body)
        assert response.status_code == 422, (body, response.get_json())
        assert set(response.get_json()) == {"detail"}
    too_many = {"items": [{"storage_key": f"k{i}"} for i in range(1001)]}
    assert _post(client, key, too_many).status_code == 422
    response = client.post(
        "/v1/batches", data="{not json", headers={**auth(key), "Content-Type": "application/json"}
    )
    assert response.status_code == 400 and set(response.get_json()) == {"detail"}
    assert client.post("/v1/batches", json=good).status_code == 401


def test_manifest_batch_on_local_storage(stack, sessions, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The embedded default keeps files on disk (file://): a manifest names files the caller put
    under <root>/imports/<tenant id>/, and gets the same checks and copies as on S3."""
    from api.app import create_app
    from store.storage import open_storage
    from tests.service.conftest import _new_key

    key = _new_key(sessions, "local-files")  # a tenant of its own: its document is not the others'
    root = tmp_path / "files"
    settings = dataclasses.replace(stack.settings, storage_url=root.as_uri())
    client = create_app(settings).test_client()
    mine = _tenant(sessions, key)
    pdf = make_invoice_pdf("INV-LOCAL1")
    (root / "imports" / mine / "in").mkdir(parents=True)
    (root / "imports" / mine / "in" / "a.pdf").write_bytes(pdf)
    (root / "imports" / "someone-else").mkdir(parents=True)
    (root / "imports" / "someone-else" / "secret.pdf").write_bytes(make_invoice_pdf("INV-SECRET"))
    items = [
        {"storage_key": f"imports/{mine}/in/a.pdf"},
        {"storage_key": f"imports/{mine}/missing.pdf"},
        {"storage_key": f"imports/{mine}/../someone-else/secret.pdf"},
        {"storage_key": "imports/someone-else/secret.pdf"},
    ]
    body = _post(client, key, {"items": items}).get_json()
    assert [a["index"] for a in body["accepted"]] == [0], body
    rejected = {r["index"]: r["status"] for r in body["rejected"]}
    assert rejected == {1: 404, 2: 422, 3: 422}
    doc_id = body["accepted"][0]["id"]
    assert open_storage(settings.storage_url).get(f"documents/{mine}/{doc_id}/original") == pdf

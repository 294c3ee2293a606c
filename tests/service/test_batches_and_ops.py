"""Batches, the OpenAPI description, /metrics and the per-key rate limit."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import time

import pytest

from tests.service.conftest import auth, fresh_rate_window, make_invoice_pdf

pytestmark = pytest.mark.service


def wait_batch(client, key: str, batch_id: str, timeout: float = 90) -> dict:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    body: dict = {}
    while time.monotonic() < deadline:
        body = client.get(f"/v1/batches/{batch_id}", headers=auth(key)).get_json()
        if body["done"]:
            return body
        time.sleep(0.2)
    raise AssertionError(f"batch not done: {body}")


def test_batch_submit_progress_and_exports(client, key, other_key) -> None:  # type: ignore[no-untyped-def]
    files = [(io.BytesIO(make_invoice_pdf(f"INV-B{i}")), f"b{i}.pdf") for i in range(5)]
    files.append((io.BytesIO(b"not a document"), "bad.txt"))
    response = client.post(
        "/v1/batches",
        data={"file": files, "name": "march", "document_type": "invoice"},
        headers=auth(key),
        content_type="multipart/form-data",
    )
    assert response.status_code == 202, response.get_json()
    body = response.get_json()
    assert len(body["accepted"]) == 5
    assert body["rejected"] == [
        {
            "index": 5,
            "filename": "bad.txt",
            "status": 400,
            "detail": "bad.txt: unsupported file type; expected PDF, PNG, JPEG, WebP or TIFF",
        }
    ]
    batch_id = body["id"]
    assert client.get(f"/v1/batches/{batch_id}", headers=auth(other_key)).status_code == 404
    progress = wait_batch(client, key, batch_id)
    assert progress["total"] == 5 and progress["counts"]["succeeded"] == 5 and progress["progress"] == 1.0
    lines = (
        client.get(f"/v1/batches/{batch_id}/results", headers=auth(key)).get_data(as_text=True).splitlines()
    )
    results = [json.loads(line) for line in lines]
    assert sorted(r["id"] for r in results) == sorted(a["id"] for a in body["accepted"])
    assert {r["batch_id"] for r in results} == {batch_id}
    assert all(r["status"] == "succeeded" and r["document_type"] == "invoice" for r in results)
    exported = client.get(f"/v1/batches/{batch_id}/results?format=csv", headers=auth(key))
    assert exported.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert len(rows) == 5
    by_id = {r["id"]: r for r in results}
    for row in rows:
        content = by_id[row["id"]]["content"]
        assert row["invoice_number"] == (content["invoice_number"] or "")
        assert row["filename"] == by_id[row["id"]]["filename"]
    bad = client.get(f"/v1/batches/{batch_id}/results?format=xml", headers=auth(key))
    assert bad.status_code == 422


def test_empty_batch_is_422(client, key) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/v1/batches", data={"name": "x"}, headers=auth(key), content_type="multipart/form-data"
    )
    assert response.status_code == 422


def test_openapi_describes_exactly_the_routes(app, client) -> None:  # type: ignore[no-untyped-def]
    from api.openapi import OPERATIONS, routes

    spec = client.get("/openapi.json").get_json()
    described = {(m, p) for p, ops in spec["paths"].items() for m in ops}
    assert described == routes(app)
    assert described == set(OPERATIONS)  # no stale descriptions either
    for path, ops in spec["paths"].items():
        for op in ops.values():
            assert op["responses"], path
    schemas = spec["components"]["schemas"]
    assert {"Result", "InvoiceContent", "Error", "DocumentType", "OcrResponse"} <= set(schemas)
    assert "invoice" in schemas["DocumentType"]["enum"]

    def refs(node):  # type: ignore[no-untyped-def]
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "$ref":
                    yield v
                else:
                    yield from refs(v)
        elif isinstance(node, list):
            for v in node:
                yield from refs(v)

    for ref in refs(spec):
        assert ref.split("/")[-1] in schemas, ref


def test_metrics(client, key) -> None:  # type: ignore[no-untyped-def]
    client.get("/healthz")
    text = client.get("/metrics").get_data(as_text=True)
    assert "# TYPE invoice_ocr_documents gauge" in text
    assert 'invoice_ocr_documents{status="succeeded"}' in text
    assert 'invoice_ocr_stage_seconds_count{stage="load"}' in text
    assert 'route="/healthz",status="200"}' in text
    for line in text.splitlines():
        if line and not line.startswith("#"):
            float(line.rsplit(" ", 1)[1])  # every sample has a numeric value


def test_rate_limit_429_with_retry_after(stack, key, other_key) -> None:  # type: ignore[no-untyped-def]
    from api.app import create_app

    limited = create_app(dataclasses.replace(stack.settings, rate_limit_per_minute=3)).test_client()

    def post(k: str):  # type: ignore[no-untyped-def]
        return limited.post(
            "/v1/documents",
            data={"file": (io.BytesIO(make_invoice_pdf()), "r.pdf")},
            headers=auth(k),
            content_type="multipart/form-data",
        )

    fresh_rate_window()  # all of it inside one minute window of the limiter
    codes = [post(key).status_code for _ in range(4)]
    assert codes[:3].count(202) >= 2 and codes[-1] == 429, codes
    response = post(key)
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert "rate limit" in response.get_json()["detail"]
    assert post(other_key).status_code == 202  # per key
    assert limited.get("/healthz").status_code == 200


def test_rate_limiter_fails_open_and_says_so_when_redis_is_unreachable(caplog) -> None:  # type: ignore[no-untyped-def]
    from api.ratelimit import RedisRateLimiter
    from tests.service.conftest import free_port

    limiter = RedisRateLimiter(f"redis://127.0.0.1:{free_port()}/0", per_minute=1)  # nothing listens there
    with caplog.at_level("WARNING", logger="api.ratelimit"):
        assert [limiter.hit("k") for _ in range(3)] == [None, None, None]  # not limited, not refused
    warnings = [r for r in caplog.records if "Redis unreachable" in r.getMessage()]
    assert len(warnings) == 1  # once a minute, not once a request

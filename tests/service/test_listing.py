"""GET /v1/documents through the real stack: newest first, keyset pages that neither repeat nor skip
(also on equal timestamps), every filter, 422 on bad parameters, and never another tenant's rows."""

from __future__ import annotations

import dataclasses
import io
import secrets
from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from infra.stack import drop_redis_keys
from tests.service.conftest import auth, make_invoice_pdf, wait_final
from tests.service.test_documents import upload

pytestmark = pytest.mark.service


def _list(client, key: str, **params: str | int):  # type: ignore[no-untyped-def]
    return client.get("/v1/documents", query_string=params, headers=auth(key))


def _walk(client, key: str, **params: str | int) -> list[dict]:  # type: ignore[type-arg]
    """Every item, page by page, following next_cursor (and checking links.next says the same)."""
    items: list[dict] = []  # type: ignore[type-arg]
    cursor = None
    for _ in range(50):
        response = _list(client, key, **params, **({"cursor": cursor} if cursor else {}))
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            assert body["links"]["next"] is None
            return items
        assert f"cursor={cursor}" in body["links"]["next"]
        assert len(body["items"]) == int(params.get("limit", 50))
    raise AssertionError("pagination did not end")


def test_listing_pages_filters_and_tenants(  # type: ignore[no-untyped-def]
    client, key, other_key, stack, sessions
) -> None:
    from api.app import create_app
    from store.models import Document

    # One document really processed, the rest kept queued by an app whose queue nobody consumes.
    done = upload(client, key, make_invoice_pdf("INV-L0"), name="done.pdf").get_json()["id"]
    idle_prefix = f"iocr-test-idle-{secrets.token_hex(4)}:"
    idle = create_app(dataclasses.replace(stack.settings, broker_key_prefix=idle_prefix)).test_client()
    try:
        receipt = upload(idle, key, make_invoice_pdf("INV-L1"), name="r.pdf", document_type="receipt")
        plain = [upload(idle, key, make_invoice_pdf(f"INV-L{i}"), name=f"p{i}.pdf") for i in (2, 3)]
        batch = idle.post(
            "/v1/batches",
            data={"file": [(io.BytesIO(make_invoice_pdf(f"INV-LB{i}")), f"b{i}.pdf") for i in (1, 2)]},
            headers=auth(key),
            content_type="multipart/form-data",
        ).get_json()
        foreign = upload(idle, other_key, make_invoice_pdf("INV-LX"), name="foreign.pdf").get_json()["id"]
    finally:
        drop_redis_keys(idle_prefix)
    batch_ids = [a["id"] for a in batch["accepted"]]
    created = [done, receipt.get_json()["id"], *(r.get_json()["id"] for r in plain), *batch_ids]
    assert wait_final(client, key, done)["status"] == "succeeded"

    everything = _walk(client, key)
    assert [i["id"] for i in everything] == created[::-1]  # newest first
    first = everything[-1]
    assert set(first) >= {
        "id",
        "filename",
        "status",
        "document_type",
        "created_at",
        "finished_at",
        "error",
        "links",
    }
    assert (first["filename"], first["status"], first["error"]) == ("done.pdf", "succeeded", None)
    assert first["finished_at"] is not None and first["links"]["self"] == f"/v1/documents/{done}"
    assert everything[0]["finished_at"] is None and everything[0]["batch_id"] == batch["id"]

    # Two documents with the very same created_at: the id breaks the tie, so pages of one item
    # still hold every document exactly once.
    with sessions() as s:
        same = datetime.fromisoformat(everything[2]["created_at"])
        s.execute(update(Document).where(Document.id.in_(batch_ids)).values(created_at=same))
        s.commit()
    paged = [i["id"] for i in _walk(client, key, limit=1)]
    assert sorted(paged) == sorted(created) and len(paged) == len(created)
    assert paged == [i["id"] for i in _walk(client, key, limit=3)]

    # Filters.
    assert [i["id"] for i in _walk(client, key, status="succeeded")] == [done]
    assert {i["id"] for i in _walk(client, key, status="queued")} == set(created[1:])
    assert {i["id"] for i in _walk(client, key, batch_id=batch["id"])} == set(batch_ids)
    assert [i["id"] for i in _walk(client, key, document_type="receipt")] == [created[1]]
    middle = datetime.fromisoformat(everything[3]["created_at"])  # the third created: created[2]
    after = {i["id"] for i in _walk(client, key, created_after=middle.isoformat())}
    before = {i["id"] for i in _walk(client, key, created_before=middle.isoformat())}
    assert after | before == set(created) and not after & before and created[2] in after
    naive = (middle - timedelta(days=1)).replace(tzinfo=None).isoformat()  # no zone: UTC
    assert len(_walk(client, key, created_after=naive)) == len(created)
    assert _walk(client, key, created_before="2000-01-01") == []

    # Tenants: the other tenant sees its own document only, also when it names our batch.
    assert [i["id"] for i in _walk(client, other_key)] == [foreign]
    assert _walk(client, other_key, batch_id=batch["id"]) == []
    assert foreign not in {i["id"] for i in everything}

    # Deleted documents leave the list.
    assert client.delete(f"/v1/documents/{created[2]}", headers=auth(key)).status_code == 204
    assert created[2] not in {i["id"] for i in _walk(client, key)}

    # Bad parameters: 422 with a detail, never a 500 or a silently ignored filter.
    for params in (
        {"limit": 0},
        {"limit": 501},
        {"limit": "ten"},
        {"status": "done"},
        {"document_type": "letter"},
        {"created_after": "yesterday"},
        {"created_before": "2024-13-01"},
        {"cursor": "garbage"},
        {"cursor": "W10"},
    ):
        response = _list(client, key, **params)
        assert response.status_code == 422, (params, response.get_json())
        assert set(response.get_json()) == {"detail"}
    assert len(_list(client, key, limit=500).get_json()["items"]) == len(created) - 1
    assert client.get("/v1/documents").status_code == 401

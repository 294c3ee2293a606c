"""Security: secrets at rest and in logs, constant-time key checks, tenant isolation on every route,
and the per-key rate limit shared by every API process."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import logging
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import inspect, text

from tests.reliability.conftest import post_file, wait_status
from tests.service.conftest import auth, fresh_rate_window, make_invoice_pdf

pytestmark = pytest.mark.service


def new_key(sessions, tenant: str):  # type: ignore[no-untyped-def]
    from store.keys import create_key

    with sessions() as s:
        issued = create_key(s, tenant)
        s.commit()
    return issued


class Sink:
    """A loopback webhook receiver that answers 200 and keeps the signature header it got."""

    def __init__(self) -> None:
        self.signatures: list[str] = []
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                sink.signatures.append(self.headers["X-Signature"])
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_secrets_are_hashed_at_rest_and_never_logged(
    rstack, rworker, direct_app, rsessions, caplog
) -> None:  # type: ignore[no-untyped-def]
    from store.keys import webhook_secret
    from store.models import ApiKey, Tenant

    caplog.set_level(logging.DEBUG)
    issued = new_key(rsessions, f"secretive-{secrets.token_hex(3)}")
    client = direct_app.test_client()
    sink = Sink()
    try:
        submitted = post_file(client, issued.key, make_invoice_pdf("INV-SEC"), callback_url=sink.url)
        doc_id = submitted.get_json()["id"]
        assert client.get(f"/v1/documents/{doc_id}", headers=auth(issued.key + "x")).status_code == 401
        assert client.get("/v1/documents/nope", headers=auth(issued.key)).status_code == 404
        wait_status(rsessions, doc_id)
        deadline = time.monotonic() + 30
        while not sink.signatures:
            assert time.monotonic() < deadline, "the webhook never arrived"
            time.sleep(0.1)
    finally:
        sink.close()
    with rsessions() as s:
        row = s.get(ApiKey, issued.key_id)
        tenant = s.get(Tenant, issued.tenant_id)
        secret = webhook_secret(rstack.direct.secret_key, tenant.id, tenant.webhook_secret_version)
        assert row.key_hash == hashlib.sha256(issued.key.encode()).hexdigest()
        # Every row of every table, as text: neither the key, its secret part nor the webhook secret.
        dump = "\n".join(
            str(r[0])
            for table in inspect(s.get_bind()).get_table_names()
            for r in s.execute(text(f'SELECT t::text FROM "{table}" t'))
        )
    assert issued.key_id in dump  # the dump is real: it holds the key's row
    for needle in (issued.key, issued.key.rsplit("_", 1)[1], secret, rstack.direct.secret_key):
        assert needle not in dump
        assert needle not in caplog.text
        for log in rstack.workers.tmp.glob("worker-*.log"):
            assert needle not in log.read_text(errors="replace"), log.name
    assert sink.signatures[0].startswith("sha256=") and secret not in sink.signatures[0]


def test_keys_are_compared_in_constant_time(rsessions, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import store.keys as keys

    issued = new_key(rsessions, f"timing-{secrets.token_hex(3)}")
    calls: list[tuple[str, str]] = []
    real = keys.hmac.compare_digest

    def spy(a, b):  # type: ignore[no-untyped-def]
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(keys.hmac, "compare_digest", spy)
    prefix = issued.key.split("_")[1]
    with rsessions() as s:
        assert keys.authenticate(s, issued.key) is not None
        assert keys.authenticate(s, f"iocr_{prefix}_wrong") is None  # known prefix, wrong secret
        assert keys.authenticate(s, "iocr_000000000000_wrong") is None  # unknown prefix
        assert keys.authenticate(s, "not-a-key") is None  # malformed: refused before any lookup
    # Known and unknown prefixes both pay one full-length digest comparison: timing tells nothing.
    assert len(calls) == 3 and all(len(a) == len(b) == 64 for a, b in calls)


NO_TENANT_DATA = {
    "/healthz", "/readyz", "/metrics", "/openapi.json", "/v1/batches", "/v1/ocr"
}


def test_tenant_isolation_on_every_route(direct_app, rsessions, rworker) -> None:  # type: ignore[no-untyped-def]
    owner = new_key(rsessions, f"owner-{secrets.token_hex(3)}").key
    intruder = new_key(rsessions, f"intruder-{secrets.token_hex(3)}").key
    client = direct_app.test_client()
    doc_id = post_file(
        client, owner, make_invoice_pdf("INV-ISO"), name="owner-secret.pdf", callback_url="http://127.0.0.1:9/x"
    ).get_json()["id"]
    batch = client.post(
        "/v1/batches",
        data={"file": [(io.BytesIO(make_invoice_pdf("INV-ISO-B")), "owner-batch.pdf")]},
        headers=auth(owner),
        content_type="multipart/form-data",
    ).get_json()
    wait_status(rsessions, doc_id)
    wait_status(rsessions, batch["accepted"][0]["id"])
    ids = {"document_id": doc_id, "batch_id": batch["id"]}
    checked = []
    for rule in sorted(direct_app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static":
            continue
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        unknown = set(rule.arguments) - set(ids)
        assert not unknown, f"{rule.rule}: add its parameters {unknown} to this isolation test"
        if rule.arguments:
            path = rule.rule
            for name in rule.arguments:
                path = path.replace(f"<{name}>", ids[name])
            for method in methods:
                query = "?format=json" if path.endswith("/export") else ""
                response = client.open(path + query, method=method, headers=auth(intruder))
                assert response.status_code == 404, (method, rule.rule, response.status_code)
                assert set(response.get_json()) == {"detail"}
                assert b"owner-" not in response.get_data()
                checked.append(f"{method} {rule.rule}")
        elif rule.rule == "/v1/documents" and methods == ["POST"]:
            checked.append("POST /v1/documents")  # creates only: the new document is the caller's
        elif rule.rule == "/v1/documents":  # GET lists the caller's own documents, and nobody else's
            assert methods == ["GET"], methods
            owned = [doc_id, batch["accepted"][0]["id"]]
            for query in ("", f"?batch_id={batch['id']}", "?status=succeeded", "?limit=500"):
                response = client.get("/v1/documents" + query, headers=auth(intruder))
                assert response.status_code == 200 and response.get_json()["items"] == [], query
                assert b"owner-" not in response.get_data()
            mine = client.get("/v1/documents", headers=auth(owner)).get_json()["items"]
            assert sorted(i["id"] for i in mine) == sorted(owned)  # the route does list documents
            checked.append("GET /v1/documents")
        elif rule.rule == "/v1/match":
            body = {"invoice_id": doc_id, "purchase_order_id": batch["accepted"][0]["id"]}
            response = client.post("/v1/match", json=body, headers=auth(intruder))
            assert response.status_code == 404 and set(response.get_json()) == {"detail"}
            assert client.post("/v1/match", json=body, headers=auth(owner)).status_code != 404
            checked.append("POST /v1/match")
        else:
            assert rule.rule in NO_TENANT_DATA, f"{rule.rule}: decide how this route keeps tenants apart"
    # The owner still sees everything the intruder was refused (the 404s are not just broken routes).
    for path in (f"/v1/documents/{doc_id}", f"/v1/documents/{doc_id}/file",
                 f"/v1/documents/{doc_id}/webhook/deliveries", f"/v1/batches/{batch['id']}",
                 f"/v1/batches/{batch['id']}/results"):
        assert client.get(path, headers=auth(owner)).status_code == 200, path
    assert client.post(f"/v1/documents/{doc_id}/webhook/replay", headers=auth(owner)).status_code == 202
    assert b"owner-batch" in client.get(f"/v1/batches/{batch['id']}/results", headers=auth(owner)).data
    assert client.delete(f"/v1/documents/{doc_id}", headers=auth(owner)).status_code == 204
    for expected in ("GET /v1/documents/<document_id>", "GET /v1/documents/<document_id>/file",
                     "DELETE /v1/documents/<document_id>", "GET /v1/batches/<batch_id>",
                     "GET /v1/batches/<batch_id>/results", "POST /v1/documents/<document_id>/webhook/replay",
                     "GET /v1/documents/<document_id>/webhook/deliveries", "GET /v1/documents"):
        assert expected in checked


def test_rate_limit_is_per_key_and_shared_by_api_processes(rstack, rsessions) -> None:  # type: ignore[no-untyped-def]
    from api.app import create_app

    limited = dataclasses.replace(rstack.direct, rate_limit_per_minute=4)
    first, second = create_app(limited).test_client(), create_app(limited).test_client()  # two "processes"
    key = new_key(rsessions, f"busy-{secrets.token_hex(3)}").key
    other = new_key(rsessions, f"calm-{secrets.token_hex(3)}").key

    def upload(client, k):  # type: ignore[no-untyped-def]
        return post_file(client, k, make_invoice_pdf("INV-RL"))

    def batch(client, k):  # type: ignore[no-untyped-def]
        return client.post(
            "/v1/batches",
            data={"file": [(io.BytesIO(make_invoice_pdf()), "b.pdf")]},
            headers=auth(k),
            content_type="multipart/form-data",
        )

    fresh_rate_window()  # all of it inside one minute window of the limiter
    codes = [upload(first, key).status_code, upload(second, key).status_code,
             batch(first, key).status_code, upload(second, key).status_code]
    refused = batch(second, key)
    assert codes == [202] * 4 and refused.status_code == 429, (codes, refused.status_code)
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.get_json()["detail"].startswith("rate limit of 4 uploads per minute exceeded")
    assert upload(first, key).status_code == 429
    assert upload(second, other).status_code == 202  # another key has its own budget
    assert first.get("/v1/documents/nope", headers=auth(key)).status_code == 404  # polling is not limited

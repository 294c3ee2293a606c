"""Webhooks to a real local HTTP receiver that checks the HMAC signature like an ERP would."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.service.conftest import auth, make_invoice_pdf, wait_final

pytestmark = pytest.mark.service


class Receiver:
    """Answers with the queued status codes (then 200), and records every request it got."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.codes: list[int] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    receiver.requests.append(({k: v for k, v in self.headers.items()}, body))
                    code = receiver.codes.pop(0) if receiver.codes else 200
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/invoice"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, count: int, timeout: float = 30) -> list[tuple[dict[str, str], bytes]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.requests) >= count:
                    return list(self.requests)
            time.sleep(0.05)
        raise AssertionError(f"expected {count} webhook requests, got {len(self.requests)}")


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.server.shutdown()
    r.server.server_close()


def tenant_secret(sessions, key: str, stack) -> str:  # type: ignore[no-untyped-def]
    from store.keys import authenticate, webhook_secret

    with sessions() as s:
        row = authenticate(s, key)
        assert row is not None
        return webhook_secret(stack.settings.secret_key, row.tenant_id, row.tenant.webhook_secret_version)


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    expected = hmac.new(
        secret.encode(), headers["X-Timestamp"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(headers["X-Signature"], f"sha256={expected}")


def submit(client, key: str, url: str) -> str:  # type: ignore[no-untyped-def]
    response = client.post(
        "/v1/documents",
        data={"file": (io.BytesIO(make_invoice_pdf("INV-HOOK")), "hook.pdf"), "callback_url": url},
        headers=auth(key),
        content_type="multipart/form-data",
    )
    assert response.status_code == 202, response.get_json()
    return response.get_json()["id"]


def deliveries(client, key: str, doc_id: str, until: str, count: int = 1, timeout: float = 30) -> list[dict]:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    items: list[dict] = []
    while time.monotonic() < deadline:
        items = client.get(f"/v1/documents/{doc_id}/webhook/deliveries", headers=auth(key)).get_json()[
            "deliveries"
        ]
        if len(items) >= count and all(d["status"] == until for d in items[-1:]):
            return items
        time.sleep(0.1)
    raise AssertionError(f"deliveries did not reach {until}: {items}")


def test_signed_webhook_retried_until_accepted(client, key, receiver, sessions, stack) -> None:  # type: ignore[no-untyped-def]
    receiver.codes = [500]
    doc_id = submit(client, key, receiver.url)
    got = receiver.wait(2)
    secret = tenant_secret(sessions, key, stack)
    for headers, body in got:
        assert verify(secret, headers, body), "signature does not verify"
        assert not verify("wrong-secret", headers, body)
        assert abs(int(headers["X-Timestamp"]) - time.time()) < 60
    payload = json.loads(got[-1][1])
    final = wait_final(client, key, doc_id)
    assert payload["id"] == doc_id and payload["status"] == "succeeded"
    assert payload["content"] == final["content"]
    items = deliveries(client, key, doc_id, "delivered")
    assert [a["status_code"] for a in items[0]["attempts"]] == [500, 200]
    assert items[0]["attempts"][0]["error"] == "receiver answered HTTP 500"
    assert got[0][0]["X-Delivery-Id"] == got[1][0]["X-Delivery-Id"] == items[0]["id"]


def test_failed_delivery_can_be_replayed(client, key, receiver) -> None:  # type: ignore[no-untyped-def]
    receiver.codes = [503, 503, 503]  # the test stack allows 3 attempts
    doc_id = submit(client, key, receiver.url)
    items = deliveries(client, key, doc_id, "failed")
    assert len(items[0]["attempts"]) == 3
    assert len(receiver.requests) == 3
    replay = client.post(f"/v1/documents/{doc_id}/webhook/replay", headers=auth(key))
    assert replay.status_code == 202
    items = deliveries(client, key, doc_id, "delivered", count=2)
    assert items[1]["id"] == replay.get_json()["delivery_id"]
    assert [a["status_code"] for a in items[1]["attempts"]] == [200]
    assert json.loads(receiver.wait(4)[-1][1])["id"] == doc_id


def test_replay_needs_a_callback_and_an_owner(client, key, other_key) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/v1/documents",
        data={"file": (io.BytesIO(make_invoice_pdf()), "plain.pdf")},
        headers=auth(key),
        content_type="multipart/form-data",
    )
    doc_id = response.get_json()["id"]
    wait_final(client, key, doc_id)
    assert client.post(f"/v1/documents/{doc_id}/webhook/replay", headers=auth(other_key)).status_code == 404
    replay = client.post(f"/v1/documents/{doc_id}/webhook/replay", headers=auth(key))
    assert replay.status_code == 422 and "callback_url" in replay.get_json()["detail"]


def test_backoff_grows_exponentially_with_jitter() -> None:
    import random

    from workers.webhooks import MAX_BACKOFF_SECONDS, backoff

    rng = random.Random(7)
    delays = [backoff(2.0, n, rng) for n in range(1, 12)]
    for n, delay in enumerate(delays, start=1):
        assert (
            min(MAX_BACKOFF_SECONDS, 2.0 * 2 ** (n - 1)) * 0.5
            <= delay
            <= min(MAX_BACKOFF_SECONDS, 2.0 * 2 ** (n - 1))
        )
    assert len({round(d, 6) for d in delays}) == len(delays)  # jittered: no two alike

"""Real faults under real load: Redis killed, PostgreSQL and S3 unreachable, webhook receivers that
are down, slow or failing. Nothing accepted may be lost, no result written twice, no stack trace
shown; every outage ends by itself when the dependency comes back.

(Worker kill -9 mid-job and the embedded `serve` kill -9 are in tests/service; bench/soak.py does
both at scale, together with a Redis restart.)
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from tests.reliability.conftest import assert_coherent, history, post_file, wait_status
from tests.service.conftest import auth, free_port, make_invoice_pdf

pytestmark = pytest.mark.service


def tenant_of(sessions, key: str) -> str:  # type: ignore[no-untyped-def]
    from store.keys import authenticate

    with sessions() as s:
        row = authenticate(s, key)
        assert row is not None
        return row.tenant_id


def results_per_document(sessions, ids: list[str]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    from store.models import Result

    with sessions() as s:
        rows = s.execute(
            select(Result.document_id, func.count())
            .where(Result.document_id.in_(ids))
            .group_by(Result.document_id)
        ).all()
    return {doc_id: n for doc_id, n in rows}


def test_redis_killed_while_jobs_are_queued_loses_nothing(
    rstack, rworker, direct_app, rsessions, rkey
) -> None:  # type: ignore[no-untyped-def]
    client = direct_app.test_client()
    ids = []
    for i in range(5):
        response = post_file(client, rkey, make_invoice_pdf(f"INV-R{i}", pages=30 if i == 0 else 1))
        assert response.status_code == 202, response.get_json()
        ids.append(response.get_json()["id"])
    rstack.redis.kill()  # SIGKILL; no persistence: every message in it is gone
    try:
        assert not rstack.redis.ping()
        # Uploads during the outage are still accepted: the row is the truth, the sweeper enqueues.
        for i in range(2):
            started = time.monotonic()
            response = post_file(client, rkey, make_invoice_pdf(f"INV-RD{i}"))
            assert response.status_code == 202, response.get_json()
            assert time.monotonic() - started < 15
            ids.append(response.get_json()["id"])
    finally:
        rstack.redis.start()
    final = {doc_id: wait_status(rsessions, doc_id, timeout=120).status for doc_id in ids}
    assert set(final.values()) == {"succeeded"}, final
    assert results_per_document(rsessions, ids) == {doc_id: 1 for doc_id in ids}
    for doc_id in ids:
        assert_coherent(history(rsessions, doc_id))
    assert rworker.proc.poll() is None, "the worker died with Redis"


def test_postgres_unreachable_gives_503_and_everything_recovers(
    rstack, rworker, direct_app, proxied_app, rsessions, rkey
) -> None:  # type: ignore[no-untyped-def]
    proxied = proxied_app.test_client()
    direct = direct_app.test_client()
    before = post_file(direct, rkey, make_invoice_pdf("INV-PG0"))
    known = before.get_json()["id"]
    wait_status(rsessions, known)
    rstack.pg.down()
    try:
        for response in (
            proxied.get(f"/v1/documents/{known}", headers=auth(rkey)),
            post_file(proxied, rkey, make_invoice_pdf("INV-PG1")),
            proxied.get("/v1/batches/whatever", headers=auth(rkey)),
        ):
            assert response.status_code == 503, response.get_data(as_text=True)
            assert response.get_json() == {"detail": "the database is unavailable; retry later"}
            assert response.headers["Retry-After"] == "5"
        ready = proxied.get("/readyz")
        assert ready.status_code == 503 and "database" in ready.get_json()["detail"]
        # A job accepted elsewhere meanwhile: the worker (behind the dead proxy) must retry, not drop it.
        doc_id = post_file(direct, rkey, make_invoice_pdf("INV-PG2")).get_json()["id"]
        time.sleep(3)  # the worker takes the message and fails to claim it at least once
        with rsessions() as s:
            from store.models import Document

            assert s.get(Document, doc_id).status == "queued"
    finally:
        rstack.pg.up()
    doc = wait_status(rsessions, doc_id, timeout=90)
    assert doc.status == "succeeded", doc.failure_reason
    assert_coherent(history(rsessions, doc_id))
    assert results_per_document(rsessions, [doc_id]) == {doc_id: 1}
    # The API recovers by itself (pool pre-ping replaces the dead connections).
    deadline = time.monotonic() + 20
    while proxied.get(f"/v1/documents/{known}", headers=auth(rkey)).status_code != 200:
        assert time.monotonic() < deadline, "the API did not recover after the database came back"
        time.sleep(0.2)
    assert proxied.get("/readyz").status_code == 200
    assert rworker.proc.poll() is None


def test_object_storage_unreachable(rstack, rworker, direct_app, proxied_app, rsessions, rkey) -> None:  # type: ignore[no-untyped-def]
    from store.models import Document

    proxied = proxied_app.test_client()
    direct = direct_app.test_client()
    tenant = tenant_of(rsessions, rkey)
    rstack.s3.down()
    try:
        response = post_file(proxied, rkey, make_invoice_pdf("INV-S3-0"))
        assert response.status_code == 503, response.get_data(as_text=True)
        detail = "object storage is unavailable; nothing was stored, retry later"
        assert response.get_json() == {"detail": detail}
        with rsessions() as s:  # nothing half-written: no row ...
            assert s.scalar(select(func.count()).where(Document.tenant_id == tenant)) == 0
        assert rstack.s3_keys(f"files/documents/{tenant}/") == []  # ... and no object
        # A job whose file the worker cannot read: retried with back-off, then failed with a reason.
        started = time.monotonic()
        doomed = post_file(direct, rkey, make_invoice_pdf("INV-S3-1")).get_json()["id"]
        assert proxied.get(f"/v1/documents/{doomed}/file", headers=auth(rkey)).status_code == 503
        doc = wait_status(rsessions, doomed, timeout=90)
        took = time.monotonic() - started
        assert doc.status == "failed"
        reason = doc.failure_reason
        assert reason.startswith("storage or database unavailable: cannot read"), reason
        events = history(rsessions, doomed)
        assert_coherent(events)
        claims = [s for s, _ in events].count("processing")
        assert claims == 4, events  # the first try and task_max_retries=3 retries, no more
        assert took >= 1 + 2 + 4, f"retries were not backed off: all done in {took:.1f}s"
        # The next job waits out a short outage and succeeds.
        survivor = post_file(direct, rkey, make_invoice_pdf("INV-S3-2")).get_json()["id"]
        time.sleep(1.5)
    finally:
        rstack.s3.up()
    doc = wait_status(rsessions, survivor, timeout=60)
    assert doc.status == "succeeded", doc.failure_reason
    assert_coherent(history(rsessions, survivor))
    assert proxied.get(f"/v1/documents/{survivor}/file", headers=auth(rkey)).status_code == 200
    assert rworker.proc.poll() is None


class ScriptedReceiver:
    """A webhook receiver on a fixed port that plays a script: "slow" (sleeps past the sender's
    timeout, then answers 200), an HTTP status code, and 200 once the script is over."""

    def __init__(self, port: int, script: list[str | int]) -> None:
        self.script = list(script)
        self.hits: list[float] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    receiver.hits.append(time.monotonic())
                    step = receiver.script.pop(0) if receiver.script else 200
                if step == "slow":
                    time.sleep(2.5)
                    step = 200
                self.send_response(int(step))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def attempts_of(sessions, document_id: str) -> list:  # type: ignore[no-untyped-def]
    from store.models import WebhookAttempt, WebhookDelivery

    with sessions() as s:
        return list(
            s.scalars(
                select(WebhookAttempt)
                .join(WebhookDelivery, WebhookDelivery.id == WebhookAttempt.delivery_id)
                .where(WebhookDelivery.document_id == document_id)
                .order_by(WebhookAttempt.attempt)
            )
        )


def wait_delivery(sessions, document_id: str, until: str, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    from store.models import WebhookDelivery

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sessions() as s:
            status = s.scalar(
                select(WebhookDelivery.status).where(WebhookDelivery.document_id == document_id)
            )
        if status == until:
            return
        time.sleep(0.1)
    raise AssertionError(f"the delivery of {document_id} did not become {until!r}")


def test_webhook_receiver_down_then_slow_then_500_then_delivered(
    rworker, direct_app, rsessions, rkey
) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    url = f"http://127.0.0.1:{port}/erp/hook"
    client = direct_app.test_client()
    doc_id = post_file(client, rkey, make_invoice_pdf("INV-W1"), callback_url=url).get_json()["id"]
    deadline = time.monotonic() + 60
    while not attempts_of(rsessions, doc_id):  # the receiver is down: connection refused
        assert time.monotonic() < deadline, "no delivery attempt was made"
        time.sleep(0.05)
    receiver = ScriptedReceiver(port, ["slow", 500])
    try:
        wait_delivery(rsessions, doc_id, "delivered", timeout=60)
        attempts = attempts_of(rsessions, doc_id)
        refused = [a for a in attempts if a.status_code is None and "ConnectionError" in (a.error or "")]
        assert refused and attempts[0] in refused
        reached = attempts[len(refused):]
        assert [a.attempt for a in attempts] == list(range(1, len(attempts) + 1))
        assert "Timeout" in (reached[0].error or "") and reached[0].status_code is None
        assert 0.9 <= reached[0].duration_seconds < 2.5  # cut at the 1 s timeout, not the 2.5 s sleep
        assert reached[1].status_code == 500 and "HTTP 500" in reached[1].error
        assert reached[2].status_code == 200 and reached[2].error is None
        assert len(reached) == 3 and len(attempts) <= 5
        time.sleep(1.5)
        assert len(receiver.hits) == 3, "a delivered webhook was sent again"
        # Each attempt is visible to the owner through the API, with its outcome.
        listed = client.get(f"/v1/documents/{doc_id}/webhook/deliveries", headers=auth(rkey)).get_json()
        assert [a["status_code"] for a in listed["deliveries"][0]["attempts"]][-2:] == [500, 200]
    finally:
        receiver.close()


def test_webhook_failing_receiver_gets_no_retry_storm(rworker, direct_app, rsessions, rkey) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    receiver = ScriptedReceiver(port, [500] * 50)
    try:
        client = direct_app.test_client()
        url = f"http://127.0.0.1:{port}/hook"
        doc_id = post_file(client, rkey, make_invoice_pdf("INV-W2"), callback_url=url).get_json()["id"]
        wait_delivery(rsessions, doc_id, "failed", timeout=60)
        time.sleep(2)
        assert len(receiver.hits) == 5  # INVOICE_OCR_WEBHOOK_MAX_ATTEMPTS, then it stops for good
        gaps = [b - a for a, b in zip(receiver.hits, receiver.hits[1:], strict=False)]
        # back-off 0.4 s * 2^(n-1) with jitter in [0.5, 1]: each gap at least half its nominal size
        for n, gap in enumerate(gaps, start=1):
            assert gap >= 0.4 * 2 ** (n - 1) * 0.5 - 0.05, gaps
        assert [a.status_code for a in attempts_of(rsessions, doc_id)] == [500] * 5
    finally:
        receiver.close()


def test_worker_killed_mid_job_another_worker_finishes_it_once(
    rstack, rworker, rsessions, rkey
) -> None:  # type: ignore[no-untyped-def]
    """The victim has a queue of its own (a broker key prefix nobody else reads), so it alone can
    take the job; after its kill -9 only the other worker's sweeper can bring the job back. Then the
    lost message is delivered anyway, late: it must change nothing."""
    import dataclasses
    import secrets

    from api.app import create_app
    from store.models import Document
    from store.queue import QueueHandle, make_celery

    prefix = f"victim-{secrets.token_hex(3)}:"
    settings = dataclasses.replace(rstack.direct, broker_key_prefix=prefix)
    victim = rstack.start_worker("victim", concurrency=1, extra_env={"INVOICE_OCR_BROKER_PREFIX": prefix})
    client = create_app(settings).test_client()
    doc_id = post_file(client, rkey, make_invoice_pdf("INV-KILL", pages=150)).get_json()["id"]
    deadline = time.monotonic() + 60
    while True:
        with rsessions() as s:
            if s.get(Document, doc_id).status == "processing":
                break
        assert time.monotonic() < deadline, "the victim never started the job"
        time.sleep(0.05)
    time.sleep(0.5)
    victim.kill()  # SIGKILL to the process group: main process and pool child, no ack, no cleanup
    victim.proc.wait(timeout=10)
    with rsessions() as s:
        assert s.get(Document, doc_id).status == "processing"
    doc = wait_status(rsessions, doc_id, timeout=120)  # rworker's sweeper: lease gone, re-enqueued
    assert doc.status == "succeeded" and doc.attempts == 2
    statuses = [s for s, _ in history(rsessions, doc_id)]
    assert statuses == ["queued", "processing", "queued", "processing", "succeeded"]
    # The lost message, delivered late to a restarted victim: the row says "done", nothing happens.
    late = rstack.start_worker("victim-again", concurrency=1, extra_env={"INVOICE_OCR_BROKER_PREFIX": prefix})
    try:
        QueueHandle(make_celery(settings)).enqueue_document(doc_id)
        deadline = time.monotonic() + 60
        while "succeeded in" not in (tail := late.log.read_text(errors="replace").split("ready.")[-1]):
            assert time.monotonic() < deadline, f"the late message was never handled:\n{tail[-2000:]}"
            time.sleep(0.1)
        assert "'skipped'" in tail, tail[-2000:]
    finally:
        late.stop()
    assert results_per_document(rsessions, [doc_id]) == {doc_id: 1}
    assert len(history(rsessions, doc_id)) == 5
    with rsessions() as s:
        assert s.get(Document, doc_id).attempts == 2
    assert rworker.proc.poll() is None

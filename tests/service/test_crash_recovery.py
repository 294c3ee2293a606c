"""A worker killed mid-job (kill -9, pool and all) loses nothing: the job finishes once, elsewhere."""

from __future__ import annotations

import io
import time

import pytest
from sqlalchemy import select

from tests.service.conftest import auth, make_invoice_pdf, wait_final

pytestmark = pytest.mark.service


def test_kill_9_worker_mid_job(stack, worker, client, key, sessions) -> None:  # type: ignore[no-untyped-def]
    from store.models import Document, Result, StatusEvent

    worker.kill()  # the shared worker steps aside; a fresh one will be the victim
    worker.proc.wait(timeout=10)
    victim = stack.start_worker("victim", concurrency=1)
    data = make_invoice_pdf("INV-CRASH", pages=150)  # a few seconds of work
    response = client.post(
        "/v1/documents",
        data={"file": (io.BytesIO(data), "long.pdf")},
        headers=auth(key),
        content_type="multipart/form-data",
    )
    doc_id = response.get_json()["id"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with sessions() as s:
            if s.get(Document, doc_id).status == "processing":
                break
        time.sleep(0.05)
    else:
        raise AssertionError("the job never started")
    time.sleep(0.5)
    victim.kill()  # SIGKILL to the whole process group: no clean shutdown, no ack
    victim.proc.wait(timeout=10)
    with sessions() as s:
        assert s.get(Document, doc_id).status == "processing"
    replacement = stack.start_worker("replacement", concurrency=2)
    result = wait_final(client, key, doc_id, timeout=120)
    assert result["status"] == "succeeded" and result["metadata"]["pages"] == 150
    with sessions() as s:
        doc = s.get(Document, doc_id)
        assert doc.attempts == 2
        assert len(s.scalars(select(Result).where(Result.document_id == doc_id)).all()) == 1
        history = [
            e.status
            for e in s.scalars(
                select(StatusEvent).where(StatusEvent.document_id == doc_id).order_by(StatusEvent.id)
            )
        ]
    assert history == ["queued", "processing", "queued", "processing", "succeeded"]
    assert replacement.proc.poll() is None  # stays up for the tests after this one

"""Interactive before batch, with a real Celery worker: an upload submitted while a batch backlog is
being worked off finishes before most of that backlog, and batch work keeps its own order.

The documents go through an app whose broker key prefix only this test's worker consumes, so the
session's shared worker cannot drain the backlog early and the order seen is the worker's choice.
"""

from __future__ import annotations

import dataclasses
import secrets
import time
from datetime import datetime

import pytest
from sqlalchemy import select

from infra.stack import drop_redis_keys
from tests.service.conftest import make_invoice_pdf, wait_final
from tests.service.test_documents import upload

pytestmark = pytest.mark.service

BACKLOG = 24
INTERACTIVE = 4


def test_interactive_upload_overtakes_a_batch_backlog(stack, key, sessions) -> None:  # type: ignore[no-untyped-def]
    from api.app import create_app
    from store.models import Document

    prefix = f"iocr-test-prio-{secrets.token_hex(4)}:"
    client = create_app(dataclasses.replace(stack.settings, broker_key_prefix=prefix)).test_client()
    worker = None
    try:
        backlog = []
        for i in range(BACKLOG):
            response = upload(client, key, make_invoice_pdf(f"B-{i:03d}", pages=3), priority="batch")
            assert response.status_code == 202, response.get_json()
            backlog.append(response.get_json()["id"])
        # One worker process, so documents finish strictly one after the other. Its own lease is long:
        # its first document includes the pipeline's warm-up, and the session's 4 s lease would let
        # the shared worker's sweeper take that document over and finish it out of order.
        env = {"INVOICE_OCR_BROKER_PREFIX": prefix, "INVOICE_OCR_PROCESSING_LEASE_SECONDS": "120"}
        worker = stack.start_worker("prio", concurrency=1, extra_env=env)

        def backlog_started() -> bool:
            with sessions() as s:
                statuses = s.scalars(select(Document.status).where(Document.id.in_(backlog))).all()
            return any(status != "queued" for status in statuses)

        deadline = time.monotonic() + 30
        while not backlog_started():
            assert time.monotonic() < deadline, "the worker never took a batch document"
            time.sleep(0.02)
        # The worker is busy with the backlog now: submit interactive uploads, then one more batch one.
        with sessions() as s:
            done_at_submit = len(
                s.scalars(
                    select(Document.id).where(Document.id.in_(backlog), Document.status == "succeeded")
                ).all()
            )
        interactive = [
            upload(client, key, make_invoice_pdf(f"I-{i:03d}")).get_json()["id"] for i in range(INTERACTIVE)
        ]
        trailing = upload(client, key, make_invoice_pdf("B-LAST", pages=3), priority="batch").get_json()["id"]

        finished = {}
        for doc_id in [*backlog, *interactive, trailing]:
            body = wait_final(client, key, doc_id, timeout=60)
            assert body["status"] == "succeeded", body
            finished[doc_id] = datetime.fromisoformat(body["finished_at"])
        last_interactive = max(finished[d] for d in interactive)
        before = [d for d in backlog if finished[d] < last_interactive]
        print(f"batch documents done at submit: {done_at_submit}, finished before the last interactive: "
              f"{len(before)} of {BACKLOG}")
        # FIFO would put every interactive upload behind all BACKLOG batch documents.
        assert len(before) < BACKLOG / 2, (len(before), done_at_submit)
        # Round-robin between the queues would let about one batch document through per interactive one;
        # priority lets through only what was done or already in the worker's hands on arrival.
        assert len(before) <= done_at_submit + 2, (len(before), done_at_submit)
        # Batch work keeps its order behind them: the trailing batch document comes after the backlog.
        assert finished[trailing] > max(finished[d] for d in backlog) > last_interactive
    finally:
        if worker is not None:
            worker.stop()
        drop_redis_keys(prefix)

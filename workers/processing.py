"""Processing one document: claim the row, run the pipeline, write the result exactly once.

The queue message only says "look at document N"; the row decides. A message for a finished
document does nothing, a message for a document another worker is working on (its lease is live)
comes back later, and the result is written by a conditional UPDATE that only the attempt holding
the claim can win. The pipeline is imported here, lazily, so only worker processes load torch.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update

from store.documents import claim, extend_lease, record
from store.models import Document, Result, StageTiming, WebhookDelivery, utcnow
from workers.context import WorkerContext

log = logging.getLogger(__name__)


class Busy(Exception):
    """Another worker holds a live lease on the document; try again after `retry_in` seconds."""

    def __init__(self, retry_in: float) -> None:
        super().__init__(f"document is being processed elsewhere; retry in {retry_in:.0f}s")
        self.retry_in = retry_in


@dataclass(frozen=True)
class Outcome:
    status: str  # succeeded, failed, skipped
    detail: str | None = None
    webhook_delivery_id: str | None = None


@contextmanager
def _heartbeat(ctx: WorkerContext, document_id: str) -> Iterator[None]:
    """Keep extending the lease while the pipeline runs, so only a dead worker's lease runs out."""
    stop = threading.Event()
    interval = max(1.0, ctx.settings.processing_lease_seconds / 3)

    def beat() -> None:
        while not stop.wait(interval):
            try:
                with ctx.sessions() as s:
                    extend_lease(s, document_id, ctx.settings.processing_lease_seconds)
            except Exception:  # a missed beat is harmless; the next one may succeed
                log.warning("lease heartbeat failed for %s", document_id, exc_info=True)

    thread = threading.Thread(target=beat, name=f"lease-{document_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def process(ctx: WorkerContext, document_id: str, owned_attempt: int | None = None) -> Outcome:
    """Run one document. Storage/DB errors propagate (the task retries); input errors fail the job."""
    with ctx.sessions() as s:
        doc = claim(s, document_id, ctx.settings.processing_lease_seconds, owned_attempt)
        if doc is None:
            current = s.get(Document, document_id)
            if current is None or current.deleted_at is not None or current.status in ("succeeded", "failed"):
                return Outcome("skipped", "already final, deleted or unknown")
            if current.status == "processing" and current.lease_until is not None:
                raise Busy(max(1.0, (current.lease_until - utcnow()).total_seconds() + 1))
            return Outcome("skipped", f"status {current.status}")
        attempt = doc.attempts
        storage_key = doc.storage_key
        filename, document_type = doc.filename, doc.document_type
    try:
        data = ctx.storage.get(storage_key or "")
    except Exception as exc:
        exc.owned_attempt = attempt  # type: ignore[attr-defined]
        raise

    from pipeline import DocumentError, process_document

    timings: list[tuple[str, float]] = []
    error: str | None = None
    error_status = 500
    result: dict[str, Any] | None = None
    with _heartbeat(ctx, document_id):
        try:
            result = process_document(
                data,
                filename=filename,
                document_type=document_type,
                options=ctx.settings.pipeline_options(),
                on_stage=lambda name, seconds: timings.append((name, seconds)),
            )
        except DocumentError as exc:
            error, error_status = exc.detail, exc.http_status
        except Exception as exc:  # a pipeline bug: fail the job with a reason, do not loop on it
            log.exception("pipeline crashed on document %s", document_id)
            error = f"internal error while processing: {type(exc).__name__}: {exc}"
    try:
        return _finish(ctx, document_id, attempt, result, (error, error_status), timings)
    except Exception as exc:
        # The database went away while the result was being written: the retry may take the same
        # claim again (the row is still "processing" under this attempt) instead of waiting out
        # the lease. The result is written once, by whichever attempt commits the conditional UPDATE.
        exc.owned_attempt = attempt  # type: ignore[attr-defined]
        raise


def _finish(
    ctx: WorkerContext,
    document_id: str,
    attempt: int,
    result: dict[str, Any] | None,
    failure: tuple[str | None, int],
    timings: list[tuple[str, float]],
) -> Outcome:
    error, error_status = failure
    status = "failed" if error is not None else "succeeded"
    now = utcnow()
    with ctx.sessions() as s:
        won = s.execute(
            update(Document)
            .where(
                Document.id == document_id,
                Document.status == "processing",
                Document.attempts == attempt,
                Document.deleted_at.is_(None),
            )
            .values(
                status=status,
                failure_reason=error,
                failure_http_status=error_status if error is not None else None,
                finished_at=now,
                updated_at=now,
                lease_until=None,
            )
            .execution_options(synchronize_session=False)
        )
        if won.rowcount != 1:  # type: ignore[attr-defined]
            s.rollback()
            return Outcome("skipped", "lost the claim (deleted, or taken over after the lease ran out)")
        if result is not None:
            result = {**result, "id": document_id, "status": status}
            s.add(Result(document_id=document_id, body=result))
        for stage, seconds in timings:
            s.add(StageTiming(document_id=document_id, attempt=attempt, stage=stage, seconds=seconds))
        record(s, document_id, status, error)
        doc = s.get(Document, document_id)
        delivery_id = None
        if doc is not None and doc.callback_url:
            delivery = WebhookDelivery(document_id=document_id, url=doc.callback_url, next_attempt_at=now)
            s.add(delivery)
            s.flush()
            delivery_id = delivery.id
        s.commit()
    return Outcome(status, error, delivery_id)

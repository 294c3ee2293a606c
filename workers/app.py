"""The worker's Celery app: the shared queue configuration plus the tasks and the sweeper.

    invoice-ocr worker            # what production runs (one per host or container)

Tasks are registered on an app built from Settings (no module-level app), so tests and the
embedded `serve` can run workers against any configuration.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Celery, Task, signals

from store.queue import PROCESS_TASK, WEBHOOK_TASK, make_celery
from store.settings import Settings
from store.storage import StorageError
from workers.context import WorkerContext, context_provider
from workers.cores import pin_child
from workers.processing import Busy, process
from workers.sweeper import SweeperThread, sweep
from workers.webhooks import deliver

log = logging.getLogger(__name__)


def _retry_errors() -> tuple[type[BaseException], ...]:
    from sqlalchemy.exc import DBAPIError, OperationalError

    return (StorageError, OperationalError, DBAPIError, ConnectionError)


def create_worker_app(settings: Settings | None = None) -> Celery:
    settings = settings or Settings.from_env()
    app = make_celery(settings, "invoice-ocr-worker")
    get_ctx = context_provider(app, settings)
    app.conf.worker_concurrency = app.conf.worker_concurrency or 2
    retry_errors = _retry_errors()

    @app.task(name=PROCESS_TASK, bind=True, max_retries=settings.task_max_retries)
    def process_document_task(task: Task, document_id: str, owned_attempt: int | None = None) -> str:
        try:
            outcome = process(get_ctx(), document_id, owned_attempt)
        except Busy as busy:
            # Someone holds a live lease: look again when it would run out (the row decides then).
            raise task.retry(countdown=min(busy.retry_in, 300), max_retries=None) from None
        except retry_errors as exc:
            attempt = getattr(exc, "owned_attempt", owned_attempt)
            if task.request.retries >= task.max_retries:
                _give_up(get_ctx(), document_id, f"storage or database unavailable: {exc}")
                return "failed"
            countdown = min(60.0, 2.0**task.request.retries)
            if attempt is not None:
                _hold_lease(get_ctx(), document_id, countdown)
            log.warning("document %s: %s; retry in %.0fs", document_id, exc, countdown)
            raise task.retry(
                countdown=countdown, kwargs={"document_id": document_id, "owned_attempt": attempt}, args=()
            ) from exc
        if outcome.webhook_delivery_id:
            get_ctx().queue.enqueue_webhook(outcome.webhook_delivery_id)
        return outcome.status

    @app.task(name=WEBHOOK_TASK, bind=True, max_retries=settings.task_max_retries)
    def deliver_webhook_task(task: Task, delivery_id: str) -> str:
        ctx = get_ctx()
        try:
            outcome = deliver(ctx, delivery_id)
        except retry_errors as exc:
            raise task.retry(countdown=min(60.0, 2.0**task.request.retries)) from exc
        if outcome.status == "retry" and outcome.retry_in is not None:
            ctx.queue.enqueue_webhook(delivery_id, countdown=outcome.retry_in)
        return outcome.status

    @signals.worker_process_init.connect(weak=False)
    def _pin_child(**_: Any) -> None:
        if settings.pin_cores:
            from billiard.process import current_process

            pin_child(getattr(current_process(), "index", None), app.conf.worker_concurrency)

    sweeper: dict[str, Any] = {}

    @signals.worker_ready.connect(weak=False)
    def _start_sweeper(sender: Any = None, **_: Any) -> None:
        if sender is None or getattr(sender, "app", None) is not app:
            return
        thread = SweeperThread(get_ctx, settings.sweep_interval_seconds)
        sweeper["thread"] = thread
        thread.start()

    @signals.worker_shutdown.connect(weak=False)
    def _stop_sweeper(sender: Any = None, **_: Any) -> None:
        thread = sweeper.get("thread")
        if thread is not None:
            thread.stop()

    app.invoice_ocr_context = get_ctx  # type: ignore[attr-defined]
    return app


def _hold_lease(ctx: WorkerContext, document_id: str, countdown: float) -> None:
    """Keep the claim through the back-off wait: were the lease to run out first, the sweeper would
    hand the document to a fresh task with a fresh retry budget, and the budget would mean nothing."""
    from store.documents import extend_lease

    try:
        with ctx.sessions() as s:
            extend_lease(s, document_id, int(countdown) + 1 + ctx.settings.processing_lease_seconds)
    except Exception:  # the database may be what is down: then the lease runs out, nothing is lost
        log.warning("could not extend the lease of %s during its retry wait", document_id)


def _give_up(ctx: WorkerContext, document_id: str, reason: str) -> None:
    from sqlalchemy import update

    from store.documents import record
    from store.models import Document, utcnow

    try:
        with ctx.sessions() as s:
            res = s.execute(
                update(Document)
                .where(Document.id == document_id, Document.status.in_(("queued", "processing")))
                .values(status="failed", failure_reason=reason, finished_at=utcnow(), lease_until=None)
                .execution_options(synchronize_session=False)
            )
            if res.rowcount == 1:  # type: ignore[attr-defined]
                record(s, document_id, "failed", reason)
            s.commit()
    except Exception:  # the DB itself may be what is down; the sweeper will bring the job back
        log.exception("could not mark document %s failed", document_id)


__all__ = ["create_worker_app", "sweep"]

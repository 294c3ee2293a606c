"""The queue handle: one Celery configuration for both sides, and enqueue-by-name for the API.

The API sends tasks by name (`send_task`), so it never imports the worker's task code or the
pipeline (and therefore never torch). Two document queues: `interactive` (single uploads, /v1/ocr)
is consumed before `batch`; webhook deliveries ride on `interactive` since they are small.
"""

from __future__ import annotations

from typing import Any

from celery import Celery
from kombu import Queue

from store.settings import Settings

PROCESS_TASK = "invoice_ocr.process_document"
WEBHOOK_TASK = "invoice_ocr.deliver_webhook"
QUEUES = ("interactive", "batch")
PRIORITIES = QUEUES


def make_celery(settings: Settings, name: str = "invoice-ocr") -> Celery:
    """A Celery app configured from settings; the worker adds its tasks, the API only sends."""
    app = Celery(name, broker=settings.broker_url, set_as_current=False)
    transport_options: dict[str, Any] = {}
    if settings.broker_url.startswith(("redis://", "rediss://")):
        transport_options = {
            # Consume queues in the order given to the worker (interactive first), not round-robin.
            "queue_order_strategy": "priority",
            "visibility_timeout": 3600,
        }
        if settings.broker_key_prefix:
            transport_options["global_keyprefix"] = settings.broker_key_prefix
    elif settings.is_embedded_broker:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        transport_options = {"connect_args": {"timeout": 30}}
    app.conf.update(
        broker_transport_options=transport_options,
        broker_connection_retry_on_startup=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        task_default_queue="interactive",
        task_queues=[Queue(q, routing_key=q) for q in QUEUES],
        task_create_missing_queues=True,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        # Periodic sweeping is done in-process (workers/sweeper.py), no beat needed.
        broker_pool_limit=10,
    )
    return app


class QueueHandle:
    """What the API (and the sweeper) use to put work on the queue."""

    def __init__(self, app: Celery) -> None:
        self.app = app

    def enqueue_document(self, document_id: str, priority: str = "interactive") -> None:
        queue = priority if priority in QUEUES else "interactive"
        self.app.send_task(
            PROCESS_TASK,
            args=[document_id],
            queue=queue,
            routing_key=queue,
            retry=True,
            retry_policy={"max_retries": 3, "interval_start": 0.2, "interval_step": 0.5},
        )

    def enqueue_webhook(self, delivery_id: str, countdown: float = 0.0) -> None:
        self.app.send_task(
            WEBHOOK_TASK,
            args=[delivery_id],
            queue="interactive",
            routing_key="interactive",
            countdown=countdown or None,
            retry=True,
            retry_policy={"max_retries": 3, "interval_start": 0.2, "interval_step": 0.5},
        )

    def check(self) -> None:
        """Raise when the broker cannot be reached (used by /readyz)."""
        with self.app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)

    def depths(self) -> dict[str, int]:
        """Messages waiting on each document queue, read from the broker itself.

        kombu's virtual transports answer a queue declaration with the queue's size: on Redis the
        lengths of the queue's lists (every priority step, under the key prefix), on the embedded
        SQLite broker the count of its visible (not yet taken) messages. Declaring is harmless: the
        workers declare the same queues, and a missing queue is created empty rather than refused.
        """
        with self.app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            channel = conn.default_channel
            return {q: int(channel.queue_declare(queue=q).message_count) for q in QUEUES}

    def purge(self) -> int:
        """Drop every waiting message (the embedded `serve` does this before re-enqueueing from the DB)."""
        with self.app.connection_for_write() as conn:
            total = 0
            for q in QUEUES:
                total += Queue(q, routing_key=q)(conn.default_channel).purge() or 0
            return total

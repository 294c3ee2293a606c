"""Re-enqueue work whose queue message was lost: the safety net under every broker.

Runs once when a worker starts and then every INVOICE_OCR_SWEEP_INTERVAL_SECONDS in a thread of
the worker's main process. With Redis, a killed worker's message comes back by itself (acks_late);
with the embedded SQLite broker, a message taken by a worker that was killed stays taken, so only
this sweep brings the document back. Duplicates are harmless: the row decides (store/documents.py).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from store.documents import take_stuck, take_stuck_webhooks
from workers.context import WorkerContext

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SweepReport:
    documents: int
    webhooks: int


def sweep(ctx: WorkerContext, everything: bool = False) -> SweepReport:
    """Re-enqueue stuck documents and overdue webhook deliveries (all unfinished ones with `everything`)."""
    with ctx.sessions() as s:
        stuck = take_stuck(s, ctx.settings.queued_lease_seconds, everything=everything)
        hooks = take_stuck_webhooks(
            s, grace_seconds=int(ctx.settings.webhook_timeout_seconds * 3 + 120), everything=everything
        )
    for item in stuck:
        ctx.queue.enqueue_document(item.document_id, item.priority)
    for delivery_id in hooks:
        ctx.queue.enqueue_webhook(delivery_id)
    if stuck or hooks:
        log.warning("sweeper re-enqueued %d document(s) and %d webhook(s)", len(stuck), len(hooks))
    return SweepReport(len(stuck), len(hooks))


class SweeperThread(threading.Thread):
    """Calls `sweep` every `interval` seconds until stopped; errors are logged, never fatal."""

    def __init__(self, get_ctx, interval: float) -> None:  # type: ignore[no-untyped-def]
        super().__init__(name="invoice-ocr-sweeper", daemon=True)
        self.get_ctx = get_ctx
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while True:
            try:
                sweep(self.get_ctx())
            except Exception:
                log.exception("sweep failed; will try again")
            if self.stopped.wait(self.interval):
                return

    def stop(self) -> None:
        self.stopped.set()

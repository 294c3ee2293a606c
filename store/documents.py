"""Status changes of documents, shared by the API, the workers and the sweeper.

Each change writes a `status_events` row (the audit trail). Claiming a document for processing is
one conditional UPDATE, so two deliveries of the same task can never both process it, and a task
for a finished document does nothing: that is what makes re-delivery and re-enqueueing safe.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, false, or_, select, update
from sqlalchemy.orm import Session

from store.models import Document, StatusEvent, WebhookDelivery, utcnow


def record(session: Session, document_id: str, status: str, detail: str | None = None) -> None:
    session.add(StatusEvent(document_id=document_id, status=status, detail=detail))


def claim(
    session: Session, document_id: str, lease_seconds: int, owned_attempt: int | None = None
) -> Document | None:
    """Move a queued (or lease-expired processing) document to processing; None when not ours to run.

    `owned_attempt` is set when a task retries after a storage or database error: the document is
    still "processing" under its own earlier claim, which it may take again. Commits. Returns the
    claimed row with `attempts` already incremented.
    """
    now = utcnow()
    mine = (
        and_(Document.status == "processing", Document.attempts == owned_attempt)
        if owned_attempt is not None
        else false()
    )
    result = session.execute(
        update(Document)
        .where(
            Document.id == document_id,
            Document.deleted_at.is_(None),
            or_(
                Document.status == "queued",
                and_(Document.status == "processing", Document.lease_until < now),
                mine,
            ),
        )
        .values(
            status="processing",
            attempts=Document.attempts + 1,
            lease_until=now + timedelta(seconds=lease_seconds),
            started_at=now,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        return None
    record(session, document_id, "processing")
    session.commit()
    return session.get(Document, document_id, populate_existing=True)


def extend_lease(session: Session, document_id: str, lease_seconds: int) -> None:
    session.execute(
        update(Document)
        .where(Document.id == document_id, Document.status == "processing")
        .values(lease_until=utcnow() + timedelta(seconds=lease_seconds))
        .execution_options(synchronize_session=False)
    )
    session.commit()


@dataclass(frozen=True)
class Stuck:
    document_id: str
    priority: str


def take_stuck(session: Session, queued_lease_seconds: int, everything: bool = False) -> list[Stuck]:
    """Documents whose lease ran out (or all unfinished ones with `everything`); leases are renewed.

    A processing document past its lease lost its worker; a queued one past the queued lease lost
    its message (an embedded broker forgets messages a killed worker had taken). Renewing the lease
    in the same conditional UPDATE means two sweepers never re-enqueue the same document twice.
    Processing documents go back to queued, so the next delivery can claim them.
    """
    now = utcnow()
    cond = [Document.status.in_(("queued", "processing")), Document.deleted_at.is_(None)]
    if not everything:
        cond.append(or_(Document.lease_until.is_(None), Document.lease_until < now))
    rows = session.execute(select(Document.id, Document.status, Document.lease_until).where(*cond)).all()
    taken: list[Stuck] = []
    for doc_id, status, lease in rows:
        guard = [Document.id == doc_id, Document.status == status]
        guard.append(Document.lease_until.is_(None) if lease is None else Document.lease_until == lease)
        res = session.execute(
            update(Document)
            .where(*guard)
            .values(
                status="queued", lease_until=now + timedelta(seconds=queued_lease_seconds), updated_at=now
            )
            .execution_options(synchronize_session=False)
        )
        if res.rowcount == 1:  # type: ignore[attr-defined]
            if status == "processing":
                record(session, doc_id, "queued", "re-enqueued: the worker's lease ran out")
            doc = session.get(Document, doc_id)
            taken.append(Stuck(doc_id, doc.priority if doc else "interactive"))
    session.commit()
    return taken


def take_stuck_webhooks(session: Session, grace_seconds: int, everything: bool = False) -> list[str]:
    """Pending webhook deliveries whose next attempt is overdue by more than `grace_seconds`."""
    now = utcnow()
    cond = [WebhookDelivery.status == "pending"]
    if not everything:
        cond.append(WebhookDelivery.next_attempt_at < now - timedelta(seconds=grace_seconds))
    ids = list(session.scalars(select(WebhookDelivery.id).where(*cond)))
    taken = []
    for delivery_id in ids:
        res = session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id, WebhookDelivery.status == "pending")
            .values(next_attempt_at=now)
            .execution_options(synchronize_session=False)
        )
        if res.rowcount == 1:  # type: ignore[attr-defined]
            taken.append(delivery_id)
    session.commit()
    return taken

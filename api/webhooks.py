"""Webhook deliveries of a document: list them with their attempts, and replay the callback."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from sqlalchemy import select

from api.auth import require_caller
from api.documents import owned_document
from api.errors import ApiError
from api.services import services
from store.models import WebhookAttempt, WebhookDelivery, utcnow

bp = Blueprint("webhooks", __name__)


def _delivery_json(delivery: WebhookDelivery, attempts: list[WebhookAttempt]) -> dict:
    return {
        "id": delivery.id,
        "url": delivery.url,
        "status": delivery.status,
        "attempts": [
            {
                "attempt": a.attempt,
                "status_code": a.status_code,
                "error": a.error,
                "duration_seconds": a.duration_seconds,
                "at": a.created_at.isoformat(),
            }
            for a in attempts
        ],
        "created_at": delivery.created_at.isoformat(),
    }


@bp.get("/v1/documents/<document_id>/webhook/deliveries")
def list_deliveries(document_id: str) -> Response:
    caller = require_caller()
    doc = owned_document(document_id, caller.tenant_id)
    with services().sessions() as s:
        deliveries = s.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.document_id == doc.id)
            .order_by(WebhookDelivery.created_at)
        ).all()
        items = []
        for d in deliveries:
            attempts = s.scalars(
                select(WebhookAttempt)
                .where(WebhookAttempt.delivery_id == d.id)
                .order_by(WebhookAttempt.attempt)
            ).all()
            items.append(_delivery_json(d, list(attempts)))
    return jsonify(deliveries=items)


@bp.post("/v1/documents/<document_id>/webhook/replay")
def replay(document_id: str) -> tuple[Response, int]:
    """Send the finished document's result to its callback URL again, as a new delivery."""
    caller = require_caller()
    doc = owned_document(document_id, caller.tenant_id)
    if not doc.callback_url:
        raise ApiError(422, "this document has no callback_url to deliver to")
    if doc.status not in ("succeeded", "failed"):
        raise ApiError(409, f"the document is still {doc.status}; its webhook is sent when it finishes")
    svc = services()
    with svc.sessions() as s:
        delivery = WebhookDelivery(document_id=doc.id, url=doc.callback_url, next_attempt_at=utcnow())
        s.add(delivery)
        s.commit()
        delivery_id = delivery.id
    svc.queue.enqueue_webhook(delivery_id)
    return jsonify(delivery_id=delivery_id, status="pending"), 202

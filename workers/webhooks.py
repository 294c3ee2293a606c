"""Webhook delivery: POST the output contract to the callback URL, signed, retried with back-off.

Signature: `X-Signature: sha256=<hex HMAC-SHA256(secret, X-Timestamp + "." + body)>`, with the
tenant's derived secret (store/keys.py). Receivers should reject old timestamps (replays) and may
de-duplicate on `X-Delivery-Id` (a delivery can arrive twice if a worker dies right after sending).
Every attempt is recorded; after `webhook_max_attempts` failures the delivery is marked failed and
can be replayed through the API.
"""

from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import dataclass
from datetime import timedelta

import requests
from sqlalchemy import update

from store.callbacks import CallbackRefused, check_callback_url
from store.keys import sign, webhook_secret
from store.models import Document, Result, Tenant, WebhookAttempt, WebhookDelivery, utcnow
from workers.context import WorkerContext

log = logging.getLogger(__name__)
MAX_BACKOFF_SECONDS = 900.0


@dataclass(frozen=True)
class DeliveryOutcome:
    status: str  # delivered, retry, failed, skipped
    retry_in: float | None = None


def backoff(base: float, attempt: int, rng: random.Random | None = None) -> float:
    """Exponential back-off with jitter: base * 2^(attempt-1), capped, times a factor in [0.5, 1.0]."""
    rng = rng or random.Random()
    return min(MAX_BACKOFF_SECONDS, base * 2 ** (attempt - 1)) * rng.uniform(0.5, 1.0)


def contract_for(doc: Document, result: Result | None) -> dict:
    if result is not None:
        return {**result.body, "id": doc.id, "status": doc.status}
    return {
        "id": doc.id,
        "status": doc.status,
        "filename": doc.filename,
        "document_type": doc.document_type,
        "error": doc.failure_reason,
    }


def deliver(ctx: WorkerContext, delivery_id: str) -> DeliveryOutcome:
    settings = ctx.settings
    now = utcnow()
    with ctx.sessions() as s:
        delivery = s.get(WebhookDelivery, delivery_id)
        if delivery is None or delivery.status != "pending":
            return DeliveryOutcome("skipped")
        seen = delivery.attempts
        # Claim this attempt: a duplicate message for the same delivery loses the race and stops.
        claimed = s.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == delivery_id,
                WebhookDelivery.status == "pending",
                WebhookDelivery.attempts == seen,
            )
            .values(
                attempts=seen + 1,
                next_attempt_at=now + timedelta(seconds=settings.webhook_timeout_seconds * 3 + 60),
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            s.rollback()
            return DeliveryOutcome("skipped")
        s.commit()
        attempt = seen + 1
        doc = s.get(Document, delivery.document_id)
        if doc is None or doc.deleted_at is not None:
            delivery.status = "failed"
            s.add(
                WebhookAttempt(
                    delivery_id=delivery_id, attempt=attempt, error="document deleted", duration_seconds=0.0
                )
            )
            s.commit()
            return DeliveryOutcome("failed")
        tenant = s.get(Tenant, doc.tenant_id)
        assert tenant is not None
        body = json.dumps(contract_for(doc, s.get(Result, doc.id)), ensure_ascii=False).encode()
        secret = webhook_secret(settings.secret_key, tenant.id, tenant.webhook_secret_version)
        url = delivery.url

    status_code: int | None = None
    error: str | None = None
    started = time.perf_counter()
    try:
        check_callback_url(url, settings.allow_private_callbacks)
        timestamp = str(int(time.time()))
        response = requests.post(
            url,
            data=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "invoice-ocr-webhook/1",
                "X-Timestamp": timestamp,
                "X-Signature": sign(secret, timestamp, body),
                "X-Delivery-Id": delivery_id,
                "X-Document-Id": doc.id,
            },
            timeout=settings.webhook_timeout_seconds,
            allow_redirects=False,
        )
        status_code = response.status_code
        if not 200 <= status_code < 300:
            error = f"receiver answered HTTP {status_code}"
    except CallbackRefused as exc:
        error = str(exc)
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"
    duration = time.perf_counter() - started

    with ctx.sessions() as s:
        s.add(
            WebhookAttempt(
                delivery_id=delivery_id,
                attempt=attempt,
                status_code=status_code,
                error=error,
                duration_seconds=round(duration, 4),
            )
        )
        delivery = s.get(WebhookDelivery, delivery_id)
        assert delivery is not None
        if error is None:
            delivery.status, delivery.next_attempt_at, outcome = (
                "delivered",
                None,
                DeliveryOutcome("delivered"),
            )
        elif attempt >= settings.webhook_max_attempts:
            delivery.status, delivery.next_attempt_at, outcome = "failed", None, DeliveryOutcome("failed")
        else:
            wait = backoff(settings.webhook_backoff_seconds, attempt)
            delivery.next_attempt_at = utcnow() + timedelta(seconds=wait)
            outcome = DeliveryOutcome("retry", wait)
        s.commit()
    if error is not None:
        log.warning("webhook %s attempt %d to %s failed: %s", delivery_id, attempt, url, error)
    return outcome

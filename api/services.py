"""The resources of one API process (DB sessions, storage, queue), kept on the Flask app."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from api.metrics_state import RequestMetrics
from api.ratelimit import RateLimiter
from store.queue import QueueHandle
from store.settings import Settings
from store.storage import Storage

EXTENSION = "invoice_ocr"


@dataclass
class Services:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    storage: Storage
    queue: QueueHandle
    rate_limiter: RateLimiter
    metrics: RequestMetrics


def services() -> Services:
    return current_app.extensions[EXTENSION]

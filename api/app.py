"""The Flask app factory.

    gunicorn 'api.app:create_app()'        # production (settings from the environment)
    invoice-ocr api                        # the same, with a built-in server

The app refuses to start on an outdated database schema (run `invoice-ocr db upgrade`). It never
imports torch or the OCR models: documents are handed to workers by task name (store/queue.py).
"""

from __future__ import annotations

import logging

from flask import Flask

from api import batches, documents, errors, export, health, match, metrics, ocr, openapi, webhooks
from api.metrics_state import RequestMetrics
from api.ratelimit import make_rate_limiter
from api.services import EXTENSION, Services
from store.db import check_schema, make_engine, make_session_factory
from store.queue import QueueHandle, make_celery
from store.settings import Settings
from store.storage import open_storage

MULTIPART_OVERHEAD = 1024 * 1024  # form fields and part headers on top of the file itself


def create_app(settings: Settings | None = None, verify_schema: bool = True) -> Flask:
    settings = settings or Settings.from_env()
    engine = make_engine(settings.database_url)
    if verify_schema:
        check_schema(engine)
    app = Flask("invoice_ocr_api")
    app.config["MAX_CONTENT_LENGTH"] = settings.max_upload_bytes + MULTIPART_OVERHEAD
    app.config["JSON_SORT_KEYS"] = False
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.extensions[EXTENSION] = Services(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine),
        storage=open_storage(settings.storage_url, settings.s3_endpoint_url),
        queue=QueueHandle(make_celery(settings, "invoice-ocr-api")),
        rate_limiter=make_rate_limiter(
            settings.broker_url, settings.rate_limit_per_minute, settings.broker_key_prefix
        ),
        metrics=RequestMetrics(),
    )
    errors.register(app, settings.max_upload_bytes)
    metrics.install(app)
    for module in (health, documents, export, match, ocr, webhooks, batches, metrics, openapi):
        app.register_blueprint(module.bp)
    logging.getLogger(__name__).info(
        "API ready (database %s)", engine.url.render_as_string(hide_password=True)
    )
    return app

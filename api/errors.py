"""Every error leaves the API as `{"detail": "..."}` with the right status code."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as SqlaTimeout
from werkzeug.exceptions import HTTPException

from store.storage import ObjectMissing, StorageError

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}


def error_response(status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    response = jsonify(detail=detail)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def register(app: Flask, max_upload_bytes: int) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        return error_response(exc.status, exc.detail, exc.headers)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        if status == 413:
            detail = f"the upload is larger than the limit of {max_upload_bytes} bytes"
        elif status == 404:
            detail = "not found"
        elif status == 405:
            detail = "method not allowed"
        else:
            detail = exc.description or exc.name
        headers = {k: v for k, v in exc.get_headers() if k.lower() in ("allow", "retry-after")}
        return error_response(status, detail, headers)

    # A dependency outage is the server's, not the caller's, fault, and it passes: 503 with a
    # Retry-After tells clients (and load balancers) to come back, where a 500 would say "bug".
    @app.errorhandler(StorageError)
    def _storage_down(exc: StorageError) -> Response:
        if isinstance(exc, ObjectMissing):
            log.error("stored object missing: %s", exc)
            return error_response(404, "the stored file is missing")
        log.warning("object storage unavailable: %s", exc)
        return error_response(
            503, "object storage is unavailable; nothing was stored, retry later", {"Retry-After": "5"}
        )

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(SqlaTimeout)
    def _database_down(exc: Exception) -> Response:
        log.warning("database unavailable: %s", type(exc).__name__)  # the message may hold the DSN
        return error_response(503, "the database is unavailable; retry later", {"Retry-After": "5"})

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unhandled error")
        return error_response(500, "internal server error")

"""POST /v1/ocr: the synchronous, Deep-OCR-compatible endpoint.

Same intake and the same workers as /v1/documents (interactive queue); the request then waits a
bounded time for the row to reach a final status. 200 with the Deep-OCR envelope plus our extra
keys; a failed job answers with the failure's own status code; 504 when the wait runs out, with
the id, because the job goes on and stays pollable.
"""

from __future__ import annotations

import time

from flask import Blueprint, Response, jsonify

from api.auth import require_caller
from api.contract import links
from api.errors import ApiError
from api.intake import accept_request
from api.services import services
from store.models import Document, Result

bp = Blueprint("ocr", __name__)


@bp.post("/v1/ocr")
def ocr() -> tuple[Response, int]:
    caller = require_caller(creates_work=True)
    svc = services()
    doc, _ = accept_request(svc, caller.tenant_id)
    deadline = time.monotonic() + svc.settings.ocr_wait_seconds
    delay = 0.05
    while True:
        with svc.sessions() as s:
            row = s.get(Document, doc.id)
            assert row is not None
            if row.status == "succeeded":
                result = s.get(Result, doc.id)
                assert result is not None
                return jsonify(_envelope(row, result.body)), 200
            if row.status == "failed":
                raise ApiError(
                    row.failure_http_status or 500,
                    row.failure_reason or "processing failed",
                    {"X-Document-Id": row.id},
                )
        if time.monotonic() >= deadline:
            waited = svc.settings.ocr_wait_seconds
            response = jsonify(
                detail=f"processing did not finish within {waited:g} s; the job goes on: "
                f"poll GET /v1/documents/{doc.id}",
                id=doc.id,
                status=row.status,
                links=links(doc),
            )
            response.headers["Location"] = f"/v1/documents/{doc.id}"
            return response, 504
        time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
        delay = min(delay * 1.5, 0.5)


def _envelope(doc: Document, body: dict) -> dict:
    metadata = body.get("metadata") or {}
    return {
        "filename": doc.filename,
        "document_type": body.get("document_type"),
        "content": body.get("content"),
        "metadata": {
            **metadata,
            "pages": metadata.get("pages"),
            "processing_time": metadata.get("processing_time"),
        },
        "id": doc.id,
        "status": doc.status,
        "document_type_confidence": body.get("document_type_confidence"),
        "fields": body.get("fields"),
        "validation": body.get("validation"),
        "pages": body.get("pages"),
    }

"""The output contract (DESIGN §4) for a document row, whatever its status."""

from __future__ import annotations

from typing import Any

from store.models import Document, Result


def links(doc: Document) -> dict[str, str]:
    base = f"/v1/documents/{doc.id}"
    return {"self": base, "file": f"{base}/file"}


def render(doc: Document, result: Result | None) -> dict[str, Any]:
    """The stored result with the row's id and status, or the skeleton of an unfinished/failed job."""
    if result is not None:
        body = dict(result.body)
    else:
        body = {
            "filename": doc.filename,
            "document_type": doc.document_type,
            "document_type_confidence": None,
            "content": None,
            "fields": None,
            "pages": [],
            "validation": [],
            "metadata": {"pages": None, "processing_time": None},
        }
    body["id"] = doc.id
    body["status"] = doc.status
    body["error"] = (doc.failure_reason or "processing failed") if doc.status == "failed" else None
    body["batch_id"] = doc.batch_id
    body["created_at"] = doc.created_at.isoformat()
    body["finished_at"] = doc.finished_at.isoformat() if doc.finished_at else None
    body["links"] = links(doc)
    return body

"""/v1/documents: submit one file, list the tenant's documents, poll status and result, fetch the
original, delete it."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import Select, and_, delete, or_, select

from api.auth import require_caller
from api.contract import links, render
from api.errors import ApiError
from api.intake import accept_request, document_prefix, parse_document_type
from api.services import services
from store.documents import record
from store.models import Document, Result, StageTiming, Status, WebhookDelivery, utcnow

bp = Blueprint("documents", __name__)

LIST_DEFAULT = 50
LIST_MAX = 500
_ID = re.compile(r"[0-9a-f]{32}")


def owned_document(document_id: str, tenant_id: str) -> Document:
    """The tenant's live document, or 404 (never 403: other tenants' ids must not be confirmed)."""
    with services().sessions() as s:
        doc = s.get(Document, document_id)
    if doc is None or doc.tenant_id != tenant_id or doc.deleted_at is not None:
        raise ApiError(404, f"no document {document_id!r}")
    return doc


@bp.post("/v1/documents")
def create_document() -> tuple[Response, int]:
    caller = require_caller(creates_work=True)
    svc = services()
    doc, created = accept_request(svc, caller.tenant_id)
    body = {"id": doc.id, "status": doc.status, "links": links(doc)}
    response = jsonify(body)
    response.headers["Location"] = f"/v1/documents/{doc.id}"
    return response, 202 if created else 200


@dataclass(frozen=True)
class ListQuery:
    limit: int
    after: tuple[datetime, str] | None  # the (created_at, id) of the last item of the previous page
    status: str | None
    batch_id: str | None
    document_type: str | None
    created_after: datetime | None
    created_before: datetime | None


def encode_cursor(doc: Document) -> str:
    """An opaque position: the last item's (created_at, id). Keyset, not offset, so a page never
    repeats or skips documents while new ones arrive at the top."""
    raw = json.dumps([doc.created_at.isoformat(), doc.id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        stamp, doc_id = json.loads(raw)
        created = datetime.fromisoformat(stamp)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ApiError(422, "invalid cursor; pass next_cursor from the previous page unchanged") from None
    if not isinstance(doc_id, str) or not _ID.fullmatch(doc_id) or created.tzinfo is None:
        raise ApiError(422, "invalid cursor; pass next_cursor from the previous page unchanged")
    return created.astimezone(UTC), doc_id


def parse_instant(name: str, value: str | None) -> datetime | None:
    """An ISO 8601 date or date-time; one without a zone is taken as UTC (the service's clock)."""
    if value is None or value.strip() == "":
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ApiError(422, f"{name} must be an ISO 8601 date-time, got {value!r}") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def parse_list_query(args: Mapping[str, str]) -> ListQuery:
    raw_limit = args.get("limit")
    limit = LIST_DEFAULT
    if raw_limit not in (None, ""):
        try:
            limit = int(raw_limit)  # type: ignore[arg-type]
        except ValueError:
            raise ApiError(422, f"limit must be an integer from 1 to {LIST_MAX}, got {raw_limit!r}") from None
        if not 1 <= limit <= LIST_MAX:
            raise ApiError(422, f"limit must be an integer from 1 to {LIST_MAX}, got {limit}")
    status = args.get("status") or None
    if status is not None and status not in {s.value for s in Status}:
        raise ApiError(
            422, f"unknown status {status!r}; expected one of {', '.join(s.value for s in Status)}"
        )
    cursor = args.get("cursor") or None
    return ListQuery(
        limit=limit,
        after=decode_cursor(cursor) if cursor else None,
        status=status,
        batch_id=args.get("batch_id") or None,
        document_type=parse_document_type(args.get("document_type")),
        created_after=parse_instant("created_after", args.get("created_after")),
        created_before=parse_instant("created_before", args.get("created_before")),
    )


def list_statement(tenant_id: str, q: ListQuery) -> Select[tuple[Document]]:
    """The page's query: always scoped to the caller's tenant first, filters on top of that."""
    stmt = select(Document).where(Document.tenant_id == tenant_id, Document.deleted_at.is_(None))
    if q.status is not None:
        stmt = stmt.where(Document.status == q.status)
    if q.batch_id is not None:
        stmt = stmt.where(Document.batch_id == q.batch_id)
    if q.document_type is not None:
        stmt = stmt.where(Document.document_type == q.document_type)
    if q.created_after is not None:
        stmt = stmt.where(Document.created_at >= q.created_after)
    if q.created_before is not None:
        stmt = stmt.where(Document.created_at < q.created_before)
    if q.after is not None:
        created, doc_id = q.after
        stmt = stmt.where(
            or_(Document.created_at < created, and_(Document.created_at == created, Document.id < doc_id))
        )
    return stmt.order_by(Document.created_at.desc(), Document.id.desc()).limit(q.limit + 1)


def list_item(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "filename": doc.filename,
        "status": doc.status,
        "document_type": doc.document_type,
        "batch_id": doc.batch_id,
        "created_at": doc.created_at.isoformat(),
        "finished_at": doc.finished_at.isoformat() if doc.finished_at else None,
        "error": (doc.failure_reason or "processing failed") if doc.status == "failed" else None,
        "links": links(doc),
    }


@bp.get("/v1/documents")
def list_documents() -> Response:
    """The caller's tenant's documents, newest first; one page plus the cursor of the next."""
    caller = require_caller()
    q = parse_list_query(request.args)
    with services().sessions() as s:
        docs = list(s.scalars(list_statement(caller.tenant_id, q)))
    more = len(docs) > q.limit
    docs = docs[: q.limit]
    next_cursor = encode_cursor(docs[-1]) if more else None
    body: dict[str, Any] = {"items": [list_item(d) for d in docs], "next_cursor": next_cursor}
    if next_cursor is not None:
        args = {k: v for k, v in request.args.items() if k != "cursor"}
        body["links"] = {"next": f"/v1/documents?{urlencode({**args, 'cursor': next_cursor})}"}
    else:
        body["links"] = {"next": None}
    return jsonify(body)


@bp.get("/v1/documents/<document_id>")
def get_document(document_id: str) -> Response:
    caller = require_caller()
    doc = owned_document(document_id, caller.tenant_id)
    with services().sessions() as s:
        result = s.get(Result, doc.id)
    return jsonify(render(doc, result))


@bp.get("/v1/documents/<document_id>/file")
def get_file(document_id: str) -> Response:
    caller = require_caller()
    doc = owned_document(document_id, caller.tenant_id)
    data = services().storage.get(doc.storage_key or "")
    response = Response(data, mimetype=doc.mime_type)
    response.headers["Content-Disposition"] = _attachment(doc.filename)
    return response


@bp.delete("/v1/documents/<document_id>")
def delete_document(document_id: str) -> tuple[str, int]:
    """GDPR erasure: the original, the result, timings and webhook payload history go; the audit
    trail keeps only that the document existed and was deleted."""
    caller = require_caller()
    doc = owned_document(document_id, caller.tenant_id)
    svc = services()
    svc.storage.delete_prefix(document_prefix(doc.tenant_id, doc.id))
    with svc.sessions() as s:
        row = s.get(Document, doc.id)
        assert row is not None
        row.deleted_at = utcnow()
        row.filename = "(deleted)"
        row.storage_key = None
        row.callback_url = None
        row.lease_until = None
        s.execute(delete(Result).where(Result.document_id == doc.id))
        s.execute(delete(StageTiming).where(StageTiming.document_id == doc.id))
        for delivery in s.scalars(select(WebhookDelivery).where(WebhookDelivery.document_id == doc.id)):
            if delivery.status == "pending":
                delivery.status = "failed"
        record(s, doc.id, "deleted", "deleted by the owner")
        s.commit()
    return "", 204


def _attachment(filename: str) -> str:
    from urllib.parse import quote

    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"

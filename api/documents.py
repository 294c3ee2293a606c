"""/v1/documents: submit one file, poll its status and result, fetch the original, delete it."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import delete, select

from api.auth import require_caller
from api.contract import links, render
from api.errors import ApiError
from api.intake import accept, document_prefix, parse_params, read_upload
from api.services import services
from store.documents import record
from store.models import Document, Result, StageTiming, WebhookDelivery, utcnow

bp = Blueprint("documents", __name__)


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
    params = parse_params(request.form, request.args, request.headers, svc)  # type: ignore[arg-type]
    upload = read_upload(request.files.get("file"), svc.settings.max_upload_bytes)
    doc, created = accept(svc, caller.tenant_id, upload, params)
    body = {"id": doc.id, "status": doc.status, "links": links(doc)}
    response = jsonify(body)
    response.headers["Location"] = f"/v1/documents/{doc.id}"
    return response, 202 if created else 200


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

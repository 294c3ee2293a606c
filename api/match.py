"""POST /v1/match: three-way matching of stored documents (issue 6).

The caller names documents it already uploaded (an invoice, its purchase order and optionally the
delivery note); their stored results go to `pipeline.match.match_documents`, the same function the
CLI `invoice-ocr match` uses. Nothing is extracted here: matching compares typed values, so the
answer is immediate and needs no worker. pipeline.match imports no torch.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from api.auth import require_caller
from api.contract import render
from api.documents import owned_document
from api.errors import ApiError
from api.services import services
from pipeline.match import match_documents
from store.models import Result

bp = Blueprint("match", __name__)

# field -> the document types accepted in it; credit notes go in so the matcher can say why they
# do not match (its "credit_note" issue) instead of the API refusing them without a reason.
ROLES: dict[str, tuple[str, ...]] = {
    "invoice_id": ("invoice", "credit_note"),
    "purchase_order_id": ("purchase_order",),
    "delivery_note_id": ("delivery_note",),
}
REQUIRED = ("invoice_id", "purchase_order_id")


def parse_body(body: Any) -> dict[str, str]:
    """The document ids of the request; a 422 naming the first problem.

    Unknown keys are refused so that a misspelt `delivery_note_id` is not silently a two-way match.
    """
    if not isinstance(body, dict):
        raise ApiError(422, "the body must be a JSON object with invoice_id and purchase_order_id")
    unknown = sorted(set(body) - ROLES.keys())
    if unknown:
        raise ApiError(422, f"unknown field(s) {', '.join(unknown)}; expected {', '.join(ROLES)}")
    ids: dict[str, str] = {}
    for name in ROLES:
        value = body.get(name)
        if value is None and name not in REQUIRED:
            continue
        if not isinstance(value, str) or not value.strip():
            raise ApiError(422, f"{name} must be a document id (a non-empty string)")
        ids[name] = value.strip()
    return ids


def _result_for(document_id: str, tenant_id: str, field: str) -> dict[str, Any]:
    """The succeeded result of one named document: 404 (not the tenant's), 409 (not finished or
    failed) or 422 (a document of the wrong type in this field)."""
    doc = owned_document(document_id, tenant_id)
    if doc.status != "succeeded":
        raise ApiError(
            409, f"{field} {document_id!r} is {doc.status}; only succeeded documents can be matched"
        )
    with services().sessions() as s:
        stored = s.get(Result, doc.id)
    if stored is None:  # only a concurrent DELETE gets here
        raise ApiError(404, f"no document {document_id!r}")
    result = render(doc, stored)
    kind = result.get("document_type")
    if kind not in ROLES[field]:
        expected = " or ".join(ROLES[field])
        raise ApiError(422, f"{field} {document_id!r} is of type {kind}; expected {expected}")
    return result


@bp.post("/v1/match")
def match() -> Response:
    caller = require_caller()
    body = request.get_json(silent=True)
    if body is None:
        raise ApiError(
            400 if request.get_data() else 422,
            "send a JSON body (Content-Type: application/json) with invoice_id and purchase_order_id",
        )
    ids = parse_body(body)
    results = {field: _result_for(doc_id, caller.tenant_id, field) for field, doc_id in ids.items()}
    outcome = match_documents(
        results["invoice_id"], results["purchase_order_id"], results.get("delivery_note_id")
    )
    return jsonify(
        {
            "invoice_id": ids["invoice_id"],
            "purchase_order_id": ids["purchase_order_id"],
            "delivery_note_id": ids.get("delivery_note_id"),
            **outcome,
        }
    )

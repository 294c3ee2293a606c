"""GET /openapi.json: the API description, built from the live route table and the pydantic schemas.

Paths come from Flask's url_map, so a route cannot be served without being described: a route with
no entry in OPERATIONS (or an entry with no route) makes building the document fail, and the tests
build it. Response bodies reuse pipeline/schemas (the output contract and the content schemas).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify

bp = Blueprint("openapi", __name__)

_J = "application/json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {_J: {"schema": schema}}}


_ERR = {
    "400": _json(_ref("Error"), "Bad input: unsupported type, MIME mismatch, corrupt file"),
    "401": _json(_ref("Error"), "Missing, invalid or revoked API key"),
    "404": _json(_ref("Error"), "No such document for this key's tenant"),
    "413": _json(_ref("Error"), "Upload over the size limit"),
    "422": _json(_ref("Error"), "Invalid parameter"),
    "429": _json(_ref("Error"), "Rate limit exceeded; see Retry-After"),
}


def _errors(*codes: str) -> dict[str, Any]:
    return {c: _ERR[c] for c in codes}


_UPLOAD_FORM = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "PDF, PNG, JPEG, WebP or TIFF",
                    },
                    "document_type": _ref("DocumentType"),
                    "callback_url": {"type": "string", "format": "uri"},
                    "priority": {"type": "string", "enum": ["interactive", "batch"]},
                },
            }
        }
    },
}
_DOC_ID = {"name": "document_id", "in": "path", "required": True, "schema": {"type": "string"}}
_BATCH_ID = {"name": "batch_id", "in": "path", "required": True, "schema": {"type": "string"}}
_QUERY_TYPE = {"name": "document_type", "in": "query", "required": False, "schema": _ref("DocumentType")}

OPERATIONS: dict[tuple[str, str], dict[str, Any]] = {
    ("get", "/healthz"): {
        "summary": "Liveness: the process answers",
        "security": [],
        "responses": {"200": _json({"type": "object"}, "Alive")},
    },
    ("get", "/readyz"): {
        "summary": "Readiness: database, broker and storage reachable",
        "security": [],
        "responses": {
            "200": _json({"type": "object"}, "Ready"),
            "503": _json({"type": "object"}, "Not ready"),
        },
    },
    ("get", "/openapi.json"): {
        "summary": "This document",
        "security": [],
        "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1 description")},
    },
    ("post", "/v1/documents"): {
        "summary": "Submit a document; poll GET /v1/documents/{document_id} for the result",
        "parameters": [
            {"name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string"}}
        ],
        "requestBody": _UPLOAD_FORM,
        "responses": {
            "202": _json(_ref("Accepted"), "Accepted and queued"),
            "200": _json(_ref("Accepted"), "Same Idempotency-Key and file as an earlier upload"),
            "409": _json(_ref("Error"), "Idempotency-Key already used for a different file"),
            **_errors("400", "401", "413", "422", "429"),
        },
    },
    ("get", "/v1/documents"): {
        "summary": "The caller's documents, newest first, one page at a time (keyset cursor)",
        "parameters": [
            {
                "name": "limit",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50},
            },
            {
                "name": "cursor",
                "in": "query",
                "description": "next_cursor of the previous page",
                "schema": {"type": "string"},
            },
            {
                "name": "status",
                "in": "query",
                "schema": {"type": "string", "enum": ["queued", "processing", "succeeded", "failed"]},
            },
            {"name": "batch_id", "in": "query", "schema": {"type": "string"}},
            _QUERY_TYPE,
            {
                "name": "created_after",
                "in": "query",
                "description": "inclusive; ISO 8601, UTC if no zone",
                "schema": {"type": "string", "format": "date-time"},
            },
            {
                "name": "created_before",
                "in": "query",
                "description": "exclusive; ISO 8601, UTC if no zone",
                "schema": {"type": "string", "format": "date-time"},
            },
        ],
        "responses": {"200": _json(_ref("DocumentPage"), "One page"), **_errors("401", "422")},
    },
    ("get", "/v1/documents/{document_id}"): {
        "summary": "Status and, once succeeded, the result (the output contract)",
        "parameters": [_DOC_ID],
        "responses": {"200": _json(_ref("Result"), "The document"), **_errors("401", "404")},
    },
    ("delete", "/v1/documents/{document_id}"): {
        "summary": "Erase the original, the result and derived data (GDPR)",
        "parameters": [_DOC_ID],
        "responses": {"204": {"description": "Deleted"}, **_errors("401", "404")},
    },
    ("get", "/v1/documents/{document_id}/file"): {
        "summary": "The original upload",
        "parameters": [_DOC_ID],
        "responses": {
            "200": {"description": "The file", "content": {"application/octet-stream": {}}},
            **_errors("401", "404"),
        },
    },
    ("get", "/v1/documents/{document_id}/export"): {
        "summary": "The succeeded invoice as an e-invoice (CII, UBL, Factur-X PDF) or CSV",
        "description": "Fields the extraction was unsure of are listed in the X-Uncertain-Fields header.",
        "parameters": [
            _DOC_ID,
            {
                "name": "format",
                "in": "query",
                "required": True,
                "schema": {"type": "string", "enum": ["cii", "ubl", "csv", "facturx"]},
            },
            {"name": "delimiter", "in": "query", "schema": {"type": "string", "enum": [";", ",", "tab"]}},
            {"name": "bom", "in": "query", "schema": {"type": "boolean", "default": True}},
            {"name": "decimal", "in": "query", "schema": {"type": "string", "enum": [".", ","]}},
        ],
        "responses": {
            "200": {
                "description": "The export, with Content-Disposition and X-Uncertain-Fields",
                "headers": {
                    "X-Uncertain-Fields": {
                        "description": "Comma-separated field paths to check before import",
                        "schema": {"type": "string"},
                    }
                },
                "content": {"application/xml": {}, "text/csv": {}, "application/pdf": {}},
            },
            "409": _json(_ref("Error"), "The document has not succeeded (yet)"),
            **_errors("401", "404", "422"),
        },
    },
    ("get", "/v1/documents/{document_id}/webhook/deliveries"): {
        "summary": "Webhook deliveries of the document and every attempt",
        "parameters": [_DOC_ID],
        "responses": {"200": _json({"type": "object"}, "Deliveries"), **_errors("401", "404")},
    },
    ("post", "/v1/documents/{document_id}/webhook/replay"): {
        "summary": "Deliver the finished document's result to its callback_url again",
        "parameters": [_DOC_ID],
        "responses": {
            "202": _json({"type": "object"}, "A new delivery was queued"),
            "409": _json(_ref("Error"), "The document is not finished yet"),
            **_errors("401", "404", "422"),
        },
    },
    ("post", "/v1/match"): {
        "summary": "Three-way match: an invoice against its purchase order and (optional) delivery note",
        "requestBody": {
            "required": True,
            "content": {
                _J: {
                    "schema": {
                        "type": "object",
                        "required": ["invoice_id", "purchase_order_id"],
                        "additionalProperties": False,
                        "properties": {
                            "invoice_id": {"type": "string"},
                            "purchase_order_id": {"type": "string"},
                            "delivery_note_id": {"type": ["string", "null"]},
                        },
                    }
                }
            },
        },
        "responses": {
            "200": _json(
                {
                    "type": "object",
                    "required": ["status", "checks", "lines", "issues", "totals"],
                    "properties": {
                        "status": {"type": "string", "enum": ["matched", "partial", "mismatch"]},
                        "checks": {"type": "array", "items": {"type": "object"}},
                        "lines": {"type": "array", "items": {"type": "object"}},
                        "issues": {"type": "array", "items": {"type": "object"}},
                        "totals": {"type": "object"},
                    },
                },
                "The match result",
            ),
            "400": _json(_ref("Error"), "The body is not JSON"),
            "409": _json(_ref("Error"), "A named document has not succeeded"),
            **_errors("401", "404", "422"),
        },
    },
    ("post", "/v1/ocr"): {
        "summary": "Synchronous extraction, drop-in for Deep-OCR clients",
        "parameters": [_QUERY_TYPE],
        "requestBody": _UPLOAD_FORM,
        "responses": {
            "200": _json(_ref("OcrResponse"), "The extraction"),
            "504": _json(_ref("Error"), "Not finished within the wait; the job goes on (poll its id)"),
            **_errors("400", "401", "413", "422", "429"),
        },
    },
    ("post", "/v1/batches"): {
        "summary": "Submit many files as one batch: uploaded, or a manifest of objects in the storage",
        "description": "A JSON manifest names objects under `<storage prefix>imports/<tenant id>/`; "
        "each is checked (exists, size, type) and copied to the document's own key.",
        "requestBody": {
            "required": True,
            "content": {
                _J: {
                    "schema": {
                        "type": "object",
                        "required": ["items"],
                        "additionalProperties": False,
                        "properties": {
                            "items": {
                                "type": "array",
                                "minItems": 1,
                                "items": {
                                    "type": "object",
                                    "required": ["storage_key"],
                                    "additionalProperties": False,
                                    "properties": {
                                        "storage_key": {"type": "string"},
                                        "filename": {"type": "string"},
                                    },
                                },
                            },
                            "document_type": _ref("DocumentType"),
                            "callback_url": {"type": "string", "format": "uri"},
                            "name": {"type": "string"},
                        },
                    }
                },
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {
                            "file": {"type": "array", "items": {"type": "string", "format": "binary"}},
                            "document_type": _ref("DocumentType"),
                            "callback_url": {"type": "string", "format": "uri"},
                            "name": {"type": "string"},
                        },
                    }
                },
            },
        },
        "responses": {
            "202": _json({"type": "object"}, "Batch created; per-file outcome listed"),
            **_errors("400", "401", "413", "422", "429"),
        },
    },
    ("get", "/v1/batches/{batch_id}"): {
        "summary": "Batch progress: counts by status",
        "parameters": [_BATCH_ID],
        "responses": {"200": _json({"type": "object"}, "Progress"), **_errors("401", "404")},
    },
    ("get", "/v1/batches/{batch_id}/results"): {
        "summary": "Results of a batch as JSON lines (default) or CSV (?format=csv)",
        "parameters": [
            _BATCH_ID,
            {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["jsonl", "csv"]}},
        ],
        "responses": {
            "200": {
                "description": "One line per document",
                "content": {"application/x-ndjson": {}, "text/csv": {}},
            },
            **_errors("401", "404", "422"),
        },
    },
    ("get", "/metrics"): {
        "summary": "Prometheus metrics",
        "security": [],
        "responses": {"200": {"description": "Prometheus text format", "content": {"text/plain": {}}}},
    },
}


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z_]+:)?([a-z_]+)>", r"{\1}", rule)


def routes(app: Flask) -> set[tuple[str, str]]:
    """Every (method, path) the app serves, in OpenAPI notation."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods or ():
            if method not in ("HEAD", "OPTIONS"):
                found.add((method.lower(), _openapi_path(rule.rule)))
    return found


def build(app: Flask) -> dict[str, Any]:
    from pipeline.schemas import DOCUMENT_TYPES, SCHEMAS, schema_for
    from pipeline.schemas.contract import Result

    served = routes(app)
    missing = served - OPERATIONS.keys()
    if missing:
        raise LookupError(f"routes without an OpenAPI description: {sorted(missing)}")
    paths: dict[str, dict[str, Any]] = {}
    for method, path in sorted(served):
        paths.setdefault(path, {})[method] = OPERATIONS[(method, path)]
    components: dict[str, Any] = {}

    def add_model(model: Any) -> None:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(schema.pop("$defs", {}))
        components[model.__name__] = schema

    add_model(Result)
    content_models = {*SCHEMAS.values(), schema_for("generic")}
    for model in content_models:
        add_model(model)
    components["DocumentType"] = {"type": "string", "enum": list(DOCUMENT_TYPES)}
    components["Error"] = {
        "type": "object",
        "required": ["detail"],
        "properties": {"detail": {"type": "string"}},
    }
    components["Accepted"] = {
        "type": "object",
        "required": ["id", "status", "links"],
        "properties": {
            "id": {"type": "string"},
            "status": {"type": "string"},
            "links": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    }
    components["DocumentPage"] = {
        "type": "object",
        "required": ["items", "next_cursor", "links"],
        "properties": {
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [
                        "id",
                        "filename",
                        "status",
                        "document_type",
                        "created_at",
                        "finished_at",
                        "error",
                        "links",
                    ],
                    "properties": {
                        "id": {"type": "string"},
                        "filename": {"type": "string"},
                        "status": {"type": "string"},
                        "document_type": {"type": ["string", "null"]},
                        "batch_id": {"type": ["string", "null"]},
                        "created_at": {"type": "string", "format": "date-time"},
                        "finished_at": {"type": ["string", "null"], "format": "date-time"},
                        "error": {"type": ["string", "null"]},
                        "links": {"type": "object", "additionalProperties": {"type": "string"}},
                    },
                },
            },
            "next_cursor": {"type": ["string", "null"]},
            "links": {"type": "object", "properties": {"next": {"type": ["string", "null"]}}},
        },
    }
    components["OcrResponse"] = {
        "type": "object",
        "required": ["filename", "document_type", "content", "metadata", "id"],
        "properties": {
            "filename": {"type": "string", "description": "The sanitised file name"},
            "document_type": _ref("DocumentType"),
            "content": {
                "oneOf": [_ref(m.__name__) for m in sorted(content_models, key=lambda m: m.__name__)]
            },
            "metadata": _ref("Metadata"),
            "id": {"type": "string"},
            "fields": {"type": "object"},
            "validation": {"type": "array", "items": _ref("Check")},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "invoice-ocr", "version": "1", "description": "Documents in, typed JSON out."},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(build(current_app))

"""/v1/batches: many files in one request (multipart, or a JSON manifest of objects already in the
object storage), progress, and a result export (JSON lines or CSV).

Every file of a batch is an ordinary document on the `batch` queue (consumed after interactive
work); a file that fails validation is reported in `rejected` and does not stop the others.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import func, select

from api.auth import require_caller
from api.contract import render
from api.errors import ApiError
from api.intake import Params, Upload, accept, check_upload, parse_params, read_upload
from api.services import Services, services
from store.models import Batch, Document, Result
from store.storage import ObjectMissing

bp = Blueprint("batches", __name__)

CSV_FIXED = ["id", "filename", "status", "document_type", "error"]
# One item of a batch request: its filename as given, and the checked file or why it was refused.
Outcome = tuple[str | None, Upload | ApiError]


def _owned_batch(batch_id: str, tenant_id: str) -> Batch:
    with services().sessions() as s:
        batch = s.get(Batch, batch_id)
    if batch is None or batch.tenant_id != tenant_id:
        raise ApiError(404, f"no batch {batch_id!r}")
    return batch


@bp.post("/v1/batches")
def create_batch() -> tuple[Response, int]:
    """Many files as one batch: repeated multipart `file` parts, or a JSON manifest of objects the
    caller already put in the object storage (see `_manifest`)."""
    caller = require_caller(creates_work=True)
    svc = services()
    request.max_content_length = svc.settings.max_batch_bytes
    if request.is_json:
        return _create(svc, caller.tenant_id, *_manifest(svc, caller.tenant_id))
    files = request.files.getlist("file")
    if not files:
        raise ApiError(
            422,
            "send one or more files as repeated `file` parts of the multipart form, "
            'or a JSON manifest {"items": [{"storage_key", "filename"}]}',
        )
    if len(files) > svc.settings.max_batch_files:
        raise ApiError(422, f"{len(files)} files; a batch takes at most {svc.settings.max_batch_files}")
    base = parse_params(request.form, request.args, {}, svc)  # type: ignore[arg-type]
    name = (request.form.get("name") or "").strip()[:200] or None

    def uploads() -> Iterator[Outcome]:
        for file in files:
            try:
                yield file.filename, read_upload(file, svc.settings.max_upload_bytes)
            except ApiError as exc:
                yield file.filename, exc

    return _create(svc, caller.tenant_id, base, name, uploads())


def _create(
    svc: Services, tenant_id: str, base: Params, name: str | None, outcomes: Iterable[Outcome]
) -> tuple[Response, int]:
    """Create the batch row, then accept every file that passed its checks; each one that did not
    is listed in `rejected` with the status and detail a single upload would have got."""
    with svc.sessions() as s:
        batch = Batch(tenant_id=tenant_id, name=name, callback_url=base.callback_url)
        s.add(batch)
        s.commit()
        batch_id = batch.id
    params = Params(
        document_type=base.document_type, callback_url=base.callback_url, priority="batch", batch_id=batch_id
    )
    accepted: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    for index, (filename, outcome) in enumerate(outcomes):
        if isinstance(outcome, ApiError):
            rejected.append(
                {"index": index, "filename": filename, "status": outcome.status, "detail": outcome.detail}
            )
            continue
        doc, _ = accept(svc, tenant_id, outcome, params)
        accepted.append({"index": index, "id": doc.id, "filename": doc.filename})
    body = {
        "id": batch_id,
        "accepted": accepted,
        "rejected": rejected,
        "links": {"self": f"/v1/batches/{batch_id}", "results": f"/v1/batches/{batch_id}/results"},
    }
    return jsonify(body), 202


def import_prefix(svc: Services, tenant_id: str) -> str:
    """Where a tenant may put files for a manifest: `<storage prefix>imports/<tenant id>/`.

    The tenant id (printed by `invoice-ocr keys create`) rather than its name: ids are hex, so no
    name can contain a `/` and reach into another tenant's folder, and the service's own objects
    (`documents/...`) are outside every tenant's prefix.
    """
    return f"{svc.storage.key_prefix}imports/{tenant_id}/"


def _manifest(svc: Services, tenant_id: str) -> tuple[Params, str | None, Iterator[Outcome]]:
    """Parse `{"items": [{"storage_key", "filename"?}], "document_type"?, "callback_url"?, "name"?}`.

    A malformed manifest is a 422 for the whole request; a bad item (key outside the tenant's
    prefix, no such object, too big, wrong type) is rejected alone, like a bad file of a multipart
    batch. Items are read lazily, one object in memory at a time.
    """
    body = request.get_json(silent=True)
    if body is None and request.get_data():  # as /v1/match: unparseable JSON is a 400
        raise ApiError(400, "the body is not valid JSON")
    if not isinstance(body, dict):
        raise ApiError(422, "the body must be a JSON object with an `items` list")
    unknown = set(body) - {"items", "document_type", "callback_url", "name"}
    if unknown:
        raise ApiError(422, f"unknown manifest fields: {', '.join(sorted(unknown))}")
    items = body.get("items")
    if not isinstance(items, list) or not items:
        raise ApiError(422, '`items` must be a non-empty list of {"storage_key", "filename"} objects')
    if len(items) > svc.settings.max_batch_files:
        raise ApiError(422, f"{len(items)} items; a batch takes at most {svc.settings.max_batch_files}")
    fields: dict[str, str] = {}
    for field in ("document_type", "callback_url", "name"):
        value = body.get(field)
        if value is not None and not isinstance(value, str):
            raise ApiError(422, f"`{field}` must be a string")
        if value:
            fields[field] = value
    base = parse_params(fields, {}, {}, svc)
    name = (fields.get("name") or "").strip()[:200] or None
    prefix = import_prefix(svc, tenant_id)

    def outcomes() -> Iterator[Outcome]:
        budget = svc.settings.max_batch_bytes
        for item in items:
            filename = item.get("filename") if isinstance(item, dict) else None
            filename = filename if isinstance(filename, str) else None
            try:
                upload = _import(svc, item, prefix, budget)
            except ApiError as exc:
                yield filename, exc
                continue
            budget -= len(upload.data)
            yield upload.filename, upload

    return base, name, outcomes()


def _import(svc: Services, item: object, prefix: str, budget: int) -> Upload:
    """One manifest item, checked in an order that leaks nothing: the key's shape and prefix first
    (no storage request for a key the tenant may not name, so other tenants' objects cannot be
    probed), then existence and size (HEAD, before any download), then the bytes themselves."""
    if not isinstance(item, dict) or not isinstance(item.get("storage_key"), str):
        raise ApiError(422, "each item must be an object with a string `storage_key`")
    extra = set(item) - {"storage_key", "filename"}
    if extra:
        raise ApiError(422, f"unknown item fields: {', '.join(sorted(extra))}")
    key: str = item["storage_key"]
    filename = item.get("filename")
    if filename is not None and not isinstance(filename, str):
        raise ApiError(422, "`filename` must be a string")
    if not _allowed_key(key, prefix):
        raise ApiError(422, f"storage_key must name an object under {prefix!r}")
    relative = key[len(svc.storage.key_prefix) :]
    try:
        size = svc.storage.size(relative)
    except ObjectMissing:
        raise ApiError(404, f"no object at storage_key {key!r}") from None
    limit = svc.settings.max_upload_bytes
    if size > limit:
        raise ApiError(413, f"the file is larger than the limit of {limit} bytes")
    if size > budget:
        raise ApiError(413, f"the batch would exceed {svc.settings.max_batch_bytes} bytes in total")
    try:
        data = svc.storage.get(relative)
    except ObjectMissing:  # deleted between the HEAD and the GET
        raise ApiError(404, f"no object at storage_key {key!r}") from None
    return check_upload(filename or key.rsplit("/", 1)[-1], data, None, min(limit, budget))


def _allowed_key(key: str, prefix: str) -> bool:
    """The key lies under the tenant's import prefix, with no empty, `.` or `..` segment, backslash or
    control character that a storage backend might normalise into somewhere else."""
    if not key.startswith(prefix) or len(key) > 1024 or len(key) == len(prefix):
        return False
    if "\\" in key or any(ord(c) < 32 or ord(c) == 127 for c in key):
        return False
    return all(part not in ("", ".", "..") for part in key.split("/"))


@bp.get("/v1/batches/<batch_id>")
def get_batch(batch_id: str) -> Response:
    caller = require_caller()
    batch = _owned_batch(batch_id, caller.tenant_id)
    with services().sessions() as s:
        rows = s.execute(
            select(Document.status, func.count())
            .where(Document.batch_id == batch.id, Document.deleted_at.is_(None))
            .group_by(Document.status)
        ).all()
    counts = {"queued": 0, "processing": 0, "succeeded": 0, "failed": 0}
    counts.update({status: n for status, n in rows})
    total = sum(counts.values())
    finished = counts["succeeded"] + counts["failed"]
    return jsonify(
        id=batch.id,
        name=batch.name,
        created_at=batch.created_at.isoformat(),
        total=total,
        counts=counts,
        finished=finished,
        progress=round(finished / total, 4) if total else 1.0,
        done=finished == total,
    )


def _documents(sessions: Any, batch_id: str) -> Iterator[dict[str, Any]]:
    """The batch's documents as contracts, read page by page so a big batch streams."""
    last = ""
    while True:
        with sessions() as s:
            docs = s.scalars(
                select(Document)
                .where(Document.batch_id == batch_id, Document.deleted_at.is_(None), Document.id > last)
                .order_by(Document.id)
                .limit(200)
            ).all()
            if not docs:
                return
            results = {
                r.document_id: r
                for r in s.scalars(select(Result).where(Result.document_id.in_([d.id for d in docs])))
            }
        for doc in docs:
            yield render(doc, results.get(doc.id))
        last = docs[-1].id


def flatten(content: dict[str, Any] | None, prefix: str = "") -> dict[str, Any]:
    """Scalar values of `content` with dotted names (vendor.name); lists are left to the JSON export."""
    out: dict[str, Any] = {}
    for key, value in (content or {}).items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        elif not isinstance(value, list):
            out[name] = value
    return out


@bp.get("/v1/batches/<batch_id>/results")
def batch_results(batch_id: str) -> Response:
    caller = require_caller()
    batch = _owned_batch(batch_id, caller.tenant_id)
    fmt = request.args.get("format", "jsonl")
    if fmt not in ("jsonl", "csv"):
        raise ApiError(422, f"unknown format {fmt!r}; expected jsonl or csv")
    sessions = services().sessions  # captured: the streamed body runs after the request context
    if fmt == "jsonl":

        def lines() -> Iterator[str]:
            for body in _documents(sessions, batch.id):
                yield json.dumps(body, ensure_ascii=False) + "\n"

        return Response(lines(), mimetype="application/x-ndjson")
    rows = [
        {**{k: body.get(k) for k in CSV_FIXED}, **flatten(body.get("content"))}
        for body in _documents(sessions, batch.id)
    ]
    columns = CSV_FIXED + sorted({k for row in rows for k in row} - set(CSV_FIXED))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    response = Response(buf.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="batch-{batch.id}.csv"'
    return response

"""/v1/batches: many files in one request, progress, and a result export (JSON lines or CSV).

Every file of a batch is an ordinary document on the `batch` queue (consumed after interactive
work); a file that fails validation is reported in `rejected` and does not stop the others.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import func, select

from api.auth import require_caller
from api.contract import render
from api.errors import ApiError
from api.intake import Params, accept, parse_params, read_upload
from api.services import services
from store.models import Batch, Document, Result

bp = Blueprint("batches", __name__)

CSV_FIXED = ["id", "filename", "status", "document_type", "error"]


def _owned_batch(batch_id: str, tenant_id: str) -> Batch:
    with services().sessions() as s:
        batch = s.get(Batch, batch_id)
    if batch is None or batch.tenant_id != tenant_id:
        raise ApiError(404, f"no batch {batch_id!r}")
    return batch


@bp.post("/v1/batches")
def create_batch() -> tuple[Response, int]:
    caller = require_caller(creates_work=True)
    svc = services()
    request.max_content_length = svc.settings.max_batch_bytes
    files = request.files.getlist("file")
    if not files:
        raise ApiError(422, "send one or more files as repeated `file` parts of the multipart form")
    if len(files) > svc.settings.max_batch_files:
        raise ApiError(422, f"{len(files)} files; a batch takes at most {svc.settings.max_batch_files}")
    base = parse_params(request.form, request.args, {}, svc)  # type: ignore[arg-type]
    name = (request.form.get("name") or "").strip()[:200] or None
    with svc.sessions() as s:
        batch = Batch(tenant_id=caller.tenant_id, name=name, callback_url=base.callback_url)
        s.add(batch)
        s.commit()
        batch_id = batch.id
    params = Params(
        document_type=base.document_type, callback_url=base.callback_url, priority="batch", batch_id=batch_id
    )
    accepted: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    for index, file in enumerate(files):
        try:
            upload = read_upload(file, svc.settings.max_upload_bytes)
        except ApiError as exc:
            rejected.append(
                {"index": index, "filename": file.filename, "status": exc.status, "detail": exc.detail}
            )
            continue
        doc, _ = accept(svc, caller.tenant_id, upload, params)
        accepted.append({"index": index, "id": doc.id, "filename": doc.filename})
    body = {
        "id": batch_id,
        "accepted": accepted,
        "rejected": rejected,
        "links": {"self": f"/v1/batches/{batch_id}", "results": f"/v1/batches/{batch_id}/results"},
    }
    return jsonify(body), 202


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

"""Accepting uploads: size, real type, parameters, storage, the document row, the queue.

Shared by POST /v1/documents, POST /v1/ocr and POST /v1/batches. The type is decided from the
bytes (pipeline.load.sniff, which imports no torch); a declared Content-Type or a known file
extension that disagrees with the bytes is a 400, because a caller that mislabels files usually
uploads the wrong file.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import unicodedata
from dataclasses import dataclass

from flask import request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from api.errors import ApiError
from api.services import Services
from store.callbacks import CallbackRefused, check_callback_url
from store.documents import record
from store.models import Document, new_id, utcnow
from store.queue import PRIORITIES

log = logging.getLogger(__name__)

_EXTENSIONS = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".jpe": "image/jpeg",
    ".webp": "image/webp",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".xml": "application/xml",
}
_GENERIC_MIMES = {"", "application/octet-stream", "binary/octet-stream", "application/x-download"}
_MIME_ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "application/x-pdf": "application/pdf",
    "text/xml": "application/xml",
}
_NAMES = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/webp": "WebP",
    "image/tiff": "TIFF",
    "application/xml": "XML",
}
_HTML_MARKS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script")


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes
    mime_type: str
    sha256: str


@dataclass(frozen=True)
class Params:
    document_type: str | None = None
    callback_url: str | None = None
    priority: str = "interactive"
    idempotency_key: str | None = None
    batch_id: str | None = None


def sanitize_filename(name: str | None) -> str:
    """A display-safe base name: no path, no control characters, at most 255 characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip(" .")
    if len(name) > 255:
        stem, ext = os.path.splitext(name)
        name = stem[: 255 - len(ext)] + ext
    return name or "document"


def read_upload(file: FileStorage | None, max_bytes: int) -> Upload:
    if file is None:
        raise ApiError(422, "missing the `file` part of the multipart form")
    data = file.stream.read(max_bytes + 1)
    return check_upload(file.filename, data, file.mimetype, max_bytes)


def check_upload(name: str | None, data: bytes, declared_mime: str | None, max_bytes: int) -> Upload:
    """Size, real type (from the bytes) and agreement with the declared type and the name's extension.

    Shared by multipart uploads and manifest imports from object storage, so a file is judged the
    same whichever way it arrives.
    """
    from pipeline.load import sniff

    if len(data) > max_bytes:
        raise ApiError(413, f"the file is larger than the limit of {max_bytes} bytes")
    filename = sanitize_filename(name)
    if not data:
        raise ApiError(400, f"{filename}: the file is empty")
    mime = sniff(data)
    if mime == "application/xml" and _looks_like_html(data):
        mime = None  # HTML (a saved web page, an error page) sniffs as markup but is no e-invoice
    if mime is None:
        raise ApiError(400, f"{filename}: unsupported file type; expected PDF, PNG, JPEG, WebP or TIFF")
    declared = (declared_mime or "").lower()
    declared = _MIME_ALIASES.get(declared, declared)
    if declared not in _GENERIC_MIMES and declared != mime:
        raise ApiError(
            400, f"{filename}: MIME type mismatch: declared {declared} but the content is {_NAMES[mime]}"
        )
    by_extension = _EXTENSIONS.get(os.path.splitext(filename)[1].lower())
    if by_extension is not None and by_extension != mime:
        raise ApiError(
            400,
            f"{filename}: file type mismatch: the name says {_NAMES[by_extension]} but the content is "
            f"{_NAMES[mime]}",
        )
    return Upload(filename=filename, data=data, mime_type=mime, sha256=hashlib.sha256(data).hexdigest())


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(_HTML_MARKS)


def parse_document_type(value: str | None) -> str | None:
    from pipeline.schemas import DOCUMENT_TYPES

    if value is None or value.strip() == "":
        return None
    value = value.strip()
    if value not in DOCUMENT_TYPES:
        raise ApiError(422, f"unknown document_type {value!r}; expected one of {', '.join(DOCUMENT_TYPES)}")
    return value


def parse_params(
    form: dict[str, str], query: dict[str, str], headers: dict[str, str], svc: Services
) -> Params:
    """Validate the optional parameters (form field or query parameter; the form wins)."""

    def get(name: str) -> str | None:
        value = form.get(name)
        return value if value not in (None, "") else query.get(name)

    callback = get("callback_url")
    if callback:
        try:
            check_callback_url(callback, svc.settings.allow_private_callbacks)
        except CallbackRefused as exc:
            raise ApiError(422, str(exc)) from None
    priority = (get("priority") or "interactive").strip()
    if priority not in PRIORITIES:
        raise ApiError(422, f"unknown priority {priority!r}; expected one of {', '.join(PRIORITIES)}")
    key = headers.get("Idempotency-Key")
    if key is not None and not 1 <= len(key) <= 200:
        raise ApiError(422, "Idempotency-Key must be 1 to 200 characters")
    return Params(
        document_type=parse_document_type(get("document_type")),
        callback_url=callback or None,
        priority=priority,
        idempotency_key=key,
    )


def storage_key(tenant_id: str, document_id: str) -> str:
    return f"documents/{tenant_id}/{document_id}/original"


def document_prefix(tenant_id: str, document_id: str) -> str:
    return f"documents/{tenant_id}/{document_id}/"


def accept(svc: Services, tenant_id: str, upload: Upload, params: Params) -> tuple[Document, bool]:
    """Store the file, write the row, enqueue. Returns (document, created); created is False when an
    Idempotency-Key matched an earlier upload (nothing new is stored or enqueued then)."""
    if params.idempotency_key:
        existing = _by_idempotency_key(svc, tenant_id, params.idempotency_key, upload)
        if existing is not None:
            return existing, False
    document_id = new_id()
    key = storage_key(tenant_id, document_id)
    svc.storage.put(key, upload.data, upload.mime_type)  # first the file, so a worker always finds it
    try:
        doc, created = _insert(svc, tenant_id, upload, params, document_id, key)
    except BaseException:
        _drop_orphan(svc, tenant_id, document_id)
        raise
    if not created:  # a concurrent request with the same Idempotency-Key won the race
        _drop_orphan(svc, tenant_id, document_id)
        return doc, False
    enqueue(svc, doc)  # after the commit: from here on the row, not the queue, is the truth
    return doc, True


def accept_request(svc: Services, tenant_id: str) -> tuple[Document, bool]:
    """`accept` the current request's single upload: options from the form, query string and
    headers, the `file` part. POST /v1/documents and POST /v1/ocr take uploads the same way (a
    batch reads several files and has no per-request headers), so this is their one intake."""
    params = parse_params(request.form, request.args, request.headers, svc)  # type: ignore[arg-type]
    upload = read_upload(request.files.get("file"), svc.settings.max_upload_bytes)
    return accept(svc, tenant_id, upload, params)


def _drop_orphan(svc: Services, tenant_id: str, document_id: str) -> None:
    """No row, no file: a database outage or a lost race must not leave an original behind that no
    tenant can see or delete. Best effort, since storage may be what is failing."""
    try:
        svc.storage.delete_prefix(document_prefix(tenant_id, document_id))
    except Exception:
        log.warning("could not remove the orphan upload of %s", document_id)


def _insert(
    svc: Services, tenant_id: str, upload: Upload, params: Params, document_id: str, key: str
) -> tuple[Document, bool]:
    now = utcnow()
    from datetime import timedelta

    doc = Document(
        id=document_id,
        tenant_id=tenant_id,
        batch_id=params.batch_id,
        filename=upload.filename,
        sha256=upload.sha256,
        mime_type=upload.mime_type,
        size_bytes=len(upload.data),
        storage_key=key,
        document_type=params.document_type,
        status="queued",
        priority=params.priority,
        callback_url=params.callback_url,
        idempotency_key=params.idempotency_key,
        lease_until=now + timedelta(seconds=svc.settings.queued_lease_seconds),
        created_at=now,
        updated_at=now,
    )
    with svc.sessions() as s:
        s.add(doc)
        record(s, document_id, "queued")
        try:
            s.commit()
        except IntegrityError:
            s.rollback()
            if params.idempotency_key:  # a concurrent request with the same key won the race
                existing = _by_idempotency_key(svc, tenant_id, params.idempotency_key, upload)
                if existing is not None:
                    return existing, False
            raise
    return doc, True


def enqueue(svc: Services, doc: Document) -> None:
    """Put the document on its queue; when the broker is down the row stays queued and the sweeper
    re-enqueues it once its lease is moved to now (nothing accepted is ever lost)."""
    try:
        svc.queue.enqueue_document(doc.id, doc.priority)
    except Exception:
        log.exception("could not enqueue document %s; the sweeper will pick it up", doc.id)
        from sqlalchemy import update

        with svc.sessions() as s:
            s.execute(update(Document).where(Document.id == doc.id).values(lease_until=utcnow()))
            s.commit()


def _by_idempotency_key(svc: Services, tenant_id: str, key: str, upload: Upload) -> Document | None:
    with svc.sessions() as s:
        doc = s.scalar(
            select(Document).where(Document.tenant_id == tenant_id, Document.idempotency_key == key)
        )
    if doc is None:
        return None
    if doc.sha256 != upload.sha256:
        raise ApiError(409, "this Idempotency-Key was already used for a different file")
    return doc

"""GET /v1/documents/{id}/export: a succeeded invoice as CII, UBL, CSV or a Factur-X PDF (issue 7).

The conversion itself is `pipeline.einvoice.export`, the same function the CLI uses, so the API and
`invoice-ocr export` cannot drift apart. pipeline.einvoice imports no torch (the service test
`test_api_process_never_imports_torch` exercises this route), so the API process stays small.
Fields the extraction was unsure of travel in the `X-Uncertain-Fields` header: the body must stay
a valid e-invoice, and the person importing it still needs the warning.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from flask import Blueprint, Response, request

from api.auth import require_caller
from api.contract import render
from api.documents import _attachment, owned_document
from api.errors import ApiError
from api.services import services
from pipeline.einvoice import FORMATS, export
from pipeline.einvoice.export import EXTENSIONS
from pipeline.errors import DocumentError
from store.models import Result
from store.storage import ObjectMissing, StorageError

bp = Blueprint("export", __name__)

UNCERTAIN_HEADER = "X-Uncertain-Fields"
CSV_PARAMS = ("delimiter", "bom", "decimal")
_DELIMITERS = {";": ";", ",": ",", "tab": "\t", "\t": "\t"}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def csv_options(args: Mapping[str, str], fmt: str) -> dict[str, object]:
    """The CSV keyword arguments of `export` from the query string; a 422 for a bad or misplaced one.

    A CSV option on another format is refused rather than ignored: a caller who sends it expects
    it to change the output, and silently dropping it hides their mistake.
    """
    given = [name for name in CSV_PARAMS if name in args]
    if fmt != "csv":
        if given:
            raise ApiError(422, f"{', '.join(given)} only apply to format=csv")
        return {}
    options: dict[str, object] = {}
    if "delimiter" in args:
        raw = args["delimiter"]
        if raw not in _DELIMITERS:
            raise ApiError(422, f"unknown delimiter {raw!r}; expected ';', ',' or 'tab'")
        options["delimiter"] = _DELIMITERS[raw]
    if "bom" in args:
        raw = args["bom"].strip().lower()
        if raw not in _TRUE | _FALSE:
            raise ApiError(422, f"bom must be true or false, got {args['bom']!r}")
        options["bom"] = raw in _TRUE
    if "decimal" in args:
        raw = args["decimal"]
        if raw not in (".", ","):
            raise ApiError(422, f"unknown decimal separator {raw!r}; expected '.' or ','")
        options["decimal"] = raw
    return options


def export_filename(filename: str, fmt: str) -> str:
    """`Rechnung März.pdf` -> `Rechnung März.cii.xml`: the format in the name, because CII and UBL
    share the .xml extension and a Factur-X PDF would otherwise take the original's name."""
    stem = os.path.splitext(filename)[0] or "document"
    return f"{stem}.{fmt}{EXTENSIONS[fmt]}"


@bp.get("/v1/documents/<document_id>/export")
def export_document(document_id: str) -> Response:
    caller = require_caller()
    doc = owned_document(document_id, caller.tenant_id)
    fmt = request.args.get("format", "")
    if fmt not in FORMATS:
        expected = ", ".join(FORMATS)
        raise ApiError(422, f"unknown export format {fmt!r}; expected one of {expected}")
    options = csv_options(request.args, fmt)
    if doc.status != "succeeded":
        raise ApiError(409, f"document {document_id!r} is {doc.status}; only a succeeded one can be exported")
    svc = services()
    with svc.sessions() as s:
        stored = s.get(Result, doc.id)
    if stored is None:  # succeeded rows always have a result; a race with DELETE is the only way here
        raise ApiError(404, f"no document {document_id!r}")
    original = _original(doc.storage_key) if fmt == "facturx" else None
    try:
        body, mime, uncertain = export(render(doc, stored), fmt, original, **options)  # type: ignore[arg-type]
    except DocumentError as exc:
        # ExportError is 422; anything else the writers raise (a Factur-X the XSD refuses because
        # the result lacks a mandatory value, say) is also about this result, not the request's
        # syntax, so it is a 422 too rather than the pipeline's input-error 400.
        raise ApiError(422, exc.detail) from None
    response = Response(body, content_type=mime)
    response.headers["Content-Disposition"] = _attachment(export_filename(doc.filename, fmt))
    response.headers[UNCERTAIN_HEADER] = ",".join(uncertain)
    return response


def _original(storage_key: str | None) -> bytes:
    """The uploaded file (Factur-X embeds the XML into it); storage trouble is a 503, not a 500."""
    try:
        return services().storage.get(storage_key or "")
    except ObjectMissing:
        raise ApiError(409, "the original file is no longer stored; Factur-X needs it") from None
    except StorageError:
        raise ApiError(503, "storage is unavailable; try again") from None

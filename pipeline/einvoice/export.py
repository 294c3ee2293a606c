"""`export(result, fmt, original)`: a result (the output contract) as CII, UBL, CSV or Factur-X.

The third value returned is the side report: the fields the extraction was not sure of (low
confidence, named by a failed validation check) and the values the export had to derive. The CLI
prints it to stderr; the API puts it in the `X-Uncertain-Fields` header.
"""

from __future__ import annotations

from typing import Any

from pipeline.einvoice.address import CountryUnknown
from pipeline.einvoice.prepare import LOW_CONFIDENCE, doubtful_fields, prepare
from pipeline.einvoice.write_cii import write_cii
from pipeline.einvoice.write_csv import write_csv
from pipeline.einvoice.write_ubl import write_ubl
from pipeline.errors import DocumentError

FORMATS: dict[str, str] = {
    "cii": "application/xml",
    "ubl": "application/xml",
    "csv": "text/csv; charset=utf-8",
    "facturx": "application/pdf",
}
EXTENSIONS = {"cii": ".xml", "ubl": ".xml", "csv": ".csv", "facturx": ".pdf"}
INVOICE_TYPES = ("invoice", "credit_note")


class ExportError(DocumentError):
    """The result cannot be exported in the asked format (wrong type, no original, bad option)."""

    http_status = 422


def export(
    result: dict[str, Any],
    fmt: str,
    original: bytes | None = None,
    *,
    delimiter: str = ";",
    bom: bool = True,
    decimal: str = ".",
    threshold: float = LOW_CONFIDENCE,
) -> tuple[bytes, str, list[str]]:
    """(bytes, MIME type, uncertain field paths) of `result` in `fmt` (cii, ubl, csv, facturx).

    `original` (the uploaded file) is needed only for facturx. Raises ExportError.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if result.get("status") not in (None, "succeeded") or not result.get("content"):
        raise ExportError("only a succeeded result with content can be exported")
    if result.get("document_type") not in INVOICE_TYPES:
        kind = result.get("document_type")
        raise ExportError(f"only invoices and credit notes can be exported, not {kind!r}")
    if fmt == "csv":
        try:
            data = write_csv(result["content"], delimiter=delimiter, bom=bom, decimal=decimal)
        except ValueError as exc:
            raise ExportError(str(exc)) from None
        return data, FORMATS[fmt], sorted(doubtful_fields(result, threshold))
    try:
        prepared = prepare(result, threshold)
    except CountryUnknown as exc:  # EN 16931 needs both countries; invalid XML is worse than none
        raise ExportError(str(exc)) from None
    if fmt == "ubl":
        return write_ubl(prepared), FORMATS[fmt], sorted(prepared.uncertain)
    xml = write_cii(prepared)
    if fmt == "cii":
        return xml, FORMATS[fmt], sorted(prepared.uncertain)
    if original is None:
        raise ExportError("a Factur-X export needs the original file")
    from pipeline.einvoice.write_facturx import write_facturx

    return write_facturx(original, xml), FORMATS[fmt], sorted(prepared.uncertain)

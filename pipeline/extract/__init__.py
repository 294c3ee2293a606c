"""Stage 6: header fields per schema. One module per document family."""

from __future__ import annotations

from typing import Any

from pipeline.model import LoadedDocument
from pipeline.result import FieldTree


def extract_fields(document_type: str, doc: LoadedDocument, items: Any) -> FieldTree:
    """The evidence tree for `document_type`, shaped like that type's schema."""
    if document_type in ("invoice", "credit_note"):
        from pipeline.extract.invoice import extract_invoice

        return extract_invoice(doc, items, kind=document_type)
    from pipeline.extract.generic import extract_generic

    return extract_generic(doc, items, document_type)

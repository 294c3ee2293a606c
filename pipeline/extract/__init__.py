"""Stage 6: header fields per schema. One module per document family."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from pipeline.model import LoadedDocument
from pipeline.result import FieldTree

# Type -> (module, function); imported on first use so one type's rules never slow another's.
EXTRACTORS: dict[str, tuple[str, str]] = {
    "receipt": ("pipeline.extract.receipt", "extract_receipt"),
    "purchase_order": ("pipeline.extract.purchase_order", "extract_purchase_order"),
    "delivery_note": ("pipeline.extract.delivery_note", "extract_delivery_note"),
    "bank_statement": ("pipeline.extract.bank_statement", "extract_bank_statement"),
    "payslip": ("pipeline.extract.payslip", "extract_payslip"),
}


def extract_fields(document_type: str, doc: LoadedDocument, items: Any) -> FieldTree:
    """The evidence tree for `document_type`, shaped like that type's schema."""
    if document_type in ("invoice", "credit_note"):
        from pipeline.extract.invoice import extract_invoice

        return extract_invoice(doc, items, kind=document_type)
    if document_type in EXTRACTORS:
        module, name = EXTRACTORS[document_type]
        extractor: Callable[[LoadedDocument, Any], FieldTree] = getattr(import_module(module), name)
        return extractor(doc, items)
    from pipeline.extract.generic import extract_generic

    return extract_generic(doc, items, document_type)

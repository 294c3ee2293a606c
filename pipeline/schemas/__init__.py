"""Content schemas by document type. A new type is a schema here plus extraction rules.

The field lists of the other types (receipt, purchase_order, delivery_note, bank_statement, payslip)
are in the project's issue 6: run `issues show 6` in a shell to read it in full.
"""

from __future__ import annotations

from pydantic import BaseModel

from pipeline.schemas.invoice import InvoiceContent

SCHEMAS: dict[str, type[BaseModel]] = {
    "invoice": InvoiceContent,
    "credit_note": InvoiceContent,
}

DOCUMENT_TYPES: tuple[str, ...] = (
    "invoice",
    "credit_note",
    "receipt",
    "purchase_order",
    "delivery_note",
    "bank_statement",
    "payslip",
    "contract",
    "id_document",
    "handwriting",
    "generic",
)


def schema_for(document_type: str) -> type[BaseModel]:
    """The content schema of a type; types without their own schema yet use the generic one."""
    from pipeline.schemas.generic import GenericContent

    return SCHEMAS.get(document_type, GenericContent)

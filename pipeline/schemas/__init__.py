"""Content schemas by document type. A new type is a schema here plus extraction rules.

Invoices follow DESIGN §5; the other types follow the field lists users know from the Deep-OCR
API, plus `language`. docs/document-types.md describes each type and its sign conventions.
"""

from __future__ import annotations

from pydantic import BaseModel

from pipeline.schemas.bank_statement import BankStatementContent
from pipeline.schemas.delivery_note import DeliveryNoteContent
from pipeline.schemas.invoice import InvoiceContent
from pipeline.schemas.payslip import PayslipContent
from pipeline.schemas.purchase_order import PurchaseOrderContent
from pipeline.schemas.receipt import ReceiptContent

SCHEMAS: dict[str, type[BaseModel]] = {
    "invoice": InvoiceContent,
    "credit_note": InvoiceContent,
    "receipt": ReceiptContent,
    "purchase_order": PurchaseOrderContent,
    "delivery_note": DeliveryNoteContent,
    "bank_statement": BankStatementContent,
    "payslip": PayslipContent,
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

"""The invoice schema (DESIGN §5): the one definition that drives extraction, validation, JSON output
and the OpenAPI description. Every field is always present; unknown values are null.

Credit notes use this schema with `document_kind: "credit_note"`; amounts keep the sign printed on
the document.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Registration(_Model):
    type: str = Field(description="VAT, SIRET, SIREN, EIN, TIN, GST, UEN, KVK, CIF, NIF, CVR, GSTIN, HRB ...")
    value: str


class Vendor(_Model):
    name: str | None = Field(None, description="Supplier name as written")
    address: str | None = None
    email: str | None = None
    phone: str | None = None
    tax_id: str | None = Field(None, description="VAT / tax id as written, spaces removed")
    registrations: list[Registration] = Field(default_factory=list)


class Customer(_Model):
    name: str | None = None
    address: str | None = None
    customer_number: str | None = None
    tax_id: str | None = None


class LineItem(_Model):
    position: str | None = None
    product_code: str | None = None
    description: str | None = None
    quantity: float | None = None
    unit: str | None = None
    unit_price: float | None = Field(None, description="Net price per unit")
    discount_rate: float | None = Field(None, description="Percent")
    discount_amount: float | None = None
    tax_rate: float | None = Field(None, description="Percent")
    tax_amount: float | None = None
    total: float | None = Field(None, description="Line amount as printed (usually net)")


# The line-item columns in schema order: what the invoice extractor emits per row and the order
# generic tables list known columns in. Read from the model so a new column needs one edit.
LINE_ITEM_KEYS: tuple[str, ...] = tuple(LineItem.model_fields)


class TaxBreakdown(_Model):
    rate: float | None = Field(None, description="Percent")
    net_amount: float | None = None
    tax_amount: float | None = None


class BankDetails(_Model):
    iban: str | None = Field(None, description="IBAN, validated by mod-97, spaces removed")
    bic: str | None = None
    bank_name: str | None = None
    account_number: str | None = None
    routing_number: str | None = None


class InvoiceContent(_Model):
    vendor: Vendor = Field(default_factory=Vendor)
    customer: Customer = Field(default_factory=Customer)
    invoice_number: str | None = None
    invoice_date: date | None = None
    due_date: date | None = None
    performance_date_from: date | None = None
    performance_date_to: date | None = None
    purchase_order_number: str | None = None
    currency: str | None = Field(None, description="ISO 4217")
    language: str | None = Field(None, description="ISO 639-1")
    line_items: list[LineItem] = Field(default_factory=list)
    subtotal: float | None = Field(None, description="Net total")
    tax_amount: float | None = None
    total: float | None = Field(None, description="Gross total")
    tax_breakdown: list[TaxBreakdown] = Field(default_factory=list)
    is_reverse_charge: bool | None = None
    is_paid: bool | None = None
    payment_terms: str | None = None
    bank_details: BankDetails = Field(default_factory=BankDetails)
    payment_details: list[BankDetails] = Field(default_factory=list)
    document_kind: str | None = Field(None, description="invoice, credit_note, proforma ...")
    notes: str | None = None
    items_truncated: bool = Field(False, description="Always false: we never truncate")

"""The purchase-order schema: an order a buyer places with a supplier.

The buyer issues the document (letterhead), the supplier is the addressee: the reverse of an
invoice, which is why the parties have their own names here instead of vendor/customer.
"""

from __future__ import annotations

import datetime

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OrderParty(_Model):
    name: str | None = None
    address: str | None = None
    contact: str | None = Field(None, description="Contact person or department")
    tax_id: str | None = Field(None, description="VAT / tax id, spaces removed")


class OrderLineItem(_Model):
    position: int | None = Field(None, description="Line position number (1, 2, 3 ...)")
    description: str | None = None
    article_number: str | None = Field(None, description="Article / SKU number")
    quantity: float | None = Field(None, description="Ordered quantity")
    unit: str | None = Field(None, description="Unit as written (pcs, Stück, kg)")
    unit_price: float | None = Field(None, description="Net price per unit")
    total: float | None = Field(None, description="Line total (net)")
    tax_rate: float | None = Field(None, description="Percent")


class PurchaseOrderContent(_Model):
    po_number: str | None = Field(None, description="Purchase order number")
    order_date: datetime.date | None = None
    delivery_date_requested: datetime.date | None = None
    buyer: OrderParty = Field(default_factory=OrderParty)
    supplier: OrderParty = Field(default_factory=OrderParty)
    delivery_address: str | None = Field(None, description="Delivery address if printed apart")
    currency: str | None = Field(None, description="ISO 4217")
    language: str | None = Field(None, description="ISO 639-1")
    line_items: list[OrderLineItem] = Field(default_factory=list)
    subtotal: float | None = Field(None, description="Net total before tax")
    tax_amount: float | None = None
    total: float | None = Field(None, description="Gross total including tax")
    payment_terms: str | None = None
    notes: str | None = None
    items_truncated: bool = Field(False, description="Always false: we never truncate")

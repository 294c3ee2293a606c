"""The receipt schema: till and purchase receipts (Deep-OCR's `receipt` field list).

A receipt is proof of a payment already made, so it has no due date or bank details but does say
how it was paid (`payment_method`, `card_last_four`). Amounts keep the sign printed: a refund
receipt prints negative amounts and they stay negative.
"""

from __future__ import annotations

import datetime

from pydantic import BaseModel, ConfigDict, Field

PAYMENT_METHODS = (
    "cash",
    "credit_card",
    "debit_card",
    "mobile_payment",
    "check",
    "gift_card",
    "store_credit",
    "other",
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Merchant(_Model):
    name: str | None = Field(None, description="Shop or business name")
    address: str | None = None
    phone: str | None = None
    tax_id: str | None = Field(None, description="VAT / tax id of the merchant, spaces removed")


class ReceiptItem(_Model):
    description: str | None = None
    quantity: float | None = None
    unit_price: float | None = None
    total: float | None = Field(None, description="Line amount as printed (usually incl. tax)")
    tax_rate: float | None = Field(None, description="Percent, from the rate or its tax code (A/B)")


class ReceiptTaxBreakdown(_Model):
    rate: float | None = Field(None, description="Percent")
    net_amount: float | None = None
    tax_amount: float | None = None


class ReceiptContent(_Model):
    merchant: Merchant = Field(default_factory=Merchant)
    receipt_number: str | None = Field(None, description="Receipt or transaction number")
    date: datetime.date | None = Field(None, description="Date of purchase")
    time: str | None = Field(None, description="Time of purchase, 24-hour HH:MM")
    currency: str | None = Field(None, description="ISO 4217")
    language: str | None = Field(None, description="ISO 639-1")
    items: list[ReceiptItem] = Field(default_factory=list)
    subtotal: float | None = Field(None, description="Net total before tax, when printed")
    tax_breakdown: list[ReceiptTaxBreakdown] = Field(default_factory=list)
    tax_amount: float | None = None
    total: float | None = Field(None, description="Amount paid including tax")
    payment_method: str | None = Field(None, description="One of: " + ", ".join(PAYMENT_METHODS))
    card_last_four: str | None = Field(None, description="Last 4 digits of the card, never asterisks")
    cashier: str | None = None
    notes: str | None = None

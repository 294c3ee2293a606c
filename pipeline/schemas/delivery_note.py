"""The delivery-note schema: what was shipped, to whom, by which carrier.

Delivery notes carry quantities, rarely prices; `quantity_ordered` beside `quantity_delivered` is
what three-way matching (pipeline.match) compares with the order and the invoice.
"""

from __future__ import annotations

import datetime

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ShipmentParty(_Model):
    name: str | None = None
    address: str | None = None
    contact: str | None = Field(None, description="Contact person or department")


class DeliveryItem(_Model):
    position: int | None = None
    description: str | None = None
    article_number: str | None = Field(None, description="Article / SKU number")
    quantity_ordered: float | None = Field(None, description="Ordered quantity, null if not shown")
    quantity_delivered: float | None = Field(None, description="Quantity actually delivered")
    unit: str | None = Field(None, description="Unit as written (pcs, Stück, kg)")


class DeliveryNoteContent(_Model):
    delivery_note_number: str | None = None
    order_number: str | None = Field(None, description="The purchase or sales order it fulfils")
    delivery_date: datetime.date | None = None
    sender: ShipmentParty = Field(default_factory=ShipmentParty)
    recipient: ShipmentParty = Field(default_factory=ShipmentParty)
    carrier: str | None = Field(None, description="Shipping carrier (DHL, UPS ...)")
    tracking_number: str | None = Field(None, description="Copied exactly as printed")
    language: str | None = Field(None, description="ISO 639-1")
    items: list[DeliveryItem] = Field(default_factory=list)
    total_packages: float | None = None
    total_weight_kg: float | None = Field(None, description="Converted from lb when printed in lb")
    is_partial_delivery: bool | None = Field(
        None, description="true if marked partial, false if marked complete, null if not stated"
    )
    delivery_sequence: str | None = Field(None, description="Shipment sequence such as '1/3'")
    notes: str | None = None

"""The generic schema: what any document yields when no type-specific schema applies."""

from __future__ import annotations

import datetime

from pydantic import BaseModel, ConfigDict, Field


class KeyValue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str
    value: str


class GenericContent(BaseModel):
    model_config = ConfigDict(extra="forbid")
    document_type: str | None = Field(None, description="Best guess of what the document is")
    title: str | None = None
    date: datetime.date | None = None
    key_values: list[KeyValue] = Field(default_factory=list)
    tables: list[list[list[str]]] = Field(default_factory=list, description="Tables as rows of cells")

"""The output contract (DESIGN §4): one JSON shape for the API, webhooks and the CLI.

`content` is typed by the document type's schema (see `schema_for`); this envelope describes the
rest. The API's OpenAPI description is generated from these models.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class FieldEvidence(BaseModel):
    """Why we believe a value: the text it came from, how sure we are, and where it is."""

    model_config = ConfigDict(extra="forbid")
    value: Any = None
    raw: str | None = None
    confidence: float = Field(ge=0.0, le=1.0)
    page: int | None = Field(None, description="0-based page index")
    bbox: list[float] | None = Field(
        None, description="[x0, y0, x1, y1] normalised to the page (0..1, origin top-left)"
    )


class Check(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rule: str
    status: Literal["pass", "fail", "skipped"]
    detail: str = ""


class PageResult(BaseModel):
    model_config = ConfigDict(extra="forbid")
    page: int
    width: float = Field(description="Page width in points (1/72 inch), for scans and images too")
    height: float = Field(description="Page height in points (1/72 inch)")
    orientation: int = Field(description="Degrees the page was turned to read it upright")
    text_source: Literal["pdf_text", "ocr"]
    content: dict[str, Any] = Field(description="The schema's content, from this page alone")


class Metadata(BaseModel):
    model_config = ConfigDict(extra="allow")
    pages: int
    processing_time: float = Field(description="Seconds")
    pipeline_version: str


class Result(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str | None = None
    status: Literal["queued", "processing", "succeeded", "failed"]
    filename: str | None = None
    document_type: str | None = None
    document_type_confidence: float | None = None
    content: dict[str, Any] | None = None
    fields: dict[str, Any] | None = Field(
        None, description="FieldEvidence for every value of content, in the same shape"
    )
    pages: list[PageResult] = Field(default_factory=list)
    validation: list[Check] = Field(default_factory=list)
    error: str | None = None
    metadata: Metadata | None = None

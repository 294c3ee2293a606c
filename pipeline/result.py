"""Assemble the output contract (DESIGN §4) from evidence.

Extraction produces a tree of `Evidence` mirroring the schema; this module turns it into the plain
`content` (validated by the schema model), the `fields` evidence with normalised boxes, and the
per-page views.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from pipeline.model import Evidence, LoadedDocument
from pipeline.version import PIPELINE_VERSION

FieldTree = dict[str, Any]  # values: Evidence | FieldTree | list[FieldTree]


@dataclass(slots=True)
class Check:
    """One validation rule's outcome; a failed check lowers confidence but never hides a value."""

    rule: str
    status: str  # "pass" | "fail" | "skipped"
    detail: str = ""

    def to_json(self) -> dict[str, str]:
        return {"rule": self.rule, "status": self.status, "detail": self.detail}


def values_of(tree: Any, page: int | None = None) -> Any:
    """The plain values of an evidence tree; with `page`, only evidence found on that page."""
    if isinstance(tree, Evidence):
        if page is not None and tree.page is not None and tree.page != page:  # page-less = whole document
            return None
        return tree.value
    if isinstance(tree, dict):
        return {k: values_of(v, page) for k, v in tree.items()}
    if isinstance(tree, list):
        items = [values_of(v, page) for v in tree]
        if page is None:
            return items
        return [i for i, v in zip(items, tree, strict=True) if _on_page(v, page)]
    return tree


def _on_page(tree: Any, page: int) -> bool:
    if isinstance(tree, Evidence):
        return tree.page == page
    if isinstance(tree, dict):
        return any(_on_page(v, page) for v in tree.values())
    if isinstance(tree, list):
        return any(_on_page(v, page) for v in tree)
    return False


def evidence_json(tree: Any, doc: LoadedDocument) -> Any:
    """The `fields` part of the contract: evidence with boxes normalised to their page."""
    if isinstance(tree, Evidence):
        bbox = None
        if tree.bbox is not None and tree.page is not None and tree.page < len(doc.pages):
            bbox = doc.pages[tree.page].normalise(tree.bbox)
        value = tree.value
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif value is not None and not isinstance(value, (str, bool, int, float, list, dict)):
            value = float(value)  # Decimal
        return {
            "value": value,
            "raw": tree.raw,
            "confidence": round(float(tree.confidence), 4),
            "page": tree.page,
            "bbox": bbox,
        }
    if isinstance(tree, dict):
        return {k: evidence_json(v, doc) for k, v in tree.items()}
    if isinstance(tree, list):
        return [evidence_json(v, doc) for v in tree]
    return tree


def content_json(schema: type[BaseModel], values: dict[str, Any]) -> dict[str, Any]:
    """Validate plain values against the schema and dump them as JSON-ready data."""
    return schema.model_validate(_plain(values)).model_dump(mode="json")


def _plain(tree: Any) -> Any:
    if isinstance(tree, dict):
        return {k: _plain(v) for k, v in tree.items()}
    if isinstance(tree, list):
        return [_plain(v) for v in tree]
    if tree is not None and type(tree).__name__ == "Decimal":
        return float(tree)
    return tree


def build_contract(
    doc: LoadedDocument,
    filename: str | None,
    doc_type: str,
    type_confidence: float,
    fields: FieldTree,
    checks: list[Check],
    processing_time: float,
    metadata: dict[str, Any],
) -> dict[str, Any]:
    """The output contract of DESIGN §4 (the service fills in `id` and `status`); `metadata` adds
    to the keys every result has (pages, processing_time, pipeline_version, mime_type)."""
    from pipeline.schemas import schema_for

    schema = schema_for(doc_type)
    whole = values_of(fields)
    content = content_json(schema, whole)
    pages = []
    for p in doc.pages:
        values = values_of(fields, page=p.index)
        # Where the page's values are the document's (every one-page document), validating them again
        # would give the same dump: copy it instead. The page view only leaves values out, so equal
        # trees hold the same objects.
        page_content = _copy_json(content) if values == whole else content_json(schema, values)
        pages.append(
            {
                "page": p.index,
                "width": round(p.width, 2),
                "height": round(p.height, 2),
                "orientation": p.orientation,
                "text_source": p.text_source,
                "content": page_content,
            }
        )
    return {
        "id": None,
        "status": "succeeded",
        "filename": filename,
        "document_type": doc_type,
        "document_type_confidence": round(type_confidence, 4),
        "content": content,
        "fields": evidence_json(fields, doc),
        "pages": pages,
        "validation": [c.to_json() for c in checks],
        "error": None,
        "metadata": {
            "pages": len(doc.pages),
            "processing_time": round(processing_time, 4),
            "pipeline_version": PIPELINE_VERSION,
            "mime_type": doc.mime_type,
            **metadata,
        },
    }


def _copy_json(tree: Any) -> Any:
    """A copy of JSON-ready data, so that the page view and the document view share no dict or list."""
    if isinstance(tree, dict):
        return {k: _copy_json(v) for k, v in tree.items()}
    if isinstance(tree, list):
        return [_copy_json(v) for v in tree]
    return tree

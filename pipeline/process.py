"""The whole pipeline: bytes in, output contract out.

Stages run in the order of DESIGN §3 and are timed one by one; a caller (the Celery worker, the
CLI) may pass `on_stage` to hear each stage's name and duration as it ends.

A PDF that carries its own invoice XML (Factur-X, ZUGFeRD, XRechnung) is read from the XML: the
visual stages still run, to give each value its page and box and to report where the page and
the XML disagree. A bare CII/UBL XML upload skips the visual stages.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from pipeline import classify, einvoice, load, tables, validate
from pipeline.errors import UnknownDocumentType
from pipeline.extract import extract_fields
from pipeline.options import Options
from pipeline.result import Check, FieldTree, build_contract
from pipeline.schemas import DOCUMENT_TYPES

StageCallback = Callable[[str, float], None]


class _Timer:
    def __init__(self, on_stage: StageCallback | None) -> None:
        self.on_stage = on_stage
        self.times: dict[str, float] = {}

    def run(self, name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            elapsed = time.perf_counter() - start
            self.times[name] = round(self.times.get(name, 0.0) + elapsed, 4)
            if self.on_stage:
                self.on_stage(name, elapsed)


def process_document(
    data: bytes,
    filename: str | None = None,
    document_type: str | None = None,
    options: Options | None = None,
    on_stage: StageCallback | None = None,
) -> dict[str, Any]:
    """Run every stage on `data` and return the output contract as JSON-ready data.

    Raises a `DocumentError` subclass for input that cannot be processed.
    """
    options = options or Options()
    if document_type is not None and document_type not in DOCUMENT_TYPES:
        raise UnknownDocumentType(
            f"unknown document_type {document_type!r}; expected one of {', '.join(DOCUMENT_TYPES)}"
        )
    started = time.perf_counter()
    timer = _Timer(on_stage)
    doc = timer.run("load", load.load, data, options)
    embedded = timer.run("einvoice", einvoice.read_embedded, doc) if doc.embedded_files else None
    metadata: dict[str, Any] = {}
    checks: list[Check] = []

    if doc.mime_type == "application/xml":
        fields: FieldTree = embedded.tree
        doc_type = _invoice_kind(fields)
        detected, type_confidence = doc_type, 1.0
    else:
        if options.ocr and any(p.needs_ocr for p in doc.pages):
            from pipeline import ocr  # imported lazily: torch is only needed for scans

            # keep_images=False: nothing after OCR draws on a page image (ocr.run_ocr)
            metadata["ocr_device"] = timer.run("ocr", ocr.run_ocr, doc, options, keep_images=False)
            metadata["ocr_recogniser"] = options.ocr_recogniser
        detected, type_confidence = timer.run("classify", classify.classify, doc)
        if embedded is not None:
            detected, type_confidence = _invoice_kind(embedded.tree), 1.0
        doc_type, type_confidence = (
            (document_type, 1.0) if document_type is not None else (detected, type_confidence)
        )
        items = timer.run("tables", tables.find_line_items, doc)
        fields = timer.run("extract", extract_fields, doc_type, doc, items)
        if embedded is not None and doc_type in ("invoice", "credit_note"):
            fields, checks = timer.run("einvoice", einvoice.merge_with_visual, embedded.tree, fields)
    checks = timer.run("validate", validate.validate, doc_type, fields) + checks
    if embedded is not None:
        metadata.update(embedded.metadata())
    metadata["detected_document_type"] = detected
    return build_contract(
        doc,
        filename,
        doc_type,
        type_confidence,
        fields,
        checks,
        processing_time=time.perf_counter() - started,
        metadata={"stage_times": timer.times, **metadata},
    )


def _invoice_kind(tree: FieldTree) -> str:
    kind = tree.get("document_kind")
    return "credit_note" if kind is not None and kind.value == "credit_note" else "invoice"

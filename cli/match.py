"""`invoice-ocr match INVOICE PO [DELIVERY_NOTE]`: three-way matching, JSON on stdout.

Each argument is either a result JSON file (what `invoice-ocr extract` or the API returned) or a
document, which is extracted in-process with its type forced (invoice, purchase_order,
delivery_note), so a user can match three PDFs in one command.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "match",
        help="three-way match an invoice against its purchase order and delivery note",
        description=(
            "Compare an invoice with its purchase order and, optionally, its delivery note: line by "
            "line quantities (ordered, delivered, invoiced), unit prices, references, supplier and "
            "currency. Each FILE is a result JSON or a document to extract. Exit status: 0 matched "
            "or partial, 2 mismatch, 1 when a file could not be read or extracted."
        ),
    )
    p.add_argument("invoice", metavar="INVOICE", help="invoice: result JSON, PDF or image")
    p.add_argument("purchase_order", metavar="PO", help="purchase order: result JSON, PDF or image")
    p.add_argument("delivery_note", nargs="?", metavar="DELIVERY_NOTE", help="delivery note (optional)")
    p.add_argument("--pretty", action="store_true", help="indent the JSON for reading")
    p.set_defaults(func=run)


def _load(name: str, document_type: str) -> dict[str, Any]:
    path = Path(name)
    data = path.read_bytes()
    if path.suffix.lower() == ".json" or data.lstrip()[:1] == b"{":
        return json.loads(data)
    from pipeline import process_document

    return process_document(data, filename=path.name, document_type=document_type)


def run(args: argparse.Namespace) -> int:
    from pipeline import DocumentError
    from pipeline.match import match_documents

    docs: dict[str, dict[str, Any] | None] = {"delivery_note": None}
    for key in ("invoice", "purchase_order", "delivery_note"):
        name = getattr(args, key)
        if name is None:
            continue
        try:
            docs[key] = _load(name, key)
        except OSError as exc:
            print(f"invoice-ocr: {name}: cannot read the file: {exc.strerror or exc}", file=sys.stderr)
            return 1
        except (ValueError, DocumentError) as exc:
            detail = getattr(exc, "detail", None) or str(exc)
            print(f"invoice-ocr: {name}: {detail}", file=sys.stderr)
            return 1
    result = match_documents(docs["invoice"] or {}, docs["purchase_order"] or {}, docs["delivery_note"])
    print(json.dumps(result, indent=2 if args.pretty else None, ensure_ascii=False))
    return 2 if result["status"] == "mismatch" else 0

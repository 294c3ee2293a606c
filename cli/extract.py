"""`invoice-ocr extract FILE ...`: run the pipeline in-process, no servers, JSON on stdout."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.options import RECOGNISERS
from pipeline.schemas import DOCUMENT_TYPES


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "extract",
        help="extract one or more files and print the result JSON",
        description=(
            "Run the extraction pipeline on each FILE in this process and print the output contract "
            "as JSON: one document for one file, JSON lines for several. Errors go to stderr as one "
            "line per file; the exit status is 1 when any file failed."
        ),
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="PDF, PNG, JPEG, WebP or TIFF file")
    p.add_argument(
        "--type",
        dest="document_type",
        choices=DOCUMENT_TYPES,
        metavar="TYPE",
        help=f"force the document type instead of detecting it ({', '.join(DOCUMENT_TYPES)})",
    )
    p.add_argument("--pretty", action="store_true", help="indent the JSON for reading")
    p.add_argument("--no-ocr", action="store_true", help="leave pages without a text layer empty")
    p.add_argument(
        "--recogniser",
        choices=RECOGNISERS,
        default=RECOGNISERS[0],
        help="OCR recognition weights: english (EasyOCR's, the default; Tesseract adds the accents) "
        "or latin5 (ours, reads German, French, Spanish and Dutch accents itself; docs/ocr.md)",
    )
    p.add_argument(
        "--no-tesseract",
        action="store_true",
        help="skip Tesseract's second reading of OCR text (faster; with english, no accented letters)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pipeline import DocumentError, Options, process_document

    options = Options(
        ocr=not args.no_ocr, ocr_recogniser=args.recogniser, ocr_second_reader=not args.no_tesseract
    )
    failed = 0
    indent = 2 if args.pretty and len(args.files) == 1 else None
    for name in args.files:
        path = Path(name)
        try:
            data = path.read_bytes()
        except OSError as exc:
            print(f"invoice-ocr: {name}: cannot read the file: {exc.strerror or exc}", file=sys.stderr)
            failed += 1
            continue
        try:
            result = process_document(
                data, filename=path.name, document_type=args.document_type, options=options
            )
        except DocumentError as exc:
            print(f"invoice-ocr: {name}: {exc.detail}", file=sys.stderr)
            failed += 1
            continue
        except Exception as exc:  # never a traceback for the user; the reason in one line
            print(f"invoice-ocr: {name}: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
            failed += 1
            continue
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=indent) + "\n")
        sys.stdout.flush()
    return 1 if failed else 0

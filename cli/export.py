"""`invoice-ocr export --format cii|ubl|csv|facturx RESULT.json|FILE -o OUT`.

The input is a result JSON (from `invoice-ocr extract` or the API), a bare CII/UBL XML, or a
document, which is extracted first. Fields the extraction was not sure of are listed on stderr
(and the exit status stays 0: the file was written, the warning is for the person importing it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

FORMATS = ("cii", "ubl", "csv", "facturx")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="write a result as CII, UBL, CSV or Factur-X",
        description=(
            "Export an extraction result as an e-invoice: UN/CEFACT CII (EN 16931), UBL 2.1, CSV (one row "
            "per line item) or a Factur-X PDF (the original with the CII embedded). INPUT is a result JSON, "
            "a CII/UBL XML, or a PDF/image (extracted first). Uncertain fields are listed on stderr."
        ),
    )
    p.add_argument("input", metavar="RESULT.json|FILE")
    p.add_argument("--format", "-f", dest="fmt", choices=FORMATS, required=True)
    p.add_argument("-o", "--output", required=True, help="output file ('-' for stdout)")
    p.add_argument("--original", help="the original PDF/image for --format facturx when INPUT is a JSON")
    p.add_argument("--delimiter", choices=[";", ",", "tab"], default=";", help="CSV field separator")
    p.add_argument("--decimal", choices=[".", ","], default=".", help="CSV decimal separator")
    p.add_argument("--no-bom", action="store_true", help="CSV without the UTF-8 byte order mark")
    p.set_defaults(func=run)


def _result_and_original(path: Path, data: bytes, original: bytes | None) -> tuple[dict, bytes | None]:
    from pipeline.load import sniff

    if data.lstrip()[:1] == b"{":
        return json.loads(data), original
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        from pipeline.einvoice import load_xml

        return load_xml(data, filename=path.name).to_result(path.name), original
    if sniff(data) is None:
        raise ValueError("INPUT is neither a result JSON, an XML e-invoice, nor a PDF or image")
    from pipeline import process_document

    return process_document(data, filename=path.name), original or data


def run(args: argparse.Namespace) -> int:
    from pipeline import DocumentError
    from pipeline.einvoice import export

    try:
        path = Path(args.input)
        data = path.read_bytes()
        original = Path(args.original).read_bytes() if args.original else None
        result, original = _result_and_original(path, data, original)
        payload, _mime, uncertain = export(
            result, args.fmt, original,
            delimiter="\t" if args.delimiter == "tab" else args.delimiter,
            bom=not args.no_bom, decimal=args.decimal,
        )
    except OSError as exc:
        print(f"invoice-ocr: {exc.filename}: cannot read the file: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except DocumentError as exc:
        print(f"invoice-ocr: {args.input}: {exc.detail}", file=sys.stderr)
        return 1
    except (ValueError, KeyError) as exc:
        print(f"invoice-ocr: {args.input}: {exc}", file=sys.stderr)
        return 1
    if args.output == "-":
        sys.stdout.buffer.write(payload)
    else:
        Path(args.output).write_bytes(payload)
    if uncertain:
        print(f"invoice-ocr: uncertain fields (check before import): {', '.join(uncertain)}", file=sys.stderr)
    return 0

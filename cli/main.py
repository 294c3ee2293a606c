"""`invoice-ocr`: extract documents locally, or run and operate the service.

Each sub-command lives in its own module and registers itself through `add_parser(subparsers)`;
heavy imports (torch, Flask, Celery) happen inside the command, so `--help` stays instant.
"""

from __future__ import annotations

import argparse
import sys

from cli import api_cmd, batch, db, export, extract, keys, match, serve, worker

COMMANDS = [extract, export, serve, api_cmd, worker, keys, db, batch, match]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="invoice-ocr",
        description=(
            "Turn invoices, receipts and other business documents (PDF, PNG, JPEG, WebP, TIFF) "
            "into typed JSON."
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMANDS:
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("invoice-ocr: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

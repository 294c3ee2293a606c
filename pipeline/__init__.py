"""invoice-ocr's pure pipeline: document bytes in, the output contract out.

No Flask, Celery, database or object storage here, so the same code serves the service, the CLI
and library callers:

    from pipeline import process_document
    result = process_document(open("invoice.pdf", "rb").read(), filename="invoice.pdf")

`process_document` is imported on first use, so `import pipeline.load` or `pipeline.schemas` (what
the API process needs) stays light.
"""

from typing import Any

from pipeline.errors import DocumentError
from pipeline.options import Options
from pipeline.version import PIPELINE_VERSION

__all__ = ["PIPELINE_VERSION", "DocumentError", "Options", "process_document"]


def __getattr__(name: str) -> Any:
    if name == "process_document":
        from pipeline.process import process_document

        return process_document
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")

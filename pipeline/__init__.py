"""invoice-ocr's pure pipeline: document bytes in, the output contract out.

No Flask, Celery, database or object storage here, so the same code serves the service, the CLI
and library callers:

    from pipeline import process_document
    result = process_document(open("invoice.pdf", "rb").read(), filename="invoice.pdf")
"""

from pipeline.errors import DocumentError
from pipeline.options import Options
from pipeline.process import process_document
from pipeline.version import PIPELINE_VERSION

__all__ = ["PIPELINE_VERSION", "DocumentError", "Options", "process_document"]

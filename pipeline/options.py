"""Limits and knobs of one pipeline run, passed in explicitly (the pipeline reads no environment).

The service's settings object and the CLI build one of these; the defaults are the documented ones.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Options:
    max_pages: int = 500
    max_pixels: int = 80_000_000  # per page image; a decompression bomb declares far more
    ocr_dpi: int = 200  # resolution PDF pages are rendered at when they need OCR
    ocr: bool = True  # False: pages without a text layer stay empty (needs_ocr) instead of OCR
    min_text_chars: int = 20  # a PDF page with fewer usable characters is treated as a scan

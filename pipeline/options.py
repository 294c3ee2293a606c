"""Limits and knobs of one pipeline run, passed in explicitly (the pipeline reads no environment).

The service's settings object and the CLI build one of these; the defaults are the documented ones.
"""

from __future__ import annotations

from dataclasses import dataclass

# The OCR recognition weights (pipeline.ocr.recognisers), the default first: English stays the
# default, since on scanned real invoices (Tesseract's second reading merged in) latin5 scored
# lower on header fields and rows than English (docs/ocr.md, sessions 12 to 14).
RECOGNISERS = ("english", "latin5")


@dataclass(frozen=True, slots=True)
class Options:
    max_pages: int = 500
    max_pixels: int = 80_000_000  # per page image; a decompression bomb declares far more
    ocr_dpi: int = 200  # resolution PDF pages are rendered at when they need OCR
    ocr: bool = True  # False: pages without a text layer stay empty (needs_ocr) instead of OCR
    min_text_chars: int = 20  # a PDF page with fewer usable characters is treated as a scan
    # which recognition weights read OCR boxes: "english", EasyOCR's english_g2, or "latin5", ours
    # with the accented letters of de/fr/es/nl (docs/ocr.md)
    ocr_recogniser: str = RECOGNISERS[0]
    # Tesseract's five-language second reading of every OCR box (docs/ocr.md step 6); off: faster,
    # and with "english" no accented letters
    ocr_second_reader: bool = True

    def __post_init__(self) -> None:
        if self.ocr_recogniser not in RECOGNISERS:
            choices = ", ".join(RECOGNISERS)
            raise ValueError(f"ocr_recogniser must be one of {choices}, got {self.ocr_recogniser!r}")

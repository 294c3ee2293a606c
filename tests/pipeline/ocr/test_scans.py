"""The benchmark's scan simulator (bench/scans.py): fast, no OCR."""

from __future__ import annotations

import numpy as np
import pymupdf

from bench.scans import degrade, known_text_page, scan_pdf
from pipeline.load import load
from pipeline.orient import estimate_layout


def test_known_page_and_degrade_are_deterministic_and_damaged() -> None:
    page = known_text_page(3, dpi=150)
    assert page.dpi == 150 and len(page.lines) > 15
    a = degrade(page.image, 7, turn=90, skew=1.0)
    b = degrade(page.image, 7, turn=90, skew=1.0)
    assert np.array_equal(np.asarray(a), np.asarray(b))
    assert a.width > a.height  # turned a quarter
    layout = estimate_layout(np.asarray(a.convert("L")))
    assert layout.turn == 90 and abs(layout.skew - 1.0) <= 0.3


def test_scan_pdf_makes_a_multipage_image_without_text() -> None:
    doc = pymupdf.open()
    for n in range(2):
        doc.new_page().insert_text((72, 72), f"Invoice page {n}", fontsize=14)
    scanned = scan_pdf(doc.tobytes(), seed=1, dpi=150)
    loaded = load(scanned)
    assert loaded.mime_type == "image/tiff"
    assert len(loaded.pages) == 2 and all(p.needs_ocr and not p.words for p in loaded.pages)

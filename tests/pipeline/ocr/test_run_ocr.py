"""EasyOCR end to end on small rendered images (slow: kept to a few runs, marked `ocr`)."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest

from pipeline.load import load
from pipeline.ocr import STAGES, run_ocr
from pipeline.options import Options
from tests.pipeline.ocr.helpers import png, text_image

pytestmark = pytest.mark.ocr

LINES = ["Invoice Number INV-4711", "Total Amount 1,234.56", "Due Date 2024-03-15"]


def _ocr(img) -> object:
    doc = load(png(img), Options())
    device = run_ocr(doc, Options())
    assert device in ("cpu", "cuda")
    return doc.pages[0]


def test_words_lines_and_confidences() -> None:
    page = _ocr(text_image(LINES))
    texts = [w.text for w in page.words]
    for expected in ("Invoice", "INV-4711", "1,234.56", "2024-03-15"):
        assert expected in texts
    assert page.orientation == 0 and not page.needs_ocr and page.text_source == "ocr"
    assert all(0.0 <= w.confidence <= 1.0 for w in page.words)
    by_text = {w.text: w for w in page.words}
    assert by_text["Invoice"].line == by_text["INV-4711"].line != by_text["Total"].line
    # Boxes are in points (image_scale pixels each), left to right inside a line, inside the page.
    assert by_text["Invoice"].x1 <= by_text["Number"].x0 + 2 < by_text["INV-4711"].x0
    assert all(0 <= w.x0 < w.x1 <= page.width and 0 <= w.y0 < w.y1 <= page.height for w in page.words)
    # The first line is printed at y ~ 40 px (22 pt at 72 dpi, baseline 39.6).
    y0, y1 = (v * page.image_scale for v in (by_text["Invoice"].y0, by_text["Invoice"].y1))
    assert 15 <= y0 < 40 < y1 <= 50


@pytest.mark.parametrize("turn", [180, 90])
def test_turned_and_skewed_pages_come_back_upright(turn: int) -> None:
    img = text_image(LINES, skew=1.5, turn=turn)
    page = _ocr(img)
    assert page.orientation == turn
    texts = [w.text for w in page.words]
    assert "INV-4711" in texts and "2024-03-15" in texts
    # Width and height are those of the corrected (upright) image, as is page.image.
    assert page.width > page.height
    upright = cv2.imdecode(np.frombuffer(page.image, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    assert upright.shape[1] / upright.shape[0] == pytest.approx(page.width / page.height, rel=0.01)
    by_text = {w.text: w for w in page.words}
    assert by_text["Invoice"].y1 < by_text["Total"].y0 < by_text["Due"].y0


def test_pages_of_one_document_read_as_each_alone() -> None:
    """A three-frame TIFF (one frame upside down, one of another size) goes through detection,
    recognition and Tesseract as one run of pages; every page reads as it does on its own."""
    frames = [text_image(LINES), text_image(["Seite 2 von 3", "Müller GmbH"], turn=180),
              text_image(["Page 3 of 3", "Total 99.00"], width=600, height=200)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:])
    doc = load(buf.getvalue(), Options())
    assert len(doc.pages) == 3
    run_ocr(doc, Options())
    for page, frame in zip(doc.pages, frames, strict=True):
        alone = _ocr(frame)
        assert [(w.text, w.line) for w in page.words] == [(w.text, w.line) for w in alone.words]
        assert [w.confidence for w in page.words] == pytest.approx([w.confidence for w in alone.words])
        assert (page.orientation, page.width, page.height) == (alone.orientation, alone.width, alone.height)
    assert doc.pages[1].orientation == 180 and "Seite" in [w.text for w in doc.pages[1].words]
    # In runs of one page (each finished after the next is recognised) the words are the same;
    # keep_images=False (the pipeline's call) drops the page images instead of keeping them.
    again = load(buf.getvalue(), Options())
    timings: dict[str, float] = {}
    run_ocr(again, Options(), pages_at_once=1, timings=timings, keep_images=False)
    for page, first in zip(again.pages, doc.pages, strict=True):
        assert [(w.text, w.line, w.x0) for w in page.words] == [(w.text, w.line, w.x0) for w in first.words]
        assert page.image is None and first.image is not None
    assert set(timings) == set(STAGES) and all(s >= 0 for s in timings.values())

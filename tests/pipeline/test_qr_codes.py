"""QR codes on a scanned page: found, read, and nothing inside them read as text (no OCR models)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image

from bench.data import SHARED_DATA, real_documents
from bench.scans import scan_pdf
from pipeline.load import load
from pipeline.model import Page
from pipeline.ocr import _prepare
from pipeline.ocr.engine import TextBox
from pipeline.ocr.lone_marks import ink, lone_marks
from pipeline.qr_codes import blanked, find_codes, flipped, outside, regions
from tests.pipeline.ocr.helpers import png

# An EPC069-12 payment code ("GiroCode") as invoices print them beside the address blocks.
_EPC = "BCD\n002\n1\nSCT\nCOBADEFFXXX\nACME GmbH\nDE89370400440532013000\nEUR12.50\n\n\nINV-1\n"


def _scanned_page(seed: int = 3) -> np.ndarray:
    """A 200 dpi strip of an invoice: two address lines left, a QR code (about 2.5 cm) in the middle,
    slightly blurred and noisy like a scan."""
    grey = np.full((700, 1600), 255, dtype=np.uint8)
    for k, text in enumerate(("Adatum Corporation", "Station Road 21", "48436 Dusseldorf")):
        cv2.putText(grey, text, (40, 120 + 60 * k), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 2)
    code = cv2.QRCodeEncoder.create().encode(_EPC)
    side = 200
    module = cv2.resize(code, (side, side), interpolation=cv2.INTER_NEAREST)
    grey[100 : 100 + side, 700 : 700 + side] = module
    grey = cv2.GaussianBlur(grey, (3, 3), 0.8)
    noise = np.random.default_rng(seed).normal(0, 6, grey.shape)
    return np.clip(grey + noise, 0, 255).astype(np.uint8)


def code_regions(grey: np.ndarray) -> list[np.ndarray]:
    return regions(find_codes(grey))


def test_a_payment_qr_code_is_found_with_its_quiet_zone_and_read() -> None:
    (code,) = find_codes(_scanned_page())
    assert code.text == _EPC
    x0, y0, x1, y1 = code.bounds
    assert 695 < x0 < 730 and 95 < y0 < 130 and 870 < x1 < 905 and 270 < y1 < 305  # the modules
    region = code.region
    x0, y0 = region.min(axis=0)
    x1, y1 = region.max(axis=0)
    assert x0 < 700 and y0 < 100 and x1 > 900 and y1 > 300  # the modules and a margin round them
    assert x0 > 650 and x1 < 950  # not the text beside it


def test_boxes_and_lone_marks_inside_a_code_are_dropped() -> None:
    grey = _scanned_page()
    regions = code_regions(grey)
    boxes = [[30, 480, 85, 135], [760, 790, 150, 180], [710, 740, 260, 290]]  # a line; two modules
    assert outside(boxes, regions) == [[30, 480, 85, 135]]
    found = [TextBox("Adatum Corporation", 30, 85, 480, 135, 0.99)]

    def in_code(marks: list[list[int]]) -> list[list[int]]:
        return [m for m in marks if 650 < (m[0] + m[1]) / 2 < 950]

    assert in_code(lone_marks(ink(grey), found))  # modules look like characters
    assert in_code(lone_marks(blanked(ink(grey), regions), found)) == []
    assert outside(boxes, []) == boxes


def test_regions_follow_a_page_turned_upside_down() -> None:
    grey = _scanned_page()
    h, w = grey.shape
    (turned,) = flipped(find_codes(grey), w, h)
    (found,) = find_codes(cv2.rotate(grey, cv2.ROTATE_180))
    assert np.abs(np.sort(turned.region, axis=0) - np.sort(found.region, axis=0)).max() < 8
    assert turned.text == found.text == _EPC


def test_pages_without_a_code_have_no_region() -> None:
    grey = _scanned_page()
    grey[:, 650:1000] = 255
    assert code_regions(grey) == []


def test_a_page_prepared_for_ocr_knows_its_codes() -> None:
    page = Page(0, 1600, 700, [], image=png(Image.fromarray(_scanned_page())), needs_ocr=True)
    assert len(_prepare(page).codes) == 1


_REAL = {d.id: d for d in real_documents()}
_CRONUS = "fx_mustang_103767_Invoice_2026_03_24_1"


@pytest.mark.skipif(_CRONUS not in _REAL, reason=f"{_CRONUS} is not in {SHARED_DATA}")
@pytest.mark.parametrize("seed", [10, 18])
def test_a_real_payment_code_is_read_on_scans_where_the_whole_page_read_fails(seed: int) -> None:
    """Scans of a real invoice whose code OpenCV finds on the page but reads only from its crop
    enlarged and binarised (`_read_again`)."""
    (page,) = load(scan_pdf(_REAL[_CRONUS].path.read_bytes(), seed)).pages
    prepared = _prepare(page)
    assert not cv2.QRCodeDetectorAruco().detectAndDecodeMulti(prepared.grey)[1][0]  # the page's read
    (code,) = prepared.codes
    assert code.text.startswith("BCD\n002\n1\nSCT\n") and "DE67 1004 8392 7221 8882 72" in code.text

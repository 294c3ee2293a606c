"""QR codes on a scanned page: found, and nothing inside them read as text (pure: no OCR models)."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from pipeline.model import Page
from pipeline.ocr import _prepare
from pipeline.ocr.codes import blanked, code_regions, flip_regions, outside
from pipeline.ocr.engine import TextBox
from pipeline.ocr.lone_marks import ink, lone_marks
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


def test_a_payment_qr_code_is_found_with_its_quiet_zone() -> None:
    (region,) = code_regions(_scanned_page())
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
    (region,) = code_regions(grey)
    h, w = grey.shape
    (turned,) = flip_regions([region], w, h)
    (found,) = code_regions(cv2.rotate(grey, cv2.ROTATE_180))
    assert np.abs(np.sort(turned, axis=0) - np.sort(found, axis=0)).max() < 8


def test_pages_without_a_code_have_no_region() -> None:
    grey = _scanned_page()
    grey[:, 650:1000] = 255
    assert code_regions(grey) == []


def test_a_page_prepared_for_ocr_knows_its_codes() -> None:
    page = Page(0, 1600, 700, [], image=png(Image.fromarray(_scanned_page())), needs_ocr=True)
    assert len(_prepare(page).codes) == 1

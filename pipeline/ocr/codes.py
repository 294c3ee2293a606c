"""QR codes on a page: where they are, so that OCR reads none of their modules as text.

Why: a payment QR code ("scan to pay", EPC069-12 / GiroCode, the Swiss QR-bill) printed between
the customer's and the vendor's address blocks was read as a column of "D", "4", "'D", "1", "8"
boxes; the lines they made cut the vendor's address block in two on every scan of one real
invoice (its text layer has the code as an image, no text). OpenCV's ArUco-based QR detector
finds the code's corners at 150-300 dpi with scan noise, where its classic detector missed one
scan in three; on 20 scanned synthetic invoices and the 4 real invoice images without a code it
found none, in about 30 ms a page (docs/ocr.md).
"""

from __future__ import annotations

import logging

import cv2
import numpy as np

log = logging.getLogger(__name__)

# The quiet zone around the modules, as a share of the code's side on each side: a detected box
# whose middle falls in it is the code's too.
_QUIET_ZONE = 0.1

Region = np.ndarray  # a code's four corners grown by its quiet zone, float32 (4, 2), image pixels


def code_regions(grey: np.ndarray) -> list[Region]:
    """The QR codes of a page image (8-bit grey), each as its quadrilateral with its quiet zone."""
    try:
        found, corners = cv2.QRCodeDetectorAruco().detectMulti(grey)
    except cv2.error as exc:  # a detector failure costs the filtering, never the page
        log.warning("QR code detection failed: %s", exc)
        return []
    if not found or corners is None:
        return []
    regions = []
    for quad in np.asarray(corners, dtype=np.float32).reshape(-1, 4, 2):
        centre = quad.mean(axis=0)
        regions.append(centre + (quad - centre) * (1 + 2 * _QUIET_ZONE))
    return regions


def _inside(regions: list[Region], x: float, y: float) -> bool:
    return any(cv2.pointPolygonTest(r, (float(x), float(y)), False) >= 0 for r in regions)


def outside(boxes: list[list[int]], regions: list[Region]) -> list[list[int]]:
    """Detector boxes `[x_min, x_max, y_min, y_max]` whose middle is in no code."""
    if not regions:
        return boxes
    return [b for b in boxes if not _inside(regions, (b[0] + b[1]) / 2, (b[2] + b[3]) / 2)]


def blanked(binary: np.ndarray, regions: list[Region]) -> np.ndarray:
    """The page's ink map with the codes' areas cleared (a copy when there is any), so that no
    module is taken for a lone character."""
    if not regions:
        return binary
    out = binary.copy()
    cv2.fillPoly(out, [np.round(r).astype(np.int32) for r in regions], 0)
    return out


def flip_regions(regions: list[Region], width: int, height: int) -> list[Region]:
    """The regions as they lie on the page turned by 180 degrees."""
    return [np.stack([width - r[:, 0], height - r[:, 1]], axis=1) for r in regions]

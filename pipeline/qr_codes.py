"""QR codes on a page image: where they are, and what they say.

Why where: a payment QR code ("scan to pay", EPC069-12 / GiroCode, the Swiss QR-bill) printed between
the customer's and the vendor's address blocks was read as a column of "D", "4", "'D", "1", "8"
boxes; the lines they made cut the vendor's address block in two on every scan of one real
invoice (its text layer has the code as an image, no text). OpenCV's ArUco-based QR detector
finds the code's corners at 150-300 dpi with scan noise, where its classic detector missed one
scan in three; on 20 scanned synthetic invoices and the 4 real invoice images without a code it
found none, in about 30 ms a page (docs/ocr.md). OCR reads no text inside a code (`outside`,
`blanked`).

Why what: a payment code carries the payee's IBAN, BIC, name and the amount as the ERP needs
them, behind Reed-Solomon error correction: where the printed IBAN is misread on a scan, the code's
is not (`pipeline.extract.payment_code` reads the payload). The same detector reads the codes of
born-digital pages (`pipeline.load`), rendered from the images they are printed as.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cv2
import numpy as np

log = logging.getLogger(__name__)

# The quiet zone around the modules, as a share of the code's side on each side: a detected box
# whose middle falls in it is the code's too.
_QUIET_ZONE = 0.1

Region = np.ndarray  # a code's four corners grown by its quiet zone, float32 (4, 2), image pixels


@dataclass(frozen=True, slots=True)
class Code:
    """A QR code found on a page image."""

    corners: np.ndarray  # the modules' four corners, float32 (4, 2), image pixels
    text: str  # the decoded payload; "" where the modules were found but could not be read

    @property
    def region(self) -> Region:
        """The corners grown by the quiet zone: a box whose middle is in it belongs to the code."""
        centre = self.corners.mean(axis=0)
        return centre + (self.corners - centre) * (1 + 2 * _QUIET_ZONE)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """The modules' upright box (x0, y0, x1, y1) in image pixels."""
        (x0, y0), (x1, y1) = self.corners.min(axis=0), self.corners.max(axis=0)
        return float(x0), float(y0), float(x1), float(y1)


def find_codes(grey: np.ndarray) -> list[Code]:
    """The QR codes of a page image (8-bit grey), read where their modules allow."""
    try:
        found, texts, corners, _ = cv2.QRCodeDetectorAruco().detectAndDecodeMulti(grey)
    except cv2.error as exc:  # a detector failure costs the filtering, never the page
        log.warning("QR code detection failed: %s", exc)
        return []
    if not found or corners is None:
        return []
    quads = np.asarray(corners, dtype=np.float32).reshape(-1, 4, 2)
    codes = [Code(quad, text or "") for quad, text in zip(quads, texts, strict=True)]
    return [c if c.text else Code(c.corners, _read_again(grey, c)) for c in codes]


def _read_again(grey: np.ndarray, code: Code) -> str:
    """The text of a code found but not read on the page, from its crop: as it is, enlarged, and
    enlarged and binarised, by either of OpenCV's detectors, until one reads it.

    Why: on scans at 150-200 dpi a module is 3-4 pixels wide and blurred. The whole-page read
    failed on 12 of 44 scans of a real invoice's payment code; each of these ways read some of
    them, all together all 12 (docs/ocr.md, session 29). Only codes that were not read pay for it.
    """
    h, w = grey.shape[:2]
    (x0, y0), (x1, y1) = np.floor(code.region.min(axis=0)), np.ceil(code.region.max(axis=0))
    crop = np.ascontiguousarray(grey[max(0, int(y0)) : min(h, int(y1)), max(0, int(x0)) : min(w, int(x1))])
    if crop.size == 0:
        return ""
    detectors = (cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco())
    for scale, binarise in _READ_AGAIN:
        image = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        if binarise:
            image = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]
        for detector in detectors:
            try:
                text, _, _ = detector.detectAndDecode(image)
            except cv2.error:
                continue
            if text:
                return text
    return ""


# (scale, binarised with Otsu's threshold) of the crop, in the order `_read_again` tries them.
_READ_AGAIN = ((1, False), (2, False), (2, True), (4, False), (4, True))


def regions(codes: list[Code]) -> list[Region]:
    return [c.region for c in codes]


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


def flipped(codes: list[Code], width: int, height: int) -> list[Code]:
    """The codes as they lie on the page turned by 180 degrees."""
    return [Code(np.stack([width - c.corners[:, 0], height - c.corners[:, 1]], axis=1), c.text)
            for c in codes]

"""Plain data passed between pipeline stages.

Every stage after `load`/`ocr` sees the same word model whether the words came from a PDF text
layer or from OCR, so classification, tables and extraction never need to know the source.
Coordinates are in page units (PDF points for PDFs, pixels for images) with the origin at the
top-left; `Page.normalise` maps them to the 0..1 boxes of the output contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

BBox = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Word:
    """One word with its box on a page; `line` groups words the source put on one text line."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    page: int
    confidence: float = 1.0
    block: int = 0
    line: int = 0

    @property
    def bbox(self) -> BBox:
        return (self.x0, self.y0, self.x1, self.y1)

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True, slots=True)
class PageCode:
    """A QR code printed on a page, read: its text and its box in page units."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def bbox(self) -> BBox:
        return (self.x0, self.y0, self.x1, self.y1)


@dataclass(slots=True)
class Page:
    """One page: its size, its words, and where the words came from."""

    index: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    text_source: str = "pdf_text"  # "pdf_text" | "ocr"
    orientation: int = 0  # degrees the page was turned to read it upright
    needs_ocr: bool = False
    image: bytes | None = None  # encoded page (PNG, or the upload's own PNG/JPEG/WebP), OCR pages only
    # Pixels of `image` per inch when known (a rendered PDF page, an image's own resolution tag);
    # OCR uses it to put its words in points, like a text layer's (pipeline.ocr.words.pixels_per_point).
    dpi: float | None = None
    # The camera's focal length in pixels of `image`, where a photo's EXIF gives it (pipeline.load);
    # a sheet running out of a photo is flattened with it (pipeline.photo).
    focal: float | None = None
    # Pixels of `image` per page unit: 1 until OCR puts the page's words in points.
    image_scale: float = 1.0
    # QR codes read on the page (pipeline.qr_codes): a payment code's IBAN, payee and amount are
    # evidence that scanning cannot garble (pipeline.extract.payment_code).
    codes: list[PageCode] = field(default_factory=list)
    # Lines and segments built from `words` (pipeline.layout), kept so that the stages that read the
    # same grouping share one computation; not part of the page's value.
    layout_cache: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def normalise(self, box: BBox) -> list[float]:
        """Map a box in page units to the contract's [x0, y0, x1, y1] in 0..1, top-left origin."""
        x0, y0, x1, y1 = box
        w, h = self.width or 1.0, self.height or 1.0
        return [
            round(min(max(x0 / w, 0.0), 1.0), 4),
            round(min(max(y0 / h, 0.0), 1.0), 4),
            round(min(max(x1 / w, 0.0), 1.0), 4),
            round(min(max(y1 / h, 0.0), 1.0), 4),
        ]


@dataclass(slots=True)
class LoadedDocument:
    """What `load` returns: the detected file type and its pages."""

    mime_type: str
    pages: list[Page]
    embedded_files: dict[str, bytes] = field(default_factory=dict)

    @property
    def words(self) -> list[Word]:
        return [w for p in self.pages for w in p.words]


@dataclass(slots=True)
class Evidence:
    """A value found on the page with what proves it (the `fields` entry of the contract)."""

    value: Any
    raw: str | None = None
    confidence: float = 0.0
    page: int | None = None
    bbox: BBox | None = None  # page units; normalised when the result is written

    @classmethod
    def from_words(cls, value: Any, words: list[Word], confidence: float, raw: str | None = None) -> Evidence:
        """Evidence spanning `words` (all on one page); the raw text defaults to the words joined."""
        if not words:
            return cls(value=value, raw=raw, confidence=confidence)
        box = (
            min(w.x0 for w in words),
            min(w.y0 for w in words),
            max(w.x1 for w in words),
            max(w.y1 for w in words),
        )
        ocr_conf = min(w.confidence for w in words)
        return cls(
            value=value,
            raw=raw if raw is not None else " ".join(w.text for w in words),
            confidence=round(min(confidence, confidence * (0.5 + 0.5 * ocr_conf)), 4),
            page=words[0].page,
            bbox=box,
        )


def union_bbox(boxes: list[BBox]) -> BBox | None:
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )

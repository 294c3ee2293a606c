"""Stage 1: bytes -> pages of words.

The file type comes from the magic bytes, never from the name. PDF pages with a usable text layer
yield their words straight from PyMuPDF (no OCR); pages without one, and every image, are marked
`needs_ocr` and carry a PNG rendering for the OCR stage.
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING

import pymupdf

from pipeline.errors import CorruptDocument, EncryptedDocument, LimitExceeded, UnsupportedType
from pipeline.model import LoadedDocument, Page, PageCode, Word
from pipeline.options import Options

if TYPE_CHECKING:
    from PIL.Image import Image

pymupdf.TOOLS.mupdf_display_errors(False)

_MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
]

SUPPORTED_TYPES = (
    "application/pdf", "image/png", "image/jpeg", "image/webp", "image/tiff", "application/xml",
)
_ARCHIVES = (b"PK\x03\x04", b"PK\x05\x06", b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b")
BARE_XML_NAME = "upload.xml"  # the key a bare XML upload gets in `embedded_files`


def sniff(data: bytes) -> str | None:
    """The MIME type the bytes really are, or None when unsupported."""
    head = data[:1024]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    for magic, mime in _MAGIC:
        if head.startswith(magic):
            return mime
    # An archive that stores a PDF uncompressed carries "%PDF-" in its first 1 KB too: not a PDF.
    if head.startswith(_ARCHIVES):
        return None
    # Some PDF writers put junk before the header; the spec allows the header in the first 1 KB.
    if b"%PDF-" in head:
        return "application/pdf"
    # XML e-invoices (CII, UBL): "<" after an optional BOM and whitespace; UTF-16 by its BOM.
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<" or head[:3] in (b"\xff\xfe<", b"\xfe\xff\x00"):
        return "application/xml"
    return None


def load(data: bytes, options: Options | None = None) -> LoadedDocument:
    """Read `data` into pages; raise a DocumentError subclass with a clear reason on bad input."""
    options = options or Options()
    if not data:
        raise CorruptDocument("the file is empty")
    mime = sniff(data)
    if mime is None:
        raise UnsupportedType("unsupported file type: expected PDF, PNG, JPEG, WebP, TIFF or XML")
    if mime == "application/xml":
        from pipeline.einvoice import load_xml

        try:
            load_xml(data)  # refuses malformed, hostile and non-invoice XML here, with a clear reason
        except CorruptDocument:
            if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml"):  # HTML, SVG, text ...
                raise UnsupportedType(
                    "unsupported file type: expected PDF, PNG, JPEG, WebP, TIFF or XML"
                ) from None
            raise
        return LoadedDocument(mime_type=mime, pages=[], embedded_files={BARE_XML_NAME: data})
    if mime == "application/pdf":
        return _load_pdf(data, options)
    return _load_image(data, mime, options)


def _open_pdf(data: bytes) -> pymupdf.Document:
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises several types for broken files
        raise CorruptDocument(f"the PDF cannot be read: {exc}") from None
    if doc.needs_pass and not doc.authenticate(""):
        raise EncryptedDocument("the PDF is encrypted with a password")
    if doc.page_count == 0:
        raise CorruptDocument("the PDF has no pages")
    return doc


def _load_pdf(data: bytes, options: Options) -> LoadedDocument:
    doc = _open_pdf(data)
    if doc.page_count > options.max_pages:
        raise LimitExceeded(f"the PDF has {doc.page_count} pages; the limit is {options.max_pages}")
    pages: list[Page] = []
    try:
        for index in range(doc.page_count):
            pdf_page = doc.load_page(index)
            rect = pdf_page.rect
            words = [
                Word(text=w[4], x0=w[0], y0=w[1], x1=w[2], y1=w[3], page=index, block=w[5], line=w[6])
                for w in pdf_page.get_text("words", sort=False)
                if w[4].strip()
            ]
            page = Page(index=index, width=rect.width, height=rect.height, words=words)
            if not _usable_text(words, options):
                page.words = []
                page.needs_ocr = True
                page.text_source = "ocr"
                zoom = options.ocr_dpi / 72
                if rect.width * zoom * rect.height * zoom > options.max_pixels:
                    zoom = (options.max_pixels / (rect.width * rect.height)) ** 0.5
                pix = pdf_page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csRGB)
                page.image = _png(pix.samples_mv, pix.height, pix.width, pix.stride)
                page.dpi = zoom * 72
            else:
                page.codes = _codes_in_images(pdf_page)
            pages.append(page)
        embedded = _embedded_files(doc)
    except (EncryptedDocument, LimitExceeded):
        raise
    except Exception as exc:
        raise CorruptDocument(f"the PDF is damaged: {exc}") from None
    finally:
        doc.close()
    return LoadedDocument(mime_type="application/pdf", pages=pages, embedded_files=embedded)


def _usable_text(words: list[Word], options: Options) -> bool:
    """A text layer is usable when it has enough characters and few unmapped glyphs."""
    text = "".join(w.text for w in words)
    if len(text) < options.min_text_chars:
        return False
    bad = sum(1 for c in text if c == "\ufffd" or (ord(c) < 32))
    return bad / len(text) < 0.1


# A printed QR code is square and about 1 cm a side or more (the Swiss QR-bill's is 4.6 cm);
# images of other shapes or smaller are logos, signatures and photos.
_CODE_MIN_SIDE = 25.0  # points
_CODE_SQUARENESS = 1.2  # longer side / shorter side
# The code is rendered so that its side is this many pixels: about 2.6 pixels a module for the
# largest codes an invoice prints (version 13: 69 modules and the quiet zone), which a clean
# rendering still reads (a code found and not read is read again larger: `qr_codes._read_again`);
# each pixel more costs rendering time (a 113-point logo: 7 ms at 200 pixels, 11 ms at 300).
_CODE_PIXELS = 200
_CODE_MARGIN = 0.15  # white rendered round the image, a share of its side: the quiet zone


def _codes_in_images(pdf_page: pymupdf.Page) -> list[PageCode]:
    """The QR codes a text-layer page prints as images, read from the page rendered at each
    square image (what the reader sees: masks, rotation and colour spaces applied).

    Why not every page rendered whole: that costs tens of milliseconds a page of a born-digital
    document, which otherwise loads in a few; codes drawn as vector paths are therefore not read.
    """
    # The page's resources first: reading them is cheap, where placing its images parses its content
    # (1-2.5 ms a page). A code's image is square in pixels too, and 21 or more a side (version 1).
    if not any(_square(img[2], img[3], 21) for img in pdf_page.get_images()):
        return []
    squares = []
    for info in pdf_page.get_image_info():
        rect = pymupdf.Rect(info["bbox"]) & pdf_page.rect
        if _square(rect.width, rect.height, _CODE_MIN_SIDE):
            squares.append((rect, max(rect.width, rect.height)))
    if not squares:
        return []
    import numpy as np  # imported here: only pages that print square images need them

    from pipeline.qr_codes import find_codes

    found: list[PageCode] = []
    for rect, side in squares:
        margin = _CODE_MARGIN * side
        clip = pymupdf.Rect(rect.x0 - margin, rect.y0 - margin, rect.x1 + margin, rect.y1 + margin)
        zoom = _CODE_PIXELS / side
        pix = pdf_page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), clip=clip, colorspace=pymupdf.csGRAY)
        grey = np.frombuffer(pix.samples_mv, dtype=np.uint8).reshape(pix.height, pix.stride)[:, : pix.width]
        for code in find_codes(np.ascontiguousarray(grey)):
            if code.text:
                x0, y0, x1, y1 = code.bounds
                found.append(PageCode(code.text, clip.x0 + x0 / zoom, clip.y0 + y0 / zoom,
                                      clip.x0 + x1 / zoom, clip.y0 + y1 / zoom))
    return found


def _square(width: float, height: float, least: float) -> bool:
    short, long_ = sorted((width, height))
    return short >= least and long_ <= _CODE_SQUARENESS * short


def _embedded_files(doc: pymupdf.Document) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for name in doc.embfile_names():
        try:
            files[name] = doc.embfile_get(name)
        except Exception:  # a broken attachment must not break the visual extraction
            continue
    return files


def _load_image(data: bytes, mime: str, options: Options) -> LoadedDocument:
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = None  # we enforce our own limit below, before decoding
    try:
        img = Image.open(io.BytesIO(data))
    except Exception as exc:
        raise CorruptDocument(f"the image cannot be read: {exc}") from None
    try:
        frames = getattr(img, "n_frames", 1)  # walks a TIFF's directories: broken ones raise here
    except Exception as exc:
        raise CorruptDocument(f"the image is damaged: {exc}") from None
    if frames > options.max_pages:
        raise LimitExceeded(f"the image has {frames} frames; the limit is {options.max_pages}")
    pages: list[Page] = []
    for index in range(frames):
        try:
            img.seek(index)
            w, h = img.size
            if w * h > options.max_pixels:
                raise LimitExceeded(
                    f"page {index + 1} is {w} x {h} pixels; the limit is {options.max_pixels} pixels"
                )
            frame = ImageOps.exif_transpose(img.copy()) if index == 0 else img.copy()
            frame = frame.convert("RGB")
        except LimitExceeded:
            raise
        except Exception as exc:
            raise CorruptDocument(f"the image is damaged: {exc}") from None
        if frames == 1 and _usable_as_is(img):
            encoded = data
        else:
            encoded = _png(frame.tobytes(), frame.height, frame.width, 3 * frame.width)
        pages.append(
            Page(
                index=index,
                width=float(frame.width),
                height=float(frame.height),
                text_source="ocr",
                needs_ocr=True,
                image=encoded,
                dpi=_resolution(img),
                focal=_focal_length(img, frame.width, frame.height),
            )
        )
    return LoadedDocument(mime_type=mime, pages=pages)


def _png(rgb: bytes | memoryview, height: int, width: int, stride: int) -> bytes:
    """PNG of RGB pixels (`stride` bytes a row), written by OpenCV.

    Why not PyMuPDF's or Pillow's PNG writer: on a scanned A4 page at 200 dpi they took 360-1000 ms
    (Pillow 500-1800 ms for a TIFF frame), OpenCV's 65-190 ms, for about 1.5 times the bytes
    (docs/ocr.md, session 27). The pixels are the same; OCR decodes them with OpenCV anyway.
    """
    import cv2  # imported here: only pages that need OCR are encoded
    import numpy as np

    rows = np.frombuffer(rgb, dtype=np.uint8).reshape(height, stride)[:, : 3 * width]
    ok, png = cv2.imencode(".png", cv2.cvtColor(rows.reshape(height, width, 3), cv2.COLOR_RGB2BGR))
    if not ok:
        raise CorruptDocument("the page image cannot be encoded")
    return png.tobytes()


def _resolution(img: Image) -> float | None:
    """The image's own pixels per inch, when it states one a scanner would use (100-1200).

    Why the floor: 72 and 96 are what cameras, screenshots and most software write when they know
    nothing; a phone photo tagged 72 dpi is not a page 72 pixels per inch wide.
    """
    dpi = img.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        return None
    return value if 100 <= value <= 1200 else None


FILM_DIAGONAL_MM = 43.27  # a 35 mm film frame's (36 x 24 mm), which a 35 mm equivalent refers to


def _focal_length(img: Image, width: int, height: int) -> float | None:
    """The camera's focal length in pixels of the width x height page, from the photo's EXIF
    (FocalLengthIn35mmFilm, over the diagonal), or None where it does not say or the photo has
    been cut to another shape since it was taken (its recorded size has another aspect).

    Why: where a sheet runs out of the photo, the sides beyond the frame are drawn from the
    camera's geometry, and the sheet's proportions taken from its corners need it where they
    leave it open (pipeline.photo). Phones record it: a main camera is 24-28 mm (0.7-0.8 times a
    4:3 photo's long side), a 2-3x camera 48-77 mm; without it 35 mm (1x) is assumed.
    """
    from PIL.ExifTags import IFD, Base

    try:
        exif = img.getexif().get_ifd(IFD.Exif)
        film = float(exif.get(Base.FocalLengthIn35mmFilm) or 0)
        shot = sorted((int(exif.get(Base.ExifImageWidth) or 0), int(exif.get(Base.ExifImageHeight) or 0)))
    except Exception:  # a broken EXIF block costs the hint, not the page
        return None
    if not 10 <= film <= 400:
        return None
    short, long = sorted((width, height))
    if shot[0] > 0 and abs(shot[1] / shot[0] - long / short) > 0.01 * long / short:
        return None
    return film / FILM_DIAGONAL_MM * math.hypot(width, height)


def _usable_as_is(img: Image) -> bool:
    """True when the uploaded bytes can serve as the page image without re-encoding.

    Why: writing a scan's noisy pixels as PNG again took 0.5-0.75 s of an A4 page's 5 s of OCR.
    Only plain RGB or grey PNG/JPEG/WebP that nothing needs to change: no EXIF turn (OpenCV would
    apply it where we did not), no palette or transparency (decoded differently by OpenCV and PIL).
    """
    if img.format not in ("PNG", "JPEG", "WEBP") or img.mode not in ("RGB", "L"):
        return False
    return "transparency" not in img.info and img.getexif().get(0x0112, 1) == 1

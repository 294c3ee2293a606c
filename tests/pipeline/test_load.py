"""The loader: real type from the bytes, text layer vs OCR pages, limits, clear errors."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pymupdf
import pytest
from PIL import Image

from pipeline.errors import CorruptDocument, EncryptedDocument, LimitExceeded, UnsupportedType
from pipeline.load import load, sniff
from pipeline.options import Options


def _pdf(pages: list[str]) -> bytes:
    doc = pymupdf.open()
    for text in pages:
        page = doc.new_page(width=595, height=842)
        if text:
            page.insert_text((72, 100), text, fontsize=11)
    return doc.tobytes()


def _image(fmt: str, size=(300, 120), frames: int = 1) -> bytes:
    buf = io.BytesIO()
    imgs = [Image.new("RGB", size, (255, 255, 255)) for _ in range(frames)]
    if frames > 1:
        imgs[0].save(buf, format=fmt, save_all=True, append_images=imgs[1:])
    else:
        imgs[0].save(buf, format=fmt)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("fmt", "mime"),
    [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp"), ("TIFF", "image/tiff")],
)
def test_images_are_sniffed_from_bytes_and_become_ocr_pages(fmt: str, mime: str) -> None:
    data = _image(fmt)
    assert sniff(data) == mime
    doc = load(data)
    assert doc.mime_type == mime
    assert len(doc.pages) == 1
    page = doc.pages[0]
    assert page.needs_ocr and page.text_source == "ocr" and page.words == []
    assert (page.width, page.height) == (300, 120)
    assert page.image is not None
    # a plain PNG/JPEG/WebP is kept as uploaded (no re-encoding); a TIFF frame becomes PNG
    assert page.image == data if fmt != "TIFF" else page.image.startswith(b"\x89PNG")
    decoded = cv2.imdecode(np.frombuffer(page.image, dtype=np.uint8), cv2.IMREAD_COLOR)
    assert decoded.shape[:2] == (120, 300)


def test_images_that_need_changing_are_written_again_as_png() -> None:
    buf = io.BytesIO()
    Image.new("P", (300, 120)).save(buf, format="PNG")  # palette
    assert load(buf.getvalue()).pages[0].image.startswith(b"\x89PNG")
    buf = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # taken turned: PIL turns it upright, so the bytes cannot serve as they are
    Image.new("RGB", (300, 120), (255, 255, 255)).save(buf, format="JPEG", exif=exif)
    page = load(buf.getvalue()).pages[0]
    assert page.image.startswith(b"\x89PNG") and (page.width, page.height) == (120, 300)


def test_multi_page_tiff_gives_one_page_per_frame() -> None:
    doc = load(_image("TIFF", frames=3))
    assert [p.index for p in doc.pages] == [0, 1, 2]


def test_pdf_text_layer_gives_words_with_boxes_and_no_ocr() -> None:
    doc = load(_pdf(["Invoice number RE-2024-0815 total 583.10 EUR"]))
    page = doc.pages[0]
    assert not page.needs_ocr and page.text_source == "pdf_text" and page.image is None
    texts = [w.text for w in page.words]
    assert texts[:3] == ["Invoice", "number", "RE-2024-0815"]
    word = page.words[0]
    assert 70 <= word.x0 < word.x1 < 200 and 80 < word.y0 < word.y1 < 110
    assert page.normalise(word.bbox)[0] == pytest.approx(word.x0 / 595, abs=1e-3)


def test_pdf_page_without_text_is_rendered_for_ocr_only_where_needed() -> None:
    doc = load(_pdf(["This page has a proper text layer with enough characters.", ""]))
    assert [p.needs_ocr for p in doc.pages] == [False, True]
    rendered = Image.open(io.BytesIO(doc.pages[1].image))
    assert rendered.size == (round(595 * 200 / 72), round(842 * 200 / 72))


def test_pages_written_as_png_hold_the_pixels_rendered_or_uploaded() -> None:
    """The OCR stage reads exactly what PyMuPDF rendered and what the TIFF frame holds: the PNG
    is OpenCV's (faster than PyMuPDF's and Pillow's writers), channels in RGB order, and a
    pixmap's row padding (`stride`) left out."""
    rng = np.random.default_rng(3)
    pixels = rng.integers(0, 256, size=(61, 83, 3), dtype=np.uint8)  # odd width: rows padded in PDFs
    doc = pymupdf.open()
    page = doc.new_page(width=83 * 72 / 200, height=61 * 72 / 200)
    page.insert_image(page.rect, pixmap=pymupdf.Pixmap(pymupdf.csRGB, 83, 61, pixels.tobytes(), False))
    pdf = doc.tobytes()
    rendered = pymupdf.open(stream=pdf, filetype="pdf")[0].get_pixmap(
        matrix=pymupdf.Matrix(200 / 72, 200 / 72), colorspace=pymupdf.csRGB)
    expected = np.frombuffer(rendered.samples, np.uint8).reshape(rendered.height, rendered.stride)
    expected = expected[:, : 3 * rendered.width].reshape(rendered.height, rendered.width, 3)
    image = load(pdf).pages[0].image
    assert image.startswith(b"\x89PNG")
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(image)).convert("RGB")), expected)
    buf = io.BytesIO()
    frames = [Image.fromarray(pixels), Image.fromarray(pixels[::-1].copy())]
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:])
    for got, want in zip(load(buf.getvalue()).pages, (pixels, pixels[::-1]), strict=True):
        assert np.array_equal(np.asarray(Image.open(io.BytesIO(got.image)).convert("RGB")), want)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", CorruptDocument),
        (b"PK\x03\x04 this is a zip", UnsupportedType),
        (b"<html><body>not a pdf</body></html>", UnsupportedType),
        (b"%PDF-1.7\n1 0 obj broken", CorruptDocument),
        (b"\x89PNG\r\n\x1a\n\x00\x00garbage", CorruptDocument),
    ],
)
def test_bad_input_raises_a_clear_error(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        load(data)
    assert info.value.detail and "\n" not in info.value.detail


def test_truncated_pdf_is_an_error_or_readable_never_a_crash() -> None:
    data = _pdf(["Invoice 42 with a total of 10.00 EUR and some more words"])
    try:
        doc = load(data[: len(data) // 2])
    except CorruptDocument:
        return
    assert doc.pages  # MuPDF repaired it: fine, as long as it is usable


def test_encrypted_pdf_is_refused() -> None:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "secret invoice")
    data = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="pw", owner_pw="owner")
    with pytest.raises(EncryptedDocument):
        load(data)


def test_page_limit() -> None:
    with pytest.raises(LimitExceeded, match="3 pages"):
        load(_pdf(["a"] * 3), Options(max_pages=2))


def test_decompression_bomb_is_refused_before_decoding() -> None:
    buf = io.BytesIO()
    Image.new("1", (6000, 6000)).save(buf, format="PNG")  # a few KB, 36 megapixels
    assert len(buf.getvalue()) < 50_000
    with pytest.raises(LimitExceeded, match="pixels"):
        load(buf.getvalue(), Options(max_pixels=10_000_000))


def test_a_scanners_resolution_is_kept_a_cameras_default_is_not() -> None:
    def tagged(dpi: int, fmt: str) -> bytes:
        buf = io.BytesIO()
        Image.new("RGB", (300, 120), (255, 255, 255)).save(buf, format=fmt, dpi=(dpi, dpi))
        return buf.getvalue()

    assert load(tagged(300, "TIFF")).pages[0].dpi == pytest.approx(300)
    assert load(tagged(300, "PNG")).pages[0].dpi == pytest.approx(300, abs=0.1)  # stored per metre
    assert load(tagged(72, "JPEG")).pages[0].dpi is None
    assert load(_image("PNG")).pages[0].dpi is None


def test_a_phones_focal_length_comes_from_its_exif_where_the_photo_keeps_its_shape() -> None:
    """FocalLengthIn35mmFilm is over the 35 mm frame's diagonal (43.27 mm): 26 mm on a 4000 x
    3000 photo is 26 / 43.27 x 5000 pixels, and the same on the photo turned upright by its EXIF
    or scaled down. Cut to another shape since, the photo no longer has its camera's middle."""

    def shot(size: tuple[int, int], mm: int | None, recorded: tuple[int, int] | None = None,
             turn: int = 1) -> bytes:
        exif = Image.Exif()
        exif[0x0112] = turn
        camera = exif.get_ifd(0x8769)
        if mm is not None:
            camera[0xA405] = mm
        if recorded:
            camera[0xA002], camera[0xA003] = recorded
        buf = io.BytesIO()
        Image.new("RGB", size, (200, 200, 200)).save(buf, format="JPEG", exif=exif)
        return buf.getvalue()

    assert load(shot((800, 600), 26, (4000, 3000))).pages[0].focal == pytest.approx(26 / 43.27 * 1000)
    (upright,) = load(shot((800, 600), 26, (4000, 3000), turn=6)).pages  # held sideways
    assert (upright.width, upright.height, upright.focal) == (600, 800, pytest.approx(26 / 43.27 * 1000))
    assert load(shot((800, 600), 52)).pages[0].focal == pytest.approx(52 / 43.27 * 1000)
    assert load(shot((800, 800), 26, (4000, 3000))).pages[0].focal is None  # cut square
    assert load(shot((800, 600), None)).pages[0].focal is None
    assert load(shot((800, 600), 0)).pages[0].focal is None  # "unknown", as some cameras write
    assert load(_image("PNG")).pages[0].focal is None


def test_a_scanned_pdf_page_knows_the_resolution_it_was_rendered_at() -> None:
    doc = pymupdf.open()
    doc.new_page(width=595, height=842)
    page = load(doc.tobytes(), Options(ocr_dpi=150)).pages[0]
    assert page.needs_ocr and page.dpi == pytest.approx(150)

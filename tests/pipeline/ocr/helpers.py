"""Small rendered text images with known content, for the OCR and orientation tests."""

from __future__ import annotations

import io

import numpy as np
import pymupdf
from PIL import Image


def text_image(lines: list[str], width: int = 800, height: int = 300, fontsize: float = 22,
               skew: float = 0.0, turn: int = 0) -> Image.Image:
    """White image with `lines` printed left-aligned; `skew` and `turn` are counter-clockwise degrees."""
    doc = pymupdf.open()
    page = doc.new_page(width=width, height=height)
    y = fontsize * 1.8
    for line in lines:
        page.insert_text((30, y), line, fontname="helv", fontsize=fontsize)
        y += fontsize * 1.9
    pix = page.get_pixmap(dpi=72, colorspace=pymupdf.csRGB)
    img = Image.open(io.BytesIO(pix.tobytes("png"))).convert("RGB")
    doc.close()
    if skew:
        img = img.rotate(skew, resample=Image.BICUBIC, expand=True, fillcolor=(255, 255, 255))
    if turn:
        img = img.rotate(turn, expand=True)
    return img


def png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def grey(img: Image.Image) -> np.ndarray:
    return np.asarray(img.convert("L"))

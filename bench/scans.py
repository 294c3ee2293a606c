"""Known-text pages and the scanner/phone damage that OCR has to survive.

`known_text_page` renders invoice-like text (names and addresses with accents, amounts, dates)
with PyMuPDF so the benchmarks know the exact text; `degrade` turns a clean rendering into what a
cheap scanner or a phone delivers: 150-300 dpi, up to +-2 degrees of skew, blur, noise, JPEG
artefacts and, for some pages, a 90/180/270 degree turn. Both are deterministic per seed so a
benchmark run can be repeated exactly.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

import numpy as np
import pymupdf
from PIL import Image, ImageFilter

A4 = (595.0, 842.0)

_FIRST = ["Müller", "Søren", "José", "François", "Jürgen", "Hélène", "Anna", "Peter", "Zoë", "Iñigo",
          "Björn", "Jan", "Chloé", "Mark", "Lucía", "Maarten", "Renée", "Günther", "Ana", "Sarah"]
_COMPANY = ["Müller & Söhne GmbH", "Café Crème SARL", "Señor Niño S.L.", "Groß Bäckerei KG",
            "Hoogeveen Techniek B.V.", "Acme Supplies Ltd", "Château Forêt SAS", "Peñalver Hermanos SA",
            "Weiß Elektro GmbH", "Northwind Traders Inc", "Brouwerij de Kroon B.V.", "Garçon & Cie"]
_STREET = ["Hauptstraße", "Rue de la Paix", "Calle Mayor", "Königsallee", "Kerkstraat", "Main Street",
           "Avenue des Champs-Élysées", "Schloßweg", "Plaza de España", "Müllerstraße", "Öhringer Weg"]
_CITY = ["München", "Zürich", "Besançon", "Málaga", "Den Haag", "London", "Köln", "Genève", "Düsseldorf",
         "A Coruña", "Nürnberg", "Orléans"]
_ITEMS = ["Beratung Projektphase", "Schrauben verzinkt", "Café moulu 1 kg", "Lámpara de pie",
          "Kantoorstoel zwart", "Consulting hours", "Gebühr für Überweisung", "Crème hydratante",
          "Tornillos de acero", "Delivery charge", "Wartungsvertrag März", "Pièces détachées"]
_FONTS = ["helv", "tiro", "cour"]


@dataclass(frozen=True, slots=True)
class KnownPage:
    """A clean page image and the exact text lines printed on it, top to bottom."""

    image: Image.Image
    lines: list[str]
    dpi: int


def invoice_lines(rng: random.Random) -> list[str]:
    """About 30 invoice-like text lines in mixed European languages."""
    company = rng.choice(_COMPANY)
    lines = [
        company,
        f"{rng.choice(_STREET)} {rng.randint(1, 180)}",
        f"{rng.randint(10000, 99999)} {rng.choice(_CITY)}",
        f"Rechnung Nr. RE-{rng.randint(2019, 2025)}-{rng.randint(100, 9999):04d}",
        f"Datum: {rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(2019, 2025)}",
        f"Kunde: {rng.choice(_FIRST)} {rng.choice(_FIRST)}",
        f"{rng.choice(_STREET)} {rng.randint(1, 99)}, {rng.choice(_CITY)}",
        "Pos Beschreibung Menge Preis Betrag",
    ]
    subtotal = 0.0
    for pos in range(1, rng.randint(8, 14)):
        qty = rng.randint(1, 20)
        price = rng.randint(100, 99999) / 100
        total = round(qty * price, 2)
        subtotal += total
        lines.append(f"{pos} {rng.choice(_ITEMS)} {qty} {price:,.2f} {total:,.2f}")
    tax = round(subtotal * 0.19, 2)
    lines += [
        f"Zwischensumme {subtotal:,.2f} EUR",
        f"MwSt 19% {tax:,.2f} EUR",
        f"Gesamtbetrag {subtotal + tax:,.2f} EUR",
        f"IBAN DE{rng.randint(10, 99)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)} "
        f"{rng.randint(1000, 9999)} {rng.randint(1000, 9999)} {rng.randint(10, 99)}",
        f"Zahlbar bis {rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(2019, 2025)} "
        "ohne Abzug",
        f"Vielen Dank für Ihren Auftrag, {rng.choice(_FIRST)}!",
    ]
    return lines


def render_lines(
    lines: list[str], dpi: int, rng: random.Random, size: tuple[float, float] = A4
) -> Image.Image:
    """Print `lines` on a white page with PyMuPDF and rasterise it at `dpi`."""
    doc = pymupdf.open()
    page = doc.new_page(width=size[0], height=size[1])
    font = rng.choice(_FONTS)
    fontsize = rng.choice([9.5, 10.0, 11.0])
    y = 60.0
    for line in lines:
        page.insert_text((50, y), line, fontname=font, fontsize=fontsize)
        y += fontsize * 2.0
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB)
    img = Image.open(io.BytesIO(pix.tobytes("png"))).convert("RGB")
    doc.close()
    return img


def known_text_page(seed: int, dpi: int | None = None) -> KnownPage:
    """An A4 invoice-like page with known text, at `dpi` (random 150-300 when None)."""
    rng = random.Random(seed)
    dpi = dpi or rng.choice([150, 200, 250, 300])
    lines = invoice_lines(rng)
    return KnownPage(image=render_lines(lines, dpi, rng), lines=lines, dpi=dpi)


def degrade(img: Image.Image, seed: int, turn: int | None = None, skew: float | None = None) -> Image.Image:
    """A scanned/photographed version of `img`: skew, blur, noise, JPEG artefacts, maybe a turn.

    `turn` (0/90/180/270, counter-clockwise, the way the page lies on the scanner) and `skew`
    (degrees) are drawn from the seed when None: one page in four is turned.
    """
    rng = random.Random(seed)
    if turn is None:
        turn = rng.choice([0, 0, 0, 0, 0, 0, 90, 180, 270]) if rng.random() < 0.35 else 0
    if skew is None:
        skew = rng.uniform(-2.0, 2.0)
    out = img.convert("L").rotate(skew, resample=Image.BICUBIC, expand=True, fillcolor=255)
    out = out.filter(ImageFilter.GaussianBlur(radius=rng.uniform(0.3, 1.0)))
    arr = np.asarray(out, dtype=np.float32)
    nrng = np.random.default_rng(seed)
    arr = arr * rng.uniform(0.85, 1.0) + rng.uniform(0, 25)  # grey paper, less contrast
    arr += nrng.normal(0, rng.uniform(4, 12), arr.shape)
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    if turn:
        out = out.rotate(turn, expand=True)
    buf = io.BytesIO()
    out.convert("RGB").save(buf, format="JPEG", quality=rng.randint(35, 75))
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def to_png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def scan_pdf(pdf: bytes, seed: int, dpi: int | None = None, turns: bool = True) -> bytes:
    """A PDF as a scanner would return it: every page rendered (150-300 dpi), degraded, and the
    pages saved as one multi-page TIFF (JPEG-damaged pixels, no text layer).

    This is the hook for a scans mode of bench/accuracy.py: feed `scan_pdf(path.read_bytes(), i)`
    to `process_document` in place of the PDF and score against the same truth.
    """
    rng = random.Random(seed)
    dpi = dpi or rng.choice([150, 200, 250, 300])
    doc = pymupdf.open(stream=pdf, filetype="pdf")
    frames = []
    for index, page in enumerate(doc):
        pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB)
        clean = Image.open(io.BytesIO(pix.tobytes("png"))).convert("RGB")
        frames.append(degrade(clean, seed * 1000 + index, turn=None if turns else 0))
    doc.close()
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:], compression="tiff_deflate")
    return buf.getvalue()

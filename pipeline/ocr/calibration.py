"""Pages that calibrate the int8 detector: what CRAFT's activations range over on business papers.

Static int8 quantisation fixes each activation's range from sample inputs (min and max seen), and
a value outside the range is clipped. So the samples span the extremes a user's pages bring, not
one layout: print from 7 to 26 pt in four typefaces, bold headings, ruled tables, shaded boxes and
a dark logo block; white, grey and tinted paper; scanner noise and blur; a phone photo's dark
surround and uneven light; 150, 200 and 300 dpi. Drawn from a fixed seed, so every machine builds
the same int8 model from the same float export. Not the benchmarks' generator (bench/scans.py):
the detector is measured on pages it was not calibrated on.
"""

from __future__ import annotations

import random

import numpy as np
import pymupdf

_VOCABULARY = (
    "invoice facture Rechnung factura factuur receipt order delivery note total subtotal tax VAT "
    "MwSt TVA IVA BTW amount quantity unit price description date due payment terms bank IBAN BIC "
    "customer supplier address street avenue Straße rue calle straat city reference number account "
    "discount shipping handling service hours consulting materials Lieferung Menge Preis Betrag "
    "Montant Quantité Cantidad Importe Bedrag Aantal thank you for your business"
)
_WORDS = tuple(_VOCABULARY.split())
_FONTS = ("helv", "hebo", "tiro", "cour")
_PAPER = ((255, 255, 255), (242, 240, 232), (236, 242, 250), (250, 244, 228))


def calibration_pages(count: int = 8, seed: int = 20261203) -> list[np.ndarray]:
    """`count` RGB pages (uint8, A4 at 150-300 dpi), each with its own paper and damage."""
    rng = random.Random(seed)
    return [_damage(_render(rng), rng, kind=i % 4) for i in range(count)]


def _line(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(words))
    return f"{text} {rng.randint(1, 9999):,}.{rng.randint(0, 99):02d}" if rng.random() < 0.5 else text


def _render(rng: random.Random) -> np.ndarray:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    paper = rng.choice(_PAPER)
    page.draw_rect(page.rect, color=None, fill=[c / 255 for c in paper])
    page.draw_rect(pymupdf.Rect(40, 30, 150, 80), color=None, fill=(0.1, 0.1, 0.3))  # a logo block
    page.insert_text((170, 62), _line(rng, 2).upper(), fontname="hebo", fontsize=rng.choice([20, 26]))
    y = 110.0
    while y < 780:
        kind = rng.random()
        size = rng.choice([7, 8, 9, 10, 11, 12, 14])
        if kind < 0.2:  # a ruled table row with columns
            page.draw_line((40, y - size - 2), (555, y - size - 2), width=0.6)
            for x in (45, 300, 390, 480):
                page.insert_text((x, y), _line(rng, 1 if x > 45 else 3), fontname="helv", fontsize=size)
        elif kind < 0.3:  # a shaded total box
            box = pymupdf.Rect(330, y - size - 4, 555, y + 4)
            page.draw_rect(box, color=(0, 0, 0), fill=(0.85, 0.85, 0.85))
            page.insert_text((340, y), _line(rng, 2), fontname="hebo", fontsize=size + 2)
        else:
            page.insert_text((45 + rng.randint(0, 200), y), _line(rng, rng.randint(2, 9)),
                             fontname=rng.choice(_FONTS), fontsize=size)
        y += size * rng.uniform(1.5, 2.6)
    dpi = rng.choice([150, 200, 300])
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB)
    rgb = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, 3).copy()
    doc.close()
    return rgb


def _damage(rgb: np.ndarray, rng: random.Random, kind: int) -> np.ndarray:
    """0: as printed; 1: a grey, noisy, blurred scan; 2: a phone photo (dark surround, light
    falling off to one side); 3: faint print (low contrast)."""
    import cv2

    img = rgb.astype(np.float32)
    noise = np.random.default_rng(rng.randint(0, 2**31))
    if kind == 1:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.6, 1.2)) * 0.9 + 15
        img += noise.normal(0, 10, img.shape)
    elif kind == 2:
        h, w = img.shape[:2]
        light = np.linspace(1.0, rng.uniform(0.45, 0.7), w, dtype=np.float32)[None, :, None]
        img = img * light
        pad = max(h, w) // 12
        img = cv2.copyMakeBorder(img, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=(35, 30, 28))
        img += noise.normal(0, 6, img.shape)
    elif kind == 3:
        img = 255 - (255 - img) * 0.45
    return np.clip(img, 0, 255).astype(np.uint8)

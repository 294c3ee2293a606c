"""Rendered text lines with their text: what the five-language recogniser learns from.

A line is what EasyOCR's detector hands the recogniser on a scanned business paper: one to a few
words of names, addresses, item text, labels, amounts, dates and codes in English, German, French,
Spanish or Dutch, cut out with a margin, printed in one of 32 faces (the PDF base fonts' free
clones and DejaVu), then damaged as a scan or a phone photo damages it (blur, lower resolution,
noise, JPEG, grey paper, faint ink, a slight slant). Text comes from Faker's locales (names,
streets, towns, companies, real words of each language), a small list of invoice words and
generated numbers, so the network meets every letter of `pipeline.ocr.recognisers.LATIN5` in
context; and, since fine-tuning unlearns what it does not rehearse, the ASCII things English's
weights already read and scanned invoices print (`Lines._code`: identifiers with underscores, long
codes, digits in spaced groups, dates with mixed separators, web addresses, brackets and signs).
Nothing here comes from the benchmark's invoice generator (bench/synth) or the real invoices in
../shared: those are what the recogniser is measured on.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from pipeline.ocr.recognisers import EXTRA, LATIN5

LOCALES = ("de_DE", "de_AT", "fr_FR", "fr_CH", "es_ES", "nl_NL", "nl_BE", "en_GB", "en_US")
_BASE14 = ("helv", "hebo", "heit", "hebi", "tiro", "tibo", "tiit", "tibi", "cour", "cobo", "coit", "cobi")
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_NOT_TEXT = ("Math", "ExtraLight")  # a formula face; a hairline weight no invoice prints

# Words printed on invoices, receipts and orders, five languages (labels and units).
_INVOICE_TEXT = (
    "Rechnung Rechnungsnummer Rechnungsdatum Lieferschein Bestellung Kundennummer Fälligkeitsdatum "
    "Menge Stück Einzelpreis Gesamtpreis Betrag Summe Zwischensumme Gesamtbetrag Nettobetrag "
    "Umsatzsteuer MwSt. zzgl. inkl. Zahlbar Zahlungsbedingungen Überweisung Bankverbindung Gebühr "
    "Lieferung Leistungszeitraum Steuernummer USt-IdNr. Straße Größe für Rückfragen Anschrift Facture "
    "N° Numéro Date d'échéance Échéance Quantité Qté Désignation Prix unitaire Montant HT TVA TTC "
    "Total à payer Remise Référence Client Fournisseur Règlement Conditions Siège social Téléphone "
    "Adresse Payé Acompte Période Frais Intérêts Pénalités Escompte Récapitulatif Factura Número Fecha "
    "Vencimiento Cantidad Descripción Precio Importe Base imponible IVA Subtotal Total Descuento "
    "Pedido Albarán Teléfono Dirección Código Forma de pago Cuenta Factuur Factuurnummer Factuurdatum "
    "Vervaldatum Aantal Omschrijving Prijs Bedrag BTW Totaal Korting Bestelling Klantnummer Betaling "
    "Betalingstermijn Rekening Adres België Crème brûlée Invoice Number Date Due Quantity Description "
    "Unit Price Amount Tax VAT Total Balance Paid Order Customer Supplier Terms Bank IBAN BIC SWIFT "
    "Reference Phone Email Page of kg m² m³ h main-d'œuvre Œuvre cœur Stk. pcs. uds. st. Std. heures "
    "horas uur Nº Art.-Nr. Réf. Ref."
)
_INVOICE_WORDS = tuple(_INVOICE_TEXT.split())
_CODE = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ-/"
_CURRENCY = ("€", "EUR", "$", "USD", "£", "GBP", "CHF", "₹", "¥")


@dataclass(frozen=True)
class Sample:
    """One training line: the grey crop (uint8, as the detector's box cuts it) and its text."""

    image: np.ndarray
    text: str


class Lines:
    """An endless, seeded source of `Sample`s (`next()`); the same seed gives the same lines."""

    def __init__(self, seed: int) -> None:
        from faker import Faker

        self.rng = random.Random(seed)
        self.np_rng = np.random.default_rng(seed)
        self.fakers = []
        for i, locale in enumerate(LOCALES):
            fake = Faker(locale)
            fake.seed_instance(seed * 31 + i)
            self.fakers.append(fake)
        vocabulary = {w.strip(".,;:") for fake in self.fakers for w in fake.words(nb=3000, unique=False)}
        for fake in self.fakers:
            for _ in range(400):
                vocabulary.update(f"{fake.last_name()} {fake.first_name()} {fake.city()}".split())
        vocabulary.update(_INVOICE_WORDS)
        vocabulary |= {w.upper() for w in vocabulary}
        # every new character drawn as often as the others, in the words that hold it: Faker's own
        # mix has 100 "é" for each "ç"
        self.words_with = {c: words for c in EXTRA if (words := sorted(w for w in vocabulary if c in w))}
        self.letters = sorted(self.words_with)

    def text(self) -> str:
        """A line's text, every character in LATIN5 (others are replaced or the line redrawn)."""
        while True:
            line = _clean(self._draw_text())
            if line and len(line) <= 28:
                return line

    def _draw_text(self) -> str:
        rng, fake = self.rng, self.rng.choice(self.fakers)
        kind = rng.random()
        if kind < 0.22:
            field = rng.choice(("company", "street_address", "city", "name", "postcode_city", "email"))
            text = f"{fake.postcode()} {fake.city()}" if field == "postcode_city" else getattr(fake, field)()
            text = text.split("\n")[0]
        elif kind < 0.36:
            text = " ".join(fake.words(nb=rng.randint(1, 4)))
        elif kind < 0.48:
            text = self._code()
        elif kind < 0.60:
            picks = (rng.choice(self.words_with[rng.choice(self.letters)]) for _ in range(rng.randint(1, 2)))
            text = " ".join(picks)
        elif kind < 0.62:
            word, n = rng.choice(fake.words(nb=3)), rng.randint(1, 999)
            text = rng.choice((f"«{word}»", f"« {word} »", f"¿{word}?", f"¡{word}!", f"§ {n}", f"{n} °C",
                               f"N° {n}", f"Nº {n}", f"1ª {word}", f"£{n}.00", f"¥{n}", f"₹ {n},00"))
        elif kind < 0.75:
            words = [rng.choice(_INVOICE_WORDS) for _ in range(rng.randint(1, 3))]
            text = " ".join(words) + (":" if rng.random() < 0.3 else "")
            if rng.random() < 0.4:
                text += " " + self._number()
        else:
            text = " ".join(self._number() for _ in range(rng.randint(1, 2)))
        if kind >= 0.36 and kind < 0.48:
            return text  # codes keep their case
        r = rng.random()
        if r < 0.12:
            text = text.upper()
        elif r < 0.30:
            text = text.title() if rng.random() < 0.5 else text[:1].upper() + text[1:]
        return text

    def _number(self) -> str:
        """An amount, date, percentage, quantity, identifier or code as invoices print them."""
        rng, fake = self.rng, self.rng.choice(self.fakers)
        value = round(rng.choice((rng.uniform(0, 100), rng.uniform(0, 10000), rng.uniform(0, 1e6))), 2)
        kind = rng.randrange(9)
        if kind == 0:  # amount, German/French/English grouping, sign before or after
            whole, cents = f"{value:,.2f}".split(".")
            sep = rng.choice(((",", "."), (".", ","), (" ", ","), ("'", "."), ("", ",")))
            amount = whole.replace(",", sep[0]) + sep[1] + cents
            cur = rng.choice(_CURRENCY)
            return rng.choice((f"{amount} {cur}", f"{cur}{amount}", f"{cur} {amount}", amount, f"-{amount}"))
        if kind == 1:
            return fake.date(pattern=rng.choice(("%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%y", "%d %B %Y")))
        if kind == 2:
            rate = rng.choice((0, 5, 7, 10, 19, 20, 21, 5.5))
            return rng.choice(("{} %", "{}%", "{},00 %", "{:.1f}%")).format(rate)
        if kind == 3:
            unit = rng.choice(("Stk.", "pcs", "uds.", "st.", "kg", "h", "m²", "x", "u.", "Std."))
            return f"{rng.randint(1, 250)} {unit}"
        if kind == 4:
            iban = fake.iban()
            return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)) if rng.random() < 0.6 else iban
        if kind == 5:
            return rng.choice(("DE", "FR", "ES", "NL", "BE", "ATU", "GB")) + str(rng.randint(10**7, 10**10))
        if kind == 6:
            return fake.phone_number()
        if kind == 7:
            prefix = rng.choice(("N° ", "Nº ", "No. ", "#", "INV-", "RE-", "F", "Art.-Nr. ", "Réf. ", ""))
            code = "".join(rng.choice(_CODE) for _ in range(rng.randint(4, 12)))
            return prefix + code
        return f"{rng.randint(1, 99)} {rng.choice(('x', '×', '@', '/'))} {value:.2f}".replace("×", "x")

    def _code(self) -> str:
        """What English already reads and fine-tuning must not unlearn, rare in the other kinds:
        identifiers with underscores, long mixed codes, digits in spaced groups (VAT, SIRET,
        phone numbers), dates with mixed separators, addresses of the web, and ASCII signs."""
        rng, fake = self.rng, self.rng.choice(self.fakers)

        def word() -> str:
            return _ascii(rng.choice(fake.words(nb=3)))

        def digits(n: int) -> str:
            return "".join(rng.choice("0123456789") for _ in range(n))

        kind = rng.randrange(8)
        if kind == 0:  # snake_case and underscored identifiers
            parts = [word() for _ in range(rng.randint(1, 3))]
            parts += [str(rng.randint(0, 9999))] * (rng.random() < 0.6)
            text = "_".join(parts)
            return text.upper() if rng.random() < 0.3 else text
        if kind == 1:  # long codes of letters and digits, some with _ - / .
            parts = ["".join(rng.choice(_CODE[:-2]) for _ in range(rng.randint(2, 10)))
                     for _ in range(rng.randint(1, 3))]
            return rng.choice(("_", "-", "/", ".", "")).join(parts) + digits(rng.randint(0, 12))
        if kind == 2:  # tax and company numbers in spaced groups
            country = rng.choice(("FR", "DE", "BE", "NL", "ES", "GB", "ATU", ""))
            groups = [digits(rng.randint(2, 3)) for _ in range(rng.randint(3, 5))]
            return (country + " " if country else "") + " ".join(groups)
        if kind == 3:  # phone numbers as printed
            return rng.choice((f"+{rng.randint(1, 49)} ({rng.randint(0, 9)}) "
                               f"{digits(2)} {digits(3)} {digits(4)}",
                               f"+33 {rng.randint(1, 9)} " + " ".join(digits(2) for _ in range(4)),
                               f"({digits(3)}) {digits(3)}-{digits(4)}", f"0{digits(3)} / {digits(6)}"))
        if kind == 4:  # dates with mixed or short separators
            d, m, y = rng.randint(1, 31), rng.randint(1, 12), rng.randint(1990, 2035)
            return rng.choice((f"{d}-{m} {y}", f"{d}-{m}-{y}", f"{m}/{d}/{y}", f"{y}.{m:02d}.{d:02d}",
                               f"{d}.{m}.{y % 100:02d}", f"{d:02d}/{m:02d}/{y % 100:02d}", f"{y}/{m}/{d}"))
        if kind == 5:
            return rng.choice((fake.url(), fake.uri(), fake.email(), fake.free_email()))
        if kind == 6:  # ASCII signs around words and numbers
            n = rng.randint(1, 999)
            return rng.choice((f"({word()})", f"[{n}]", f"{{{word()}}}", f"{word()} & {word()}",
                               f"*{word()}*", f"{word()}; {word()}", f"{n}+{n}={2 * n}", f"~{n}",
                               f"{word()} | {n}", f"<{word()}>", f"\"{word()}\"", f"'{word()}'",
                               f"{word()}!", f"{word()}?", f"@{word()}", f"#{n}", f"{n}%", f"${n}",
                               f"{word()}^{n % 9}", f"`{word()}`"))
        if rng.random() < 0.5:
            return f"{word()}_{digits(rng.randint(1, 3))}"
        return f"{digits(3)}-{digits(3)}-{digits(3)}"

    def next(self) -> Sample:
        text = self.text()
        return Sample(render(text, self.rng, self.np_rng), text)


_SUBSTITUTE = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " ",
                             "\u202f": " ", "ø": "o", "Ø": "O", "å": "a", "Å": "A", "ã": "a", "õ": "o"})


def _ascii(word: str) -> str:
    """`word` with its accents dropped (codes and identifiers are printed in ASCII)."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", word) if c.isascii()).strip(".,;:") or "x"


def _clean(text: str) -> str:
    text = " ".join(text.translate(_SUBSTITUTE).split())
    return text if all(c in LATIN5 for c in text) else ""


@lru_cache(maxsize=256)
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    if name.endswith(".ttf"):
        return ImageFont.truetype(str(_DEJAVU / name), size)
    import pymupdf

    return ImageFont.truetype(io.BytesIO(pymupdf.Font(name).buffer), size)


def fonts() -> list[str]:
    dejavu = sorted(p.name for p in _DEJAVU.glob("DejaVu*.ttf") if not any(k in p.name for k in _NOT_TEXT))
    return list(_BASE14) + dejavu


def _slanted(face: str) -> bool:
    return face in ("heit", "hebi", "tiit", "tibi", "coit", "cobi") or "Oblique" in face or "Italic" in face


def render(text: str, rng: random.Random, np_rng: np.random.Generator) -> np.ndarray:
    """`text` printed and damaged, cut out as the detector's box would be (grey uint8)."""
    faces = fonts()
    upright = [f for f in faces if not _slanted(f)]
    face = rng.choice(upright if rng.random() < 0.85 else faces)  # invoices rarely print italics
    size = rng.randint(14, 48)  # pixels per em: 7 pt at 150 dpi to 12 pt at 300 dpi
    font = _font(face, size)
    left, _, right, _ = font.getbbox(text)
    pad = size
    paper = rng.randint(190, 255)
    ink = rng.randint(0, min(110, paper - 80))
    image = Image.new("L", (right - left + 2 * pad, size * 2 + 2 * pad), paper)
    ImageDraw.Draw(image).text((pad - left, pad), text, font=font, fill=ink)
    if rng.random() < 0.5:
        image = image.rotate(rng.uniform(-1.2, 1.2), resample=Image.BICUBIC, fillcolor=paper)
    if rng.random() < 0.5:
        factor = rng.uniform(0.5, 1.0)  # printed at a lower resolution than it is read
        reduced = (max(1, int(image.width * factor)), max(1, int(image.height * factor)))
        small = image.resize(reduced, Image.BILINEAR)
        image = small.resize(image.size, Image.BICUBIC)
    if rng.random() < 0.6:
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.2, 1.1)))
    array = np.asarray(image, dtype=np.float32)
    if rng.random() < 0.6:
        array = array + np_rng.normal(0, rng.uniform(2, 14), array.shape)
    array = np.clip(array, 0, 255).astype(np.uint8)
    if rng.random() < 0.5:
        _, jpeg = cv2.imencode(".jpg", array, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(25, 90)])
        array = cv2.imdecode(jpeg, cv2.IMREAD_GRAYSCALE)
    return _cut(array, (paper + ink) // 2, rng)


def _cut(array: np.ndarray, level: int, rng: random.Random) -> np.ndarray:
    """The ink's bounding box with a detector-like margin (a fraction of the text's height); a
    median filter first, so that no noise speck counts as ink."""
    ink = cv2.medianBlur(array, 3) < level
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not len(rows):
        return array
    height = rows[-1] - rows[0] + 1
    y0 = rows[0] - int(height * rng.uniform(0.05, 0.35))
    y1 = rows[-1] + 1 + int(height * rng.uniform(0.05, 0.35))
    x0 = cols[0] - int(height * rng.uniform(0.05, 0.5))
    x1 = cols[-1] + 1 + int(height * rng.uniform(0.05, 0.5))
    return array[max(0, y0) : y1, max(0, x0) : x1]

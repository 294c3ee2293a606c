"""A "ü" both readers spelt "ii" ("Diisseldorf", "Miinchen", "Fiir"), read back as "ü".

Why: the English recogniser has no "ü" and reads its two dots as a second "i"; Tesseract's German
data usually knows better, but on a blurred scan it reads "ii" too, so no merge of the two
readings can restore it (103767's customer "Düsseldorf" and ZUGFeRD's "München" and "Für" on
several scanner seeds). Inside a word of letters, between letters, "ii" is almost never written in
the five languages we read (English "skiing" is the rare exception); in Dutch it is OCR's reading
of "ij" ("Omschriiving" on saeco's scans), so a Dutch document is left alone.
"""

from __future__ import annotations

import dataclasses
import re

from pipeline.model import Page
from pipeline.normalize.language import detect_language

_II = re.compile(r"(?<=[^\W\d_])ii(?=[a-zäöüß])")
_LETTERS = re.compile(r"[^\W\d_]+")


def restore_umlauts(pages: list[Page]) -> None:
    """Every OCR'd word of `pages` (one document) with a "ii" between letters read as "ü", unless
    the document is Dutch."""
    language, _ = detect_language(" ".join(w.text for p in pages for w in p.words))
    if language == "nl":
        return
    for page in pages:
        page.words = [
            dataclasses.replace(w, text=_II.sub("ü", w.text))
            if "ii" in w.text and _LETTERS.fullmatch(w.text.strip(".,:;")) else w
            for w in page.words
        ]

"""A "ü" both readers spelt "ii" ("Diisseldorf", "Miinchen", "Fiir"), read back as "ü"; a "ß" read
as "B" ("HofstraBe") read back as "ß".

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

from pipeline.model import Page, Word
from pipeline.normalize.language import detect_language

_II = re.compile(r"(?<=[^\W\d_])ii(?=[a-zäöüß])")
_LETTERS = re.compile(r"[^\W\d_]+")
# "ß" read as "B" between lower-case letters before a word's last "e", "en" or "er" ("HofstraBe",
# "GroBe", "MaBen": 103767's vendor address on seed 743). A capital B there is written in no word of
# the five languages; camel-case names put it before other letters ("eBay", "WeBuy").
_SZ = re.compile(r"(?<=[a-zäöü]{2})B(?=(?:e|en|er)$)")


def restore_umlauts(pages: list[Page]) -> None:
    """Every OCR'd word of `pages` (one document) with a "ii" between letters read as "ü", unless
    the document is Dutch, and a "ß" read as "B" (`_SZ`) read back."""
    language, _ = detect_language(" ".join(w.text for p in pages for w in p.words))
    for page in pages:
        page.words = [_restored(w, language != "nl") for w in page.words]


def _restored(word: Word, umlauts: bool) -> Word:
    core = word.text.strip(".,:;")
    if not _LETTERS.fullmatch(core):
        return word
    text = _II.sub("ü", word.text) if umlauts and "ii" in core else word.text
    if "B" in core:
        end = len(word.text.rstrip(".,:;"))
        text = _SZ.sub("ß", text[:end]) + text[end:]
    return word if text == word.text else dataclasses.replace(word, text=text)

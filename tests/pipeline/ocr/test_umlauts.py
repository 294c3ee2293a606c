"""A "ü" both readers spelt "ii" and a "ß" read as "B", read back (pure: words only)."""

from __future__ import annotations

from pipeline.model import Page, Word
from pipeline.ocr.umlauts import restore_umlauts


def _page(*texts: str) -> Page:
    words = [Word(t, 10.0 + 60 * i, 10.0, 60.0 + 60 * i, 20.0, 0) for i, t in enumerate(texts)]
    return Page(index=0, width=595, height=842, words=words, text_source="ocr")


def test_ii_between_letters_is_u_umlaut() -> None:
    page = _page("Rechnung", "Fiir", "Leistungen", "in", "Diisseldorf,", "Miinchen", "und", "Gebiihr",
                 "Hawaii", "II", "iii", "A1ii2")
    restore_umlauts([page])
    assert [w.text for w in page.words] == ["Rechnung", "Für", "Leistungen", "in", "Düsseldorf,",
                                            "München", "und", "Gebühr", "Hawaii", "II", "iii", "A1ii2"]


def test_a_dutch_document_keeps_its_ii_which_is_ocrs_ij() -> None:
    page = _page("Factuur", "Omschriiving", "Prijs", "Hoeveelheid", "Bedrag", "Totaal", "BTW", "Artikel")
    restore_umlauts([page])
    assert page.words[1].text == "Omschriiving"


def test_sharp_s_read_as_b_before_a_words_ending_is_sharp_s() -> None:
    """103767's vendor "Hofstraße 12" read "HofstraBe 12" on seed 743 (the English recogniser has no
    "ß"). Camel-case names keep their capital B, and so does a capital word."""
    page = _page("Invoice", "HofstraBe", "12,", "GroBen", "StraBe,", "eBay", "WeBuy", "ABBe", "Webe")
    restore_umlauts([page])
    assert [w.text for w in page.words] == ["Invoice", "Hofstraße", "12,", "Großen", "Straße,", "eBay",
                                            "WeBuy", "ABBe", "Webe"]

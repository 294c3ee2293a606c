"""Accent restoration: merging rules (fast) and the Tesseract second reader (marked `ocr`)."""

from __future__ import annotations

import logging

import pytest

from pipeline.load import load
from pipeline.ocr import accents, run_ocr
from pipeline.options import Options
from tests.pipeline.ocr.helpers import png, text_image


@pytest.mark.parametrize(
    ("easy", "tess", "expected"),
    [
        ("Miller", "Müller", "Müller"),  # ü read as i
        ("Miiller", "Müller", "Müller"),  # ü read as ii
        ("StraBe", "Straße", "Straße"),  # ß read as B
        ("Besancon,", "Besançon,", "Besançon,"),
        ("Sohne", "Söhne", "Söhne"),
        ("Miller", "Müllar", "Miller"),  # Tesseract differs beyond the accent: keep EasyOCR
        ("Invoice", "Invoice", "Invoice"),
        ("12.50", "12,5ö", "12.50"),
        ("Total", "Tötäl", "Total"),  # too many changes for a 5-letter word
    ],
)
def test_better_word(easy: str, tess: str, expected: str) -> None:
    assert accents.better_word(easy, tess) == expected


def test_merge_words_pairs_words_even_when_splits_differ() -> None:
    assert accents.merge_words("Miller & Sohne GmbH", "Müller & Söhne GmbH") == "Müller & Söhne GmbH"
    assert accents.merge_words("Vielen Dank fur Ihren", "Vielen Dank für Ihren Auftrag") == (
        "Vielen Dank für Ihren"
    )


def test_missing_tesseract_degrades_with_one_warning(monkeypatch, caplog) -> None:
    accents.tesseract_languages.cache_clear()
    monkeypatch.setattr(accents.shutil, "which", lambda _: None)
    box = accents.TextBox("Miller", 0, 0, 10, 10, 0.9)
    with caplog.at_level(logging.WARNING, logger="pipeline.ocr.accents"):
        assert accents.restore_accents(None, [box]) == [box]  # type: ignore[arg-type]
        accents.restore_accents(None, [box])  # type: ignore[arg-type]
    assert sum("tesseract not found" in r.message for r in caplog.records) == 1
    accents.tesseract_languages.cache_clear()


@pytest.mark.ocr
@pytest.mark.skipif(accents.tesseract_languages() is None, reason="tesseract with deu/fra not installed")
def test_accented_names_come_back_as_printed() -> None:
    doc = load(png(text_image(["Müller & Söhne GmbH", "Hauptstraße 5, München"], height=160)), Options())
    run_ocr(doc, Options())
    texts = [w.text for w in doc.pages[0].words]
    assert "Müller" in texts and "Söhne" in texts
    assert any(t.startswith("Hauptstraße") for t in texts) and any(t.startswith("München") for t in texts)

"""The five-language recogniser (pipeline/ocr/recognisers.py) against EasyOCR's English one.

The reading tests are marked `ocr` (they load the networks); they read rendered lines the
recogniser was not trained on (PyMuPDF's Helvetica through the detector, as a page would be).
"""

from __future__ import annotations

import numpy as np
import pytest

from pipeline import process_document
from pipeline.load import load
from pipeline.ocr import engine, recognisers, run_ocr
from pipeline.options import RECOGNISERS, Options
from tests.pipeline.ocr.helpers import grey, png, text_image


def test_latin5_extends_english_in_its_order() -> None:
    """English's classes keep their numbers (the widened network starts from English's weights);
    each new character has one English character to start from."""
    latin5 = recognisers.characters("latin5")
    assert latin5.startswith(recognisers.ENGLISH) and len(set(latin5)) == len(latin5)
    assert all(recognisers.base_of(c) in recognisers.ENGLISH for c in recognisers.EXTRA)
    assert recognisers.base_of("ü") == "u" and recognisers.base_of("ß") == "B"
    assert set("äöüßéèêàâçñóíúÄÖÜÉ") <= set(recognisers.EXTRA)


def _read(lines: list[str], name: str, backend: str = "onnx") -> str:
    img = text_image(lines, width=900, height=60 + 42 * len(lines))
    boxes = engine.detect("cpu", [np.asarray(img)], backend="onnx")[0]
    read = engine.recognize("cpu", grey(img), boxes, backend=backend, recogniser=name)
    return " ".join(t.text for t in read)


@pytest.mark.ocr
def test_accented_words_come_back_as_printed_without_tesseract() -> None:
    """The issue's own examples: English weights read "Miller & Sohne GmbH", "Lieferantenstrale",
    "Grole"; ours read them as printed, and French and Spanish accents too."""
    lines = ["Müller & Söhne GmbH, Lieferantenstraße", "Größe: 12 Stück", "Désignation Quantité",
             "Año de facturación"]
    ours = _read(lines, "latin5").split()
    english = _read(lines, "english").split()
    for word in ("Müller", "Söhne", "Größe", "Stück", "Désignation", "Quantité", "Año", "facturación"):
        assert word in ours or word + ":" in ours or word + "," in ours, (word, ours)
    assert not any(c in recognisers.EXTRA for c in "".join(english))


@pytest.mark.ocr
def test_plain_english_lines_read_as_english_weights_read_them() -> None:
    """Learning the accents did not cost the English letters, digits and marks."""
    lines = ["Invoice Number INV-4711", "Total Amount 1,234.56 EUR", "Due Date 2024-03-15"]
    assert _read(lines, "latin5") == _read(lines, "english") == (
        "Invoice Number INV-4711 Total Amount 1,234.56 EUR Due Date 2024-03-15")


@pytest.mark.ocr
def test_onnx_and_torch_read_the_same() -> None:
    lines = ["Müller & Söhne GmbH", "Größe 12,50 €"]
    assert _read(lines, "latin5", "onnx") == _read(lines, "latin5", "torch")


def test_options_name_the_recogniser() -> None:
    assert Options().ocr_recogniser == recognisers.DEFAULT and Options().ocr_second_reader
    with pytest.raises(ValueError, match="english, latin5"):
        Options(ocr_recogniser="klingon")


@pytest.mark.ocr
def test_run_ocr_reads_with_the_recogniser_its_options_name() -> None:
    """The pipeline's options reach the recogniser: without Tesseract only latin5 has the accents."""
    image = png(text_image(["Müller & Söhne GmbH", "Hauptstraße 5, München"], height=160))
    words = {}
    for name in RECOGNISERS:
        options = Options(ocr_recogniser=name, ocr_second_reader=False)
        doc = load(image, options)
        run_ocr(doc, options)
        words[name] = [w.text for w in doc.pages[0].words]
    assert "Müller" in words["latin5"] and "Söhne" in words["latin5"], words
    # "HauptstraBe" is read back as "Hauptstraße" after either recogniser (`ocr.accents`): the "ß"
    # proves nothing about which one read the page.
    assert not any(c in recognisers.EXTRA for c in "".join(words["english"]).replace("ß", "")), words


@pytest.mark.ocr
def test_the_result_names_the_recogniser() -> None:
    image = png(text_image(["Rechnung Nr. 4711", "Größe 12 Stück"], height=160))
    result = process_document(image, options=Options(ocr_recogniser="latin5", ocr_second_reader=False))
    metadata = result["metadata"]
    assert metadata["ocr_recogniser"] == "latin5" and metadata["ocr_device"] in ("cpu", "cuda")

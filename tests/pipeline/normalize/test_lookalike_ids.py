"""OCR'd IBANs and VAT ids one look-alike away from valid (O/0, I/1, S/5, B/8)."""

from __future__ import annotations

import pymupdf

from pipeline.extract import extract_fields
from pipeline.load import load
from pipeline.normalize.identifiers import is_valid_iban, is_valid_vat, repair_lookalike
from pipeline.tables import find_line_items


def test_one_lookalike_that_passes_the_checksum_is_repaired() -> None:
    assert repair_lookalike("DE89 37O4 0044 0532 0130 00", is_valid_iban) == "DE89370400440532013000"
    assert repair_lookalike("DE13669S976", is_valid_vat) == "DE136695976"


def test_no_repair_without_a_single_valid_lookalike() -> None:
    assert repair_lookalike("DE89 37O4 0O44 0532 0130 00", is_valid_iban) is None  # two misreads
    assert repair_lookalike("DE89370400440532013001", is_valid_iban) is None  # 1 -> 0 is no look-alike
    assert repair_lookalike("DE13669597B", is_valid_vat) is None


def _fields(ocr: bool) -> dict[str, object]:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for y, text in ((60, "ACME GmbH"), (75, "USt-IdNr.: DE13669S976"), (100, "RECHNUNG"),
                    (700, "IBAN: DE89 37O4 0044 0532 0130 00")):
        page.insert_text((40, y), text, fontsize=9, fontname="helv")
    loaded = load(doc.tobytes())
    for p in loaded.pages:
        if ocr:
            p.text_source = "ocr"
    return extract_fields("invoice", loaded, find_line_items(loaded))


def test_ocr_page_ids_are_repaired_and_keep_their_raw_text() -> None:
    fields = _fields(ocr=True)
    iban = fields["bank_details"]["iban"]  # type: ignore[index]
    assert iban.value == "DE89370400440532013000"
    assert "37O4" in iban.raw and iban.confidence <= 0.7
    vat = fields["vendor"]["tax_id"]  # type: ignore[index]
    assert vat.value == "DE136695976" and "S" in vat.raw


def test_born_digital_ids_are_left_as_printed() -> None:
    fields = _fields(ocr=False)
    assert fields["bank_details"]["iban"].value != "DE89370400440532013000"  # type: ignore[index]
    assert fields["vendor"]["tax_id"].value != "DE136695976"  # type: ignore[index]

"""Customer headings misread by OCR ("Adresse de lacluration") must not become the customer's name."""

from __future__ import annotations

import pymupdf

from pipeline.extract import extract_fields
from pipeline.extract.parties import _fuzzy_heading
from pipeline.load import load
from pipeline.tables import find_line_items


def _customer_name(heading: str, ocr: bool) -> object:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for x, y, text in ((40, 50, "Orbis SARL"), (420, 50, "FACTURE"), (40, 110, "Fournisseur"),
                       (40, 122, "Orbis SARL"), (40, 134, "101 boulevard Voltaire"), (40, 146, "69002 Lyon"),
                       (300, 110, heading), (300, 122, "Quintessa Systems Inc."),
                       (300, 134, "86 Main Street"), (300, 146, "Springfield, IL 62701")):
        page.insert_text((x, y), text, fontsize=9, fontname="helv")
    loaded = load(doc.tobytes())
    if ocr:
        for p in loaded.pages:
            p.text_source = "ocr"
    fields = extract_fields("invoice", loaded, find_line_items(loaded))
    return fields["customer"]["name"].value  # type: ignore[index]


def test_misread_heading_on_an_ocr_page_still_heads_the_customer_block() -> None:
    assert _customer_name("Adresse de facturation", ocr=False) == "Quintessa Systems Inc."
    assert _customer_name("Adresse de lacluration", ocr=True) == "Quintessa Systems Inc."


def test_fuzzy_headings_leave_names_and_field_labels_alone() -> None:
    assert _fuzzy_heading("Adresse de lacluration")
    assert _fuzzy_heading("Bil to:")
    assert not _fuzzy_heading("Invoice no:")  # one letter from "Invoice to", but a field label
    assert not _fuzzy_heading("Clint")  # a one-word name
    assert not _fuzzy_heading("Kestrel Partners")

"""Generic extraction: title, date, label/value pairs and tables found by geometry."""

from __future__ import annotations

from datetime import date

import pymupdf

from pipeline.extract.generic import extract_generic
from pipeline.model import Evidence, LoadedDocument, Page, Word
from pipeline.result import content_json, values_of
from pipeline.schemas.generic import GenericContent
from pipeline.tables import LineItems


def _line(texts: list[tuple[float, str]], y: float, size: float = 10.0) -> list[Word]:
    """Words at x positions on one baseline; each text may hold several words (6 pt per char)."""
    words = []
    for x, text in texts:
        for part in text.split(" "):
            words.append(Word(part, x, y, x + 6 * len(part), y + size, page=0))
            x += 6 * len(part) + 4
    return words


def _doc() -> LoadedDocument:
    words = (
        _line([(50, "Lieferschein")], 40, size=20)
        + _line([(50, "Muster GmbH")], 80)
        + _line([(50, "Datum: 03.04.2024")], 120)
        + _line([(50, "Kundennummer"), (300, "K-4711")], 140)
        + _line([(50, "Versandart:"), (300, "Spedition")], 160)
        + _line([(50, "Bitte prüfen Sie die Ware bei Anlieferung sorgfältig.")], 700)
    )
    return LoadedDocument("application/pdf", [Page(0, 595, 842, words)])


def test_title_date_and_key_values() -> None:
    tree = extract_generic(_doc(), LineItems(), "delivery_note")
    assert tree["title"].value == "Lieferschein"
    assert tree["document_type"].value == "delivery_note"
    assert tree["date"].value == date(2024, 4, 3)
    assert tree["date"].page == 0 and tree["date"].bbox is not None
    pairs = [(p["key"].value, p["value"].value) for p in tree["key_values"]]
    assert ("Datum", "03.04.2024") in pairs
    assert ("Kundennummer", "K-4711") in pairs
    assert ("Versandart", "Spedition") in pairs
    assert not any(k.startswith("Bitte") for k, _ in pairs)  # a sentence is not a label


def test_month_first_dates_when_the_document_says_so() -> None:
    words = _line([(50, "Statement")], 40, size=18) + _line([(50, "Date: 04/03/2024")], 80)
    words += _line([(50, "Period end: 12/31/2023")], 100)
    doc = LoadedDocument("application/pdf", [Page(0, 612, 792, words)])
    assert extract_generic(doc, LineItems(), "generic")["date"].value == date(2024, 4, 3)


def test_tables_from_line_items_and_content_validates() -> None:
    row_words = _line([(50, "Schrauben"), (300, "4"), (400, "2,50")], 300)
    rows = [
        {"description": Evidence.from_words("Schrauben", row_words[:1], 0.9),
         "quantity": Evidence.from_words(4.0, row_words[1:2], 0.9),
         "total": Evidence.from_words(2.5, row_words[2:], 0.9)},
    ]
    items = LineItems(rows=rows, regions=[(0, (40, 290, 500, 320))], confidence=0.8)
    tree = extract_generic(_doc(), items, "delivery_note")
    assert len(tree["tables"]) == 1
    assert tree["tables"][0].value == [["description", "quantity", "total"], ["Schrauben", "4", "2,50"]]
    content = content_json(GenericContent, values_of(tree))
    assert content["title"] == "Lieferschein" and content["date"] == "2024-04-03"
    assert {"key": "Kundennummer", "value": "K-4711"} in content["key_values"]


def test_empty_document_gives_empty_content() -> None:
    doc = LoadedDocument("application/pdf", [Page(0, 595, 842, [])])
    tree = extract_generic(doc, LineItems(), "generic")
    content = content_json(GenericContent, values_of(tree))
    empty = {"document_type": "generic", "title": None, "date": None, "key_values": [], "tables": []}
    assert content == empty


def test_whole_pipeline_with_a_forced_generic_type() -> None:
    from pipeline import process_document

    pdf = pymupdf.open()
    page = pdf.new_page()
    page.insert_text((50, 60), "Mitgliedsbescheinigung", fontsize=22)
    page.insert_text((50, 110), "Mitgliedsnummer: 88-1234", fontsize=10)
    page.insert_text((50, 130), "Ausgestellt am: 15. März 2024", fontsize=10)
    page.insert_text((50, 160), "Hiermit bestätigen wir die Mitgliedschaft.", fontsize=10)
    result = process_document(pdf.tobytes(), filename="m.pdf", document_type="generic")
    content = result["content"]
    assert content["title"] == "Mitgliedsbescheinigung"
    assert content["date"] == "2024-03-15"
    assert {"key": "Mitgliedsnummer", "value": "88-1234"} in content["key_values"]
    assert result["fields"]["title"]["bbox"][1] < 0.1

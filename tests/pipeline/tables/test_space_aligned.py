"""Tables typed as one string per line, columns aligned with runs of spaces in a proportional font.

Such layouts (text exports, simple PDF generators) print every line from the same left margin, so
the totals block starts at the description column's left edge and values drift off their header
cells by the width differences of the text before them.
"""

from __future__ import annotations

from decimal import Decimal

from pipeline.model import Word
from pipeline.tables.cells import parse_money
from pipeline.tables.labels import is_totals_amount_text
from tests.pipeline.tables.conftest import Sheet, values

HEADER = "Description              Qty     Unit price     Amount"


def _typed(sheet: Sheet, lines: list[str]) -> None:
    y = 60.0
    for line in lines:
        sheet.put(50, y, line, size=11)
        y += 22


def test_totals_block_at_the_left_margin_ends_the_table(sheet: Sheet) -> None:
    _typed(sheet, [
        "ACME Supplies GmbH, Hauptstrasse 1, 10115 Berlin",
        "Bill to: Example Customer Ltd, 42 High Street, London",
        HEADER,
        "Consulting services      2       100.00 EUR     200.00 EUR",
        "Software licence         1       290.00 EUR     290.00 EUR",
        "Subtotal: 490.00 EUR",
        "VAT 19%: 93.10 EUR",
        "Total: 583.10 EUR",
        "Page 1 of 1",
    ])
    items = sheet.items()
    assert values(items, "description") == ["Consulting services", "Software licence"]
    assert values(items, "quantity") == [Decimal(2), Decimal(1)]
    assert values(items, "unit_price") == [Decimal("100.00"), Decimal("290.00")]
    assert values(items, "total") == [Decimal("200.00"), Decimal("290.00")]


def test_values_pushed_across_column_boundaries_follow_the_arithmetic(sheet: Sheet) -> None:
    # Upper-case text is much wider than the header word it is padded against: its row's values land
    # one or two header cells to the right; the thin lower-case row pulls its values left.
    _typed(sheet, [
        HEADER,
        "MAINTENANCE WORK WEEKEND 12      1100.00 EUR    13200.00 EUR",
        "illicit little tiny item 3       11.00 EUR      33.00 EUR",
        "Consulting services      2       100.00 EUR     200.00 EUR",
        "Zwischensumme 13433,00 EUR",
    ])
    items = sheet.items()
    assert values(items, "description") == [
        "MAINTENANCE WORK WEEKEND", "illicit little tiny item", "Consulting services"]
    assert values(items, "quantity") == [Decimal(12), Decimal(3), Decimal(2)]
    assert values(items, "unit_price") == [Decimal("1100.00"), Decimal("11.00"), Decimal("100.00")]
    assert values(items, "total") == [Decimal("13200.00"), Decimal("33.00"), Decimal("200.00")]


def test_a_description_number_is_not_moved_without_arithmetic(sheet: Sheet) -> None:
    # "Model 2000" ends in a number but nothing makes 2000 x price = total: it stays in the text.
    _typed(sheet, [
        HEADER,
        "Printer Model 2000       1       250.00 EUR     250.00 EUR",
        "Total: 250.00 EUR",
    ])
    items = sheet.items()
    assert values(items, "description") == ["Printer Model 2000"]
    assert values(items, "quantity") == [Decimal(1)]


def test_totals_label_with_amounts_only() -> None:
    for text in ("Subtotal: 490.00 EUR", "VAT 19%: 93.10 EUR", "Total TTC 583,10 €", "MwSt. 19 % 93,10",
                 "Zwischensumme 490,00 €", "Sous-total HT : 490,00", "IVA (21%) 10,00", "Subtotaal € 490,00",
                 "Amount due $583.10", "Totaal EUR 1.234,56", "Gesamt 1 234,56 EUR"):
        assert is_totals_amount_text(text), text
    for text in ("Total station rental 1 50.00 50.00", "VAT registration service 50.00", "Total", "Subtotal"):
        assert not is_totals_amount_text(text), text


def _words(*texts: str) -> list[Word]:
    return [Word(t, 10.0 * k, 0, 10.0 * k + 8, 10, 0, 1.0, 0, 0) for k, t in enumerate(texts)]


def test_amounts_are_never_glued_across_words() -> None:
    # "Rs 1939 x 1 Night x 1 Room": the numbers are a rate and two counts, not 193911.
    assert parse_money(_words("Rs", "1939", "1", "1"), None) == Decimal(1939)
    assert parse_money(_words("1939", "x", "1", "Night"), None) != Decimal(19391)
    # Real digit groups still join.
    assert parse_money(_words("1", "234,56"), ",") == Decimal("1234.56")
    assert parse_money(_words("€", "1", "234", "567.89"), ".") == Decimal("1234567.89")


def test_oyo_rate_cell_is_one_amount(shared_data) -> None:  # type: ignore[no-untyped-def]
    from pipeline.load import load
    from pipeline.tables import find_line_items

    path = shared_data / "invoice2data" / "i2d_oyo.pdf"
    items = find_line_items(load(path.read_bytes()))
    prices = [r["unit_price"].value for r in items.rows if "unit_price" in r]
    assert prices and all(p == Decimal(1939) for p in prices)

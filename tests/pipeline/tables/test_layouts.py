"""Regressions for layout causes found on unseen invoices: each test builds the smallest PDF that shows
the cause, with labels and numbers that differ from the documents where it was seen."""

from __future__ import annotations

from decimal import Decimal

from pipeline.tables.labels import match_labels
from tests.pipeline.tables.conftest import Col, Sheet, values

D = Decimal


def test_adjacent_labels_with_a_column_gap_are_two_columns(sheet: Sheet) -> None:
    """"VAT" | "Amount" side by side are a tax column and the line total, not one "VAT amount"."""
    cols = [Col(50), Col(330, True), Col(400, True), Col(450, True), Col(530, True)]
    sheet.row(200, cols, ["Details", "Quantity", "Rate", "VAT", "Amount"], font="cour")
    rows = [("Hosting plan", "2", "15.00", "20%", "30.00"), ("Domain renewal", "3", "12.50", "20%", "37.50")]
    for k, r in enumerate(rows):
        sheet.row(218 + 14 * k, cols, list(r), font="cour")
    sheet.put(380, 270, "Subtotal", font="cour")
    items = sheet.items()
    assert values(items, "unit_price") == [D("15.00"), D("12.50")]
    assert values(items, "total") == [D("30.00"), D("37.50")]
    assert values(items, "tax_rate") == [D("20"), D("20")]


def test_phrase_still_matches_across_a_word_space() -> None:
    assert match_labels(["Tax", "Amount"])[0].field == "tax_amount"  # type: ignore[union-attr]
    split = match_labels(["Tax", "Amount"], frozenset({1}))
    assert split[0].field == "tax" and split[1].field == "total"  # type: ignore[union-attr]


def test_dutch_description_and_abbreviated_quantity(sheet: Sheet) -> None:
    """"Beschrijving" / "Aant." are ordinary Dutch headers; unknown, the description was lost."""
    cols = [Col(50), Col(380, True), Col(460, True), Col(530, True)]
    sheet.row(200, cols, ["Nr. Beschrijving", "Aant.", "Prijs", "Bedrag"])
    for y, (pos, desc, q, p, t) in ((218, ("1", "Kabelgoot 3 m", "6", "4,25", "25,50")),
                                    (232, ("2", "Montage", "2", "60,00", "120,00"))):
        sheet.put(50, y, pos)
        sheet.row(y, [Col(66), *cols[1:]], [desc, q, p, t])
    sheet.put(380, 270, "Totaal excl. btw")
    items = sheet.items()
    assert values(items, "quantity") == [D("6"), D("2")]
    assert values(items, "unit_price") == [D("4.25"), D("60.00")]
    assert values(items, "description") == ["Kabelgoot 3 m", "Montage"]


def test_long_description_beside_a_narrow_position_column(sheet: Sheet) -> None:
    """Position numbers one short gap left of the description: a long first word is still the
    description's, not a run-on of the position cell."""
    cols = [Col(62, True), Col(70), Col(380, True), Col(460, True), Col(530, True)]
    sheet.row(200, cols, ["Nr.", "Artikel", "Aantal", "Eenheidsprijs", "Bedrag"])
    sheet.row(218, cols, ["1", "Softwarelicentie (jaarlijks)", "1", "9,60", "9,60"])
    sheet.row(232, cols, ["2", "Onderhoudscontract", "1", "985,96", "985,96"])
    sheet.row(246, cols, ["3", "Stoel", "2", "513,83", "1027,66"])
    sheet.put(380, 290, "Totaal excl. btw")
    items = sheet.items()
    assert values(items, "description") == ["Softwarelicentie (jaarlijks)", "Onderhoudscontract", "Stoel"]
    assert values(items, "position") == ["1", "2", "3"]


def test_spanish_abbreviated_unit_price(sheet: Sheet) -> None:
    """"P. unit." (precio unitario) is the unit price, not a unit-of-measure column."""
    cols = [Col(50), Col(380, True), Col(460, True), Col(530, True)]
    sheet.row(200, cols, ["Concepto", "Cant.", "P. unit.", "Importe"])
    sheet.row(218, cols, ["Cable de cobre", "10", "2,30", "23,00"])
    sheet.row(232, cols, ["Instalación", "1,5", "40,00", "60,00"])
    sheet.put(380, 270, "Base imponible")
    items = sheet.items()
    assert values(items, "unit_price") == [D("2.30"), D("40.00")]
    assert values(items, "total") == [D("23.00"), D("60.00")]


def _vat_breakdown(sheet: Sheet, y: float, heads: tuple[str, str, str], note: str) -> None:
    """A small VAT table under the items, its columns between the item table's amount columns."""
    sheet.put(46, y, note)
    for x, text in zip((380, 460, 540), heads, strict=True):
        sheet.put(x, y, text, right=True)
    for k, (rate, net, vat) in enumerate((("19 %", "1.180,00", "224,20"), ("7 %", "60,00", "4,20"))):
        for x, text in zip((380, 460, 540), (rate, net, vat), strict=True):
            sheet.put(x, y + 13 * (k + 1), text, right=True)
    sheet.put(317, y + 50, "Gesamtbetrag")
    sheet.put(540, y + 50, "1.468,40", right=True)


def test_vat_breakdown_under_the_items_is_not_read_as_rows(sheet: Sheet) -> None:
    """Its own little header ("Satz Basis Steuer", labels we need not know) ends the item table."""
    cols = [Col(50), Col(420, True), Col(490, True), Col(545, True)]
    sheet.row(200, cols, ["Bezeichnung", "Menge", "Einzelpreis", "Betrag"])
    sheet.row(218, cols, ["Schrauben M4", "100", "11,80", "1.180,00"])
    sheet.row(232, cols, ["Lieferung", "1", "60,00", "60,00"])
    _vat_breakdown(sheet, 270, ("Satz", "Basis", "Steuer"), "Zahlbar in 30 Tagen")
    items = sheet.items()
    assert values(items, "total") == [D("1180.00"), D("60.00")]


def test_vat_breakdown_atop_a_continuation_page_is_not_a_table(sheet: Sheet) -> None:
    """Page 2 opens with the VAT breakdown of a table that ended on page 1 with "Übertrag"."""
    cols = [Col(50), Col(420, True), Col(490, True), Col(545, True)]
    sheet.row(200, cols, ["Bezeichnung", "Menge", "Einzelpreis", "Betrag"])
    sheet.row(218, cols, ["Schrauben M4", "100", "11,80", "1.180,00"])
    sheet.row(232, cols, ["Lieferung", "1", "60,00", "60,00"])
    sheet.put(70, 250, "Übertrag")
    sheet.put(545, 250, "1.240,00", right=True)
    sheet.put(50, 800, "Kontor GmbH, Hafenstr. 2, 20457 Hamburg   IBAN DE02 1203 0000 0000 2020 51")
    sheet.put(555, 820, "Seite 1 von 2", right=True)
    sheet.new_page()
    _vat_breakdown(sheet, 80, ("Satz", "Netto", "USt."), "Vielen Dank")
    sheet.put(555, 820, "Seite 2 von 2", right=True)
    items = sheet.items()
    assert values(items, "total") == [D("1180.00"), D("60.00")]
    assert len(items.regions) == 1


def test_two_item_columns_without_a_description_label(sheet: Sheet) -> None:
    """"Artikel | Leistung": the article number first, the service text after it."""
    cols = [Col(50), Col(120), Col(420, True), Col(490, True), Col(545, True)]
    sheet.row(200, cols, ["Artikel", "Leistung", "Anz.", "Preis", "Betrag"])
    sheet.row(218, cols, ["A-4711", "Wartung Heizung", "2", "80,00", "160,00"])
    sheet.row(232, cols, ["B-0815", "Anfahrt", "1", "35,00", "35,00"])
    items = sheet.items()
    assert values(items, "description") == ["Wartung Heizung", "Anfahrt"]
    assert values(items, "product_code") == ["A-4711", "B-0815"]


def test_thousands_separated_by_a_thin_space(sheet: Sheet) -> None:
    """"4 809,41 EUR": the text layer gives one word per digit group; the groups are one amount and
    stay in their column instead of the leading group drifting into the quantity column."""
    cols = [Col(50), Col(411, True), Col(474, True), Col(547, True)]
    sheet.row(200, cols, ["Libellé", "Qté", "Prix HT", "Total HT"])
    sheet.row(218, cols, ["Fournitures de bureau", "100", "4 809,41 EUR", "480 941,00 EUR"])
    sheet.row(232, cols, ["Contrat de maintenance", "2", "309,95 EUR", "619,90 EUR"])
    sheet.put(317, 270, "Total HT")
    items = sheet.items()
    assert values(items, "quantity") == [D("100"), D("2")]
    assert values(items, "unit_price") == [D("4809.41"), D("309.95")]
    assert values(items, "total") == [D("480941.00"), D("619.90")]


def _outline(sheet: Sheet, y: float, items: list[tuple[str, list[tuple[str, str]], str]]) -> float:
    for name, children, amount in items:
        sheet.put(50, y, name)
        sheet.put(540, y, amount, right=True)
        y += 16
        for label, value in children:
            sheet.put(62, y, label)
            sheet.put(540, y, value, right=True)
            y += 14
    return y


def test_statement_items_with_breakdown_lines_that_add_up(sheet: Sheet) -> None:
    """No header, one amount column: items are the outer lines whose indented lines sum to them."""
    sheet.put(50, 100, "Summary")
    y = _outline(sheet, 120, [("Service charges", [("Usage", "$12.40"), ("Credits", "$0.00")], "$12.40")])
    sheet.put(50, y, "Total for this statement")
    sheet.put(540, y, "$12.40", right=True)
    sheet.put(50, y + 40, "Detail")
    _outline(sheet, y + 60, [
        ("Mobile line 0612", [("Subscription", "$9.90"), ("Roaming", "$1.25")], "$11.15"),
        ("Fixed line", [("Subscription", "$1.25"), ("Calls", "$0.00")], "$1.25"),
    ])
    items = sheet.items()
    assert values(items, "description") == ["Mobile line 0612", "Fixed line"]
    assert values(items, "total") == [D("11.15"), D("1.25")]


def test_a_header_over_no_rows_does_not_hide_the_pages_outline(sheet: Sheet) -> None:
    """AWS on scanner seed 1951: the prose under its charges (tax notes, "amount", "charges")
    was taken for a table header, and as the page had a header its outline of charges was never
    looked for; the header held no rows. A header over no rows is no table: the page is read as
    one without a header."""
    sheet.put(50, 100, "Detail")
    y = _outline(sheet, 120, [
        ("Mobile line 0612", [("Subscription", "$9.90"), ("Roaming", "$1.25")], "$11.15"),
        ("Fixed line", [("Subscription", "$1.25"), ("Calls", "$0.00")], "$1.25"),
    ])
    cols = [Col(50), Col(330, True), Col(430, True), Col(530, True)]
    sheet.row(y + 200, cols, ["Description", "Quantity", "Unit Price", "Amount"])
    items = sheet.items()
    assert values(items, "description") == ["Mobile line 0612", "Fixed line"]
    assert values(items, "total") == [D("11.15"), D("1.25")]


def test_outline_that_does_not_add_up_is_no_table(sheet: Sheet) -> None:
    _outline(sheet, 120, [
        ("Opening balance", [("Paid", "$9.90"), ("Open", "$4.00")], "$11.15"),
        ("Account 2", [("Paid", "$3.00"), ("Open", "$0.00")], "$1.25"),
    ])
    assert sheet.items().rows == []


def test_section_titles_are_not_glued_to_descriptions(sheet: Sheet) -> None:
    """Framed titles ("== Hardware ==") and a title above the first row of a table whose rows wrap
    downwards belong to no item; a barcode-style "*CODE*" opening a description is the code."""
    cols = [Col(50), Col(330, True), Col(430, True), Col(530, True)]
    sheet.row(200, cols, ["Description", "Quantity", "Unit Price", "Amount"])
    sheet.put(50, 218, "Hardware")
    sheet.row(236, cols, ["Docking station", "2", "120.00", "240.00"])
    sheet.put(50, 247, "USB-C, 90 W")
    sheet.put(50, 265, "== Services ==")
    sheet.row(283, cols, ["*SRV-10* Installation", "3", "45.00", "135.00"])
    sheet.put(50, 294, "On site, per hour")
    sheet.put(380, 330, "Subtotal")
    items = sheet.items()
    assert values(items, "description") == ["Docking station\nUSB-C, 90 W", "Installation\nOn site, per hour"]
    assert values(items, "product_code") == [None, "SRV-10"]


def test_unit_price_printed_only_on_the_line_below_the_amounts(sheet: Sheet) -> None:
    """A row whose net unit price stands alone under the amounts ("(Net) 60,00" below a line with
    quantity and total only): the price comes from that line, with its word as the evidence (the
    row's anchor line has no price cell at all; that raised a KeyError)."""
    cols = [Col(50), Col(330, True), Col(420, True), Col(530, True)]
    sheet.row(200, cols, ["Description", "Qty", "Unit price", "Amount"])
    sheet.row(218, cols, ["Support contract", "2", "", "120,00"])
    sheet.row(229, cols, ["March", "", "60,00", ""])
    sheet.row(247, cols, ["Travel costs", "1", "35,00", "35,00"])
    sheet.put(380, 280, "Total excl. VAT")
    items = sheet.items()
    assert values(items, "unit_price") == [D("60.00"), D("35.00")]
    assert values(items, "total") == [D("120.00"), D("35.00")]
    assert items.rows[0]["unit_price"].raw == "60,00"


def test_a_price_for_a_base_quantity_is_divided_by_it(sheet: Sheet) -> None:
    """akretion's FOURNITURES PAPIER: "(Net): 30,00" in the price cell, "3 PCE" in the unit cell the
    price is for ("UNITÉ pour P.U.", EN 16931's base quantity), 3,00 ordered, 2,00 off, 28,00 in all:
    the price is 10,00 a piece. Where the price is per piece ("1 PCE") it stays as printed."""
    cols = [Col(50), Col(300, True), Col(350), Col(420, True), Col(470, True), Col(530, True)]
    sheet.row(200, cols, ["Désignation", "P.U. HT", "Unité", "Qté", "Remise", "Total HT"])
    sheet.row(218, cols, ["FOURNITURES PAPIER", "(Rabais: 1,00)", "3 PCE", "3,00", "-2,00", "28,00"])
    sheet.row(227, cols, ["", "(Net): 30,00", "", "", "", ""])
    sheet.row(245, cols, ["APPEL", "(Rabais: 0,00)", "1 PCE", "2,00", "", "14,00"])
    sheet.row(254, cols, ["", "(Net): 7,00", "", "", "", ""])
    sheet.put(380, 290, "Total HT")
    items = sheet.items()
    assert values(items, "unit_price") == [D("10.00"), D("7.00")]
    assert items.rows[0]["unit_price"].raw == "30,00"


def test_staggered_header_cells_with_a_preposition_before_a_label(sheet: Sheet) -> None:
    """A French header whose cells are centred in one, two or three lines ("Remise (-) / Charge (+)
    / (EUR)" beside "Qté"): the lines stand at half-line steps. "pour P.U." printed tight after
    "P.U. HT (EUR)" qualifies the unit under "UNITÉ", not the price before it; glued to the price,
    "UNITÉ" above it seemed to reach across two columns, the band lost its upper lines and the
    quantity took the prices. The body's first line ("# ligne BC: 1", one digit in four words) is
    no wrapped header line below it."""
    size = 7.0

    def put(x: float, y: float, text: str, right: bool = False) -> None:
        sheet.put(x, y, text, right=right, size=size)

    put(60, 150, "# ligne BC")
    put(400, 150, "Remise (-)")
    put(300, 154.5, "UNITÉ")
    put(455, 154.5, "TOTAL HT")
    for x, text in ((30, "Ligne"), (60, "CODE"), (120, "DÉSIGNATION"), (370, "Qté"), (400, "Charge (+)"),
                    (515, "TVA")):
        put(x, 162, text)
    put(295, 162, "P.U. HT (EUR)", right=True)
    put(297, 162, "pour P.U.")
    put(460, 167.5, "(EUR)")
    put(30, 172.5, "FACT")
    put(60, 172.5, "REF")
    put(410, 172.5, "(EUR)")
    rows = [("CONSEIL SUR SITE - Description", "80,00", "2,00", "160,00"),
            ("LICENCES ANNUELLES - Description", "45,00", "4,00", "180,00"),
            ("FORMATION - Description", "12,50", "1,00", "12,50")]
    for k, (desc, price, qty, total) in enumerate(rows):
        y = 180 + 26 * k
        put(60, y, f"# ligne BC: {k + 1}")
        put(120, y + 3, desc)
        put(33, y + 8, str(k + 1))
        put(295, y + 8, price, right=True)
        put(300, y + 8, "PCE")
        put(388, y + 8, qty, right=True)
        put(490, y + 8, total, right=True)
        put(535, y + 8, "20,00%", right=True)
    put(400, 280, "Total HT")
    put(490, 280, "352,50", right=True)
    items = sheet.items()
    assert values(items, "description") == [r[0] for r in rows]
    assert values(items, "quantity") == [D("2.00"), D("4.00"), D("1.00")]
    assert values(items, "unit_price") == [D("80.00"), D("45.00"), D("12.50")]
    assert values(items, "total") == [D("160.00"), D("180.00"), D("12.50")]


def test_a_preposition_opens_a_header_cell_when_the_label_after_it_is_misread(sheet: Sheet) -> None:
    """"pour P.U." read as "for PjU." on the line of "P.U. HT (EUR)" (F20180027 on scanner seed
    1123): the preposition still opens a cell of its own under "UNIT", so the prices keep their
    column instead of being read as the unit's."""
    sheet.horstoeko_table("for PjU.")
    sheet.put(460, 167.5, "(EUR)", size=7.0)
    sheet.put(400, 260, "Total HT", size=7.0)
    sheet.put(490, 260, "95,00", right=True, size=7.0)
    items = sheet.items()
    assert values(items, "unit_price") == [D("60.00"), D("10.00"), D("5.00")]
    assert values(items, "quantity") == [D("1.00"), D("3.00"), D("1.00")]


def test_quantity_under_a_discount_header_when_its_own_header_is_lost(sheet: Sheet) -> None:
    """A scan lost the short "Qté" header: the quantities sit under the next header, "Remise (-)"
    (horstoeko's sample, scanner seed 353). Where unit price x those numbers = total on the rows, they
    are the quantities, not discounts; a real discount column (price x 1 - discount = total) stays
    a discount."""
    cols = [Col(50), Col(330, True), Col(420, True), Col(530, True)]
    sheet.row(200, cols, ["Désignation", "P.U. HT", "Remise (-)", "Total HT"])
    sheet.row(218, cols, ["Prestation support", "60,00", "1,00", "60,00"])
    sheet.row(236, cols, ["Fournitures diverses", "10,00", "3,00", "30,00"])
    sheet.row(254, cols, ["Appel", "5,00", "1,00", "5,00"])
    items = sheet.items()
    assert values(items, "quantity") == [D("1.00"), D("3.00"), D("1.00")]
    assert values(items, "discount_amount") == [None, None, None]

    other = Sheet()
    other.new_page()
    other.row(200, cols, ["Désignation", "P.U. HT", "Remise (-)", "Total HT"])
    other.row(218, cols, ["Prestation support", "60,00", "1,00", "59,00"])
    other.row(236, cols, ["Fournitures diverses", "10,00", "3,00", "7,00"])
    items = other.items()
    assert values(items, "discount_amount") == [D("1.00"), D("3.00")]
    assert values(items, "quantity") == [None, None]

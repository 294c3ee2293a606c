"""Totals on pages whose words were perturbed the way OCR perturbs them (no OCR engine run).

A born-digital invoice is built with PyMuPDF, its words are misread ("$" as "S" or "8"), and the
page is marked `text_source = "ocr"`: arithmetic must prove any reading the totals take.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal

import pymupdf
import pytest

from pipeline.extract import extract_fields
from pipeline.load import load
from pipeline.model import LoadedDocument
from pipeline.ocr_repair import candidates
from pipeline.tables import find_line_items

ROWS = (("Service A", "12", "$10.00", "$120.00"), ("Service B", "5", "$1.50", "$7.50"))
TOTALS = ("$127.50", "$0.00", "$127.50")


def _invoice(rows: tuple[tuple[str, ...], ...] = ROWS, totals: tuple[str, ...] = TOTALS) -> LoadedDocument:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)

    def put(x: float, y: float, text: str, right: bool = False) -> None:
        if right:
            x -= pymupdf.get_text_length(text, fontname="helv", fontsize=9)
        page.insert_text((x, y), text, fontsize=9, fontname="helv")

    put(40, 60, "ACME Services Ltd")
    put(400, 60, "INVOICE")
    put(400, 80, "Invoice No: 1001")
    put(400, 95, "Date: 2024-03-01")
    for y, row in zip((150, 175, 200), (("Item", "Qty", "Unit Price", "Amount"), *rows), strict=True):
        put(40, y, row[0])
        for x, text in zip((330, 430, 540), row[1:], strict=True):
            put(x, y, text, right=True)
    for y, label, amount in zip((260, 280, 300), ("Subtotal:", "Tax (20%):", "Total:"), totals, strict=True):
        put(400, y, label)
        put(540, y, amount, right=True)
    return load(doc.tobytes())


def _totals(
    misread: Callable[[str], str], ocr: bool = True, doc: LoadedDocument | None = None
) -> dict[str, object]:
    doc = doc or _invoice()
    for page in doc.pages:
        page.words = [dataclasses.replace(w, text=misread(w.text)) for w in page.words]
        if ocr:
            page.text_source = "ocr"
    fields = extract_fields("invoice", doc, find_line_items(doc))
    return {k: fields[k] for k in ("subtotal", "tax_amount", "total")}


def test_totals_read_with_letters_are_proved_by_the_line_sum_and_the_sum() -> None:
    found = _totals(lambda t: t.replace("$", "S"))
    assert [found[k].value for k in ("subtotal", "tax_amount", "total")] == [  # type: ignore[attr-defined]
        Decimal("127.50"),
        Decimal("0.00"),
        Decimal("127.50"),
    ]
    assert found["total"].raw == "S127.50"  # type: ignore[attr-defined]
    assert found["total"].confidence <= 0.7  # type: ignore[attr-defined]


def test_a_wrong_reading_is_replaced_only_when_the_sum_proves_it() -> None:
    found = _totals(lambda t: {"$127.50": "8127.50"}.get(t, t))
    assert found["total"].value == Decimal("127.50")  # type: ignore[attr-defined]
    assert found["total"].raw == "8127.50"  # type: ignore[attr-defined]


def test_born_digital_totals_are_never_repaired() -> None:
    found = _totals(lambda t: t.replace("$", "S"), ocr=False)
    assert found["total"].value != Decimal("127.50")  # type: ignore[attr-defined]


def test_one_misread_sign_is_read_the_same_way_in_every_total() -> None:
    # "£" read as "E": E -> 3 would also add up (5000 + 31000 = 36000), but the subtotal's line sum
    # reads E as a sign, and one proof may not read the same glyph two ways.
    rows = (("Service A", "10", "£250.00", "£2500.00"), ("Service B", "10", "£250.00", "£2500.00"))
    doc = _invoice(rows, ("£5000.00", "£1000.00", "£6000.00"))
    found = _totals(lambda t: t.replace("£", "E"), doc=doc)
    assert [found[k].value for k in ("subtotal", "tax_amount", "total")] == [  # type: ignore[attr-defined]
        Decimal("5000.00"),
        Decimal("1000.00"),
        Decimal("6000.00"),
    ]


def test_a_dollar_sign_only_arithmetic_could_read_gives_the_currency() -> None:
    def fields(ocr: bool) -> object:
        doc = _invoice()
        for page in doc.pages:
            page.words = [dataclasses.replace(w, text=w.text.replace("$", "S")) for w in page.words]
            if ocr:
                page.text_source = "ocr"
        return extract_fields("invoice", doc, find_line_items(doc))["currency"]

    assert fields(ocr=True).value == "USD"  # type: ignore[attr-defined]
    assert fields(ocr=True).confidence <= 0.5  # type: ignore[attr-defined]
    assert fields(ocr=False).value is None  # type: ignore[attr-defined]


def test_dollar_read_for_a_digit_does_not_vote_and_a_letter_sign_takes_the_vendors_country() -> None:
    from pipeline.normalize.currency import currency_votes, detect_currency

    assert detect_currency("Unit $ , Riverside Park", ocr=True) == (None, 0.0)
    assert detect_currency("Unit $ , Riverside Park")[0] == "USD"  # a text layer's "$" is a "$"
    assert detect_currency("Total: $ 12.00", ocr=True)[0] == "USD"
    # Flipkart's scan: one "$" misread in an address against one rupee sign read right.
    scanned = "NO. 43I & $3, KICHERAKANAHALLI\nPromotional Discount of Rs -40.00"
    assert detect_currency(scanned, ocr=True)[0] == "INR"
    assert detect_currency(scanned.replace("Rs -40.00", "$ 40.00 and $ 12.00"), ocr=True)[0] == "USD"
    # Seed 467: two more codes' first digits read "$" ("Indiu - $6017", "$132415345"): no amounts.
    assert detect_currency(scanned + "\nIndiu - $6017\nPack: $132415345", ocr=True)[0] == "INR"
    assert currency_votes("$1,200 / 1 200.00 $ / $ 1200.50 / $12", ocr=True)["USD"] == 2
    # Seed 487: a speck in prose read as a euro sign ties no more with the rupee sign of an amount.
    assert detect_currency("#Keep this invoice € 'and\n" + scanned, ocr=True)[0] == "INR"
    assert detect_currency("Preis (€) Betrag (€)", ocr=True)[0] == "EUR"
    # Seed 499: unreadable small print with signs glued to letters; no rupee sign was read.
    assert detect_currency("tnd #ser €smmptin / rekasl sale ad tx jur %€-Jule", ocr=True)[0] is None
    assert detect_currency("Gesamt: 12,50€", ocr=True)[0] == "EUR"
    # Seed 941: the address's "&" read "£" before a house number, tying with the rupee sign. Beside
    # a whole number of three digits or fewer an OCR'd sign weighs half; alone it still names one.
    house = "NO. 42/1 £ 43, KACHERAKANAHALLI\nPromotional Discount of Rs -40.00"
    assert detect_currency(house, ocr=True)[0] == "INR"
    assert detect_currency("Total 12 €", ocr=True)[0] == "EUR"
    # Seed 997: a postcode read "$06*7"; a whole number opening with a zero is no amount.
    assert detect_currency("Karnataka Inliat = $06*7", ocr=True)[0] is None
    assert detect_currency("Rounding $ 0", ocr=True)[0] == "USD"
    # Seed 1487: a lone "€" against a rupee sign before an amount past reading, half a vote each,
    # named none; the "€" stands between two words of a sentence, so it names nothing (seed 3511
    # below) and the rupee sign's half vote decides.
    tie = "Keep this mmete €\nDiscount & Rs -00"
    assert detect_currency(tie, ocr=True) == (None, 0.0)
    assert detect_currency(tie.replace("-00", "-40.00"), ocr=True)[0] == "INR"
    assert detect_currency("Keep this mmete € and\nDiscount & Rs -00", ocr=True)[0] == "INR"
    # Seed 3511: the lone "€" between two words of the sentence, the rupee sign's amount past
    # reading ("Rs ~40.(O;"): the "€" is a misread letter and names nothing; in brackets, after a
    # word or before one it still does.
    assert detect_currency("Keep this ivoic € and\nDiscount of Rs ~40.(O;", ocr=True)[0] is None
    assert detect_currency("Keep this ivoic € and") == ("EUR", 0.99)  # a text layer's sign is one
    for head in ("Betrag (€)", "Währung €", "€ Betrag"):
        assert detect_currency(head, ocr=True)[0] == "EUR", head
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    lines = [
        (40, 60, "Kestrel Partners Ltd"),
        (40, 72, "Unit $ , Riverside Park"),
        (40, 100, "INVOICE"),
        (330, 500, "Subtotal:"),
        (480, 500, "E100.00"),
        (330, 514, "Tax 20%:"),
        (480, 514, "E20.00"),
        (330, 528, "Total:"),
        (480, 528, "E120.00"),
        (40, 700, "Tax ID: GB823341162"),
    ]
    for x, y, text in lines:
        page.insert_text((x, y), text, fontsize=9, fontname="helv")
    loaded = load(doc.tobytes())
    for p in loaded.pages:
        p.text_source = "ocr"
    fields = extract_fields("invoice", loaded, find_line_items(loaded))
    assert fields["currency"].value == "GBP"  # type: ignore[union-attr]
    assert fields["currency"].confidence < 0.5  # type: ignore[union-attr]


def test_a_net_with_a_digit_misread_for_another_needs_two_proofs() -> None:
    """'$127.60' for $127.50 parses, so only arithmetic can tell: the line items ($120 + $7.50) and
    the gross less the tax both say 127.50, and then the reading with a digit swap is taken (raw
    stays as read, confidence lower). On a text layer the same text stays as it is."""
    doc = _invoice(totals=("$127.50", "$25.50", "$153.00"))  # no row total reads $127.50

    def misread(text: str) -> str:
        return "$127.60" if text == "$127.50" else text

    found = _totals(misread, doc=doc)
    sub = found["subtotal"]
    assert sub.value == Decimal("127.50") and sub.raw == "$127.60" and sub.confidence <= 0.7  # type: ignore[attr-defined]
    assert found["tax_amount"].value == Decimal("25.50")  # type: ignore[attr-defined]
    assert found["total"].value == Decimal("153.00")  # type: ignore[attr-defined]
    as_printed = _totals(misread, ocr=False, doc=_invoice(totals=("$127.50", "$25.50", "$153.00")))
    assert as_printed["subtotal"].value == Decimal("127.60")  # type: ignore[attr-defined]


def _summary_only(net: str, tax: str = "71,51", rate: str = "19,00% MwSt.") -> LoadedDocument:
    """An invoice without line items whose totals are a VAT summary row (ZUGFeRD's leasing sample)."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for x, y, text in (
        (40, 60, "Alphabet Fuhrparkmanagement GmbH"), (400, 80, "Rechnungsnummer: 2015738820"),
        (400, 95, "Datum 01.11.2024"), (40, 200, "Gesamtbeträge"), (230, 200, "Netto EUR"),
        (330, 200, "MwSt EUR"), (430, 200, "Brutto EUR"), (120, 220, rate),
        (230, 220, net), (330, 220, tax), (430, 220, "447,88"), (150, 240, "Summe gesamt"),
        (430, 240, "447,88"),
    ):
        page.insert_text((x, y), text, fontsize=9, fontname="helv")
    return load(doc.tobytes())


@pytest.mark.parametrize("net", ["316,37", "316,31"])
def test_a_vat_summary_row_proves_a_net_read_with_digits_swapped(net: str) -> None:
    """'316,37' or '316,31' for 376,37 (seeds 131 and 101): 19 % of 376,37 is 71,51 and 376,37 +
    71,51 is the gross on the same row, two checks that agree, so the summary row and the net take
    that reading on a scan; a text layer keeps what it prints."""
    found = _totals(lambda t: t, doc=_summary_only(net))
    assert found["subtotal"].value == Decimal("376.37")  # type: ignore[attr-defined]
    assert found["subtotal"].raw == net and found["subtotal"].confidence <= 0.7  # type: ignore[attr-defined]
    assert found["tax_amount"].value == Decimal("71.51")  # type: ignore[attr-defined]
    assert found["total"].value == Decimal("447.88")  # type: ignore[attr-defined]
    doc = _summary_only(net)
    for p in doc.pages:
        p.text_source = "ocr"
    fields = extract_fields("invoice", doc, find_line_items(doc))
    (row,) = fields["tax_breakdown"]
    assert row["net_amount"].value == Decimal("376.37") and row["net_amount"].confidence <= 0.6
    printed = _totals(lambda t: t, ocr=False, doc=_summary_only(net))
    assert printed["subtotal"].value != Decimal("376.37")  # type: ignore[attr-defined]
    printed_doc = _summary_only(net)
    assert extract_fields("invoice", printed_doc, find_line_items(printed_doc))["tax_breakdown"] == []


def test_a_vat_summary_tax_read_a_digit_off_within_rounding_is_what_the_gross_and_the_rate_say() -> None:
    """ZUGFeRD's sample on seed 3911: its summary row "19,00% | 376,37 | 71,51 | 447,88" read with
    the tax "71,81", no look-alike of 71,51 but within the rounding a summary's rate is allowed
    (0.5 % of the tax), so it stood and was taken for the tax. On a scan the gross on the row and
    the rate agree on 71,51, one digit from the reading; a text layer keeps what it prints."""
    found = _totals(lambda t: t, doc=_summary_only("376,37", tax="71,81"))
    assert found["tax_amount"].value == Decimal("71.51")  # type: ignore[attr-defined]
    assert found["subtotal"].value == Decimal("376.37")  # type: ignore[attr-defined]
    printed = _totals(lambda t: t, ocr=False, doc=_summary_only("376,37", tax="71,81"))
    assert printed["tax_amount"].value == Decimal("71.81")  # type: ignore[attr-defined]


def test_a_dash_before_a_column_gap_signs_no_amount_of_a_vat_summary_row() -> None:
    """ZUGFeRD's sample on seed 2969: "19,00% MwSt . - | 376,37 | 11,51 | 447,88", a speck read as a
    dash at the end of the rate's cell. It made the net -376.37, so the row (and with it the tax
    read with a 7 as a 1) was lost. A dash with a column's gap after it signs nothing on a scan."""
    doc = _summary_only("376,37", tax="11,51", rate="19,00% MwSt . -")
    for p in doc.pages:
        p.text_source = "ocr"
    fields = extract_fields("invoice", doc, find_line_items(doc))
    (row,) = fields["tax_breakdown"]
    assert row["net_amount"].value == Decimal("376.37") and row["tax_amount"].value == Decimal("71.51")
    assert fields["tax_amount"].value == Decimal("71.51")  # type: ignore[attr-defined]


def test_a_closing_bracket_after_the_total_is_dropped_where_the_line_sum_proves_it() -> None:
    """"34,73)" (QualityHosting's total on scanner seed 251): no value as read; without the bracket
    the line items' sum proves it. The raw text stays as read."""
    found = _totals(lambda t: t + ")" if t == "$127.50" else t)
    assert found["total"].value == Decimal("127.50")  # type: ignore[attr-defined]
    assert found["total"].raw == "$127.50)"  # type: ignore[attr-defined]
    assert found["subtotal"].value == Decimal("127.50")  # type: ignore[attr-defined]


@pytest.mark.parametrize("read", ["$127.501", "127.500"])
def test_a_frame_rule_read_after_the_total_is_dropped_where_the_line_sum_proves_it(read: str) -> None:
    """"34,731" (QualityHosting's total on scanner seed 461: the cell's right rule read as "1"), or
    "34,730" (latin5 on seed 2011; it parses to 34.73 but is no amount as read, three decimals):
    without the rule the line items' sum proves it; a "1" before the decimals is never dropped."""
    seen: list[str] = []

    def rule_after_total(text: str) -> str:  # the second "$127.50" is the total's
        seen.append(text)
        return read if seen.count("$127.50") == 2 and text == "$127.50" else text

    found = _totals(rule_after_total)
    assert found["total"].raw == read  # type: ignore[attr-defined]
    assert found["total"].value == Decimal("127.50")  # type: ignore[attr-defined]
    assert "127.50" in {t for t, _ in candidates("127.501", 1)}
    assert "1275." not in {t for t, _ in candidates("1275.1", 1)}
    assert "34,7" not in {t for t, _ in candidates("34,71", 1)}


def _two_columns_of_totals(net: str, gross_label: str = "Subtotaal") -> LoadedDocument:
    """coolblue's totals: the net at the left, a "Subtotaal" (gross) on the same line at the right."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for x, y, text in (
        (40, 60, "Coolblue B.V."), (400, 80, "Factuurnummer: 12345678"), (400, 95, "Datum 21-04-2015"),
        (60, 580, "Exclusief BTW"), (160, 580, net), (330, 580, gross_label), (480, 580, "€717,97"),
        (80, 592, "BTW 21%"), (160, 592, "€124,61"), (330, 604, "Totaal"), (480, 604, "€717,97"),
    ):
        page.insert_text((x, y), text, fontsize=9, fontname="helv")
    return load(doc.tobytes())


def test_a_euro_sign_read_as_a_bracket_before_the_net_is_proved_by_the_sum() -> None:
    """coolblue on scan seed 37: "€593,36" read "(593,36", so the net's label has no amount up to the
    next label ("Subtotaal", the gross); "(" as a misread sign gives 593,36, and 593,36 + 124,61 =
    717,97 proves it. On a text layer the bracket stays unread."""
    found = _totals(lambda t: t, doc=_two_columns_of_totals("(593,36"))
    assert found["subtotal"].value == Decimal("593.36")  # type: ignore[attr-defined]
    assert found["subtotal"].raw == "(593,36"  # type: ignore[attr-defined]
    assert found["tax_amount"].value == Decimal("124.61")  # type: ignore[attr-defined]
    assert found["total"].value == Decimal("717.97")  # type: ignore[attr-defined]
    printed = _totals(lambda t: t, ocr=False, doc=_two_columns_of_totals("(593,36"))
    assert printed["subtotal"].value != Decimal("593.36")  # type: ignore[attr-defined]


def test_a_euro_sign_read_as_a_digit_a_space_before_the_net_is_proved_by_the_sum() -> None:
    """coolblue on scanner seed 1229: "€ 593,36" read "6 593,36", which reads as 6593,36 and adds up
    with nothing; "6" as the sign gives 593,36, which 593,36 + 124,61 = 717,97 proves."""
    found = _totals(lambda t: t, doc=_two_columns_of_totals("6 593,36"))
    assert found["subtotal"].value == Decimal("593.36")  # type: ignore[attr-defined]
    assert found["subtotal"].raw == "6 593,36"  # type: ignore[attr-defined]
    assert found["total"].value == Decimal("717.97")  # type: ignore[attr-defined]


def test_a_speck_read_as_a_one_after_the_nets_sign_is_proved_away_by_the_sum() -> None:
    """coolblue on scanner seed 3061: "€ 593,36" read "€ 1593,36", which adds up with nothing, and
    the gross beside it was taken for the net. Without the "1" after the sign, 593,36 + 124,61 =
    717,97 proves it; raw stays as read."""
    found = _totals(lambda t: t.replace("·", "€"), doc=_two_columns_of_totals("€ 1593,36"))  # base14 has no €
    assert found["subtotal"].value == Decimal("593.36")  # type: ignore[attr-defined]
    assert found["subtotal"].raw == "€ 1593,36"  # type: ignore[attr-defined]
    assert found["total"].value == Decimal("717.97")  # type: ignore[attr-defined]


def test_a_totals_label_misread_by_a_letter_still_ends_the_net_labels_value() -> None:
    """coolblue on scanner seed 307: "Subtotaal" read "Subtotaa", no label, so "Exclusief BTW" took
    the gross at the line's end (717,97) for the net. A totals word a letter off ends the net's
    value there too on an OCR'd page."""
    found = _totals(lambda t: t, doc=_two_columns_of_totals("€593,36", "Subtotaa"))
    assert found["subtotal"].value == Decimal("593.36")  # type: ignore[attr-defined]
    assert found["total"].value == Decimal("717.97")  # type: ignore[attr-defined]


_SAECO_HEADS = ("BTW %", "Grondslag", "BTW bedrag", "Totaal")


def _vat_summary_with_sum_row(tax: str, net: str = "41,31", heads: tuple[str, ...] = _SAECO_HEADS,
                              extra: tuple[tuple[float, float, str], ...] = ()) -> LoadedDocument:
    """saeco's VAT summary: heads, one row per rate, then the sum row under the same heads."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for x, y, text in (
        (40, 60, "Saeco Nederland"), (400, 80, "Factuurnummer: 90045678"), (400, 95, "Datum 08-09-2022"),
        *zip((300, 360, 430, 510), (400,) * 4, heads, strict=True),
        (300, 412, "21%"), (360, 412, net), (430, 412, tax), (510, 412, "49,99"),
        (360, 424, "41,31"), (430, 424, "8,68"), (510, 424, "49,99"), *extra,
    ):
        page.insert_text((x, y), text, fontsize=9, fontname="helv")
    return load(doc.tobytes())


def test_the_sum_row_under_a_vat_summarys_head_is_the_tax_where_the_rate_row_was_misread() -> None:
    """saeco on scanner seed 353: the rate row's tax read "18,68" (a rule's speck as a "1"); the sum
    row under "BTW bedrag" prints 8,68, and 41,31 + 8,68 = 49,99 where 18,68 adds up to nothing.
    The first amount under a head stays the stronger: where it adds up, it is taken."""
    found = _totals(lambda t: t, doc=_vat_summary_with_sum_row("18,68"))
    assert found["tax_amount"].value == Decimal("8.68")  # type: ignore[attr-defined]
    assert found["subtotal"].value == Decimal("41.31")  # type: ignore[attr-defined]
    assert found["total"].value == Decimal("49.99")  # type: ignore[attr-defined]
    found = _totals(lambda t: t, doc=_vat_summary_with_sum_row("8,68"))
    assert found["tax_amount"].value == Decimal("8.68")  # type: ignore[attr-defined]
    assert found["tax_amount"].bbox[1] < 412  # type: ignore[attr-defined]  # the rate row's


def test_a_vat_summary_net_read_past_mending_is_gross_less_tax_where_the_rate_agrees() -> None:
    """saeco on seed 701: the heads misread ("BIW %", "Grondsiag", "BIWbedrag", "Jotaal") and the
    rate row's net read "431". 49,99 - 8,68 = 41,31, and 21 % of 41,31 is 8,68: the rate row is
    read, the tax is its tax, the net follows. A text layer's row prints what it prints."""
    heads = ("BIW %", "Grondsiag", "BIWbedrag", "Jotaal")
    extra = ((300, 300, "Factuur totaal EUR"), (510, 300, "49,99"))
    found = _totals(lambda t: t, doc=_vat_summary_with_sum_row("8,68", "431", heads, extra))
    assert found["tax_amount"].value == Decimal("8.68")  # type: ignore[attr-defined]
    assert found["subtotal"].value == Decimal("41.31")  # type: ignore[attr-defined]
    printed = _vat_summary_with_sum_row("8,68", "431", heads, extra)
    assert extract_fields("invoice", printed, find_line_items(printed))["tax_breakdown"] == []


@pytest.mark.parametrize("tax", ["71 LA 51", "71. r 51"])
def test_a_vat_summary_tax_read_as_no_amount_is_gross_less_net_where_the_rate_agrees(tax: str) -> None:
    """ZUGFeRD's leasing sample on seeds 353 and 359: the Courier comma of "71,51" read as letters
    ("71 LA 51"; "51 447,88" then parses as one grouped number). 376,37 + 19 % is 447,88 on the same
    row, so the tax is 447,88 - 376,37 = 71,51, its raw the text between. A text layer prints what
    it prints: no tax is made up there."""
    found = _totals(lambda t: t, doc=_summary_only("376,37", tax))
    assert found["tax_amount"].value == Decimal("71.51")  # type: ignore[attr-defined]
    assert found["tax_amount"].raw == tax  # type: ignore[attr-defined]
    assert found["subtotal"].value == Decimal("376.37")  # type: ignore[attr-defined]
    assert found["total"].value == Decimal("447.88")  # type: ignore[attr-defined]
    printed_doc = _summary_only("376,37", tax)
    assert extract_fields("invoice", printed_doc, find_line_items(printed_doc))["tax_breakdown"] == []


def _gross_rows_invoice(grand_total: str) -> LoadedDocument:
    """Flipkart's layout: line totals with the tax in them, a table total row, and a grand total
    with no net printed."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for x, y, text in (
        (40, 60, "WS Retail Services Pvt. Ltd."), (400, 60, "Invoice No: BLR-1001"),
        (400, 75, "Date: 20-10-2015"), (40, 150, "Product Title"), (300, 150, "Qty"), (340, 150, "Price"),
        (400, 150, "Tax"), (480, 150, "Total"),
        (40, 170, "Memory card 16 GB"), (300, 170, "1"), (340, 170, "278.61"), (400, 170, "40.39"),
        (480, 170, "319.00"), (250, 200, "Total"), (300, 200, "1"), (340, 200, "278.61"), (400, 200, "40.39"),
        (480, 200, "319.00"), (380, 240, "Grand Total"), (470, 240, grand_total),
    ):
        page.insert_text((x, y), text, fontsize=9, fontname="helv")
    return load(doc.tobytes())


def test_without_a_net_the_gross_the_line_items_sum_to_beats_a_sign_read_as_a_digit() -> None:
    """Flipkart on scanner seed 479: "₹ 319.00" read "7 319.00", an amount of 7319.00 as read; with
    no net printed, the line items (tax included) sum to the gross, 319.00, printed on the table's
    total row."""
    doc = _gross_rows_invoice("7 319.00")
    for p in doc.pages:
        p.text_source = "ocr"
    fields = extract_fields("invoice", doc, find_line_items(doc))
    assert fields["total"].value == Decimal("319.00")  # type: ignore[attr-defined]


@pytest.mark.parametrize("rate", ["19,0oA", "19,004", "19,00A", "19,0on"])
def test_a_vat_summary_rate_with_its_percent_sign_misread_is_proved_by_its_row(rate: str) -> None:
    """akretion's "20,00%" read "20,0oA", "20,004", "10,0on" on scans: a rate with two decimals
    and a misread sign is the row's rate where net x rate = tax proves it; a text layer has no such
    rate."""
    for ocr, rows in ((True, 1), (False, 0)):
        doc = _summary_only("376,37")
        for p in doc.pages:
            p.words = [dataclasses.replace(w, text=rate) if w.text == "19,00%" else w for w in p.words]
            p.text_source = "ocr" if ocr else p.text_source
        breakdown = extract_fields("invoice", doc, find_line_items(doc))["tax_breakdown"]
        assert len(breakdown) == rows
        if rows:
            assert breakdown[0]["rate"].value == Decimal("19.00")
            assert breakdown[0]["tax_amount"].value == Decimal("71.51")


def test_a_tax_above_its_net_is_the_net_and_the_tax_the_wrong_way_round() -> None:
    """ZUGFeRD's leasing sample on seed 601: "Nettobetrag" read "Nettobetraq" (no net label), so
    its 376,37 beside "MwSt." was a tax candidate, and gross - tax made a net of 71,51. No tax rate
    comes near 100 %: the tax is the smaller one."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for x, y, text in (
        (40, 60, "Alphabet Fuhrparkmanagement GmbH"), (400, 80, "Rechnungsnummer: 2015738820"),
        (400, 95, "Datum 01.11.2024"), (40, 180, "Nettobetraq (zzgl 19,00% MwSt.)"), (430, 180, "376,37"),
        (40, 200, "Gesamtbeträge"), (230, 200, "Netto EUR"), (330, 200, "MwSt EUR"), (430, 200, "Brutto EUR"),
        (150, 220, "19,00% MwSt."), (230, 220, "316737"), (330, 220, "71,51"), (430, 220, "447,88"),
        (150, 240, "Summe gesamt"), (430, 240, "447,88"),
    ):
        page.insert_text((x, y), text, fontsize=9, fontname="helv")
    found = _totals(lambda t: t, doc=load(doc.tobytes()))
    assert found["tax_amount"].value == Decimal("71.51")  # type: ignore[attr-defined]
    assert found["subtotal"].value == Decimal("376.37")  # type: ignore[attr-defined]
    assert found["total"].value == Decimal("447.88")  # type: ignore[attr-defined]
    from pipeline.extract.context import Candidate
    from pipeline.extract.invoice import _tax_over_net

    def amount(v: str) -> Candidate:
        return Candidate(Decimal(v), 1.0, [], v, "", 0.0, 0)

    assert _tax_over_net(amount("376.37"), amount("376.37"), None)  # the net taken twice (seed 653)
    assert not _tax_over_net(amount("376.37"), amount("71.51"), amount("447.88"))
    assert _tax_over_net(None, amount("376.37"), amount("447.88"))  # its net would be 71.51
    # the gross misread "147,88" (seed 3769): a net of 76,37 for a tax of 71,51 is no rate either
    assert _tax_over_net(None, amount("71.51"), amount("147.88"))


def test_a_misread_amount_under_its_totals_head_is_proved_by_the_sum() -> None:
    """F20180027 on seed 1117: the heads "TOTAL HT  TOTAL TVA  TOTAL TTC" over "10O,00  10,00
    110,00", the net's middle zero read as a letter. Only the value right of a label had readings;
    the one under a head has them too, and 100,00 + 10,00 = 110,00 proves it: the net is the printed
    word, not only gross less tax (all a text layer's "10O,00" gives)."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for x, y, text in ((40, 60, "LE FOURNISSEUR"), (400, 80, "FACTURE N° F20180027"),
                       (360, 500, "TOTAL HT"), (420, 500, "TOTAL TVA"), (490, 500, "TOTAL TTC"),
                       (366, 514, "10O,00"), (429, 514, "10,00"), (506, 514, "110,00")):
        page.insert_text((x, y), text, fontsize=9, fontname="helv")
    scanned = _totals(lambda t: t, doc=load(doc.tobytes()))
    assert scanned["subtotal"].value == Decimal("100.00")  # type: ignore[attr-defined]
    assert scanned["subtotal"].raw == "10O,00"  # type: ignore[attr-defined]
    assert _totals(lambda t: t, ocr=False, doc=load(doc.tobytes()))["subtotal"].raw is None  # type: ignore[attr-defined]


def test_a_net_head_read_total_mt_is_the_net_on_a_scan() -> None:
    """akretion's and F20180027's totals row read "TOTAL MT  TOTAL TVA  TOTAL TTC" by latin5 (seeds
    2273 and 2293): "TOTAL" alone took the net's 100,00 for the gross, and the net became 97,80. On
    an OCR'd page the "MT" after a totals word is its "HT"; a text layer's stays as printed (its net
    is only gross less tax there)."""
    def doc() -> LoadedDocument:
        pdf = pymupdf.open()
        page = pdf.new_page(width=595, height=842)
        for x, y, text in ((40, 60, "LE FOURNISSEUR"), (400, 80, "FACTURE N° F20260023"),
                           (160, 420, "Détail TVA"), (390, 420, "20,00%"), (430, 420, "11,00"),
                           (490, 420, "2,20"),
                           (390, 432, "10,00%"), (430, 432, "27,00"), (490, 432, "2,70"),
                           (360, 500, "TOTAL MT"), (420, 500, "TOTAL TVA"), (490, 500, "TOTAL TTC"),
                           (366, 514, "100,00"), (429, 514, "4,90"), (506, 514, "104,90")):
            page.insert_text((x, y), text, fontsize=9, fontname="helv")
        return load(pdf.tobytes())

    scanned = _totals(lambda t: t, doc=doc())
    assert [scanned[k].value for k in ("subtotal", "tax_amount", "total")] == [  # type: ignore[attr-defined]
        Decimal("100.00"), Decimal("4.90"), Decimal("104.90")]
    assert scanned["subtotal"].bbox is not None  # type: ignore[attr-defined]  # read under its head
    assert _totals(lambda t: t, ocr=False, doc=doc())["subtotal"].bbox is None  # type: ignore[attr-defined]


def test_a_small_sign_read_as_a_digit_before_a_total_is_no_thousands_group() -> None:
    """Flipkart's "Grand Total ₹319.00" on seed 2333: the rupee sign, printed small, read as a "3"
    boxed apart, and the space made "3 319.00" one amount (3319.00). On a scan a one-character word
    well under the number's height is no digit group of it; a text layer's "3 319.00" stays one."""
    def doc() -> LoadedDocument:
        pdf = pymupdf.open()
        page = pdf.new_page(width=595, height=842)
        page.insert_text((40, 60), "Flipkart", fontsize=12, fontname="helv")
        page.insert_text((40, 80), "Invoice Number # FKRSC0001", fontsize=9, fontname="helv")
        page.insert_text((390, 320), "Grand Total", fontsize=14, fontname="helv")
        page.insert_text((503, 316), "3", fontsize=6, fontname="helv")
        page.insert_text((515, 320), "319.00", fontsize=14, fontname="helv")
        return load(pdf.tobytes())

    assert _totals(lambda t: t, doc=doc())["total"].value == Decimal("319.00")  # type: ignore[attr-defined]
    assert _totals(lambda t: t, ocr=False, doc=doc())["total"].value == Decimal("3319.00")  # type: ignore[attr-defined]


def test_an_amount_after_a_word_on_the_nets_line_is_another_labels_on_a_scan() -> None:
    """coolblue2 on seed 2347: "Exclusief BTW € 4.053,67" and, on the same line, "Subtotaal
    € 4.904,94" read "Subroraal 64.904,94" (no label, its sign a 6). The net took the line's
    rightmost amount, 64.904,94, and the total was lost with it. On a scan a segment that opens
    with a word ends the search for the net's value once an amount was found."""
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    for x, y, text in ((40, 60, "coolblue"), (400, 80, "Factuurnummer 2014001"),
                       (80, 576, "Exclusief BTW"), (157, 576, "€ 4.053,67"), (430, 576, "Subroraal"),
                       (513, 576, "64.904,94"), (97, 588, "BTW 21%"), (163, 588, "€ 851,27"),
                       (441, 600, "Totaal"), (511, 600, "€ 4.904,94")):
        page.insert_text((x, y), text, fontsize=9, fontname="helv")
    scanned = _totals(lambda t: t, doc=load(pdf.tobytes()))
    assert [scanned[k].value for k in ("subtotal", "tax_amount", "total")] == [  # type: ignore[attr-defined]
        Decimal("4053.67"), Decimal("851.27"), Decimal("4904.94")]


def test_dates_do_not_make_the_point_the_pages_decimal_mark() -> None:
    """QualityHosting prints a service period on every row ("01.05.14-31.05.14") and its amounts
    with a comma ("3,89"): the dates' points outnumbered the commas, so "34,7" read for "34,73" was
    no amount (seed 1279). A date's pieces are no decimals."""
    from pipeline.extract.context import _decimal_mark

    row = "1 Small Business 01.05.14-31.05.14 Rechnung vom 12.05.2014 3,89 3,89"
    rows = "\n".join([row] * 7)
    assert _decimal_mark(rows + "\nTotal EUR 34,7") == ","
    assert _decimal_mark("Total 12.50 and 3.99, 1,234.56 due 12.05.2014") == "."


def test_an_amount_whose_last_decimal_was_lost_has_readings_with_each_digit() -> None:
    """ "Total EUR 34,7" for 34,73 (QualityHosting on seed 1279): where the page prints two decimals,
    each last digit is a reading, for the line items' sum to prove to the cent."""
    from pipeline.extract.ocr_amounts import _readings

    values = [v for v, _ in _readings("34,7", ",", dollars=False)]
    assert Decimal("34.73") in values and Decimal("34.79") in values
    assert not [v for v, _ in _readings("34,7", ".", dollars=False) if v == Decimal("34.73")]


def test_an_amount_whose_decimal_mark_was_read_as_a_gap_is_proved_by_the_sums() -> None:
    """ "Total EUR 34 73" for "34,73", two words (QualityHosting on seed 2389): the whole units before
    the two decimals are read with them, and the reading with the mark is proved by subtotal + tax."""
    from pipeline.extract.ocr_amounts import _readings

    assert Decimal("34.73") in [v for v, _ in _readings("34 73", ",", dollars=False)]
    found = _totals(lambda t: t, doc=_invoice(totals=("$127.50", "$0.00", "127 50")))
    assert found["total"].value == Decimal("127.50")  # type: ignore[attr-defined]
    assert found["total"].raw == "127 50"  # type: ignore[attr-defined]


def test_a_total_whose_mark_was_read_twice_is_proved_by_the_sums() -> None:
    """ "$279.,84" for "$279.84" (Azure read by latin5 on seed 2749): parsed as read it was 279, the
    amount cut at the doubled mark; read with one mark it is what subtotal + tax prove."""
    found = _totals(lambda t: t, doc=_invoice(totals=("$127.50", "$0.00", "$127.,50")))
    assert found["total"].value == Decimal("127.50")  # type: ignore[attr-defined]
    assert found["total"].raw == "$127.,50"  # type: ignore[attr-defined]


def _totals_row_invoice(tax_head: str) -> LoadedDocument:
    """akretion's totals: a VAT summary whose tax amount was misread ("2,20" read "12,20"), and a row of
    net, tax and gross under heads."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for x, y, text in ((40, 60, "LE FOURNISSEUR"), (400, 60, "FACTURE N° F20260023"),
                       (360, 600, "Taux"), (420, 600, "Base TVA"), (480, 600, "Montant TVA"),
                       (360, 615, "20,00%"), (420, 615, "11,00"), (480, 615, "12,20"),
                       (360, 650, "TOTAL HT"), (420, 650, tax_head), (480, 650, "TOTAL TTC"),
                       (360, 665, "100,00"), (420, 665, "4,90"), (480, 665, "104,90"),
                       (360, 700, "NET A PAYER"), (480, 700, "104,90 EUR")):
        page.insert_text((x, y), text, fontsize=9, fontname="helv")
    return load(doc.tobytes())


@pytest.mark.parametrize("tax_head", ["TOTAL IVva", "TOTAL TVA"])
def test_the_amount_between_net_and_gross_on_their_row_that_adds_up_is_the_tax(tax_head: str) -> None:
    """akretion on scanner seed 2647: "TOTAL TVA" read "TOTAL IVva", so its 4,90 had no label and the
    VAT summary's misread "12,20" was the tax. The net's row prints 100,00 4,90 104,90: the amount
    after the net that makes the gross is the tax, its words the evidence."""
    got = _totals(lambda t: t, doc=_totals_row_invoice(tax_head))
    values = [got[k].value for k in ("subtotal", "tax_amount", "total")]  # type: ignore[attr-defined]
    assert values == [100, Decimal("4.90"), Decimal("104.90")]
    assert got["tax_amount"].raw == "4,90"

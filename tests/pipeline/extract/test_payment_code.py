"""Payment QR codes (EPC069-12, Swiss QR-bill): read from the page, and the evidence they give."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import cv2
import pymupdf
import pytest

from pipeline.extract import extract_fields
from pipeline.extract.payment_code import read_payment_code
from pipeline.load import load
from pipeline.model import LoadedDocument, PageCode
from pipeline.normalize.identifiers import is_valid_iban
from pipeline.tables import find_line_items

IBAN = "DE89370400440532013000"
# Valid by mod 97 too, two digits away: what a misread can make of IBAN and the checksum not catch.
NEAR_IBAN = "DE89079400440532013000"
EPC = f"BCD\n002\n1\nSCT\nCOBADEFFXXX\nACME Services GmbH\n{IBAN}\nEUR127.50\n\n\nINV 1001\n"
SWISS = "\n".join([
    "SPC", "0200", "1", "CH44 3199 9123 0008 8901 2", "S", "Robert Schneider AG", "Rue du Lac", "1268",
    "2501", "Biel", "CH", "", "", "", "", "", "", "", "1949.75", "CHF", "S", "Pia-Maria Rutschmann-Schnyder",
    "Grosse Marktgasse", "28", "9400", "Rorschach", "CH", "QRR", "210000000003139471430009017",
    "Order of 15 June 2020", "EPD",
])


def _code(text: str) -> PageCode:
    return PageCode(text, 300.0, 100.0, 360.0, 160.0)


def test_an_epc_code_gives_account_payee_and_amount() -> None:
    paid = read_payment_code(_code(EPC), 0)
    assert paid is not None
    assert (paid.iban, paid.bic, paid.name) == (IBAN, "COBADEFFXXX", "ACME Services GmbH")
    assert (paid.amount, paid.currency, paid.page) == (Decimal("127.50"), "EUR", 0)


def test_an_epc_code_without_bic_or_amount() -> None:
    text = "BCD\n002\n1\nSCT\n99-99-888\nCRONUS DE\nDE67 1004 8392 7221 8882 72\n\n\n\n103767\n"
    paid = read_payment_code(_code(text), 2)
    assert paid is not None
    assert (paid.iban, paid.bic, paid.amount, paid.currency) == ("DE67100483927221888272", None, None, None)
    assert paid.address is None  # an EPC code carries no address


def test_a_swiss_qr_bill() -> None:
    paid = read_payment_code(_code(SWISS), 0)
    assert paid is not None
    assert (paid.iban, paid.name, paid.amount, paid.currency) == (
        "CH4431999123000889012", "Robert Schneider AG", Decimal("1949.75"), "CHF")
    assert paid.address == "Rue du Lac 1268, 2501 Biel, CH"
    lines = SWISS.split("\n")
    lines[4:11] = ["K", "Robert Schneider AG", "Rue du Lac 1268", "2501 Biel", "", "", "CH"]
    combined = read_payment_code(_code("\n".join(lines)), 0)
    assert combined is not None and combined.address == "Rue du Lac 1268, 2501 Biel, CH"


@pytest.mark.parametrize("text", [
    "https://example.com/pay?id=1001",
    EPC.replace(IBAN, IBAN[:-1] + "1"),  # fails mod 97
    EPC.replace("SCT", "XYZ"),
    "BCD\n002",
    "",
])
def test_other_codes_are_no_payment(text: str) -> None:
    assert read_payment_code(_code(text), 0) is None


def _qr_png(text: str) -> bytes:
    modules = cv2.QRCodeEncoder.create().encode(text)
    ok, png = cv2.imencode(".png", cv2.resize(modules, None, fx=8, fy=8, interpolation=cv2.INTER_NEAREST))
    assert ok
    return png.tobytes()


CODE_RECT = (300, 90, 372, 162)  # 1 inch, between the address blocks


def _invoice(printed_iban: str | None = None, total: bool = True, code: str = EPC) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    lines = [(40, 60, "ACME Services GmbH"), (400, 60, "INVOICE"), (400, 80, "Invoice No: 1001"),
             (400, 95, "Date: 2024-03-01"), (40, 200, "Consulting, March 2024")]
    if total:
        lines += [(400, 260, "Subtotal: 127.50"), (400, 280, "Total: 127.50")]
    if printed_iban:
        lines.append((40, 400, f"IBAN: {printed_iban}"))
    for x, y, text in lines:
        page.insert_text((x, y), text, fontsize=9, fontname="helv")
    page.insert_image(pymupdf.Rect(*CODE_RECT), stream=_qr_png(code))
    page.insert_image(pymupdf.Rect(40, 700, 200, 740), stream=_qr_png("not square"), keep_proportion=False)
    return doc.tobytes()


def test_a_born_digital_page_reads_the_code_it_prints_as_an_image() -> None:
    (page,) = load(_invoice()).pages
    (code,) = page.codes
    assert code.text == EPC
    x0, y0, x1, y1 = CODE_RECT
    assert x0 - 1 <= code.x0 < code.x1 <= x1 + 1 and y0 - 1 <= code.y0 < code.y1 <= y1 + 1
    assert code.x1 - code.x0 > 0.7 * (x1 - x0)  # the modules, without the image's white border


def _fields(doc: LoadedDocument) -> dict:
    return extract_fields("invoice", doc, find_line_items(doc))


def test_the_code_gives_the_account_the_text_does_not_print() -> None:
    fields = _fields(load(_invoice()))
    iban, bic = fields["bank_details"]["iban"], fields["bank_details"]["bic"]
    assert (iban.value, bic.value) == (IBAN, "COBADEFFXXX")
    assert iban.page == 0 and iban.bbox is not None and iban.bbox[0] >= CODE_RECT[0] - 1
    assert fields["payment_details"] == []


def test_the_code_confirms_the_printed_account() -> None:
    fields = _fields(load(_invoice(printed_iban="DE89 3704 0044 0532 0130 00")))
    iban = fields["bank_details"]["iban"]
    assert iban.value == IBAN and iban.confidence >= 0.98
    assert iban.bbox is not None and iban.bbox[1] > 380  # the printed words stay its evidence


def _read_by_ocr(data: bytes, misread: dict[str, str]) -> LoadedDocument:
    doc = load(data)
    for page in doc.pages:
        page.words = [dataclasses.replace(w, text=misread.get(w.text, w.text)) for w in page.words]
        page.text_source = "ocr"
    return doc


def test_on_a_scan_the_code_corrects_a_misread_the_checksum_let_pass() -> None:
    assert is_valid_iban(NEAR_IBAN)
    doc = _read_by_ocr(_invoice(printed_iban="DE89 3704 0044 0532 0130 00"), {"3704": "0794"})
    assert _fields(doc)["bank_details"]["iban"].value == IBAN


def test_a_born_digital_account_other_than_the_code_is_kept_beside_it() -> None:
    fields = _fields(load(_invoice(printed_iban="DE89 0794 0044 0532 0130 00")))
    assert fields["bank_details"]["iban"].value == NEAR_IBAN
    assert [a["iban"].value for a in fields["payment_details"]] == [NEAR_IBAN, IBAN]


def test_the_code_fills_total_and_currency_the_text_lacks() -> None:
    fields = _fields(load(_invoice(total=False)))
    assert fields["total"].value == Decimal("127.50")
    assert fields["currency"].value == "EUR"
    assert fields["vendor"]["name"].value == "ACME Services GmbH"


def test_a_swiss_code_gives_the_vendor_address_the_text_lacks() -> None:
    fields = _fields(load(_invoice(total=False, code=SWISS)))
    assert fields["vendor"]["address"].value == "Rue du Lac 1268, 2501 Biel, CH"
    assert (fields["total"].value, fields["currency"].value) == (Decimal("1949.75"), "CHF")
    assert fields["bank_details"]["iban"].value == "CH4431999123000889012"


def test_a_printed_total_is_not_overridden_by_the_code() -> None:
    code = EPC.replace("EUR127.50", "EUR100.00")  # what is left to pay after a deposit
    fields = _fields(load(_invoice(code=code)))
    assert fields["total"].value == Decimal("127.50")


def test_the_largest_payment_code_printed_at_two_centimetres_is_read() -> None:
    """An EPC payload near its 331-byte limit makes a code of 69 modules (version 13); printed 2 cm
    (57 pt) wide it must still be read from the 200-pixel rendering (`load._CODE_PIXELS`)."""
    text = (f"BCD\n002\n1\nSCT\nCOBADEFFXXX\n{'A' * 70}\n{IBAN}\nEUR12.50\nCHAR\nRF18539007547034\n"
            f"{'x' * 140}\n{'y' * 60}")
    assert cv2.QRCodeEncoder.create().encode(text).shape[0] >= 69
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((40, 60), "Invoice 1001 of ACME Services GmbH", fontsize=9, fontname="helv")
    page.insert_image(pymupdf.Rect(300, 90, 357, 147), stream=_qr_png(text))
    (code,) = load(doc.tobytes()).pages[0].codes
    assert code.text == text

"""Classification of OCR'd pages: headings OCR misreads or glues, and shop order labels.

The pages are small PyMuPDF documents whose words are then marked as OCR output (and, where the
case needs it, perturbed the way EasyOCR reads them), so no OCR engine runs here.
"""

from __future__ import annotations

import dataclasses

import pymupdf
import pytest

from pipeline.classify import _ocr_title_text, classify, scores_of
from pipeline.load import load
from pipeline.model import LoadedDocument
from pipeline.normalize.similar import one_edit


def _page(lines: list[tuple[str, float]]) -> bytes:
    """One A4 page: each (text, font size) on its own line from the top."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    y = 60.0
    for text, size in lines:
        page.insert_text((40, y), text, fontsize=size)
        y += size * 1.6
    return doc.tobytes()


def _as_ocr(doc: LoadedDocument) -> LoadedDocument:
    """The same words as if OCR had read them off a scan."""
    for page in doc.pages:
        page.text_source = "ocr"
    return doc


# A shop's tax invoice as EasyOCR reads it: "Retail Invoice/Bill" glued into one word, the
# "Order ID" and "Order Date" of the web shop above the invoice number and date.
_SHOP_INVOICE = [
    ("Retail InvoicesIBill", 18.0),
    ("Invoice No # BLR_WFLD20151000982590", 10.0),
    ("Sold By: WS Retail Services Pvt Ltd", 10.0),
    ("Order ID: OD304175096047380001", 10.0),
    ("Order Date: 15-10-2015", 10.0),
    ("Invoice Date: 20-10-2015", 10.0),
    ("Product Qty Price Tax Total", 10.0),
    ("SanDisk Ultra 16 GB 1 278.61 40.39 319.00", 10.0),
    ("Grand Total 319.00", 12.0),
]


def test_glued_heading_and_shop_order_labels_read_as_invoice_on_ocr_pages() -> None:
    doc = _as_ocr(load(_page(_SHOP_INVOICE)))
    scores = scores_of(doc)
    assert classify(doc)[0] == "invoice"
    # The order labels are field labels of an invoice, no purchase-order evidence at all.
    assert scores["purchase_order"] == 0.0


def test_text_layer_pages_are_scored_as_before() -> None:
    """The mending is for OCR only: the same glued word in a text layer is no heading, and the
    order labels keep their old weight there."""
    born = scores_of(load(_page(_SHOP_INVOICE)))
    ocr = scores_of(_as_ocr(load(_page(_SHOP_INVOICE))))
    assert born["purchase_order"] > 0
    assert ocr["invoice"] > born["invoice"]


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("TAX lNVOICE", "invoice"),  # l for I
        ("Rechnunq", "invoice"),  # q for g
        ("PURCHASE 0RDER", "purchase_order"),  # short words are only matched exactly: body decides
        ("Lieferscheln", "delivery_note"),
        ("Gehaltsabrechnunq", "payslip"),
    ],
)
def test_heading_one_edit_off_is_still_the_title(heading: str, expected: str) -> None:
    body = {
        "invoice": [("Total 100.00", 10.0)],
        "purchase_order": [("PO number 4500012", 10.0), ("Supplier ACME", 10.0)],
        "delivery_note": [("Spediteur DHL", 10.0)],
        "payslip": [("Brutto 3.500,00", 10.0)],
    }[expected]
    # An address in body type, so the heading stands out against the page's median word height.
    address = [("ACME GmbH Musterstrasse 12 10115 Berlin Germany", 10.0)]
    doc = _as_ocr(load(_page([(heading, 22.0), *address, *body])))
    assert classify(doc)[0] == expected


def test_misread_heading_in_a_text_layer_is_not_mended() -> None:
    doc = load(_page([("lNVOICE", 22.0), ("ACME GmbH Musterstrasse 12 10115 Berlin", 10.0)]))
    assert scores_of(doc)["invoice"] == 0.0


def test_purchase_order_with_its_own_labels_stays_a_purchase_order() -> None:
    doc = _as_ocr(
        load(
            _page(
                [
                    ("PURCHASE ORDER", 22.0),
                    ("PO number 4500012", 10.0),
                    ("Order Date: 2024-03-01", 10.0),
                    ("Supplier: ACME GmbH", 10.0),
                    ("Requested delivery 2024-03-20", 10.0),
                ]
            )
        )
    )
    assert classify(doc)[0] == "purchase_order"


def testone_edit() -> None:
    assert one_edit("lnvoice", "invoice")
    assert one_edit("invoices", "invoice")
    assert one_edit("nvoice", "invoice")
    assert not one_edit("lnvoices", "invoice")
    assert not one_edit("contract", "contrat ")


def test_only_large_words_are_mended() -> None:
    # A small "contact" stays itself; a large glued heading splits at its capitals and mends.
    assert _ocr_title_text([("contact", False)]) == "contact"
    assert _ocr_title_text([("Retail", True), ("InvoicesIBill", True)]) == "retail invoice i bill"
    # A word one edit away from title words of two types is left alone.
    assert _ocr_title_text([("Quittunq", True)]) == "quittung"


def test_order_label_beside_large_type_is_no_purchase_order_heading() -> None:
    """On the Flipkart scan a customer name OCR boxed taller sits on the "Order Date:" line, so the
    line counts as large type; the label in body type is still no heading."""
    pdf = pymupdf.open(stream=_page(_SHOP_INVOICE), filetype="pdf")
    order_date_y = 60 + 18 * 1.6 + 3 * 10 * 1.6  # baseline of the fifth line, as _page places it
    pdf[0].insert_text((330, order_date_y), "Anushrut Singh", fontsize=18)
    doc = _as_ocr(load(pdf.tobytes()))
    assert scores_of(doc)["purchase_order"] == 0.0
    assert classify(doc)[0] == "invoice"


def test_an_invoice_number_label_in_body_type_still_makes_a_scan_an_invoice() -> None:
    """A legal-notice publisher's invoice: its large heading names the service, and "Facture n°"
    stands in body type beside the number. On a scan that label is no title (OCR can turn body text
    into anything), but it is an invoice's label, as "Rechnung Nr." and "Factura nº" are."""
    lines = [("PUBLICATION ANNONCE LEGALE", 16.0), ("Annonces legales et formalites en ligne", 9.0),
             ("ALEXINUX", 10.0), ("27 rue Henri Rolland", 10.0), ("69100 Villeurbanne", 10.0),
             ("Facture n° 2022089083", 10.0), ("Date : 28/11/2022", 10.0),
             ("Designation Nombre P.U. HT Montant HT", 10.0), ("Justificatif PDF 1 0,75 0,75", 10.0),
             ("Total HT : 46,68", 10.0), ("TVA 20% : 9,34", 10.0), ("Total TTC : 56,02", 10.0)]
    assert classify(_as_ocr(load(_page(lines))))[0] == "invoice"


def test_a_french_invoice_whose_title_ocr_lost_is_told_by_its_totals_labels() -> None:
    """akretion on scanner seed 619: the title unreadable ("FacTUREN""), the field labels "BON DE
    VENTE :", "CONTRAT", "COMMande:" left (their "N°" lost) made a receipt of it. "TOTAL HT" and
    "TOTAL TTC" are an invoice's totals labels, keywords as "TVA" is."""
    lines = [("ILOGo LE FOURNISSEUR FacTUREN\" F20260023", 10.0), ("BON DE VENTE : SALES REF 2547", 9.0),
             ("CONTRAT chalalfonu?", 9.0), ("O4Dl COMMande:80*01925478", 9.0)] + [("", 9.0)] * 20 + [
             ("Detail TVA", 9.0), ("TOTAL HT TOTAL TVA TOTAL TTC", 9.0), ("100,00 4,90 104,90", 9.0)]
    assert classify(_as_ocr(load(_page(lines))))[0] == "invoice"


def test_a_tall_speck_on_a_label_line_does_not_make_the_label_a_title() -> None:
    """horstoeko on scanner seed 1559: a frame's rule read "J", boxed 14 pt high, at the end of "N°
    BON DE COMMANDE : PO201925478" gave that line large type, so the label scored as a purchase
    order's title over the invoice's keywords. On a scan the title's own word must be large."""
    lines = [("FACTURE N°: F20200027", 9.0), ("Date : 15/01/2020", 9.0), ("SELLER TRADE NAME", 9.0),
             ("LE FOURNISSEUR", 9.0), ("N° CONTRAT : CT2018120802", 9.0),
             ("Ca BON DE COMMANDE : PO201925478", 9.0), ("Buyer", 9.0), ("", 9.0), ("Date de facture", 9.0),
             ("Échéance", 9.0), ("TOTAL HT TVA TOTAL TTC IBAN", 9.0)]
    doc = _as_ocr(load(_page(lines)))
    page = doc.pages[0]
    order = next(w for w in page.words if w.text == "PO201925478")
    tall = dataclasses.replace(order, text="J", x0=order.x1 + 120, x1=order.x1 + 124, y0=order.y0 - 3,
                               y1=order.y1 + 6)
    page.words = [*page.words, tall]
    assert classify(doc)[0] == "invoice"

"""Cross-check with the page, the side report of uncertain fields, CSV, Factur-X, ZUGFeRD 1.0, CLI."""

from __future__ import annotations

import copy
import csv
import io
import json
from decimal import Decimal

import facturx
import pymupdf
import pytest

from cli.main import main
from pipeline import load
from pipeline.einvoice import export, load_xml, merge_with_visual, read_embedded
from pipeline.einvoice.crosscheck import disagreeing_fields
from pipeline.model import Evidence
from tests.pipeline.einvoice.conftest import sample_path
from tests.pipeline.einvoice.generated import evidence_for

SAMPLE = "fx_mustang_103767_Invoice_2026_03_24_1"


def _page_copy(tree, page: int = 0):
    """The XML tree as if the page showed the same values, with boxes."""
    if isinstance(tree, Evidence):
        if tree.value is None:
            return tree
        return Evidence(tree.value, tree.raw, 0.9, page, (1.0, 2.0, 3.0, 4.0))
    if isinstance(tree, dict):
        return {k: _page_copy(v, page) for k, v in tree.items()}
    return [_page_copy(v, page) for v in tree]


def _xml_of(name: str) -> bytes:
    doc = load.load(sample_path(name).read_bytes())
    return doc.embedded_files["factur-x.xml"]


def test_planted_amount_disagreement_is_reported() -> None:
    xml = _xml_of(SAMPLE)
    page_tree = _page_copy(load_xml(xml).tree)
    planted = xml.replace(b"<ram:GrandTotalAmount>681.87<", b"<ram:GrandTotalAmount>691.87<")
    assert planted != xml
    merged, checks = merge_with_visual(load_xml(planted).tree, page_tree)
    assert disagreeing_fields(checks) == ["total"]
    failed = [c for c in checks if c.status == "fail"]
    assert failed[0].rule == "embedded_xml_matches_page" and "691.87" in failed[0].detail
    assert merged["total"].value == Decimal("691.87") and merged["total"].bbox is None  # XML wins
    assert merged["subtotal"].bbox == (1.0, 2.0, 3.0, 4.0) and merged["subtotal"].confidence == 1.0


def test_agreeing_page_gives_boxes_and_only_passes() -> None:
    tree = load_xml(_xml_of(SAMPLE)).tree
    merged, checks = merge_with_visual(tree, _page_copy(tree))
    assert checks and all(c.status == "pass" for c in checks)
    assert merged["line_items"][0]["total"].page == 0


def test_line_items_pair_by_content_and_page_only_values_are_kept() -> None:
    tree = load_xml(_xml_of("fx_mustang_Facture_F20180027")).tree
    page = _page_copy(tree)
    page["line_items"] = [page["line_items"][2], page["line_items"][0]]  # order changed, one missing
    page["line_items"][1]["quantity"] = Evidence(Decimal(2), "2", 0.9, 0, (0, 0, 1, 1))
    page["bank_details"]["bic"] = Evidence("AGRIFRPP", "AGRIFRPP", 0.8, 0, (0, 0, 1, 1))
    merged, checks = merge_with_visual(tree, page)
    assert disagreeing_fields(checks) == ["line_items[0].quantity"]
    assert merged["bank_details"]["bic"].value == "AGRIFRPP"  # the XML has none: the page's stays
    skipped = [c for c in checks if c.status == "skipped"]
    assert "line_items[1].total" in skipped[0].detail


def test_uncertain_fields_are_reported_not_hidden() -> None:
    invoice = load_xml(_xml_of(SAMPLE)).to_result()
    invoice["fields"] = evidence_for(invoice["content"], 0.95)
    invoice["fields"]["due_date"]["confidence"] = 0.4
    invoice["validation"] = [
        {"rule": "subtotal_plus_tax_equals_total", "status": "fail", "detail": "573 + 108.87 != 690"},
        {"rule": "iban_mod97", "status": "fail", "detail": ""},
        {"rule": "embedded_xml_matches_page", "status": "fail", "detail": "vendor.name: XML 'A', page 'B'"},
    ]
    for fmt in ("cii", "ubl", "csv"):
        _, _, uncertain = export(invoice, fmt)
        expected = {"due_date", "subtotal", "total", "tax_amount", "bank_details.iban", "vendor.name"}
        assert expected <= set(uncertain)
    invoice["content"]["line_items"] = []
    invoice["content"]["tax_breakdown"] = []
    data, _, uncertain = export(invoice, "cii")
    assert {"line_items", "tax_breakdown"} <= set(uncertain)  # derived values are named too
    assert facturx.xml_check_xsd(data, flavor="factur-x", level="en16931")


def test_csv_has_one_row_per_line_and_documented_columns() -> None:
    invoice = load_xml(_xml_of("fx_mustang_Facture_F20180027")).to_result()
    data, mime, _ = export(invoice, "csv", delimiter=";", decimal=",")
    assert mime.startswith("text/csv") and data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3 and {r["invoice_number"] for r in rows} == {"F20180027"}
    assert [r["line_total"] for r in rows] == ["60", "30", "5"] and rows[0]["total"] == "110"
    plain, _, _ = export(invoice, "csv", delimiter=",", bom=False)
    first = next(csv.DictReader(io.StringIO(plain.decode("utf-8"))))
    assert first["line_unit_price"] == "60" and first["tax_amount"] == "10"


@pytest.mark.parametrize("original_kind", ["pdf", "png"])
def test_facturx_export_reads_back_with_ours_and_the_library(original_kind: str) -> None:
    invoice = load_xml(_xml_of(SAMPLE)).to_result()
    original = sample_path(SAMPLE, ".visual.pdf").read_bytes()
    if original_kind == "png":
        original = pymupdf.open(stream=original)[0].get_pixmap(dpi=60).tobytes("png")
    pdf, mime, _ = export(invoice, "facturx", original)
    assert mime == "application/pdf"
    name, _xml = facturx.get_xml_from_pdf(pdf, check_xsd=True)
    assert name == "factur-x.xml"
    back = read_embedded(load.load(pdf))
    assert back is not None and back.profile.level == "en16931"
    assert back.to_result()["content"]["total"] == invoice["content"]["total"] == 681.87


ZUGFERD1 = b"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15">
 <rsm:SpecifiedExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>
  <ram:ID>urn:ferd:CrossIndustryDocument:invoice:1p0:comfort</ram:ID>
 </ram:GuidelineSpecifiedDocumentContextParameter></rsm:SpecifiedExchangedDocumentContext>
 <rsm:HeaderExchangedDocument><ram:ID>471102</ram:ID><ram:Name>RECHNUNG</ram:Name><ram:TypeCode>380</ram:TypeCode>
  <ram:IssueDateTime><udt:DateTimeString format="102">20130305</udt:DateTimeString></ram:IssueDateTime>
 </rsm:HeaderExchangedDocument>
 <rsm:SpecifiedSupplyChainTradeTransaction>
  <ram:ApplicableSupplyChainTradeAgreement>
   <ram:SellerTradeParty><ram:Name>Lieferant GmbH</ram:Name>
    <ram:PostalTradeAddress><ram:PostcodeCode>80333</ram:PostcodeCode>
     <ram:LineOne>Lieferantenstr. 20</ram:LineOne>
     <ram:CityName>M\xc3\xbcnchen</ram:CityName><ram:CountryID>DE</ram:CountryID></ram:PostalTradeAddress>
    <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">DE123456789</ram:ID></ram:SpecifiedTaxRegistration>
   </ram:SellerTradeParty>
   <ram:BuyerTradeParty><ram:Name>Kunden AG</ram:Name></ram:BuyerTradeParty>
   <ram:BuyerOrderReferencedDocument><ram:ID>PO-9</ram:ID></ram:BuyerOrderReferencedDocument>
  </ram:ApplicableSupplyChainTradeAgreement>
  <ram:ApplicableSupplyChainTradeSettlement>
   <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
   <ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>31</ram:TypeCode>
    <ram:PayeePartyCreditorFinancialAccount><ram:IBANID>DE08700901001234567890</ram:IBANID>
    </ram:PayeePartyCreditorFinancialAccount>
    <ram:PayeeSpecifiedCreditorFinancialInstitution><ram:BICID>GENODEF1M04</ram:BICID>
     <ram:Name>Hausbank M\xc3\xbcnchen</ram:Name></ram:PayeeSpecifiedCreditorFinancialInstitution>
   </ram:SpecifiedTradeSettlementPaymentMeans>
   <ram:ApplicableTradeTax><ram:CalculatedAmount currencyID="EUR">37.62</ram:CalculatedAmount>
    <ram:TypeCode>VAT</ram:TypeCode><ram:BasisAmount currencyID="EUR">198.00</ram:BasisAmount>
    <ram:CategoryCode>S</ram:CategoryCode><ram:ApplicablePercent>19.00</ram:ApplicablePercent>
   </ram:ApplicableTradeTax>
   <ram:SpecifiedTradePaymentTerms><ram:Description>Zahlbar in 30 Tagen</ram:Description>
    <ram:DueDateDateTime><udt:DateTimeString format="102">20130404</udt:DateTimeString></ram:DueDateDateTime>
   </ram:SpecifiedTradePaymentTerms>
   <ram:SpecifiedTradeSettlementMonetarySummation>
    <ram:LineTotalAmount currencyID="EUR">198.00</ram:LineTotalAmount>
    <ram:ChargeTotalAmount currencyID="EUR">0.00</ram:ChargeTotalAmount>
    <ram:AllowanceTotalAmount currencyID="EUR">0.00</ram:AllowanceTotalAmount>
    <ram:TaxBasisTotalAmount currencyID="EUR">198.00</ram:TaxBasisTotalAmount>
    <ram:TaxTotalAmount currencyID="EUR">37.62</ram:TaxTotalAmount>
    <ram:GrandTotalAmount currencyID="EUR">235.62</ram:GrandTotalAmount>
    <ram:DuePayableAmount currencyID="EUR">235.62</ram:DuePayableAmount>
   </ram:SpecifiedTradeSettlementMonetarySummation>
  </ram:ApplicableSupplyChainTradeSettlement>
  <ram:IncludedSupplyChainTradeLineItem>
   <ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument>
   <ram:SpecifiedSupplyChainTradeAgreement><ram:NetPriceProductTradePrice>
    <ram:ChargeAmount currencyID="EUR">9.90</ram:ChargeAmount></ram:NetPriceProductTradePrice>
   </ram:SpecifiedSupplyChainTradeAgreement>
   <ram:SpecifiedSupplyChainTradeDelivery><ram:BilledQuantity unitCode="C62">20.0000</ram:BilledQuantity>
   </ram:SpecifiedSupplyChainTradeDelivery>
   <ram:SpecifiedSupplyChainTradeSettlement>
    <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode>
     <ram:ApplicablePercent>19.00</ram:ApplicablePercent></ram:ApplicableTradeTax>
    <ram:SpecifiedTradeSettlementMonetarySummation>
     <ram:LineTotalAmount currencyID="EUR">198.00</ram:LineTotalAmount>
    </ram:SpecifiedTradeSettlementMonetarySummation>
   </ram:SpecifiedSupplyChainTradeSettlement>
   <ram:SpecifiedTradeProduct><ram:SellerAssignedID>TB100A4</ram:SellerAssignedID>
    <ram:Name>Trennbl\xc3\xa4tter A4</ram:Name></ram:SpecifiedTradeProduct>
  </ram:IncludedSupplyChainTradeLineItem>
 </rsm:SpecifiedSupplyChainTradeTransaction>
</rsm:CrossIndustryDocument>"""


def test_zugferd_1_is_read() -> None:
    assert facturx.xml_check_xsd(ZUGFERD1, flavor="zugferd")  # the sample is real ZUGFeRD 1.0
    invoice = load_xml(ZUGFERD1, filename="ZUGFeRD-invoice.xml")
    c = invoice.to_result()["content"]
    assert invoice.profile.standard == "ZUGFeRD 1.0" and invoice.profile.level == "comfort"
    dates = ("471102", "2013-03-05", "2013-04-04")
    assert (c["invoice_number"], c["invoice_date"], c["due_date"]) == dates
    assert (c["subtotal"], c["tax_amount"], c["total"]) == (198.0, 37.62, 235.62)
    assert c["vendor"]["address"] == "Lieferantenstr. 20, 80333 München, DE"
    assert c["purchase_order_number"] == "PO-9" and c["bank_details"]["bank_name"] == "Hausbank München"
    item = c["line_items"][0]
    assert (item["description"], item["quantity"], item["unit_price"], item["tax_rate"], item["total"]) == (
        "Trennblätter A4", 20.0, 9.9, 19.0, 198.0)


def test_real_ubl_attachment_is_read() -> None:
    path = sample_path("../invoice2data/i2d_AzureInterior")
    invoice = read_embedded(load.load(path.read_bytes()))
    assert invoice is not None and invoice.profile.syntax == "ubl"
    truth = json.loads(sample_path("../invoice2data/i2d_AzureInterior", ".truth.json").read_text())
    c = invoice.to_result()["content"]
    for key in ("invoice_number", "invoice_date", "due_date", "currency", "total", "subtotal", "tax_amount"):
        assert c[key] == truth[key], key
    # Odoo exports section headings and notes as empty InvoiceLines: they are not items.
    assert [li["description"] for li in c["line_items"]] == [
        "Beeswax XL", "Office Chair", "*987123* Olive Oil", "Luxury Truffles"]


def test_cli_export_writes_the_file_and_reports_doubts(tmp_path, capsys) -> None:
    invoice = load_xml(_xml_of(SAMPLE)).to_result()
    doubtful = copy.deepcopy(invoice)
    doubtful["fields"] = evidence_for(doubtful["content"], 0.99)
    doubtful["fields"]["total"]["confidence"] = 0.3
    src = tmp_path / "result.json"
    src.write_text(json.dumps(doubtful))
    out = tmp_path / "out.xml"
    assert main(["export", "--format", "ubl", str(src), "-o", str(out)]) == 0
    assert load_xml(out.read_bytes()).to_result()["content"]["total"] == 681.87
    assert "total" in capsys.readouterr().err
    xml_in = tmp_path / "in.xml"
    xml_in.write_bytes(_xml_of(SAMPLE))
    assert main(["export", "-f", "csv", str(xml_in), "-o", str(tmp_path / "o.csv")]) == 0
    assert b"681.87" in (tmp_path / "o.csv").read_bytes()
    hostile = tmp_path / "evil.xml"
    hostile.write_bytes(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    assert main(["export", "-f", "cii", str(hostile), "-o", str(tmp_path / "x.xml")]) == 1
    assert "refused" in capsys.readouterr().err

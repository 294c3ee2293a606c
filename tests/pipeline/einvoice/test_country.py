"""Seller and buyer country: mandatory in EN 16931, so derived from evidence or the export refused."""

from __future__ import annotations

import copy
import re
from typing import Any

import pymupdf
import pytest
from facturx import get_xml_from_pdf, xml_check_xsd
from hypothesis import HealthCheck, given, settings
from lxml import etree

from pipeline.einvoice import export, load_xml
from pipeline.einvoice.address import resolve_country
from pipeline.einvoice.export import ExportError
from pipeline.einvoice.write_cii import RAM
from tests.pipeline.einvoice.generated import invoice_results

_TRAILING_CODE = re.compile(r",\s*[A-Z]{2}$")
CII_COUNTRY = f".//{{{RAM}}}CountryID"


def _without_countries(result: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(result)
    for who in ("vendor", "customer"):
        out["content"][who]["address"] = _TRAILING_CODE.sub("", out["content"][who]["address"])
        out["fields"][who]["address"]["value"] = out["content"][who]["address"]
    return out


def _pdf() -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((50, 60), "Invoice", fontsize=11)
    return doc.tobytes()


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(result=invoice_results())
def test_countries_come_from_the_vat_ids_and_are_named_uncertain(result: dict[str, Any]) -> None:
    bare = _without_countries(result)
    vendor_vat, customer_vat = bare["content"]["vendor"]["tax_id"], bare["content"]["customer"]["tax_id"]
    cii, _, uncertain = export(bare, "cii")
    assert xml_check_xsd(cii, flavor="factur-x", level="en16931")
    codes = [el.text for el in etree.fromstring(cii).iterfind(CII_COUNTRY)]
    assert codes == [vendor_vat[:2], customer_vat[:2]]
    assert {"vendor.address.country", "customer.address.country"} <= set(uncertain)
    credit = bare["document_type"] == "credit_note"
    ubl, _, ubl_uncertain = export(bare, "ubl")
    assert xml_check_xsd(ubl, flavor="ubl-2.1-creditnote" if credit else "ubl-2.1-invoice")
    assert {"vendor.address.country", "customer.address.country"} <= set(ubl_uncertain)
    back = load_xml(ubl).to_result()["content"]
    assert back["vendor"]["address"].endswith(vendor_vat[:2])


def test_facturx_without_printed_countries_passes_its_schema_check() -> None:
    content = _minimal()
    pdf, _, uncertain = export(content, "facturx", _pdf())
    name, xml = get_xml_from_pdf(pdf, check_xsd=True)
    assert name == "factur-x.xml" and b"<ram:CountryID>DE</ram:CountryID>" in xml
    assert b"<ram:CountryID>FR</ram:CountryID>" in xml
    assert {"vendor.address.country", "customer.address.country"} <= set(uncertain)


def test_no_evidence_for_a_country_is_refused() -> None:
    result = _minimal()
    result["content"]["vendor"]["tax_id"] = None
    result["content"]["bank_details"] = {"iban": None}
    for fmt in ("cii", "ubl"):
        with pytest.raises(ExportError, match="seller country unknown"):
            export(result, fmt)
    with pytest.raises(ExportError, match="seller country unknown"):
        export(result, "facturx", _pdf())
    result["content"]["vendor"]["tax_id"] = "DE123456789"
    result["content"]["customer"]["tax_id"] = None
    with pytest.raises(ExportError, match="buyer country unknown"):
        export(result, "cii")


def test_printed_country_is_not_uncertain_and_evidence_order() -> None:
    assert resolve_country({"address": "Main St 1, 10115 Berlin, DE"}, "vendor") == ("DE", False)
    assert resolve_country({"address": "Rue 1\n75001 Paris\nFrance"}, "vendor") == ("FR", True)
    assert resolve_country({"address": "Hauptstr. 1, D-10115 Berlin", "tax_id": "ATU12345678"},
                           "vendor") == ("DE", True)  # the address's own line beats another id
    assert resolve_country({"address": "Street 1, 8001 Zurich", "tax_id": "EL123456789"}, "vendor") == \
        ("GR", True)
    assert resolve_country({"address": "1 Rue, 75001 Paris"}, "vendor",
                           iban="FR7630006000011234567890189") == ("FR", True)
    assert resolve_country({"address": "1 High St, London SW1A 1AA"}, "vendor", currency="GBP") == \
        ("GB", True)
    with pytest.raises(ValueError, match="buyer country unknown"):
        resolve_country({"address": "Main St 1, 10115 Berlin"}, "customer", currency="EUR")


def _minimal() -> dict[str, Any]:
    content = {
        "vendor": {"name": "ACME GmbH", "address": "Hauptstrasse 1, 10115 Berlin", "tax_id": "DE123456789"},
        "customer": {"name": "Client SARL", "address": "1 rue de la Paix, 75002 Paris",
                     "tax_id": "FR12345678901"},
        "invoice_number": "INV-1", "invoice_date": "2024-03-01", "currency": "EUR",
        "line_items": [{"description": "Consulting", "quantity": 2.0, "unit_price": 100.0, "total": 200.0,
                        "tax_rate": 19.0}],
        "subtotal": 200.0, "tax_amount": 38.0, "total": 238.0,
        "tax_breakdown": [{"rate": 19.0, "net_amount": 200.0, "tax_amount": 38.0}],
        "bank_details": {"iban": None}, "document_kind": "invoice",
    }
    return {"status": "succeeded", "document_type": "invoice", "content": content, "fields": {},
            "validation": []}

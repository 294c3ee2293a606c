"""Write UN/CEFACT CII (D16B) in the EN 16931 profile of Factur-X / ZUGFeRD 2.x.

Element order follows the Factur-X EN16931 XSD (which the tests validate against); values the
EN 16931 CII profile has no place for (bank name, routing number, language) are left out and
documented in docs/einvoice.md.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from lxml import etree

from pipeline.einvoice.address import split_address
from pipeline.einvoice.codes import SCHEME_BY_REGISTRATION, TYPE_CODE_BY_KIND, unit_code
from pipeline.einvoice.prepare import Prepared, iso_date, money, number, payable_accounts, sub_element

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NSMAP = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}
EN16931 = "urn:cen.eu:en16931:2017"


_el = partial(sub_element, {"rsm": RSM, "ram": RAM, "udt": UDT})


def _date(parent: Any, tag: str, value: Any) -> None:
    d = iso_date(value)
    if d:
        _el(_el(parent, tag), "udt:DateTimeString", d.strftime("%Y%m%d"), format="102")


def _party(parent: Any, tag: str, party: dict[str, Any], vendor: bool, p: Prepared) -> None:
    el = _el(parent, tag)
    if not vendor and party.get("customer_number"):
        _el(el, "ram:ID", str(party["customer_number"]))
    name = party.get("name")
    if not name:
        p.uncertain.add(f"{'vendor' if vendor else 'customer'}.name")
    _el(el, "ram:Name", name or "")
    regs = party.get("registrations") or []
    legal = next((r for r in regs if r.get("type") not in ("VAT", "TIN")), None)
    if legal:
        scheme = SCHEME_BY_REGISTRATION.get(legal["type"])
        org = _el(el, "ram:SpecifiedLegalOrganization")
        _el(org, "ram:ID", legal["value"], **({"schemeID": scheme} if scheme else {}))
    if vendor and party.get("phone"):
        contact = _el(el, "ram:DefinedTradeContact")
        _el(_el(contact, "ram:TelephoneUniversalCommunication"), "ram:CompleteNumber", party["phone"])
    addr = split_address(party.get("address"), p.countries["vendor" if vendor else "customer"])
    post = _el(el, "ram:PostalTradeAddress")
    if addr.postcode:
        _el(post, "ram:PostcodeCode", addr.postcode)
    for tag_name, line in zip(("ram:LineOne", "ram:LineTwo", "ram:LineThree"), addr.lines, strict=False):
        _el(post, tag_name, line)
    if addr.city:
        _el(post, "ram:CityName", addr.city)
    _el(post, "ram:CountryID", addr.country)  # mandatory; prepare() derived it or refused
    if vendor and party.get("email"):
        _el(_el(el, "ram:URIUniversalCommunication"), "ram:URIID", party["email"], schemeID="EM")
    ids = [("VA", party.get("tax_id"))] if party.get("tax_id") else []
    ids += [("FC", r["value"]) for r in regs if r.get("type") == "TIN"]
    for scheme, value in ids:
        _el(_el(el, "ram:SpecifiedTaxRegistration"), "ram:ID", value, schemeID=scheme)


def _line(tx: Any, i: int, ln: Any, p: Prepared) -> None:
    item = _el(tx, "ram:IncludedSupplyChainTradeLineItem")
    _el(_el(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", ln.position)
    product = _el(item, "ram:SpecifiedTradeProduct")
    if ln.product_code:
        _el(product, "ram:SellerAssignedID", ln.product_code)
    _el(product, "ram:Name", ln.description)
    agreement = _el(item, "ram:SpecifiedLineTradeAgreement")
    _el(_el(agreement, "ram:NetPriceProductTradePrice"), "ram:ChargeAmount", number(ln.unit_price))
    code, sure = unit_code(ln.unit)
    if not sure:
        p.uncertain.add(f"line_items[{i}].unit")
    _el(_el(item, "ram:SpecifiedLineTradeDelivery"), "ram:BilledQuantity", number(ln.quantity), unitCode=code)
    settlement = _el(item, "ram:SpecifiedLineTradeSettlement")
    rate = ln.tax_rate
    if rate is None:
        rate = p.taxes[0].rate
        if p.c.get("line_items"):
            p.uncertain.add(f"line_items[{i}].tax_rate")
    tax = _el(settlement, "ram:ApplicableTradeTax")
    _el(tax, "ram:TypeCode", "VAT")
    _el(tax, "ram:CategoryCode", "AE" if p.c.get("is_reverse_charge") else ("S" if rate > 0 else "Z"))
    _el(tax, "ram:RateApplicablePercent", number(rate, 2))
    if ln.discount_amount:
        allowance = _el(settlement, "ram:SpecifiedTradeAllowanceCharge")
        _el(_el(allowance, "ram:ChargeIndicator"), "udt:Indicator", "false")
        if ln.discount_rate is not None:
            _el(allowance, "ram:CalculationPercent", number(ln.discount_rate, 2))
        _el(allowance, "ram:ActualAmount", money(ln.discount_amount))
    sums = _el(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
    _el(sums, "ram:LineTotalAmount", money(ln.total))


def _payment_means(settlement: Any, c: dict[str, Any]) -> None:
    for bank in payable_accounts(c):
        means = _el(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
        _el(means, "ram:TypeCode", "58" if bank.get("iban") else "30")
        account = _el(means, "ram:PayeePartyCreditorFinancialAccount")
        if bank.get("iban"):
            _el(account, "ram:IBANID", bank["iban"])
        if bank.get("account_number"):
            _el(account, "ram:ProprietaryID", bank["account_number"])
        if bank.get("bic"):
            _el(_el(means, "ram:PayeeSpecifiedCreditorFinancialInstitution"), "ram:BICID", bank["bic"])


def write_cii(p: Prepared) -> bytes:
    """The CII XML (UTF-8, with declaration) of a prepared result."""
    c = p.c
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=NSMAP)
    context = _el(root, "rsm:ExchangedDocumentContext")
    _el(_el(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", EN16931)
    header = _el(root, "rsm:ExchangedDocument")
    _el(header, "ram:ID", c.get("invoice_number") or "")
    _el(header, "ram:TypeCode", TYPE_CODE_BY_KIND.get(c.get("document_kind") or "invoice", "380"))
    _date(header, "ram:IssueDateTime", c.get("invoice_date"))
    if iso_date(c.get("invoice_date")) is None:  # the XSD requires the element
        _el(_el(header, "ram:IssueDateTime"), "udt:DateTimeString", "", format="102")
    for note in (c.get("notes") or "").split("\n"):
        if note.strip():
            _el(_el(header, "ram:IncludedNote"), "ram:Content", note.strip())
    tx = _el(root, "rsm:SupplyChainTradeTransaction")
    for i, ln in enumerate(p.lines):
        _line(tx, i, ln, p)
    agreement = _el(tx, "ram:ApplicableHeaderTradeAgreement")
    _party(agreement, "ram:SellerTradeParty", c.get("vendor") or {}, True, p)
    _party(agreement, "ram:BuyerTradeParty", c.get("customer") or {}, False, p)
    if c.get("purchase_order_number"):
        _el(_el(agreement, "ram:BuyerOrderReferencedDocument"), "ram:IssuerAssignedID",
            c["purchase_order_number"])
    _el(tx, "ram:ApplicableHeaderTradeDelivery")
    settlement = _el(tx, "ram:ApplicableHeaderTradeSettlement")
    _el(settlement, "ram:InvoiceCurrencyCode", p.currency)
    _payment_means(settlement, c)
    for t in p.taxes:
        tax = _el(settlement, "ram:ApplicableTradeTax")
        _el(tax, "ram:CalculatedAmount", money(t.tax))
        _el(tax, "ram:TypeCode", "VAT")
        if t.category in ("AE", "E"):
            _el(tax, "ram:ExemptionReason", "Reverse charge" if t.category == "AE" else "Exempt")
        _el(tax, "ram:BasisAmount", money(t.net))
        _el(tax, "ram:CategoryCode", t.category)
        _el(tax, "ram:RateApplicablePercent", number(t.rate, 2))
    start, end = c.get("performance_date_from"), c.get("performance_date_to")
    if start or end:
        period = _el(settlement, "ram:BillingSpecifiedPeriod")
        _date(period, "ram:StartDateTime", start)
        _date(period, "ram:EndDateTime", end)
    diff = p.subtotal - p.line_total
    if diff:  # header allowance / charge so that the sums add up (BR-CO-13)
        charge = _el(settlement, "ram:SpecifiedTradeAllowanceCharge")
        _el(_el(charge, "ram:ChargeIndicator"), "udt:Indicator", "true" if diff > 0 else "false")
        _el(charge, "ram:ActualAmount", money(abs(diff)))
        _el(charge, "ram:Reason", "Difference between the line totals and the net total")
        cat = _el(charge, "ram:CategoryTradeTax")
        _el(cat, "ram:TypeCode", "VAT")
        _el(cat, "ram:CategoryCode", p.taxes[0].category)
        _el(cat, "ram:RateApplicablePercent", number(p.taxes[0].rate, 2))
    if c.get("payment_terms") or c.get("due_date"):
        terms = _el(settlement, "ram:SpecifiedTradePaymentTerms")
        if c.get("payment_terms"):
            _el(terms, "ram:Description", c["payment_terms"])
        _date(terms, "ram:DueDateDateTime", c.get("due_date"))
    sums = _el(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(sums, "ram:LineTotalAmount", money(p.line_total))
    if diff > 0:
        _el(sums, "ram:ChargeTotalAmount", money(diff))
    elif diff < 0:
        _el(sums, "ram:AllowanceTotalAmount", money(-diff))
    _el(sums, "ram:TaxBasisTotalAmount", money(p.subtotal))
    _el(sums, "ram:TaxTotalAmount", money(p.tax_total), currencyID=p.currency)
    _el(sums, "ram:GrandTotalAmount", money(p.total))
    paid = c.get("is_paid") is True
    if paid:
        _el(sums, "ram:TotalPrepaidAmount", money(p.total))
    _el(sums, "ram:DuePayableAmount", money(Decimal(0) if paid else p.total))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

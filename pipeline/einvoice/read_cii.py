"""UN/CEFACT CII -> evidence tree: Factur-X 1.0 (all profiles), ZUGFeRD 1.0 and 2.x, XRechnung CII.

ZUGFeRD 1.0 (`CrossIndustryDocument`) and D16B (`CrossIndustryInvoice`) name the same business
terms differently; each path below lists both spellings as `new|old`. Numbers stay `Decimal` so the
values are exactly what the sender wrote.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import Element

from pipeline.einvoice.codes import KIND_BY_TYPE_CODE
from pipeline.einvoice.tree import (
    empty_tree,
    item_tree,
    legal_registrations,
    set_tax_flags,
    text_evidence,
    xml_evidence,
)
from pipeline.einvoice.xmlnav import cii_date, decimal, find, find_all, local, text, unit_price
from pipeline.model import Evidence
from pipeline.result import FieldTree
from pipeline.schemas.invoice import BankDetails, LineItem, Registration, TaxBreakdown

ROOTS = ("CrossIndustryInvoice", "CrossIndustryDocument")
CONTEXT = "ExchangedDocumentContext|SpecifiedExchangedDocumentContext"
HEADER = "ExchangedDocument|HeaderExchangedDocument"
TRANSACTION = "SupplyChainTradeTransaction|SpecifiedSupplyChainTradeTransaction"
AGREEMENT = "ApplicableHeaderTradeAgreement|ApplicableSupplyChainTradeAgreement"
DELIVERY = "ApplicableHeaderTradeDelivery|ApplicableSupplyChainTradeDelivery"
SETTLEMENT = "ApplicableHeaderTradeSettlement|ApplicableSupplyChainTradeSettlement"
SUMS = "SpecifiedTradeSettlementHeaderMonetarySummation|SpecifiedTradeSettlementMonetarySummation"
LINE_AGREEMENT = "SpecifiedLineTradeAgreement|SpecifiedSupplyChainTradeAgreement"
LINE_DELIVERY = "SpecifiedLineTradeDelivery|SpecifiedSupplyChainTradeDelivery"
LINE_SETTLEMENT = "SpecifiedLineTradeSettlement|SpecifiedSupplyChainTradeSettlement"
LINE_SUMS = "SpecifiedTradeSettlementLineMonetarySummation|SpecifiedTradeSettlementMonetarySummation"
RATE = "RateApplicablePercent|ApplicablePercent"


def syntax_of(root: Element) -> str | None:
    """"cii" (D16B), "zugferd1" (CrossIndustryDocument) or None when `root` is not CII."""
    name = local(root.tag)
    if name == "CrossIndustryInvoice":
        return "cii"
    if name == "CrossIndustryDocument":
        return "zugferd1"
    return None


def guideline_id(root: Element) -> str | None:
    return text(root, f"{CONTEXT}/GuidelineSpecifiedDocumentContextParameter/ID")


def _amount(el: Element | None, path: str, currency: str | None = None) -> Evidence:
    """An amount; where it repeats in several currencies (BT-110/111) the invoice currency's wins."""
    nodes = [n for n in find_all(el, path) if n.text and n.text.strip()]
    if currency:
        preferred = [n for n in nodes if n.get("currencyID") in (None, currency)]
        nodes = preferred or nodes
    if not nodes:
        return xml_evidence(None)
    raw = nodes[0].text.strip()
    return xml_evidence(decimal(raw), raw)


def _date(el: Element | None, path: str) -> Evidence:
    node = find(el, path)
    if node is None:
        return xml_evidence(None)
    stamp = find(node, "DateTimeString") if local(node.tag) != "DateTimeString" else node
    raw = text(stamp)
    return xml_evidence(cii_date(raw, stamp.get("format") if stamp is not None else None), raw)


def _address(party: Element | None) -> Evidence:
    """Address lines, "postcode city", country: joined with ", " (the writers split it back)."""
    addr = find(party, "PostalTradeAddress")
    if addr is None:
        return xml_evidence(None)
    parts = [text(addr, n) for n in ("LineOne", "LineTwo", "LineThree")]
    city = " ".join(p for p in (text(addr, "PostcodeCode"), text(addr, "CityName")) if p)
    parts += [city, text(addr, "CountryID")]
    joined = ", ".join(p for p in parts if p)
    return xml_evidence(joined or None, joined or None)


def _tax_ids(party: Element | None) -> list[tuple[str, str]]:
    """(scheme, id) of the party's tax registrations: VA = VAT id, FC = national tax number."""
    return [
        ((n.get("schemeID") or "VA").upper(), n.text.strip())
        for n in find_all(party, "SpecifiedTaxRegistration/ID")
        if n.text and n.text.strip()
    ]


def _party(party: Element | None, vendor: bool) -> dict[str, Evidence | list[FieldTree]]:
    tax_ids = _tax_ids(party)
    vat = next((v for s, v in tax_ids if s == "VA"), None) or next((v for _, v in tax_ids), None)
    out: dict[str, Any] = {"name": text_evidence(text(party, "Name")), "address": _address(party)}
    if not vendor:
        out["customer_number"] = text_evidence(text(party, "ID"))
        out["tax_id"] = text_evidence(vat)
        return out
    # BT-34 with scheme EM is the address printed as the seller's e-mail; the contact's comes next.
    email = next(
        (n.text.strip() for n in find_all(party, "URIUniversalCommunication/URIID")
         if n.get("schemeID") == "EM" and n.text and n.text.strip()),
        None,
    ) or text(party, "DefinedTradeContact/EmailURIUniversalCommunication/URIID")
    out["email"] = text_evidence(email)
    phone = text(party, "DefinedTradeContact/TelephoneUniversalCommunication/CompleteNumber")
    out["phone"] = text_evidence(phone)
    out["tax_id"] = xml_evidence(vat.replace(" ", "") if vat else None, vat)
    regs: list[FieldTree] = []
    for scheme, value in tax_ids:
        kind = "VAT" if scheme == "VA" else "TIN"
        tree = {"type": text_evidence(scheme, kind), "value": text_evidence(value)}
        regs.append(item_tree(Registration, tree))
    regs += legal_registrations(party, "SpecifiedLegalOrganization/ID")
    out["registrations"] = regs
    return out


def _line(item: Element) -> FieldTree:
    agreement, delivery = find(item, LINE_AGREEMENT), find(item, LINE_DELIVERY)
    settlement = find(item, LINE_SETTLEMENT)
    qty_node = find(delivery, "BilledQuantity")
    quantity = _amount(delivery, "BilledQuantity")
    price = _amount(agreement, "NetPriceProductTradePrice/ChargeAmount")
    basis = decimal(text(agreement, "NetPriceProductTradePrice/BasisQuantity"))
    total = _amount(settlement, f"{LINE_SUMS}/LineTotalAmount")
    price = xml_evidence(unit_price(price.value, basis, quantity.value, total.value), price.raw)
    allowances = [
        a for a in find_all(settlement, "SpecifiedTradeAllowanceCharge")
        if (text(a, "ChargeIndicator/Indicator") or "").lower() == "false"
    ]
    discount = sum((decimal(text(a, "ActualAmount")) or Decimal(0) for a in allowances), Decimal(0))
    rates = [decimal(text(a, "CalculationPercent")) for a in allowances]
    values = {
        "position": text_evidence(text(item, "AssociatedDocumentLineDocument/LineID")),
        "product_code": text_evidence(text(item, "SpecifiedTradeProduct/SellerAssignedID")),
        "description": text_evidence(text(item, "SpecifiedTradeProduct/Name")),
        "quantity": quantity,
        "unit": text_evidence(qty_node.get("unitCode") if qty_node is not None else None),
        "unit_price": price,
        "discount_amount": xml_evidence(discount if allowances else None),
        "discount_rate": xml_evidence(rates[0] if len(rates) == 1 and rates[0] is not None else None),
        "tax_rate": _amount(settlement, f"ApplicableTradeTax/{RATE}"),
        "total": total,
    }
    return item_tree(LineItem, values)


def _bank(means: Element) -> FieldTree:
    iban = text(means, "PayeePartyCreditorFinancialAccount/IBANID")
    return item_tree(BankDetails, {
        "iban": xml_evidence(iban.replace(" ", "").upper() if iban else None, iban),
        "account_number": text_evidence(text(means, "PayeePartyCreditorFinancialAccount/ProprietaryID")),
        "bic": text_evidence(text(means, "PayeeSpecifiedCreditorFinancialInstitution/BICID")),
        "bank_name": text_evidence(text(means, "PayeeSpecifiedCreditorFinancialInstitution/Name")),
    })


def read_cii(root: Element) -> FieldTree:
    """The invoice evidence tree of a CII document (either generation)."""
    tree = empty_tree()
    header, tx = find(root, HEADER), find(root, TRANSACTION)
    agreement, delivery, settlement = find(tx, AGREEMENT), find(tx, DELIVERY), find(tx, SETTLEMENT)
    sums = find(settlement, SUMS)
    currency = text(settlement, "InvoiceCurrencyCode")
    type_code = text(header, "TypeCode")
    notes = [text(n, "Content") for n in find_all(header, "IncludedNote")]
    tree["vendor"].update(_party(find(agreement, "SellerTradeParty"), vendor=True))
    tree["customer"].update(_party(find(agreement, "BuyerTradeParty"), vendor=False))
    tree["invoice_number"] = text_evidence(text(header, "ID"))
    tree["invoice_date"] = _date(header, "IssueDateTime")
    terms = find(settlement, "SpecifiedTradePaymentTerms")
    tree["due_date"] = _date(terms, "DueDateDateTime")
    period = find(settlement, "BillingSpecifiedPeriod")
    tree["performance_date_from"] = _date(period, "StartDateTime")
    tree["performance_date_to"] = _date(period, "EndDateTime")
    if period is None:  # a delivery date is the performance date when no period is given
        delivered = _date(delivery, "ActualDeliverySupplyChainEvent/OccurrenceDateTime")
        tree["performance_date_from"] = delivered
        tree["performance_date_to"] = xml_evidence(delivered.value, delivered.raw)
    po = text(agreement, "BuyerOrderReferencedDocument/IssuerAssignedID") or text(
        agreement, "BuyerOrderReferencedDocument/ID"
    )
    tree["purchase_order_number"] = text_evidence(po)
    tree["currency"] = text_evidence(currency)
    lang = text(header, "LanguageID")
    tree["language"] = text_evidence(lang, lang.lower()[:2] if lang else None)
    tree["line_items"] = [_line(i) for i in find_all(tx, "IncludedSupplyChainTradeLineItem")]
    tree["subtotal"] = _amount(sums, "TaxBasisTotalAmount", currency)
    tree["tax_amount"] = _amount(sums, "TaxTotalAmount", currency)
    tree["total"] = _amount(sums, "GrandTotalAmount", currency)
    taxes = find_all(settlement, "ApplicableTradeTax")
    tree["tax_breakdown"] = [
        item_tree(TaxBreakdown, {
            "rate": _amount(t, RATE),
            "net_amount": _amount(t, "BasisAmount"),
            "tax_amount": _amount(t, "CalculatedAmount"),
        })
        for t in taxes
    ]
    set_tax_flags(tree, [text(t, "CategoryCode") for t in taxes], _amount(sums, "DuePayableAmount", currency))
    tree["payment_terms"] = text_evidence(text(terms, "Description"))
    banks = [_bank(m) for m in find_all(settlement, "SpecifiedTradeSettlementPaymentMeans")]
    banks = [b for b in banks if any(v.value is not None for v in b.values())]
    if banks:
        tree["bank_details"] = banks[0]
    if len(banks) > 1:
        tree["payment_details"] = banks
    kind = KIND_BY_TYPE_CODE.get(type_code or "", "invoice" if type_code else None)
    tree["document_kind"] = text_evidence(type_code, kind)
    joined = "\n".join(n for n in notes if n)
    tree["notes"] = text_evidence(joined or None)
    return tree

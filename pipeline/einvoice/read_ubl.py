"""UBL 2.1 `Invoice` / `CreditNote` -> evidence tree (PEPPOL BIS 3, XRechnung UBL, plain UBL).

UBL spells an address as street / additional street / address line / postal zone / city / country;
it is joined like the CII reader's (", "), so both syntaxes give the same `content` for the same
invoice and the writers can split it back.
"""

from __future__ import annotations

import re
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

_IBAN = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9 ]{10,}$")


def is_ubl(root: Element) -> bool:
    return local(root.tag) in ("Invoice", "CreditNote") and "ubl" in root.tag.lower()


def guideline_id(root: Element) -> str | None:
    return text(root, "CustomizationID")


def _num(el: Element | None, path: str) -> Evidence:
    raw = text(el, path)
    return xml_evidence(decimal(raw), raw)


def _date(el: Element | None, path: str) -> Evidence:
    raw = text(el, path)
    return xml_evidence(cii_date(raw, None), raw)


def _address(addr: Element | None) -> Evidence:
    if addr is None:
        return xml_evidence(None)
    parts = [text(addr, "StreetName"), text(addr, "AdditionalStreetName")]
    parts += [text(line, "Line") for line in find_all(addr, "AddressLine")]
    city = " ".join(p for p in (text(addr, "PostalZone"), text(addr, "CityName")) if p)
    parts += [city, text(addr, "Country/IdentificationCode")]
    joined = ", ".join(p for p in parts if p)
    return xml_evidence(joined or None, joined or None)


def _party(party: Element | None, vendor: bool) -> dict[str, Any]:
    name = text(party, "PartyName/Name") or text(party, "PartyLegalEntity/RegistrationName")
    tax_ids = [
        ((text(t, "TaxScheme/ID") or "VAT").upper(), text(t, "CompanyID"))
        for t in find_all(party, "PartyTaxScheme")
        if text(t, "CompanyID")
    ]
    vat = next((v for s, v in tax_ids if s == "VAT"), None) or next((v for _, v in tax_ids), None)
    out: dict[str, Any] = {"name": text_evidence(name), "address": _address(find(party, "PostalAddress"))}
    if not vendor:
        out["customer_number"] = text_evidence(text(party, "PartyIdentification/ID"))
        out["tax_id"] = text_evidence(vat)
        return out
    out["email"] = text_evidence(text(party, "Contact/ElectronicMail"))
    out["phone"] = text_evidence(text(party, "Contact/Telephone"))
    out["tax_id"] = xml_evidence(vat.replace(" ", "") if vat else None, vat)
    regs = [
        item_tree(
            Registration,
            {"type": text_evidence(s, "VAT" if s == "VAT" else "TIN"), "value": text_evidence(v)},
        )
        for s, v in tax_ids
    ]
    regs += legal_registrations(party, "PartyLegalEntity/CompanyID")
    out["registrations"] = regs
    return out


def _is_text_line(line: FieldTree) -> bool:
    """Section headings and notes that some ERPs (Odoo, for one) export as invoice lines with no
    quantity, no amount and no tax category: not items, so they are not line items."""
    def zero(key: str) -> bool:
        ev = line.get(key)
        return ev is None or ev.value is None or ev.value == 0

    tax = line.get("tax_rate")
    return zero("quantity") and zero("total") and zero("unit_price") and (tax is None or tax.value is None)


def _line(line: Element) -> FieldTree:
    qty = find(line, "InvoicedQuantity|CreditedQuantity")
    price = _num(line, "Price/PriceAmount")
    total = _num(line, "LineExtensionAmount")
    basis = decimal(text(line, "Price/BaseQuantity"))
    price = xml_evidence(unit_price(price.value, basis, decimal(text(qty)), total.value), price.raw)
    allowances = [
        a for a in find_all(line, "AllowanceCharge") if (text(a, "ChargeIndicator") or "").lower() == "false"
    ]
    discount = sum((decimal(text(a, "Amount")) or Decimal(0) for a in allowances), Decimal(0))
    rates = [decimal(text(a, "MultiplierFactorNumeric")) for a in allowances]
    rate = _num(line, "Item/ClassifiedTaxCategory/Percent")
    if rate.value is None:
        rate = _num(line, "TaxTotal/TaxSubtotal/Percent")
    return item_tree(LineItem, {
        "position": text_evidence(text(line, "ID")),
        "product_code": text_evidence(text(line, "Item/SellersItemIdentification/ID")),
        "description": text_evidence(text(line, "Item/Name") or text(line, "Item/Description")),
        "quantity": xml_evidence(decimal(text(qty)), text(qty)),
        "unit": text_evidence(qty.get("unitCode") if qty is not None else None),
        "unit_price": price,
        "discount_amount": xml_evidence(discount if allowances else None),
        "discount_rate": xml_evidence(rates[0] if len(rates) == 1 and rates[0] is not None else None),
        "tax_rate": rate,
        "tax_amount": _num(line, "TaxTotal/TaxAmount"),
        "total": total,
    })


def _bank(means: Element) -> FieldTree:
    account = text(means, "PayeeFinancialAccount/ID")
    is_iban = bool(account and _IBAN.match(account.upper()))
    branch = find(means, "PayeeFinancialAccount/FinancialInstitutionBranch")
    bic = text(branch, "ID") or text(branch, "FinancialInstitution/ID")
    return item_tree(BankDetails, {
        "iban": xml_evidence(account.replace(" ", "").upper() if is_iban and account else None, account),
        "account_number": text_evidence(None if is_iban else account),
        "bic": text_evidence(bic),
        "bank_name": text_evidence(text(branch, "Name") or text(branch, "FinancialInstitution/Name")),
    })


def _amount_in(el: Element | None, path: str, currency: str | None) -> Evidence:
    nodes = [n for n in find_all(el, path) if n.text and n.text.strip()]
    preferred = [n for n in nodes if n.get("currencyID") in (None, currency)] or nodes
    if not preferred:
        return xml_evidence(None)
    raw = preferred[0].text.strip()
    return xml_evidence(decimal(raw), raw)


def read_ubl(root: Element) -> FieldTree:
    """The invoice evidence tree of a UBL 2.1 Invoice or CreditNote."""
    tree = empty_tree()
    credit = local(root.tag) == "CreditNote"
    currency = text(root, "DocumentCurrencyCode")
    tree["vendor"].update(_party(find(root, "AccountingSupplierParty/Party"), vendor=True))
    tree["customer"].update(_party(find(root, "AccountingCustomerParty/Party"), vendor=False))
    tree["invoice_number"] = text_evidence(text(root, "ID"))
    tree["invoice_date"] = _date(root, "IssueDate")
    tree["due_date"] = _date(root, "DueDate")
    if tree["due_date"].value is None:
        tree["due_date"] = _date(root, "PaymentMeans/PaymentDueDate")
    tree["performance_date_from"] = _date(root, "InvoicePeriod/StartDate")
    tree["performance_date_to"] = _date(root, "InvoicePeriod/EndDate")
    if find(root, "InvoicePeriod") is None:
        delivered = _date(root, "Delivery/ActualDeliveryDate")
        tree["performance_date_from"] = delivered
        tree["performance_date_to"] = xml_evidence(delivered.value, delivered.raw)
    tree["purchase_order_number"] = text_evidence(text(root, "OrderReference/ID"))
    tree["currency"] = text_evidence(currency)
    lines = [_line(li) for li in find_all(root, "InvoiceLine|CreditNoteLine")]
    tree["line_items"] = [li for li in lines if not _is_text_line(li)]
    totals = find(root, "LegalMonetaryTotal")
    tree["subtotal"] = _num(totals, "TaxExclusiveAmount")
    tree["total"] = _num(totals, "TaxInclusiveAmount")
    tree["tax_amount"] = _amount_in(root, "TaxTotal/TaxAmount", currency)
    subtotals = find_all(root, "TaxTotal/TaxSubtotal")
    subtotals = [s for s in subtotals if find(s, "TaxAmount") is not None and
                 (find(s, "TaxAmount").get("currencyID") in (None, currency))] or subtotals
    tree["tax_breakdown"] = [
        item_tree(TaxBreakdown, {
            "rate": _num(s, "TaxCategory/Percent") if text(s, "TaxCategory/Percent") else _num(s, "Percent"),
            "net_amount": _num(s, "TaxableAmount"),
            "tax_amount": _num(s, "TaxAmount"),
        })
        for s in subtotals
    ]
    set_tax_flags(tree, [text(s, "TaxCategory/ID") for s in subtotals], _num(totals, "PayableAmount"))
    tree["payment_terms"] = text_evidence(text(root, "PaymentTerms/Note"))
    banks = [_bank(m) for m in find_all(root, "PaymentMeans")]
    banks = [b for b in banks if any(v.value is not None for v in b.values())]
    if banks:
        tree["bank_details"] = banks[0]
    if len(banks) > 1:
        tree["payment_details"] = banks
    code = text(root, "CreditNoteTypeCode" if credit else "InvoiceTypeCode")
    kind = KIND_BY_TYPE_CODE.get(code or "") or ("credit_note" if credit else "invoice")
    tree["document_kind"] = xml_evidence(kind, code or local(root.tag))
    notes = [n.text.strip() for n in find_all(root, "Note") if n.text and n.text.strip()]
    tree["notes"] = text_evidence("\n".join(notes) or None)
    return tree

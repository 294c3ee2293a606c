"""Payment QR codes: the payee's account, name and the amount, as the code carries them.

Two payloads are printed on invoices (the payment's reference and message are not read):
* EPC069-12 ("GiroCode", SEPA credit transfer; Germany, Austria, the Netherlands, Belgium,
  Finland): lines "BCD", version 001/002, character set, "SCT", BIC (optional from 002), name,
  IBAN, "EUR" and the amount, purpose, structured reference, remittance text.
* The Swiss QR-bill (SIX "Swiss Payment Standards", version 0200): "SPC", version, coding, IBAN,
  the creditor's address (type "S" or "K", name and five fields), seven empty lines (ultimate creditor), the
  amount, "CHF" or "EUR", the debtor's address, reference type, reference, message, "EPD".

Why it counts: the code is read through Reed-Solomon error correction and the IBAN is proved by
its mod-97 check, so on a scan where the printed IBAN is misread (or on a page that prints it in
small grey type) the code's is the payee's account as the ERP needs it. Payloads are read as the
standards lay them out; anything else (a web link, a product code) is not a payment code.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from pipeline.model import LoadedDocument, PageCode
from pipeline.normalize.identifiers import compact, is_valid_bic, is_valid_iban

_SWISS_AMOUNT, _SWISS_CURRENCY = 18, 19


@dataclass(frozen=True, slots=True)
class PaymentCode:
    """What a payment code says (None where it says nothing), and where it is printed."""

    iban: str  # compact, mod-97 valid
    bic: str | None
    name: str | None
    address: str | None  # the payee's, where the code carries one (the Swiss QR-bill's creditor)
    amount: Decimal | None
    currency: str | None
    page: int
    code: PageCode


def read_payment_code(code: PageCode, page: int) -> PaymentCode | None:
    """The payment a QR code's text orders, or None when it is no payment code or its IBAN fails."""
    lines = [line.strip() for line in code.text.replace("\r\n", "\n").split("\n")]
    if len(lines) >= 7 and lines[0] == "BCD" and lines[3] == "SCT":
        bic, name, iban, address = lines[4], lines[5], lines[6], None
        money = lines[7] if len(lines) > 7 else ""  # "EUR681.87"
        currency, amount = money[:3].upper(), _amount(money[3:])
    elif len(lines) >= 20 and lines[0] == "SPC":
        iban, name, bic = lines[3], lines[5], ""
        address = _swiss_address(lines[4], lines[6:11])
        amount, currency = _amount(lines[_SWISS_AMOUNT]), lines[_SWISS_CURRENCY].upper()
    else:
        return None
    iban = compact(iban)
    if not is_valid_iban(iban):
        return None
    bic = compact(bic)
    return PaymentCode(
        iban=iban,
        bic=bic if bic and is_valid_bic(bic) else None,
        name=name or None,
        address=address,
        amount=amount,
        currency=currency if len(currency) == 3 and currency.isalpha() else None,
        page=page,
        code=code,
    )


def payment_codes(doc: LoadedDocument) -> list[PaymentCode]:
    """The payment codes of a document, in page order."""
    found = (read_payment_code(code, page.index) for page in doc.pages for code in page.codes)
    return [p for p in found if p is not None]


def _swiss_address(kind: str, fields: list[str]) -> str | None:
    """The creditor's address as one line: structured ("S": street, house number, postcode, town,
    country) or in two lines ("K": street and number, postcode and town; then country)."""
    street, number, postcode, town, country = fields
    if kind == "S":
        parts = [f"{street} {number}".strip(), f"{postcode} {town}".strip(), country]
    elif kind == "K":
        parts = [street, number, country]  # the two free lines ride in the street and number fields
    else:
        return None
    joined = ", ".join(p for p in parts if p)
    return joined or None


def _amount(text: str) -> Decimal | None:
    """The standards write the amount with a point and no groups ("681.87", "1949.75")."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() and value > 0 else None

"""A result (the output contract) prepared for export: typed values, gaps filled, doubts named.

Writers never invent silently: every value the export had to derive (a tax breakdown computed from
the lines, a missing quantity taken as 1) and every value the extraction was unsure of (low
confidence, a failed validation check) is named in `uncertain`, which `export` hands back as the
side report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lxml import etree

from pipeline.einvoice.address import resolve_country
from pipeline.normalize.amounts import CENT

LOW_CONFIDENCE = 0.8  # below this a value is exported but named as uncertain

# Validation rules (pipeline/validate.py, DESIGN §3.7) -> the fields they cast doubt on.
RULE_FIELDS: dict[str, tuple[str, ...]] = {
    "line_items_sum_equals_subtotal": ("subtotal", "line_items"),
    "subtotal_plus_tax_equals_total": ("subtotal", "tax_amount", "total"),
    "tax_breakdown_sums": ("tax_breakdown", "tax_amount"),
}
# Words in a rule name -> fields, for rules not listed above ("iban_mod97" -> the IBAN).
RULE_WORDS: dict[str, tuple[str, ...]] = {
    "iban": ("bank_details.iban",),
    "bic": ("bank_details.bic",),
    "vat": ("vendor.tax_id", "customer.tax_id"),
    "due_date": ("due_date",),
    "invoice_date": ("invoice_date",),
    "quantity": ("line_items",),
    "line_total": ("line_items",),
    "currency": ("currency",),
}
_PATH_IN_DETAIL = re.compile(r"^([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*):")


def dec(value: Any) -> Decimal | None:
    """A JSON number (float) as the Decimal it was printed as."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def money(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def number(value: Decimal, places: int = 4) -> str:
    """A quantity or price: as written, at most `places` decimals, no exponent."""
    q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).normalize()
    text = format(q, "f")
    return text


def iso_date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def sub_element(namespaces: dict[str, str], parent: Any, tag: str, value: str | None = None, /,
                **attrs: str) -> Any:
    """A child `prefix:name` of `parent` in namespace `namespaces[prefix]`, with text `value` when
    given: how both XML writers (CII, UBL) build every element, each with its own namespaces."""
    prefix, name = tag.split(":")
    el = etree.SubElement(parent, f"{{{namespaces[prefix]}}}{name}", **attrs)
    if value is not None:
        el.text = value
    return el


def payable_accounts(c: dict[str, Any]) -> list[dict[str, Any]]:
    """The bank accounts of `content` a payment can go to (an IBAN or an account number): all of
    `payment_details`, else `bank_details`. Both XML writers emit one payment means per account."""
    banks = c.get("payment_details") or [c.get("bank_details") or {}]
    return [b for b in banks if b.get("iban") or b.get("account_number")]


def _low_confidence(fields: Any, path: str, out: set[str], threshold: float) -> None:
    if isinstance(fields, dict) and "confidence" in fields and "value" in fields:
        if fields.get("value") is not None and float(fields.get("confidence") or 0.0) < threshold:
            out.add(path)
        return
    if isinstance(fields, dict):
        for key, sub in fields.items():
            _low_confidence(sub, f"{path}.{key}" if path else key, out, threshold)
    elif isinstance(fields, list):
        for i, sub in enumerate(fields):
            _low_confidence(sub, f"{path}[{i}]", out, threshold)


def doubtful_fields(result: dict[str, Any], threshold: float = LOW_CONFIDENCE) -> set[str]:
    """Field paths the result itself is unsure of: low confidence, or named by a failed check."""
    out: set[str] = set()
    _low_confidence(result.get("fields") or {}, "", out, threshold)
    for check in result.get("validation") or []:
        if check.get("status") != "fail":
            continue
        rule = str(check.get("rule", ""))
        named = _PATH_IN_DETAIL.match(str(check.get("detail", "")))
        if named and rule == "embedded_xml_matches_page":
            out.add(named.group(1))
            continue
        paths = RULE_FIELDS.get(rule) or tuple(
            p for word, ps in RULE_WORDS.items() if word in rule for p in ps
        )
        out.update(paths or (f"validation:{rule}",))
    return out


@dataclass(slots=True)
class Line:
    position: str
    product_code: str | None
    description: str
    quantity: Decimal
    unit: str | None
    unit_price: Decimal
    discount_rate: Decimal | None
    discount_amount: Decimal | None
    tax_rate: Decimal | None
    tax_amount: Decimal | None
    total: Decimal


@dataclass(slots=True)
class Tax:
    rate: Decimal
    net: Decimal
    tax: Decimal
    category: str


@dataclass(slots=True)
class Prepared:
    """Everything a writer needs, typed; `c` is the result's content, `uncertain` the side report."""

    c: dict[str, Any]
    lines: list[Line]
    taxes: list[Tax]
    subtotal: Decimal
    tax_total: Decimal
    total: Decimal
    currency: str
    uncertain: set[str] = field(default_factory=set)
    countries: dict[str, str] = field(default_factory=dict)  # "vendor" / "customer" -> ISO code

    @property
    def line_total(self) -> Decimal:
        return sum((ln.total for ln in self.lines), Decimal(0))


def _category(rate: Decimal, reverse: bool) -> str:
    if reverse:
        return "AE"
    return "S" if rate > 0 else "Z"


def _lines(c: dict[str, Any], uncertain: set[str]) -> list[Line]:
    out: list[Line] = []
    for i, item in enumerate(c.get("line_items") or []):
        path = f"line_items[{i}]"
        qty, price, total = dec(item.get("quantity")), dec(item.get("unit_price")), dec(item.get("total"))
        if qty is None:
            qty = (total / price) if (total is not None and price) else Decimal(1)
            uncertain.add(f"{path}.quantity")
        if price is None:
            price = (total / qty) if (total is not None and qty) else Decimal(0)
            uncertain.add(f"{path}.unit_price")
        if total is None:
            total = (qty * price - (dec(item.get("discount_amount")) or Decimal(0))).quantize(CENT)
            uncertain.add(f"{path}.total")
        description = item.get("description")
        if not description:
            description = item.get("product_code") or f"Line {i + 1}"
            uncertain.add(f"{path}.description")
        out.append(Line(
            position=str(item.get("position") or i + 1),
            product_code=item.get("product_code"),
            description=description,
            quantity=qty,
            unit=item.get("unit"),
            unit_price=price,
            discount_rate=dec(item.get("discount_rate")),
            discount_amount=dec(item.get("discount_amount")),
            tax_rate=dec(item.get("tax_rate")),
            tax_amount=dec(item.get("tax_amount")),
            total=total,
        ))
    return out


def _taxes(c: dict[str, Any], lines: list[Line], subtotal: Decimal, tax_total: Decimal,
           uncertain: set[str]) -> list[Tax]:
    reverse = bool(c.get("is_reverse_charge"))
    given = [t for t in c.get("tax_breakdown") or [] if t.get("rate") is not None]
    if given:
        taxes = []
        for t in given:
            rate = dec(t["rate"]) or Decimal(0)
            net, tax = dec(t.get("net_amount")), dec(t.get("tax_amount"))
            if net is None or tax is None:
                uncertain.add("tax_breakdown")
                net = net if net is not None else (tax * 100 / rate if tax and rate else Decimal(0))
                tax = tax if tax is not None else net * rate / 100
            taxes.append(Tax(rate, net, tax, _category(rate, reverse)))
        return taxes
    uncertain.add("tax_breakdown")  # derived below: the result had none
    by_rate: dict[Decimal, Decimal] = {}
    for ln in lines:
        if ln.tax_rate is not None:
            by_rate[ln.tax_rate] = by_rate.get(ln.tax_rate, Decimal(0)) + ln.total
    if by_rate and sum(by_rate.values()) == subtotal:
        return [Tax(r, n, n * r / 100, _category(r, reverse)) for r, n in by_rate.items()]
    rate = (tax_total * 100 / subtotal).quantize(CENT) if subtotal else Decimal(0)
    return [Tax(rate, subtotal, tax_total, _category(rate, reverse))]


def prepare(result: dict[str, Any], threshold: float = LOW_CONFIDENCE) -> Prepared:
    """Type the result's content for the writers and collect the export's uncertain fields."""
    c = dict(result.get("content") or {})
    uncertain = doubtful_fields(result, threshold)
    lines = _lines(c, uncertain)
    subtotal, tax_total, total = dec(c.get("subtotal")), dec(c.get("tax_amount")), dec(c.get("total"))
    if subtotal is None:
        subtotal = (total - tax_total) if total is not None and tax_total is not None else \
            sum((ln.total for ln in lines), Decimal(0))
        uncertain.add("subtotal")
    if tax_total is None:
        tax_total = (total - subtotal) if total is not None else Decimal(0)
        uncertain.add("tax_amount")
    if total is None:
        total = subtotal + tax_total
        uncertain.add("total")
    if not lines:
        uncertain.add("line_items")  # EN 16931 needs one line: the net total becomes that line
        lines = [Line("1", None, c.get("notes") or "Total", Decimal(1), None, subtotal, None, None,
                      None, None, subtotal)]
    currency = c.get("currency") or ""
    if not currency:
        uncertain.add("currency")
        currency = "EUR"
    for key in ("invoice_number", "invoice_date"):
        if not c.get(key):
            uncertain.add(key)
    taxes = _taxes(c, lines, subtotal, tax_total, uncertain)
    countries = _countries(c, currency.upper(), uncertain)
    return Prepared(c, lines, taxes, subtotal, tax_total, total, currency.upper(), uncertain, countries)


def _countries(c: dict[str, Any], currency: str, uncertain: set[str]) -> dict[str, str]:
    """Seller and buyer country (mandatory in EN 16931), derived ones named as uncertain.

    Raises CountryUnknown rather than letting a writer emit XML without one: such a file fails the
    schema check and no receiving system would accept it.
    """
    out: dict[str, str] = {}
    bank = c.get("bank_details") or next(iter(c.get("payment_details") or []), None) or {}
    for who in ("vendor", "customer"):
        iban = bank.get("iban") if who == "vendor" else None  # the account paid into is the seller's
        code, derived = resolve_country(c.get(who) or {}, who, iban=iban, currency=currency)
        out[who] = code
        if derived:
            uncertain.add(f"{who}.address.country")
    return out

"""Stage 7: business checks on the extracted fields.

Each rule has a stable name and ends pass, fail or skipped (with why). A failed check lowers the
confidence of the fields involved (their Evidence is updated in place) but never removes a value:
the client sees what was printed and that it does not add up.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from pipeline.model import Evidence
from pipeline.normalize.identifiers import is_valid_iban, is_valid_vat
from pipeline.result import Check

TOLERANCE = Decimal("0.02")
FAIL_FACTOR = 0.6  # confidence multiplier for a field a failed check involves


def _num(ev: Any) -> Decimal | None:
    if not isinstance(ev, Evidence) or ev.value is None or isinstance(ev.value, bool):
        return None
    try:
        return Decimal(str(ev.value))
    except (InvalidOperation, ValueError):
        return None


def _lower(*evidence: Any) -> None:
    for ev in evidence:
        if isinstance(ev, Evidence) and ev.value is not None:
            ev.confidence = round(ev.confidence * FAIL_FACTOR, 4)


def _close(a: Decimal, b: Decimal, tolerance: Decimal = TOLERANCE) -> bool:
    return abs(a - b) <= tolerance


def line_items_sum_equals_subtotal(f: dict[str, Any]) -> Check:
    name = "line_items_sum_equals_subtotal"
    rows = f.get("line_items") or []
    subtotal = _num(f.get("subtotal"))
    totals = [_num(r.get("total")) for r in rows]
    if not rows or subtotal is None or any(t is None for t in totals):
        return Check(name, "skipped", "needs line totals and a subtotal")
    s = sum(totals, Decimal(0))  # type: ignore[arg-type]
    if _close(s, subtotal, TOLERANCE * max(1, len(rows) // 5)):
        return Check(name, "pass", f"{len(rows)} line totals sum to {s}")
    total = _num(f.get("total"))
    if total is not None and _close(s, total):
        return Check(name, "pass", f"{len(rows)} line totals sum to {s}, the gross total (prices incl. tax)")
    _lower(f.get("subtotal"), *[r.get("total") for r in rows])
    return Check(name, "fail", f"line totals sum to {s}, subtotal is {subtotal}")


def subtotal_plus_tax_equals_total(f: dict[str, Any]) -> Check:
    name = "subtotal_plus_tax_equals_total"
    sub, tax, total = _num(f.get("subtotal")), _num(f.get("tax_amount")), _num(f.get("total"))
    if sub is None or tax is None or total is None:
        return Check(name, "skipped", "needs subtotal, tax_amount and total")
    if _close(sub + tax, total):
        return Check(name, "pass", f"{sub} + {tax} = {total}")
    _lower(f.get("subtotal"), f.get("tax_amount"), f.get("total"))
    return Check(name, "fail", f"{sub} + {tax} = {sub + tax}, total is {total}")


def tax_breakdown_sums_to_tax_amount(f: dict[str, Any]) -> Check:
    name = "tax_breakdown_sums_to_tax_amount"
    rows = f.get("tax_breakdown") or []
    tax = _num(f.get("tax_amount"))
    amounts = [_num(r.get("tax_amount")) for r in rows]
    if not rows or tax is None or any(a is None for a in amounts):
        return Check(name, "skipped", "needs a tax breakdown and a tax amount")
    s = sum(amounts, Decimal(0))  # type: ignore[arg-type]
    if _close(s, tax):
        return Check(name, "pass", f"{len(rows)} rates sum to {s}")
    _lower(f.get("tax_amount"), *[r.get("tax_amount") for r in rows])
    return Check(name, "fail", f"breakdown sums to {s}, tax_amount is {tax}")


def line_quantity_times_unit_price_equals_total(f: dict[str, Any]) -> Check:
    name = "line_quantity_times_unit_price_equals_total"
    checked, bad = 0, []
    for i, row in enumerate(f.get("line_items") or []):
        q, p, t = _num(row.get("quantity")), _num(row.get("unit_price")), _num(row.get("total"))
        if q is None or p is None or t is None:
            continue
        checked += 1
        discount = _num(row.get("discount_amount")) or Decimal(0)
        rate = _num(row.get("discount_rate"))
        gross = q * p
        expected = [gross - discount, gross + discount]
        if rate is not None:
            expected.append(gross * (1 - rate / 100))
        tol = max(TOLERANCE, abs(t) * Decimal("0.005"))
        if not any(_close(e, t, tol) for e in expected):
            bad.append(i)
            _lower(row.get("quantity"), row.get("unit_price"), row.get("total"))
    if not checked:
        return Check(name, "skipped", "no line has quantity, unit price and total")
    if bad:
        return Check(name, "fail", f"lines {', '.join(str(i + 1) for i in bad)} of {checked} do not add up")
    return Check(name, "pass", f"{checked} lines add up")


def iban_checksum(f: dict[str, Any]) -> Check:
    name = "iban_checksum"
    accounts = [f.get("bank_details") or {}, *(f.get("payment_details") or [])]
    ibans = [a.get("iban") for a in accounts if isinstance(a.get("iban"), Evidence) and a["iban"].value]
    if not ibans:
        return Check(name, "skipped", "no IBAN")
    bad = [ev for ev in ibans if not is_valid_iban(str(ev.value))]
    seen_bad = {str(ev.value) for ev in bad}
    _lower(*bad)
    if bad:
        return Check(name, "fail", f"mod-97 check fails for {', '.join(sorted(seen_bad))}")
    return Check(name, "pass", f"{len({str(e.value) for e in ibans})} IBAN(s) pass mod-97")


def vat_id_format(f: dict[str, Any]) -> Check:
    name = "vat_id_format"
    ids = [(who, (f.get(who) or {}).get("tax_id")) for who in ("vendor", "customer")]
    ids = [(who, ev) for who, ev in ids if isinstance(ev, Evidence) and ev.value]
    if not ids:
        return Check(name, "skipped", "no VAT id")
    bad, unknown = [], []
    for who, ev in ids:
        ok = is_valid_vat(str(ev.value))
        if ok is None:
            unknown.append(who)
        elif not ok:
            bad.append(f"{who} {ev.value}")
            _lower(ev)
    if bad:
        return Check(name, "fail", "invalid: " + ", ".join(bad))
    if len(unknown) == len(ids):
        return Check(name, "skipped", "no rules known for " + ", ".join(str(ev.value) for _, ev in ids))
    return Check(name, "pass", "valid format and check digits")


def due_date_not_before_invoice_date(f: dict[str, Any]) -> Check:
    name = "due_date_not_before_invoice_date"
    inv, due = f.get("invoice_date"), f.get("due_date")
    if not (isinstance(inv, Evidence) and inv.value and isinstance(due, Evidence) and due.value):
        return Check(name, "skipped", "needs invoice_date and due_date")
    if due.value >= inv.value:
        return Check(name, "pass", f"due {due.value} on or after {inv.value}")
    _lower(inv, due)
    return Check(name, "fail", f"due {due.value} before invoice date {inv.value}")


INVOICE_RULES: list[Callable[[dict[str, Any]], Check]] = [
    line_items_sum_equals_subtotal,
    subtotal_plus_tax_equals_total,
    tax_breakdown_sums_to_tax_amount,
    line_quantity_times_unit_price_equals_total,
    iban_checksum,
    vat_id_format,
    due_date_not_before_invoice_date,
]


def validate(document_type: str, fields: dict[str, Any]) -> list[Check]:
    """Run the rules that apply to `document_type` on the evidence tree `fields`."""
    if document_type in ("invoice", "credit_note"):
        return [rule(fields) for rule in INVOICE_RULES]
    rules = [r for r in INVOICE_RULES if _applies(r, fields)]
    return [rule(fields) for rule in rules]


def _applies(rule: Callable[[dict[str, Any]], Check], fields: dict[str, Any]) -> bool:
    """Other document types get the invoice rules whose fields they have (receipts have totals)."""
    needs = {
        line_items_sum_equals_subtotal: ("line_items", "subtotal"),
        subtotal_plus_tax_equals_total: ("subtotal", "tax_amount", "total"),
        tax_breakdown_sums_to_tax_amount: ("tax_breakdown", "tax_amount"),
        line_quantity_times_unit_price_equals_total: ("line_items",),
        iban_checksum: ("bank_details",),
        vat_id_format: ("vendor",),
        due_date_not_before_invoice_date: ("invoice_date", "due_date"),
    }[rule]
    return all(k in fields for k in needs)

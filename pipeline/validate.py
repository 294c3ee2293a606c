"""Stage 7: business checks on the extracted fields.

Each rule has a stable name and ends pass, fail or skipped (with why). A failed check lowers the
confidence of the fields involved (their Evidence is updated in place) but never removes a value:
the client sees what was printed and that it does not add up. Each document type runs its own list
of rules, every one of them reported even when skipped, so a client can rely on the rule names a
type produces; types without a list get the invoice rules whose fields they carry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from pipeline.model import Evidence
from pipeline.normalize.identifiers import is_valid_iban, is_valid_vat
from pipeline.result import Check

Rule = Callable[[dict[str, Any]], Check]
Link = tuple[int, Decimal, Decimal, Decimal]  # (transaction index, balance before, amount, balance after)

TOLERANCE = Decimal("0.02")
FAIL_FACTOR = 0.6  # confidence multiplier for a field a failed check involves
SHOWN = 3  # offending rows named in a detail before "and N more"
PARTIES = ("vendor", "customer", "merchant", "buyer", "supplier")  # parties whose tax id is a VAT id


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


def _sum_tolerance(n: int) -> Decimal:
    """Rounded per-row amounts drift a cent now and then; allow a little more on long lists."""
    return TOLERANCE * max(1, n // 5)


def _money(v: Decimal) -> str:
    return f"{v:.2f}"


def _rows(f: dict[str, Any], key: str) -> list[dict[str, Any]]:
    return [r for r in f.get(key) or [] if isinstance(r, dict)]


def _derived(ev: Any) -> bool:
    """A value the extractor computed (no printed text, no box) rather than read: checking it
    against the very amounts it was computed from proves nothing."""
    return isinstance(ev, Evidence) and ev.value is not None and ev.raw is None and ev.bbox is None


def _which(indices: list[int], total: int, what: str = "lines") -> str:
    shown = ", ".join(str(i + 1) for i in indices[:SHOWN])
    more = f" and {len(indices) - SHOWN} more" if len(indices) > SHOWN else ""
    return f"{what} {shown}{more} of {total}"


# ------------------------------------------------------------------------------ invoice arithmetic


def line_items_sum_equals_subtotal(f: dict[str, Any]) -> Check:
    name = "line_items_sum_equals_subtotal"
    rows = f.get("line_items") or []
    subtotal = _num(f.get("subtotal"))
    totals = [_num(r.get("total")) for r in rows]
    if not rows or subtotal is None or any(t is None for t in totals):
        return Check(name, "skipped", "needs line totals and a subtotal")
    s = sum(totals, Decimal(0))  # type: ignore[arg-type]
    if _close(s, subtotal, _sum_tolerance(len(rows))):
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
    computed = [k for k in ("subtotal", "tax_amount", "total") if _derived(f.get(k))]
    if computed:
        return Check(name, "skipped", f"{computed[0]} is not printed; it was computed from the others")
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
    """Per line (invoice and order `line_items`, receipt `items`): quantity x unit price, less a
    discount when one is printed, gives the line total."""
    name = "line_quantity_times_unit_price_equals_total"
    checked, bad = 0, []
    rows = f.get("line_items") if "line_items" in f else f.get("items")
    for i, row in enumerate(rows or []):
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


def _ibans(tree: Any) -> Iterator[Evidence]:
    """Every IBAN in the tree: invoice bank details and payment means, a statement's account, the
    account a salary is paid to."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            if key == "iban" and isinstance(value, Evidence):
                if value.value:
                    yield value
            else:
                yield from _ibans(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from _ibans(value)


def iban_checksum(f: dict[str, Any]) -> Check:
    name = "iban_checksum"
    ibans = list(_ibans(f))
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
    ids = [(who, (f.get(who) or {}).get("tax_id")) for who in PARTIES if isinstance(f.get(who), dict)]
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


# ------------------------------------------------------------------------------------------ receipt


def items_sum_equals_total(f: dict[str, Any]) -> Check:
    """A till prints item prices with tax included, so they add up to the total paid; a receipt
    with net prices adds up to the subtotal, or to the total once the tax is added."""
    name = "items_sum_equals_total"
    rows = _rows(f, "items")
    amounts = [_num(r.get("total")) for r in rows]
    total, sub, tax = _num(f.get("total")), _num(f.get("subtotal")), _num(f.get("tax_amount"))
    if not rows or any(a is None for a in amounts) or (total is None and sub is None):
        return Check(name, "skipped", "needs every item's amount and a total or subtotal")
    s = sum(amounts, Decimal(0))  # type: ignore[arg-type]
    tol = _sum_tolerance(len(rows))
    n = len(rows)
    if total is not None and _close(s, total, tol):
        return Check(name, "pass", f"{n} item amounts sum to {_money(s)}, the total (prices incl. tax)")
    if sub is not None and _close(s, sub, tol):
        return Check(name, "pass", f"{n} item amounts sum to {_money(s)}, the subtotal (net prices)")
    if total is not None and tax is not None and _close(s + tax, total, tol):
        return Check(
            name, "pass", f"{n} net item amounts {_money(s)} + tax {_money(tax)} = total {_money(total)}"
        )
    _lower(f.get("total"), f.get("subtotal"), *[r.get("total") for r in rows])
    printed = ", ".join(
        f"{label} is {_money(v)}" for label, v in (("total", total), ("subtotal", sub)) if v is not None
    )
    return Check(name, "fail", f"{n} item amounts sum to {_money(s)}; {printed}")


# ----------------------------------------------------------------------------------- bank statement


def _balance_chain(f: dict[str, Any]) -> tuple[list[Link], bool]:
    """The links of the running balance that can be checked: (transaction index, balance before,
    amount, printed balance after); the index len(transactions) stands for the closing balance.

    Statements list transactions oldest first or newest first; the order whose chain breaks less
    often is taken (second item: True for newest first). A row without a printed balance carries
    the computed one forward, a row without an amount cuts the chain until the next printed balance.
    """
    rows = _rows(f, "transactions")
    opening, closing = _num(f.get("opening_balance")), _num(f.get("closing_balance"))
    best: tuple[list[Link], bool] | None = None
    for newest_first in (False, True):
        order = list(range(len(rows)))[:: -1 if newest_first else 1]
        links: list[Link] = []
        before, last_printed = opening, False
        for i in order:
            amount, after = _num(rows[i].get("amount")), _num(rows[i].get("balance"))
            if after is not None and before is not None and amount is not None:
                links.append((i, before, amount, after))
            if after is not None:
                before, last_printed = after, True
            elif before is not None and amount is not None:
                before, last_printed = before + amount, False
            else:
                before, last_printed = None, False
        if rows and last_printed and closing is not None and before is not None:
            links.append((len(rows), before, Decimal(0), closing))
        if best is None or _breaks(links) < _breaks(best[0]):
            best = (links, newest_first)
    return best or ([], False)


def _breaks(links: list[Link]) -> int:
    return sum(1 for _i, before, amount, after in links if not _close(before + amount, after))


def _culprits(f: dict[str, Any], links: list[Link]) -> tuple[list[int], list[Any]]:
    """The broken links and the evidence to blame. Two neighbouring breaks that heal together
    (b0 + a1 + a2 = b2) point at the one balance between them, not at the amounts."""
    rows = _rows(f, "transactions")
    broken = [k for k, (_i, b, a, c) in enumerate(links) if not _close(b + a, c)]
    blamed: list[Any] = []
    skip: set[int] = set()
    for k in broken:
        if k in skip:
            continue
        i, before, amount, _after = links[k]
        if k + 1 in broken and links[k + 1][0] < len(rows):
            _j, _b, next_amount, next_after = links[k + 1]
            if _close(before + amount + next_amount, next_after):
                blamed.append(rows[i].get("balance"))
                skip.add(k + 1)
                continue
        if i == len(rows):
            blamed.append(f.get("closing_balance"))
        else:
            blamed += [rows[i].get("amount"), rows[i].get("balance")]
    return [links[k][0] for k in broken], blamed


def opening_plus_transactions_equals_closing(f: dict[str, Any]) -> Check:
    name = "opening_plus_transactions_equals_closing"
    rows = _rows(f, "transactions")
    opening, closing = _num(f.get("opening_balance")), _num(f.get("closing_balance"))
    amounts = [_num(r.get("amount")) for r in rows]
    if opening is None or closing is None or not rows:
        return Check(name, "skipped", "needs opening and closing balances and transactions")
    missing = [i for i, a in enumerate(amounts) if a is None]
    if missing:
        return Check(name, "skipped", f"no amount read for {_which(missing, len(rows), 'transactions')}")
    s = sum(amounts, Decimal(0))  # type: ignore[arg-type]
    detail = f"opening {_money(opening)} + {len(rows)} transactions ({s:+.2f}) = {_money(opening + s)}"
    if _close(opening + s, closing):
        return Check(name, "pass", f"{detail} = closing")
    links, _newest_first = _balance_chain(f)
    _broken, blamed = _culprits(f, links)
    # Printed running balances say where the sum goes wrong; without them every amount is suspect.
    _lower(
        *(blamed or [f.get("opening_balance"), f.get("closing_balance"), *[r.get("amount") for r in rows]])
    )
    return Check(
        name, "fail", f"{detail}, closing is {_money(closing)} (off by {closing - opening - s:+.2f})"
    )


def running_balances_consistent(f: dict[str, Any]) -> Check:
    """Each printed balance is the one before it (the opening balance for the first) plus the
    transaction's amount, and the last one is the closing balance."""
    name = "running_balances_consistent"
    rows = _rows(f, "transactions")
    links, newest_first = _balance_chain(f)
    if not links:
        return Check(name, "skipped", "no running balances printed")
    broken, blamed = _culprits(f, links)
    order = " (newest first)" if newest_first else ""
    if not broken:
        return Check(name, "pass", f"{len(links)} balances follow from the amounts{order}")
    _lower(*blamed)
    notes = []
    for i in broken[:SHOWN]:
        _i, before, amount, after = next(link for link in links if link[0] == i)
        if i == len(rows):
            notes.append(f"closing {_money(after)} is not the last balance {_money(before)}")
            continue
        flipped = " (sign reversed?)" if amount and _close(before - amount, after) else ""
        notes.append(
            f"transaction {i + 1}: {_money(before)} {amount:+.2f} = {_money(before + amount)}, "
            f"balance printed {_money(after)}{flipped}"
        )
    more = f"; and {len(broken) - SHOWN} more" if len(broken) > SHOWN else ""
    return Check(
        name, "fail", f"{len(broken)} of {len(links)} balances break{order}: " + "; ".join(notes) + more
    )


# ------------------------------------------------------------------------------------------ payslip


def _pay_lines(f: dict[str, Any], key: str) -> tuple[list[dict[str, Any]], list[Decimal | None]]:
    rows = _rows(f, key)
    return rows, [_num(r.get("amount")) for r in rows]


def gross_minus_deductions_equals_net(f: dict[str, Any]) -> Check:
    """Deductions are positive by the schema's convention, so net = gross - their sum."""
    name = "gross_minus_deductions_equals_net"
    gross, net = _num(f.get("gross_salary")), _num(f.get("net_salary"))
    rows, amounts = _pay_lines(f, "deductions")
    if gross is None or net is None or not rows or any(a is None for a in amounts):
        return Check(name, "skipped", "needs gross, net and every deduction's amount")
    s = sum(amounts, Decimal(0))  # type: ignore[arg-type]
    detail = f"gross {_money(gross)} - {len(rows)} deductions {_money(s)} = {_money(gross - s)}"
    if _close(gross - s, net, _sum_tolerance(len(rows))):
        return Check(name, "pass", f"{detail} = net")
    _lower(f.get("gross_salary"), f.get("net_salary"), *[r.get("amount") for r in rows])
    return Check(name, "fail", f"{detail}, net is {_money(net)}")


def earnings_sum_to_gross(f: dict[str, Any]) -> Check:
    name = "earnings_sum_to_gross"
    gross = _num(f.get("gross_salary"))
    rows, amounts = _pay_lines(f, "earnings")
    if gross is None or not rows or any(a is None for a in amounts):
        return Check(name, "skipped", "needs gross and every earning's amount")
    s = sum(amounts, Decimal(0))  # type: ignore[arg-type]
    if _close(s, gross, _sum_tolerance(len(rows))):
        return Check(name, "pass", f"{len(rows)} earnings sum to {_money(s)} = gross")
    _lower(f.get("gross_salary"), *[r.get("amount") for r in rows])
    return Check(name, "fail", f"{len(rows)} earnings sum to {_money(s)}, gross is {_money(gross)}")


# ------------------------------------------------------------------------------------ delivery note


def delivered_not_more_than_ordered(f: dict[str, Any]) -> Check:
    """A delivery fulfils an order: more delivered than ordered on one line is a misread quantity
    (or an over-delivery the receiver must see)."""
    name = "delivered_not_more_than_ordered"
    rows = _rows(f, "items")
    checked, bad, notes = 0, [], []
    for i, row in enumerate(rows):
        ordered, delivered = _num(row.get("quantity_ordered")), _num(row.get("quantity_delivered"))
        if ordered is None or delivered is None:
            continue
        checked += 1
        if delivered > ordered:
            bad.append(i)
            notes.append(
                f"item {i + 1}: {delivered.normalize():f} delivered of {ordered.normalize():f} ordered"
            )
            _lower(row.get("quantity_ordered"), row.get("quantity_delivered"))
    if not checked:
        return Check(name, "skipped", "no item shows both ordered and delivered quantities")
    if bad:
        more = f"; and {len(bad) - SHOWN} more" if len(bad) > SHOWN else ""
        return Check(name, "fail", "; ".join(notes[:SHOWN]) + more)
    return Check(name, "pass", f"{checked} items delivered within the ordered quantity")


# -------------------------------------------------------------------------------------- rule lists

INVOICE_RULES: list[Rule] = [
    line_items_sum_equals_subtotal,
    subtotal_plus_tax_equals_total,
    tax_breakdown_sums_to_tax_amount,
    line_quantity_times_unit_price_equals_total,
    iban_checksum,
    vat_id_format,
    due_date_not_before_invoice_date,
]
RULES: dict[str, list[Rule]] = {
    "invoice": INVOICE_RULES,
    "credit_note": INVOICE_RULES,
    "receipt": [
        items_sum_equals_total,
        subtotal_plus_tax_equals_total,
        tax_breakdown_sums_to_tax_amount,
        line_quantity_times_unit_price_equals_total,
        vat_id_format,
    ],
    "purchase_order": [
        line_items_sum_equals_subtotal,
        subtotal_plus_tax_equals_total,
        line_quantity_times_unit_price_equals_total,
        vat_id_format,
    ],
    "delivery_note": [delivered_not_more_than_ordered],
    "bank_statement": [
        opening_plus_transactions_equals_closing,
        running_balances_consistent,
        iban_checksum,
    ],
    "payslip": [gross_minus_deductions_equals_net, earnings_sum_to_gross, iban_checksum],
}


def validate(document_type: str, fields: dict[str, Any]) -> list[Check]:
    """Run the rules that apply to `document_type` on the evidence tree `fields`."""
    if document_type in RULES:
        return [rule(fields) for rule in RULES[document_type]]
    rules = [r for r in INVOICE_RULES if _applies(r, fields)]
    return [rule(fields) for rule in rules]


def _applies(rule: Rule, fields: dict[str, Any]) -> bool:
    """Types without their own list get the invoice rules whose fields they have."""
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

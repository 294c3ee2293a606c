"""Rules of receipts, purchase orders, delivery notes, bank statements and payslips on small evidence
trees: each passes on consistent figures, fails (lowering the confidence of the figures involved,
keeping their values) on inconsistent ones, and is skipped when what it needs is not there."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from pipeline.model import Evidence
from pipeline.validate import RULES, validate

D = Decimal
GOOD_IBAN = "DE89370400440532013000"
BAD_IBAN = "DE89370400440532013001"


def _ev(value, conf: float = 0.9) -> Evidence:
    """Printed evidence (text and box); numbers as the Decimals the extractors produce."""
    if isinstance(value, int | float) or (isinstance(value, str) and re.fullmatch(r"-?\d+(?:\.\d+)?", value)):
        value = D(str(value))
    return Evidence(
        value, raw=None if value is None else str(value), confidence=conf, page=0, bbox=(0, 0, 1, 1)
    )


def _status(checks) -> dict[str, str]:
    return {c.rule: c.status for c in checks}


def _check(doc_type: str, fields: dict, rule: str):
    return next(c for c in validate(doc_type, fields) if c.rule == rule)


def test_every_type_reports_all_its_rules_even_on_an_empty_tree() -> None:
    for doc_type, rules in RULES.items():
        st = _status(validate(doc_type, {}))
        assert list(st) == [r.__name__ for r in rules], doc_type
        assert set(st.values()) == {"skipped"}, (doc_type, st)


# ------------------------------------------------------------------------------------ bank statement


def _statement(opening, amounts, balances, closing, iban=GOOD_IBAN) -> dict:
    return {
        "iban": _ev(iban),
        "opening_balance": _ev(opening),
        "closing_balance": _ev(closing),
        "transactions": [
            {"amount": _ev(a), "balance": _ev(b)} for a, b in zip(amounts, balances, strict=True)
        ],
    }


def test_statement_that_adds_up_passes_all_three() -> None:
    f = _statement("100.00", ["-20.50", "50.00", "-9.50"], ["79.50", "129.50", "120.00"], "120.00")
    st = _status(validate("bank_statement", f))
    assert st == {
        "opening_plus_transactions_equals_closing": "pass",
        "running_balances_consistent": "pass",
        "iban_checksum": "pass",
    }


def test_statement_without_printed_balances_still_checks_the_sum() -> None:
    f = _statement("100.00", ["-20.50", "50.00"], [None, None], "129.50")
    st = _status(validate("bank_statement", f))
    assert st["opening_plus_transactions_equals_closing"] == "pass"
    assert st["running_balances_consistent"] == "skipped"


def test_wrong_amount_fails_both_balance_rules_and_is_the_one_lowered() -> None:
    f = _statement("100.00", ["-20.50", "60.00", "-9.50"], ["79.50", "129.50", "120.00"], "120.00")
    checks = {c.rule: c for c in validate("bank_statement", f)}
    assert checks["opening_plus_transactions_equals_closing"].status == "fail"
    assert "off by -10.00" in checks["opening_plus_transactions_equals_closing"].detail
    running = checks["running_balances_consistent"]
    assert running.status == "fail" and "transaction 2" in running.detail
    rows = f["transactions"]
    assert rows[1]["amount"].value == D("60.00") and rows[1]["amount"].confidence < 0.9
    assert rows[0]["amount"].confidence == 0.9 and rows[2]["amount"].confidence == 0.9
    assert f["opening_balance"].confidence == 0.9 and f["closing_balance"].confidence == 0.9


def test_misread_running_balance_is_blamed_not_the_amounts() -> None:
    f = _statement("100.00", ["-20.50", "50.00", "-9.50"], ["79.50", "139.50", "120.00"], "120.00")
    st = _status(validate("bank_statement", f))
    assert st["opening_plus_transactions_equals_closing"] == "pass"
    assert st["running_balances_consistent"] == "fail"
    rows = f["transactions"]
    assert rows[1]["balance"].confidence < 0.9
    assert all(r["amount"].confidence == 0.9 for r in rows)


def test_reversed_sign_is_named_in_the_detail() -> None:
    f = _statement("100.00", ["-20.50", "-50.00"], ["79.50", "129.50"], "129.50")
    check = _check("bank_statement", f, "running_balances_consistent")
    assert check.status == "fail" and "sign reversed" in check.detail


def test_newest_first_statement_passes() -> None:
    # Printed newest first: the last row is the first booking after the opening balance.
    f = _statement("100.00", ["-9.50", "50.00", "-20.50"], ["120.00", "129.50", "79.50"], "120.00")
    check = _check("bank_statement", f, "running_balances_consistent")
    assert check.status == "pass" and "newest first" in check.detail


def test_closing_not_matching_last_balance_lowers_closing() -> None:
    f = _statement("100.00", ["-20.50", "50.00"], ["79.50", "129.50"], "192.50")
    checks = {c.rule: c for c in validate("bank_statement", f)}
    assert checks["running_balances_consistent"].status == "fail"
    assert "closing" in checks["running_balances_consistent"].detail
    assert checks["opening_plus_transactions_equals_closing"].status == "fail"
    assert f["closing_balance"].confidence < 0.9
    assert f["closing_balance"].value == D("192.50")


def test_statement_rules_skip_without_what_they_need() -> None:
    f = _statement("100.00", ["-20.50", None], ["79.50", None], "129.50", iban=None)
    checks = {c.rule: c for c in validate("bank_statement", f)}
    assert checks["opening_plus_transactions_equals_closing"].status == "skipped"
    assert "transactions 2 of 2" in checks["opening_plus_transactions_equals_closing"].detail
    assert checks["iban_checksum"].status == "skipped"
    assert _check("bank_statement", {"opening_balance": _ev("1")}, "running_balances_consistent").status == (
        "skipped"
    )


def test_statement_iban_checksum_fails_and_keeps_the_value() -> None:
    f = _statement("1", ["1"], ["2"], "2", iban=BAD_IBAN)
    assert _check("bank_statement", f, "iban_checksum").status == "fail"
    assert f["iban"].value == BAD_IBAN and f["iban"].confidence < 0.9


# ------------------------------------------------------------------------------------------ payslip


def _payslip(gross, earnings, deductions, net, iban=GOOD_IBAN) -> dict:
    return {
        "employee": {"iban": _ev(iban)},
        "gross_salary": _ev(gross),
        "net_salary": _ev(net),
        "earnings": [{"description": _ev("x"), "amount": _ev(a)} for a in earnings],
        "deductions": [{"description": _ev("y"), "amount": _ev(a)} for a in deductions],
    }


def test_payslip_that_adds_up_passes() -> None:
    f = _payslip("3250.00", ["3000.00", "250.00"], ["512.40", "301.22"], "2436.38")
    assert _status(validate("payslip", f)) == {
        "gross_minus_deductions_equals_net": "pass",
        "earnings_sum_to_gross": "pass",
        "iban_checksum": "pass",
    }


def test_payslip_failures_lower_the_figures_involved() -> None:
    f = _payslip("3250.00", ["3000.00", "205.00"], ["512.40", "301.22"], "2463.38", iban=BAD_IBAN)
    checks = {c.rule: c for c in validate("payslip", f)}
    assert {k: c.status for k, c in checks.items()} == {
        "gross_minus_deductions_equals_net": "fail",
        "earnings_sum_to_gross": "fail",
        "iban_checksum": "fail",
    }
    assert "net is 2463.38" in checks["gross_minus_deductions_equals_net"].detail
    assert "3205.00" in checks["earnings_sum_to_gross"].detail
    assert f["net_salary"].value == D("2463.38") and f["net_salary"].confidence < 0.9
    assert f["earnings"][1]["amount"].confidence < 0.9
    assert f["employee"]["iban"].confidence < 0.9


def test_payslip_rules_skip_without_amounts() -> None:
    f = _payslip(None, ["3000.00"], [], "2400.00", iban=None)
    assert set(_status(validate("payslip", f)).values()) == {"skipped"}


# ------------------------------------------------------------------------------------------ receipt


def _receipt(items, total, subtotal=None, tax=None, breakdown=()) -> dict:
    return {
        "items": [{"description": _ev("x"), "total": _ev(t)} for t in items],
        "total": _ev(total),
        "subtotal": _ev(subtotal),
        "tax_amount": _ev(tax),
        "tax_breakdown": [{"rate": _ev(r), "tax_amount": _ev(a)} for r, a in breakdown],
        "merchant": {"tax_id": _ev(None)},
    }


def test_receipt_with_tax_inclusive_prices_passes() -> None:
    f = _receipt(["1.99", "4.50", "2.38"], "8.87", tax="0.58", breakdown=[(7, "0.29"), (19, "0.29")])
    st = _status(validate("receipt", f))
    assert st["items_sum_equals_total"] == "pass"
    assert st["tax_breakdown_sums_to_tax_amount"] == "pass"
    assert st["subtotal_plus_tax_equals_total"] == "skipped"


@pytest.mark.parametrize(
    ("subtotal", "tax", "total", "phrase"),
    [("10.00", "1.90", "11.90", "subtotal"), (None, "1.90", "11.90", "+ tax")],
)
def test_receipt_with_net_prices_passes(subtotal, tax, total, phrase) -> None:
    f = _receipt(["4.00", "6.00"], total, subtotal=subtotal, tax=tax)
    check = _check("receipt", f, "items_sum_equals_total")
    assert check.status == "pass" and phrase in check.detail


def test_receipt_that_does_not_add_up_fails() -> None:
    f = _receipt(["1.99", "4.50"], "7.49", subtotal="6.00", tax="1.20", breakdown=[(19, "1.00")])
    checks = {c.rule: c for c in validate("receipt", f)}
    assert checks["items_sum_equals_total"].status == "fail"
    assert "6.49" in checks["items_sum_equals_total"].detail
    assert checks["subtotal_plus_tax_equals_total"].status == "fail"
    assert checks["tax_breakdown_sums_to_tax_amount"].status == "fail"
    assert f["total"].value == D("7.49") and f["total"].confidence < 0.9


def test_receipt_items_sum_skips_without_every_item_amount() -> None:
    f = _receipt(["1.99", None], "7.49")
    assert _check("receipt", f, "items_sum_equals_total").status == "skipped"
    assert _check("receipt", _receipt([], "7.49"), "items_sum_equals_total").status == "skipped"


# ----------------------------------------------------------------------------------- purchase order


def test_purchase_order_gets_invoice_arithmetic() -> None:
    rows = [
        {"quantity": _ev(2), "unit_price": _ev("10.00"), "total": _ev("20.00")},
        {"quantity": _ev(3), "unit_price": _ev("5.00"), "total": _ev("15.00")},
    ]
    f = {"line_items": rows, "subtotal": _ev("35.00"), "tax_amount": _ev("6.65"), "total": _ev("41.65")}
    st = _status(validate("purchase_order", f))
    assert st == {
        "line_items_sum_equals_subtotal": "pass",
        "subtotal_plus_tax_equals_total": "pass",
        "line_quantity_times_unit_price_equals_total": "pass",
        "vat_id_format": "skipped",
    }
    rows[1]["total"] = _ev("51.00")
    f["buyer"] = {"tax_id": _ev("DE777777777")}
    st = _status(validate("purchase_order", f))
    assert st["line_items_sum_equals_subtotal"] == "fail"
    assert st["line_quantity_times_unit_price_equals_total"] == "fail"
    assert st["vat_id_format"] == "fail"


# ------------------------------------------------------------------------------------ delivery note


def _note(pairs) -> dict:
    return {"items": [{"quantity_ordered": _ev(o), "quantity_delivered": _ev(d)} for o, d in pairs]}


def test_delivery_within_order_passes_partial_included() -> None:
    check = _check("delivery_note", _note([(10, 10), (5, 3), (None, 4)]), "delivered_not_more_than_ordered")
    assert check.status == "pass" and check.detail.startswith("2 items")


def test_over_delivery_fails_on_that_item_only() -> None:
    f = _note([(10, 10), (5, 50)])
    check = _check("delivery_note", f, "delivered_not_more_than_ordered")
    assert check.status == "fail" and "item 2: 50 delivered of 5 ordered" in check.detail
    assert f["items"][1]["quantity_delivered"].confidence < 0.9
    assert f["items"][0]["quantity_delivered"].confidence == 0.9


def test_delivery_without_ordered_quantities_is_skipped() -> None:
    assert _check("delivery_note", _note([(None, 4)]), "delivered_not_more_than_ordered").status == "skipped"

"""The per-type rules end to end on generated documents (bench.doctypes, five languages): what the
pipeline reads from a consistent document passes, and the same evidence tree with one figure
altered fails, lowering that figure's confidence and keeping its value."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from bench.doctypes import DOC_TYPES, generate
from pipeline import classify, load, process_document, tables
from pipeline.extract import extract_fields
from pipeline.validate import RULES, validate

SEED = 41
# The rules a consistent generated document of each type must pass (delivered <= ordered only when
# the note prints an ordered column, which some layouts leave out).
MUST_PASS = {
    "receipt": {"items_sum_equals_total", "tax_breakdown_sums_to_tax_amount"},
    "purchase_order": {
        "line_items_sum_equals_subtotal",
        "subtotal_plus_tax_equals_total",
        "line_quantity_times_unit_price_equals_total",
    },
    "delivery_note": set(),
    "bank_statement": {
        "opening_plus_transactions_equals_closing",
        "running_balances_consistent",
        "iban_checksum",
    },
    "payslip": {"gross_minus_deductions_equals_net", "earnings_sum_to_gross", "iban_checksum"},
}


def _tree(doc_type: str, index: int) -> dict[str, Any]:
    """The evidence tree the pipeline extracts, before validation (what `validate` receives)."""
    doc = load.load(generate(doc_type, SEED, index).pdf)
    detected, _confidence = classify.classify(doc)
    assert detected == doc_type
    return extract_fields(doc_type, doc, tables.find_line_items(doc))


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_consistent_documents_pass_in_five_languages(doc_type: str) -> None:
    for index in range(5):  # the generator cycles en, de, fr, es, nl with the index
        d = generate(doc_type, SEED, index)
        result = process_document(d.pdf, filename=f"{d.id}.pdf")
        checks = {c["rule"]: c for c in result["validation"]}
        assert list(checks) == [r.__name__ for r in RULES[doc_type]]
        for rule in MUST_PASS[doc_type]:
            assert checks[rule]["status"] == "pass", (d.id, checks[rule])
        assert not [c for c in checks.values() if c["status"] == "fail"], (d.id, checks)


def test_delivery_notes_with_ordered_quantities_pass() -> None:
    statuses = []
    for index in range(10):
        d = generate("delivery_note", SEED, index)
        result = process_document(d.pdf)
        check = next(c for c in result["validation"] if c["rule"] == "delivered_not_more_than_ordered")
        printed = any(item["quantity_ordered"] is not None for item in d.truth["items"])
        assert check["status"] == ("pass" if printed else "skipped"), (d.id, check)
        statuses.append(check["status"])
    assert "pass" in statuses


def _status(doc_type: str, tree: dict[str, Any]) -> dict[str, str]:
    return {c.rule: c.status for c in validate(doc_type, tree)}


def _bump(ev: Any, by: str) -> None:
    ev.value = Decimal(str(ev.value)) + Decimal(by)


def test_statement_with_one_altered_amount_fails() -> None:
    tree = _tree("bank_statement", 1)
    assert len(tree["transactions"]) >= 2
    assert _status("bank_statement", tree)["running_balances_consistent"] == "pass"
    amount = tree["transactions"][1]["amount"]
    before = amount.confidence
    _bump(amount, "10.00")
    st = _status("bank_statement", tree)
    assert st["opening_plus_transactions_equals_closing"] == "fail"
    assert st["running_balances_consistent"] == "fail"
    assert amount.confidence < before and amount.value is not None
    assert tree["transactions"][0]["amount"].confidence == pytest.approx(before, abs=0.2)


def test_payslip_with_altered_deduction_and_earning_fails() -> None:
    tree = _tree("payslip", 2)
    assert set(_status("payslip", tree).values()) == {"pass"}
    _bump(tree["deductions"][0]["amount"], "5.00")
    st = _status("payslip", tree)
    assert st["gross_minus_deductions_equals_net"] == "fail" and st["earnings_sum_to_gross"] == "pass"
    _bump(tree["earnings"][0]["amount"], "5.00")
    assert _status("payslip", tree)["earnings_sum_to_gross"] == "fail"


def test_receipt_with_altered_item_fails() -> None:
    tree = _tree("receipt", 3)
    assert _status("receipt", tree)["items_sum_equals_total"] == "pass"
    item = tree["items"][0]["total"]
    _bump(item, "1.00")
    assert _status("receipt", tree)["items_sum_equals_total"] == "fail"
    assert tree["total"].value is not None


def test_purchase_order_with_altered_line_total_fails() -> None:
    tree = _tree("purchase_order", 4)
    assert set(_status("purchase_order", tree).values()) <= {"pass", "skipped"}
    total = tree["line_items"][0]["total"]
    _bump(total, str(round(abs(total.value) / 10, 2) + 1))  # beyond the per-line rounding allowance
    st = _status("purchase_order", tree)
    assert st["line_items_sum_equals_subtotal"] == "fail"
    assert st["line_quantity_times_unit_price_equals_total"] == "fail"
    assert st["subtotal_plus_tax_equals_total"] == "pass"


def test_delivery_note_with_over_delivery_fails() -> None:
    index = next(
        i
        for i in range(20)
        if any(it["quantity_ordered"] is not None for it in generate("delivery_note", SEED, i).truth["items"])
    )
    tree = _tree("delivery_note", index)
    assert _status("delivery_note", tree)["delivered_not_more_than_ordered"] == "pass"
    item = next(it for it in tree["items"] if it["quantity_ordered"].value is not None)
    item["quantity_delivered"].value = Decimal(str(item["quantity_ordered"].value)) + 5
    assert _status("delivery_note", tree)["delivered_not_more_than_ordered"] == "fail"

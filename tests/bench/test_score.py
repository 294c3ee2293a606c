"""The scorer: perfect results score 1.0, damage lowers the score where it should."""

from __future__ import annotations

import copy
from typing import Any

from bench.score import (
    covered_fields,
    field_match,
    max_matching,
    score_document,
    summarise,
)
from bench.synth import generate

TRUTH = generate(21, 3, items=6).truth


def perfect(truth: dict[str, Any]) -> dict[str, Any]:
    content = {k: copy.deepcopy(v) for k, v in truth.items() if not k.startswith("_")}
    content.pop("document_type")
    return {"document_type": truth["document_type"], "content": content}


def test_perfect_result_scores_one() -> None:
    s = score_document(perfect(TRUTH), TRUTH)
    summary = summarise([s])
    assert set(s.fields.values()) <= {"correct", "tn"}
    assert summary.header_mean == 1.0
    assert summary.row_prf == (1.0, 1.0, 1.0)
    assert summary.false_positives[0] == 0
    assert all(h == t for h, t in summary.columns.values())


def test_damaged_result_scores_lower() -> None:
    result = perfect(TRUTH)
    c = result["content"]
    c["total"] += 1.0
    c["invoice_number"] = "X" + c["invoice_number"]
    c["line_items"][0]["total"] += 0.02
    del c["line_items"][1]
    c["line_items"][2]["description"] = "something else entirely"
    s = score_document(result, TRUTH)
    summary = summarise([s])
    assert s.fields["total"] == "wrong" and s.fields["invoice_number"] == "wrong"
    assert s.fields["subtotal"] == "correct"
    assert s.rows_matched == 3 and s.rows_truth == 6 and s.rows_predicted == 5
    assert summary.header_mean < 1.0
    assert summary.row_prf[2] < 1.0
    assert s.details["total"][0] == TRUTH["total"]


def test_missing_prediction_is_wrong_and_null_truth_counts_false_positives() -> None:
    truth = copy.deepcopy(TRUTH)
    truth["purchase_order_number"] = None
    result = perfect(truth)
    result["content"]["purchase_order_number"] = "PO-1"
    result["content"]["due_date"] = None
    s = score_document(result, truth)
    assert s.fields["purchase_order_number"] == "fp"
    if truth["due_date"]:
        assert s.fields["due_date"] == "wrong"
    summary = summarise([s])
    fp, nulls = summary.false_positives
    assert fp == 1 and nulls >= 1
    assert summary.accuracy("purchase_order_number") is None  # no non-null truth: no accuracy


def test_invoice2data_truth_covers_only_listed_fields() -> None:
    truth = {"invoice_number": "7", "total": 5.0, "vendor": {"name": "ACME"}, "currency": "EUR",
             "_fields": ["invoice_number", "total"], "line_items": []}
    assert covered_fields(truth) == ["invoice_number", "total"]
    s = score_document({"content": {"invoice_number": "7", "total": 4.0}}, truth)
    assert s.fields == {"invoice_number": "correct", "total": "wrong"}


def test_field_normalisation() -> None:
    assert field_match("bank_details.iban", "DE89 3704 0044 0532 0130 00", "de89370400440532013000")
    assert field_match("vendor.tax_id", "CHE-123.456.789", "CHE123456789")
    assert not field_match("vendor.tax_id", "CHE-123.456.789", "CHE123456788")
    assert field_match("vendor.name", "Amazon Web Services", "Amazon Web Services, Inc.")
    assert not field_match("vendor.name", "Amazon Web Services", "Amazon")
    assert field_match("total", 10.0, "10.004")
    assert not field_match("total", 10.0, 10.01)
    assert field_match("invoice_date", "2024-01-03", "2024-01-03")
    assert not field_match("invoice_date", "2024-01-03", "2024-03-01")
    assert field_match("currency", "EUR", "eur")
    assert field_match("vendor.address", "Hauptstraße 5, 10115 Berlin", "Hauptstrasse 5 10115 Berlin")
    assert not field_match("vendor.address", "Hauptstraße 5, 10115 Berlin", "10115 Berlin")


def test_rows_pair_one_to_one_optimally() -> None:
    # greedy would give left 0 the right 0 and leave left 1 without a partner
    ok = {(0, 0), (0, 1), (1, 0)}
    pairs = max_matching(2, 2, lambda i, j: (i, j) in ok)
    assert sorted(pairs) == [(0, 1), (1, 0)]


def test_duplicate_rows_are_not_double_counted() -> None:
    truth = {"line_items": [{"description": "Bolt", "quantity": 1, "unit_price": 2.0, "total": 2.0}],
             "_columns": ["description", "quantity", "unit_price", "total"]}
    row = truth["line_items"][0]
    s = score_document({"content": {"line_items": [row, row]}}, truth)
    assert (s.rows_matched, s.rows_predicted, s.rows_truth) == (1, 2, 1)


def test_wrapped_description_matches_and_unrelated_does_not() -> None:
    truth = {"line_items": [{"description": "Webhosting-Paket, Zeitraum Januar bis März", "total": 5.0}],
             "_columns": ["description", "total"]}
    first_line = {"description": "Webhosting-Paket, Zeitraum Januar", "total": 5.0}
    stub = {"description": "Web", "total": 5.0}
    assert score_document({"content": {"line_items": [first_line]}}, truth).rows_matched == 1
    assert score_document({"content": {"line_items": [stub]}}, truth).rows_matched == 0


def test_printed_sub_lines_after_the_item_name_still_match() -> None:
    truth = {"line_items": [{"description": "APPEL", "total": 5.0}], "_columns": ["description", "total"]}
    printed = {"description": "APPEL - Description\nDate fin : 31/12/2018", "total": 5.0}
    elsewhere = {"description": "Date fin : 31/12/2018 APPEL", "total": 5.0}
    assert score_document({"content": {"line_items": [printed]}}, truth).rows_matched == 1
    assert score_document({"content": {"line_items": [elsewhere]}}, truth).rows_matched == 0


def test_rows_are_not_scored_where_the_truth_covers_no_line_items() -> None:
    truth = {"line_items": [], "_columns": []}
    s = score_document({"content": {"line_items": [{"description": "Room", "total": 5.0}]}}, truth)
    assert (s.rows_matched, s.rows_predicted, s.rows_truth) == (0, 0, 0)
    covered = {"line_items": [], "_columns": ["description", "total"]}
    s = score_document({"content": {"line_items": [{"description": "Room", "total": 5.0}]}}, covered)
    assert (s.rows_predicted, s.rows_truth) == (1, 0)

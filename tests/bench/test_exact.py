"""Issue 7's exactness rule: values the truth marks as printed must come back exact.

The unit tests pin down what "exact" means (cents, ISO dates, whitespace-normalised text,
identifiers without their print grouping) so the real-document test below cannot pass by a
loose comparison; that test runs the pipeline on the real Factur-X PDFs of ../shared/data.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from bench.accuracy import invoice_contract, is_facturx, pipeline_extractor
from bench.data import SHARED_DATA, embedded_pairs
from bench.score import exact_equal, exact_mismatches

TRUTH: dict[str, Any] = {
    "document_type": "invoice",
    "invoice_number": "F2026-23",
    "invoice_date": "2026-01-31",
    "total": 104.9,
    "amount_due": 104.9,
    "vendor": {"name": "LE FOURNISSEUR", "address": "35 rue d'ici, 75018 PARIS, FR", "tax_id": None},
    "bank_details": {"iban": "FR20 1254 2547 2569 8542 5874 698"},
    "line_items": [
        {"description": "PRESTATION SUPPORT", "quantity": 1.0, "total": 60.0},
        {"description": "APPEL", "quantity": 1.0, "total": 7.0},
    ],
    "_columns": ["description", "quantity", "total"],
}


def result_of(truth: dict[str, Any]) -> dict[str, Any]:
    content = {k: copy.deepcopy(v) for k, v in truth.items() if not k.startswith("_")}
    return {"document_type": content.pop("document_type"), "content": content}


def test_exact_equal_rules() -> None:
    assert exact_equal("total", 104.9, 104.90)
    assert exact_equal("total", 104.9, "104.90")
    assert not exact_equal("total", 104.9, 104.91)
    assert not exact_equal("total", 104.9, None)
    assert exact_equal("invoice_date", "2026-01-31", "2026-01-31")
    assert not exact_equal("invoice_date", "2026-01-31", "2026-01-31T00:00:00")
    assert exact_equal("vendor.name", "LE  FOURNISSEUR ", "LE FOURNISSEUR")
    assert not exact_equal("vendor.name", "LE FOURNISSEUR", "Le Fournisseur")
    assert not exact_equal("vendor.name", "LE FOURNISSEUR", "LE FOURNISSEUR SARL")
    assert exact_equal("bank_details.iban", "FR20 1254 2547", "FR2012542547")
    assert not exact_equal("bank_details.iban", "FR20 1254 2547", "FR2012542548")


def test_perfect_result_has_no_misses_and_each_damage_is_one() -> None:
    contract = invoice_contract()
    assert exact_mismatches(result_of(TRUTH), TRUTH, contract) == []
    damaged = result_of(TRUTH)
    printed = damaged["content"]["vendor"]["address"]
    damaged["content"]["vendor"]["address"] = printed.replace(",", ";", 1)  # a printed line altered
    damaged["content"]["total"] = 104.91
    damaged["content"]["line_items"].reverse()  # order alone is no miss
    damaged["content"]["line_items"][0]["total"] = 7.5
    misses = {path for path, _, _ in exact_mismatches(damaged, TRUTH, contract)}
    assert misses == {"vendor.address", "total", "line_items[1].total"}


def test_an_unprinted_xml_address_line_is_no_miss_but_a_dropped_printed_one_is() -> None:
    contract = invoice_contract()
    result = result_of(TRUTH)
    parts = result["content"]["vendor"]["address"].split(", ")
    result["content"]["vendor"]["address"] = ", ".join([*parts[:-1], "Seller line 3", parts[-1]])
    assert exact_mismatches(result, TRUTH, contract) == []
    result["content"]["vendor"]["address"] = ", ".join(parts[1:])
    assert [p for p, _, _ in exact_mismatches(result, TRUTH, contract)] == ["vendor.address"]


def test_missing_row_and_uncontracted_keys() -> None:
    result = result_of(TRUTH)
    result["content"]["line_items"].pop()
    del result["content"]["amount_due"]
    misses = {path for path, _, _ in exact_mismatches(result, TRUTH, invoice_contract())}
    assert misses == {"line_items[1].description", "line_items[1].quantity", "line_items[1].total"}
    # Without the contract, amount_due (which the schema has no place for) would count.
    assert "amount_due" in {p for p, _, _ in exact_mismatches(result, TRUTH)}


def test_invoice2data_truth_covers_only_its_fields() -> None:
    truth = {**TRUTH, "_fields": ["total"], "_columns": ["total"]}
    result = result_of(TRUTH)
    result["content"]["invoice_number"] = "wrong"
    result["content"]["line_items"][1]["description"] = "something else"
    assert exact_mismatches(result, truth, invoice_contract()) == []
    result["content"]["total"] = 1.0
    assert [p for p, _, _ in exact_mismatches(result, truth, invoice_contract())] == ["total"]


FACTURX = [pair for pair in embedded_pairs() if is_facturx(pair[0])]


@pytest.mark.skipif(not FACTURX, reason=f"no Factur-X PDFs in {SHARED_DATA / 'facturx'}")
@pytest.mark.parametrize("original", [o for o, _ in FACTURX], ids=lambda d: d.id)
def test_facturx_exact_wherever_printed(original: Any) -> None:
    """Issue 7: on real Factur-X PDFs the result is exact wherever the value is printed."""
    result = pipeline_extractor(ocr=False)(original)
    assert (result.get("metadata") or {}).get("einvoice"), "the embedded XML was not read"
    misses = exact_mismatches(result, original.truth, invoice_contract())
    assert misses == [], "\n".join(f"{path}: truth={t!r} got={p!r}" for path, t, p in misses)

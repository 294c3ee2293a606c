"""The real Factur-X / ZUGFeRD PDFs of ../shared/data/facturx read exactly from their XML."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from pipeline import load
from pipeline.einvoice import read_embedded
from pipeline.result import values_of
from tests.pipeline.einvoice.conftest import SAMPLES, sample_path

# Not in any of the XMLs: the page's language (Factur-X has no language element) and the amount due,
# which is not a field of our schema.
NOT_IN_XML = {"language", "amount_due", "document_type"}


def _from_page(truth: dict) -> set[str]:
    """Fields the truth builder took from the page because the XML lacked them (see _warnings)."""
    return {w.split(" ", 1)[0] for w in truth.get("_warnings", []) if "taken from the page" in w}


def _same(path: str, ours, want) -> bool:
    if isinstance(want, float):
        return ours is not None and Decimal(str(ours)) == Decimal(str(want))
    if path.endswith("iban"):  # the schema stores IBANs without spaces
        return ours == want.replace(" ", "")
    if path.endswith("address"):
        # The truth drops address lines not printed on the page (LineThree): ours keeps every line,
        # in order, so the truth's parts must appear in ours in the same order.
        parts = [p.strip() for p in ours.split(",")]
        it = iter(parts)
        return all(any(p == q for q in it) for p in (x.strip() for x in want.split(",")))
    return ours == want


def _compare(path: str, ours, want, skip: set[str], errors: list[str]) -> int:
    if want is None or path.rsplit(".", 1)[-1] in skip:
        return 0
    if isinstance(want, dict):
        return sum(_compare(f"{path}.{k}", (ours or {}).get(k), v, skip, errors) for k, v in want.items())
    if isinstance(want, list):
        if len(ours or []) != len(want):
            errors.append(f"{path}: {len(ours or [])} entries, truth {len(want)}")
            return 1
        pairs = enumerate(zip(ours, want, strict=True))
        return sum(_compare(f"{path}[{i}]", o, w, skip, errors) for i, (o, w) in pairs)
    if not _same(path, ours, want):
        errors.append(f"{path}: ours {ours!r}, truth {want!r}")
    return 1


@pytest.mark.parametrize("name", SAMPLES)
def test_embedded_xml_reads_every_truth_field(name: str) -> None:
    truth = json.loads(sample_path(name, ".truth.json").read_text())
    doc = load.load(sample_path(name).read_bytes())
    invoice = read_embedded(doc)
    assert invoice is not None
    assert invoice.filename == truth["_xml"]
    assert invoice.profile.guideline_id == truth["_profile"]
    content = json.loads(json.dumps(values_of(invoice.tree), default=str))
    for key in ("subtotal", "tax_amount", "total"):
        content[key] = float(content[key]) if content[key] is not None else None
    truth_fields = {k: v for k, v in truth.items() if not k.startswith("_") and k not in NOT_IN_XML}
    errors: list[str] = []
    compared = _compare("", content, truth_fields, _from_page(truth), errors)
    assert not errors, errors
    assert compared >= 20  # every sample holds header, party, bank and line fields


@pytest.mark.parametrize("name", SAMPLES)
def test_visual_copy_has_no_embedded_invoice(name: str) -> None:
    doc = load.load(sample_path(name, ".visual.pdf").read_bytes())
    assert read_embedded(doc) is None


@pytest.mark.parametrize("name", SAMPLES)
def test_embedded_values_are_exact_and_pageless(name: str) -> None:
    invoice = read_embedded(load.load(sample_path(name).read_bytes()))
    assert invoice is not None
    total = invoice.tree["total"]
    assert total.confidence == 1.0 and total.page is None and total.bbox is None
    assert isinstance(total.value, Decimal)
    assert invoice.metadata()["source"] == "embedded_xml"
    assert invoice.profile.level in {"en16931", "extended"}

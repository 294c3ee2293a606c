"""The synthetic generator: deterministic, varied, and its PDFs say what the truth says."""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pymupdf
import pytest
import schwifty
from stdnum import iban as std_iban
from stdnum.ch import uid as ch_uid
from stdnum.eu import vat as eu_vat
from stdnum.gb import vat as gb_vat
from stdnum.in_ import gstin
from stdnum.us import ein

from bench.synth import generate
from bench.synth.__main__ import main as synth_main
from bench.synth.locales import format_number
from bench.synth.style import LAYOUTS

SEED = 11
DOCS = [generate(SEED, i) for i in range(30)]


def _text(pdf: bytes) -> str:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        text = "\n".join(page.get_text() for page in doc)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def test_same_seed_same_bytes_and_truth() -> None:
    again = generate(SEED, 4)
    assert again.pdf == DOCS[4].pdf
    assert again.truth == DOCS[4].truth
    assert generate(SEED + 1, 4).truth != DOCS[4].truth


def test_thirty_documents_cover_every_layout_and_language() -> None:
    combos = {(d.truth["_layout"], d.truth["language"]) for d in DOCS}
    assert {layout for layout, _ in combos} == set(LAYOUTS)
    assert {lang for _, lang in combos} == {"en", "de", "fr", "es", "nl"}
    assert len(combos) == 30
    styles = {d.truth["_style"]["numbers"] for d in DOCS}
    assert len(styles) >= 3
    assert len({d.truth["_style"]["dates"] for d in DOCS}) >= 4
    assert len({d.truth["currency"] for d in DOCS}) >= 3


@pytest.mark.parametrize("index", range(30))
def test_pdf_prints_what_the_truth_says(index: int) -> None:
    doc = DOCS[index]
    t = doc.truth
    text = _text(doc.pdf)
    compact = text.replace(" ", "")
    assert t["invoice_number"] in text
    assert t["vendor"]["name"] in text
    assert t["customer"]["name"] in text
    if t["bank_details"]["iban"]:
        assert t["bank_details"]["iban"] in compact
    style = t["_style"]["numbers"]
    for key in ("total", "subtotal"):
        printed = format_number(Decimal(str(t[key])), style).replace("\u00a0", " ")
        assert printed in text, (key, printed)
    for item in t["line_items"]:
        for word in item["description"].split():
            assert word in text
    with pymupdf.open(stream=doc.pdf, filetype="pdf") as pdf:
        assert pdf.page_count == t["_pages"]


@pytest.mark.parametrize("index", range(30))
def test_amounts_add_up(index: int) -> None:
    t = DOCS[index].truth
    cents = Decimal("0.01")
    lines = Decimal(0)
    for item in t["line_items"]:
        qty, price = Decimal(str(item["quantity"])), Decimal(str(item["unit_price"]))
        disc = Decimal(str(item["discount_rate"] or 0))
        expected = (qty * price * (1 - disc / 100)).quantize(cents, rounding=ROUND_HALF_UP)
        assert Decimal(str(item["total"])) == expected
        lines += expected
    assert Decimal(str(t["subtotal"])) == lines
    tax = sum((Decimal(str(b["tax_amount"])) for b in t["tax_breakdown"]), Decimal(0))
    net = sum((Decimal(str(b["net_amount"])) for b in t["tax_breakdown"]), Decimal(0))
    assert net == lines
    assert Decimal(str(t["tax_amount"])) == tax
    assert Decimal(str(t["total"])) == lines + tax


def test_identifiers_have_valid_check_digits() -> None:
    seen = 0
    for i in range(60):
        t = generate(SEED, i).truth
        iban = t["bank_details"]["iban"]
        if iban:
            std_iban.validate(iban)
            schwifty.IBAN(iban)
            seen += 1
        vat = t["vendor"]["tax_id"]
        if vat.startswith("GB"):
            gb_vat.validate(vat)
        elif vat.startswith("CHE"):
            ch_uid.validate(vat)
        elif re.fullmatch(r"\d{2}-\d{7}", vat):
            ein.validate(vat)
        elif re.fullmatch(r"\d{2}[A-Z]{5}\d{4}[A-Z]\dZ[0-9A-Z]", vat):
            gstin.validate(vat)
        else:
            eu_vat.validate(vat)
    assert seen > 40


def test_broken_iban_is_rejected_by_the_same_validators() -> None:
    """Guard against a validator that accepts anything: one changed digit must fail."""
    iban = next(d.truth["bank_details"]["iban"] for d in DOCS if d.truth["bank_details"]["iban"])
    broken = iban[:-1] + str((int(iban[-1]) + 1) % 10)
    assert not std_iban.is_valid(broken)


def test_euro_sign_renders_and_extracts() -> None:
    for i in range(200):
        doc = generate(SEED, i, items=2)
        if doc.truth["currency"] == "EUR" and doc.truth["_style"]["money"] in ("sym_before", "sym_after"):
            assert "€" in _text(doc.pdf)
            return
    pytest.fail("no EUR document with a printed symbol in 200 draws")


def test_long_tables_run_over_pages_with_carried_forward_lines() -> None:
    doc = generate(SEED, 5, layout="erp", language="de", items=60)
    t = doc.truth
    assert t["_pages"] >= 2 and len(t["line_items"]) == 60
    with pymupdf.open(stream=doc.pdf, filetype="pdf") as pdf:
        page2 = pdf[1].get_text()
    assert "Übertrag" in page2
    assert any(label in page2 for label in ("Beschreibung", "Bezeichnung", "Leistung"))  # repeated header


def test_cli_writes_pdf_and_truth(tmp_path) -> None:
    assert synth_main(["--out", str(tmp_path), "--count", "2", "--seed", "5"]) == 0
    pdfs = sorted(tmp_path.glob("*.pdf"))
    assert len(pdfs) == 2
    truth = json.loads(pdfs[0].with_name(pdfs[0].stem + ".truth.json").read_text())
    assert truth["document_type"] == "invoice" and truth["_source"] == "synthetic"
    assert pdfs[0].read_bytes() == generate(5, 0).pdf


def test_cli_overrides_make_the_committed_example(tmp_path) -> None:
    args = ["--out", str(tmp_path), "--count", "1", "--seed", "1", "--layout", "classic", "--language", "en",
            "--items", "4", "--name", "sample-invoice"]
    assert synth_main(args) == 0
    truth = json.loads((tmp_path / "sample-invoice.truth.json").read_text())
    assert truth["_layout"] == "classic" and truth["language"] == "en" and len(truth["line_items"]) == 4
    committed = Path(__file__).resolve().parents[2] / "examples" / "sample-invoice.pdf"
    assert (tmp_path / "sample-invoice.pdf").read_bytes() == committed.read_bytes()

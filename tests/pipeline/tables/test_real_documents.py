"""Line items on real third-party invoices from ../shared/data (skipped when that folder is absent).

A row counts when the truth's scored columns (`_columns`, among description, quantity, unit price
and total) all match: numbers to the cent, the description when one text contains the other after
normalising case, accents and punctuation (truth descriptions are sometimes only the first line).
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from pipeline.load import load
from pipeline.tables import find_line_items

_ROW_KEYS = ("description", "quantity", "unit_price", "total")

# document -> rows we must get right (the others are out of reach: "FL-Rate" is not printed on the
# ZUGFeRD page, the akretion unit price 10,00 is not printed either; Sammy's truth holds sub-lines).
EXPECTED = {
    "facturx/fx_akretion_invoice_EN16931": 2,
    "facturx/fx_horstoeko_pdf_fx_extended_1": 3,
    "facturx/fx_mustang_103767_Invoice_2026_03_24_1": 1,
    "facturx/fx_mustang_Facture_F20180027": 3,
    "invoice2data/i2d_AmazonWebServices": 4,
    "invoice2data/i2d_AzureInterior": 4,
    "invoice2data/i2d_QualityHosting": 7,
    "invoice2data/i2d_SammyMaystoneLinesTest": 2,
    "invoice2data/i2d_coolblue1": 6,
    "invoice2data/i2d_coolblue2": 8,
    "invoice2data/i2d_saeco": 2,
}


def _norm(text: Any) -> str:
    s = unicodedata.normalize("NFKD", str(text or "").lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", s).strip()


def _matches(truth: dict[str, Any], row: dict[str, Any], columns: list[str]) -> bool:
    for key in _ROW_KEYS:
        if key not in columns or truth.get(key) is None:
            continue
        got = row.get(key)
        if key == "description":
            t, p = _norm(truth[key]), _norm(got)
            if not (t and p and (t in p or p in t)):
                return False
        elif got is None or abs(float(got) - float(truth[key])) > 0.011:
            return False
    return True


def _score(base: Path) -> tuple[int, int, int]:
    visual = base.with_name(base.name + ".visual.pdf")
    pdf = visual if visual.exists() else base.with_name(base.name + ".pdf")
    truth = json.loads(base.with_name(base.name + ".truth.json").read_text())
    columns = truth.get("_columns") or []
    rows = [{k: ev.value for k, ev in r.items()} for r in find_line_items(load(pdf.read_bytes())).rows]
    used: set[int] = set()
    tp = 0
    for t in truth.get("line_items") or []:
        for j, r in enumerate(rows):
            if j not in used and _matches(t, r, columns):
                used.add(j)
                tp += 1
                break
    return tp, len(rows) - tp, len(truth.get("line_items") or []) - tp


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_rows_right_on_real_invoice(shared_data: Path, name: str) -> None:
    base = shared_data / name
    if not base.with_name(base.name + ".truth.json").exists():
        pytest.skip(f"{name} is not in ../shared/data")
    tp, fp, _ = _score(base)
    assert tp >= EXPECTED[name]
    assert fp <= 1


def test_row_f1_on_all_real_invoices(shared_data: Path) -> None:
    tp = fp = fn = 0
    for truth in sorted(shared_data.glob("*/*.truth.json")):
        base = truth.with_name(truth.name[: -len(".truth.json")])
        data = json.loads(truth.read_text())
        if base.name.endswith("_png") or not data.get("_columns"):
            continue  # image copies are the OCR stage's; documents without scored columns say nothing
        a, b, c = _score(base)
        tp, fp, fn = tp + a, fp + b, fn + c
    if tp + fn == 0:
        pytest.skip("no scored line items in ../shared/data")
    precision, recall = tp / max(tp + fp, 1), tp / (tp + fn)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    assert f1 >= 0.94, (tp, fp, fn)
    assert precision >= 0.95


def test_documents_without_line_items_stay_quiet(shared_data: Path) -> None:
    """Free's telecom bill has no item table in the truth; nothing item-like may come out of it."""
    pdf = shared_data / "invoice2data" / "i2d_free_fiber.pdf"
    if not pdf.exists():
        pytest.skip("i2d_free_fiber.pdf is not in ../shared/data")
    assert find_line_items(load(pdf.read_bytes())).rows == []

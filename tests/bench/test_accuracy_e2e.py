"""End to end: the whole pipeline on generated and real invoices must keep its accuracy.

Thresholds are what the pipeline achieved when this test was written, minus a small margin, so a
regression in extraction, tables or normalisation fails here. Figures at the time (seed 101, the
first 12 documents, two of each layout family): header mean 0.765, row F1 0.872; real PDFs in
../shared/data: header mean 0.757, row F1 0.588.
"""

from __future__ import annotations

import json

import pytest

from bench.accuracy import baseline_extractor, evaluate, pipeline_extractor
from bench.data import SHARED_DATA, BenchDoc, real_documents
from bench.score import summarise
from bench.synth import generate

SYNTH_HEADER_MIN = 0.70
SYNTH_ROW_F1_MIN = 0.80
REAL_HEADER_MIN = 0.65
REAL_ROW_F1_MIN = 0.45


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> list[BenchDoc]:
    folder = tmp_path_factory.mktemp("synth")
    docs = []
    for i in range(12):
        doc = generate(101, i)
        pdf = folder / f"{doc.id}.pdf"
        pdf.write_bytes(doc.pdf)
        truth = folder / f"{doc.id}.truth.json"
        truth.write_text(json.dumps(doc.truth))
        docs.append(BenchDoc(doc.id, pdf, truth))
    return docs


def test_pipeline_accuracy_on_generated_invoices(synthetic: list[BenchDoc]) -> None:
    scores, failures = evaluate(synthetic, pipeline_extractor(ocr=False))
    assert failures == []
    summary = summarise(scores)
    assert summary.header_mean is not None and summary.header_mean >= SYNTH_HEADER_MIN
    assert summary.row_prf[2] >= SYNTH_ROW_F1_MIN
    for name in ("invoice_number", "invoice_date", "total", "currency"):
        assert summary.accuracy(name) >= 0.75, name


def test_pipeline_beats_the_naive_baseline(synthetic: list[BenchDoc]) -> None:
    ours = summarise(evaluate(synthetic, pipeline_extractor(ocr=False))[0])
    base = summarise(evaluate(synthetic, baseline_extractor)[0])
    assert ours.header_mean > 1.5 * base.header_mean
    assert ours.row_prf[2] > base.row_prf[2]


@pytest.mark.skipif(not real_documents(), reason=f"no real documents in {SHARED_DATA}")
def test_pipeline_accuracy_on_real_invoices() -> None:
    docs = [d for d in real_documents() if not d.is_image]
    scores, failures = evaluate(docs, pipeline_extractor(ocr=False))
    assert failures == []
    summary = summarise(scores)
    assert summary.header_mean >= REAL_HEADER_MIN
    assert summary.row_prf[2] >= REAL_ROW_F1_MIN

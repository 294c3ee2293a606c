"""The `invoice-ocr` command as a user runs it: a real process, JSON on stdout, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest

from pipeline.schemas.contract import Result
from pipeline.schemas.invoice import InvoiceContent

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample-invoice.pdf"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


@pytest.fixture()
def invoice_pdf(tmp_path: Path) -> Path:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    lines = [
        (72, 60, "ACME Tools GmbH, Hauptstraße 5, 10115 Berlin", 9),
        (72, 90, "RECHNUNG", 20),
        (72, 130, "Rechnungsnummer: RE-2024-0815", 10),
        (72, 146, "Rechnungsdatum: 15.03.2024", 10),
        (350, 700, "Gesamtbetrag: 119,00 EUR", 10),
    ]
    for x, y, text, size in lines:
        page.insert_text((x, y), text, fontsize=size)
    path = tmp_path / "rechnung.pdf"
    doc.save(path)
    return path


def test_extract_prints_the_output_contract(invoice_pdf: Path) -> None:
    proc = _cli("extract", str(invoice_pdf), "--pretty")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    Result.model_validate(result)
    InvoiceContent.model_validate(result["content"])
    assert result["filename"] == "rechnung.pdf"
    assert result["document_type"] == "invoice"
    assert result["content"]["invoice_number"] == "RE-2024-0815"
    assert result["fields"]["invoice_number"]["page"] == 0
    assert result["pages"][0]["text_source"] == "pdf_text"


def test_several_files_give_json_lines_and_errors_give_one_line_each(
    invoice_pdf: Path, tmp_path: Path
) -> None:
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"PK\x03\x04 a zip file wearing a pdf name")
    proc = _cli("extract", str(invoice_pdf), str(fake), str(tmp_path / "missing.pdf"), str(invoice_pdf))
    assert proc.returncode == 1
    out_lines = proc.stdout.strip().splitlines()
    assert len(out_lines) == 2 and all(json.loads(line)["status"] == "succeeded" for line in out_lines)
    err_lines = proc.stderr.strip().splitlines()
    assert len(err_lines) == 2
    assert "fake.pdf: unsupported file type" in err_lines[0]
    assert "missing.pdf: cannot read the file" in err_lines[1]
    assert "Traceback" not in proc.stderr


def test_forced_type_and_bad_type(invoice_pdf: Path) -> None:
    proc = _cli("extract", str(invoice_pdf), "--type", "credit_note")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["document_type"] == "credit_note"
    bad = _cli("extract", str(invoice_pdf), "--type", "banana")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr


def test_help_lists_commands() -> None:
    proc = _cli("--help")
    assert proc.returncode == 0
    assert "extract" in proc.stdout


@pytest.mark.skipif(not SAMPLE.exists(), reason="examples/sample-invoice.pdf not generated yet")
def test_readme_sample_extracts() -> None:
    proc = _cli("extract", str(SAMPLE))
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["content"]["total"] is not None
    assert result["content"]["line_items"]

"""bench.accuracy's document-type and summary sections: issue 6's targets on a small fresh set,
and the printed summary built from the same figures `--json` writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.accuracy import DOCTYPE_TARGETS, main, run_doctypes, summary_rows
from bench.doctypes import DOC_TYPES


def test_doctypes_meet_issue_6_targets(capsys: pytest.CaptureFixture[str]) -> None:
    figures = run_doctypes(count=3, seed=23, errors=0)
    assert figures["failures"] == []
    assert set(figures["auto"]) == set(DOC_TYPES)
    assert figures["classification"] >= DOCTYPE_TARGETS["classification"]
    for doc_type, s in figures["auto"].items():
        assert s["header_mean"] >= DOCTYPE_TARGETS["header"], doc_type
        assert s["row_f1"] is None or s["row_f1"] >= DOCTYPE_TARGETS["row_f1"], doc_type
    # The mixed set holds the invoices too, and every document is counted once.
    assert sum(sum(c.values()) for c in figures["confusion"].values()) == 3 * (len(DOC_TYPES) + 1)
    assert "classification on the mixed set" in capsys.readouterr().out


def test_summary_printed_equals_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "figures.json"
    assert main(["--count", "2", "--no-real", "--doctypes", "1", "--json", str(out)]) == 0
    figures = json.loads(out.read_text())
    assert figures["summary"] == summary_rows(figures)
    sets = [r["set"] for r in figures["summary"]]
    assert sets[0] == "synthetic" and sets[-1] == "doctypes mixed (+ invoices)"
    assert [f"doctypes {t}" for t in DOC_TYPES] == sets[1:-1]
    printed = capsys.readouterr().out.split("== summary ==")[1].strip().splitlines()[1:]
    assert [line.split()[0] for line in printed] == [s.split()[0] for s in sets]


def test_sections_skip_without_shared_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--count", "0", "--doctypes", "0", "--data", str(tmp_path / "absent")]) == 0
    printed = capsys.readouterr().out
    assert "real: no documents" in printed and "embedded XML: no original" in printed


@pytest.mark.parametrize(("shadows", "light_desks", "cropped"),
                         [(False, False, False), (True, False, False), (False, True, False),
                          (False, False, True)])
def test_photos_mode_pairs_each_pdf_with_its_photograph(tmp_path: Path, shadows: bool, light_desks: bool,
                                                        cropped: bool) -> None:
    """`--scans N --photos [--shadows] [--light-desks] [--cropped]`: the copies are phone photos (a
    sheet on a desk the pipeline finds, through a shadow, on a light desk, running out of the photo
    too), image-only, paired with the born-digital PDF and its truth."""
    import numpy as np
    from PIL import Image

    from bench.accuracy import scan_pairs
    from pipeline.load import load
    from pipeline.photo import page_corners

    sets = scan_pairs(tmp_path, 1, 5, tmp_path / "no-real-data", photos=True, shadows=shadows,
                      light_desks=light_desks, cropped=cropped)
    ((digital, photo),) = sets["synthetic"]
    assert photo.truth_path == digital.truth_path and not sets["real_pdfs"]
    loaded = load(photo.path.read_bytes())
    assert all(p.needs_ocr and not p.words for p in loaded.pages)
    assert all(p.focal for p in loaded.pages)  # each photo's camera, from its EXIF as a phone writes it
    frame = np.asarray(Image.open(photo.path).convert("RGB"))
    assert page_corners(frame) is not None

"""The recogniser through ONNX Runtime against EasyOCR's torch module (marked `ocr`: loads models).

The export is written once into the default cache folder, like the detector's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pipeline.ocr import engine, recognisers
from tests.pipeline.ocr.helpers import grey, text_image

pytestmark = pytest.mark.ocr


def test_onnx_recogniser_reads_the_same_text_as_torch() -> None:
    """Same boxes, same EasyOCR cropping and decoding: only the network runtime differs."""
    img = text_image(["Invoice Number INV-4711", "Total Amount 1,234.56 EUR", "Due Date 2024-03-15"])
    boxes = engine.detect("cpu", [np.asarray(img)], backend="onnx")[0]
    g = grey(img)
    onnx = engine.recognize("cpu", g, boxes, backend="onnx")
    torch = engine.recognize("cpu", g, boxes, backend="torch")
    assert engine.onnx_reader(str(engine.default_cache_dir()), engine.cpu_count()) is not None
    assert len(boxes) >= 3 and [t.text for t in onnx] == [t.text for t in torch]
    assert "INV-4711" in " ".join(t.text for t in onnx)
    assert all(abs(a.confidence - b.confidence) <= 0.25 for a, b in zip(onnx, torch, strict=True))


def test_failed_export_warns_once_uses_torch(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A cache folder that cannot be created (a file stands in its way): torch reads, one warning."""
    img = text_image(["Total Amount 1,234.56 EUR"])
    g = grey(img)
    boxes = engine.detect("cpu", [np.asarray(img)], backend="onnx")[0]
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    with caplog.at_level("WARNING", logger=engine.__name__):
        first = engine.recognize("cpu", g, boxes, cache_dir=blocked / "models")
        second = engine.recognize("cpu", g, boxes, cache_dir=blocked / "models")
    warnings = [r for r in caplog.records if "ONNX recogniser unavailable" in r.getMessage()]
    assert len(warnings) == 1
    assert [t.text for t in first] == [t.text for t in second] == [
        t.text for t in engine.recognize("cpu", g, boxes, backend="torch")]
    with pytest.raises(RuntimeError):
        engine.recognize("cpu", g, boxes, backend="onnx", cache_dir=blocked / "models")


@pytest.mark.parametrize("backend", ["onnx", "torch"])
def test_pages_read_together_as_easyocr_reads_each_box(backend: str) -> None:
    """Crops of one width are batched across pages, yet every box reads exactly as EasyOCR's own
    one-crop-at-a-time `Reader.recognize` reads it: same text, same confidence, same order."""
    first = text_image(["Invoice Number INV-4711", "Total Amount 1,234.56 EUR", "Qty 2"])
    second = text_image(["Due Date 2024-03-15", "VAT 19% 234.56", "Page 1 of 2"], fontsize=18)
    pages = [(grey(img), engine.detect("cpu", [np.asarray(img)], backend="onnx")[0])
             for img in (first, second)]
    together = engine.recognize_pages("cpu", pages, backend=backend)
    reader = (engine.onnx_reader(str(engine.default_cache_dir()), engine.cpu_count()) if backend == "onnx"
              else recognisers.reader("cpu"))
    for (g, boxes), ours in zip(pages, together, strict=True):
        theirs = reader.recognize(g, horizontal_list=boxes, free_list=[], batch_size=1)
        assert len(boxes) >= 3 and len(ours) == len(theirs) == len(boxes)
        for mine, (quad, text, conf) in zip(ours, theirs, strict=True):
            assert mine.text == engine.full_stops(text)
            assert mine.confidence == pytest.approx(min(1.0, float(conf)), abs=1e-6)
            assert (mine.x0, mine.y0, mine.x1, mine.y1) == (quad[0][0], quad[0][1], quad[2][0], quad[2][1])
        assert [t.text for t in ours] == [t.text for t in engine.recognize("cpu", g, boxes, backend=backend)]

"""The recogniser through ONNX Runtime against EasyOCR's torch module (marked `ocr`: loads models).

The export is written once into the default cache folder, like the detector's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pipeline.ocr import engine
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

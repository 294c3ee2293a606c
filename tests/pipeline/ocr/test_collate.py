"""The recogniser's input batch built in one array is EasyOCR's `AlignCollate` batch, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from easyocr.recognition import AlignCollate
from PIL import Image

from pipeline.ocr import engine


def _crops(seed: int) -> list[np.ndarray]:
    """Grey crops of the shapes a page gives: short, long (wider than the batch), faint."""
    rng = np.random.default_rng(seed)
    shapes = [(64, 40), (64, 250), (31, 90), (64, 700), (17, 5), (80, 256)]
    crops = [rng.integers(0, 256, size=s, dtype=np.uint8) for s in shapes]
    crops.append(rng.integers(120, 140, size=(40, 160), dtype=np.uint8))  # low contrast: retried
    return crops


@pytest.mark.parametrize("adjust_contrast", [0.0, 0.5])
@pytest.mark.parametrize("width", [64, 256, 512])
def test_collate_is_easyocrs_batch(width: int, adjust_contrast: float) -> None:
    crops = _crops(width)
    theirs = AlignCollate(imgH=64, imgW=width, keep_ratio_with_pad=True, adjust_contrast=adjust_contrast)(
        [Image.fromarray(c, "L") for c in crops])
    ours = engine.collate(crops, width, adjust_contrast)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape == (len(crops), 1, 64, width)
    assert torch.equal(ours, theirs)

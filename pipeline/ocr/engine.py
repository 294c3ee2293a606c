"""The EasyOCR reader, created once per process and device, and the two calls we make on it.

Why detection and recognition are separate calls: the CRAFT detector is ~95% of the CPU time and
its cost grows with the pixels it sees, while the recogniser works on crops resized to 64 px high
anyway. So the detector looks at a page capped at `DETECT_SIDE` pixels on its longest side (text
at 200 dpi is still 12+ px high there), and the boxes it returns, mapped back to full resolution
by EasyOCR, are read from the full-resolution image.
"""

from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass

import numpy as np

log = logging.getLogger(__name__)

DETECT_SIDE = 1280  # longest side the detector sees; see docs/ocr.md for the speed/accuracy table
GPU_REC_BATCH = 64
# EasyOCR drops boxes whose longest side is under 20 px, about a lone digit at 200 dpi; the floor is
# lower. (Lone digits are still often lost: CRAFT's own component filter drops them at 1280 px.)
MIN_BOX_SIDE = 8


@dataclass(frozen=True, slots=True)
class TextBox:
    """One EasyOCR result: usually a phrase (several words) on one line, in image pixels."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    confidence: float


def pick_device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def cpu_count() -> int:
    """Cores this process may use (affinity, cgroups pinning) rather than cores in the machine."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@functools.lru_cache(maxsize=2)
def get_reader(device: str):  # -> easyocr.Reader
    """The English EasyOCR reader with the weights of the offline package; never downloads."""
    import easyocr
    import easyocr_en_models
    import torch

    if device == "cpu":
        torch.set_num_threads(cpu_count())
    log.info("loading EasyOCR on %s (%d threads)", device, torch.get_num_threads())
    return easyocr.Reader(
        ["en"],
        gpu=device == "cuda",
        model_storage_directory=easyocr_en_models.model_dir(),
        download_enabled=False,
        verbose=False,
    )


def detect(device: str, images: list[np.ndarray], side: int = DETECT_SIDE) -> list[list[list[int]]]:
    """Text boxes `[x_min, x_max, y_min, y_max]` for each RGB image, in its full-resolution pixels.

    On a GPU, images of the same shape go through the detector as one batch.
    """
    import torch

    reader = get_reader(device)
    out: list[list[list[int]]] = [[] for _ in images]
    groups: dict[tuple[int, ...], list[int]] = {}
    for i, img in enumerate(images):
        groups.setdefault(img.shape if device == "cuda" else (i,), []).append(i)
    with torch.inference_mode():
        for members in groups.values():
            for start in range(0, len(members), 4):
                chunk = members[start : start + 4]
                batch = np.stack([images[i] for i in chunk]) if len(chunk) > 1 else images[chunk[0]]
                horizontal, free = reader.detect(
                    batch, canvas_size=side, reformat=len(chunk) == 1, add_margin=0.08,
                    min_size=MIN_BOX_SIDE,
                )
                for i, h_list, f_list in zip(chunk, horizontal, free, strict=True):
                    out[i] = [list(map(int, b)) for b in h_list] + [_free_to_horizontal(f) for f in f_list]
    return out


def _free_to_horizontal(quad: list) -> list[int]:
    """A slanted (free) box as its axis-aligned hull; pages are deskewed so these are rare."""
    xs = [p[0] for p in quad]
    ys = [p[1] for p in quad]
    return [int(min(xs)), int(max(xs)), int(min(ys)), int(max(ys))]


def recognize(device: str, grey: np.ndarray, boxes: list[list[int]]) -> list[TextBox]:
    """Read each box of the greyscale image; confidences are clamped to [0, 1]."""
    import torch

    if not boxes:
        return []
    reader = get_reader(device)
    with torch.inference_mode():
        results = reader.recognize(
            grey, horizontal_list=boxes, free_list=[], batch_size=GPU_REC_BATCH if device == "cuda" else 1
        )
    found = []
    for quad, text, conf in results:
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        found.append(
            TextBox(
                text=str(text),
                x0=float(min(xs)),
                y0=float(min(ys)),
                x1=float(max(xs)),
                y1=float(max(ys)),
                confidence=min(1.0, max(0.0, float(conf))),
            )
        )
    return found

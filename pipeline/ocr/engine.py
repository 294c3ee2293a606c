"""The EasyOCR reader, created once per process and device, and the two calls we make on it.

Why detection and recognition are separate calls: the CRAFT detector's cost grows with the pixels
it sees, while the recogniser works on crops resized to 64 px high anyway. So the detector looks at
a page capped at `DETECT_SIDE` pixels on its longest side (text at 200 dpi is still 12+ px high
there), and the boxes it returns, mapped back to full resolution by EasyOCR, are read from the
full-resolution image. On CPU both networks run in ONNX Runtime; docs/ocr.md has the profile.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import cv2
import numpy as np

from pipeline.ocr import recognisers

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")

DETECT_SIDE = 1280  # longest side the detector sees; see docs/ocr.md for the speed/accuracy table
# EasyOCR drops boxes whose longest side is under 20 px, about a lone digit at 200 dpi; the floor is
# lower.
MIN_BOX_SIDE = 8
# CRAFT score-map components (map pixels, half the detector input) smaller than this are noise.
# EasyOCR uses 10, which drops a lone "1" at 1280 px; see `text_regions`.
MIN_COMPONENT_AREA = 4
# A component is text when its peak score reaches TEXT_THRESHOLD (EasyOCR: 0.7) and its pixels are
# those above LOW_TEXT (EasyOCR: 0.4). A lone "1" at 1280 px peaks at 0.43-0.5 with 2-4 pixels
# above 0.4 (measured on rendered tables), so both were lowered; see docs/ocr.md for the effect.
TEXT_THRESHOLD = 0.4
LOW_TEXT = 0.3


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


def side_by_side(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`fn` of each item, in order, computed in threads, one per core.

    Why threads: the per-page work around the networks (decoding, turning, resizing, score-map
    post-processing, PNG encoding) is OpenCV and NumPy, which release the GIL; once the networks
    run on a GPU it is what a page waits for, and the pages of a run do not depend on each other.
    """
    if len(items) < 2:
        return [fn(item) for item in items]
    with ThreadPoolExecutor(min(cpu_count(), len(items))) as pool:
        return list(pool.map(fn, items))


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


def detect(
    device: str,
    images: list[np.ndarray],
    side: int = DETECT_SIDE,
    *,
    backend: str = "auto",
    cache_dir: Path | None = None,
    min_component_area: int = MIN_COMPONENT_AREA,
    text_threshold: float = TEXT_THRESHOLD,
    low_text: float = LOW_TEXT,
    whole_pages: bool | None = None,
    int8: bool = True,
) -> list[list[list[int]]]:
    """Text boxes `[x_min, x_max, y_min, y_max]` for each RGB image, in its full-resolution pixels.

    `backend` "onnx" runs CRAFT with ONNX Runtime (about twice as fast as torch on CPU), "torch"
    with EasyOCR's module; "auto" picks ONNX on CPU when the export works and torch otherwise.
    The post-processing (`text_regions`, then EasyOCR's grouping into phrases) is ours on both
    paths, so both give the same boxes. In ONNX Runtime the detector runs quantised to int8
    (`int8`; calibrated once per machine, `craft_session`): 3.4x faster than the float export on
    these cores, with the same character error rate (docs/ocr.md, session 6).

    How pages go through the network: on CPU one at a time, only the inked part of each
    (`_craft_inked`); with `whole_pages` (default: on CUDA with torch) the whole resized pages,
    those of the same resized shape `DETECT_BATCH` at a time. A page is resized and padded the
    same way in both, so its boxes do not depend on the pages batched with it.
    """
    from easyocr.imgproc import resize_aspect_ratio

    session = None
    if backend == "onnx" or (backend == "auto" and device == "cpu"):
        session = craft_session(str(cache_dir or default_cache_dir()), cpu_count(), int8)
        if session is None and backend == "onnx":
            raise RuntimeError("the ONNX detector is not available (see the log)")
    if whole_pages is None:
        whole_pages = device == "cuda" and session is None

    def boxes(score: np.ndarray, ratio: float) -> list[list[int]]:
        regions = text_regions(score[:, :, 0], score[:, :, 1], min_area=min_component_area,
                               text_threshold=text_threshold, low_text=low_text)
        return _group(regions, 2 / ratio)

    def resize(img: np.ndarray) -> tuple[np.ndarray, float]:
        resized, ratio = resize_aspect_ratio(img, side, interpolation=cv2.INTER_LINEAR)[:2]
        h, w = img.shape[:2]
        return stretch_levels(resized, (int(h * ratio), int(w * ratio))), ratio

    out: list[list[list[int]]] = [[] for _ in images]
    if not whole_pages:
        for i, img in enumerate(images):
            resized, ratio = resize(img)
            h, w = img.shape[:2]
            out[i] = boxes(_craft_inked(device, session, resized, (int(h * ratio), int(w * ratio))), ratio)
        return out
    pages = side_by_side(resize, images)
    same_shape: dict[tuple[int, ...], list[int]] = {}
    for i, (resized, _) in enumerate(pages):
        same_shape.setdefault(resized.shape, []).append(i)
    for members in same_shape.values():
        for start in range(0, len(members), DETECT_BATCH):
            chunk = members[start : start + DETECT_BATCH]
            maps = _craft_maps(device, session, np.stack(side_by_side(_chw, [pages[i][0] for i in chunk])))
            scored = list(zip(maps, [pages[i][1] for i in chunk], strict=True))
            found = side_by_side(lambda pair: boxes(*pair), scored)
            for i, page_boxes in zip(chunk, found, strict=True):
                out[i] = page_boxes
    return out


def stretch_levels(resized: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """The resized page with its ink at black and its paper at white: the 0.5th percentile of the
    page's grey levels (its top-left `size`; the rest is padding) goes to 0, the median (paper) to
    255, linearly between, as the detector alone sees the page.

    Why: a faint scan (thin strokes at 150 dpi, blurred to grey 160 on white) is a page whose
    activations sit at the bottom of the ranges the int8 detector was calibrated for, and it found
    36 of 66 boxes on such a page; with the levels stretched, 73. A page that is mostly one grey
    is left as it is. The greys between are not darkened further: a gamma of 2 there (session 7,
    for an AWS bill's light grey item names) turned a noisy scan's paper and a table's grey shading
    into dark grain the detector lost whole table rows in (docs/ocr.md, session 19).
    """
    levels = np.clip(resized, 0, 255).astype(np.uint8)
    lo, hi = grey_percentiles(cv2.cvtColor(levels[: size[0], : size[1]], cv2.COLOR_RGB2GRAY), (0.5, 50))
    if hi - lo < _FLAT_PAGE:
        return resized
    lut = (255.0 * np.clip((np.arange(256) - lo) / (hi - lo), 0.0, 1.0)).astype(np.uint8)
    return cv2.LUT(levels, lut).astype(np.float32)


def grey_percentiles(grey: np.ndarray, percents: tuple[float, ...]) -> list[float]:
    """`np.percentile(grey, percents)` of an 8-bit image (its linear interpolation, bit for bit),
    read off the image's histogram. Why: numpy partitions the million pixels of a page for each
    call (38 ms a page on this host's CPU, which a GPU host spends per page too); the histogram
    takes 4 ms (docs/ocr.md, session 27)."""
    ranks = np.cumsum(np.bincount(grey.ravel(), minlength=256))
    n = int(ranks[-1])
    out = []
    for q in percents:
        at = (n - 1) * (q / 100)
        below = int(np.floor(at))
        gamma = at - below
        a, b = (float(np.searchsorted(ranks, k, side="right")) for k in (below, min(below + 1, n - 1)))
        out.append(b - (b - a) * (1 - gamma) if gamma >= 0.5 else a + (b - a) * gamma)
    return out


_FLAT_PAGE = 32  # grey levels between ink and paper below which a page is not stretched


DETECT_BATCH = 4  # whole pages a detector batch: a page at 1280 px takes about 0.3 GB in the first layers


def _chw(resized: np.ndarray) -> np.ndarray:
    """A page resized for CRAFT as the network's normalised channels-first float input."""
    from easyocr.imgproc import normalizeMeanVariance

    return np.ascontiguousarray(np.transpose(normalizeMeanVariance(resized), (2, 0, 1)), dtype=np.float32)


_CONTENT_MARGIN = 192  # detector pixels of blank paper kept around the ink (CRAFT's stride is 32)


def _craft_inked(device: str, session: object | None, resized: np.ndarray, size: tuple[int, int]
                 ) -> np.ndarray:
    """CRAFT's score maps of one page resized for the detector (`resized`, padded to multiples of 32;
    the page itself fills its top-left `size`), computed on the inked part only.

    Why: CRAFT's cost grows with the pixels it sees, and most of an A4 page is blank margin (the
    ink covers about half of a bench page). The crop is cut from the resized page at multiples of
    32 pixels, so the network sees the same pixels on the same grid as for the whole page; its maps
    are pasted into a blank map of the whole page, and everything after (regions, grouping) is
    unchanged.
    """
    h, w = resized.shape[:2]
    x0, y0, x1, y1 = content_box(resized[: size[0], : size[1]].astype(np.uint8))
    step = 32
    cx0, cy0 = max(0, (x0 - _CONTENT_MARGIN) // step * step), max(0, (y0 - _CONTENT_MARGIN) // step * step)
    cx1 = min(w, -(-(x1 + _CONTENT_MARGIN) // step) * step)
    cy1 = min(h, -(-(y1 + _CONTENT_MARGIN) // step) * step)
    part = _craft_maps(device, session, _chw(resized[cy0:cy1, cx0:cx1])[None])[0]
    full = np.zeros((h // 2, w // 2, part.shape[2]), dtype=part.dtype)
    full[cy0 // 2 : cy0 // 2 + part.shape[0], cx0 // 2 : cx0 // 2 + part.shape[1]] = part
    return full


def content_box(rgb: np.ndarray) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1): the part of the page with ink, in its pixels.

    Ink is what Otsu's threshold calls dark on a quarter-size copy; specks only make the box
    larger, never cut text off. A page without a clear dark class (blank, or a photo on a dark
    background) is returned whole.
    """
    h, w = rgb.shape[:2]
    small = cv2.resize(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), (max(1, w // 4), max(1, h // 4)),
                       interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ys, xs = np.nonzero(ink)
    if len(xs) == 0 or ink.mean() > 0.5:
        return 0, 0, w, h
    x1, y1 = min(w, (int(xs.max()) + 1) * 4), min(h, (int(ys.max()) + 1) * 4)
    return int(xs.min()) * 4, int(ys.min()) * 4, x1, y1


def _craft_maps(device: str, session: object | None, batch: np.ndarray) -> np.ndarray:
    """CRAFT's (N, H/2, W/2, 2) text and link score maps for a normalised NCHW batch."""
    if session is not None:
        return session.run(["y"], {"image": batch})[0]  # type: ignore[attr-defined]
    import torch

    net = get_reader(device).detector
    with torch.inference_mode():
        y, _ = net(torch.from_numpy(batch).to(device))
    return y.cpu().numpy()


def text_regions(
    textmap: np.ndarray,
    linkmap: np.ndarray,
    *,
    text_threshold: float = TEXT_THRESHOLD,
    link_threshold: float = 0.4,
    low_text: float = LOW_TEXT,
    min_area: int = MIN_COMPONENT_AREA,
) -> list[np.ndarray]:
    """Quadrilaterals (4 x 2, score-map pixels) of the connected text regions of CRAFT's maps.

    EasyOCR's `getDetBoxes_core` with two changes. Why: (1) it drops components under 10 map pixels
    or peaking under 0.7; a lone "1" or "%" at the 1280 px detector size covers 2-9 map pixels (the
    map is half the detector input) and peaks at 0.4-0.8, which was the largest source of lost
    characters; the floors are parameters (module defaults above). (2) Each
    component's mask is built on its own bounding box instead of a full-map array per component.
    """
    text_on = textmap > low_text
    link_on = linkmap > link_threshold
    on = (text_on | link_on).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(on, connectivity=4)
    img_h, img_w = textmap.shape
    boxes = []
    for k in range(1, n):
        x, y, w, h, size = (int(v) for v in stats[k])
        if size < min_area:
            continue
        mask = labels[y : y + h, x : x + w] == k
        if float(textmap[y : y + h, x : x + w][mask].max()) < text_threshold:
            continue
        niter = int(math.sqrt(size * min(w, h) / (w * h)) * 2)
        sx, ex = max(0, x - niter), min(img_w, x + w + niter + 1)
        sy, ey = max(0, y - niter), min(img_h, y + h + niter + 1)
        seg = np.zeros((ey - sy, ex - sx), dtype=np.uint8)
        seg[y - sy : y - sy + h, x - sx : x - sx + w][mask] = 255
        seg[link_on[sy:ey, sx:ex] & ~text_on[sy:ey, sx:ex]] = 0  # link-only pixels are not text
        seg = cv2.dilate(seg, cv2.getStructuringElement(cv2.MORPH_RECT, (1 + niter, 1 + niter)))
        ys, xs = np.nonzero(seg)
        points = np.stack([xs + sx, ys + sy], axis=1).astype(np.int32)
        box = cv2.boxPoints(cv2.minAreaRect(points))
        bw, bh = np.linalg.norm(box[0] - box[1]), np.linalg.norm(box[1] - box[2])
        if abs(1 - max(bw, bh) / (min(bw, bh) + 1e-5)) <= 0.1:  # near-square: use the axis-aligned hull
            left, right = points[:, 0].min(), points[:, 0].max()
            top, bottom = points[:, 1].min(), points[:, 1].max()
            box = np.array([[left, top], [right, top], [right, bottom], [left, bottom]], dtype=np.float32)
        box = np.roll(box, 4 - int(box.sum(axis=1).argmin()), 0)  # clockwise from top-left
        boxes.append(box)
    return boxes


def _group(regions: list[np.ndarray], scale: float) -> list[list[int]]:
    """Regions (map pixels) merged into phrase boxes in image pixels, as EasyOCR's `detect` does."""
    from easyocr.utils import group_text_box

    polys = [(box * scale).astype(np.int32).reshape(-1) for box in regions]
    horizontal, free = group_text_box(polys, 0.1, 0.5, 0.5, 0.5, 0.08, True)
    boxes = [list(map(int, b)) for b in horizontal] + [_free_to_horizontal(f) for f in free]
    return part_overlaps([b for b in boxes if max(b[1] - b[0], b[3] - b[2]) > MIN_BOX_SIDE])


def part_overlaps(boxes: list[list[int]]) -> list[list[int]]:
    """Neighbouring boxes `[x_min, x_max, y_min, y_max]` of one line that overlap end to start are
    cut apart in the middle of their overlap, and a box inside another of its line is dropped.

    Why: each box carries a margin, so two phrases a little apart overlap, and the ink in the
    overlap was read twice: a "€" detected alone was read again at the start of its amount as
    "1399,00" for "€399,00". A box wholly inside a phrase's box is that ink read twice too (a "9"
    boxed alone inside "... IBAN DE34 7007 0010 0156 9193 01" came back as a word of its own and
    broke the IBAN: ZUGFeRD's sample on seed 1559). A box of another line is left alone: one
    whose middle is off the other's by half the lower one's height (a cell's two-line box reaching
    into the next cell's first line cut "PRE" off "PRESTATION": horstoeko, seed 509).
    """
    out = [list(b) for b in boxes if not any(_inside(b, other) for other in boxes if other is not b)]
    order = sorted(range(len(out)), key=lambda k: out[k][0])
    for n, i in enumerate(order):
        a = out[i]
        for j in order[n + 1 :]:
            b = out[j]
            if b[0] >= a[1]:
                break
            common = min(a[3], b[3]) - max(a[2], b[2])
            low = min(a[3] - a[2], b[3] - b[2])
            one_line = abs(a[2] + a[3] - b[2] - b[3]) < low  # middles closer than half of `low`
            if b[1] > a[1] and common > 0.5 * low and one_line:
                middle = (a[1] + b[0]) // 2
                a[1], b[0] = middle, middle
    return out


def _inside(box: list[int], other: list[int]) -> bool:
    """Is `box` within `other`, and of its line (its middle within a quarter of `other`'s height)?"""
    middle, other_middle = (box[2] + box[3]) / 2, (other[2] + other[3]) / 2
    return (
        box != other
        and other[0] <= box[0]
        and box[1] <= other[1]
        and other[2] <= box[2]
        and box[3] <= other[3]
        and abs(middle - other_middle) <= (other[3] - other[2]) / 4
    )


def default_cache_dir() -> Path:
    """Where the ONNX export goes when the caller names no folder: a fixed folder under the temp dir."""
    return Path(tempfile.gettempdir()) / "invoice-ocr-models"


@functools.lru_cache(maxsize=4)
def craft_session(cache_dir: str, threads: int, int8: bool = True):  # -> onnxruntime.InferenceSession | None
    """An ONNX Runtime session for CRAFT, exporting EasyOCR's weights once into `cache_dir` and,
    with `int8`, quantising that export once too.

    The file names carry a hash of the weights and the torch version (and the calibration's
    version), so a new weights package gets a new export; each is written under a temporary name
    and renamed, so concurrent workers never load a half-written file. None (and one warning) when
    onnx/onnxruntime are missing or the export fails: the caller then uses torch. A failed
    quantisation logs one warning and the float export is used.
    """
    try:
        import onnxruntime as ort
        import torch

        weights = _craft_weights()
        digest = hashlib.sha256(weights.read_bytes()).hexdigest()[:16]
        path = Path(cache_dir) / f"craft-{digest}-torch{torch.__version__.split('+')[0]}.onnx"
        if not path.exists():
            _export_craft(path)
    except Exception as exc:  # any failure means: fall back to torch, never fail the page
        log.warning("ONNX detector unavailable, using torch: %s: %s", type(exc).__name__, exc)
        return None
    if int8:
        quantised = path.with_name(f"{path.stem}-int8-{CALIBRATION}.onnx")
        try:
            if not quantised.exists():
                _quantise_craft(path, quantised)
            return _session(ort, quantised, threads)
        except Exception as exc:
            log.warning("int8 detector unavailable, using the float one: %s: %s", type(exc).__name__, exc)
    try:
        return _session(ort, path, threads)
    except Exception as exc:
        log.warning("ONNX detector unavailable, using torch: %s: %s", type(exc).__name__, exc)
        return None


CALIBRATION = "cal2"  # names the quantisation's version (calibration pages, 7-bit weights) in the file


def _quantise_craft(float_path: Path, path: Path) -> None:
    """Static int8 quantisation (QDQ, weights per channel) of the CRAFT export, its activation
    ranges taken from `calibration.calibration_pages` as the detector sees them (about 40 s, once).

    Why static: a convolution network on CPU gains from int8 only when the activations' scales are
    fixed in the graph (VNNI / AVX-512 integer kernels); dynamic quantisation in ONNX Runtime does
    not cover convolutions well and was slower for the recogniser (session 3).

    Why `reduce_range` (7-bit weights): ONNX Runtime's u8 x s8 kernels on x86 CPUs without VNNI
    (AVX2, AVX-512 before VNNI) can saturate their 16-bit intermediate sums. On such a host the
    8-bit model found 36 boxes on a faint page where the float one found 66 and on a light grey
    bill 64 against 82; the 7-bit one 68 and 82 (docs/ocr.md, session 7). One model for every
    machine, so 7 bits everywhere.
    """
    from easyocr.imgproc import resize_aspect_ratio
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    from pipeline.ocr.calibration import calibration_pages

    class Pages(CalibrationDataReader):
        def __init__(self) -> None:
            self.pages = iter(calibration_pages())

        def get_next(self) -> dict[str, np.ndarray] | None:
            page = next(self.pages, None)
            if page is None:
                return None
            resized = resize_aspect_ratio(page, DETECT_SIDE, interpolation=cv2.INTER_LINEAR)[0]
            return {"image": _chw(resized)[None]}

    log.info("quantising the CRAFT detector to int8 into %s (once)", path)
    with tempfile.TemporaryDirectory(dir=path.parent) as work:
        prepared = Path(work) / "prepared.onnx"
        quant_pre_process(str(float_path), str(prepared), skip_symbolic_shape=True)
        out = Path(work) / "int8.onnx"
        quantize_static(str(prepared), str(out), Pages(), quant_format=QuantFormat.QDQ, per_channel=True,
                        reduce_range=True, activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
        os.replace(out, path)


def _session(ort: object, path: Path, threads: int):  # -> onnxruntime.InferenceSession
    """A CPU session with one pool of `threads`, full graph optimisation, nodes run in sequence.

    Why spelt out: these are ONNX Runtime's defaults today, and a second (inter-op) pool would only
    compete for the same two cores.
    """
    opts = ort.SessionOptions()  # type: ignore[attr-defined]
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL  # type: ignore[attr-defined]
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL  # type: ignore[attr-defined]
    # Idle pool threads spin by default, taking a core from torch, OpenCV and Tesseract in between.
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])  # type: ignore[attr-defined]


def _craft_weights() -> Path:
    import easyocr_en_models

    return Path(easyocr_en_models.model_dir()) / "craft_mlt_25k.pth"


def _export_craft(path: Path) -> None:
    """Export the CPU CRAFT module with dynamic batch, height and width (takes 20-40 s, once)."""
    import torch

    log.info("exporting the CRAFT detector to %s (once)", path)
    path.parent.mkdir(parents=True, exist_ok=True)
    net = get_reader("cpu").detector
    sample = torch.zeros(1, 3, 256, 192)
    fd, tmp = tempfile.mkstemp(suffix=".onnx", dir=path.parent)
    os.close(fd)
    try:
        with torch.inference_mode(False), torch.no_grad():
            torch.onnx.export(
                net, (sample,), tmp, input_names=["image"], output_names=["y", "feature"],
                dynamic_axes={"image": {0: "n", 2: "h", 3: "w"}, "y": {0: "n", 1: "mh", 2: "mw"},
                              "feature": {0: "n", 2: "fh", 3: "fw"}},
                opset_version=17, dynamo=False,
            )
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _free_to_horizontal(quad: list) -> list[int]:
    """A slanted (free) box as its axis-aligned hull; pages are deskewed so these are rare."""
    xs = [p[0] for p in quad]
    ys = [p[1] for p in quad]
    return [int(min(xs)), int(max(xs)), int(min(ys)), int(max(ys))]


@functools.lru_cache(maxsize=4)
def onnx_reader(cache_dir: str, threads: int, name: str = recognisers.DEFAULT):  # -> easyocr.Reader | None
    """The CPU reader of recogniser `name` with its network run by ONNX Runtime, exporting it once
    into `cache_dir` (named after a hash of its weights file and the torch version).

    Why a copy of the reader with only `recognizer` swapped: EasyOCR's cropping, padding, contrast
    retry and CTC decoding stay exactly theirs, so the two paths differ only in the network's
    arithmetic. The torch English recogniser on CPU is EasyOCR's int8 dynamic quantisation; the
    export is the float network, 1.4x faster in ONNX Runtime and the same text on the bench pages
    (docs/ocr.md); ONNX Runtime's own int8 quantisation of it was 2.4x slower, so it is not used.
    None (and one warning) when the export or the session fails: the caller then uses torch.
    """
    try:
        import copy

        import onnxruntime as ort
        import torch

        weights = recognisers.weights(name)
        digest = hashlib.sha256(weights.read_bytes()).hexdigest()[:16]
        path = Path(cache_dir) / f"{name}-{digest}-torch{torch.__version__.split('+')[0]}.onnx"
        if not path.exists():
            _export_recogniser(recognisers.network(name), path)
        reader = copy.copy(recognisers.reader("cpu", name))
        reader.recognizer = _OnnxRecogniser(_session(ort, path, threads))
        return reader
    except Exception as exc:  # any failure means: fall back to torch, never fail the page
        log.warning("ONNX recogniser unavailable, using torch: %s: %s", type(exc).__name__, exc)
        return None


class _OnnxRecogniser:
    """Stands in for EasyOCR's recogniser module: `model.eval()`, then `model(image, text)` logits."""

    def __init__(self, session: object) -> None:
        self.session = session

    def eval(self) -> _OnnxRecogniser:
        return self

    def __call__(self, image: Any, text: Any = None) -> Any:  # torch tensors in and out
        """Logits (n, t, classes) for a (n, 1, 64, w) batch; `text` is unused, as by the network."""
        import torch

        logits = self.session.run(["logits"], {"image": image.cpu().numpy()})[0]  # type: ignore[attr-defined]
        return torch.from_numpy(logits)


def _export_recogniser(model: Any, path: Path) -> None:
    """Export a float CRNN (`recognisers.network`) with dynamic batch and width.

    EasyOCR's `AdaptiveAvgPool2d((None, 1))` over (n, w, c, h) is a mean over h; it is written as
    one so the exporter sees a plain ReduceMean (the text-length input is unused by this network).
    """
    import torch

    log.info("exporting the recogniser to %s (once)", path)
    path.parent.mkdir(parents=True, exist_ok=True)

    class Logits(torch.nn.Module):
        def __init__(self, m: torch.nn.Module) -> None:
            super().__init__()
            self.m = m

        def forward(self, image: torch.Tensor) -> torch.Tensor:
            feature = self.m.FeatureExtraction(image).permute(0, 3, 1, 2).mean(3)
            return self.m.Prediction(self.m.SequenceModeling(feature).contiguous())

    fd, tmp = tempfile.mkstemp(suffix=".onnx", dir=path.parent)
    os.close(fd)
    try:
        with torch.inference_mode(False), torch.no_grad():
            torch.onnx.export(
                Logits(model), (torch.zeros(1, 1, 64, 256),), tmp, input_names=["image"],
                output_names=["logits"], dynamic_axes={"image": {0: "n", 3: "w"}, "logits": {0: "n", 1: "t"}},
                opset_version=17, dynamo=False,
            )
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def recognize(
    device: str,
    grey: np.ndarray,
    boxes: list[list[int]],
    *,
    backend: str = "auto",
    cache_dir: Path | None = None,
    recogniser: str = recognisers.DEFAULT,
) -> list[TextBox]:
    """Read each box of the greyscale image; confidences are clamped to [0, 1] (`recognize_pages`
    for one page)."""
    return recognize_pages(device, [(grey, boxes)], backend=backend, cache_dir=cache_dir,
                           recogniser=recogniser)[0]


# Crops of one width go through the recogniser together, at most this many pixel columns a batch:
# about 70 MB for the first convolution's output on CPU, where the batch only saves per-call cost.
REC_COLUMNS = {"cpu": 8192, "cuda": 131072}


def recognize_pages(
    device: str,
    pages: list[tuple[np.ndarray, list[list[int]]]],
    *,
    backend: str = "auto",
    cache_dir: Path | None = None,
    recogniser: str = recognisers.DEFAULT,
) -> list[list[TextBox]]:
    """EasyOCR's reading of every box `[x_min, x_max, y_min, y_max]` of every (grey image, boxes)
    page, in the boxes' order, with crops of the same width read as one batch across all pages.

    Why not `Reader.recognize`: on CPU it reads one crop per network call, and with a batch size
    (its GPU mode) it pads every crop to the widest crop of the page, which changes the text of
    the short ones. Here each crop is cropped, resized, padded (to its own width rounded up to 64
    px, as EasyOCR's one-crop-at-a-time mode does), decoded and given the low-contrast second try
    by EasyOCR's own functions, so the text and confidences are those of EasyOCR's CPU mode on
    every device; grouping by that width makes the padding of each crop the same as when it is
    read alone. On the bench pages this reads a page in 0.41 s instead of 0.63 s (docs/ocr.md).

    `backend` as for `detect`: "auto" runs the recogniser in ONNX Runtime on CPU when its export
    works and the torch module otherwise (and always on CUDA). `recogniser`: a name of
    `pipeline.options.RECOGNISERS` (EasyOCR's English network by default; "latin5" for comparisons).
    """
    import torch
    from easyocr.utils import get_image_list

    out: list[list[TextBox | None]] = [[None] * len(boxes) for _, boxes in pages]
    if not any(boxes for _, boxes in pages):
        return [[] for _ in pages]
    reader = None
    if backend == "onnx" or (backend == "auto" and device == "cpu"):
        reader = onnx_reader(str(cache_dir or default_cache_dir()), cpu_count(), recogniser)
        if reader is None and backend == "onnx":
            raise RuntimeError("the ONNX recogniser is not available (see the log)")
    # EasyOCR's torch English recogniser on CPU is quantised to int8 with activation scales taken
    # over the whole batch, so there a batch would change each crop's reading: one crop a call.
    one_by_one = reader is None and device == "cpu" and recogniser == "english"
    reader = reader or recognisers.reader(device, recogniser)

    def crops_of(p: int) -> list[tuple[int, tuple[int, int, list, np.ndarray]]]:
        """(padded width, (page, box, quad, crop)) of each box of page `p`."""
        grey, boxes = pages[p]
        found = []
        for b, box in enumerate(boxes):
            crops, width = get_image_list([box], [], grey, model_height=_REC_HEIGHT)
            if crops:  # EasyOCR skips a box too thin to resize; so do we
                quad, crop = crops[0]
                found.append((int(width), (p, b, quad, crop)))
        return found

    by_width: dict[int, list[tuple[int, int, list, np.ndarray]]] = {}
    for page_crops in side_by_side(crops_of, range(len(pages))):
        for width, crop in page_crops:
            by_width.setdefault(width, []).append(crop)
    ignore_idx = [reader.character.index(c) + 1 for c in set(reader.character) - set(reader.lang_char)]
    budget = REC_COLUMNS.get(device, REC_COLUMNS["cpu"])
    with torch.inference_mode():
        for width, crops in by_width.items():
            step = 1 if one_by_one else max(1, budget // width)
            for start in range(0, len(crops), step):
                chunk = crops[start : start + step]
                read = _read_crops(reader, [c[3] for c in chunk], width, ignore_idx)
                for (p, b, quad, _), (text, conf) in zip(chunk, read, strict=True):
                    xs, ys = [q[0] for q in quad], [q[1] for q in quad]
                    out[p][b] = TextBox(
                        text=full_stops(str(text)), x0=float(min(xs)), y0=float(min(ys)),
                        x1=float(max(xs)), y1=float(max(ys)), confidence=min(1.0, max(0.0, float(conf))),
                    )
    return [[t for t in page if t is not None] for page in out]


_REC_HEIGHT = 64  # EasyOCR's recogniser input height
_CONTRAST_RETRY = 0.1  # EasyOCR's contrast_ths: crops read less surely are read again with more contrast
_ADJUST_CONTRAST = 0.5  # EasyOCR's adjust_contrast


def _read_crops(reader: Any, crops: list[np.ndarray], width: int, ignore_idx: list[int]
                ) -> list[tuple[str, float]]:
    """(text, confidence) of crops resized to the recogniser's height, padded to `width`: EasyOCR's
    `get_text` for one batch, without its DataLoader (a process-wide warning and a per-call cost).
    `ignore_idx`: the classes of characters outside the reader's language, as `get_text` takes them."""
    from easyocr.recognition import recognizer_predict

    def predict(adjust_contrast: float, subset: list[np.ndarray]) -> list[list]:
        batch = collate(subset, width, adjust_contrast)
        return recognizer_predict(reader.recognizer, reader.converter, [batch], int(width / 10), ignore_idx,
                                  {}, "greedy", 5, device=reader.device)

    first = predict(0.0, crops)
    retry = [i for i, (_, conf) in enumerate(first) if conf < _CONTRAST_RETRY]
    if retry:
        for i, again in zip(retry, predict(_ADJUST_CONTRAST, [crops[i] for i in retry]), strict=True):
            if again[1] >= first[i][1]:  # EasyOCR keeps the second reading on a tie
                first[i] = again
    return [(text, conf) for text, conf in first]


def collate(crops: list[np.ndarray], width: int, adjust_contrast: float = 0.0) -> Any:  # -> torch.Tensor
    """The recogniser's input batch (n, 1, 64, `width`) of grey crops: EasyOCR's `AlignCollate`
    (keep_ratio_with_pad), the same floats bit for bit, built in one array.

    Why not theirs: it turns each crop into a tensor, normalises and pads it with a handful of small
    torch operations, 22-58 ms for a bench page's crops on 2 cores against 3-4 ms here; that is CPU
    work a GPU host does for every box beside the networks (docs/ocr.md, session 26). Each crop is
    still resized by PIL's bicubic filter to the model's height (at most `width` wide), and the pad
    repeats its last column.
    """
    import torch
    from easyocr.recognition import adjust_contrast_grey
    from PIL import Image

    batch = np.empty((len(crops), _REC_HEIGHT, width), dtype=np.uint8)
    for i, crop in enumerate(crops):
        if adjust_contrast > 0:
            crop = adjust_contrast_grey(crop, target=adjust_contrast)
        h, w = crop.shape[:2]
        resized_w = min(width, math.ceil(_REC_HEIGHT * (w / float(h))))
        resized = np.asarray(Image.fromarray(crop, "L").resize((resized_w, _REC_HEIGHT), Image.BICUBIC))
        batch[i, :, :resized_w] = resized
        batch[i, :, resized_w:] = resized[:, resized_w - 1 : resized_w]
    return torch.from_numpy(_grey_levels()[batch]).unsqueeze(1)


@functools.cache
def _grey_levels() -> np.ndarray:
    """Each byte's value as EasyOCR feeds it to the recogniser: torchvision's to_tensor (x / 255 in
    float32), then (x - 0.5) / 0.5, computed by torch so a lookup gives the same floats."""
    import torch

    return torch.arange(256, dtype=torch.uint8).float().div(255).sub_(0.5).div_(0.5).numpy()


_UNDERSCORE_STOP = re.compile(r"(?<=[^\W\d_])\s?_(?=\s|$)|(?<=\d)\s?_(?=\s+[^\W\d_]|$)")


def full_stops(text: str) -> str:
    """EasyOCR's underscore after a word's last letter, or after a number before a word or at the
    end of the box ("16 _" of "16. September"), as the full stop it stands for.

    Why: on scans the English model reads a small full stop on the baseline as "_" ("VAT Reg_ No",
    "Trading Co _", a German date's "16."), which hides labels, legal forms and dates; a printed
    underscore ends no word (it joins words: "john_doe", or fills a blank: "____").
    """
    return _UNDERSCORE_STOP.sub(".", text)

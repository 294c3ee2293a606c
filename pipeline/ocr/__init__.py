"""Stages 2 and 3 for image pages: a photographed sheet flattened, orientation, skew, then EasyOCR
words.

`run_ocr` fills every page that `needs_ocr` with words of the *corrected* page image (a photo's
sheet cut out and flattened, turned upright and deskewed), in points like a PDF text layer's
(`page.image_scale` pixels each), sets
`page.width`/`height` to that image's size in points, `orientation` to the clockwise quarter turn
applied, and replaces `page.image` by the corrected image when it changed, so a box times
`page.image_scale` can be drawn on `page.image` (`keep_images=False`, the pipeline's call, drops
it instead). See docs/ocr.md.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from pipeline.model import LoadedDocument, Page, PageCode
from pipeline.ocr import engine, lexicon
from pipeline.ocr.accents import restore_accents
from pipeline.ocr.gaps import bridged
from pipeline.ocr.lone_marks import ink, kept, lone_marks
from pipeline.ocr.second_reader import Rect, SecondReadings
from pipeline.ocr.words import pixels_per_point, scaled, to_words
from pipeline.options import Options
from pipeline.orient import deskew, estimate_layout, paper_colour, quarter_turn
from pipeline.photo import even_light, flatten, page_corners
from pipeline.qr_codes import Code, blanked, find_codes, flipped, outside, regions

log = logging.getLogger(__name__)

_FLIP_SAMPLE = 8  # boxes read turned to tell upright from upside down (mid-width ones)
_FLIP_MARGIN = 0.1  # mean confidence gain needed to turn a page by 180 degrees
_UPRIGHT_SURE = 0.8  # the sample's mean confidence above which the page is not read turned
_FLIP_UNSURE = 0.3  # under this mean confidence a page that reads better turned gets a larger sample
_FLIP_LARGE = 32  # boxes of that larger sample
_FLIP_RATIO = 2.0  # how many times better the larger sample must read turned


@dataclass(slots=True)
class _Prepared:
    page: Page
    rgb: np.ndarray
    turn: int
    changed: bool
    flattened: bool  # a photographed sheet was cut out and flattened (`pipeline.photo`)
    codes: list[Code]  # QR codes on the corrected page: no text is read inside them
    grey: np.ndarray  # the corrected page in grey, as the recognisers read it
    binary: np.ndarray  # its ink (`lone_marks.ink`), codes not yet cleared: `_ink` clears them


# The recogniser of a call (`engine.recognize_pages` bound to its device): (grey image, boxes) pages
# in, each page's readings out.
Read = Callable[[list[tuple[np.ndarray, list[list[int]]]]], list[list[engine.TextBox]]]


def run_ocr(
    doc: LoadedDocument,
    options: Options,
    *,
    detect_side: int = engine.DETECT_SIDE,
    backend: str = "auto",
    recogniser_backend: str | None = None,
    cache_dir: Path | None = None,
    min_component_area: int = engine.MIN_COMPONENT_AREA,
    text_threshold: float = engine.TEXT_THRESHOLD,
    low_text: float = engine.LOW_TEXT,
    detector_int8: bool = True,
    pages_at_once: int | None = None,
    timings: dict[str, float] | None = None,
    keep_images: bool = True,
) -> str:
    """OCR every page with `needs_ocr`; returns the device used ("cuda" or "cpu").

    Pages go through in runs (`pages_per_run`): the detector and the recogniser see a run's pages
    as batches (crops of one width from all its pages together), and Tesseract reads the pages side
    by side, one process per core (`SecondReadings`). A run is finished (Tesseract's readings
    merged, lone characters added, words made) only once the next run has been recognised, so
    Tesseract's processes read one run while the networks read the next: on a GPU, where the
    networks take milliseconds a page, Tesseract is the slowest stage, and this hides the rest
    behind it. A page's result does not depend on the pages beside it.

    `options.ocr_recogniser` picks the recognition weights and `options.ocr_second_reader` turns
    Tesseract's reading on or off. `detect_side` (longest side the detector sees) and
    `pages_at_once` exist for the benchmarks that compare configurations; the pipeline uses the
    defaults. `backend` ("auto", "onnx", "torch") picks how CRAFT and the recogniser run
    (`recogniser_backend`, when given, for the recogniser alone: benchmarks); `cache_dir` is where
    their ONNX exports are kept (the caller's cache folder; default: a fixed folder under the temp
    dir); `min_component_area`, `text_threshold` and `low_text` are the detector's floors (10, 0.7,
    0.4 reproduce EasyOCR, for comparisons); `detector_int8` False runs ONNX Runtime's float
    detector. `timings`, when given, gets the seconds this call spent waiting on each stage
    (`STAGES`) added to it; they are logged at debug level too. `keep_images` False sets each
    read page's `image` to None instead of the corrected image: the pipeline draws nothing on it,
    and writing a scan's corrected pixels as PNG again took 130 ms of CPU an A4 page (a GPU
    host's CPU is what bounds its pages a second), besides the memory of a long document's images.
    """
    device = engine.pick_device()
    clock = _Clock(timings)
    todo = [p for p in doc.pages if p.needs_ocr and p.image]
    step = pages_at_once or pages_per_run(device)
    tesseract = SecondReadings(engine.cpu_count()) if options.ocr_second_reader else None
    read = functools.partial(engine.recognize_pages, device, backend=recogniser_backend or backend,
                             cache_dir=cache_dir, recogniser=options.ocr_recogniser)
    done: _Run | None = None
    try:
        for start in range(0, len(todo), step):
            with clock("prepare"):
                prepared = engine.side_by_side(_prepare, todo[start : start + step])
            with clock("detect"):
                all_boxes = engine.detect(
                    device, [p.rgb for p in prepared], side=detect_side, backend=backend,
                    cache_dir=cache_dir, min_component_area=min_component_area,
                    text_threshold=text_threshold, low_text=low_text, int8=detector_int8,
                )
                found = list(zip(prepared, all_boxes, strict=True))
                all_boxes = engine.side_by_side(_bridged, found)
            run = _recognise(device, start, prepared, all_boxes, tesseract, read, clock)
            if done is not None:
                _finish(done, tesseract, read, clock, keep_images)
            done = run
        if done is not None:
            _finish(done, tesseract, read, clock, keep_images)
        restore_accents(todo, lexicon.words(cache_dir or engine.default_cache_dir()))
    finally:
        if tesseract is not None:
            tesseract.close()  # stops Tesseract when recognition failed
    log.debug("ocr of %d pages on %s: %s", len(todo), device, clock)
    return device


# Pages prepared, detected and recognised together on CPU: a bound on the page images held at once
# (about 25 MB a page at 200 dpi with its grey and ink images; two runs are held, see `run_ocr`).
PAGES_AT_ONCE = 16


def pages_per_run(device: str) -> int:
    """`PAGES_AT_ONCE`; on CUDA four pages a core, up to 64 (3 GB of images held), so that each of
    Tesseract's processes (one a core) reads several pages of a run on one load of its models
    (`SecondReadings`) while the networks, which take milliseconds a page there, read the next."""
    if device == "cpu":
        return PAGES_AT_ONCE
    return min(64, max(PAGES_AT_ONCE, 4 * engine.cpu_count()))


# What `run_ocr(timings=...)` reports: seconds the caller waited on each, summed over runs.
STAGES = ("prepare", "detect", "recognise", "upside-down", "tesseract", "lone-marks", "words")


class _Clock:
    """Wall seconds per stage, added to the caller's dict (or to one of its own)."""

    def __init__(self, into: dict[str, float] | None) -> None:
        self.seconds = into if into is not None else {}

    @contextlib.contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - start

    def __str__(self) -> str:
        return ", ".join(f"{k} {v:.2f} s" for k, v in self.seconds.items())


def decode(png: bytes) -> np.ndarray:
    """RGB array of an encoded image (PNG from the loader)."""
    bgr = cv2.imdecode(np.frombuffer(png, dtype=np.uint8), cv2.IMREAD_COLOR)
    if bgr is None:
        raise ValueError("the page image cannot be decoded")
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def _prepare(page: Page) -> _Prepared:
    """Flatten a photographed sheet, turn the page so its lines are horizontal, remove the skew."""
    assert page.image is not None
    rgb = decode(page.image)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    corners = page_corners(rgb, page.focal)
    if corners is not None:
        rgb = even_light(flatten(rgb, corners, page.focal))
        grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    layout = estimate_layout(grey)
    rgb = quarter_turn(rgb, layout.turn)
    rgb = deskew(rgb, layout.skew, fill=paper_colour(grey))
    log.debug("page %d: sheet %s, turn %d, skew %.2f", page.index,
              "flattened" if corners is not None else "as is", layout.turn, layout.skew)
    changed = bool(corners is not None or layout.turn or abs(layout.skew) >= 0.05)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    return _Prepared(page=page, rgb=rgb, turn=layout.turn, changed=changed, flattened=corners is not None,
                     codes=find_codes(grey), grey=grey, binary=ink(grey))


def _ink(prep: _Prepared) -> np.ndarray:
    """The page's ink with its QR codes cleared: what word fitting, lone marks and joins look at."""
    return blanked(prep.binary, regions(prep.codes))


def _bridged(found: tuple[_Prepared, list[list[int]]]) -> list[list[int]]:
    """A page's detected boxes outside its QR codes, the pieces of a broken word joined
    (`gaps.bridged`)."""
    prep, boxes = found
    return bridged(_ink(prep), outside(boxes, regions(prep.codes)))


def flip_boxes(boxes: list[list[int]], width: int, height: int) -> list[list[int]]:
    """Boxes `[x_min, x_max, y_min, y_max]` of an image as they lie after turning it by 180 degrees."""
    return [[width - b[1], width - b[0], height - b[3], height - b[2]] for b in boxes]


def upside_down(pages: list[tuple[np.ndarray, list[engine.TextBox]]], read: Read) -> list[bool]:
    """For each (grey image, its readings) page: True when its sample reads clearly better turned
    by 180 degrees. The turned samples of all pages are recognised as one batch by `read`
    (`engine.recognize_pages` for the device).

    Takes the page's readings as they are (which the page needs anyway) and recognises
    only the turned sample. Why: reading the sample both ways doubled the recogniser's work on a
    page (the widest boxes are most of its cost; profile in docs/ocr.md). The sample is 8 boxes
    from the widest quarter's end down, not the widest: on 16 bench pages the confidence gap between
    the right and the wrong way up was 0.50-0.68 for this sample (0.47-0.67 for the 16 widest),
    against a margin of 0.1, at a third of the recogniser's time.

    A page past reading either way (a 150 dpi scan of 7 pt italic print: akretion on seed 1759,
    upside down, its sample at 0.03 as it lay and 0.10 turned) cannot gain the margin. Where the
    sample reads under 0.3 and better turned, a larger one (32 boxes) is read turned too, and the page
    is turned where that reads twice as well and 0.05 better: upright pages that poor read 2 to 7
    times worse turned (seeds 1697, 1709, 1733, 1741: 0.071 / 0.011, 0.049 / 0.023, 0.253 / 0.072,
    0.234 / 0.034), and those never ask for the larger sample.

    A sample read with a mean confidence of 0.8 or more is upright without reading it turned:
    upside-down text reads as low-confidence garbage, and a turned reading could not beat it by
    the margin by much. On 85 pages of the scan benchmarks (docs/ocr.md, session 5) 55 were read
    that surely, which saves the turned reading there.
    """

    def score(readings: list[engine.TextBox]) -> float:
        return sum(t.confidence for t in readings) / max(1, len(readings))

    def samples(found: list[engine.TextBox], size: int) -> list[engine.TextBox]:
        by_width = sorted(found, key=lambda t: t.x1 - t.x0, reverse=True)
        start = min(len(by_width) // 4, max(0, len(by_width) - size))
        return by_width[start : start + size]

    def turned_read(items: list[tuple[int, list[engine.TextBox]]]) -> list[list[engine.TextBox]]:
        batch = []
        for i, sample in items:
            grey = pages[i][0]
            h, w = grey.shape[:2]
            boxes = flip_boxes([[int(t.x0), int(t.x1), int(t.y0), int(t.y1)] for t in sample], w, h)
            batch.append((cv2.rotate(grey, cv2.ROTATE_180), boxes))
        return read(batch) if batch else []

    unsure = [(i, sample) for i, (_, found) in enumerate(pages)
              if (sample := samples(found, _FLIP_SAMPLE)) and score(sample) < _UPRIGHT_SURE]
    flips = [False] * len(pages)
    doubtful = []
    for (i, sample), readings in zip(unsure, turned_read(unsure), strict=True):
        flips[i] = score(readings) > score(sample) + _FLIP_MARGIN
        if not flips[i] and score(sample) < _FLIP_UNSURE and score(readings) > score(sample):
            doubtful.append((i, samples(pages[i][1], _FLIP_LARGE)))
    for (i, sample), readings in zip(doubtful, turned_read(doubtful), strict=True):
        upright, turned = score(sample), score(readings)
        flips[i] = turned >= _FLIP_RATIO * upright and turned - upright >= _FLIP_MARGIN / 2
    return flips


def _rects(boxes: list[list[int]]) -> list[Rect]:
    """Detector boxes `[x_min, x_max, y_min, y_max]` as `(x0, y0, x1, y1)`."""
    return [(float(b[0]), float(b[2]), float(b[1]), float(b[3])) for b in boxes]


@dataclass(slots=True)
class _Run:
    """A run of pages recognised and turned upright, waiting for Tesseract's readings (`run_ocr`)."""

    first: int  # the run's first page among those the call reads: Tesseract's key of its page 0
    prepared: list[_Prepared]
    found: list[list[engine.TextBox]]


def _recognise(
    device: str,
    first: int,
    prepared: list[_Prepared],
    all_boxes: list[list[list[int]]],
    tesseract: SecondReadings | None,
    read: Read,
    clock: _Clock,
) -> _Run:
    """Recognise the detected boxes of a run's pages, turn upside-down pages, and give Tesseract
    each page's boxes: on CPU before the recogniser, so that it reads beside it (a page turned
    afterwards is read again); on CUDA after the upside-down decision, since there the recogniser
    takes milliseconds and reading a turned page twice would cost Tesseract a page."""
    greys = [p.grey for p in prepared]
    early = device == "cpu"

    def pages(indices: Iterable[int]) -> Iterator[tuple[int, np.ndarray, list[Rect]]]:
        return ((first + i, greys[i], _rects(all_boxes[i])) for i in indices)

    if tesseract is not None and early:
        tesseract.add(pages(range(len(greys))))
    with clock("recognise"):
        found = read(list(zip(greys, all_boxes, strict=True)))
    with clock("upside-down"):
        flips = upside_down(list(zip(greys, found, strict=True)), read)
        turned = [i for i, flip in enumerate(flips) if flip]
        for i in turned:
            prep = prepared[i]
            h, w = greys[i].shape[:2]
            all_boxes[i] = flip_boxes(all_boxes[i], w, h)
            prep.rgb = cv2.rotate(prep.rgb, cv2.ROTATE_180)
            prep.binary = cv2.rotate(prep.binary, cv2.ROTATE_180)
            prep.grey = greys[i] = cv2.rotate(greys[i], cv2.ROTATE_180)
            prep.turn = (prep.turn + 180) % 360
            prep.changed = True
            prep.codes = flipped(prep.codes, w, h)
        again = read([(greys[i], all_boxes[i]) for i in turned])
        for i, readings in zip(turned, again, strict=True):
            found[i] = readings
    if tesseract is not None:
        tesseract.add(pages(turned if early else range(len(greys))))
    return _Run(first=first, prepared=prepared, found=found)


def _finish(
    run: _Run, tesseract: SecondReadings | None, read: Read, clock: _Clock, keep_images: bool
) -> None:
    """Merge Tesseract's readings into a recognised run, add the lone characters the detector
    missed, and fill each page with its words."""
    found, prepared = run.found, run.prepared
    greys = [p.grey for p in prepared]
    if tesseract is not None:
        with clock("tesseract"):
            found = [tesseract.merge(run.first + i, readings) for i, readings in enumerate(found)]
    # Lone characters the detector missed (a column of ones), read after Tesseract's merge: it
    # was given the detected boxes only, and has nothing to add to a digit.
    with clock("lone-marks"):
        inks = [_ink(p) for p in prepared]
        marks = engine.side_by_side(lambda i: lone_marks(inks[i], found[i], greys[i]), range(len(prepared)))
        lone = read(list(zip(greys, marks, strict=True)))
        found = [readings + kept(extra) for readings, extra in zip(found, lone, strict=True)]
    with clock("words"):
        engine.side_by_side(
            lambda i: _fill_page(prepared[i], greys[i], inks[i], found[i], keep_images), range(len(prepared))
        )


def _fill_page(
    prep: _Prepared, grey: np.ndarray, binary: np.ndarray, found: list[engine.TextBox], keep_image: bool
) -> None:
    page = prep.page
    words = to_words(found, page.index, binary, grey)
    height, width = float(binary.shape[0]), float(binary.shape[1])
    # a flattened sheet's pixels are the photo's, not the rendered or tagged page's: its shape decides
    scale = pixels_per_point(None if prep.flattened else page.dpi, width, height, words)
    page.words = scaled(words, scale)
    page.width, page.height = round(width / scale, 2), round(height / scale, 2)
    page.image_scale = scale
    page.codes = [PageCode(c.text, *(v / scale for v in c.bounds)) for c in prep.codes if c.text]
    page.orientation = prep.turn
    page.needs_ocr = False
    page.text_source = "ocr"
    if not keep_image:
        page.image = None
    elif prep.changed:
        ok, png = cv2.imencode(".png", cv2.cvtColor(prep.rgb, cv2.COLOR_RGB2BGR))
        if ok:
            page.image = png.tobytes()

"""OCR speed and accuracy: our OCR stage against Tesseract on the same scanned pages, same run.

Pages are invoice-like text in EN/DE/FR/ES/NL printed with PyMuPDF (so the text is known), then
degraded like a scan (bench/scans.py). Each configuration reads every page; the script prints
seconds per page (median), character error rate (CER) over the page and over the words with
accented letters, and each figure as a ratio against the Tesseract peer. `--peers latin5` (the
default) also runs the same path with our five-language recogniser instead of EasyOCR's English
one (pipeline/ocr/recognisers.py), with and without Tesseract's second reading.

    .venv/bin/python -m bench.ocr_speed --pages 6
    .venv/bin/python -m bench.ocr_speed --pages 4 --sides 960,1280,1600 --no-accent-variant
    .venv/bin/python -m bench.ocr_speed --batch 32      # pages per second, GPU when there is one
    .venv/bin/python -m bench.ocr_speed --batch 64 --processes 4,8   # also in 4 and 8 processes
    .venv/bin/python -m bench.ocr_speed --batch 64 --runs 16,32     # also in runs of 16, 32 pages

`--batch N` reads N pages as one document (the detector and recogniser batch its pages,
Tesseract reads one page per core) and prints pages per second, beside Tesseract reading the same
pages with one process per core, and where the time went; `--processes P` also reads them in P
worker processes at once, as a service with P workers would. `--write-pages DIR` writes the
pages (as JPEG, with their text) and `--pages-dir DIR` reads them back, for a machine without
PyMuPDF (bench/device); with fewer pages in DIR than N, the batch takes them over again.

Tesseract is installed from Debian packages when missing (`apt-get install -y tesseract-ocr ...`).
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.options import RECOGNISERS

TESS_PACKAGES = ["tesseract-ocr", "tesseract-ocr-deu", "tesseract-ocr-fra", "tesseract-ocr-spa",
                 "tesseract-ocr-nld"]


@dataclass(slots=True)
class Tally:
    seconds: list[float] = field(default_factory=list)
    edits: int = 0
    chars: int = 0
    accent_edits: int = 0
    accent_chars: int = 0

    def add(self, seconds: float, truth: str, got: str) -> None:
        self.seconds.append(seconds)
        e, n, ae, an = error_counts(truth, got)
        self.edits += e
        self.chars += n
        self.accent_edits += ae
        self.accent_chars += an

    @property
    def cer(self) -> float:
        return self.edits / max(1, self.chars)

    @property
    def accent_cer(self) -> float:
        return self.accent_edits / max(1, self.accent_chars)


def ensure_tesseract() -> None:
    if shutil.which("tesseract"):
        return
    print("installing Tesseract from Debian packages ...", flush=True)
    subprocess.run(["apt-get", "update"], check=False, capture_output=True)
    subprocess.run(["apt-get", "install", "-y", *TESS_PACKAGES], check=True, capture_output=True)


def normalise(text: str) -> str:
    return " ".join(text.split())


def align(truth: str, got: str) -> list[tuple[int | None, str]]:
    """Minimal edit alignment: for each edit, the truth index it touches (None: insertion at end)."""
    n, m = len(truth), len(got)
    cost = [list(range(m + 1))]
    for i in range(1, n + 1):
        prev, row, ti = cost[-1], [i], truth[i - 1]
        for j in range(1, m + 1):
            row.append(min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ti != got[j - 1])))
        cost.append(row)
    edits: list[tuple[int | None, str]] = []
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0 and cost[i][j] == cost[i - 1][j - 1] + (truth[i - 1] != got[j - 1]):
            if truth[i - 1] != got[j - 1]:
                edits.append((i - 1, "sub"))
            i, j = i - 1, j - 1
        elif i > 0 and cost[i][j] == cost[i - 1][j] + 1:
            edits.append((i - 1, "del"))
            i -= 1
        else:
            edits.append((i if i < n else None, "ins"))
            j -= 1
    return edits


def accented_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for word in text.split(" "):
        if any(ord(c) > 127 and c.isalpha() for c in word):
            spans.append((pos, pos + len(word)))
        pos += len(word) + 1
    return spans


def error_counts(truth: str, got: str) -> tuple[int, int, int, int]:
    """(edits, truth chars, edits inside accented words, chars of accented words)."""
    truth, got = normalise(truth), normalise(got)
    edits = align(truth, got)
    spans = accented_spans(truth)
    inside = [False] * (len(truth) + 1)
    for a, b in spans:
        for k in range(a, b):
            inside[k] = True
    accent_edits = sum(1 for idx, _ in edits if idx is not None and inside[idx])
    return len(edits), len(truth), accent_edits, sum(b - a for a, b in spans)


def ocr_options(second: bool, recogniser: str):  # -> Options
    """The pipeline's options with Tesseract on or off, reading with `recogniser`."""
    from pipeline.options import Options

    return Options(ocr_second_reader=second, ocr_recogniser=recogniser)


def ours(detect_side: int, second: bool, backend: str = "auto", easyocr_floors: bool = False,
         int8: bool = True, recogniser: str = RECOGNISERS[0]) -> Callable[[bytes], str]:
    from pipeline.ocr import run_ocr

    def read(png: bytes) -> str:
        doc = image_document([png])
        floors = {"min_component_area": 10, "text_threshold": 0.7, "low_text": 0.4} if easyocr_floors else {}
        det, _, rec = backend.partition("/")  # "onnx/torch": ONNX detector, torch recogniser
        run_ocr(doc, ocr_options(second, recogniser), detect_side=detect_side, backend=det,
                recogniser_backend=rec or None, detector_int8=int8, keep_images=False, **floors)
        return page_text(doc.pages[0].words)

    return read


def tesseract(lang: str) -> Callable[[bytes], str]:
    def read(png: bytes) -> str:
        with tempfile.NamedTemporaryFile(suffix=".png") as f:
            f.write(png)
            f.flush()
            run = subprocess.run(["tesseract", f.name, "stdout", "-l", lang], capture_output=True,
                                 env={**os.environ, "OMP_THREAD_LIMIT": "1"}, check=True)
        return run.stdout.decode("utf-8", "replace")

    return read


def device_name() -> str:
    import torch

    from pipeline.ocr import engine

    if engine.pick_device() == "cuda":
        return f"cuda ({torch.cuda.get_device_name(0)})"
    return f"cpu ({engine.cpu_count()} cores)"


def batch_throughput(pages: list[tuple[bytes, str]], count: int, processes: list[int],
                     runs_of: list[int] | None = None, peers: list[str] | None = None) -> None:
    """`count` pages (`pages` over again when fewer) through `run_ocr` (with and without Tesseract)
    against Tesseract alone on the same pages, one process per core; pages per second and CER of
    each, and where our time went (`pipeline.ocr.STAGES`).

    Each P in `processes` also reads the pages as P documents in P worker processes at once, each
    pinned to its share of the cores, as a service with P workers on one machine would: the work
    around the networks is Python and OpenCV, which one process's threads share under the GIL, so
    on a GPU one process leaves most of the cores and the GPU idle. Each R in `runs_of` also reads
    the document in one process in runs of R pages (`run_ocr(pages_at_once=R)`; the default is
    `pipeline.ocr.pages_per_run`): a run's pages share Tesseract's processes, and a run's Tesseract
    reading overlaps the next run's networks, so the run size trades one against the other. Each
    name in `peers` (`RECOGNISERS`: "latin5") also reads the document with that recogniser
    instead of ours, with and without Tesseract."""
    from concurrent.futures import ThreadPoolExecutor

    from pipeline.ocr import STAGES, engine, pages_per_run, run_ocr
    from pipeline.options import Options

    images = [pages[i % len(pages)][0] for i in range(count)]
    truths = [pages[i % len(pages)][1] for i in range(count)]
    warm = time.perf_counter()
    run_ocr(image_document(images[:1]), Options())  # loads the models outside the timings
    print(f"model load + first page: {time.perf_counter() - warm:.1f} s; device {device_name()}, "
          f"runs of {pages_per_run(engine.pick_device())} pages")
    stages: dict[str, dict[str, float]] = {}

    def ours(name: str, second: bool, pages_at_once: int | None = None, recogniser: str = RECOGNISERS[0]
             ) -> tuple[float, list[str]]:
        doc = image_document(images)
        stages[name] = {}
        start = time.perf_counter()
        run_ocr(doc, ocr_options(second, recogniser), pages_at_once=pages_at_once, timings=stages[name],
                keep_images=False)
        seconds = time.perf_counter() - start
        return seconds, [page_text(p.words) for p in doc.pages]

    def peer() -> tuple[float, list[str]]:
        read = tesseract("eng")
        start = time.perf_counter()
        with ThreadPoolExecutor(engine.cpu_count()) as pool:
            texts = list(pool.map(read, images))
        return time.perf_counter() - start, texts

    runs = {"tesseract-eng, a process per core": peer(), "ours": ours("ours", True),
            "ours no-tesseract": ours("ours no-tesseract", False)}
    for name in peers or []:
        runs[f"{name} recogniser"] = ours(f"{name} recogniser", True, recogniser=name)
        plain = f"{name} recogniser no-tesseract"
        runs[plain] = ours(plain, False, recogniser=name)
    for r in runs_of or []:
        runs[f"ours, runs of {r} pages"] = ours(f"ours, runs of {r} pages", True, r)
    for p in processes:
        with Workers(p, images[0]) as workers:
            runs[f"ours, {p} processes"] = workers.read(images, True)
            runs[f"ours no-tesseract, {p} processes"] = workers.read(images, False)
            for name in peers or []:
                runs[f"{name} no-tesseract, {p} processes"] = workers.read(images, False, name)
    peer_rate = count / runs["tesseract-eng, a process per core"][0]
    print(f"{count} pages as one document ({len(pages)} distinct; every 8th upside down, which Tesseract "
          f"reads as it is); load average {os.getloadavg()[0]:.1f} at the end")
    print(f"{'reader':36} {'pages/s':>8} {'x peer':>7} {'CER':>7}")
    for name, (seconds, texts) in runs.items():
        tally = Tally()
        for truth, got in zip(truths, texts, strict=True):
            tally.add(seconds / count, truth, got)
        rate = count / seconds
        print(f"{name:36} {rate:8.2f} {rate / peer_rate:7.2f} {tally.cer:7.4f}")
    print("where one process's time went, ms a page: " + ", ".join(STAGES))
    for name, seconds in stages.items():
        print(f"{name:36} " + " ".join(f"{1000 * seconds.get(s, 0.0) / count:7.1f}" for s in STAGES))


class Workers:
    """P processes, each pinned to its share of this process's cores, holding the OCR models
    (loaded before any timing); `read` splits pages among them and times the whole."""

    def __init__(self, count: int, warm: bytes) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")  # CUDA cannot be used in a forked child
        self.pipes = []
        self.procs = []
        for index in range(count):
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(target=_worker, args=(index, count, theirs, warm), daemon=True)
            proc.start()
            theirs.close()  # so that a worker's death ends `recv` here instead of hanging it
            self.pipes.append(mine)
            self.procs.append(proc)
        for pipe in self.pipes:
            pipe.recv()  # "ready": models loaded

    def read(self, images: list[bytes], second: bool, recogniser: str = RECOGNISERS[0]
             ) -> tuple[float, list[str]]:
        parts = [list(range(i, len(images), len(self.pipes))) for i in range(len(self.pipes))]
        start = time.perf_counter()
        for pipe, part in zip(self.pipes, parts, strict=True):
            pipe.send(([images[i] for i in part], second, recogniser))
        texts = [""] * len(images)
        for pipe, part in zip(self.pipes, parts, strict=True):
            for i, text in zip(part, pipe.recv(), strict=True):
                texts[i] = text
        return time.perf_counter() - start, texts

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        for pipe in self.pipes:
            pipe.send(None)
        for proc in self.procs:
            proc.join(timeout=30)


def _worker(index: int, count: int, pipe, warm: bytes) -> None:  # pipe: multiprocessing Connection
    """Process `index` of `count` of `Workers`: pinned to its share of the cores as a service's
    worker child is (`workers.cores.pin_child`), reads the documents it is sent."""
    from pipeline.ocr import run_ocr
    from pipeline.options import Options
    from workers.cores import pin_child

    pin_child(index, count)
    run_ocr(image_document([warm]), Options())  # loads the models before any timing
    pipe.send("ready")
    while (job := pipe.recv()) is not None:
        images, second, recogniser = job
        doc = image_document(images)
        run_ocr(doc, ocr_options(second, recogniser), keep_images=False)
        pipe.send([page_text(p.words) for p in doc.pages])


def image_document(images: list[bytes]):  # -> pipeline.model.LoadedDocument
    """A document of encoded page images, each a page to OCR, as `pipeline.load` makes of a plain
    image upload. Why not `load`: it imports PyMuPDF, which a GPU machine may not have (the kit in
    bench/device carries only what OCR needs); the images' decoding is OCR's own first step."""
    from PIL import Image

    from pipeline.model import LoadedDocument, Page

    pages = []
    for i, data in enumerate(images):
        w, h = Image.open(io.BytesIO(data)).size
        pages.append(Page(index=i, width=float(w), height=float(h), text_source="ocr", needs_ocr=True,
                          image=data))
    return LoadedDocument(mime_type="image/png", pages=pages)


def known_pages(count: int, dpi: int, *, batch: bool, folder: Path | None) -> list[tuple[bytes, str]]:
    """(encoded image, its text) of the benchmark's pages: read from `folder` when it holds pages
    (written by --write-pages), else rendered and degraded here (bench.scans, PyMuPDF). Batch pages
    turn every 8th page upside down; single pages stay upright."""
    if folder is not None and any(folder.glob("page-*.txt")):
        texts = sorted(folder.glob("page-*.txt"))[:count]
        return [(t.with_suffix(".jpg").read_bytes(), t.read_text("utf-8")) for t in texts]
    from bench.scans import degrade, known_text_page, to_png

    pages = []
    for seed in range(count):
        kp = known_text_page(seed, dpi=dpi)
        turn = 180 if batch and seed % 8 == 7 else 0
        pages.append((to_png(degrade(kp.image, seed, turn=turn)), "\n".join(kp.lines)))
    return pages


def write_pages(pages: list[tuple[bytes, str]], folder: Path) -> None:
    """The pages as JPEG (quality 92: a degraded A4 page is 3-4 MB as PNG, ~0.5 MB so) and text, for
    a machine without PyMuPDF; both our path and the peer then read these same files."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    for i, (png, text) in enumerate(pages):
        Image.open(io.BytesIO(png)).convert("RGB").save(folder / f"page-{i:03d}.jpg", quality=92)
        (folder / f"page-{i:03d}.txt").write_text(text, "utf-8")
    print(f"wrote {len(pages)} pages to {folder}")


def page_text(words: list) -> str:
    """A page's words as lines of text, left to right, lines top to bottom."""
    lines: dict[int, list] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    ordered = (sorted(ws, key=lambda w: w.x0) for _, ws in sorted(lines.items()))
    return "\n".join(" ".join(w.text for w in ws) for ws in ordered)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--sides", default="1280", help="detector sizes to compare, comma separated")
    parser.add_argument("--no-accent-variant", action="store_true",
                        help="skip our run without the Tesseract second reader")
    parser.add_argument("--backends", default="onnx",
                        help="runtimes: onnx,torch; onnx/torch = ONNX detector, torch recogniser")
    parser.add_argument("--peers", default="latin5", metavar="NAME,...",
                        help="also read with these recognisers instead of the default (EasyOCR's English "
                             "one): 'latin5' is our five-language one; '' for none")
    parser.add_argument("--old-floor", action="store_true",
                        help="also run with EasyOCR's detector floors (area 10, peak 0.7, low 0.4)")
    parser.add_argument("--float-detector", action="store_true",
                        help="also run ONNX Runtime's float detector (the default is int8)")
    parser.add_argument("--batch", type=int, default=0, metavar="N",
                        help="instead: N pages as one document, pages per second (GPU when present)")
    parser.add_argument("--processes", default="", metavar="P,...",
                        help="with --batch: also read the pages in P worker processes at once, each "
                             "pinned to its share of the cores")
    parser.add_argument("--runs", default="", metavar="R,...",
                        help="with --batch: also read the document in one process in runs of R pages")
    parser.add_argument("--pages-dir", type=Path, metavar="DIR",
                        help="read the pages from DIR (written by --write-pages) instead of rendering them")
    parser.add_argument("--write-pages", type=Path, metavar="DIR",
                        help="write the pages (--pages, or --batch, of them) to DIR and stop")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    pages = known_pages(args.batch or args.pages, args.dpi, batch=bool(args.batch), folder=args.pages_dir)
    if args.write_pages:
        write_pages(pages, args.write_pages)
        return
    peers = [n for n in args.peers.split(",") if n]
    ensure_tesseract()
    if args.batch:
        batch_throughput(pages, args.batch, [int(p) for p in args.processes.split(",") if p],
                         [int(r) for r in args.runs.split(",") if r], peers)
        return
    readers: dict[str, Callable[[bytes], str]] = {"tesseract-eng": tesseract("eng")}
    for backend in args.backends.split(","):
        for side in [int(s) for s in args.sides.split(",")]:
            readers[f"ours {backend} {side}"] = ours(side, True, backend)
            if args.old_floor:
                old = ours(side, True, backend, easyocr_floors=True)
                readers[f"ours {backend} {side} easyocr-floors"] = old
            if args.float_detector:
                readers[f"ours {backend} {side} float-detector"] = ours(side, True, backend, int8=False)
            if not args.no_accent_variant:
                readers[f"ours {backend} {side} no-tesseract"] = ours(side, False, backend)
            for name in peers:
                readers[f"{name} {backend} {side}"] = ours(side, True, backend, recogniser=name)
                if not args.no_accent_variant:
                    plain = ours(side, False, backend, recogniser=name)
                    readers[f"{name} {backend} {side} no-tesseract"] = plain
    warm = time.perf_counter()
    for backend in args.backends.split(","):
        for name in [RECOGNISERS[0], *peers]:
            ours(1280, True, backend, recogniser=name)(pages[0][0])  # loads models and exports untimed
    print(f"model load + first page: {time.perf_counter() - warm:.1f} s")
    tallies = {name: Tally() for name in readers}
    for png, truth in pages:
        for name, read in readers.items():
            start = time.perf_counter()
            got = read(png)
            tallies[name].add(time.perf_counter() - start, truth, got)
    peer = tallies["tesseract-eng"]
    peer_s = statistics.median(peer.seconds)
    print(f"{len(pages)} A4 pages at {args.dpi} dpi, scanned look (skew, blur, noise, JPEG); "
          f"load average {os.getloadavg()[0]:.1f} at the end")
    print(f"{'reader':32} {'s/page':>7} {'x peer':>7} {'CER':>7} {'x peer':>7} {'CER acc':>8} {'x peer':>7}")
    for name, t in tallies.items():
        s = statistics.median(t.seconds)
        print(f"{name:32} {s:7.2f} {s / peer_s:7.2f} {t.cer:7.4f} {t.cer / max(peer.cer, 1e-9):7.2f} "
              f"{t.accent_cer:8.4f} {t.accent_cer / max(peer.accent_cer, 1e-9):7.2f}")


if __name__ == "__main__":
    main()

"""OCR speed and accuracy: our OCR stage against Tesseract on the same scanned pages, same run.

Pages are invoice-like text in EN/DE/FR/ES/NL printed with PyMuPDF (so the text is known), then
degraded like a scan (bench/scans.py). Each configuration reads every page; the script prints
seconds per page (median), character error rate (CER) over the page and over the words with
accented letters, and each figure as a ratio against the Tesseract peer.

    .venv/bin/python -m bench.ocr_speed --pages 6
    .venv/bin/python -m bench.ocr_speed --pages 4 --sides 960,1280,1600 --no-accent-variant
    .venv/bin/python -m bench.ocr_speed --batch 32      # pages per second, GPU when there is one

`--batch N` reads N pages as one document (a multi-page TIFF: the detector and recogniser batch
its pages, Tesseract reads one page per core) and prints pages per second, beside Tesseract
reading the same pages with one process per core.

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

from bench.scans import degrade, known_text_page, to_png

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


def ours(detect_side: int, second: bool, backend: str = "auto", easyocr_floors: bool = False
         ) -> Callable[[bytes], str]:
    from pipeline.load import load
    from pipeline.ocr import run_ocr
    from pipeline.options import Options

    def read(png: bytes) -> str:
        doc = load(png, Options())
        floors = {"min_component_area": 10, "text_threshold": 0.7, "low_text": 0.4} if easyocr_floors else {}
        det, _, rec = backend.partition("/")  # "onnx/torch": ONNX detector, torch recogniser
        run_ocr(doc, Options(), detect_side=detect_side, second_reader=second, backend=det,
                recogniser_backend=rec or None, **floors)
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


def batch_throughput(count: int, dpi: int) -> None:
    """N pages as one multi-page TIFF through `run_ocr` (with and without Tesseract) against
    Tesseract alone on the same pages, one process per core; pages per second and CER of each."""
    from concurrent.futures import ThreadPoolExecutor

    from PIL import Image

    from pipeline.load import load
    from pipeline.ocr import engine, run_ocr
    from pipeline.options import Options

    pages, truths = [], []
    for seed in range(count):
        kp = known_text_page(seed, dpi=dpi)
        pages.append(to_png(degrade(kp.image, seed, turn=180 if seed % 8 == 7 else 0)))
        truths.append("\n".join(kp.lines))
    frames = [Image.open(io.BytesIO(png)) for png in pages]
    tiff = io.BytesIO()
    frames[0].save(tiff, format="TIFF", save_all=True, append_images=frames[1:], compression="tiff_deflate")
    warm = time.perf_counter()
    run_ocr(load(pages[0], Options()), Options())  # loads the models outside the timings
    print(f"model load + first page: {time.perf_counter() - warm:.1f} s; device {device_name()}")

    def ours(second: bool) -> tuple[float, list[str]]:
        doc = load(tiff.getvalue(), Options())  # TIFF frames to page images: not timed
        start = time.perf_counter()
        run_ocr(doc, Options(), second_reader=second)
        seconds = time.perf_counter() - start
        return seconds, [page_text(p.words) for p in doc.pages]

    def peer() -> tuple[float, list[str]]:
        read = tesseract("eng")
        start = time.perf_counter()
        with ThreadPoolExecutor(engine.cpu_count()) as pool:
            texts = list(pool.map(read, pages))
        return time.perf_counter() - start, texts

    runs = {"tesseract-eng, a process per core": peer(), "ours": ours(True),
            "ours no-tesseract": ours(False)}
    peer_rate = count / runs["tesseract-eng, a process per core"][0]
    print(f"{count} A4 pages at {dpi} dpi as one TIFF ({count // 8} upside down: Tesseract reads them "
          f"as they are); load average {os.getloadavg()[0]:.1f} at the end")
    print(f"{'reader':36} {'pages/s':>8} {'x peer':>7} {'CER':>7}")
    for name, (seconds, texts) in runs.items():
        tally = Tally()
        for truth, got in zip(truths, texts, strict=True):
            tally.add(seconds / count, truth, got)
        rate = count / seconds
        print(f"{name:36} {rate:8.2f} {rate / peer_rate:7.2f} {tally.cer:7.4f}")


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
    parser.add_argument("--old-floor", action="store_true",
                        help="also run with EasyOCR's detector floors (area 10, peak 0.7, low 0.4)")
    parser.add_argument("--batch", type=int, default=0, metavar="N",
                        help="instead: N pages as one document, pages per second (GPU when present)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    ensure_tesseract()
    if args.batch:
        batch_throughput(args.batch, args.dpi)
        return
    readers: dict[str, Callable[[bytes], str]] = {"tesseract-eng": tesseract("eng")}
    for backend in args.backends.split(","):
        for side in [int(s) for s in args.sides.split(",")]:
            readers[f"ours {backend} {side}"] = ours(side, True, backend)
            if args.old_floor:
                old = ours(side, True, backend, easyocr_floors=True)
                readers[f"ours {backend} {side} easyocr-floors"] = old
            if not args.no_accent_variant:
                readers[f"ours {backend} {side} no-tesseract"] = ours(side, False, backend)
    pages = []
    for seed in range(args.pages):
        kp = known_text_page(seed, dpi=args.dpi)
        pages.append((to_png(degrade(kp.image, seed, turn=0)), "\n".join(kp.lines)))
    warm = time.perf_counter()
    for backend in args.backends.split(","):
        ours(1280, True, backend)(pages[0][0])  # loads the models (and the ONNX export) outside the timings
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

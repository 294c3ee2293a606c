"""Speed benchmark: whole extraction per page on born-digital PDFs, against PyMuPDF alone.

    .venv/bin/python -m bench.speed [--count 20] [--repeat 5] [--seed 7]

On one CPU (`os.sched_setaffinity`), for generated one-page invoices and the real PDFs of
../shared/data (skipped when absent), it times `process_document` and, interleaved with it on the
same bytes, the peer: PyMuPDF opening the PDF and reading every page's words
(`page.get_text("words")`), the floor any extractor built on the text layer pays. It prints the
median milliseconds per page of both and their ratio. Targets: <= 50 ms for a one-page invoice,
ratio <= 5.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

import pymupdf

from bench.data import SHARED_DATA, real_documents
from bench.synth import generate

TARGET_MS = 50.0
TARGET_RATIO = 5.0


def pin_one_cpu() -> str:
    """Run on one core so the figure does not depend on how many the machine has."""
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError):
        return "not pinned (no sched_setaffinity here)"


def peer_read(data: bytes) -> int:
    """The peer: open the PDF and read the words of every page; returns the page count."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        for page in doc:
            page.get_text("words")
        return doc.page_count


def time_pair(data: bytes, repeat: int) -> tuple[float, float, int, dict[str, float]]:
    """Median seconds per page of (pipeline, peer), measured alternately after one warm-up each,
    the page count, and the pipeline's own stage times (seconds per page) of the last run.
    """
    from pipeline import Options, process_document

    options = Options(ocr=False)
    pages = peer_read(data)
    process_document(data, options=options)
    ours, peer = [], []
    stages: dict[str, float] = {}
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = process_document(data, options=options)
        t1 = time.perf_counter()
        peer_read(data)
        t2 = time.perf_counter()
        ours.append((t1 - t0) / pages)
        peer.append((t2 - t1) / pages)
        stages = {k: v / pages for k, v in result["metadata"].get("stage_times", {}).items()}
    return statistics.median(ours), statistics.median(peer), pages, stages


Row = tuple[str, float, float, int, dict[str, float]]


def measure(docs: list[tuple[str, bytes]], repeat: int) -> list[Row]:
    """Time every document; one that makes the pipeline fail is reported and left out."""
    rows: list[Row] = []
    for doc_id, data in docs:
        try:
            rows.append((doc_id, *time_pair(data, repeat)))
        except Exception as exc:  # a crash is a bug to report, not a reason to lose the other figures
            print(f"  skipped {doc_id}: {type(exc).__name__}: {exc}")
    return rows


def summarise(name: str, rows: list[Row]) -> dict[str, Any]:
    ours = statistics.median(r[1] for r in rows) * 1000
    peer = statistics.median(r[2] for r in rows) * 1000
    worst = max(rows, key=lambda r: r[1])
    stage_names = sorted({k for r in rows for k in r[4]})
    stages = {k: round(statistics.median(r[4].get(k, 0.0) for r in rows) * 1000, 3) for k in stage_names}
    print(
        f"{name:20} {len(rows):3d} docs  pipeline {ours:7.2f} ms/page  PyMuPDF words {peer:6.2f} ms/page"
        f"  ratio {ours / peer:6.2f}   (slowest: {worst[0]} {worst[1] * 1000:.1f} ms/page)"
    )
    print(f"{'':20} median stage ms/page: " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items()))
    return {
        "documents": len(rows),
        "pipeline_ms_per_page": round(ours, 3),
        "pymupdf_ms_per_page": round(peer, 3),
        "ratio": round(ours / peer, 3),
        "stages_ms_per_page": stages,
        "per_document": {r[0]: round(r[1] * 1000, 3) for r in rows},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.speed",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--count", type=int, default=20, help="generated one-page invoices")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data", type=Path, default=SHARED_DATA)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    print(pin_one_cpu())
    synthetic = []
    index = 0
    while len(synthetic) < args.count:
        doc = generate(args.seed, index, items=1 + index % 12)
        if doc.truth["_pages"] == 1:
            synthetic.append((doc.id, doc.pdf))
        index += 1
    synth_rows = measure(synthetic, args.repeat)
    figures: dict[str, Any] = {"synthetic_one_page": summarise("synthetic one-page", synth_rows)}
    real = [(d.id, d.path.read_bytes()) for d in real_documents(args.data) if not d.is_image]
    if real:
        real_rows = measure(real, args.repeat)
        figures["real"] = summarise("real PDFs", real_rows)
        figures["all"] = summarise("all", synth_rows + real_rows)
    main_figure = figures["synthetic_one_page"]
    ok = main_figure["pipeline_ms_per_page"] <= TARGET_MS and main_figure["ratio"] <= TARGET_RATIO
    print(
        f"targets: <= {TARGET_MS:.0f} ms/page and ratio <= {TARGET_RATIO:.0f} on one-page invoices: "
        f"{'met' if ok else 'NOT met'}"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

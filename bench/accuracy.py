"""Accuracy benchmark: the pipeline against a naive peer baseline, on synthetic and real invoices.

    .venv/bin/python -m bench.accuracy [--count 60] [--seed 1] [--ocr] [--json out.json] [--errors 5]
    .venv/bin/python -m bench.accuracy --scans 8 [--seed 1] [--json out.json]

Two sets, reported separately: (a) freshly generated synthetic invoices (a temp folder, never
committed), (b) the real third-party invoices in ../shared/data (skipped when absent; images
only with --ocr, which costs ~30 s a page on CPU). For each: per-field accuracy on non-null truth,
false positives on null truth, line-item row precision/recall/F1 and per-column accuracy, and a
header-field mean, each beside the naive baseline (bench/baseline.py) run on the same files in the
same process, with the ratio pipeline / baseline.

`--scans N` measures what OCR costs instead: N synthetic invoices are scanned
(`bench.scans.scan_pdf`: 150-300 dpi, skew, blur, noise, JPEG, some pages turned; a multi-page
TIFF) and the real `*_png.png` images are paired with the born-digital PDF of the same invoice;
the pipeline runs on both copies and each figure is printed as scanned / born-digital.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.baseline import baseline_extract
from bench.data import SHARED_DATA, BenchDoc, real_documents, synthetic_documents
from bench.score import HEADER_FIELDS, DocScore, Summary, score_document

Extractor = Callable[[BenchDoc], dict[str, Any]]


def pipeline_extractor(ocr: bool) -> Extractor:
    from pipeline import Options, process_document

    options = Options(ocr=ocr)

    def run(doc: BenchDoc) -> dict[str, Any]:
        return process_document(doc.path.read_bytes(), filename=doc.path.name, options=options)

    return run


def baseline_extractor(doc: BenchDoc) -> dict[str, Any]:
    if doc.is_image:
        return {"document_type": None, "content": {}}
    return baseline_extract(doc.path.read_bytes())


def evaluate(docs: list[BenchDoc], extract: Extractor) -> tuple[list[DocScore], list[str]]:
    """Score every document; an exception counts as an empty result and is reported."""
    scores, failures = [], []
    for doc in docs:
        try:
            result = extract(doc)
        except Exception as exc:  # a crash must not hide the other documents' figures
            failures.append(f"{doc.id}: {type(exc).__name__}: {exc}")
            result = {"document_type": None, "content": {}}
        scores.append(score_document(result, doc.truth, doc.id))
    return scores, failures


def _fmt(v: float | None) -> str:
    return "   -  " if v is None else f"{v:6.3f}"


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return "   -  "
    if b == 0:
        return "   inf" if a > 0 else "   -  "
    return f"{a / b:6.2f}"


def report(title: str, ours: Summary, base: Summary) -> list[str]:
    out = [
        f"== {title}: {ours.docs} documents ==",
        f"{'field':28} {'n':>4} {'pipeline':>8} {'baseline':>8} {'ratio':>6} {'fp pipe':>8} {'fp base':>8}",
    ]
    for name in HEADER_FIELDS:
        c = ours.fields.get(name)
        if not c:
            continue
        b = base.fields.get(name, {})
        n = c["correct"] + c["wrong"]
        nulls = c["fp"] + c["tn"]
        out.append(
            f"{name:28} {n:4d} {_fmt(ours.accuracy(name)):>8} {_fmt(base.accuracy(name)):>8} "
            f"{_ratio(ours.accuracy(name), base.accuracy(name)):>6} "
            f"{c['fp']:>3}/{nulls:<4} {b.get('fp', 0):>3}/{nulls:<4}"
        )
    hm_o, hm_b = ours.header_mean, base.header_mean
    out.append(f"{'HEADER MEAN':28} {'':4} {_fmt(hm_o):>8} {_fmt(hm_b):>8} {_ratio(hm_o, hm_b):>6}")
    fo, no = ours.false_positives
    fb, _ = base.false_positives
    out.append(f"{'false positives / null truth':28} {'':4} {fo:>4}/{no:<4} {fb:>4}/{no:<4}")
    po, ro, f1o = ours.row_prf
    pb, rb, f1b = base.row_prf
    out.append(
        f"{'LINE ITEMS row F1':28} {ours.rows[2]:4d} {_fmt(f1o):>8} {_fmt(f1b):>8} {_ratio(f1o, f1b):>6}"
        f"   (pipeline P {po:.3f} R {ro:.3f}; baseline P {pb:.3f} R {rb:.3f})"
    )
    for col, (hits, total) in sorted(ours.columns.items()):
        bh = base.columns.get(col, [0, 0])[0]
        out.append(
            f"  column {col:19} {total:4d} {_fmt(hits / total if total else None):>8} "
            f"{_fmt(bh / total if total else None):>8}"
        )
    return out


def error_lines(scores: list[DocScore], limit: int) -> list[str]:
    out = []
    for s in scores:
        if s.details and limit:
            limit -= 1
            shown = "; ".join(f"{k}: truth={t!r} got={p!r}" for k, (t, p) in list(s.details.items())[:6])
            out.append(f"  {s.id}: {shown}")
    return out


def run_set(title: str, docs: list[BenchDoc], ours: Extractor, errors: int) -> dict[str, Any]:
    start = time.perf_counter()
    our_scores, failures = evaluate(docs, ours)
    elapsed = time.perf_counter() - start
    base_scores, _ = evaluate(docs, baseline_extractor)
    s_ours, s_base = Summary(), Summary()
    for s in our_scores:
        s_ours.add(s)
    for s in base_scores:
        s_base.add(s)
    lines = report(title, s_ours, s_base)
    lines.append(f"  pipeline time {elapsed:.1f} s for {len(docs)} documents; {len(failures)} failed")
    lines += [f"  FAILED {f}" for f in failures[:10]]
    if errors:
        lines += error_lines(our_scores, errors)
    print("\n".join(lines), flush=True)
    return {
        "pipeline": s_ours.to_json(),
        "baseline": s_base.to_json(),
        "failures": failures,
        "pipeline_seconds": round(elapsed, 2),
    }


def scan_pairs(folder: Path, count: int, seed: int, data: Path) -> list[tuple[BenchDoc, BenchDoc]]:
    """(born-digital, scanned) copies of the same documents: synthetic PDFs with their scans written
    to `folder`, then the real images with the PDF of the same invoice (when it has one)."""
    from bench.scans import scan_pdf

    pairs = []
    for i, doc in enumerate(synthetic_documents(folder, count, seed) if count else []):
        tiff = folder / f"{doc.id}.scan.tif"
        tiff.write_bytes(scan_pdf(doc.path.read_bytes(), seed * 100 + i))
        pairs.append((doc, BenchDoc(doc.id + "#scan", tiff, doc.truth_path)))
    by_id = {d.id: d for d in real_documents(data, images=True)}
    for doc_id, doc in sorted(by_id.items()):
        digital = by_id.get(doc_id.removesuffix("_png"))
        if doc.is_image and digital is not None and not digital.is_image:
            pairs.append((digital, doc))
    return pairs


def scans_report(title: str, digital: Summary, scanned: Summary) -> list[str]:
    out = [f"== {title}: {scanned.docs} documents, scanned vs born-digital ==",
           f"{'field':28} {'n':>4} {'scanned':>8} {'digital':>8} {'ratio':>6}"]
    for name in HEADER_FIELDS:
        c = scanned.fields.get(name)
        if c and c["correct"] + c["wrong"]:
            a, b = scanned.accuracy(name), digital.accuracy(name)
            n = c["correct"] + c["wrong"]
            out.append(f"{name:28} {n:4d} {_fmt(a):>8} {_fmt(b):>8} {_ratio(a, b):>6}")
    a, b = scanned.header_mean, digital.header_mean
    out.append(f"{'HEADER MEAN':28} {'':4} {_fmt(a):>8} {_fmt(b):>8} {_ratio(a, b):>6}")
    fs, nulls = scanned.false_positives
    fd, _ = digital.false_positives
    out.append(f"{'false positives / null truth':28} {'':4} {fs:>4}/{nulls:<4} {fd:>4}/{nulls:<4}")
    (ps, rs, f1s), (pd, rd, f1d) = scanned.row_prf, digital.row_prf
    rows = scanned.rows[2]
    out.append(f"{'LINE ITEMS row F1':28} {rows:4d} {_fmt(f1s):>8} {_fmt(f1d):>8} {_ratio(f1s, f1d):>6}"
               f"   (scanned P {ps:.3f} R {rs:.3f}; digital P {pd:.3f} R {rd:.3f})")
    return out


def run_scans(title: str, pairs: list[tuple[BenchDoc, BenchDoc]], errors: int) -> dict[str, Any]:
    """Score the pipeline on both copies of each document; the born-digital copy is the peer."""
    ours = pipeline_extractor(ocr=True)
    start = time.perf_counter()
    scan_scores, failures = evaluate([s for _, s in pairs], ours)
    elapsed = time.perf_counter() - start
    digital_scores, digital_failures = evaluate([d for d, _ in pairs], ours)
    s_scan, s_digital = Summary(), Summary()
    for s in scan_scores:
        s_scan.add(s)
    for s in digital_scores:
        s_digital.add(s)
    lines = scans_report(title, s_digital, s_scan)
    lines.append(f"  scanned copies: {elapsed:.1f} s for {len(pairs)} documents; "
                 f"{len(failures)} failed ({len(digital_failures)} born-digital)")
    lines += [f"  FAILED {f}" for f in (failures + digital_failures)[:10]]
    if errors:
        lines += error_lines(scan_scores, errors)
    print("\n".join(lines), flush=True)
    return {"scanned": s_scan.to_json(), "digital": s_digital.to_json(), "failures": failures,
            "scanned_seconds": round(elapsed, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.accuracy",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--count", type=int, default=60, help="synthetic documents (0: none)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=SHARED_DATA, help="folder of real documents with truth")
    parser.add_argument("--no-real", action="store_true", help="skip the real documents")
    parser.add_argument("--ocr", action="store_true", help="also run image documents through OCR")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--errors", type=int, default=0, help="show mismatches of this many documents")
    parser.add_argument("--scans", type=int, metavar="N",
                        help="scans mode: N scanned synthetic invoices + the real images vs born-digital")
    args = parser.parse_args(argv)
    try:
        ours = pipeline_extractor(args.ocr)
    except ImportError as exc:
        print(f"the pipeline cannot be imported yet: {exc}", file=sys.stderr)
        return 2
    figures: dict[str, Any] = {"seed": args.seed}
    if args.scans is not None:
        with tempfile.TemporaryDirectory(prefix="invoice-ocr-scans-") as tmp:
            pairs = scan_pairs(Path(tmp), args.scans, args.seed, args.data)
            synth = [p for p in pairs if p[1].path.suffix == ".tif"]
            real = [p for p in pairs if p[1].path.suffix != ".tif"]
            if synth:
                title = f"synthetic scans (seed {args.seed})"
                figures["scans_synthetic"] = run_scans(title, synth, args.errors)
            if real:
                figures["scans_real"] = run_scans(f"real images ({args.data})", real, args.errors)
        if args.json:
            args.json.write_text(json.dumps(figures, indent=1) + "\n")
        return 0
    if args.count:
        with tempfile.TemporaryDirectory(prefix="invoice-ocr-synth-") as tmp:
            docs = synthetic_documents(Path(tmp), args.count, args.seed)
            figures["synthetic"] = run_set(f"synthetic (seed {args.seed})", docs, ours, args.errors)
    if not args.no_real:
        docs = real_documents(args.data, images=args.ocr)
        if docs:
            figures["real"] = run_set(f"real ({args.data})", docs, ours, args.errors)
        else:
            print(f"== real: no documents in {args.data}; skipped ==")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

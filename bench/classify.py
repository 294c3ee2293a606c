"""Classification accuracy: how often `pipeline.classify` names the right document type.

    .venv/bin/python -m bench.classify [--count 40] [--seed 7] [--json out.json]

Documents: freshly generated receipts, purchase orders, delivery notes, bank statements and
payslips (bench.doctypes) and invoices (bench.synth), `count` of each, five languages; plus the
real invoices of ../shared/data when present (reported separately). Prints per-type accuracy, a
confusion matrix, and the mean confidence of right and wrong answers (a useful classifier is less
sure when it is wrong).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from typing import Any

from pipeline import Options
from pipeline.classify import classify
from pipeline.load import load


def _synthetic(count: int, seed: int) -> list[tuple[str, str, bytes]]:
    from bench.doctypes import DOC_TYPES, generate
    from bench.synth import generate as generate_invoice

    docs = []
    for doc_type in DOC_TYPES:
        for i in range(count):
            d = generate(doc_type, seed, i)
            docs.append((d.id, doc_type, d.pdf))
    for i in range(count):
        inv = generate_invoice(seed, i)
        docs.append((inv.id, "invoice", inv.pdf))
    return docs


def _real() -> list[tuple[str, str, bytes]]:
    from bench.data import real_documents

    out = []
    for doc in real_documents():
        truth = doc.truth
        expected = truth.get("document_type") or "invoice"
        if expected == "credit_note":
            expected = "credit_note"
        out.append((doc.id, expected, doc.path.read_bytes()))
    return out


def evaluate(docs: list[tuple[str, str, bytes]]) -> dict[str, Any]:
    """Accuracy per expected type, the confusion counts, and the errors."""
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    conf_right, conf_wrong, errors = [], [], []
    for doc_id, expected, data in docs:
        got, confidence = classify(load(data, Options()))
        confusion[expected][got] += 1
        if got == expected:
            conf_right.append(confidence)
        else:
            conf_wrong.append(confidence)
            errors.append(f"{doc_id}: expected {expected}, got {got} ({confidence:.2f})")
    per_type = {t: c[t] / sum(c.values()) for t, c in confusion.items()}
    total = sum(sum(c.values()) for c in confusion.values())
    right = sum(c[t] for t, c in confusion.items())
    return {
        "documents": total,
        "accuracy": right / total if total else None,
        "per_type": per_type,
        "confusion": {t: dict(c) for t, c in confusion.items()},
        "mean_confidence_right": sum(conf_right) / len(conf_right) if conf_right else None,
        "mean_confidence_wrong": sum(conf_wrong) / len(conf_wrong) if conf_wrong else None,
        "errors": errors,
    }


def _print(title: str, r: dict[str, Any]) -> None:
    print(f"== {title}: {r['documents']} documents, accuracy {r['accuracy']:.3f} ==")
    for t, acc in sorted(r["per_type"].items()):
        wrong = {k: v for k, v in r["confusion"][t].items() if k != t}
        print(f"  {t:16} {acc:6.3f}  {('confused with ' + str(wrong)) if wrong else ''}")
    right, wrong = r["mean_confidence_right"], r["mean_confidence_wrong"]
    print(
        f"  mean confidence: right {right if right is None else round(right, 3)}, "
        f"wrong {wrong if wrong is None else round(wrong, 3)}"
    )
    for e in r["errors"][:10]:
        print("   ", e)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=40, help="documents per type")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)
    results = {"synthetic": evaluate(_synthetic(args.count, args.seed))}
    real = _real()
    if real:
        results["real"] = evaluate(real)
    for name, r in results.items():
        _print(name, r)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())

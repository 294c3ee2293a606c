"""Field accuracy of the receipt, purchase-order, delivery-note, bank-statement and payslip extractors.

    .venv/bin/python -m bench.doctypes [--count 20] [--seed 11] [--types receipt,payslip] [--errors 3]

Generates `count` fresh documents per type (bench.doctypes; pick a seed the extractors were not
tuned on), runs the whole pipeline with the type auto-detected, and scores with bench.score's
conventions: header fields on non-null truth (accuracy) and on null truth (false positives, shown
apart); numbers within 0.005, dates exact, names by containment, addresses by word F1 >= 0.8, other
strings normalised. List fields (items, line items, transactions, earnings, deductions) are scored
as rows: a predicted row matches a truth row when every non-null truth cell matches; rows pair
one-to-one (maximum matching), giving precision, recall and F1.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from typing import Any

from bench.doctypes import DOC_TYPES, generate
from bench.score import address_match, contained, max_matching, norm_text, numbers_match

LIST_FIELDS = ("items", "line_items", "transactions", "earnings", "deductions", "tax_breakdown")
NAME_KEYS = ("name", "bank_name", "account_holder", "carrier", "cashier", "contact", "description")


def _leaves(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in tree.items():
        if k in LIST_FIELDS or k == "document_type":
            continue
        if isinstance(v, dict):
            out.update(_leaves(v, f"{prefix}{k}."))
        else:
            out[prefix + k] = v
    return out


def _get(tree: Any, path: str) -> Any:
    for part in path.split("."):
        tree = tree.get(part) if isinstance(tree, dict) else None
    return tree


def value_match(path: str, truth: Any, pred: Any) -> bool:
    """bench.score's rules, chosen by the field's kind (numbers, dates, names, addresses, codes)."""
    if pred is None or pred == "":
        return False
    last = path.rsplit(".", 1)[-1]
    if isinstance(truth, bool) or isinstance(pred, bool):
        return truth is pred
    if isinstance(truth, (int, float)):
        return numbers_match(truth, pred)
    if last in NAME_KEYS:
        return contained(truth, pred)
    if "address" in last:
        return address_match(truth, pred)
    return norm_text(truth) == norm_text(pred) and norm_text(truth) != ""


def _row_ok(t: dict[str, Any], p: dict[str, Any]) -> bool:
    return all(v is None or value_match(k, v, p.get(k)) for k, v in t.items())


def score(
    result: dict[str, Any], truth: dict[str, Any], counts: dict[str, list[int]], rows: list[int]
) -> list[str]:
    """Add one document's outcome to `counts` (field -> [correct, non-null, fp, null]) and `rows`
    ([matched, predicted, truth]); return the wrong fields for the error listing."""
    content = result.get("content") or {}
    wrong = []
    c = counts["document_type"]
    c[1] += 1
    if result.get("document_type") == truth["document_type"]:
        c[0] += 1
    else:
        wrong.append(f"document_type: {result.get('document_type')}")
    for path, t in _leaves(truth).items():
        p = _get(content, path)
        c = counts[path]
        if t is None:
            c[3] += 1
            if p not in (None, ""):
                c[2] += 1
                wrong.append(f"{path}: fp {p!r}")
        else:
            c[1] += 1
            if value_match(path, t, p):
                c[0] += 1
            else:
                wrong.append(f"{path}: {p!r} != {t!r}")
    for key in LIST_FIELDS:
        if key not in truth:
            continue
        t_rows, p_rows = truth[key] or [], content.get(key) or []
        pairs = max_matching(
            len(t_rows), len(p_rows), lambda i, j, t=t_rows, p=p_rows: _row_ok(t[i], p[j])
        )
        rows[0] += len(pairs)
        rows[1] += len(p_rows)
        rows[2] += len(t_rows)
        if len(pairs) < max(len(t_rows), len(p_rows)):
            wrong.append(f"{key}: {len(pairs)} of {len(t_rows)} truth rows matched, {len(p_rows)} predicted")
    return wrong


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--types", default=",".join(DOC_TYPES))
    parser.add_argument("--errors", type=int, default=3, help="list the wrong fields of this many documents")
    args = parser.parse_args(argv)
    from pipeline import process_document

    for doc_type in args.types.split(","):
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        rows = [0, 0, 0]
        shown = 0
        errors = []
        for i in range(args.count):
            d = generate(doc_type, args.seed, i)
            try:
                result = process_document(d.pdf, filename=d.id + ".pdf")
            except Exception as exc:  # one crash must not hide the other documents' figures
                errors.append(f"{d.id}: {type(exc).__name__}: {exc}")
                result = {"content": {}}
            wrong = score(result, d.truth, counts, rows)
            if wrong and shown < args.errors:
                shown += 1
                errors.append(f"{d.id}: " + "; ".join(wrong[:8]))
        acc = [c[0] / c[1] for c in counts.values() if c[1]]
        print(f"== {doc_type}: {args.count} documents, seed {args.seed} ==")
        print(f"{'field':34} {'n':>4} {'acc':>6} {'fp':>6}")
        for name, (ok, n, fp, null) in sorted(counts.items()):
            a = f"{ok / n:6.3f}" if n else "   -  "
            f = f"{fp / null:6.3f}" if null else "   -  "
            print(f"{name:34} {n:4d} {a} {f}")
        precision = rows[0] / rows[1] if rows[1] else 0.0
        recall = rows[0] / rows[2] if rows[2] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(
            f"header-field mean accuracy {sum(acc) / len(acc):.3f}; "
            f"rows P {precision:.3f} R {recall:.3f} F1 {f1:.3f}"
        )
        for e in errors:
            print("   ", e)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Score an extraction result (the output contract) against a truth file.

Rules, chosen so a score means the same thing for synthetic and real documents:

* Header fields: only the fields of `HEADER_FIELDS` that the truth covers. A truth file covers
  every such key it has, except invoice2data truth, which covers only the fields listed in
  `_fields`. Keys starting with `_` are metadata and never scored; truth keys outside the schema
  (e.g. `amount_due`) are ignored.
* Non-null truth: the field is *correct* when the predicted value matches after normalisation,
  else *wrong* (a missing prediction is wrong too). Accuracy = correct / non-null truth.
* Null truth ("not on the document"): a predicted value is a *false positive*, `null` is a true
  negative. False positives are reported separately (fp / null truth), never mixed into accuracy.
* Matching: numbers within 0.005; dates as exact ISO strings; codes (currency, language, type)
  case-insensitively; identifiers (numbers, IBAN, VAT ids) ignoring case, spaces and punctuation;
  names by containment after that normalisation (either way, the shorter at least half as long
  as the longer); addresses by word-set F1 >= 0.8.
* Line items: a predicted row matches a truth row when the description matches (normalised
  containment, the shorter at least half the longer, or similarity >= 0.8) and quantity, unit price
  and total match, over those of the four the truth's `_columns` cover (a null truth cell is not
  required). Rows are paired one-to-one by maximum bipartite matching; precision, recall and F1
  follow. Per-column accuracy pairs rows (fully matching rows first, the rest by description) and
  counts, per column in `_columns`, the truth's non-null cells that the paired prediction gets right.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from difflib import SequenceMatcher
from typing import Any

NUMBER_FIELDS = {"total", "subtotal", "tax_amount"}
DATE_FIELDS = {"invoice_date", "due_date"}
CODE_FIELDS = {"currency", "language", "document_type"}
NAME_FIELDS = {"vendor.name", "customer.name", "bank_details.bank_name"}
ADDRESS_FIELDS = {"vendor.address", "customer.address"}
ID_FIELDS = {
    "invoice_number",
    "purchase_order_number",
    "vendor.tax_id",
    "customer.tax_id",
    "customer.customer_number",
    "bank_details.iban",
    "bank_details.bic",
    "bank_details.account_number",
    "bank_details.routing_number",
}
HEADER_FIELDS: tuple[str, ...] = (
    "document_type",
    "language",
    "invoice_number",
    "invoice_date",
    "due_date",
    "currency",
    "vendor.name",
    "vendor.address",
    "vendor.tax_id",
    "customer.name",
    "customer.address",
    "customer.tax_id",
    "customer.customer_number",
    "purchase_order_number",
    "bank_details.iban",
    "bank_details.bic",
    "bank_details.account_number",
    "bank_details.routing_number",
    "subtotal",
    "tax_amount",
    "total",
)
ROW_CORE = ("description", "quantity", "unit_price", "total")


def _fold(value: Any) -> str:
    text = str(value).replace("ß", "ss").replace("Æ", "AE").replace("æ", "ae").replace("ø", "o")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def norm_text(value: Any) -> str:
    """Lower case, accents folded (ß as ss), everything but letters and digits removed."""
    s = _fold(value)
    return re.sub(r"[^a-z0-9]", "", s)


def _words(value: Any) -> list[str]:
    s = _fold(value)
    return re.findall(r"[a-z0-9]+", s)


def _to_float(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def numbers_match(truth: Any, pred: Any) -> bool:
    t, p = _to_float(truth), _to_float(pred)
    return t is not None and p is not None and abs(t - p) <= 0.005


def contained(truth: Any, pred: Any) -> bool:
    """Normalised containment either way, the shorter at least half as long as the longer."""
    t, p = norm_text(truth), norm_text(pred)
    if not t or not p:
        return False
    short, long_ = sorted((t, p), key=len)
    return short in long_ and len(short) * 2 >= len(long_)


def address_match(truth: Any, pred: Any) -> bool:
    t, p = set(_words(truth)), set(_words(pred))
    if not t or not p:
        return False
    common = len(t & p)
    return 2 * common / (len(t) + len(p)) >= 0.8


def description_match(truth: Any, pred: Any) -> bool:
    if truth is None:
        return True
    if pred is None:
        return False
    if contained(truth, pred):
        return True
    # A printed cell often holds the item name followed by sub-lines (period, notes) that a truth
    # taken from XML or a template leaves out: the name must then open the predicted description.
    t, p = norm_text(truth), norm_text(pred)
    if len(t) >= 3 and p.startswith(t):
        return True
    return SequenceMatcher(None, " ".join(_words(truth)), " ".join(_words(pred))).ratio() >= 0.8


def field_match(name: str, truth: Any, pred: Any) -> bool:
    """Does `pred` count as the right value for field `name` (dotted path)?"""
    if pred is None or pred == "":
        return False
    if name in NUMBER_FIELDS:
        return numbers_match(truth, pred)
    if name in DATE_FIELDS:
        return str(truth)[:10] == str(pred)[:10]
    if name in CODE_FIELDS:
        return str(truth).strip().lower() == str(pred).strip().lower()
    if name in NAME_FIELDS:
        return contained(truth, pred)
    if name in ADDRESS_FIELDS:
        return address_match(truth, pred)
    return norm_text(truth) == norm_text(pred) and norm_text(truth) != ""


def get_path(tree: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(tree, dict):
            return None
        tree = tree.get(part)
    return tree


def covered_fields(truth: dict[str, Any]) -> list[str]:
    """The header fields this truth file speaks about (see the module docstring)."""
    if "_fields" in truth:
        listed = set(truth["_fields"])
        return [f for f in HEADER_FIELDS if f in listed]
    return [f for f in HEADER_FIELDS if _has_path(truth, f)]


def _has_path(tree: Any, path: str) -> bool:
    for part in path.split("."):
        if not isinstance(tree, dict) or part not in tree:
            return False
        tree = tree[part]
    return True


def _predicted(result: dict[str, Any], name: str) -> Any:
    if name == "document_type":
        return result.get("document_type")
    return get_path(result.get("content") or {}, name)


def max_matching(n_left: int, n_right: int, ok: Callable[[int, int], bool]) -> list[tuple[int, int]]:
    """Maximum bipartite matching (augmenting paths); pairs (left, right). Optimal for 0/1 weights."""
    adj = [[j for j in range(n_right) if ok(i, j)] for i in range(n_left)]
    owner: list[int | None] = [None] * n_right

    def augment(i: int, seen: set[int]) -> bool:
        for j in adj[i]:
            if j in seen:
                continue
            seen.add(j)
            if owner[j] is None or augment(owner[j], seen):  # type: ignore[arg-type]
                owner[j] = i
                return True
        return False

    for i in range(n_left):
        augment(i, set())
    return [(i, j) for j, i in enumerate(owner) if i is not None]


@dataclass(slots=True)
class DocScore:
    id: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> correct|wrong|fp|tn
    details: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # name -> (truth, predicted) if not ok
    rows_matched: int = 0
    rows_predicted: int = 0
    rows_truth: int = 0
    columns: dict[str, list[int]] = field(default_factory=dict)  # column -> [hits, truth cells]


def row_columns(truth: dict[str, Any]) -> list[str]:
    cols = truth.get("_columns")
    if cols is None:
        cols = list(ROW_CORE)
    return list(cols)


def _row_ok(t: dict[str, Any], p: dict[str, Any], core: Iterable[str]) -> bool:
    for col in core:
        tv = t.get(col)
        if tv is None:
            continue
        if col == "description":
            if not description_match(tv, p.get(col)):
                return False
        elif not numbers_match(tv, p.get(col)):
            return False
    return True


def _cell_ok(col: str, tv: Any, pv: Any) -> bool:
    if col == "description":
        return description_match(tv, pv)
    if _to_float(tv) is not None and not isinstance(tv, str):
        return numbers_match(tv, pv)
    return pv is not None and norm_text(tv) == norm_text(pv)


def score_document(result: dict[str, Any], truth: dict[str, Any], doc_id: str = "") -> DocScore:
    """Score one result against one truth (both as loaded from JSON)."""
    score = DocScore(id=doc_id)
    for name in covered_fields(truth):
        t = truth.get("document_type") if name == "document_type" else get_path(truth, name)
        p = _predicted(result, name)
        if t is None:
            status = "tn" if p in (None, "") else "fp"
        else:
            status = "correct" if field_match(name, t, p) else "wrong"
        score.fields[name] = status
        if status in ("wrong", "fp"):
            score.details[name] = (t, p)
    truth_rows = truth.get("line_items") or []
    pred_rows = (result.get("content") or {}).get("line_items") or []
    cols = row_columns(truth)
    # `_columns: []` means the truth's source never covered line items (invoice2data templates
    # without a lines section): there is nothing to score rows against, so none count either way.
    if cols and (truth_rows or pred_rows):
        core = [c for c in ROW_CORE if c in cols]
        pairs = max_matching(
            len(truth_rows), len(pred_rows), lambda i, j: _row_ok(truth_rows[i], pred_rows[j], core)
        )
        score.rows_matched, score.rows_predicted, score.rows_truth = (
            len(pairs),
            len(pred_rows),
            len(truth_rows),
        )
        # Per-column pairing: rows that match fully first, then the rest by description alone.
        paired = dict(pairs)
        rest_t = [i for i in range(len(truth_rows)) if i not in paired]
        taken = set(paired.values())
        rest_p = [j for j in range(len(pred_rows)) if j not in taken]
        by_desc = max_matching(
            len(rest_t),
            len(rest_p),
            lambda a, b: description_match(
                truth_rows[rest_t[a]].get("description"), pred_rows[rest_p[b]].get("description")
            ),
        )
        paired.update((rest_t[a], rest_p[b]) for a, b in by_desc)
        for col in cols:
            hits = total = 0
            for i, t in enumerate(truth_rows):
                if t.get(col) is None:
                    continue
                total += 1
                if i in paired and _cell_ok(col, t[col], pred_rows[paired[i]].get(col)):
                    hits += 1
            score.columns[col] = [hits, total]
    return score


@dataclass(slots=True)
class Summary:
    """Aggregate over documents: per-field counts, row F1 (micro), per-column accuracy."""

    docs: int = 0
    fields: dict[str, dict[str, int]] = field(default_factory=dict)
    rows: list[int] = field(default_factory=lambda: [0, 0, 0])  # matched, predicted, truth
    columns: dict[str, list[int]] = field(default_factory=dict)

    def add(self, s: DocScore) -> None:
        self.docs += 1
        for name, status in s.fields.items():
            counts = self.fields.setdefault(name, {"correct": 0, "wrong": 0, "fp": 0, "tn": 0})
            counts[status] += 1
        self.rows[0] += s.rows_matched
        self.rows[1] += s.rows_predicted
        self.rows[2] += s.rows_truth
        for col, (hits, total) in s.columns.items():
            c = self.columns.setdefault(col, [0, 0])
            c[0] += hits
            c[1] += total

    def accuracy(self, name: str) -> float | None:
        c = self.fields.get(name)
        if not c or c["correct"] + c["wrong"] == 0:
            return None
        return c["correct"] / (c["correct"] + c["wrong"])

    @property
    def header_mean(self) -> float | None:
        """Mean of the per-field accuracies (each field weighs the same)."""
        accs = [a for a in (self.accuracy(n) for n in HEADER_FIELDS) if a is not None]
        return sum(accs) / len(accs) if accs else None

    @property
    def false_positives(self) -> tuple[int, int]:
        fp = sum(c["fp"] for c in self.fields.values())
        return fp, fp + sum(c["tn"] for c in self.fields.values())

    @property
    def row_prf(self) -> tuple[float, float, float]:
        matched, predicted, truth = self.rows
        p = matched / predicted if predicted else (1.0 if not truth else 0.0)
        r = matched / truth if truth else (1.0 if not predicted else 0.0)
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.docs,
            "header_mean": self.header_mean,
            "fields": {n: {**c, "accuracy": self.accuracy(n)} for n, c in self.fields.items()},
            "false_positives": dict(zip(("fp", "null_truth"), self.false_positives, strict=True)),
            "rows": dict(zip(("precision", "recall", "f1"), self.row_prf, strict=True))
            | dict(zip(("matched", "predicted", "truth"), self.rows, strict=True)),
            "columns": {
                c: {"hits": h, "cells": t, "accuracy": h / t if t else None}
                for c, (h, t) in self.columns.items()
            },
        }


def summarise(scores: Iterable[DocScore]) -> Summary:
    summary = Summary()
    for s in scores:
        summary.add(s)
    return summary


# ------------------------------------------------------------------------ exact values (issue 7)

CENT = Decimal("0.01")
EXACT_ROW_LISTS = ("line_items", "tax_breakdown")


def _cents(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return None


def exact_equal(name: str, truth: Any, pred: Any) -> bool:
    """Issue 7's "exact": numbers equal to the cent, dates as the same ISO string, text equal after
    whitespace normalisation (runs collapsed; case, accents and punctuation count).

    Identifiers (`ID_FIELDS`: IBAN, BIC, tax ids, numbers) compare with all whitespace removed,
    because their spaces are print grouping, not part of the value: an IBAN printed in groups of
    four is the same IBAN as its electronic form (ISO 13616), which is what the pipeline returns.
    """
    if pred is None:
        return False
    if isinstance(truth, (int, float)) and not isinstance(truth, bool):
        return _cents(truth) is not None and _cents(truth) == _cents(pred)
    if name.rsplit(".", 1)[-1] in DATE_FIELDS or name in DATE_FIELDS:
        return str(truth) == str(pred)
    t, p = " ".join(str(truth).split()), " ".join(str(pred).split())
    if name in ID_FIELDS:
        t, p = t.replace(" ", ""), p.replace(" ", "")
    if name.endswith(".address") and t != p:
        # An embedded XML may hold address lines the page does not print ("Seller line 3"); the
        # XML is the legal record, so the pipeline keeps them (and the cross-check reports them).
        # The printed lines must all be there, exactly and in order.
        return _subsequence([part.strip() for part in t.split(",")], [part.strip() for part in p.split(",")])
    return t == p


def _subsequence(needles: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(n == h for h in it) for n in needles)


def _exact_leaves(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in tree.items():
        if key.startswith("_") or key in EXACT_ROW_LISTS:
            continue
        if isinstance(value, dict):
            out.update(_exact_leaves(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = value
    return out


def _pair_rows(t_rows: list[dict[str, Any]], p_rows: list[dict[str, Any]]) -> dict[int, int]:
    """Truth row -> predicted row: one-to-one, each truth row (in order) taking the unused predicted
    row that agrees exactly on the most of its non-null cells (at least one). Exactness must not
    depend on row order, and a row the prediction lacks must show as misses, not vanish."""
    used: set[int] = set()
    out: dict[int, int] = {}
    for i, t in enumerate(t_rows):
        best, best_hits = None, 0
        for j, p in enumerate(p_rows):
            if j in used:
                continue
            hits = sum(1 for k, v in t.items() if v is not None and exact_equal(k, v, p.get(k)))
            if hits > best_hits:
                best, best_hits = j, hits
        if best is not None:
            used.add(best)
            out[i] = best
    return out


def exact_mismatches(
    result: dict[str, Any], truth: dict[str, Any], contract: set[str] | None = None
) -> list[tuple[str, Any, Any]]:
    """Every non-null truth value the result does not reproduce exactly: (path, truth, predicted).

    Truth files null what the page does not print, so the non-null values are the printed ones.
    invoice2data truth covers only its `_fields` and `_columns`; other truth covers every key.
    `contract` (the content schema's top-level names) leaves out truth keys the output contract has
    no place for (`amount_due`); they are not the pipeline's to reproduce.
    """
    content = result.get("content") or {}
    misses: list[tuple[str, Any, Any]] = []
    leaves = _exact_leaves(truth)
    if "_fields" in truth:
        leaves = {k: v for k, v in leaves.items() if k in set(truth["_fields"])}
    for path, t in leaves.items():
        if t is None or (contract is not None and path.split(".")[0] not in contract | {"document_type"}):
            continue
        p = result.get("document_type") if path == "document_type" else get_path(content, path)
        if not exact_equal(path, t, p):
            misses.append((path, t, p))
    for key in EXACT_ROW_LISTS:
        t_rows = truth.get(key) or []
        if not t_rows or (contract is not None and key not in contract):
            continue
        cols = truth.get("_columns") if key == "line_items" and "_fields" in truth else None
        p_rows = content.get(key) or []
        paired = _pair_rows(t_rows, p_rows)
        for i, t in enumerate(t_rows):
            p = p_rows[paired[i]] if i in paired else {}
            for col, tv in t.items():
                if tv is None or (cols is not None and col not in cols):
                    continue
                if not exact_equal(col, tv, p.get(col)):
                    misses.append((f"{key}[{i}].{col}", tv, p.get(col)))
    return misses

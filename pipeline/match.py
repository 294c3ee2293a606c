"""Three-way matching: does an invoice bill what was ordered (purchase order) and what arrived
(delivery note)?

Inputs are output-contract results (the whole envelope or just its `content`) of an invoice, a
purchase order and optionally a delivery note. Lines are paired by article number first, then by
description similarity; then the usual accounts-payable rules apply, each as a named check:

* invoiced quantity <= delivered quantity (when a delivery note is given), else an error;
* invoiced quantity <= ordered quantity, else an error;
* invoiced unit price = ordered unit price (0.5 % or one cent), else an error;
* an invoice line that is on no order is an error; an order line not (yet) invoiced or not
  (fully) delivered is information, because partial deliveries are billed as they arrive;
* references (the invoice's PO number, the delivery note's order number), supplier name and
  currency agree; the invoice's net amount equals invoiced quantities at ordered prices.

`status` is "mismatch" when any error was found, "partial" when only partial delivery or partial
billing was, else "matched". Nothing here reads documents: it compares typed values, so the same
function serves the API, the CLI and library callers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from typing import Any

from pipeline.normalize.amounts import CENT

PRICE_TOLERANCE = Decimal("0.005")  # relative
ERROR_CODES = frozenset(
    {
        "invoiced_more_than_delivered",
        "invoiced_more_than_ordered",
        "price_mismatch",
        "not_ordered",
        "reference_mismatch",
        "supplier_mismatch",
        "currency_mismatch",
        "amount_mismatch",
        "credit_note",
    }
)


def _content(doc: dict[str, Any] | None) -> dict[str, Any]:
    if not doc:
        return {}
    return doc.get("content") if isinstance(doc.get("content"), dict) else doc


def _dec(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _norm(text: Any) -> str:
    s = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", s)


def _words(text: Any) -> set[str]:
    s = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode().lower()
    return {w for w in re.findall(r"[a-z0-9]+", s) if len(w) > 1}


def _similarity(a: Any, b: Any) -> float:
    """Description likeness in [0, 1]: the better of word overlap and character similarity."""
    if not a or not b:
        return 0.0
    wa, wb = _words(a), _words(b)
    jaccard = len(wa & wb) / len(wa | wb) if wa | wb else 0.0
    return max(jaccard, SequenceMatcher(None, _norm(a), _norm(b)).ratio())


@dataclass(slots=True)
class _Line:
    index: int
    article: str
    description: str | None
    quantity: Decimal | None
    unit_price: Decimal | None
    total: Decimal | None
    extra: dict[str, Any] = field(default_factory=dict)


def _invoice_lines(c: dict[str, Any]) -> list[_Line]:
    return [
        _Line(
            i,
            _norm(r.get("product_code")),
            r.get("description"),
            _dec(r.get("quantity")),
            _dec(r.get("unit_price")),
            _dec(r.get("total")),
        )
        for i, r in enumerate(c.get("line_items") or [])
    ]


def _po_lines(c: dict[str, Any]) -> list[_Line]:
    return [
        _Line(
            i,
            _norm(r.get("article_number")),
            r.get("description"),
            _dec(r.get("quantity")),
            _dec(r.get("unit_price")),
            _dec(r.get("total")),
        )
        for i, r in enumerate(c.get("line_items") or [])
    ]


def _dn_lines(c: dict[str, Any]) -> list[_Line]:
    return [
        _Line(
            i,
            _norm(r.get("article_number")),
            r.get("description"),
            _dec(r.get("quantity_delivered")),
            None,
            None,
            {"ordered": _dec(r.get("quantity_ordered"))},
        )
        for i, r in enumerate(c.get("items") or [])
    ]


def _pair(left: list[_Line], right: list[_Line]) -> dict[int, tuple[int, str, float]]:
    """left index -> (right index, how, score): equal article numbers first, then the most similar
    descriptions (>= 0.6), each line used once, best pairs first."""
    scored: list[tuple[float, int, int, str]] = []
    for a in left:
        for b in right:
            if a.article and b.article and a.article == b.article:
                scored.append((2.0, a.index, b.index, "article_number"))
                continue
            if a.article and b.article:
                continue  # two different article numbers: different goods, however they are described
            s = _similarity(a.description, b.description)
            if s >= 0.6:
                scored.append((s, a.index, b.index, "description"))
    scored.sort(key=lambda t: -t[0])
    out: dict[int, tuple[int, str, float]] = {}
    used: set[int] = set()
    for s, i, j, how in scored:
        if i in out or j in used:
            continue
        out[i] = (j, how, round(min(s, 1.0), 3))
        used.add(j)
    return out


def _issue(code: str, detail: str, **where: Any) -> dict[str, Any]:
    return {"code": code, "severity": "error" if code in ERROR_CODES else "info", "detail": detail, **where}


def _f(v: Decimal | None) -> float | None:
    return None if v is None else float(v)


def match_documents(
    invoice: dict[str, Any], purchase_order: dict[str, Any], delivery_note: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Compare an invoice with its purchase order and (optionally) its delivery note.

    Returns `{"status", "checks", "lines", "issues", "totals"}`; see the module docstring."""
    inv, po, dn = _content(invoice), _content(purchase_order), _content(delivery_note)
    issues: list[dict[str, Any]] = []
    checks = _header_checks(inv, po, dn, issues)
    inv_lines, po_lines = _invoice_lines(inv), _po_lines(po)
    dn_lines = _dn_lines(dn) if delivery_note is not None else []
    inv_to_po = _pair(inv_lines, po_lines)
    po_to_dn = _pair(po_lines, dn_lines) if dn_lines else {}
    inv_to_dn = _pair(inv_lines, dn_lines) if dn_lines else {}
    invoiced_per_po: dict[int, Decimal] = {}
    lines: list[dict[str, Any]] = []
    expected_net = Decimal(0)
    net_complete = True
    for line in inv_lines:
        row: dict[str, Any] = {
            "invoice_line": line.index,
            "description": line.description,
            "article_number": line.article or None,
            "invoiced_quantity": _f(line.quantity),
            "invoice_unit_price": _f(line.unit_price),
        }
        status: list[str] = []
        paired = inv_to_po.get(line.index)
        if paired is None:
            row.update(po_line=None, ordered_quantity=None, order_unit_price=None, matched_by=None)
            issues.append(
                _issue(
                    "not_ordered",
                    f"invoice line {line.index + 1} is on no order line",
                    invoice_line=line.index,
                )
            )
            status.append("not_ordered")
            net_complete = False
        else:
            j, how, score = paired
            p = po_lines[j]
            row.update(
                po_line=j,
                ordered_quantity=_f(p.quantity),
                order_unit_price=_f(p.unit_price),
                matched_by=how,
                match_score=score,
            )
            if line.quantity is not None:
                invoiced_per_po[j] = invoiced_per_po.get(j, Decimal(0)) + line.quantity
            if line.unit_price is not None and p.unit_price is not None:
                tol = max(CENT, abs(p.unit_price) * PRICE_TOLERANCE)
                if abs(line.unit_price - p.unit_price) > tol:
                    issues.append(
                        _issue(
                            "price_mismatch",
                            f"invoice line {line.index + 1}: unit price {line.unit_price}, "
                            f"ordered at {p.unit_price}",
                            invoice_line=line.index,
                            po_line=j,
                        )
                    )
                    status.append("price_mismatch")
            if line.quantity is not None and p.unit_price is not None:
                expected_net += line.quantity * p.unit_price
            else:
                net_complete = False
        delivered = _delivered_for(line, paired, inv_to_dn, po_to_dn, dn_lines)
        row["delivered_quantity"] = _f(delivered) if delivery_note is not None else None
        if delivery_note is not None and line.quantity is not None:
            got = delivered if delivered is not None else Decimal(0)
            if line.quantity > got:
                issues.append(
                    _issue(
                        "invoiced_more_than_delivered",
                        f"invoice line {line.index + 1}: {line.quantity} invoiced, {got} delivered",
                        invoice_line=line.index,
                    )
                )
                status.append("invoiced_more_than_delivered")
        row["status"] = status or ["ok"]
        lines.append(row)
    for j, qty in invoiced_per_po.items():
        ordered = po_lines[j].quantity
        if ordered is not None and qty > ordered:
            issues.append(
                _issue(
                    "invoiced_more_than_ordered",
                    f"order line {j + 1}: {qty} invoiced, {ordered} ordered",
                    po_line=j,
                )
            )
            for row in lines:
                if row.get("po_line") == j:
                    row["status"] = [s for s in row["status"] if s != "ok"] + ["invoiced_more_than_ordered"]
    for p in po_lines:
        invoiced = invoiced_per_po.get(p.index, Decimal(0))
        if p.quantity is not None and invoiced < p.quantity:
            issues.append(
                _issue(
                    "not_invoiced",
                    f"order line {p.index + 1}: {invoiced} of {p.quantity} invoiced",
                    po_line=p.index,
                )
            )
        if delivery_note is not None and p.quantity is not None:
            k = po_to_dn.get(p.index)
            got = dn_lines[k[0]].quantity if k is not None else None
            if got is None or got < p.quantity:
                issues.append(
                    _issue(
                        "partial_delivery",
                        f"order line {p.index + 1}: {got or 0} of {p.quantity} delivered",
                        po_line=p.index,
                    )
                )
    totals = _totals(inv, po, expected_net if net_complete and inv_lines else None, issues)
    checks.append(_check_from(issues, "three_way_match"))
    errors = [i for i in issues if i["severity"] == "error"]
    status = "mismatch" if errors else ("partial" if issues else "matched")
    return {"status": status, "checks": checks, "lines": lines, "issues": issues, "totals": totals}


def _delivered_for(line, paired, inv_to_dn, po_to_dn, dn_lines) -> Decimal | None:
    """Delivered quantity of an invoice line: through its order line, else paired directly."""
    if not dn_lines:
        return None
    if paired is not None and paired[0] in po_to_dn:
        return dn_lines[po_to_dn[paired[0]][0]].quantity
    direct = inv_to_dn.get(line.index)
    return dn_lines[direct[0]].quantity if direct is not None else None


def _header_checks(inv, po, dn, issues) -> list[dict[str, Any]]:
    checks = []
    po_no = po.get("po_number")
    ref = inv.get("purchase_order_number")
    checks.append(_compare("invoice_references_order", ref, po_no, "reference_mismatch", issues, _norm))
    if dn:
        checks.append(
            _compare(
                "delivery_note_references_order",
                dn.get("order_number"),
                po_no,
                "reference_mismatch",
                issues,
                _norm,
            )
        )
    vendor = (inv.get("vendor") or {}).get("name")
    supplier = (po.get("supplier") or {}).get("name")
    checks.append(
        _compare("supplier_matches", vendor, supplier, "supplier_mismatch", issues, _norm, contain=True)
    )
    checks.append(
        _compare(
            "currency_matches",
            inv.get("currency"),
            po.get("currency"),
            "currency_mismatch",
            issues,
            lambda v: str(v).upper(),
        )
    )
    if inv.get("document_kind") == "credit_note":
        issues.append(
            _issue("credit_note", "a credit note reverses an invoice; match the invoice it corrects")
        )
    return checks


def _compare(name, a, b, code, issues, norm, contain: bool = False) -> dict[str, Any]:
    if a in (None, "") or b in (None, ""):
        return {"rule": name, "status": "skipped", "detail": "a value is missing"}
    na, nb = norm(a), norm(b)
    same = na == nb or (
        contain
        and na
        and nb
        and (na in nb or nb in na)
        and min(len(na), len(nb)) >= 0.5 * max(len(na), len(nb))
    )
    if same:
        return {"rule": name, "status": "pass", "detail": f"{a} = {b}"}
    issues.append(_issue(code, f"{name}: {a!r} vs {b!r}"))
    return {"rule": name, "status": "fail", "detail": f"{a} != {b}"}


def _totals(inv, po, expected_net: Decimal | None, issues) -> dict[str, Any]:
    """The invoice's net amount against invoiced quantities at ordered prices."""
    subtotal = _dec(inv.get("subtotal"))
    if subtotal is None and inv.get("line_items"):
        lines = [_dec(r.get("total")) for r in inv["line_items"]]
        subtotal = sum(lines, Decimal(0)) if all(v is not None for v in lines) else None  # type: ignore[arg-type]
    out = {
        "invoice_net": _f(subtotal),
        "expected_net": _f(expected_net),
        "order_net": _f(_dec(po.get("subtotal"))),
        "invoice_total": _f(_dec(inv.get("total"))),
        "order_total": _f(_dec(po.get("total"))),
        "difference": None,
    }
    if subtotal is not None and expected_net is not None:
        diff = subtotal - expected_net
        out["difference"] = _f(diff)
        if abs(diff) > max(Decimal("0.02"), abs(expected_net) * PRICE_TOLERANCE):
            issues.append(
                _issue(
                    "amount_mismatch",
                    f"invoice net {subtotal}, expected {expected_net} "
                    "(invoiced quantities at ordered prices)",
                )
            )
    return out


def _check_from(issues: list[dict[str, Any]], name: str) -> dict[str, Any]:
    errors = [i for i in issues if i["severity"] == "error"]
    if errors:
        return {"rule": name, "status": "fail", "detail": f"{len(errors)} error(s)"}
    return {"rule": name, "status": "pass", "detail": f"{len(issues)} note(s)"}

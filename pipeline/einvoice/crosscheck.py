"""Lay the embedded XML over the visual extraction: XML values win, the page gives the boxes.

One `embedded_xml_matches_page` check per compared field, so `validation[]` says field by field
where the PDF's visible page and its XML disagree:
- pass: both have the field and the values agree (the XML value gets the page's page and bbox);
- fail: they disagree; detail "path: XML <x>, page <y>" (the XML value is kept, without a box);
- one summary check with status skipped lists the XML fields not found on the page.
Where only the page has a value (the XML lacks it) the visual evidence is kept as it is.
Line items, tax rates and bank accounts are paired by content, not by position, since a visual
table may miss or split rows.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from pipeline.einvoice.codes import unit_code
from pipeline.model import Evidence
from pipeline.result import Check, FieldTree

RULE = "embedded_xml_matches_page"
SKIP_COMPARE = {"notes", "items_truncated", "language", "raw"}  # free text or not on the page
IDENTIFIERS = {"iban", "bic", "tax_id", "account_number", "invoice_number", "purchase_order_number",
               "customer_number", "product_code", "value", "position"}
LIST_KEYS = {"line_items": ("total", "description"), "tax_breakdown": ("rate",),
             "payment_details": ("iban",), "registrations": ("value",)}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).casefold()
    return "".join(c for c in text if c.isalnum())


def _num(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def agree(key: str, xml: Any, page: Any) -> bool:
    """Whether two values of field `key` say the same thing (format differences aside)."""
    if isinstance(xml, bool) or isinstance(page, bool):
        return xml == page
    if key == "unit":  # "H87" in the XML, "Piece" on the page
        return unit_code(str(xml))[0] == unit_code(str(page))[0]
    if isinstance(xml, date) or isinstance(page, date):
        return str(xml)[:10] == str(page)[:10]
    a, b = _num(xml), _num(page)
    if a is not None and b is not None:
        return abs(a - b) <= Decimal("0.005")
    x, y = _fold(str(xml)), _fold(str(page))
    if key in IDENTIFIERS or len(x) < 4 or len(y) < 4:
        return x == y
    # Names, addresses, descriptions: the page may show fewer lines than the XML holds.
    short, long_ = sorted((x, y), key=len)
    return short in long_ and len(short) >= 0.5 * len(long_)


def _show(value: Any) -> str:
    return str(value) if not isinstance(value, str) else repr(value)


class _Merger:
    def __init__(self) -> None:
        self.checks: list[Check] = []
        self.missing: list[str] = []

    def leaf(self, path: str, key: str, xml: Evidence, page: Any) -> Evidence:
        page_ev = page if isinstance(page, Evidence) else None
        if xml.value is None:
            return page_ev if page_ev is not None and page_ev.value is not None else xml
        if key in SKIP_COMPARE:
            return xml
        if page_ev is None or page_ev.value is None:
            self.missing.append(path)
            return xml
        if agree(key, xml.value, page_ev.value):
            self.checks.append(Check(RULE, "pass", f"{path}: {_show(xml.value)}"))
            return Evidence(xml.value, xml.raw, xml.confidence, page_ev.page, page_ev.bbox)
        detail = f"{path}: XML {_show(xml.value)}, page {_show(page_ev.value)}"
        self.checks.append(Check(RULE, "fail", detail))
        return xml

    def tree(self, path: str, xml: Any, page: Any) -> Any:
        if isinstance(xml, Evidence):
            return self.leaf(path, path.rsplit(".", 1)[-1].split("[")[0], xml, page)
        if isinstance(xml, dict):
            page = page if isinstance(page, dict) else {}
            return {k: self.tree(f"{path}.{k}" if path else k, v, page.get(k)) for k, v in xml.items()}
        if isinstance(xml, list):
            return self.list(path, xml, page if isinstance(page, list) else [])
        return xml

    def list(self, path: str, xml: list[Any], page: list[Any]) -> list[Any]:
        if not xml:
            return page  # the XML has none: keep what the page shows
        pairs = _pair(path.rsplit(".", 1)[-1], xml, page)
        return [self.tree(f"{path}[{i}]", x, pairs.get(i)) for i, x in enumerate(xml)]


def _score(key: str, xml: Any, page: Any) -> int:
    if not isinstance(xml, dict) or not isinstance(page, dict):
        return 0
    score = 0
    for name, ev in xml.items():
        other = page.get(name)
        comparable = isinstance(ev, Evidence) and isinstance(other, Evidence)
        if comparable and None not in (ev.value, other.value) and agree(name, ev.value, other.value):
            score += 3 if name in LIST_KEYS.get(key, ()) else 1
    return score


def _pair(key: str, xml: list[Any], page: list[Any]) -> dict[int, Any]:
    """Greedy best-first pairing of XML entries with page entries (at least one agreeing field)."""
    scored = sorted(
        ((_score(key, x, p), i, j) for i, x in enumerate(xml) for j, p in enumerate(page)),
        key=lambda t: (-t[0], abs(t[1] - t[2])),
    )
    used_x: set[int] = set()
    used_p: set[int] = set()
    pairs: dict[int, Any] = {}
    for score, i, j in scored:
        if score <= 0 or i in used_x or j in used_p:
            continue
        used_x.add(i)
        used_p.add(j)
        pairs[i] = page[j]
    return pairs


def merge_with_visual(xml_tree: FieldTree, visual_tree: FieldTree | None) -> tuple[FieldTree, list[Check]]:
    """(merged evidence tree, embedded_xml_matches_page checks); see the module docstring."""
    merger = _Merger()
    merged = merger.tree("", xml_tree, visual_tree or {})
    checks = merger.checks
    if merger.missing:
        checks.append(Check(RULE, "skipped", "not found on the page: " + ", ".join(merger.missing)))
    return merged, checks


_FIELD = re.compile(r"^([\w.\[\]]+):")


def disagreeing_fields(checks: list[Check]) -> list[str]:
    """The field paths of the failed checks (for the export's side report and for tests)."""
    failed = [c.detail for c in checks if c.rule == RULE and c.status == "fail"]
    return [m.group(1) for detail in failed if (m := _FIELD.match(detail))]

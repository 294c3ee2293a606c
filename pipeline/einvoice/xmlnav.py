"""Namespace-agnostic navigation and value parsing for CII and UBL trees.

CII exists in two generations with different element names (ZUGFeRD 1.0's `CrossIndustryDocument`
and the D16B `CrossIndustryInvoice` of Factur-X / ZUGFeRD 2.x / XRechnung) and several namespace
versions; matching on local names with `a|b` alternatives lets one reader serve all of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element


def local(tag: str) -> str:
    """`{ns}Name` -> `Name`."""
    return tag.rsplit("}", 1)[-1]


def children(el: Element | None, names: str) -> Iterator[Element]:
    """Direct children of `el` whose local name is one of `names` ("A|B")."""
    if el is None:
        return
    wanted = set(names.split("|"))
    for child in el:
        if isinstance(child.tag, str) and local(child.tag) in wanted:
            yield child


def find_all(el: Element | None, path: str) -> list[Element]:
    """All elements at `path` ("A|B/C/D") below `el`, in document order."""
    current = [el] if el is not None else []
    for step in path.split("/"):
        current = [c for e in current for c in children(e, step)]
    return current


def find(el: Element | None, path: str) -> Element | None:
    found = find_all(el, path)
    return found[0] if found else None


def text(el: Element | None, path: str | None = None) -> str | None:
    """Stripped text at `path` (or of `el`), None when absent or blank."""
    node = find(el, path) if path else el
    if node is None or node.text is None:
        return None
    value = node.text.strip()
    return value or None


def decimal(raw: str | None) -> Decimal | None:
    """An XML decimal ("1234.50"); None when absent or not a number."""
    if raw is None:
        return None
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def cii_date(raw: str | None, fmt: str | None = "102") -> date | None:
    """A CII DateTimeString: format 102 is YYYYMMDD; ISO dates are accepted as well."""
    if raw is None:
        return None
    raw = raw.strip()
    try:
        if (fmt in (None, "102")) and len(raw) == 8 and raw.isdigit():
            return date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
        return date.fromisoformat(raw[:10])
    except ValueError:
        return None


def unit_price(
    price: Decimal | None, basis: Decimal | None, quantity: Decimal | None, total: Decimal | None
) -> Decimal | None:
    """Net price of one unit: the price is per `basis` units (EN 16931 BT-149).

    Some exporters (Odoo among them) write the billed quantity as the base quantity by mistake;
    when price x quantity gives the line total and price / basis x quantity does not, the price
    is already per unit and is kept as written.
    """
    if price is None or basis in (None, Decimal(0), Decimal(1)):
        return price
    per_unit = price / basis
    if quantity is not None and total is not None:
        fits = abs(per_unit * quantity - total) <= Decimal("0.02")
        raw_fits = abs(price * quantity - total) <= Decimal("0.02")
        if raw_fits and not fits:
            return price
    return per_unit

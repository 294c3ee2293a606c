"""Split the contract's one-line address into the structured parts CII and UBL want.

The readers join address lines, "postcode city" and the country code with ", "; this is the
inverse, and it also takes addresses as the page printed them (lines separated by newlines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_POSTCODE_CITY = re.compile(r"^((?:[A-Z]{1,2}-)?\d{4,6}|\d{3} ?\d{2})\s+(\D.*)$")


@dataclass(slots=True)
class Address:
    lines: list[str] = field(default_factory=list)  # at most 3
    postcode: str | None = None
    city: str | None = None
    country: str | None = None


def split_address(text: str | None, country_hint: str | None = None) -> Address:
    """Parts of `text`; `country_hint` (e.g. from the VAT id) fills a missing country code."""
    if not text:
        return Address(country=country_hint)
    parts = [p.strip() for p in re.split(r"[,\n]", text) if p.strip()]
    addr = Address()
    if parts and _COUNTRY.match(parts[-1]):
        addr.country = parts.pop()
    for i in range(len(parts) - 1, -1, -1):
        m = _POSTCODE_CITY.match(parts[i])
        if m and i == len(parts) - 1:
            addr.postcode, addr.city = m.group(1), m.group(2)
            parts.pop(i)
            break
    if addr.city is None and len(parts) > 1:
        addr.city = parts.pop()
    if len(parts) > 3:
        parts = [*parts[:2], ", ".join(parts[2:])]
    addr.lines = parts
    if addr.country is None:
        addr.country = country_hint
    return addr


def country_from_ids(*ids: str | None) -> str | None:
    """The country prefix of a VAT id or IBAN, for an address printed without its country."""
    for value in ids:
        if value and len(value) > 2 and value[:2].isalpha() and value[:2].isupper():
            return "GR" if value[:2] == "EL" else value[:2]
    return None

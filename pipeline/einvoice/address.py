"""Split the contract's one-line address into the structured parts CII and UBL want.

The readers join address lines, "postcode city" and the country code with ", "; this is the
inverse, and it also takes addresses as the page printed them (lines separated by newlines).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from babel import Locale

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
    elif len(parts) > 1 and _fold(parts[-1]) in _country_names():
        addr.country = _country_names()[_fold(parts.pop())]  # "..., 10115 Berlin, Germany"
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


class CountryUnknown(ValueError):
    """No country for a party and no evidence to derive one from (EN 16931 makes it mandatory)."""


# Letters before a postcode ("D-10115", "CH-8001"): the old European vehicle codes.
_POSTCODE_PREFIX = {"D": "DE", "F": "FR", "A": "AT", "CH": "CH", "B": "BE", "L": "LU", "NL": "NL", "I": "IT",
                    "E": "ES", "P": "PT", "FL": "LI", "S": "SE", "DK": "DK", "N": "NO", "FI": "FI",
                    "SF": "FI",
                    "PL": "PL", "CZ": "CZ", "H": "HU", "SK": "SK", "SI": "SI", "HR": "HR", "IRL": "IE",
                    "GR": "GR", "RO": "RO", "BG": "BG", "LT": "LT", "LV": "LV", "EST": "EE"}
_PREFIXED_POSTCODE = re.compile(r"\b([A-Z]{1,3})-\d{4,5}\b")
# Last resort: a postcode shape that only one country using this currency prints.
_POSTCODE_BY_CURRENCY: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("GBP", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b"), "GB"),
    ("EUR", re.compile(r"\b\d{4} ?[A-Z]{2}\b"), "NL"),
    ("CHF", re.compile(r"(?<![\d-])\d{4}(?!\d)"), "CH"),
    ("USD", re.compile(r"\b[A-Z]{2} \d{5}(?:-\d{4})?\b"), "US"),
    ("CAD", re.compile(r"\b[A-Z]\d[A-Z] ?\d[A-Z]\d\b"), "CA"),
    ("PLN", re.compile(r"\b\d{2}-\d{3}\b"), "PL"),
    ("SEK", re.compile(r"\b\d{3} \d{2}\b"), "SE"),
    ("CZK", re.compile(r"\b\d{3} \d{2}\b"), "CZ"),
)


def _fold(text: str) -> str:
    s = unicodedata.normalize("NFKD", text.lower())
    return " ".join("".join(c for c in s if not unicodedata.combining(c)).replace(".", " ").split())


@functools.cache
def _country_names() -> dict[str, str]:
    """Country names in the languages of the supported invoices -> ISO 3166 alpha-2 code."""
    names: dict[str, str] = {}
    for lang in ("en", "de", "fr", "es", "nl", "it", "pt"):
        for code, name in Locale.parse(lang).territories.items():
            if len(code) == 2 and code.isalpha() and code not in _NOT_ISO:
                names.setdefault(_fold(name), code)
    for alias, code in (("usa", "US"), ("uk", "GB"), ("great britain", "GB"), ("england", "GB"),
                        ("the netherlands", "NL"), ("holland", "NL"), ("deutschland", "DE"),
                        ("u s a", "US"), ("united states of america", "US")):
        names[alias] = code
    return names


@functools.cache
def country_codes() -> frozenset[str]:
    """Every ISO 3166 alpha-2 code (from the CLDR territories babel ships)."""
    return frozenset(code for code in Locale.parse("en").territories
                     if len(code) == 2 and code.isalpha() and code not in _NOT_ISO)


_NOT_ISO = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "XK", "ZZ"})  # CLDR groupings, not countries


def _printed_country(text: str | None) -> str | None:
    """A country printed on the address's last line, other than the ", DE" part `split_address` takes:
    a name ("Germany", "Deutschland"), a trailing code ("Berlin DE"), a postcode prefix ("D-10115")."""
    if not text:
        return None
    parts = [p.strip() for p in re.split(r"[,\n]", text) if p.strip()]
    if not parts:
        return None
    last = parts[-1]
    named = _country_names().get(_fold(last))
    if named:
        return named
    words = last.split()
    if len(words) > 1 and words[-1] in country_codes() and words[-1].isupper():
        return words[-1]
    m = _PREFIXED_POSTCODE.search(last)
    if m and m.group(1) in _POSTCODE_PREFIX:
        return _POSTCODE_PREFIX[m.group(1)]
    return None


def resolve_country(party: dict[str, Any], who: str, *, iban: str | None = None,
                    currency: str | None = None) -> tuple[str, bool]:
    """(ISO code, derived) of a party's country; raises CountryUnknown when nothing tells.

    EN 16931 requires the seller's and the buyer's country (BT-40, BT-55). An explicit ", DE" at the
    end of the address is printed, not derived. Otherwise, strongest evidence first: a country name or
    code on the address's last line, the VAT id's prefix, the IBAN's country (the vendor's account),
    and only then a postcode shape that one country of the invoice currency uses.
    """
    address = party.get("address")
    parts = [p.strip() for p in re.split(r"[,\n]", address or "") if p.strip()]
    if parts and _COUNTRY.match(parts[-1]) and parts[-1] in country_codes():
        return parts[-1], False
    regs = [r.get("value") for r in party.get("registrations") or [] if r.get("type") in ("VAT", "TIN")]
    for found in (_printed_country(address), country_from_ids(party.get("tax_id"), *regs),
                  country_from_ids(iban)):
        if found and found in country_codes():
            return found, True
    cur = (currency or "").upper()
    for currency_code, shape, code in _POSTCODE_BY_CURRENCY:
        if cur == currency_code and address and shape.search(address.split(",")[-1] if "," in address
                                                             else address):
            return code, True
    evidence = "no country in the address, no VAT id, IBAN or postcode to derive it from"
    raise CountryUnknown(f"{'seller' if who == 'vendor' else 'buyer'} country unknown: {evidence}")

"""IBAN, BIC and VAT/tax identifiers: find them in text, normalise, validate.

IBANs are validated with mod-97 (python-stdnum); a labelled IBAN that fails the check is still
returned (validation reports it and lowers confidence), an unlabelled one must pass. VAT numbers are
checked with python-stdnum's per-country rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from stdnum import get_cc_module
from stdnum import iban as _iban
from stdnum.eu import vat as _euvat

_IBAN_START = re.compile(r"(?<![A-Z0-9])([A-Z]{2}\d{2})(?=[ A-Z0-9])")
_BIC = re.compile(r"(?<![A-Z0-9])([A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)(?![A-Z0-9])")
_VAT = re.compile(
    r"(?<![A-Z0-9])(CHE[ .\-]?\d{3}[ .]?\d{3}[ .]?\d{3}(?=\s*(?:MWST|TVA|IVA)?(?![0-9A-Z]))|"
    r"(?:ATU|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|GB|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI)"
    r"[ .\-]?[0-9A-Z](?:[ .\-]?[0-9A-Z]){6,13})(?![0-9A-Z])"
)


def compact(text: str) -> str:
    """Upper case with spaces, dots and dashes removed."""
    return re.sub(r"[\s.\-]", "", text).upper()


def is_valid_iban(value: str) -> bool:
    return bool(value) and _iban.is_valid(compact(value))


def find_ibans(text: str, require_valid: bool = True) -> list[tuple[str, int, int]]:
    """IBANs in `text` as (compact value, start, end). Groups of any width are joined greedily and
    the longest prefix that passes mod-97 wins; without a valid prefix the longest plausible run is
    returned only when `require_valid` is False."""
    out: list[tuple[str, int, int]] = []
    upper = text.upper()
    pos = 0
    while True:
        m = _IBAN_START.search(upper, pos)
        if not m:
            break
        tokens = list(re.finditer(r"[A-Z0-9]+", upper[m.start() :]))
        run: list[re.Match[str]] = []
        for tok in tokens:
            if run and upper[m.start() + run[-1].end() : m.start() + tok.start()] not in (" ", ""):
                break
            run.append(tok)
            if sum(len(t.group()) for t in run) >= 34:
                break
        best = None
        for k in range(len(run), 0, -1):
            value = "".join(t.group() for t in run[:k])
            if 15 <= len(value) <= 34 and _iban.is_valid(value):
                best = (value, m.start(), m.start() + run[k - 1].end())
                break
        if best is None and not require_valid and run:
            value = "".join(t.group() for t in run)
            if 15 <= len(value) <= 34 and sum(c.isdigit() for c in value) >= 10:
                best = (value, m.start(), m.start() + run[-1].end())
        if best:
            out.append(best)
            pos = best[2]
        else:
            pos = m.end()
    return out


# Characters OCR confuses inside identifiers, both ways: a letter read for a digit and back.
_ID_LOOKALIKES: dict[str, str] = {
    "O": "0", "0": "O", "I": "1", "1": "I", "S": "5", "5": "S", "B": "8", "8": "B",
}


def repair_lookalike(value: str, is_valid: Callable[[str], bool | None]) -> str | None:
    """The one reading of an OCR'd identifier that a single look-alike substitution (O/0, I/1, S/5,
    B/8) makes valid, or None when none does or when two different ones do.

    Why only one substitution and only when unique: a checksum (mod 97, the VAT check digit)
    catches nearly every single misread, so one change that passes it is almost surely the printed
    value; more changes, or a choice between two, would be guessing. The country prefix is kept.
    """
    v = compact(value)
    found: set[str] = set()
    for i in range(2, len(v)):
        alt = _ID_LOOKALIKES.get(v[i])
        if alt is None:
            continue
        reading = v[:i] + alt + v[i + 1 :]
        if is_valid(reading):
            found.add(reading)
    return found.pop() if len(found) == 1 else None


def find_bics(text: str) -> list[tuple[str, int, int]]:
    """Strings shaped like a BIC (8 or 11 characters, letters where letters belong, a real ISO
    country). Callers use them only next to a BIC/SWIFT label or an IBAN: many words fit the shape."""
    out = []
    for m in _BIC.finditer(text):
        value = m.group(1)
        if is_valid_bic(value):
            out.append((value, m.start(), m.end()))
    return out


def is_valid_bic(value: str) -> bool:
    try:
        from schwifty import BIC

        BIC(value)
        return True
    except Exception:  # schwifty raises several exception types for bad structure/country
        return False


def find_vat_ids(text: str) -> list[tuple[str, int, int]]:
    """EU-style VAT ids (country prefix + digits) as (compact value, start, end)."""
    out = []
    for m in _VAT.finditer(text.upper()):
        value = compact(m.group(1))
        if sum(c.isdigit() for c in value) >= 7:
            out.append((value, m.start(), m.end()))
    return out


def is_valid_vat(value: str) -> bool | None:
    """True/False when python-stdnum knows the country's rules, None when it does not."""
    v = compact(value)
    if len(v) < 4 or not v[:2].isalpha():
        return None
    cc = v[:2].lower()
    if cc in ("gb", "xi", "ch"):
        # Not in stdnum.eu.vat (the UK left the EU, Switzerland never joined): their own modules. A
        # Swiss VAT number is the company UID (same check digit) with MWST/TVA/IVA, which we drop.
        module = get_cc_module("gb" if cc == "xi" else cc, "uid" if cc == "ch" else "vat")
        if module is None:
            return None
        body = "GB" + v[2:] if cc == "xi" else v
        return bool(module.is_valid(body))
    try:
        return bool(_euvat.is_valid(v))
    except Exception:  # unknown country module
        return None


REGISTRATION_TYPES: list[tuple[str, str]] = [
    (r"\bSIRET\b", "SIRET"),
    (r"\bSIREN\b", "SIREN"),
    (r"\bGSTIN\b", "GSTIN"),
    (r"\bKvK\b", "KVK"),
    (r"\bHRB\b", "HRB"),
    (r"\bHRA\b", "HRA"),
    (r"\bEIN\b", "EIN"),
    (r"\bCIN\b", "CIN"),
    (r"\bUEN\b", "UEN"),
    (r"\bCIF\b", "CIF"),
    (r"\bNIF\b", "NIF"),
    (r"\bCVR\b", "CVR"),
    (r"\bRCS\b", "RCS"),
    (r"\bSteuer-?Nr\.?", "TAX_NUMBER"),
    (r"\b(?:Company|Registration) (?:No|Number)\b", "COMPANY_NUMBER"),
]

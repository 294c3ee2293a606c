"""Bank and tax identifiers with real check digits.

The extractor validates IBANs (mod-97) and VAT ids (national formats); a generator that printed
random digits would teach it to accept garbage or make it reject our own truth, so every number
here is computed the way the issuing country does it.
"""

from __future__ import annotations

import random
import string

_DIGITS = string.digits
_UPPER = string.ascii_uppercase


def _rand_digits(rng: random.Random, n: int, first_nonzero: bool = False) -> str:
    out = "".join(rng.choice(_DIGITS) for _ in range(n))
    if first_nonzero and out[0] == "0":
        out = rng.choice("123456789") + out[1:]
    return out


def _alnum_to_int(s: str) -> int:
    return int("".join(str(int(c, 36)) for c in s))


def iban_check_digits(country: str, bban: str) -> str:
    """ISO 13616: 98 minus the remainder of BBAN + country + '00' (letters as 10..35) mod 97."""
    return f"{98 - _alnum_to_int(bban + country + '00') % 97:02d}"


def _es_control(digits10: str) -> str:
    weights = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6]
    v = 11 - sum(int(d) * w for d, w in zip(digits10, weights, strict=True)) % 11
    return str({11: 0, 10: 1}.get(v, v))


def _fr_rib_key(bank: str, branch: str, account: str) -> str:
    return f"{97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97:02d}"


def make_bban(rng: random.Random, country: str) -> str:
    """A national account number (BBAN) with its national check digits where the country has them."""
    if country == "DE":
        return _rand_digits(rng, 8, True) + _rand_digits(rng, 10, True)
    if country == "AT":
        return _rand_digits(rng, 5, True) + _rand_digits(rng, 11)
    if country == "CH":
        return _rand_digits(rng, 5) + _rand_digits(rng, 12)
    if country == "GB":
        return "".join(rng.choice(_UPPER) for _ in range(4)) + _rand_digits(rng, 14)
    if country == "NL":
        return "".join(rng.choice(_UPPER) for _ in range(4)) + _rand_digits(rng, 10)
    if country == "BE":
        first = _rand_digits(rng, 10, True)
        check = int(first) % 97 or 97
        return first + f"{check:02d}"
    if country == "FR":
        bank, branch, account = _rand_digits(rng, 5, True), _rand_digits(rng, 5), _rand_digits(rng, 11)
        return bank + branch + account + _fr_rib_key(bank, branch, account)
    if country == "ES":
        bank, branch, account = _rand_digits(rng, 4, True), _rand_digits(rng, 4), _rand_digits(rng, 10)
        return bank + branch + _es_control("00" + bank + branch) + _es_control(account) + account
    raise ValueError(f"no IBAN format for {country}")


def make_iban(rng: random.Random, country: str) -> str:
    """A valid IBAN (compact, no spaces)."""
    bban = make_bban(rng, country)
    return country + iban_check_digits(country, bban) + bban


def iban_is_valid(iban: str) -> bool:
    """Mod-97 check (used by the generator's own tests and as a guard)."""
    s = iban.replace(" ", "").upper()
    return len(s) > 4 and _alnum_to_int(s[4:] + s[:4]) % 97 == 1


def format_iban(iban: str, grouped: bool) -> str:
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)) if grouped else iban


def make_bic(rng: random.Random, country: str) -> str:
    """BIC: 4 letters bank, 2 letters country, 2 location characters, optional 3 branch characters."""
    bank = "".join(rng.choice(_UPPER) for _ in range(4))
    loc = rng.choice(_UPPER) + rng.choice(_UPPER + "23456789")
    branch = rng.choice(["", "XXX", "".join(rng.choice(_UPPER + _DIGITS) for _ in range(3))])
    return bank + country + loc + branch


def _luhn_check(digits: str) -> str:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


def _mod_11_10(digits: str) -> str:
    p = 10
    for d in digits:
        s = (int(d) + p) % 10 or 10
        p = (2 * s) % 11
    return str((11 - p) % 10)


def make_vat_id(rng: random.Random, country: str) -> tuple[str, str]:
    """(compact id, printed form) of a VAT / tax id valid for `country`."""
    while True:
        if country == "DE":
            body = _rand_digits(rng, 8, True)
            vid = "DE" + body + _mod_11_10(body)
            return vid, vid if rng.random() < 0.6 else f"DE {vid[2:5]} {vid[5:8]} {vid[8:]}"
        if country == "AT":
            body = _rand_digits(rng, 7)
            s = 0
            for i, d in enumerate(body):
                n = int(d) * (2 if i % 2 else 1)
                s += n // 10 + n % 10
            vid = "ATU" + body + str((6 - s) % 10)
            return vid, vid
        if country == "FR":
            siren8 = _rand_digits(rng, 8, True)
            siren = siren8 + _luhn_check(siren8)
            vid = f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"
            return vid, vid if rng.random() < 0.6 else f"{vid[:4]} {vid[4:7]} {vid[7:10]} {vid[10:]}"
        if country == "NL":
            body = _rand_digits(rng, 8, True)
            last = sum((9 - i) * int(d) for i, d in enumerate(body)) % 11
            if last == 10:
                continue
            vid = f"NL{body}{last}B{rng.choice(['01', '02', '03'])}"
            return vid, vid
        if country == "BE":
            first = "0" + _rand_digits(rng, 7, True)
            vid = f"BE{first}{97 - int(first) % 97:02d}"
            return vid, vid if rng.random() < 0.5 else f"BE {vid[2:6]}.{vid[6:9]}.{vid[9:]}"
        if country == "GB":
            body = _rand_digits(rng, 7, True)
            s = sum(w * int(d) for w, d in zip(range(8, 1, -1), body, strict=True))
            vid = f"GB{body}{(-s) % 97:02d}"
            return vid, vid if rng.random() < 0.5 else f"GB {vid[2:5]} {vid[5:9]} {vid[9:]}"
        if country == "ES":
            body = _rand_digits(rng, 7)
            s = sum(int(d) for d in body[1::2])
            for d in body[0::2]:
                s += sum(int(c) for c in str(2 * int(d)))
            vid = f"ESB{body}{(10 - s % 10) % 10}"
            return vid, vid
        if country == "CH":
            body = _rand_digits(rng, 8, True)
            c = 11 - sum(w * int(d) for w, d in zip([5, 4, 3, 2, 7, 6, 5, 4], body, strict=True)) % 11
            if c == 10:
                continue
            c = 0 if c == 11 else c
            num = body + str(c)
            printed = f"CHE-{num[:3]}.{num[3:6]}.{num[6:]}"
            return "CHE" + num, printed + rng.choice([" MWST", " TVA", ""])
        if country == "US":
            vid = rng.choice(["12", "27", "45", "84", "94"]) + "-" + _rand_digits(rng, 7)
            return vid, vid
        if country == "IN":
            state = rng.choice(["27", "29", "07", "33"])
            pan = "".join(rng.choice(_UPPER) for _ in range(3)) + "C" + rng.choice(_UPPER)
            pan += _rand_digits(rng, 4) + rng.choice(_UPPER)
            body = state + pan + rng.choice("123456789") + "Z"
            s = 0
            for i, ch in enumerate(body):
                n = int(ch, 36) * (2 if i % 2 else 1)
                s += n // 36 + n % 36
            vid = body + "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(36 - s % 36) % 36]
            return vid, vid
        raise ValueError(f"no VAT id format for {country}")

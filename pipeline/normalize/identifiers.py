"""IBAN, BIC and VAT/tax identifiers: find them in text, normalise, validate.

IBANs are validated with mod-97 (python-stdnum); a labelled IBAN that fails the check is still
returned (validation reports it and lowers confidence), an unlabelled one must pass. VAT numbers are
checked with python-stdnum's per-country rules.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

from stdnum import get_cc_module
from stdnum import iban as _iban
from stdnum.eu import vat as _euvat
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.fr import siren as _siren

from pipeline.normalize.similar import mismatches
from pipeline.ocr_repair import DIGIT_SWAPS, LETTER_SWAPS, LOOKALIKES

_IBAN_START = re.compile(r"(?<![A-Z0-9])([A-Z]{2}\d{2})(?=[ A-Z0-9])")
_BIC = re.compile(r"(?<![A-Z0-9])([A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)(?![A-Z0-9])")
# The two-letter country prefixes of VAT ids (Switzerland's "CHE" is read apart).
_VAT_COUNTRIES = frozenset((
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "GB", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI",
))
# A VAT id: a country code (Austria's with its "U"), then digits (a word of three letters after the
# code is a word: "SIREN 303656847"), ending where its run of groups ends (digit groups going on are
# an IBAN's or another number's: "FR2O 1254 2547 2569 ...").
_VAT = re.compile(
    r"(?<![A-Z0-9])(CHE[ .\-]?\d{3}[ .]?\d{3}[ .]?\d{3}(?=\s*(?:MWST|TVA|IVA)?(?![0-9A-Z]))|"
    rf"(?:{'|'.join(sorted('ATU' if c == 'AT' else c for c in _VAT_COUNTRIES))})"
    r"(?![A-Z]{3})[ .\-]?[0-9A-Z](?:[ .\-]?[0-9A-Z]){6,13})(?![0-9A-Z])(?![ .\-]\d)"
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


# Characters OCR confuses inside identifiers, both ways: a letter read for a digit and back, and
# the Q whose tail a blurred scan loses (a synthetic scan's "NL36YEHO..." for the bank code YEHQ).
_ID_LOOKALIKES: dict[str, str] = {
    "O": "0Q",
    "Q": "O",
    "0": "O",
    "I": "1",
    "1": "I",
    "S": "5",
    "5": "S",
    "B": "8",
    "8": "B",
}
# What a character must have been where the format allows only a digit, or only a letter.
_AS_DIGIT: dict[str, str] = {
    "O": "0",
    "D": "0",
    "Q": "0",
    "U": "0",
    "I": "1",
    "L": "1",
    "J": "1",
    "Z": "2",
    "E": "3",
    "A": "4",
    "S": "5",
    "G": "6",
    "T": "7",
    "B": "8",
}
# Where a digit must stand, a letter may also be these other digits ("NL2S": S is 5 or 8; akretion's
# italic 2 and 3 both read "J" on seed 811: "FRJO 1254 ...", "SIREN J03656847"); the checksums choose.
_ALSO_DIGIT: dict[str, str] = {"S": "8", **LETTER_SWAPS}
_AS_LETTER: dict[str, str] = {"0": "O", "1": "I", "2": "Z", "4": "A", "5": "S", "6": "G", "7": "T", "8": "B"}


# Digits read for others inside an id: the amount repairs' groups, an italic "1" read as "4" (the
# French templates' "FR 14 123 456 782" for FR11123456782: akretion on seed 1553; their dates too,
# `ocr_repair.date_with_one_for_four`) and an italic "2" read as "7" ("FR11 123 456 787": latin5 on
# seed 2609).
_ID_DIGIT_SWAPS: dict[str, str] = {**DIGIT_SWAPS, "4": "1", "7": DIGIT_SWAPS["7"] + "2"}


def repair_lookalike(value: str, is_valid: Callable[[str], bool | None], digits: bool = True) -> str | None:
    """The one reading of an OCR'd identifier that a single look-alike substitution (O/0, I/1, S/5,
    B/8; failing those, a digit read for another: `_ID_DIGIT_SWAPS`, the groups the amount repairs
    use and the italic 1 read as 4) makes valid, or None when none does or when two different ones do.

    Why only one substitution and only when unique: a checksum (mod 97, the VAT check digit)
    catches nearly every single misread, so one change that passes it is almost surely the printed
    value; more changes, or a choice between two, would be guessing. Letter look-alikes are tried
    first because they are OCR's commonest confusion; digit swaps give more readings, so a second
    valid one (ambiguity, hence None) is likelier there. The country prefix is kept. `digits` False
    tries the letter look-alikes only (for a reading OCR was sure of: see `taxids`).
    """
    v = compact(value)
    for table in (_ID_LOOKALIKES, _ID_DIGIT_SWAPS) if digits else (_ID_LOOKALIKES,):
        found: set[str] = set()
        for i in range(2, len(v)):
            for alt in table.get(v[i], ""):
                reading = v[:i] + alt + v[i + 1 :]
                if is_valid(reading):
                    found.add(reading)
        if found:
            return found.pop() if len(found) == 1 else None
    return None


def digit_reading(value: str, is_valid: Callable[[str], bool | None]) -> str | None:
    """The reading of an OCR'd identifier with its letter look-alikes (O, I, S, B after the country
    prefix) read as digits, when that reading is valid too; else None.

    Why: some formats allow letters where others have digits (the French VAT key: "FRS4..." passes
    the letter-key check as "FR54..." passes the SIREN one), so a misread "5" as "S" can stay valid;
    OCR reads a digit as its look-alike letter far more often than an id carries one there.
    """
    v = compact(value)
    reading = _letters_as_digits(v)
    return reading if reading != v and is_valid(reading) else None


def french_numeric_key(value: str, siren_printed: bool = False) -> str | None:
    """A French VAT id read with a letter in its two-character key ("FRA1123456782", "FRM1...") as
    the id with the numeric key its SIREN gives, where the SIREN part passes its Luhn check and that
    key differs from the one read in one character, or in both where the page prints that SIREN
    (`siren_printed`: "FRH4 123 456 782" under "SIREN : 123 456 782", akretion on seed 3449); else
    None.

    Why: a key of letters is the new-style form, checked only mod 11, so a misread digit of the key
    passes it about one time in eleven and the id comes out valid as read; the numeric key is
    computed from the SIREN (mod 97) and the SIREN carries a Luhn check of its own, so a reading
    that keeps the SIREN and is one character from that key is the printed id (akretion's
    "FR 11 123 456 782" read "FRA1..." and "FRM1..." on scans)."""
    v = compact(value)
    if not (len(v) == 13 and v.startswith("FR") and v[4:].isdigit()) or v[2:4].isdigit():
        return None
    if not _siren.is_valid(v[4:]):
        return None
    key = _siren.to_tva(v[4:])[:2]
    return "FR" + key + v[4:] if mismatches(v[2:4], key) == 1 or siren_printed else None


def french_ones_read_as_fours(value: str) -> str | None:
    """A French VAT id read with several of its italic "1"s as "4"s ("FR 44 423 456 782" for FR11123456782:
    akretion on scanner seed 2659) as the one reading, some of its 4s read as 1s, that passes both its
    checks; None where none or two do, or where one change would do (`repair_lookalike` tries that).

    Why French ids only: their SIREN carries a Luhn check and their key is the SIREN mod 97, so among
    the readings tried (eleven at most) a wrong one passes both about one time in a thousand each;
    a single check digit would pass one in eleven."""
    v = compact(value)
    if not (len(v) == 13 and v.startswith("FR") and v[2:].isdigit()):
        return None
    fours = [i for i in range(2, 13) if v[i] == "4"][:4]
    found = set()
    for n in range(2, len(fours) + 1):
        for chosen in itertools.combinations(fours, n):
            reading = "".join("1" if i in chosen else c for i, c in enumerate(v))
            if is_valid_vat(reading):
                found.add(reading)
    return found.pop() if len(found) == 1 else None


def _digit_readings(text: str, most: int = 16) -> list[str]:
    """`text` with each letter read as a digit it looks like (`_AS_DIGIT`, `_ALSO_DIGIT`), `most`
    readings at most; none where a character is no digit and looks like none."""
    choices = [c if c.isdigit() else _AS_DIGIT.get(c, "") + _ALSO_DIGIT.get(c, "") for c in text.upper()]
    if not all(choices):
        return []
    return ["".join(r) for r in itertools.islice(itertools.product(*choices), most)]


def _letters_as_digits(v: str) -> str:
    """A compact id with the look-alike letters O, I, S, B after its country code read as digits."""
    return v[:2] + "".join(_AS_DIGIT[c] if c in "OISB" else c for c in v[2:])


def _iban_format(country: str) -> str | None:
    """The class of every IBAN character for `country` ("a" letter, "n" digit, "c" either), from
    python-stdnum's IBAN registry, or None for a country without IBANs."""
    info = _iban._ibandb.info(country.upper() + "00")
    structure = info[0][1].get("bban") if info and info[0][1] else None
    if not structure:
        return None
    classes = "aann"
    for count, kind in re.findall(r"(\d+)!([anc])", structure):
        classes += kind * int(count)
    return classes


def iban_proved(value: str) -> bool:
    """Mod 97 and, where the country has one, the national check digits of the BBAN (schwifty: the
    French RIB key, the Spanish, Belgian, Italian ... checks). A repair must pass both: a misread
    digit in the account number can also be "repaired" by changing a check digit instead, and only
    the national check tells those two readings apart."""
    if not is_valid_iban(value):
        return False
    try:
        from schwifty import IBAN
        from schwifty.exceptions import InvalidBBANChecksum

        IBAN(compact(value), validate_bban=True)
    except InvalidBBANChecksum:
        return False
    except Exception:  # schwifty may not know the country; mod 97 has already passed
        return True
    return True


def repair_iban(value: str) -> str | None:
    """The IBAN an OCR'd reading stands for, proved by mod 97, or None.

    The country's format fixes which positions hold digits and which letters ("NL4O LUYS ..." has an
    O where the check digits must be digits): a character of the wrong class is read as its
    look-alike of the right one (O -> 0, Z -> 2, A -> 4; 0 -> O ...). If that reading fails mod 97,
    one more look-alike substitution may prove it (`repair_lookalike`, unique or nothing). Nothing
    is returned that does not pass the checksums (`iban_proved`), and the length must be the
    country's.
    """
    readings = _iban_class_readings(value)
    if not readings:
        return None
    proved = {r for r in readings if iban_proved(r)}
    if proved:
        return proved.pop() if len(proved) == 1 else None
    return repair_lookalike(readings[0], iban_proved)


def iban_letter_reading(value: str) -> str | None:
    """The one reading of an OCR'd IBAN with a letter of its account part read as the digit it looks
    like (`ocr_repair.LOOKALIKES`) that passes mod 97, or None. For a letter where the format allows
    one ("FR20 1254 2547 2569 8542 S874 698": akretion on seed 3343; a French account number may
    hold letters), which `iban_format_reading` leaves as read; akretion's sample fails the French
    RIB key as printed, so `repair_iban` proves nothing. Letters to digits only: a digit read as
    another would give many readings, and mod 97 passes one in 97 by chance."""
    v = compact(value)
    found = {
        r for i in range(4, len(v)) if v[i].isalpha()
        for d in LOOKALIKES.get(v[i], "") if is_valid_iban(r := v[:i] + d + v[i + 1 :])
    }
    return found.pop() if len(found) == 1 else None


def iban_format_reading(value: str) -> str | None:
    """The printed form of an OCR'd IBAN whose letters stand where its country's format wants digits
    (or the other way round), where exactly one such reading passes mod 97; else None.

    Why mod 97 alone, where `repair_iban` also wants the national check: a repair chooses which
    character to change, and a check digit changed instead of the misread one passes mod 97 too;
    here the format chooses, nothing is guessed, and mod 97 confirms the reading. What it does not
    prove is that the printed IBAN is a real one (a sample's "FR20 1254 ..." fails the French RIB
    key, as printed: akretion's, read "FRZO 1254 ..." on scanner seeds 457 to 523); the text layer
    keeps such an IBAN as printed too."""
    readings = {r for r in _iban_class_readings(value) if is_valid_iban(r)}
    return readings.pop() if len(readings) == 1 else None


def _iban_classes(v: str) -> str | None:
    """The character classes of a compact IBAN's country (`_iban_format`) where `v` has its length."""
    classes = _iban_format(v[:2]) if len(v) >= 4 and v[:2].isalpha() else None
    return classes if classes is not None and len(v) == len(classes) else None


def iban_fits_format(value: str) -> bool:
    """Has `value` its country's IBAN length, with a digit or letter where the format wants one?
    What a printed IBAN that fails its checksum must still have to be kept as printed; an OCR'd run
    without it is a misread ("FR76 1254 2547 2569 8542 5874 EN" for "... 698", horstoeko on 613)."""
    v = compact(value)
    classes = _iban_classes(v)
    if classes is None:
        return False
    fits = {"n": str.isdigit, "a": str.isalpha, "c": str.isalnum}
    return all(fits[k](c) for c, k in zip(v, classes, strict=True))


def _iban_class_readings(value: str) -> list[str]:
    """Readings of an OCR'd IBAN with each character of the wrong class for its position read as
    its look-alike of the right one (O -> 0, Z -> 2, A -> 4; 0 -> O ...), 16 at most; none when
    the country has no IBAN format or the length is not the country's."""
    v = compact(value)
    classes = _iban_classes(v)
    if classes is None:
        return []
    choices: list[str] = []
    for ch, kind in zip(v, classes, strict=True):
        if kind == "n" and not ch.isdigit():
            choices.append(_AS_DIGIT.get(ch, ch) + _ALSO_DIGIT.get(ch, ""))
        elif kind == "a" and not ch.isalpha():
            choices.append(_AS_LETTER.get(ch, ch))
        else:
            choices.append(ch)
    return ["".join(r) for r in itertools.islice(itertools.product(*choices), 16)]


_OCR_IBAN_START = re.compile(r"(?<![A-Z0-9])[A-Z]{2}[0-9A-Z]{2}(?=[ 0-9A-Z])")
# An IBAN's start with one letter of its country code read as a digit ("F876 1254 ..." for FR76:
# horstoeko read by our five-language recogniser on seed 3433).
_DIGIT_IN_COUNTRY = re.compile(r"(?<![A-Z0-9])(?:[A-Z]\d|\d[A-Z])\d{2}(?=[ 0-9A-Z])")


def find_ocr_iban(text: str) -> tuple[str, int, int] | None:
    """An IBAN in OCR'd text whose misread characters `repair_iban` proves, or failing that its
    printed form as its format reads it (`iban_format_reading`): (value, start, end).

    Unlike `find_ibans` the check digits may be misread as letters ("DE6I 8623 ..."), and the run is
    cut at the country's IBAN length, so text glued to its end is left out. Lower case is read as
    upper (OCR mixes them; IBANs have none). For labelled lines only: many words start like one.
    A group of five among groups of four holds a character too many (`_extra_in_group`). Failing
    all that, one letter of the country code read as a digit (`_country_read_as_digit`).
    """
    upper = text.upper()
    for m in _OCR_IBAN_START.finditer(upper):
        classes = _iban_format(m.group()[:2])
        if classes is None:
            continue
        run, end = _run_at(upper, m.start(), len(classes))
        if len(run) == len(classes):
            grouped = _extra_in_group(upper, m.start(), len(classes))
            if grouped is not None:
                return grouped[0], m.start(), grouped[1]
            # A run whose digits go on past the country's length holds a character too many: cut
            # there, it is neither the printed form nor one to repair ("FR76 ... 2569 18542 5874 698"
            # cut as "... 18542 5874 69", whose 4 read as a 1 passed both checks by chance: F20180027
            # on seed 3889); only the readings without one character are tried (`_one_char_extra`).
            overlong = end < len(upper) and upper[end].isdigit()
            # ... or, its check digits read as letters, a letter of its account part read for a digit
            # too ("FR2O ... 8542 S874 698": akretion on seed 3659)
            repaired = None if overlong else repair_iban(run) or iban_format_reading(run) or next(
                (found for r in _iban_class_readings(run) if (found := iban_letter_reading(r))), None
            )
            if repaired is None and end < len(upper) and upper[end].isalnum():
                repaired, end = _one_char_extra(run + upper[end]), end + 1
            if repaired is not None:
                return repaired, m.start(), end
    return _country_read_as_digit(upper)


def _extra_in_group(upper: str, start: int, length: int) -> tuple[str, int] | None:
    """The IBAN a run printed in groups of four reads with one group of five stands for: a speck or
    a doubled glyph read into that group ("FR76 1254 2547 2569 18542 5874 698": F20180027 on seed
    3889; "FR20 11254 ...": akretion on 3761). The groups say which five characters hold the extra
    one; the reading without one of them (its characters of the wrong class read as look-alikes,
    `_iban_class_readings`) that passes mod 97 is taken where exactly one does. Why mod 97 alone is
    enough here: five readings at most, each passing by chance one time in 97; the national check
    digits are not asked (test samples fail the French RIB key as printed). Returns the IBAN and
    where its groups end in `upper`."""
    groups: list[str] = []
    for group in upper[start:].split(" "):
        if not group.isalnum() or sum(map(len, groups)) >= length + 1:
            break
        groups.append(group)
    sizes = [len(g) for g in groups]
    if sum(sizes) != length + 1 or sizes.count(5) != 1 or any(n not in (4, 5) for n in sizes[:-1]):
        return None
    k = sizes.index(5)
    before = "".join(groups[:k])
    found = {
        r
        for i in range(5)
        for r in _iban_class_readings(before + groups[k][:i] + groups[k][i + 1 :] + "".join(groups[k + 1 :]))
        if is_valid_iban(r)
    }
    return (found.pop(), start + len(" ".join(groups))) if len(found) == 1 else None


def _run_at(upper: str, start: int, length: int) -> tuple[str, int]:
    """Up to `length` letters and digits from `start`, one space allowed between groups, and where
    the run ends in `upper`."""
    chars: list[str] = []
    end = start
    for k in range(start, len(upper)):
        ch = upper[k]
        if ch.isalnum():
            chars.append(ch)
            end = k + 1
            if len(chars) == length:
                break
        elif ch != " " or upper[k - 1] == " ":
            break  # one space between groups; anything else ends the IBAN
    return "".join(chars), end


def _country_read_as_digit(upper: str) -> tuple[str, int, int] | None:
    """An IBAN whose country code has one letter read as a digit ("F876 1254 2547 2569 8542 5874
    698" for FR76 ...): each country that the other letter begins or ends, whose IBAN length the
    run has and whose format it fits, is a reading; the one that passes mod 97 is taken, or,
    where none does, the only one there is (a sample's IBAN that fails mod 97 as printed, as the
    text layer keeps it). Why that is enough: a letter has a handful of countries beside it, most
    of other lengths (F: FI and FO of 18, FR of 27), and mod 97 passes a wrong one about one time
    in 97."""
    for m in _DIGIT_IN_COUNTRY.finditer(upper):
        head = m.group()
        k = 0 if head[0].isdigit() else 1
        # where the run's groups end: a country's IBAN must end at one of them (not where the run
        # was cut at the longest IBAN's length inside a group)
        whole, stop = _run_at(upper, m.start(), 34)
        ends = set(itertools.accumulate(len(g) for g in upper[m.start() : stop].split(" ")))
        if stop < len(upper) and upper[stop].isalnum():
            ends.discard(len(whole))
        found = []
        for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
            country = head[:k] + letter + head[k + 1 : 2]
            classes = _iban_format(country)
            if classes is None or len(classes) not in ends:
                continue
            run, end = _run_at(upper, m.start(), len(classes))
            reading = country + run[2:]
            if iban_fits_format(reading):
                found.append((reading, m.start(), end))
        valid = [f for f in found if is_valid_iban(f[0])]
        if len(valid) == 1 or (not valid and len(found) == 1):
            return (valid or found)[0]
    return None


def _one_char_extra(run: str) -> str | None:
    """The IBAN a run read one character too long stands for: a speck or a doubled glyph read into
    it ("NLSO0INGB0683251309" for "NL50 INGB 0683 2513 09": coolblue2 by latin5 on seed 2389). Each
    reading with one character after the country code dropped and its characters of the wrong class
    read as look-alikes (`_iban_class_readings`, no further guess); exactly one must pass the
    checksums and name a bank of schwifty's registry. Why the bank too: a run of 19 has about 35
    such readings, so mod 97 alone passes a wrong one about one run in three."""
    found = {r for k in range(2, len(run)) for r in _iban_class_readings(run[:k] + run[k + 1 :])
             if iban_proved(r) and _known_bank(r)}
    return found.pop() if len(found) == 1 else None


def _known_bank(iban: str) -> bool:
    try:
        from schwifty import IBAN

        return IBAN(iban).bank is not None
    except Exception:  # schwifty may not know the country
        return False


def find_bics(text: str) -> list[tuple[str, int, int]]:
    """Strings shaped like a BIC (8 or 11 characters, letters where letters belong, a real ISO
    country). Callers use them only next to a BIC/SWIFT label or an IBAN: many words fit the shape."""
    out = []
    for m in _BIC.finditer(text):
        value = m.group(1)
        if is_valid_bic(value):
            out.append((value, m.start(), m.end()))
    return out


def find_ocr_bic(text: str) -> tuple[str, int, int] | None:
    """A BIC at the start of OCR'd text after its label, read in upper case and across the spaces
    OCR puts inside it ("MLF TDEG8", "PyhpFRY4XXX"): (value, start, end) when the first words,
    joined, make 11 or 8 characters (the longer first) that form a valid BIC; pieces joined across
    a space must hold a digit or end in the XXX branch, since two words fit the shape too."""
    upper = text.upper()
    found: dict[int, tuple[str, int, int]] = {}
    joined, start, last_end = "", None, None
    for m in re.finditer(r"[A-Z0-9]+", upper):
        if start is None:
            if upper[: m.start()].strip():
                return None  # something else comes first
            start = m.start()
        elif upper[last_end : m.start()] != " ":
            break  # one space between the pieces of one BIC, no more
        joined += m.group()
        last_end = m.end()
        if len(joined) > 11:
            break
        pieces = upper[start : m.end()].count(" ") + 1
        if pieces > 1 and not (any(c.isdigit() for c in joined) or joined.endswith("XXX")):
            continue  # words glued into a BIC shape ("ACME BANK"): only a digit or XXX branch says BIC
        if len(joined) in (8, 11) and is_valid_bic(joined):
            found[len(joined)] = (joined, start, m.end())
    return found.get(11) or found.get(8)


def bic_of_iban(bic: str, iban: str) -> str | None:
    """`bic` with its bank code read as the IBAN's, where the two differ in one letter: IBANs of the
    countries whose bank codes are letters (NL, GB, IE, BG, RO ...) carry the BIC's first four
    characters after the check digits, and the IBAN's mod 97 proves them where a BIC has no
    checksum ("INGENL2A" beside NL50 INGB ...: coolblue on seed 727). None when nothing is proved."""
    code = iban[4:8]
    if len(bic) < 8 or bic[4:6] != iban[:2] or not is_valid_iban(iban):
        return None
    off = mismatches(bic[:4], code) if code.isalpha() else None
    if off is None or off == 0:
        return _registered_bic(bic, iban)  # a bank code of digits, or a BIC wrong past its bank code
    if off != 1:
        return None
    fixed = code + bic[4:]
    return fixed if is_valid_bic(fixed) else None


def _registered_bic(bic: str, iban: str) -> str | None:
    """The BIC that the bank registry (python-schwifty's, shipped with it) gives for the IBAN's
    national bank code, where `bic` is one character off it: the IBAN's mod 97 proves the bank code,
    and the registry says whose it is ("DEUIDEMMXXX" beside DE34 7007 0010 ...: Deutsche Bank,
    DEUTDEMMXXX; ZUGFeRD's leasing sample on seed 953; "INGBNLZA" beside NL50 INGB ...: coolblue1
    on seed 1039). A BIC printed without its branch ("XXX") compares with the registry's first eight
    characters."""
    try:
        from schwifty import IBAN

        registered = IBAN(iban).bic
    except Exception:  # schwifty raises several exception types; no registry entry is no proof
        return None
    if registered is None:
        return None
    known = str(registered)
    known = known[: len(bic)] if len(bic) == 8 and known.endswith("XXX") else known
    if len(known) != len(bic) or mismatches(bic, known) != 1:
        return None
    return known


def is_valid_bic(value: str) -> bool:
    try:
        from schwifty import BIC

        BIC(value)
        return True
    except Exception:  # schwifty raises several exception types for bad structure/country
        return False


def vat_from_siren(value: str, sirens: set[str]) -> str | None:
    """A French VAT id read with digits wrong in both its key and its SIREN part, where the page prints
    the SIREN: a French VAT id is "FR", a key computed from the SIREN, then the SIREN, so a printed
    SIREN (valid by its Luhn check) and the key it gives are a second reading of the id. Taken where
    the read id differs from it in one or two digits of the SIREN part and at most one of the key
    (akretion's "FR 41423.456 782" for FR11123456782 on seed 727, its "SIREN : 123 456 782" above).
    An id whose SIREN part is read as printed is left as read: a sample's id whose key fails (FR05
    987 654 321) stays what it prints; but one whose key was read as letters or as one character
    ("FR A 123 456,782": akretion on seed 2683; "FR M 421 456 782", seed 2707) is the printed
    SIREN's, as is one with letters read in its SIREN part, each read as a digit it looks like
    ("FR1L 4ZJ 456 782": seed 3659)."""
    key, body = value[2:-9], value[-9:]
    if value.startswith("FR") and len(key) == 2 and not body.isdigit():
        # ... or with letters read for digits in its SIREN part as well ("FR1L 4ZJ 456 782": seed
        # 3659), each letter any digit it looks like
        bodies, keys = _digit_readings(body), _digit_readings(key)
        for siren in sirens:
            tva = _siren.to_tva(siren) if _siren.is_valid(siren) else ""
            if tva and any(mismatches(b, siren) <= 2 for b in bodies) and any(
                mismatches(k, tva[:2]) <= 1 for k in keys
            ):
                return "FR" + tva
        return None
    if value.startswith("FR") and body.isdigit() and 1 <= len(key) <= 2 and not key.isdigit():
        for siren in sirens:  # ... as may its SIREN part then be, one or two digits off ("FR M 421 456 782")
            if _siren.is_valid(siren) and mismatches(body, siren) <= 2:
                return "FR" + _siren.to_tva(siren)
        return None
    if not (len(value) == 13 and value.startswith("FR") and value[2:].isdigit()):
        return None
    for siren in sirens:
        if not _siren.is_valid(siren):
            continue
        tva = _siren.to_tva(siren)
        body_diff = mismatches(value[4:], siren)
        key_diff = mismatches(value[2:4], tva[:2])
        if 1 <= body_diff <= 2 and key_diff <= 1:
            return "FR" + tva
    return None


def find_vat_ids(text: str) -> list[tuple[str, int, int]]:
    """EU-style VAT ids (country prefix + digits) as (compact value, start, end)."""
    out = []
    for m in _VAT.finditer(text.upper()):
        value = compact(m.group(1))
        if sum(c.isdigit() for c in value) >= 7:
            out.append((value, m.start(), m.end()))
    return out


# An id whose country prefix has a letter read as a digit ("0E238574172" for DE238574172: the round
# D of ZUGFeRD's sample read as a zero on seed 1493); the prefix must keep one letter as read, so a
# number alone is never taken for an id.
_PREFIX_MISREAD = re.compile(r"(?<![A-Z0-9])((?:[A-Z]\d|\d[A-Z])(?:[ .\-]?\d){8,12})(?![0-9A-Z])")
_LETTER_FOR_DIGIT: dict[str, str] = {**_AS_LETTER, "0": "OD", "1": "IL"}


def vat_ids_with_misread_prefix(text: str) -> list[tuple[str, int, int]]:
    """OCR'd VAT ids whose country prefix holds a digit for one of its letters, as (compact value,
    start, end): only where exactly one letter for that digit gives an id its checksum proves."""
    out = []
    for m in _PREFIX_MISREAD.finditer(text.upper()):
        value = compact(m.group(1))
        k = 0 if value[0].isdigit() else 1
        readings = {
            reading
            for letter in _LETTER_FOR_DIGIT.get(value[k], "")
            if is_valid_vat(reading := value[:k] + letter + value[k + 1 :])
        }
        if len(readings) == 1:
            out.append((readings.pop(), m.start(1), m.end(1)))
    return out



def vat_with_misread_country(value: str) -> str | None:
    """An OCR'd id of two letters and digits whose letters are no VAT country ("FA 11 123 456 782"
    for FR11123456782: akretion on seed 2711) as the one reading, a letter of the prefix changed,
    that names a country and passes its checksum; None where none or two do.

    Why one letter: the digits are what the checksum proves; a country one letter off is the
    commonest misreading of the prefix ("R" read "A"), and two countries passing is a guess."""
    v = compact(value)
    if len(v) < 8 or not v[:2].isalpha() or v[:2] in _VAT_COUNTRIES or not v[2:].isalnum():
        return None
    found = {
        c + v[2:]
        for c in _VAT_COUNTRIES
        if mismatches(c, v[:2]) == 1 and is_valid_vat(c + v[2:])
    }
    return found.pop() if len(found) == 1 else None


def _vat_rules(v: str) -> tuple[Any, str] | None:
    """The python-stdnum module whose rules a compact VAT id `v` follows, and the id as that module
    takes it; None when there is none. Not in stdnum.eu.vat (the UK left the EU, Switzerland never
    joined): their own modules. A Swiss VAT number is the company UID (same check digit) with
    MWST/TVA/IVA, which we drop."""
    if len(v) < 4 or not v[:2].isalpha():
        return None
    cc = v[:2].lower()
    if cc not in ("gb", "xi", "ch"):
        return _euvat, v
    module = get_cc_module("gb" if cc == "xi" else cc, "uid" if cc == "ch" else "vat")
    return (module, "GB" + v[2:] if cc == "xi" else v) if module is not None else None


def is_valid_vat(value: str) -> bool | None:
    """True/False when python-stdnum knows the country's rules, None when it does not."""
    rules = _vat_rules(compact(value))
    if rules is None:
        return None
    module, body = rules
    try:
        return bool(module.is_valid(body))
    except Exception:  # unknown country module
        return None


def _vat_failure(value: str) -> type[Exception] | None:
    """The python-stdnum error a VAT id fails with (InvalidLength, InvalidFormat, InvalidChecksum
    ...), or None when it passes or no rules are known."""
    rules = _vat_rules(compact(value))
    if rules is None:
        return None
    module, body = rules
    try:
        module.validate(body)
    except Exception as exc:  # an unknown country module counts as a failure of no kind we act on
        return type(exc)
    return None


def vat_fits_length(value: str) -> bool:
    """False only when python-stdnum rejects the id for its length: a reading cut short ("FR 32 123
    456,789" read up to the comma) rather than a printed id that fails its checksum (samples print
    those)."""
    return _vat_failure(value) is not InvalidLength


def vat_inside_speck(value: str) -> str | None:
    """The id inside an OCR'd one whose body opens with another country's code: a speck beside the
    id read as a country's letters ("Se FR 05 987 654 321", read at confidence 0.00 before
    F20180027's customer id on seed 3761, was taken as one Swedish id). Only where the id as read
    breaks its country's format and the one inside keeps its own (the checksum may fail: samples
    print such ids); None otherwise."""
    v = compact(value)
    inner = v[2:]
    if inner[:2] not in _VAT_COUNTRIES or _vat_failure(v) is not InvalidFormat:
        return None
    return inner if _vat_failure(inner) in (None, InvalidChecksum) else None


def vat_format_reading(value: str) -> str | None:
    """An OCR'd VAT id that breaks its country's format ("FRO5 987 654 321": the French key holds
    no O) with its look-alike letters O, I, S, B after the country code read as digits, when that
    reading keeps the format; else None. The checksum may still fail (samples print such ids):
    the reading is what was printed, not a proof of it."""
    if _vat_failure(value) is not InvalidFormat:
        return None
    v = compact(value)
    # Which look-alikes to read as digits: all of them first, then fewer, keeping the letters the
    # format wants ("NL810433947BO1": the O is a 0, the B stays the Dutch id's B).
    at = [i for i in range(2, len(v)) if v[i] in "OISB"][:_MAX_LOOKALIKES]
    for n in range(len(at), 0, -1):
        for chosen in itertools.combinations(at, n):
            reading = "".join(_AS_DIGIT[c] if i in chosen else c for i, c in enumerate(v))
            if _vat_failure(reading) in (None, InvalidChecksum):
                return reading
    return None


_MAX_LOOKALIKES = 6  # look-alike letters of one id a format reading weighs (2**6 readings at most)


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

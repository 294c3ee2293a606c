"""How alike two readings of a word are, for matching OCR's misreadings to the word meant."""

from __future__ import annotations

import functools
import unicodedata


def one_edit(a: str, b: str) -> bool:
    """True when `a` becomes `b` by at most one substitution, insertion or deletion."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + 1 :] == b[i + 1 :] if len(a) == len(b) else a[i:] == b[i + 1 :]


def mismatches(a: str, b: str) -> int:
    """How many characters of `a` differ from `b`'s at the same place; the two are as long."""
    return sum(x != y for x, y in zip(a, b, strict=True))


def unaccented(text: str) -> str:
    """`text` with each accented letter as its base letter, case and offsets kept: OCR's
    five-language readings put accents on capitals of codes ("USt-Id DÉ 232 446 240", "IRAN FR2Ó
    1254 ..."), and no tax id or IBAN holds one."""
    return "".join(unicodedata.normalize("NFKD", c)[0] for c in text)


@functools.lru_cache(maxsize=8192)
def fold_in_place(text: str) -> str:
    """Lower case without accents, one character for one, so spans found in the folded text fit the
    original and `Février`, `fevrier` and `FÉVRIER` compare equal.

    Memoised: the label search folds each line with an accent once per label set it is asked
    about, and folding was a seventh of a born-digital invoice's extraction time (docs/ocr.md,
    session 29)."""
    return "".join(_fold_char(c) for c in text)


@functools.lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    low = c.lower()
    if len(low) != 1:
        return c
    base = unicodedata.normalize("NFKD", low)[:1]
    return base if base else low

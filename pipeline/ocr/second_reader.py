"""Tesseract as a second reader of EasyOCR's boxes: accents, small digits, marks inside numbers.

Why a second reader: the only offline EasyOCR weights are English; they read "Müller & Söhne" as
"Miller & Sohne" and "Straße" as "StraBe". Debian's Tesseract with its German, French, Spanish and
Dutch data knows these letters. On scans the English model also reads small digits as brackets or
letters ("[9%" for "19%") and mixes up "," and "." inside amounts ("4.958.20"), where Tesseract is
right far more often (docs/ocr.md has the figures). Tesseract's reading of a box is aligned with
EasyOCR's character by character and only those confusions are taken from it, so a Tesseract
misreading elsewhere changes nothing. Every box with letters or digits goes through one Tesseract
run: the crops are stacked into one strip image so the models load once per page.

Without the `tesseract` binary or its language data this step is skipped with one warning; install
with `apt-get install -y tesseract-ocr tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-spa
tesseract-ocr-nld`.
"""

from __future__ import annotations

import csv
import functools
import io
import logging
import os
import shutil
import subprocess
from dataclasses import replace

import cv2
import numpy as np

from pipeline.ocr.engine import TextBox

log = logging.getLogger(__name__)

WANTED = ("eng", "deu", "fra", "spa", "nld")
_PAD = 8
_TIMEOUT_S = 120


@functools.lru_cache(maxsize=1)
def tesseract_languages() -> str | None:
    """The `-l` argument for the installed languages we want, or None (logged once) when unusable."""
    exe = shutil.which("tesseract")
    if exe is None:
        log.warning(
            "tesseract not found: no second reading (accents ä ö ü ß é è à ç ñ and small digits are "
            "left as EasyOCR's English model reads them); "
            "install: apt-get install -y tesseract-ocr tesseract-ocr-deu tesseract-ocr-fra "
            "tesseract-ocr-spa tesseract-ocr-nld"
        )
        return None
    try:
        listed = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("tesseract cannot run (%s): no second reading (accents, small digits)", exc)
        return None
    have = {ln.strip() for ln in listed.splitlines()[1:]}
    if not have & set(WANTED):
        log.warning("tesseract has none of %s: no second reading (accents, small digits)", "/".join(WANTED))
        return None
    missing = [lang for lang in WANTED if lang not in have]
    if missing:
        log.warning("tesseract lacks %s: accents of those languages may be missed", ", ".join(missing))
    return "+".join(lang for lang in WANTED if lang in have)


def accents_in(text: str) -> int:
    return sum(1 for c in text if _accented(c))


def _accented(c: str) -> bool:
    return ord(c) > 127 and c.isalpha()


# What EasyOCR's English model reads in place of a digit printed small on a scan (measured on the
# bench pages: "[9%" for "19%", "H" for "11", "$" for "5", "d" for "4").
_DIGIT_LOOKALIKES = {
    "0": "OoDQ",
    "1": "Il|[]!iJjT",
    "2": "Zz",
    "4": "dAq",
    "5": "Ss$",
    "6": "bG",
    "7": "T/",
    "8": "B&",
    "9": "gq",
}
_MARKS = ",.;:"
_CURRENCY_SIGNS = ("£", "€", "$", "¥", "₹")


def _alignment(a: str, b: str) -> list[tuple[str, int, int, int, int]]:
    """Levenshtein opcodes turning `a` into `b`, like difflib's but with a minimal edit count, so a
    misread character pairs with the character it stands for ("[9%" / "19%": one replacement)."""
    n, m = len(a), len(b)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        cost[i][0] = i
    for j in range(m + 1):
        cost[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i][j] = min(
                cost[i - 1][j] + 1, cost[i][j - 1] + 1, cost[i - 1][j - 1] + (a[i - 1] != b[j - 1])
            )
    steps: list[tuple[str, int, int]] = []
    i, j = n, m
    while i or j:
        if i and j and cost[i][j] == cost[i - 1][j - 1] + (a[i - 1] != b[j - 1]):
            steps.append(("equal" if a[i - 1] == b[j - 1] else "replace", i - 1, j - 1))
            i, j = i - 1, j - 1
        elif i and cost[i][j] == cost[i - 1][j] + 1:
            steps.append(("delete", i - 1, j))
            i -= 1
        else:
            steps.append(("insert", i, j - 1))
            j -= 1
    ops: list[tuple[str, int, int, int, int]] = []
    for tag, i, j in reversed(steps):
        di, dj = (0, 1) if tag == "insert" else (1, 0) if tag == "delete" else (1, 1)
        if ops and ops[-1][0] == tag and ops[-1][2] == i and ops[-1][4] == j:
            ops[-1] = (tag, ops[-1][1], i + di, ops[-1][3], j + dj)
        else:
            ops.append((tag, i, i + di, j, j + dj))
    # A replacement next to an insertion or deletion is one uneven replacement ("ii" -> "ü").
    merged: list[tuple[str, int, int, int, int]] = []
    for op in ops:
        if merged and op[0] != "equal" and merged[-1][0] != "equal":
            prev = merged[-1]
            merged[-1] = ("replace", prev[1], op[2], prev[3], op[4])
        else:
            merged.append(op)
    return merged


def _word_at(text: str, k: int) -> str:
    start = text.rfind(" ", 0, k) + 1
    end = text.find(" ", k)
    return text[start : end if end >= 0 else len(text)]


def _numeric_context(text: str, i: int, j: int, whole_word: bool = False) -> bool:
    """True when the span text[i:j] touches a digit (a mark or a space inside a number), or with
    `whole_word` also when it is the whole of a word of digits ("4" where EasyOCR read "d")."""
    if (i > 0 and text[i - 1].isdigit()) or (j < len(text) and text[j].isdigit()):
        return True
    word = _word_at(text, i)
    return whole_word and any(c.isdigit() for c in word) and not any(c.isalpha() for c in word)


def _before_number(text: str, k: int) -> bool:
    """True when text[k:] starts with a number, maybe after spaces."""
    return text[k:].lstrip(" ")[:1].isdigit()


def _take_second(easy: str, tess: str, e: str, t: str, i: tuple[int, int], j: tuple[int, int]) -> bool:
    """Whether Tesseract's `t` replaces EasyOCR's `e` (easy[i[0]:i[1]] -> tess[j[0]:j[1]]).

    Only the confusions where EasyOCR's English model is the weaker reader: accented letters and
    currency signs it has no weights for, digits printed small that it takes for letters or
    brackets, and the marks inside numbers (",", ".", stray spaces) it mixes up. Anything else stays
    EasyOCR's reading.
    """
    if t and all(_accented(c) for c in t):
        # "ü" read as u, i or ii, "ß" as B: one or two characters per accented letter, and not a
        # word that Tesseract fills with accents (noise read as diacritics).
        word = _word_at(tess, j[0])
        letters = sum(c.isalpha() for c in word)
        return len(t) <= len(e) <= 2 * len(t) and e.isalpha() and accents_in(word) <= max(1, letters // 3)
    if t in _CURRENCY_SIGNS and len(e) <= 1 and _before_number(tess, j[1]):
        return True  # "£" is not among the English model's characters: "E1,250.00", "f 12.00"
    if len(e) == len(t) and t and _numeric_context(tess, *j, whole_word=True):
        return all(
            (b.isdigit() and a in _DIGIT_LOOKALIKES.get(b, "")) or (a in _MARKS and b in _MARKS)
            for a, b in zip(e, t, strict=True)
        )
    # "2, 732.47" -> "2,732.47" and "Nr ." -> "Nr.": a space EasyOCR put inside a number or
    # before a comma or full stop (no language of ours puts one there).
    before_mark = i[1] < len(easy) and easy[i[1]] in ",."
    return not t and e.strip() == "" and (_numeric_context(easy, *i) or before_mark)


def merge_readings(easy: str, tess: str) -> str:
    """EasyOCR's reading of a box with Tesseract's characters where Tesseract is the better reader.

    The two readings are aligned character by character and each difference is settled by
    `_take_second`. A word in which Tesseract differs in any other way keeps EasyOCR's reading
    whole: that word was hard to read, and Tesseract's other characters there are not to be trusted.
    """
    if not tess or easy == tess:
        return easy
    word_of = [easy.count(" ", 0, k) for k in range(len(easy) + 1)]

    def words(i0: int, i1: int) -> set[int]:
        # the words an edit of easy[i0:i1] touches; a space belongs to the words on both sides
        touched = {word_of[k] for k in range(i0, i1)}
        touched |= {word_of[k + 1] for k in range(i0, i1) if easy[k] == " "}
        return touched or {word_of[i0]}

    ops = [op for op in _alignment(easy, tess) if op[0] != "equal"]
    taken = {op: _take_second(easy, tess, easy[op[1] : op[2]], tess[op[3] : op[4]], op[1:3], op[3:5])
             for op in ops}
    doubtful = set().union(*(words(op[1], op[2]) for op, ok in taken.items() if not ok))
    out, at = [], 0
    for op in ops:
        if taken[op] and not words(op[1], op[2]) & doubtful:
            out += [easy[at : op[1]], tess[op[3] : op[4]]]
            at = op[2]
    out.append(easy[at:])
    return "".join(out)


def needs_check(box: TextBox) -> bool:
    """Boxes worth a second reading: any with letters (accents) or digits (digits and marks)."""
    return any(c.isalnum() for c in box.text)


def second_reading(grey: np.ndarray, boxes: list[TextBox]) -> list[TextBox]:
    """`boxes` with Tesseract's accents, digits and marks merged in where Tesseract is available."""
    langs = tesseract_languages()
    todo = [i for i, b in enumerate(boxes) if needs_check(b)]
    if langs is None or not todo:
        return boxes
    strip, slots = _strip(grey, [boxes[i] for i in todo])
    readings = _tesseract_slots(strip, slots, langs)
    out = list(boxes)
    for i, reading in zip(todo, readings, strict=True):
        merged = merge_readings(boxes[i].text, reading)
        if merged != boxes[i].text:
            out[i] = replace(boxes[i], text=merged)
    return out


def _strip(grey: np.ndarray, boxes: list[TextBox]) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The boxes' crops stacked top to bottom on white, and each crop's (top, bottom) in the strip."""
    crops = []
    for b in boxes:
        y0, y1 = max(0, int(b.y0)), min(grey.shape[0], int(np.ceil(b.y1)))
        x0, x1 = max(0, int(b.x0)), min(grey.shape[1], int(np.ceil(b.x1)))
        crops.append(grey[y0:y1, x0:x1])
    width = max(c.shape[1] for c in crops) + 2 * _PAD
    slots: list[tuple[int, int]] = []
    rows = []
    top = _PAD
    for crop in crops:
        gap = max(_PAD, crop.shape[0] // 2)
        canvas = np.full((crop.shape[0] + gap, width), 255, dtype=np.uint8)
        canvas[: crop.shape[0], _PAD : _PAD + crop.shape[1]] = crop
        rows.append(canvas)
        slots.append((top, top + crop.shape[0]))
        top += canvas.shape[0]
    strip = np.vstack([np.full((_PAD, width), 255, dtype=np.uint8), *rows])
    return strip, slots


def _child_env() -> dict[str, str]:
    """The inherited environment (PATH, TESSDATA_PREFIX) with OpenMP held to one thread.

    Why: beside torch's threads, Tesseract's OpenMP workers spin for cores that are busy; on two
    cores one thread reads the strip about 4 times faster (0.7 s against 2.7 s, docs/ocr.md).
    """
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _tesseract_slots(strip: np.ndarray, slots: list[tuple[int, int]], langs: str) -> list[str]:
    """Tesseract's words for each slot of the strip, in left-to-right order ('' when none)."""
    ok, png = cv2.imencode(".png", strip)
    if not ok:
        return ["" for _ in slots]
    try:
        run = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", langs, "--psm", "6", "tsv"],
            input=png.tobytes(),
            capture_output=True,
            timeout=_TIMEOUT_S,
            env=_child_env(),
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("tesseract failed (%s): no second reading on this page", exc)
        return ["" for _ in slots]
    found: list[list[tuple[float, str]]] = [[] for _ in slots]
    starts = [s[0] for s in slots]
    reader = csv.DictReader(
        io.StringIO(run.stdout.decode("utf-8", "replace")), delimiter="\t", quoting=csv.QUOTE_NONE
    )
    for row in reader:
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        yc = int(row["top"]) + int(row["height"]) / 2
        k = int(np.searchsorted(starts, yc, side="right")) - 1
        if 0 <= k < len(slots) and slots[k][0] - _PAD <= yc <= slots[k][1] + _PAD:
            found[k].append((float(row["left"]), text))
    return [" ".join(t for _, t in sorted(words)) for words in found]

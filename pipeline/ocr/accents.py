"""Accented letters for words the English EasyOCR model reads without them.

Why a second reader: the only offline EasyOCR weights are English; they read "Müller & Söhne" as
"Miller & Sohne" and "Straße" as "StraBe". Debian's Tesseract with its German, French, Spanish and
Dutch data knows these letters. Tesseract only adds accents: its reading of a box replaces
EasyOCR's word by word only where every other character agrees (the English model turns "ü" into
"u", "i" or "ii" and "ß" into "B"), so a Tesseract misreading elsewhere changes nothing. Every box
with letters goes through one Tesseract run: the crops are stacked into one strip image so the
models load once per page.

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
import re
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
            "tesseract not found: accented letters (ä ö ü ß é è à ç ñ) will be read without accents; "
            "install: apt-get install -y tesseract-ocr tesseract-ocr-deu tesseract-ocr-fra "
            "tesseract-ocr-spa tesseract-ocr-nld"
        )
        return None
    try:
        listed = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("tesseract cannot run (%s): accented letters will be read without accents", exc)
        return None
    have = {ln.strip() for ln in listed.splitlines()[1:]}
    langs = [lang for lang in WANTED if lang in have and lang != "eng"]
    if not langs:
        log.warning("tesseract has no deu/fra/spa/nld data: accented letters will be read without accents")
        return None
    missing = [lang for lang in WANTED if lang not in have]
    if missing:
        log.warning("tesseract lacks %s: accents of those languages may be missed", ", ".join(missing))
    return "+".join(lang for lang in WANTED if lang in have)


def accents_in(text: str) -> int:
    return sum(1 for c in text if ord(c) > 127 and c.isalpha())


def _pattern(tess: str) -> re.Pattern[str]:
    """Tesseract's word as a pattern: its plain letters exact, each accented letter one or two
    characters of anything (the English model reads "ü" as u, i or ii and "ß" as B)."""
    parts = [".{1,2}" if ord(c) > 127 and c.isalpha() else re.escape(c) for c in tess]
    return re.compile("".join(parts), re.IGNORECASE)


def better_word(easy: str, tess: str) -> str:
    """Tesseract's word when it only adds accents to what EasyOCR read, else EasyOCR's.

    Accepted only where every other character agrees and accents are at most a third of the
    letters (a word full of accents is more likely Tesseract misreading noise).
    """
    n = accents_in(tess)
    if n == 0 or tess == easy:
        return easy
    strip = ".,:;!?()\"'"
    core_easy, core_tess = easy.strip(strip), tess.strip(strip)
    if not core_easy or n > max(1, len(core_tess) // 3):
        return easy
    if not _pattern(core_tess).fullmatch(core_easy):
        return easy
    return easy.replace(core_easy, core_tess, 1)


def merge_words(easy: str, tess: str) -> str:
    """EasyOCR's text with accented words from Tesseract's reading of the same box."""
    e_words, t_words = easy.split(" "), tess.split()
    if len(e_words) == len(t_words):
        return " ".join(better_word(e, t) for e, t in zip(e_words, t_words, strict=True))
    # Different word splits: look for each EasyOCR word's best partner among Tesseract's.
    out = []
    for e in e_words:
        candidates = [better_word(e, t) for t in t_words]
        changed = [c for c in candidates if c != e]
        out.append(changed[0] if len(changed) == 1 else e)
    return " ".join(out)


def needs_check(box: TextBox) -> bool:
    return sum(c.isalpha() for c in box.text) >= 2


def restore_accents(grey: np.ndarray, boxes: list[TextBox]) -> list[TextBox]:
    """`boxes` with accented words restored where Tesseract is available and agrees."""
    langs = tesseract_languages()
    todo = [i for i, b in enumerate(boxes) if needs_check(b)]
    if langs is None or not todo:
        return boxes
    strip, slots = _strip(grey, [boxes[i] for i in todo])
    readings = _tesseract_slots(strip, slots, langs)
    out = list(boxes)
    for i, reading in zip(todo, readings, strict=True):
        if reading:
            merged = merge_words(boxes[i].text, reading)
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
            input=png.tobytes(), capture_output=True, timeout=_TIMEOUT_S, env=_child_env(),
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("tesseract failed (%s): accents not restored on this page", exc)
        return ["" for _ in slots]
    found: list[list[tuple[float, str]]] = [[] for _ in slots]
    starts = [s[0] for s in slots]
    reader = csv.DictReader(io.StringIO(run.stdout.decode("utf-8", "replace")), delimiter="\t",
                            quoting=csv.QUOTE_NONE)
    for row in reader:
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        yc = int(row["top"]) + int(row["height"]) / 2
        k = int(np.searchsorted(starts, yc, side="right")) - 1
        if 0 <= k < len(slots) and slots[k][0] - _PAD <= yc <= slots[k][1] + _PAD:
            found[k].append((float(row["left"]), text))
    return [" ".join(t for _, t in sorted(words)) for words in found]

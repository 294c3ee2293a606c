"""Tesseract as a second reader of EasyOCR's boxes: accents, small print, marks inside numbers.

Why a second reader: the only offline EasyOCR weights are English; they read "Müller & Söhne" as
"Miller & Sohne" and "Straße" as "StraBe". Debian's Tesseract with its German, French, Spanish and
Dutch data knows these letters. On scans the English model also reads small digits as brackets or
letters ("[9%" for "19%") and mixes up "," and "." inside amounts ("4.958.20"), where Tesseract is
right far more often (docs/ocr.md has the figures). Every box goes through one Tesseract run
(it can start before EasyOCR's text is known): a page's crops are stacked into one strip image,
small print scaled up first, and pages waiting together are read by one process, so the
language models load once for them.

Where EasyOCR is unsure of a box and Tesseract sure of every word, Tesseract's reading is taken
whole. Elsewhere the two readings are aligned character by character and only the confusions above
are taken from Tesseract, so a Tesseract misreading it is unsure of changes nothing.

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
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace

import cv2
import numpy as np

from pipeline.ocr.engine import TextBox

log = logging.getLogger(__name__)

WANTED = ("eng", "deu", "fra", "spa", "nld")
_PAD = 8
_TIMEOUT_S = 120


@functools.lru_cache(maxsize=2)
def list_langs(exe: str) -> str | None:
    """What `<exe> --list-langs` prints (its first line names the language data's folder), run once a
    process for the second reader and the word lists (`lexicon`) both; None (logged) when it cannot
    run."""
    try:
        return subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("tesseract cannot run (%s): no second reading (accents, small digits)", exc)
        return None


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
    listed = list_langs(exe)
    if listed is None:
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
    """A letter with an accent of our five languages' alphabets (`_OUR_ACCENTS`)."""
    return c in _OUR_ACCENTS


# The accented letters German, French, Spanish, Dutch and English print. Tesseract's language data
# reads others too ("aprıl", a dotless i, for "april": coolblue1's invoice date on seed 991, lost);
# no word of ours has them, so they are no accent to take from it.
_OUR_ACCENTS = frozenset("äöüßÄÖÜéèêëàâæçîïôœùûÿÉÈÊËÀÂÆÇÎÏÔŒÙÛŸñÑáíóúÁÍÓÚ")


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


def _inside_code(text: str, i: int) -> bool:
    """True when text[i] is inside a code word (upper-case letters and digits, 6 or more: a BIC,
    an id, an order number), not its first character."""
    start = text.rfind(" ", 0, i) + 1
    word = _word_at(text, i)
    return i > start and len(word) >= 6 and word.isascii() and word.isalnum() and word == word.upper()


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
        # "ü" read as u, i or ii, "ß" as B: one or two plain characters per accented letter, and
        # not a word that Tesseract fills with accents (noise read as diacritics). Where our
        # five-language recogniser read an accent of its own ("ü" / Tesseract's "û"), ours stays:
        # on the bench pages its accented words alone erred 0.0155 against 0.0809 with
        # Tesseract's merged in (docs/ocr.md, session 12).
        word = _word_at(tess, j[0])
        letters = sum(c.isalpha() for c in word)
        plain = e.isalpha() and not accents_in(e)
        return len(t) <= len(e) <= 2 * len(t) and plain and accents_in(word) <= max(1, letters // 3)
    if t == "%" and e.strip() in ("8", "&", "9") and tess[: j[0]].rstrip()[-1:].isdigit():
        return True  # "IVA 218" / "IVA 4 8": a small "%" after a number read as a digit
    if t in _CURRENCY_SIGNS and len(e) <= 1 and _before_number(tess, j[1]):
        return True  # "£" is not among the English model's characters: "E1,250.00", "f 12.00"
    if len(e) == len(t) and t and t.isdigit() and _inside_code(tess, j[0]):
        # A digit inside a code that EasyOCR took for its look-alike letter ("INGBNLZA" for the BIC
        # INGBNL2A, "HELADEFIGEL"): Tesseract was right 11 times in 11 on the scanned real invoices,
        # and wrong where the code's first character was at stake ("5132415345", "1BZY2087").
        return all(a in _DIGIT_LOOKALIKES.get(b, "") for a, b in zip(e, t, strict=True))
    if len(e) == len(t) and t and _numeric_context(tess, *j, whole_word=True):
        return all(
            (b.isdigit() and a in _DIGIT_LOOKALIKES.get(b, "")) or (a in _MARKS and b in _MARKS)
            for a, b in zip(e, t, strict=True)
        )
    # "2, 732.47" -> "2,732.47" and "Nr ." -> "Nr.": a space EasyOCR put inside a number or
    # before a comma or full stop (no language of ours puts one there).
    before_mark = i[1] < len(easy) and easy[i[1]] in ",."
    return not t and e.strip() == "" and (_numeric_context(easy, *i) or before_mark)


def keep_our_accents(easy: str, tess: str) -> str:
    """Tesseract's reading with our accented letters where it read the same letter another way
    ("Müller" / Tesseract's "Miiller" or "Mûller" -> "Müller"). Why: where our five-language
    recogniser reads an accent it is the better reader (accented words on the bench pages: 0.0155
    alone against 0.0809 with Tesseract's whole-box readings taken, docs/ocr.md); with English's
    weights `easy` has no accents and nothing changes."""
    if not accents_in(easy) or easy == tess:
        return tess
    out, at = [], 0
    for tag, i0, i1, j0, j1 in _alignment(easy, tess):
        ours, theirs = easy[i0:i1], tess[j0:j1]
        if tag == "replace" and accents_in(ours) and _same_letters(ours, theirs):
            out += [tess[at:j0], ours]
            at = j1
    out.append(tess[at:])
    return "".join(out)


# How Tesseract's five languages misread an accented letter on a scan ("Diisseldorf", "SchloBweg",
# "Frangois", "Pefialver": 38 of the 75 boxes its whole reading changed on the 16 bench pages
# read by our five-language recogniser, which had them right, docs/ocr.md session 14).
_TESSERACT_MISREADS = {"ü": ("ii", "i"), "ß": ("B",), "ç": ("g",), "ñ": ("fi", "ii")}


def _same_letters(ours: str, theirs: str) -> bool:
    """True when `theirs` is `ours` read without its accents, with others, or misread as Tesseract
    misreads an accented letter (`_TESSERACT_MISREADS`)."""
    if _plain(ours) == _plain(theirs):
        return True
    return len(ours) == 1 and theirs in _TESSERACT_MISREADS.get(ours, ())


def _plain(text: str) -> str:
    """`text` without accents, "ß" as "ss", "œ" as "oe": a letter as an English reader spells it."""
    text = text.replace("ß", "ss").replace("œ", "oe").replace("Œ", "OE")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


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


Rect = tuple[float, float, float, float]  # x0, y0, x1, y1 in page pixels


class _PageStrip:
    """A page's boxes, clipped to it as EasyOCR clips the boxes it reads (so its readings map back
    here), and their crops stacked into the one image Tesseract reads (`_strip`)."""

    def __init__(self, grey: np.ndarray, rects: list[Rect]) -> None:
        h, w = grey.shape[:2]
        self.grey = grey
        self.rects = [_key(max(0, x0), max(0, y0), min(w, x1), min(h, y1)) for x0, y0, x1, y1 in rects]
        self.image, self.slots = _strip(grey, self.rects)


class TesseractRun:
    """One Tesseract process reading the strips of one or more pages while this process goes on.

    Why several pages a process: Tesseract loads its five language models each time it starts,
    about 0.4 s of one core, half of what it spends on a page's strip; given a list of images it
    loads them once and reads each as a page of its output (`page_num`), with the same words as
    when each is read alone (16 bench pages). Output goes to a file, not a pipe, so a finished
    process is seen as finished (`done`) without anyone reading its output.
    """

    def __init__(self, strips: list[_PageStrip], langs: str) -> None:
        self.slots = [strip.slots for strip in strips]  # not the strips: the images go to files
        self.process: subprocess.Popen[bytes] | None = None
        self._texts: list[list[tuple[str, float]]] | None = None
        self.folder = tempfile.TemporaryDirectory(prefix="invoice-ocr-")
        paths = []
        for i, strip in enumerate(strips):
            ok, png = cv2.imencode(".png", strip.image, [cv2.IMWRITE_PNG_COMPRESSION, 1])
            if not ok:
                self.folder.cleanup()
                return
            paths.append(os.path.join(self.folder.name, f"{i}.png"))
            with open(paths[-1], "wb") as f:
                f.write(png.tobytes())
        source = paths[0]
        if len(paths) > 1:
            source = os.path.join(self.folder.name, "pages.txt")
            with open(source, "w", encoding="utf-8") as f:
                f.write("\n".join(paths) + "\n")
        self.output = os.path.join(self.folder.name, "out")
        try:
            self.process = subprocess.Popen(
                ["tesseract", source, self.output, "-l", langs, "--psm", "6", "tsv"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_child_env(),
            )
        except OSError as exc:
            log.warning("tesseract failed (%s): no second reading on %d page(s)", exc, len(strips))
            self.folder.cleanup()

    def done(self) -> bool:
        return self.process is None or self.process.poll() is not None

    def texts(self) -> list[list[tuple[str, float]]]:
        """For each page, Tesseract's text for each box in left-to-right order ('' when none or on
        failure), with the confidence of its least sure word."""
        if self._texts is None:
            self._texts = self._read()
        return self._texts

    def _read(self) -> list[list[tuple[str, float]]]:
        empty = [[("", 0.0) for _ in slots] for slots in self.slots]
        if self.process is None:
            return empty
        try:
            self.process.wait(timeout=_TIMEOUT_S * len(self.slots))
        except subprocess.TimeoutExpired:
            log.warning("tesseract took over %d s a page: no second reading on %d page(s)", _TIMEOUT_S,
                        len(self.slots))
            self.cancel()
            return empty
        self.process = None
        try:
            with open(self.output + ".tsv", "rb") as f:
                tsv = f.read()
        except OSError:
            tsv = b""
        finally:
            self.folder.cleanup()
        return [_slot_texts(tsv, slots, page=i + 1) for i, slots in enumerate(self.slots)]

    def cancel(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None
            self.folder.cleanup()


class PendingReading:
    """Tesseract's reading of one page's boxes, from a run of its own or shared with other pages."""

    def __init__(self, strip: _PageStrip, run: TesseractRun, index: int = 0) -> None:
        self.strip = strip
        self.run = run
        self.index = index

    def readings(self) -> list[tuple[str, float]]:
        """Tesseract's text for each box (see `TesseractRun.texts`)."""
        return self.run.texts()[self.index]

    def merge(self, found: list[TextBox]) -> list[TextBox]:
        """`found` (EasyOCR's readings of the same boxes) with Tesseract's characters merged in."""
        slot_of = {r: i for i, r in enumerate(self.strip.rects)}
        keys = [_key(b.x0, b.y0, b.x1, b.y1) for b in found]
        if any(k not in slot_of for k in keys):
            return second_reading(self.strip.grey, found)  # not the boxes Tesseract was given
        readings = self.readings()
        out = list(found)
        for i, k in enumerate(keys):
            reading, sure = readings[slot_of[k]]
            if reading and sure >= _TESS_SURE and found[i].confidence < _EASY_SURE:
                # Tesseract sure of every word, EasyOCR not: Tesseract's reading and confidence,
                # with the accents our five-language recogniser read (none with English's weights)
                reading = keep_our_accents(found[i].text, reading)
                out[i] = replace(found[i], text=reading, confidence=max(sure, found[i].confidence)
                                 if reading == found[i].text else sure)
                continue
            merged = merge_readings(found[i].text, reading)
            if merged != found[i].text:
                out[i] = replace(found[i], text=merged)
        return out


# A box EasyOCR is unsure of (< 0.9) where Tesseract is sure of every word (its least sure word
# >= 75) takes Tesseract's reading: it is the better one there (docs/ocr.md, session 5, has the
# figures). Where EasyOCR is sure, Tesseract's confident misreadings ("ate" for "Qté") would cost
# more than they bring, so only the character-level merge applies.
_TESS_SURE = 0.75
_EASY_SURE = 0.9
# Tesseract reads text about 20 px high or more well and smaller print badly ("8 pt at 150 dpi");
# crops lower than this are scaled up to _READ_HEIGHT (at most 3x) before it sees them.
_SMALL_CROP = 28
_READ_HEIGHT = 40


# Pages a TesseractRun reads at most: its models load once for them, and the first page's merge
# waits for them all.
_GROUP = 8


def _key(x0: float, y0: float, x1: float, y1: float) -> Rect:
    return (float(int(x0)), float(int(y0)), float(int(x1)), float(int(y1)))


def start_second_reading(grey: np.ndarray, rects: list[Rect]) -> PendingReading | None:
    """Start Tesseract on the boxes `rects` of `grey` in a process of its own; None when Tesseract
    is not usable or there are no boxes."""
    langs = tesseract_languages()
    if langs is None or not rects:
        return None
    strip = _PageStrip(grey, rects)
    return PendingReading(strip, TesseractRun([strip], langs))


class SecondReadings:
    """Tesseract's readings of a document's pages, in at most `limit` processes at a time, each
    reading a group of the pages that wait (`_GROUP`).

    Why: Tesseract reads on one core, and is the slowest part of a page once the networks run on a
    GPU; the pages are read side by side, one process per core, while the recogniser reads them
    all, and pages that wait together share a process and its language models. The bound keeps a
    long document from starting a process per page at once.
    """

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self.waiting: dict[int, tuple[np.ndarray, list[Rect]]] = {}
        self.running: dict[int, PendingReading | None] = {}
        self.runs: list[TesseractRun] = []

    def add(self, pages: Iterable[tuple[int, np.ndarray, list[Rect]]]) -> None:
        """Read the boxes `rects` of each (key, grey, rects) page; a page given again (it was
        turned, say) is read again and its first reading dropped."""
        for key, grey, rects in pages:
            self.running.pop(key, None)
            self.waiting[key] = (grey, rects)
        self._fill()

    def merge(self, key: int, found: list[TextBox]) -> list[TextBox]:
        """`found` with page `key`'s Tesseract reading merged in (see `PendingReading.merge`)."""
        if key in self.waiting:
            self._start([key])
        pending = self.running.pop(key, None)
        try:
            return found if pending is None else pending.merge(found)
        finally:
            self._fill()

    def close(self) -> None:
        """Stop every reading still running (a page failed) and forget the rest."""
        for run in self.runs:
            run.cancel()
        self.runs.clear()
        self.running.clear()
        self.waiting.clear()

    def _fill(self) -> None:
        """Start processes for the waiting pages while fewer than `limit` run, each with its share
        of them as if all `limit` were free (so a process that ends first does not take them all)."""
        self.runs = [run for run in self.runs if run.process is not None]  # the read ones are done with
        free = self.limit - sum(1 for run in self.runs if not run.done())
        size = min(_GROUP, -(-len(self.waiting) // self.limit))
        while free > 0 and self.waiting:
            self._start(list(self.waiting)[:size])
            free -= 1

    def _start(self, keys: list[int]) -> None:
        pages = [(key, *self.waiting.pop(key)) for key in keys]
        langs = tesseract_languages()
        todo = [(key, _PageStrip(grey, rects)) for key, grey, rects in pages if rects]
        self.running.update(dict.fromkeys(keys))
        if langs is None or not todo:
            return
        run = TesseractRun([strip for _, strip in todo], langs)
        self.runs.append(run)
        for i, (key, strip) in enumerate(todo):
            self.running[key] = PendingReading(strip, run, i)


def second_reading(grey: np.ndarray, boxes: list[TextBox]) -> list[TextBox]:
    """`boxes` with Tesseract's accents, digits and marks merged in where Tesseract is available."""
    pending = start_second_reading(grey, [(b.x0, b.y0, b.x1, b.y1) for b in boxes])
    return boxes if pending is None else pending.merge(boxes)


def _strip(grey: np.ndarray, rects: list[Rect]) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The boxes' crops stacked top to bottom on white, and each crop's (top, bottom) in the strip;
    small print is scaled up for Tesseract (`_SMALL_CROP`)."""
    crops = []
    for bx0, by0, bx1, by1 in rects:
        y0, y1 = max(0, int(by0)), min(grey.shape[0], int(np.ceil(by1)))
        x0, x1 = max(0, int(bx0)), min(grey.shape[1], int(np.ceil(bx1)))
        crop = grey[y0:y1, x0:x1]
        if 0 < crop.shape[0] < _SMALL_CROP:
            scale = min(3.0, _READ_HEIGHT / crop.shape[0])
            crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        crops.append(crop)
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


# Letters of other alphabets Tesseract's language data reads for ours: a dotless i for an "i" whose
# dot a scan lost ("Fuhrparkmaı agemeni": ZUGFeRD's leasing sample on seed 1093, its box read whole).
_NOT_OURS = str.maketrans({"ı": "i"})


@dataclass(frozen=True, slots=True)
class _TessWord:
    """One word of Tesseract's TSV output: its text line's key (block, paragraph, line), box left,
    number on that line, text and confidence (0-100)."""

    line: tuple[str, str, str]
    left: float
    number: int
    text: str
    conf: float


def _slot_texts(tsv: bytes, slots: list[tuple[int, int]], page: int = 1) -> list[tuple[str, float]]:
    """Tesseract's TSV words of its `page` (1 for the first image it read) sorted into that strip's
    slots ('' when none), each slot with its least sure word's confidence (0-1).

    A slot's words are in Tesseract's own order on each of its text lines, and its lines (one, or
    the pieces of one it split) left to right. Not each word by its box: Tesseract sometimes boxes
    a line's last word as the whole line ("COMMANDE" from the line's left edge: F20180027 on seed
    1471), which put "N° BON DE COMMANDE" out of order as "N° COMMANDE BON DE".
    """
    found: list[list[_TessWord]] = [[] for _ in slots]
    starts = [s[0] for s in slots]
    text_io = io.StringIO(tsv.decode("utf-8", "replace"))
    reader = csv.DictReader(text_io, delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        text = (row.get("text") or "").strip().translate(_NOT_OURS)
        if row.get("level") != "5" or not text or row.get("page_num") != str(page):
            continue
        yc = int(row["top"]) + int(row["height"]) / 2
        k = int(np.searchsorted(starts, yc, side="right")) - 1
        if 0 <= k < len(slots) and slots[k][0] - _PAD <= yc <= slots[k][1] + _PAD:
            line = (row.get("block_num", ""), row.get("par_num", ""), row.get("line_num", ""))
            found[k].append(_TessWord(line, float(row["left"]), int(row.get("word_num") or 0), text,
                                      float(row.get("conf") or 0)))
    return [(" ".join(_in_order(words)), min((w.conf for w in words), default=0.0) / 100) for words in found]


def _in_order(words: list[_TessWord]) -> list[str]:
    """The texts of a slot's words: each Tesseract line's in its word order, the lines by their
    leftmost word."""
    lines: dict[tuple[str, str, str], list[_TessWord]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    ordered = sorted(lines.values(), key=lambda ws: min(w.left for w in ws))
    return [w.text for ws in ordered for w in sorted(ws, key=lambda w: w.number)]

"""The words of our five languages, listed from the dictionaries inside Tesseract's language data:
what `accents.restore_accents` checks an accent both readers lost against ("Uberweisung",
"Disseldorf", "Genéve").

Why Tesseract's dictionaries: they come with the second reader (Debian's `tesseract-ocr-*`
packages), cover English, German, French, Spanish and Dutch (about 1.2 million entries, place and
person names among them), and need no download. `combine_tessdata -u` unpacks a language's word
DAWG and `dawg2wordlist` lists it (both ship in `tesseract-ocr`); the lists take about a second a
language, so they are written once into the model cache folder and read from there. Without the
tools or the data the lexicon is empty and no word is changed (logged once).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.ocr.second_reader import WANTED, list_langs

log = logging.getLogger(__name__)

_TIMEOUT_S = 120
_DATA_DIR = re.compile(r'"([^"]+)"')


@functools.lru_cache(maxsize=4)
def words(cache_dir: Path) -> frozenset[str]:
    """Every word of the installed languages of `WANTED`, lower-cased; empty when unavailable."""
    tools = [shutil.which(t) for t in ("tesseract", "combine_tessdata", "dawg2wordlist")]
    if None in tools:
        log.warning("Tesseract's tools not found: accents both readers lost are not read back")
        return frozenset()
    data = _tessdata(tools[0])
    found: set[str] = set()
    for lang in WANTED:
        traineddata = data / f"{lang}.traineddata" if data else None
        if traineddata is None or not traineddata.is_file():
            continue
        try:
            text = _word_list(traineddata, cache_dir, tools[1], tools[2])
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("no word list from %s (%s)", traineddata, exc)
            continue
        found.update(w.lower() for w in text.split())
    if not found:
        log.warning("no Tesseract word lists: accents both readers lost are not read back")
    return frozenset(found)


def _tessdata(exe: str) -> Path | None:
    """The folder `tesseract --list-langs` names ('List of available languages in "/usr/...": ')."""
    listed = list_langs(exe)
    m = _DATA_DIR.search(listed.splitlines()[0] if listed else "")
    return Path(m.group(1)) if m else None


def _word_list(traineddata: Path, cache_dir: Path, combine: str, dawg2wordlist: str) -> str:
    """One language's words, one a line: from the cache, else unpacked, listed and cached (written
    to a temporary name first, so processes that start together never read half a file)."""
    stat = traineddata.stat()
    key = hashlib.sha256(f"{traineddata}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    cached = cache_dir / f"words-{traineddata.stem}-{key}.txt"
    if cached.is_file():
        return cached.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp) / traineddata.stem
        subprocess.run([combine, "-u", str(traineddata), f"{prefix}."], capture_output=True, check=True,
                       timeout=_TIMEOUT_S)
        dawg, unicharset = Path(f"{prefix}.lstm-word-dawg"), Path(f"{prefix}.lstm-unicharset")
        if not dawg.is_file() or not unicharset.is_file():
            return ""
        out = Path(tmp) / "words.txt"
        subprocess.run([dawg2wordlist, str(unicharset), str(dawg), str(out)], capture_output=True,
                       check=True, timeout=_TIMEOUT_S)
        text = out.read_text(encoding="utf-8")
    cache_dir.mkdir(parents=True, exist_ok=True)
    part = cached.with_suffix(f".{os.getpid()}.part")
    part.write_text(text, encoding="utf-8")
    part.replace(cached)
    return text

"""Accents both readers lost, read back: a "ü" spelt "ii" ("Diisseldorf", "Miinchen", "Fiir"), a
"ß" read as "B" ("HofstraBe") or a "B" as "ß" ("Macßook"), and a word that is no word of our five
languages until one or two of its letters take an accent ("Uberweisung", "Disseldorf", "Genéve",
"Frangois": `lexicon`).

Why: the English recogniser has no accented letter; it reads "ü" as "u" or "i" (its two dots as a
second "i"), "è" as "e" or "é", "ç" as "c" or "g". Tesseract's five-language data usually knows
better, but on a blurred scan it misses them too, so no merge of the two readings can restore them
(103767's customer "Düsseldorf" and ZUGFeRD's "München" and "Für" on several scanner seeds).

The "ii" rule: inside a word of letters, between letters, "ii" is almost never written in the five
languages (English "skiing" is the rare exception); in Dutch it is OCR's reading of "ij"
("Omschriiving" on saeco's scans), so a Dutch document is left alone.

The lexicon rule changes only a word that is in none of the five languages' word lists as read,
and only where exactly one reading with the fewest accents changed (one, else two) is in them: a
word that is a word as read ("Pieces", "Creme", "Marz") is never changed, since the lists cannot
say which of two real words was printed.

The same lists mend OCR's commonest letter confusion: a lower-case "l" read as a capital "I" at the
start of a word ("Seller Iine 2", "Iegal": horstoeko's and akretion's 7-8 pt print on seeds 1451
and 1453). In a sans-serif font the two are one glyph; a word of lower-case letters that opens with
"I" and is no word, while its "l" reading is one, was printed with the "l". And a word of capitals
that opens with a glued "I" or "l" and is no word, while the rest is one, lost a speck or a rule
read as that letter ("IFOURNITURES"). And a word that is no word, while exactly one of OCR's
letter confusions undone makes it one ("Grarid" for "Grand", "CUENT" for "CLIENT", "Buver"), is
read that way (`_confused`).
"""

from __future__ import annotations

import dataclasses
import itertools
import re

from pipeline.model import Page, Word
from pipeline.normalize.language import detect_language
from pipeline.normalize.similar import fold_in_place

_II = re.compile(r"(?<=[^\W\d_])ii(?=[a-zäöüß])")
_LETTERS = re.compile(r"[^\W\d_]+")
# "ß" read as "B" after lower-case letters, at a word's end or before its last "e", "en" or "er"
# ("HofstraBe", "GroBe", "MaBen": 103767's vendor address on seed 743; "GroB"). A capital B there is
# written in no word of the five languages; camel-case names put it before other letters ("eBay",
# "WeBuy").
_SZ = re.compile(r"(?<=[a-zäöü]{2})B(?=(?:e|en|er)?$)")
# And the other way: a "B" read as "ß" by our five-language recogniser, which knows the letter
# ("Macßook": coolblue's "Apple MacBook Pro" on seed 3583). German writes "ß" only after a vowel or a
# diphthong's vowel, never after a consonant nor at a word's start.
_B_AS_SZ = re.compile(r"(?<![aeiouyäöüAEIOUYÄÖÜ])ß")
# Punctuation around a word, kept as read; a bracket is also what a frame's rule or a speck beside a
# word is often read as ("[Totai" for "Total": QualityHosting on seed 2411).
_EDGES = ".,:;!?()[]\"'"
# What a lower-case letter as read may be where its accent was lost: its accented forms, "ü" for an
# "i" (the dots read as the i's), "ç" for a "g" (the cedilla read as a tail). An accented letter as
# read may be another accent on the same letter ("Genéve", "Lämpara"), not the bare letter: the lists
# hold many words with their accents dropped ("geneve", "lampara"), and the accent was seen.
def _accent_table() -> dict[str, str]:
    bare = {"a": "àâäá", "e": "éèêë", "i": "îïíü", "o": "ôöó", "u": "üûùú", "c": "ç", "g": "ç", "n": "ñ",
            "y": "ÿ"}
    # The siblings of an accented letter are its own letter's forms: "i" and "g" lend "ü" and "ç"
    # only as misreadings, so "ü" stays a "u" and "ç" a "c".
    siblings = {form: forms.replace(form, "") for base, forms in bare.items() if base not in "ig"
                for form in forms}
    return {**siblings, **bare}


_ACCENTED = _accent_table()
_MIN_LETTERS = 4  # "ou"/"où", "een"/"één": short words are left alone


def restore_accents(pages: list[Page], lexicon: frozenset[str] = frozenset()) -> None:
    """Every OCR'd word of `pages` (one document) with a "ii" between letters read as "ü", unless
    the document is Dutch, a "ß" read as "B" (`_SZ`) read back, and, given the five languages'
    `lexicon` (lower case), a lost accent read back where only one reading is a word."""
    language, _ = detect_language(" ".join(w.text for p in pages for w in p.words))
    for page in pages:
        page.words = [_restored(w, language != "nl", lexicon) for w in page.words]


def _restored(word: Word, umlauts: bool, lexicon: frozenset[str]) -> Word:
    start = len(word.text) - len(word.text.lstrip(_EDGES))
    end = len(word.text.rstrip(_EDGES))
    core = "-".join(_digit_in_capitals(_slash_for_i(part, lexicon), lexicon)
                    for part in word.text[start:end].split("-"))
    if not _LETTERS.fullmatch(core.replace("-", "")):
        return word
    if umlauts and "ii" in core:
        core = _II.sub("ü", core)
    if "B" in core:
        core = _SZ.sub("ß", core)
    if "ß" in core:
        core = _B_AS_SZ.sub("B", core)
    if lexicon:
        core = "-".join(_from_lexicon(_confused(_lower_l(_unframed(part, lexicon), lexicon), lexicon),
                                      lexicon) for part in core.split("-"))
    text = word.text[:start] + core + word.text[end:]
    return word if text == word.text else dataclasses.replace(word, text=text)


# A digit a capital letter was read as, in a word of capitals ("5UPPORT": F20180027's "PRESTATION
# SUPPORT" read by our five-language recogniser on seed 3803): the letter it stands for.
_DIGIT_AS_CAPITAL = {"5": "S", "0": "O", "1": "I", "8": "B", "6": "G", "2": "Z", "4": "A"}
_ONE_DIGIT_IN_CAPITALS = re.compile(r"^[A-ZÀ-Þ]*\d[A-ZÀ-Þ]+$")


def _digit_in_capitals(core: str, lexicon: frozenset[str]) -> str:
    """`core`, a word of capitals but for one digit, with the digit read as the capital it looks
    like (`_DIGIT_AS_CAPITAL`) where that makes a word of `lexicon` of `_MIN_CONFUSED` letters or
    more; as read otherwise (codes print digits among capitals: "B2B", "4WD", "A4"), and never a
    last digit (a model's number: "GALAXY5")."""
    if len(core) < _MIN_CONFUSED or not lexicon or not _ONE_DIGIT_IN_CAPITALS.match(core):
        return core
    digit = next(c for c in core if c.isdigit())
    reading = core.replace(digit, _DIGIT_AS_CAPITAL.get(digit, digit))
    return reading if reading.lower() in lexicon else core


# A capital "I" read as a slash between capitals ("D/VERSES", "FRA/S": F20180027's, horstoeko's and
# akretion's descriptions read by our five-language recogniser on seeds 3391, 3407 and 3413).
_SLASH_IN_CAPITALS = re.compile(r"(?<=[A-ZÀ-Þ])/(?=[A-ZÀ-Þ])")


def _slash_for_i(core: str, lexicon: frozenset[str]) -> str:
    """`core` with each slash between capitals read as the "I" it stands for, where that makes a
    word of `lexicon` of `_MIN_CONFUSED` letters or more; as read otherwise ("A/S", "EUR/KG", "N/A"
    are printed so, and make no word)."""
    if "/" not in core or not lexicon:
        return core
    reading = _SLASH_IN_CAPITALS.sub("I", core)
    return reading if len(reading) >= _MIN_CONFUSED and reading.lower() in lexicon else core


_MIN_FRAMED = 5  # letters of a capitals word a glued "I" may be dropped from: "IKEA" is no "KEA"


def _unframed(part: str, lexicon: frozenset[str]) -> str:
    """`part` without an opening "I", "l" or "J" glued to a word of capitals, where the word is in
    `lexicon` and the word with the letter is not ("IFOURNITURES DIVERSES": horstoeko's and
    F20180027's descriptions on seeds 1709 and 1753, a speck or the cell's rule read as an "I";
    "JFOURNITURES" by our five-language recogniser on seed 2027). The word may have come back with
    a few of its capitals small or an accent on a letter that has none, as the recogniser reads
    capitals on a noisy scan ("JFouRNITURES", "JPRESTATÍON": horstoeko read by latin5 on seed 2963):
    it starts with a capital and holds more than twice as many capitals as small letters, and is in
    `lexicon` with its accents dropped. The rest is returned as read."""
    rest = part[1:]
    if len(rest) < _MIN_FRAMED or part[0] not in "IlJ" or part.lower() in lexicon or not _capitals(rest):
        return part
    return rest if rest.lower() in lexicon or fold_in_place(rest) in lexicon else part


def _capitals(word: str) -> bool:
    """A word of capitals as a scan reads it: the first a capital, more than twice as many capitals
    as small letters."""
    return word[0].isupper() and sum(c.isupper() for c in word) > 2 * sum(c.islower() for c in word)


def _lower_l(part: str, lexicon: frozenset[str]) -> str:
    """`part` with an opening capital "I" read as "l" where only that makes it a word of `lexicon`."""
    if len(part) < _MIN_LETTERS or part[0] != "I" or not part[1:].islower() or part.lower() in lexicon:
        return part
    reading = "l" + part[1:]
    return reading if reading in lexicon else part


# Letters a recogniser reads for others, both ways: a pair of narrow letters for one wide one ("ri"
# for "n": "Grarid" for oyo's "Grand", latin5 on seed 2287; "rn" for "m", "vv" for "w") in either
# case, "cl" for "d" in lower case (capitals "CL" look nothing like a "D": "CLENT" is a "CLIENT"
# that lost its "I"); in capitals "U" for "LI" ("LE CUENT" for "LE CLIENT": latin5 on many seeds,
# "BERUN"), where the strokes run together; in lower case "v" for "y" ("Buver") and "i" for "l"
# ("Selier"), which in capitals are no look-alikes.
_PAIRS = (("ri", "n"), ("rn", "m"), ("vv", "w"))
_CONFUSED = (
    *(
        (a, b)
        for x, y in (*_PAIRS, *((p.upper(), q.upper()) for p, q in _PAIRS), ("cl", "d"), ("LI", "U"),
                     ("v", "y"), ("i", "l"))
        for a, b in ((x, y), (y, x))
    ),
    ("U", "L"),  # one way: a capital L read as a U ("UIGNE", "CUIENT": latin5 on seeds 3671 and 3673)
    ("Q", "O"),  # one way: a capital O read as a Q, a speck for its tail ("FQURNITURES": latin5 on 3907)
)
_MIN_CONFUSED = 5  # letters of a word read with a confusion: short words have too many neighbours


def _confused(part: str, lexicon: frozenset[str]) -> str:
    """`part` with one of OCR's letter confusions (`_CONFUSED`) undone, where `part` is no word of
    `lexicon` and exactly one such reading is."""
    if len(part) < _MIN_CONFUSED or not part.isalpha() or part.lower() in lexicon:
        return part
    found: dict[str, str] = {}
    for read, printed in _CONFUSED:
        start = part.find(read)
        while start >= 0:
            reading = part[:start] + printed + part[start + len(read) :]
            if reading.lower() in lexicon:
                found.setdefault(reading.lower(), reading)
            start = part.find(read, start + 1)
    return found.popitem()[1] if len(found) == 1 else part


def _from_lexicon(part: str, lexicon: frozenset[str]) -> str:
    """`part` with the accents that make it a word of `lexicon`, where exactly one way does."""
    low = part.lower()
    if len(low) < _MIN_LETTERS or low in lexicon:
        return part
    spots = [(i, _ACCENTED[c]) for i, c in enumerate(low) if c in _ACCENTED]
    for changes in (1, 2):
        found = set()
        for chosen in itertools.combinations(spots, changes):
            for forms in itertools.product(*(f for _, f in chosen)):
                chars = list(low)
                for (i, _), form in zip(chosen, forms, strict=True):
                    chars[i] = form
                reading = "".join(chars)
                if reading in lexicon:
                    found.add(reading)
        if found:
            if len(found) > 1:
                return part
            reading = found.pop()
            return "".join(r.upper() if c.isupper() else r for c, r in zip(part, reading, strict=True))
    return part

"""Which language a document is written in (ISO 639-1), from frequent function words and invoice
labels. Counting a fixed word list is robust on short, label-heavy documents where statistical
detectors trained on prose do poorly."""

from __future__ import annotations

import re
from collections import Counter

WORDS: dict[str, set[str]] = {
    "en": {
        "the",
        "and",
        "of",
        "for",
        "to",
        "invoice",
        "date",
        "total",
        "amount",
        "due",
        "bill",
        "tax",
        "your",
        "please",
        "payment",
        "with",
        "this",
        "number",
        "is",
        "are",
        "from",
        "charges",
        "price",
    },
    "de": {
        "der",
        "die",
        "das",
        "und",
        "für",
        "mit",
        "rechnung",
        "datum",
        "betrag",
        "summe",
        "bitte",
        "zahlbar",
        "nicht",
        "ihre",
        "wir",
        "von",
        "bei",
        "ist",
        "mwst",
        "netto",
        "brutto",
        "steuer",
        "gesamt",
        "menge",
        "preis",
        "bis",
        "den",
        "dem",
        "zu",
        "sie",
        "uns",
    },
    "fr": {
        "le",
        "la",
        "les",
        "des",
        "du",
        "de",
        "et",
        "pour",
        "facture",
        "montant",
        "total",
        "date",
        "tva",
        "à",
        "paiement",
        "sur",
        "par",
        "votre",
        "vous",
        "nous",
        "est",
        "une",
        "au",
        "en",
        "prix",
    },
    "es": {
        "el",
        "la",
        "los",
        "las",
        "del",
        "de",
        "y",
        "para",
        "factura",
        "fecha",
        "importe",
        "total",
        "iva",
        "pago",
        "por",
        "su",
        "con",
        "una",
        "es",
        "precio",
        "cantidad",
        "en",
    },
    "nl": {
        "de",
        "het",
        "een",
        "en",
        "van",
        "voor",
        "met",
        "factuur",
        "datum",
        "bedrag",
        "totaal",
        "btw",
        "betaling",
        "uw",
        "wij",
        "is",
        "niet",
        "op",
        "je",
        "aantal",
        "prijs",
        "naar",
        "bij",
    },
}
_TOKEN = re.compile(r"[a-zà-ÿß]+")


def detect_language(text: str) -> tuple[str | None, float]:
    """The most likely of en/de/fr/es/nl and a confidence, or (None, 0) for too little evidence.

    Words shared by two languages ("de", "la") count half for each."""
    tokens = _TOKEN.findall(text.lower())
    score: Counter[str] = Counter()
    for tok in tokens:
        langs = [lang for lang, words in WORDS.items() if tok in words]
        for lang in langs:
            score[lang] += 1.0 / len(langs)
    if not score:
        return None, 0.0
    (best, top), *rest = [*score.most_common(2), ("", 0.0)]
    second = rest[0][1]
    if top < 2:
        return None, 0.0
    return best, round(min(0.99, 0.5 + 0.5 * (top - second) / top), 3)

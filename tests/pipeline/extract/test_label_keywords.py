"""The words a label list's expressions cannot match without (`LabelSet.keywords`): a filter that
must never turn away a segment one of the expressions matches."""

from __future__ import annotations

import re

import pytest

from pipeline.extract import labels as L
from pipeline.layout import lines_by_centre
from pipeline.load import load

_LABEL_SETS = {name: v for name, v in vars(L).items() if isinstance(v, L.LabelSet)}


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (r"\binvoice\s*(?:number|no\.?)", {"invoice"}),
        (r"\bf[äa]llig(?:keit)?", {"fällig", "fallig"}),  # a small class: one word a member
        (r"nummer|no|n[°º]", {"nummer", "no", "n°", "nº"}),  # `re` takes the common "n" out
        (r"\d\d[a-z]x", None),  # a wide class ends the run
        (r"\bdue\s*date|\bpayment\s*due", {"date", "payment"}),  # each branch its longest run
        (r"x(?:ab|cd)", {"xab", "xcd"}),  # the run goes on into each branch
        (r"a|bcd", None),  # one branch without a word of two letters: nothing is needed
        (r"(?:total)?\s*amount", {"amount"}),
        (r"(?:ab)+", {"ab"}),
        (r"(?:abc)*d", None),
    ],
)
def test_the_needed_words_are_runs_every_match_holds(pattern: str, words: set[str] | None) -> None:
    from re import _constants, _parser

    assert L._needed(_parser.parse(pattern, re.IGNORECASE).data, _constants) == words


def _segments() -> list[str]:
    """Every segment of generated invoices in the five languages, as printed, in capitals and in
    lower case, and each label list's own examples."""
    from bench.synth import generate

    texts: list[str] = []
    for i in range(15):
        doc = load(generate(3, i, items=1 + i % 4).pdf)
        for page in doc.pages:
            texts += [s.text for ln in lines_by_centre(page) for s in ln.segments]
    texts += ["Invoice No:", "Rechnungsdatum", "Date d'échéance", "Fecha de vencimiento", "Vervaldatum",
              "Total TTC", "Zwischensumme", "IBAN", "BIC/SWIFT", "Kundennummer", "Bill to",
              "Leistungszeitraum"]
    return [t for x in texts for t in (x, x.upper(), x.lower())]


def test_no_segment_a_label_matches_is_turned_away_by_the_keywords() -> None:
    segments = _segments()
    matched = 0
    for name, labels in _LABEL_SETS.items():
        if labels.keywords is None:
            continue
        for text in segments:
            if any(p.search(text) for p, _ in labels):
                matched += 1
                assert not text.isascii() or labels.keywords.search(text.lower()), (name, text)
    assert matched > 100  # the check saw labels, not only text that matches none


def test_most_label_lists_have_keywords() -> None:
    assert sum(v.keywords is not None for v in _LABEL_SETS.values()) >= len(_LABEL_SETS) - 4

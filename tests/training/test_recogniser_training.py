"""The recogniser's training data and starting point (training/); the training run itself is
measured, not tested (docs/ocr.md)."""

from __future__ import annotations

import re

import numpy as np
import pytest

pytest.importorskip("faker")  # the `train` extra; the test extra installs it too

from bench.ocr_speed import error_counts
from pipeline.ocr import recognisers
from tests.pipeline.ocr.helpers import grey, text_image
from training.lines import Lines
from training.recogniser import batch_tensor, decode, widened_english


def test_lines_are_seeded_and_within_the_characters() -> None:
    first, again = Lines(7), Lines(7)
    for _ in range(20):
        a, b = first.next(), again.next()
        assert a.text == b.text and np.array_equal(a.image, b.image)
        assert a.text and set(a.text) <= set(recognisers.LATIN5)
        assert a.image.dtype == np.uint8 and a.image.ndim == 2 and a.image.min() < a.image.max()


def test_lines_bring_accented_letters() -> None:
    source = Lines(11)
    texts = [source.text() for _ in range(2000)]
    seen = set("".join(texts))
    assert set("äöüßÄÖÜéèêàâçôñóíúá") <= seen, sorted(set("äöüßÄÖÜéèêàâçôñóíúá") - seen)


def test_lines_rehearse_what_english_already_reads() -> None:
    """The ASCII English reads and fine-tuning must not unlearn (session 12's weights lost
    "invoice_number_1" and "FR 05 987 654 321" on scans): underscores, spaced digit groups, all
    of English's signs."""
    source = Lines(11)
    texts = [source.text() for _ in range(6000)]
    assert any(re.search(r"[a-z]_[a-z0-9]", t) for t in texts)
    assert any(re.fullmatch(r"[A-Z]{2,3} \d{2,3}( \d{2,3}){2,4}", t) for t in texts)
    signs = {c for c in recognisers.ENGLISH if not c.isalnum() and c not in " \\"}  # no "\\" printed
    assert signs <= set("".join(texts)), sorted(signs - set("".join(texts)))


def test_the_widened_network_starts_as_the_english_one() -> None:
    """Each new class is a copy of its base letter's row, 2 lower: before training the network
    reads a plain line exactly as english_g2 does."""
    img = grey(text_image(["Invoice 4711 Total 1,234.56"], height=60))
    rows = np.flatnonzero((img < 128).any(axis=1))
    cols = np.flatnonzero((img < 128).any(axis=0))
    crop = img[rows[0] - 6 : rows[-1] + 7, cols[0] - 6 : cols[-1] + 7]
    batch = batch_tensor([crop])
    widened = decode(widened_english()(batch, None))
    [plain] = decode(recognisers.network("english")(batch, None), recognisers.ENGLISH)
    assert widened == [plain] and error_counts("Invoice 4711 Total 1,234.56", plain)[0] <= 1

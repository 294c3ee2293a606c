"""Splitting EasyOCR boxes into words and grouping them into lines (pure geometry, fast)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.model import Word
from pipeline.ocr import engine
from pipeline.ocr.engine import TextBox
from pipeline.ocr.words import group_lines, pixels_per_point, scaled, split_box, to_words


def box(text: str, x0: float, y0: float, x1: float, y1: float, conf: float = 0.9) -> TextBox:
    return TextBox(text=text, x0=x0, y0=y0, x1=x1, y1=y1, confidence=conf)


def test_words_get_proportional_positions() -> None:
    parts = split_box(box("ab cdef", 100, 0, 170, 10))  # 7 characters, 10 px each
    assert parts == [("ab", 100, 120), ("cdef", 130, 170)]


def test_word_edges_snap_to_the_blank_gap() -> None:
    ink = np.ones(70)
    ink[24:33] = 0  # the real gap is at 24..32, the proportional guess puts it at 20..30
    (_, a0, a1), (_, b0, b1) = split_box(box("ab cdef", 100, 0, 170, 10), ink)
    assert (a0, a1, b0, b1) == (100, 124, 133, 170)


@given(st.lists(st.text(alphabet="abcXYZ019.,", min_size=1, max_size=8), min_size=1, max_size=6),
       st.floats(0, 1000), st.floats(10, 900))
def test_split_keeps_every_word_in_order_inside_the_box(tokens: list[str], x0: float, w: float) -> None:
    b = box(" ".join(tokens), x0, 0, x0 + w, 10)
    parts = split_box(b)
    assert [p[0] for p in parts] == tokens
    for (_, a0, a1), (_, n0, _) in itertools.pairwise(parts):
        assert a0 < a1 <= n0
    assert parts[0][1] >= x0 - 1e-6 and parts[-1][2] <= x0 + w + 1e-6


def test_boxes_on_one_row_share_a_line_and_rows_are_ordered() -> None:
    boxes = [
        box("Total", 400, 102, 480, 122),
        box("Invoice 12", 10, 10, 120, 30),
        box("Date", 10, 100, 60, 120),
        box("2024-01-02", 300, 12, 420, 31),
    ]
    lines = group_lines(boxes)
    assert [[b.text for b in ln] for ln in lines] == [["Invoice 12", "2024-01-02"], ["Date", "Total"]]
    words = to_words(boxes, page=3)
    assert [(w.text, w.line) for w in words] == [
        ("Invoice", 0), ("12", 0), ("2024-01-02", 0), ("Date", 1), ("Total", 1)
    ]
    assert {w.page for w in words} == {3}
    assert words[0].block == words[1].block != words[2].block


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("VAT Reg_ No.: 12-7192347", "VAT Reg. No.: 12-7192347"),  # a full stop read as "_"
        ("Quintessa Trading Co _", "Quintessa Trading Co."),
        ("john_doe@example.com", "john_doe@example.com"),  # an underscore inside a word stays
        ("Signature: ____", "Signature: ____"),
        ("Total 5_ 7", "Total 5_ 7"),  # after a number only before a word or at the box's end
        ("Datum: 16 _", "Datum: 16."),
        ("Datum: 16 _ September 2023", "Datum: 16. September 2023"),
    ],
)
def test_underscore_after_a_word_is_a_full_stop(read: str, expected: str) -> None:
    assert engine.full_stops(read) == expected


def _word(h: float) -> Word:
    return Word(text="x", x0=0, y0=0, x1=10, y1=h, page=0)


def test_pixels_per_point_from_the_resolution_the_page_shape_or_the_text_height() -> None:
    words = [_word(h) for h in (18, 20, 22)]
    assert pixels_per_point(200, 1654, 2339, words) == pytest.approx(200 / 72)  # stated or rendered
    assert pixels_per_point(None, 1654, 2339, words) == pytest.approx(2339 / 842)  # A4-shaped scan
    assert pixels_per_point(None, 2339, 1654, words) == pytest.approx(2339 / 842)  # lying on its side
    assert pixels_per_point(None, 600, 2400, words) == pytest.approx(2.0)  # a receipt: 20 px words
    assert pixels_per_point(None, 600, 2400, []) == 1.0


def test_scaled_words_are_in_points() -> None:
    (w,) = scaled([Word(text="Total", x0=100, y0=50, x1=300, y1=80, page=0, confidence=0.8)], 2.5)
    assert (w.x0, w.y0, w.x1, w.y1, w.text, w.confidence) == (40, 20, 120, 32, "Total", 0.8)


def test_table_rules_read_as_bars_are_left_out() -> None:
    parts = split_box(box("|LE FOURNISSEUR 60,00| |", 0, 0, 240, 10))  # 24 characters, 10 px each
    assert parts == [("LE", 10, 30), ("FOURNISSEUR", 40, 150), ("60,00", 160, 210)]


def test_the_number_sign_read_without_its_degree_is_n_degree() -> None:
    for read in ('N"', "N'", "N’", "IN\"", "(N'", "N?"):
        assert split_box(box(f"{read} TVA", 0, 0, 60, 10))[0][0] == "N°"
    assert [w for w, *_ in split_box(box("N'hésitez pas NO", 0, 0, 160, 10))] == ["N'hésitez", "pas", "NO"]

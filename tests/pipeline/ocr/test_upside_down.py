"""The upside-down decision (`pipeline.ocr.upside_down`), with a stand-in recogniser: how sure each
sample reads is all it looks at (pure: no model)."""

from __future__ import annotations

import numpy as np

from pipeline.ocr import Read, upside_down
from pipeline.ocr.engine import TextBox

GREY = np.full((1000, 700), 255, dtype=np.uint8)


def _page(confidence: float, boxes: int = 60) -> list[TextBox]:
    """`boxes` readings of the page as it lies, widest first, each read at `confidence`."""
    return [TextBox("x", 10, 12 * k, 300 - k, 12 * k + 10, confidence) for k in range(boxes)]


def _reader(confidence: float) -> tuple[Read, list[int]]:
    """A stand-in for `engine.recognize_pages` that reads every box of every turned page at
    `confidence`, and the list of how many boxes each page it was asked for had."""
    asked: list[int] = []

    def read(batch: list[tuple[np.ndarray, list[list[int]]]]) -> list[list[TextBox]]:
        asked.extend(len(boxes) for _, boxes in batch)
        return [[TextBox("y", b[0], b[2], b[1], b[3], confidence) for b in boxes] for _, boxes in batch]

    return read, asked


def test_a_page_past_reading_either_way_is_turned_where_a_larger_sample_reads_twice_as_well() -> None:
    """akretion on seed 1759: upside down at 150 dpi, its sample read at 0.03 as it lay and 0.10
    turned, short of the 0.1 margin; a larger sample read three times as well turned."""
    read, asked = _reader(0.10)
    assert upside_down([(GREY, _page(0.03))], read) == [True]
    assert asked == [8, 32]


def test_a_poor_upright_page_is_not_turned_and_asks_no_larger_sample() -> None:
    """Upright pages as poor read worse turned (seeds 1697-1741: 0.071 / 0.011 ... 0.234 / 0.034)."""
    read, asked = _reader(0.02)
    assert upside_down([(GREY, _page(0.05))], read) == [False]
    assert asked == [8]


def test_a_little_better_turned_is_not_enough() -> None:
    """Under twice as well, or under 0.05 better, the page stays as it lies."""
    assert upside_down([(GREY, _page(0.20))], _reader(0.28)[0]) == [False]
    assert upside_down([(GREY, _page(0.02))], _reader(0.05)[0]) == [False]


def test_a_clear_gain_turns_and_a_sure_page_is_not_read_turned() -> None:
    assert upside_down([(GREY, _page(0.40))], _reader(0.90)[0]) == [True]
    read, asked = _reader(0.99)
    assert upside_down([(GREY, _page(0.85))], read) == [False]
    assert asked == []

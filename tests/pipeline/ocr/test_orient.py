"""Orientation and skew from projection profiles (no OCR model needed, fast)."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.orient import deskew, estimate_layout, quarter_turn
from tests.pipeline.ocr.helpers import grey, text_image

LINES = [
    "Rechnung Nr. RE-2024-0815 vom 12.03.2024",
    "Müller & Söhne GmbH, Hauptstraße 5",
    "Pos Beschreibung Menge Preis Betrag",
    "1 Schrauben verzinkt 10 1,25 12,50",
    "Gesamtbetrag 583,10 EUR",
]


@pytest.mark.parametrize("skew", [-2.0, -0.7, 0.0, 1.3, 2.0])
def test_skew_is_measured_to_a_quarter_degree(skew: float) -> None:
    layout = estimate_layout(grey(text_image(LINES, 1000, 600, skew=skew)))
    assert layout.turn == 0
    assert abs(layout.skew - skew) <= 0.25


@pytest.mark.parametrize("turn", [90, 270])
def test_vertical_lines_need_a_quarter_turn(turn: int) -> None:
    layout = estimate_layout(grey(text_image(LINES, 1000, 600, skew=1.0, turn=turn)))
    assert layout.turn == 90
    assert abs(layout.skew - 1.0) <= 0.25


def test_upside_down_page_still_has_horizontal_lines() -> None:
    assert estimate_layout(grey(text_image(LINES, 1000, 600, turn=180))).turn == 0


@pytest.mark.parametrize("side", ["left", "right"])
def test_a_desk_beside_the_sheet_is_not_taken_for_print(side: str) -> None:
    """A photo whose sheet runs out of it on three sides (no outline: read as it lies) shows the
    desk in a dark strip down one side: ink in every row, so the rows' profile had no gaps and
    the page was turned a quarter (mustang's invoice on cropped seed 71, read as gibberish)."""
    img = grey(text_image(LINES, 1000, 600, skew=1.0)).copy()
    strip = slice(None, 90) if side == "left" else slice(-90, None)
    img[:, strip] = 70
    layout = estimate_layout(img)
    assert layout.turn == 0
    assert abs(layout.skew - 1.0) <= 0.25


def test_blank_page_is_left_alone() -> None:
    layout = estimate_layout(np.full((400, 300), 255, dtype=np.uint8))
    assert (layout.turn, layout.skew, layout.score) == (0, 0.0, 0.0)


def test_deskew_removes_the_measured_skew() -> None:
    img = grey(text_image(LINES, 1000, 600, skew=1.8))
    fixed = deskew(img, estimate_layout(img).skew)
    assert fixed.shape[0] >= img.shape[0] and fixed.shape[1] >= img.shape[1]  # canvas grows
    assert abs(estimate_layout(fixed).skew) <= 0.25


def test_quarter_turn_is_clockwise() -> None:
    img = np.zeros((2, 3), dtype=np.uint8)
    img[0, 0] = 9  # top-left goes to top-right on a clockwise turn
    assert quarter_turn(img, 90).shape == (3, 2)
    assert quarter_turn(img, 90)[0, 1] == 9
    assert quarter_turn(img, 270)[2, 0] == 9
    assert quarter_turn(img, 180)[1, 2] == 9

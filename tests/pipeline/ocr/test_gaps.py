"""Boxes joined across an inked gap: a word the detector broke in two (pure: no OCR models)."""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.ocr.gaps import bridged
from pipeline.ocr.lone_marks import ink


def _line(text: str, y: int, grey: np.ndarray) -> None:
    cv2.putText(grey, text, (20, y), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)


def test_a_word_broken_by_the_detector_is_one_box_again() -> None:
    """"Alphabet Fuhrparkmanagement GmbH": boxes for "Alphabet Fuhrpa", a sliver of the next
    letters (less tall) and "gement GmbH", with the letters between the first two undetected."""
    grey = np.full((120, 900), 255, dtype=np.uint8)
    _line("Alphabet Fuhrparkmanagement GmbH", 60, grey)
    width = cv2.getTextSize("Alphabet Fuhrpa", cv2.FONT_HERSHEY_SIMPLEX, 1.0, 2)[0][0]
    rest = cv2.getTextSize("Alphabet Fuhrparkma", cv2.FONT_HERSHEY_SIMPLEX, 1.0, 2)[0][0]
    total = cv2.getTextSize("Alphabet Fuhrparkmanagement GmbH", cv2.FONT_HERSHEY_SIMPLEX, 1.0, 2)[0][0]
    boxes = [[14, 20 + width, 32, 70], [20 + rest, 20 + rest + 24, 42, 64],
             [20 + rest + 24, 26 + total, 32, 70]]
    assert bridged(ink(grey), boxes) == [[14, 26 + total, 32, 70]]


def test_words_apart_columns_apart_and_a_rule_between_label_and_amount_stay_apart() -> None:
    grey = np.full((200, 900), 255, dtype=np.uint8)
    _line("Invoice", 50, grey)
    cv2.putText(grey, "Total", (20, 150), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    cv2.line(grey, (110, 145), (170, 145), 0, 2)  # a rule leading to the amount
    cv2.putText(grey, "12.00", (180, 150), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    cv2.putText(grey, "Page 1", (600, 50), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    cv2.putText(grey, "no.", (150, 50), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    boxes = [[14, 140, 22, 60], [146, 200, 22, 60], [594, 720, 22, 60], [14, 105, 122, 160],
             [176, 270, 122, 160]]
    # "Invoice" | "no." a word space apart, "Page 1" across paper, "Total" and "12.00" across a rule.
    assert sorted(bridged(ink(grey), boxes)) == sorted(boxes)

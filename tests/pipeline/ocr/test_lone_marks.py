"""Character-sized ink that no detected box covers (pure: no OCR models)."""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.ocr.engine import TextBox
from pipeline.ocr.lone_marks import ink, kept, lone_marks


def _page() -> tuple[np.ndarray, list[TextBox]]:
    grey = np.full((300, 900), 255, dtype=np.uint8)
    words = []
    for y in (60, 140, 220):
        cv2.putText(grey, "Consulting hours", (20, y), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
        words.append(TextBox("Consulting hours", 12, y - 32, 300, y + 12, 0.99))
    cv2.putText(grey, "1", (500, 60), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)  # the lone quantity
    cv2.putText(grey, "12", (500, 140), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)  # two digits: one box
    cv2.rectangle(grey, (650, 195), (662, 220), 0, -1)  # a solid bar: no character
    cv2.line(grey, (20, 260), (880, 260), 0, 2)  # a table rule
    cv2.circle(grey, (800, 60), 1, 0, -1)  # a speck
    cv2.putText(grey, "g", (302, 220), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)  # touches a word box
    return grey, words


def test_lone_characters_become_boxes_and_rules_specks_and_fragments_do_not() -> None:
    grey, words = _page()
    boxes = lone_marks(ink(grey), words)
    assert len(boxes) == 2
    one, twelve = sorted(boxes, key=lambda b: b[2])
    assert one[0] <= 500 and one[1] >= 515 and one[2] <= 40 <= 60 <= one[3]
    assert twelve[0] <= 500 and twelve[1] >= 540 and twelve[2] <= 120 <= 140 <= twelve[3]
    assert lone_marks(ink(grey), []) == []


def test_only_sure_readings_with_a_letter_or_digit_are_kept() -> None:
    readings = [TextBox("1", 0, 0, 1, 1, 0.98), TextBox("-", 0, 0, 1, 1, 0.99), TextBox("7", 0, 0, 1, 1, 0.3)]
    assert [t.text for t in kept(readings)] == ["1"]

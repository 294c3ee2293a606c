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


def test_a_digit_read_less_surely_under_a_sure_one_of_its_column_is_kept() -> None:
    """coolblue's quantity column on scanner seed 2251: lone "1"s read at 1.0 and 0.84, the levy
    row's at 0.40. A digit read at 0.3 or more where the same digit was read surely in its column is
    kept; one off the column, another digit, or one read under 0.3 is not."""
    column = [TextBox("1", 823, 574, 833, 590, 1.0), TextBox("1", 823, 642, 833, 658, 0.84)]
    doubtful = [TextBox("1", 824, 598, 834, 614, 0.40), TextBox("1", 900, 598, 910, 614, 0.40),
                TextBox("7", 824, 620, 834, 636, 0.40), TextBox("1", 824, 700, 834, 716, 0.2)]
    assert [(t.x0, t.y0) for t in kept(column + doubtful)] == [(823, 574), (823, 642), (824, 598)]


def test_pieces_of_a_faint_rule_are_no_characters() -> None:
    """A grey table rule hovers around the binarisation's threshold on a scan: where it is a little
    darker, a character-sized piece of it is ink, and without the grey image it reads as "1"
    (F20180027's frame on scanner seed 251). A "1" beside it, with paper above and below, stays."""
    grey = np.full((300, 900), 255, dtype=np.uint8)
    words = []
    for y in (60, 140, 220):
        cv2.putText(grey, "Consulting hours", (20, y), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 90, 2)
        words.append(TextBox("Consulting hours", 12, y - 32, 300, y + 12, 0.99))
    cv2.rectangle(grey, (699, 10), (701, 290), 180, -1)  # the rule, just lighter than the threshold
    cv2.line(grey, (699, 106), (699, 126), 120, 1)
    cv2.line(grey, (700, 100), (700, 130), 120, 1)  # a darker stretch of it: ink
    cv2.line(grey, (701, 112), (701, 124), 120, 1)
    cv2.putText(grey, "1", (500, 140), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 90, 2)
    binary = ink(grey)
    assert binary[115, 700] == 1 and binary[60, 700] == 0  # the piece is ink, the rest of the rule not
    without = lone_marks(binary, words)
    assert sorted(b[0] // 100 for b in without) == [4, 6]  # the "1" and the piece of rule
    kept_boxes = lone_marks(binary, words, grey)
    assert [b[0] // 100 for b in kept_boxes] == [4]

"""Which row the lines between two rows' amounts belong to (pure: lines built by hand)."""

from __future__ import annotations

from pipeline.layout import Line, Segment
from pipeline.model import Word
from pipeline.tables.rows import BodyLine, group_rows

WORD_H = 9.7


def _line(text: str, y0: float, y1: float, anchor: bool = False) -> BodyLine:
    words = [Word(t, 60 + 40 * i, y0, 95 + 40 * i, y1, 0) for i, t in enumerate(text.split())]
    return BodyLine(Line(words, [Segment(words)]), {}, anchor=anchor)


def _groups(mid_top: float, mid_bottom: float) -> list[list[str]]:
    body = [
        _line("Apple MacBook Pro 13,3 + Apple Magic Mouse 1 2.321,00", 283.5, 293.3, anchor=True),
        _line("Apple MacBook Pro 15,4 256 GB 1", mid_top, mid_bottom),
        _line("Incl. Thuiskopieheffing 1 21% €4,24", 307.3, 316.0, anchor=True),
    ]
    return [[bl.line.text.split()[0] + " " + bl.line.text.split()[1] for bl in g.lines]
            for g in group_rows(body, None, WORD_H)]


def test_a_line_between_two_rows_goes_to_the_lower_one_only_across_a_clear_gap() -> None:
    """coolblue's bundle on scanner seed 223: its sub-line is 3.4 pt under the bundle's row and 0.9
    pt over the next, a third of a word height apart; boxes fitted to scanned ink move that much, so
    it stays with the row above (as the text layer's fonts' boxes put it). Half a line of paper
    above it and none below does move it down."""
    assert _groups(296.7, 306.4) == [["Apple MacBook", "Apple MacBook"], ["Incl. Thuiskopieheffing"]]
    assert _groups(299.0, 306.4) == [["Apple MacBook"], ["Apple MacBook", "Incl. Thuiskopieheffing"]]


def test_a_description_overlapping_the_next_rows_amounts_goes_down_past_a_touch_above_it() -> None:
    """horstoeko on seed 1453 (150 dpi): OCR's boxes, taller than the print, make the lines of one
    row overlap (by 2.5 to 4.8 pt), so the 0.2 pt that parts "FOURNITURES diverses", set half a line
    above its amounts, from the row above is a clear gap there; it opens the lower row. Where the
    upper row's lines stand apart, such a touch is no gap and the line stays up."""

    def groups(period_bottom: float) -> list[list[str]]:
        body = [
            _line("1 PRESTATION 60,00", 411.0, 419.1, anchor=True),
            _line("Periode de", 414.3, period_bottom),
            _line("9BAS x", 420.2, 428.9),
            _line("FOURNITURES diverses", 429.1, 438.8),
            _line("2 kgne 30,00", 435.3, 443.4, anchor=True),
        ]
        return [[" ".join(bl.line.text.split()[:2]) for bl in g.lines] for g in group_rows(body, None, 8.38)]

    assert groups(422.7) == [["1 PRESTATION", "Periode de", "9BAS x"], ["FOURNITURES diverses", "2 kgne"]]
    assert groups(418.0) == [["1 PRESTATION", "Periode de", "9BAS x", "FOURNITURES diverses"], ["2 kgne"]]

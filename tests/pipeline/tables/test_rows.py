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

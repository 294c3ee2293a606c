"""Splitting EasyOCR boxes into words and grouping them into lines (pure geometry, fast)."""

from __future__ import annotations

import itertools

import cv2
import numpy as np
import pymupdf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.layout import lines_of
from pipeline.model import Page, Word
from pipeline.ocr import engine
from pipeline.ocr.engine import TextBox
from pipeline.ocr.words import fit_to_ink, group_lines, pixels_per_point, scaled, split_box, to_words


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


def test_a_rule_read_between_a_codes_digits_and_a_capitals_word_parts_them() -> None:
    """horstoeko on seed 2129 (latin5): "(GLN:5987854125) PRESTATION" read as one word with a bar."""
    parts = split_box(box("GLN.5987854125|PRESTATION SUPPORT", 0, 0, 330, 10))  # 33 characters
    assert parts == [("GLN.5987854125", 0, 140), ("PRESTATION", 150, 250), ("SUPPORT", 260, 330)]
    # Between digits it may be a "1", between letters an "l": never cut there.
    assert [w for w, *_ in split_box(box("4|7 Chegue|e 12|a", 0, 0, 170, 10))] == ["4|7", "Chegue|e", "12|a"]
    # Seed 3373 (latin5): before a capitalised word, and after a closing bracket before any word.
    assert [w for w, *_ in split_box(box("GLN.5987854125|Période", 0, 0, 220, 10))] == ["GLN.5987854125",
                                                                                       "Période"]
    assert [w for w, *_ in split_box(box("(EUR)|for", 0, 0, 90, 10))] == ["(EUR)", "for"]


def test_the_number_sign_read_without_its_degree_is_n_degree() -> None:
    for read in ('N"', "N'", "N’", "IN\"", "(N'", "N?"):
        assert split_box(box(f"{read} TVA", 0, 0, 60, 10))[0][0] == "N°"
    assert [w for w, *_ in split_box(box("N'hésitez pas NO", 0, 0, 160, 10))] == ["N'hésitez", "pas", "NO"]


Rect = tuple[float, float, float, float]


def _staggered_cells(dpi: int = 200) -> tuple[np.ndarray, list[tuple[str, Rect]]]:
    """A grey page with a table's cells set half a line apart in 6.6 pt type, as the French
    Factur-X template prints them ("# ligne BC: 1" above-left of its description, the amounts
    between the description's two lines), and each run's text-layer box in pixels."""
    doc = pymupdf.open()
    page = doc.new_page(width=300, height=120)
    runs = [((20, 40), "#ligne BC: 1"), ((80, 44.3), "PRESTATION SUPPORT - Description"),
            ((20, 48.6), "1"), ((220, 48.6), "60,00"), ((80, 52.9), "Période de 01/12/2019 au 31/12/2019")]
    for origin, text in runs:
        page.insert_text(origin, text, fontname="helv", fontsize=6.6)
    boxes = []
    for (x, y), text in runs:
        (rect,) = page.search_for(text, clip=pymupdf.Rect(x - 0.5, y - 4, x + 250, y + 1.5))[:1]
        boxes.append((text, tuple(v * dpi / 72 for v in rect)))
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    img = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width).copy()
    return img, boxes


def _detector_box(text: str, rect: Rect, grow: float, shift: float) -> TextBox:
    """A detector's box around a text-layer box: taller by `grow` of its height, moved down by
    `shift` of it (CRAFT's margins vary with the box)."""
    x0, y0, x1, y1 = rect
    h = y1 - y0
    return box(text, x0 - 4, y0 - grow * h / 2 + shift * h, x1 + 4, y1 + grow * h / 2 + shift * h)


def test_boxes_fitted_to_their_ink_keep_staggered_cells_on_their_own_lines() -> None:
    """Detector boxes 1.3-1.5 times the text's height, their middles off by up to a tenth of it:
    fitted to the ink, the line number, the description's two lines and the amounts between them
    are four lines of the page, as the text layer has them."""
    grey, rects = _staggered_cells()
    detected = [_detector_box(text, rect, grow, shift) for (text, rect), grow, shift
                in zip(rects, (0.5, 0.3, 0.5, 0.4, 0.3), (0.1, -0.1, 0.05, -0.05, 0.1), strict=True)]

    def page_lines(words: list[Word]) -> list[list[str]]:
        page = Page(0, 300, 120, scaled(words, 200 / 72), text_source="ocr")
        return [[s.text for s in ln.segments] for ln in lines_of(page)]

    assert len(page_lines(to_words(detected, page=0))) < 4  # the detector's boxes chain them
    fitted = fit_to_ink(detected, grey)
    for (text, (_, y0, _, y1)), fit in zip(rects, fitted, strict=True):
        h = y1 - y0
        assert abs((fit.y0 + fit.y1) / 2 - (y0 + y1) / 2) < 0.15 * h, text
        assert 0.75 * h < fit.y1 - fit.y0 < 1.25 * h, text
    assert page_lines(to_words(detected, page=0, grey=grey)) == [
        ["#ligne BC: 1"], ["PRESTATION SUPPORT - Description"], ["1", "60,00"],
        ["Période de 01/12/2019 au 31/12/2019"],
    ]


def test_a_lone_seven_boxed_apart_keeps_the_height_and_place_of_its_line() -> None:
    """QualityHosting's "Rechnungsdatum 7. Mai 2014" on seeds 1237 and 1249: the detector boxed the
    "7" apart, and in a "7" only the bar is a row dense with ink (its stem is a fifth as wide), so
    the fit put the baseline under the bar: a box half high and raised, a line of its own, and the
    date lost its day. One or two digits end on the baseline."""
    grey = np.full((90, 420), 255, dtype=np.uint8)
    for x, text in ((5, "Datum"), (120, "7"), (150, "Mai 2014")):
        cv2.putText(grey, text, (x, 60), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    seven, words = fit_to_ink([box("7", 115, 32, 145, 68), box("Mai 2014", 146, 32, 300, 68)], grey)
    height = words.y1 - words.y0
    assert abs(seven.y1 - words.y1) < 0.1 * height
    assert abs(seven.y0 - words.y0) < 0.15 * height


def test_a_box_without_contrast_keeps_its_detector_box() -> None:
    grey = np.full((60, 200), 200, dtype=np.uint8)
    detected = [box("faint", 10, 10, 190, 40)]
    assert fit_to_ink(detected, grey) == detected


def test_a_speck_read_as_a_quote_mark_before_a_number_is_left_out() -> None:
    parts = split_box(box('"49,99 21%', 0, 0, 100, 10))  # 10 characters, 10 px each
    assert parts == [("49,99", 10, 60), ("21%", 70, 100)]
    assert [w for w, *_ in split_box(box("„15/01/2020 ‘5.00 15,4\" 'quoted'", 0, 0, 330, 10))] == [
        "15/01/2020", "5.00", '15,4"', "'quoted'",
    ]


def test_flat_strokes_read_unsurely_are_dashes_and_sure_readings_stay() -> None:
    boxes = [
        box("7-", 55, 331, 63, 334, conf=0.05),  # "---" before a section title, 3 px high
        box("Non Food", 66, 324, 113, 338),
        box("~-", 113, 331, 120, 334, conf=0.14),
        box(".....", 130, 334, 170, 337, conf=0.9),  # dot leaders read surely: kept
        box("Total", 200, 324, 230, 338),
        box("-", 240, 330, 243, 332, conf=0.9),
    ]
    text = [box(f"Line {k}", 55, 350 + 20 * k, 120, 364 + 20 * k) for k in range(4)]  # most of a page
    words = to_words(boxes + text, page=0)
    assert [w.text for w in words][:7] == ["--", "Non", "Food", "--", ".....", "Total", "-"]

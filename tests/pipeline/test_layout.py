"""Words -> visual lines -> segments (pipeline.layout), on hand-built word boxes."""

from __future__ import annotations

from pipeline.layout import lines_by_centre, lines_of
from pipeline.model import Page, Word


def _w(text: str, x0: float, y0: float, x1: float, y1: float, block: int = 0) -> Word:
    return Word(text, x0, y0, x1, y1, 0, block=block)


def _lines(words: list[Word], source: str = "pdf_text") -> list[list[str]]:
    page = Page(0, 595, 842, words, text_source=source)
    return [[s.text for s in ln.segments] for ln in lines_of(page)]


def test_a_taller_word_does_not_chain_half_line_staggered_rows_into_one() -> None:
    """A header set in rows half a line apart ("P.U. HT (EUR)" with "for P.U." below it, "UNIT"
    above): a bracketed word a little taller than its neighbours reached both, and as a band grew
    to the union of its words the three rows became one line."""
    words = [
        _w("UNIT", 340, 380.0, 360, 387.4),
        _w("P.U.", 300, 384.4, 312, 391.8), _w("(EUR)", 315, 383.6, 331, 393.0),
        _w("for", 340, 388.8, 350, 396.2), _w("P.U.", 352, 388.8, 364, 396.2),
    ]
    assert _lines(words) == [["UNIT"], ["P.U. (EUR)"], ["for P.U."]]


def test_words_of_one_line_stay_together() -> None:
    words = [_w("Invoice", 50, 100, 90, 110), _w("no.", 93, 100.5, 108, 110.5),
             _w("4711", 111, 99.6, 135, 109.8)]
    assert _lines(words) == [["Invoice no. 4711"]]


def test_a_word_space_in_large_print_does_not_split_a_title() -> None:
    """The page's body text is 10 points high; a 21-point letterhead's word space is wider than a
    body line's column gap, but not wider than its own words' height."""
    body = [_w(f"w{k}", 50, 200 + 14 * k, 80, 210 + 14 * k) for k in range(9)]
    title = [_w("Etablissements", 50, 50, 176, 71), _w("Montclair", 192, 50, 272, 71)]
    body_gap = [_w("Total", 50, 400, 80, 410), _w("12,00", 96, 400, 126, 410)]
    lines = _lines([*body, *title, *body_gap])
    assert lines[0] == ["Etablissements Montclair"]
    assert lines[-1] == ["Total", "12,00"]


def test_words_of_one_detected_box_part_only_at_twice_the_gap() -> None:
    """OCR places the words inside a detected box by estimate: a misread character count can open
    a gap no wider than twice a column gap inside it, never a real column break."""
    words = [_w("FR83", 414, 786, 430, 794, block=7), _w("297", 434, 786, 441, 794, block=7),
             _w("942", 451, 786, 461, 794, block=7), _w("Total", 480, 786, 500, 794, block=8)]
    words += [_w(f"w{k}", 50, 200 + 14 * k, 80, 208 + 14 * k, block=k) for k in range(9)]
    assert _lines(words, "ocr")[-1] == ["FR83 297 942", "Total"]
    assert _lines(words, "pdf_text")[-1] == ["FR83 297", "942", "Total"]


def test_a_speck_between_a_label_and_its_value_does_not_split_their_line() -> None:
    """horstoeko on scanner seed 277: the colon after "Date d'échéance" read as a "9" a third of the
    line's height, its centre the highest of the line. Starting the line, its small box left out
    the date, whose centre lies a hair lower, and the due date was lost. The speck stays a line of
    its own; the label, the date and the rest of the line are one line."""
    words = [
        _w("9", 151.6, 711.5, 155.0, 714.4),
        _w("NET", 334.5, 709.8, 348.6, 718.7), _w("PAYER", 359.3, 709.8, 383.4, 718.7),
        _w("Date", 96.5, 710.2, 112.3, 718.5), _w("d'échéance", 114.4, 710.2, 151.6, 718.5),
        _w("15/02/2020", 191.2, 709.8, 232.2, 719.2),
        *[_w(f"w{k}", 50, 500 + 14 * k, 80, 509 + 14 * k) for k in range(5)],
    ]
    page = Page(0, 595, 842, words, text_source="ocr")
    lines = [ln.text for ln in lines_by_centre(page) if ln.y0 < 720]
    assert "Date d'échéance 15/02/2020 NET PAYER" in lines and "9" in lines


def test_smaller_print_that_starts_a_line_does_not_cut_a_word_off_it() -> None:
    """ZUGFeRD's leasing sample on seed 907: the footer's smaller "Datum: 30.10.2024" (4.5 high)
    started the line, and its box set the line's reference; "9193" of the 8-high IBAN beside it,
    its centre a hair below that box, made a line of its own and the IBAN lost a group. A word of
    the band's latest word's height, each centre inside the other's box, is on its line."""
    words = [
        _w("Datum:", 433, 776.6, 448, 781.1), _w("30.10.2024", 450, 776.6, 475, 781.1),
        _w("IBAN", 270, 776.9, 286, 785.1), _w("DE34", 288, 776.9, 306, 785.1),
        _w("0156", 347.6, 776.9, 363.0, 785.1), _w("01", 380.5, 777.1, 389.6, 785.0),
        _w("9193", 363.0, 777.1, 380.5, 785.3),
        *[_w(f"w{k}", 50, 500 + 14 * k, 80, 509 + 14 * k) for k in range(5)],
    ]
    page = Page(0, 595, 842, words, text_source="ocr")
    lines = [ln.text for ln in lines_by_centre(page) if ln.y0 > 700]
    assert lines == ["IBAN DE34 0156 9193 01 Datum: 30.10.2024"]


def test_a_tall_box_reaching_into_the_line_above_goes_with_the_line_it_overlaps_most() -> None:
    """akretion's row "APPEL - Description" with its amounts set 4 pt lower (seed 1453): the total
    "7,00", boxed 8 pt high among 6 pt words, was placed before the amounts' line existed and joined
    the description's by a hair, so the row's total and its quantity sat on different lines."""
    words = [
        _w("APPEL", 172.7, 505.6, 185.1, 511.6), _w("Description", 189.6, 505.6, 216.2, 511.6),
        _w("BC:", 127.3, 506.3, 135.0, 511.9), _w("2", 136.4, 506.3, 141.1, 511.9),
        _w("7,00", 471.7, 508.0, 484.5, 516.2),
        _w("PCE", 361.2, 509.6, 371.4, 515.5), _w("1,00", 396.9, 509.6, 408.1, 515.5),
        _w("20,00%", 488.7, 509.8, 508.1, 515.8),
    ]
    lines = [" ".join(segments) for segments in _lines(words, "ocr")]
    assert lines == ["BC: 2 APPEL Description", "PCE 1,00 7,00 20,00%"]


def test_an_ocr_box_spanning_two_printed_lines_does_not_interleave_them() -> None:
    """horstoeko on seed 1721: the detector boxed "GLN:5987854125 PRESTATION SUPPORT - Description"
    15 pt high over the line under it, "Période de 01/12/2019 ...", so both fell in one band and
    their words interleaved. Words of different boxes that stand over each other are on different
    printed lines: the lower box is a line of its own. A text layer's words are left as banded."""
    words = [
        _w("GLN:5987854125", 101.7, 409.0, 145.4, 423.7, 75),
        _w("PRESTATION", 145.9, 409.0, 179.8, 423.7, 75),
        _w("SUPPORT", 181.4, 409.0, 205.9, 423.7, 75), _w("Description", 214.2, 409.0, 248.3, 423.7, 75),
        _w("Période", 152.0, 414.9, 172.0, 422.4, 77), _w("de", 173.7, 414.9, 184.5, 422.4, 77),
        _w("01/12/2019", 185.0, 414.9, 217.0, 422.4, 77), _w("60,00", 324.3, 411.6, 342.4, 418.4, 78),
    ]
    assert _lines(words, "ocr") == [["GLN:5987854125 PRESTATION SUPPORT Description", "60,00"],
                                    ["Période de 01/12/2019"]]
    assert len(_lines(words)) == 1


def test_specks_of_different_boxes_over_each_other_do_not_part_a_line() -> None:
    """AWS on seed 1811: a speck read "`" at the end of "VAT"'s box stood over another box's "..", a
    little higher; parted as if they were two printed lines, "VAT" lost its amount and the outline
    of charges broke. Only words (two letters or digits, no narrower than high) part a band."""
    words = [_w("VAT", 74.2, 525.9, 88.1, 535.5, 44), _w("`", 92.1, 525.9, 92.6, 535.5, 44),
             _w("..", 90.6, 526.8, 97.0, 530.0, 45), _w("$0.00", 583.2, 524.8, 608.1, 536.0, 46)]
    assert len(_lines(words, "ocr")) == 1


def test_the_place_of_a_character_of_a_line() -> None:
    from pipeline.layout import Line

    line = Line([_w("IBAN", 0, 0, 40, 10), _w("12345-BIC:", 50, 0, 150, 10)], segments=[])
    assert line.x_at(0) == 0 and line.x_at(5) == 50  # the start of each word
    assert line.x_at(11) == 110  # "BIC:" starts six characters into a ten-character word
    assert line.x_at(99) == 150

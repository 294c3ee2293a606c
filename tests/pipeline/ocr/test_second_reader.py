"""The Tesseract second reader: merging rules (fast) and a real reading (marked `ocr`)."""

from __future__ import annotations

import logging
import os

import numpy as np
import pytest

from pipeline.load import load
from pipeline.ocr import run_ocr, second_reader
from pipeline.options import Options
from tests.pipeline.ocr.helpers import grey, png, text_image


@pytest.mark.parametrize(
    ("easy", "tess", "expected"),
    [
        ("Miller", "Müller", "Müller"),  # ü read as i
        ("Miiller", "Müller", "Müller"),  # ü read as ii
        ("StraBe", "Straße", "Straße"),  # ß read as B
        ("Besancon,", "Besançon,", "Besançon,"),
        ("Miller & Sohne GmbH", "Müller & Söhne GmbH", "Müller & Söhne GmbH"),
        ("Miller", "Müllar", "Miller"),  # Tesseract also misread the word: EasyOCR keeps it
        ("Zürich", "Zúrich", "Zürich"),  # our recogniser read an accent of its own: it stays
        ("Lampara", "Lámpara", "Lámpara"),
        ("Invoice", "Invoice", "Invoice"),
        ("Total", "Tötäl", "Total"),  # a word full of accents is noise, not a name
        ("Vielen Dank fur Ihren", "Vielen Dank für Ihren Auftrag", "Vielen Dank für Ihren"),
        ("4.958.20", "4,958.20", "4,958.20"),  # marks inside a number
        ("MwSt [9%", "MwSt 19%", "MwSt 19%"),  # a small digit read as a bracket
        ("IBAN DEI7 9989", "IBAN DE17 9989", "IBAN DE17 9989"),
        ("2, 732.47", "2,732.47", "2,732.47"),  # a space inside a number
        ("Nr . 5", "Nr. 5", "Nr. 5"),
        ("12.50", "12,5ö", "12.50"),  # "ö" for a digit: not an accent confusion
        ("Total 84.11", "Total 34.11", "Total 84.11"),  # digit against digit: EasyOCR's stays
        ("Sales", "5ales", "Sales"),  # a letter word stays letters
        ("", "anything", ""),
        ("Total E1,250.00", "Total £1,250.00", "Total £1,250.00"),  # no "£" in the English model
        ("Total 1,250.00", "Total £1,250.00", "Total £1,250.00"),
        ("Ewald 5", "£wald 5", "Ewald 5"),  # a sign only before a number
        ("IVA 218 (86870, 52)", "IVA 21% (86870, 52)", "IVA 21% (86870, 52)"),  # "%" read as "8"
        ("IVA 4 8", "IVA 4%", "IVA 4%"),
        ("Box 8", "Box %", "Box 8"),  # a "%" only after a number
        ("BIC INGBNLZA", "BIC INGBNL2A", "BIC INGBNL2A"),  # a digit inside a code
        ("HELADEFIGEL", "HELADEF1GEL", "HELADEF1GEL"),
        ("Nr. IBZY2087", "Nr. 1BZY2087", "Nr. IBZY2087"),  # not the code's first character
        ("OSLO", "OSL0", "OSLO"),  # a word of four letters is no code
        ("Zahlung", "Zahlun9", "Zahlung"),  # nor a word in lower case
        ("19 april 2014", "19 aprıl 2014", "19 april 2014"),  # no language of ours has a dotless i
        ("Smorrebrod", "Smørrebrød", "Smorrebrod"),  # nor an ø
    ],
)
def test_merge_readings(easy: str, tess: str, expected: str) -> None:
    assert second_reader.merge_readings(easy, tess) == expected


def test_missing_tesseract_degrades_with_one_warning(monkeypatch, caplog) -> None:
    second_reader.tesseract_languages.cache_clear()
    monkeypatch.setattr(second_reader.shutil, "which", lambda _: None)
    box = second_reader.TextBox("Miller", 0, 0, 10, 10, 0.9)
    with caplog.at_level(logging.WARNING, logger="pipeline.ocr.second_reader"):
        assert second_reader.second_reading(None, [box]) == [box]  # type: ignore[arg-type]
        second_reader.second_reading(None, [box])  # type: ignore[arg-type]
    assert sum("tesseract not found" in r.message for r in caplog.records) == 1
    second_reader.tesseract_languages.cache_clear()


@pytest.mark.ocr
@pytest.mark.skipif(second_reader.tesseract_languages() is None, reason="no tesseract with deu/fra")
def test_accented_names_come_back_as_printed() -> None:
    doc = load(png(text_image(["Müller & Söhne GmbH", "Hauptstraße 5, München"], height=160)), Options())
    run_ocr(doc, Options())
    texts = [w.text for w in doc.pages[0].words]
    assert "Müller" in texts and "Söhne" in texts
    assert any(t.startswith("Hauptstraße") for t in texts) and any(t.startswith("München") for t in texts)


@pytest.mark.skipif(second_reader.tesseract_languages() is None, reason="no tesseract with deu/fra")
def test_a_pending_reading_maps_back_by_box_and_rereads_other_boxes() -> None:
    g = grey(text_image(["Müller 19%"], height=80))
    h, w = g.shape
    easy = [second_reader.TextBox("Miller [9%", 0, 0, w, h, 0.9)]
    pending = second_reader.start_second_reading(g, [(0, 0, w, h)])
    assert pending is not None
    assert [b.text for b in pending.merge(easy)] == ["Müller 19%"]
    other = [second_reader.TextBox("Miller [9%", 1, 0, w - 1, h, 0.9)]  # not the box it was given
    pending = second_reader.start_second_reading(g, [(0, 0, w, h)])
    assert pending is not None and [b.text for b in pending.merge(other)] == ["Müller 19%"]


@pytest.mark.skipif(second_reader.tesseract_languages() is None, reason="no tesseract with deu/fra")
@pytest.mark.parametrize(
    ("easy_conf", "tess", "tess_conf", "expected", "confidence"),
    [
        (0.2, "Laptop stand aluminium", 0.95, "Laptop stand aluminium", 0.95),  # EasyOCR unsure
        (0.85, "Laptop stand aluminium", 0.80, "Laptop stand aluminium", 0.80),
        (0.95, "Laptop stand aluminium", 0.99, "LapLop BLand &lumin = um", 0.95),  # EasyOCR sure
        (0.2, "Laptop stand aluminium", 0.50, "LapLop BLand &lumin = um", 0.2),  # Tesseract unsure
        (0.6, "LapLop BLand &lumin = um", 0.90, "LapLop BLand &lumin = um", 0.9),  # same: the surer
    ],
)
def test_a_box_only_tesseract_is_sure_of_takes_its_reading(
    monkeypatch, easy_conf: float, tess: str, tess_conf: float, expected: str, confidence: float
) -> None:
    g = grey(text_image(["Laptop stand aluminium"], height=80))
    h, w = g.shape
    pending = second_reader.start_second_reading(g, [(0, 0, w, h)])
    assert pending is not None
    monkeypatch.setattr(pending, "readings", lambda: [(tess, tess_conf)])
    easy = [second_reader.TextBox("LapLop BLand &lumin = um", 0, 0, w, h, easy_conf)]
    merged = pending.merge(easy)
    assert [b.text for b in merged] == [expected]
    assert merged[0].confidence == pytest.approx(confidence)
    pending.run.cancel()


@pytest.mark.parametrize(
    ("ours", "tess", "expected"),
    [
        ("Miller GmbH", "Müller GmbH", "Müller GmbH"),  # English's weights: Tesseract's accents
        ("Müller GmbH", "Mûller GmbH", "Müller GmbH"),  # ours read an accent: ours
        ("Größe 12", "Grosse 12", "Größe 12"),  # ß / ss
        ("Désignation Qt", "Designation Qté", "Désignation Qté"),  # Tesseract's other fixes stay
        ("Straße 5", "Strafe 5", "Strafe 5"),  # another letter: Tesseract's (it was sure)
        ("Mü11er", "Muller", "Muller"),
        # as Tesseract misreads accented letters on scans: ours
        ("43936 Düsseldorf", "43936 Diisseldorf", "43936 Düsseldorf"),
        ("Gebühr für", "Gebiihr fir", "Gebühr für"),
        ("Schloßweg 4,", "SchloBweg 4,", "Schloßweg 4,"),
        ("57324 Besançon", "57324 Besangon", "57324 Besançon"),
        ("Peñalver SA", "Pefialver SA", "Peñalver SA"),
        ("Müllerstraße 88,Besançon", "MiillerstraBe 88, Besangon", "Müllerstraße 88, Besançon"),
    ],
)
def test_a_whole_box_reading_keeps_our_accents(ours: str, tess: str, expected: str) -> None:
    assert second_reader.keep_our_accents(ours, tess) == expected


def test_small_print_is_scaled_up_for_tesseract() -> None:
    page = np.full((200, 400), 255, dtype=np.uint8)
    strip, slots = second_reader._strip(page, [(0, 0, 300, 16), (0, 50, 300, 90)])
    (top0, bottom0), (top1, bottom1) = slots
    assert bottom0 - top0 == 40  # 16 px high: 2.5x
    assert bottom1 - top1 == 40  # 40 px high: as it is
    assert strip.shape[1] >= 2.5 * 300


@pytest.mark.skipif(second_reader.tesseract_languages() is None, reason="no tesseract with deu/fra")
def test_second_readings_share_processes_at_most_limit_at_a_time() -> None:
    lines = ["Müller 19%", "Größe 12,50", "Söhne 7%", "Señor 4"]
    greys = [grey(text_image([line], height=80)) for line in lines]
    easy = ["Miller [9%", "Grobe 12,50", "Sohne 7%", "Senor 4"]

    def page(i: int) -> tuple[int, np.ndarray, list[second_reader.Rect]]:
        h, w = greys[i].shape
        return i, greys[i], [(0, 0, w, h)]

    def box(i: int) -> list[second_reader.TextBox]:
        h, w = greys[i].shape
        return [second_reader.TextBox(easy[i], 0, 0, w, h, 0.5)]

    readings = second_reader.SecondReadings(limit=2)
    readings.add(page(i) for i in range(3))
    # Three pages, two processes: one reads pages 0 and 1 (one load of its models), one page 2.
    assert len(readings.runs) == 2 and [len(run.slots) for run in readings.runs] == [2, 1]
    assert sorted(readings.running) == [0, 1, 2] and not readings.waiting
    readings.add([page(1), page(3)])  # page 1 again (it was turned, say) and a new page: both wait
    assert sorted(readings.waiting) == [1, 3] and sorted(readings.running) == [0, 2]
    assert [b.text for b in readings.merge(3, box(3))] == ["Señor 4"]  # out of order: started now
    assert [b.text for b in readings.merge(0, box(0))] == ["Müller 19%"]
    assert [b.text for b in readings.merge(2, box(2))] == ["Söhne 7%"]
    assert [b.text for b in readings.merge(1, box(1))] == ["Größe 12,50"]
    assert not readings.running and not readings.waiting
    readings.add([page(0)])
    process = readings.runs[-1].process
    folder = readings.runs[-1].folder.name
    readings.close()
    assert process is not None and process.poll() is not None and not readings.running
    assert not os.path.exists(folder)  # the strips and Tesseract's output are removed


def test_a_dotless_i_tesseract_reads_is_an_i() -> None:
    """ZUGFeRD's leasing sample on seed 1093: Tesseract read "Fuhrparkmaı" (a dotless i, in no
    alphabet of ours) and its whole reading of the box was taken. Its words come back with an "i"."""
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    rows = "5\t1\t1\t1\t1\t1\t10\t5\t80\t12\t91.5\tFuhrparkmaı\n5\t1\t1\t1\t1\t2\t95\t5\t40\t12\t88\tGmbH\n"
    texts = second_reader._slot_texts((header + rows).encode(), [(0, 20)])
    assert texts == [("Fuhrparkmai GmbH", 0.88)]


def test_a_slots_words_keep_tesseracts_order_though_one_is_boxed_as_its_whole_line() -> None:
    """F20180027 on seed 1471: Tesseract read "N° BON DE COMMANDE" right but boxed "COMMANDE" from
    the line's left edge; sorted by their boxes the words read "N° COMMANDE BON DE" (a label no
    longer found). A slot Tesseract split into two lines has them left to right."""
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    rows = ("5\t1\t1\t9\t2\t1\t4\t778\t44\t52\t81.3\tN°\n5\t1\t1\t9\t2\t2\t64\t778\t49\t52\t92.1\tBON\n"
            "5\t1\t1\t9\t2\t3\t125\t778\t40\t52\t96.5\tDE\n5\t1\t1\t9\t2\t4\t8\t782\t351\t34\t78.5\tCOMMANDE\n"
            "5\t1\t1\t10\t1\t1\t300\t30\t40\t12\t90\tGmbH\n5\t1\t1\t10\t2\t1\t10\t32\t80\t12\t90\tMüller\n")
    texts = second_reader._slot_texts((header + rows).encode(), [(25, 45), (770, 830)])
    assert texts == [("Müller GmbH", 0.9), ("N° BON DE COMMANDE", 0.785)]

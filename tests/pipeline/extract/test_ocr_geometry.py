"""Party blocks on OCR'd pages: pixel boxes that stray by a character, marks read as `_`, letterheads
whose separators OCR dropped. Pages are hand-built word lists (no OCR runs)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.extract import extract_fields
from pipeline.extract.context import Candidate
from pipeline.extract.parties import (
    LEGAL_FORMS,
    _larger_print,
    _plausible_name,
    _postcode,
    blocks_of,
    repeated_reading,
    surer_reading,
)
from pipeline.layout import Line, Segment, join_number_parts, lines_by_centre, ocr_slack
from pipeline.model import LoadedDocument, Page, Word
from pipeline.tables import find_line_items

H = 40.0  # word height in pixels: a 9 pt line scanned at 300 dpi
CHAR = 0.5 * H


def _words(x: float, y: float, text: str, right: bool = False, block: int = 0) -> list[Word]:
    """`text` as OCR words starting at x (ending at x when `right`), one character CHAR wide, all
    of one detected box (`block`)."""
    if right:
        x -= len(text) * CHAR
    out = []
    for part in text.split():
        out.append(Word(part, x, y, x + len(part) * CHAR, y + H, 0, 0.9, block=block))
        x += (len(part) + 1) * CHAR
    return out


def _page(spec: list[tuple[float, float, str, bool]], source: str = "ocr") -> LoadedDocument:
    """Each entry of `spec` is one detected text box."""
    words = [w for k, (x, y, text, right) in enumerate(spec) for w in _words(x, y, text, right, k)]
    return LoadedDocument("image/png", [Page(0, 2480, 3508, words, text_source=source)])


def test_slack_is_half_a_word_height_on_ocr_pages_and_none_on_text_layers() -> None:
    doc = _page([(100, 100, "ACME Ltd", False)])
    assert ocr_slack(doc.pages[0]) == 0.5 * H
    doc.pages[0].text_source = "pdf_text"
    assert ocr_slack(doc.pages[0]) == 0.0


def test_right_aligned_ocr_lines_a_character_apart_stack_into_one_block() -> None:
    doc = _page(
        [
            (2300, 200, "Nordlicht Handel S.A.", True),
            (2318, 250, "Calle Mayor 12", True),
            (2318, 300, "28013 Madrid", True),
        ]
    )
    lines = lines_by_centre(doc.pages[0])
    assert len(blocks_of(lines)) == 2  # the text-layer tolerance (4 units) leaves the name alone
    assert len(blocks_of(lines, ocr_slack(doc.pages[0]))) == 1


def test_right_aligned_letterhead_is_the_vendor_and_the_window_the_customer() -> None:
    spec = [
        (2300, 200, "Nordlicht Handel S.A.", True),
        (2318, 250, "Calle Mayor 12", True),
        (2318, 300, "28013 Madrid", True),
        (2318, 350, "+34 91 5550101", True),
        (280, 520, "Tannberg Systems Ltd.", False),
        (280, 570, "12 Harbour Road", False),
        (280, 620, "Leeds LS1 4DY", False),
        (280, 900, "FACTURA", False),
        (280, 960, "Factura: F-2024-17", False),
    ]
    fields = extract_fields("invoice", _page(spec), find_line_items(_page(spec)))
    assert fields["vendor"]["name"].value == "Nordlicht Handel S.A."  # type: ignore[index]
    assert fields["customer"]["name"].value == "Tannberg Systems Ltd."  # type: ignore[index]
    assert fields["vendor"]["address"].value == "Calle Mayor 12, 28013 Madrid"  # type: ignore[index]


def test_legal_form_read_with_an_underscore_for_its_full_stop() -> None:
    assert LEGAL_FORMS.search("Sierra Groep B.V_")
    assert LEGAL_FORMS.search("Nordlicht Handel S.A.")
    assert not LEGAL_FORMS.search("Sagitta Abvent")  # letters on both sides: not a legal form


def test_vendor_address_from_gap_separated_parts_of_a_one_line_letterhead() -> None:
    spec = [
        (160, 150, "Kranich Werkzeug GmbH", False),
        (660, 150, "Lindenweg 8", False),
        (940, 150, "50667 Köln", False),
        (160, 200, "USt-IdNr.: DE136695976", False),
        (160, 400, "Brandt & Co KG", False),
        (160, 450, "Ringstraße 4", False),
        (160, 500, "10115 Berlin", False),
        (1300, 400, "RECHNUNG", False),
    ]
    doc = _page(spec)
    fields = extract_fields("invoice", doc, find_line_items(doc))
    vendor = fields["vendor"]  # type: ignore[index]
    assert vendor["name"].value == "Kranich Werkzeug GmbH"
    assert vendor["address"].value == "Lindenweg 8, 50667 Köln"
    assert fields["customer"]["name"].value == "Brandt & Co KG"  # type: ignore[index]


def test_uk_postcode_digits_read_as_letters_count_on_ocr_pages_only() -> None:
    for text in ("London ECIA IBB", "Manchester Ml 2AB", "London ECIA !BB", "Leeds LS1 4DY"):
        assert _postcode(True).search(text), text
    assert not _postcode(False).search("London ECIA IBB")
    assert not _postcode(True).search("Thank you for your order")


def test_ocr_sender_line_with_dots_for_separators_opens_the_address_window() -> None:
    spec = [
        (160, 150, "Hollow & Sons Ltd", False),
        (160, 200, "9 Mill Lane, Leeds LSI 4DY", False),
        (160, 450, "Hollow & Sons Ltd . 9 Mill Lane . Leeds LSI 4DY", False),
        (160, 500, "Brightwater Supplies", False),
        (160, 550, "22 Quay Street", False),
        (160, 600, "Bristol BSl 4DJ", False),
        (1300, 500, "Invoice no: 4711", False),
        (160, 900, "INVOICE 4711", False),
    ]
    doc = _page(spec)
    fields = extract_fields("invoice", doc, find_line_items(doc))
    assert fields["vendor"]["name"].value == "Hollow & Sons Ltd"  # type: ignore[index]
    customer = fields["customer"]  # type: ignore[index]
    assert customer["name"].value == "Brightwater Supplies"
    assert customer["address"].value == "22 Quay Street, Bristol BSl 4DJ"  # raw as read: no repair


@pytest.mark.parametrize(
    "sender", ["Nordlicht AG = Kaiweg 12. D-24103 Kiel", "Nordlicht AG - Kaiweg 12a, 24103 Kiel"]
)
def test_ocr_sender_line_of_two_parts_with_street_and_postcode_opens_the_window(sender: str) -> None:
    """OCR read the sender line's dashes as "=" and as a full stop glued to the house number
    (QualityHosting's "QualityHosting AG = Uterweg 40-42. D-63571 Gelnhausen", scan seed 29): two
    parts, the second a street, its number and a postcode, still make a sender line."""
    spec = [
        (160, 450, sender, False),
        (160, 500, "Brightwater Supplies Ltd", False),
        (160, 550, "22 Quay Street", False),
        (160, 600, "Bristol BS1 4DJ", False),
        (1300, 500, "Invoice no: 4711", False),
        (160, 900, "RECHNUNG 4711", False),
    ]
    doc = _page(spec)
    fields = extract_fields("invoice", doc, find_line_items(doc))
    assert fields["vendor"]["name"].value == "Nordlicht AG"  # type: ignore[index]
    assert fields["customer"]["name"].value == "Brightwater Supplies Ltd"  # type: ignore[index]


def test_the_larger_print_of_the_same_name_is_the_vendor_reading_on_ocr_pages() -> None:
    small = Candidate("Kesttel & Puner Ud", 0.8, [Word("Kesttel", 0, 400, 100, 420, 0)], "", "sender line")
    large = Candidate("Kestrel & Partners Ltd", 0.79, [Word("Kestrel", 0, 150, 200, 205, 0)], "", "block")
    other = Candidate("Zonnebloem Ltd", 0.79, [Word("Zonnebloem", 0, 150, 200, 205, 0)], "", "block")
    assert _larger_print(small, [small, large, other]) is large
    assert _larger_print(small, [small, other]) is small  # another name, however large
    assert _larger_print(large, [small, large]) is large  # the smaller print never replaces it


def _line(text: str, y: float, confidence: float) -> Line:
    parts = enumerate(text.split())
    words = [Word(t, 100 + 200 * i, y, 280 + 200 * i, y + H, 0, confidence) for i, t in parts]
    return Line(words, [Segment(words)])


def _named(line: Line) -> Candidate:
    """A name candidate read from all of `line`."""
    return Candidate(line.text, 0.8, line.words, line.text, "block")


def test_unsure_words_of_a_name_are_taken_from_a_surer_printing_of_them() -> None:
    title = _line("Amazon Web Services Invoice", 100, 0.95)
    remit = _line("Amazon Wob Servicos, Inc", 2000, 0.58)
    name = Candidate("Amazon Wob Servicos, Inc", 0.8, remit.words, "Amazon Wob Servicos, Inc", "block")
    better = surer_reading(name, [title, remit])
    assert better.value == "Amazon Web Services, Inc"  # "Inc" is not one edit from "Invoice"
    assert better.words == remit.words and better.raw == "Amazon Wob Servicos, Inc"  # its own place
    # A printing no surer, or other words, or the name read surely: left as it is.
    assert surer_reading(name, [_line("Amazon Web Services", 100, 0.6), remit]) is name
    assert surer_reading(name, [_line("Amazon Webb Servers", 100, 0.95), remit]) is name
    sure = Candidate("Amazon Wob Servicos", 0.8, _line("Amazon Wob Servicos", 2000, 0.9).words, "", "")
    assert surer_reading(sure, [title]) is sure
    # Two letters off in a long word, its neighbours read alike ("Amazon Web Sonvices Inc" at 0.34:
    # seed 3343); not without an equal neighbour, nor in a short word.
    footer = _line("Amazon Web Sonvices Inc", 2000, 0.34)
    name = _named(footer)
    assert surer_reading(name, [title, footer]).value == "Amazon Web Services Inc"
    alone = _line("Sonvices Inc", 2000, 0.34)
    name = _named(alone)
    assert surer_reading(name, [title, alone]) is name
    short = _line("Amazon Wxx Services", 2000, 0.34)
    name = _named(short)
    assert surer_reading(name, [title, short]) is name
    # QualityHosting on seed 947: the sender line's "QualityHosting AG" read at 0.29, the footer's
    # "QualilyHosting AG" at 0.9, the logo "QualityHosting" at 0.91: the printings disagree, and a
    # sure one reads the name as it is, so it stays.
    sender = _line("QualityHosting AG", 300, 0.29)
    own = Candidate("QualityHosting AG", 0.8, sender.words, "QualityHosting AG", "sender line")
    footer = _line("QualilyHosting AG", 3000, 0.9)
    assert surer_reading(own, [sender, footer]).value == "QualilyHosting AG"  # nothing says otherwise
    assert surer_reading(own, [_line("QualityHosting", 100, 0.91), sender, footer]) is own


def test_a_name_word_printed_nowhere_else_takes_the_reading_the_page_repeats() -> None:
    """ZUGFeRD's sample on seed 2939: "Alphabel Fuhrparkmanagement GmbH" (0.85) under the logo
    "ALPHABET" and over the return address "Alphabet, Lilienthalallee 26": two printings agree
    against the name's one. One other printing, or a less sure one, is not enough."""
    head = _line("Alphabel Fuhrparkmanagement GmbH", 100, 0.85)
    name = _named(head)
    logo, sender = _line("ALPHABET", 200, 1.0), _line("Alphabet, Lilienthalallee 26", 500, 0.88)
    better = repeated_reading(name, [head, logo, sender])
    assert better.value == "Alphabet Fuhrparkmanagement GmbH" and better.words == head.words
    assert repeated_reading(name, [head, sender]) is name
    assert repeated_reading(name, [head, logo, _line("Alphabet, Lilienthalallee 26", 500, 0.5)]) is name
    # The name's own reading printed elsewhere too: the printings disagree, it stays.
    assert repeated_reading(name, [head, logo, sender, _line("Alphabel", 900, 0.9)]) is name


def test_a_name_word_two_other_printings_read_otherwise_takes_their_reading() -> None:
    """AWS read by our five-language recogniser on seed 3329: the remit-to line "Amazon Wob
    Services, Inc" (0.81) where the letterhead and the address block read "Amazon Web Services"
    (0.77, 0.74): not surer, and "Wob" too short for `repeated_reading`, but two printings of the
    same run agree against one. One other printing is not enough, nor two that disagree, nor a
    reading the page prints elsewhere too."""
    from pipeline.extract.parties import agreed_reading

    remit = _line("Amazon Wob Services, Inc", 2000, 0.81)
    name = _named(remit)
    head, address = _line("Amazon Web Services", 100, 0.77), _line("Amazon Web Services, Inc.", 300, 0.74)
    better = agreed_reading(name, [head, address, remit])
    assert better.value == "Amazon Web Services, Inc" and better.words == remit.words
    assert agreed_reading(name, [head, remit]) is name
    assert agreed_reading(name, [head, _line("Amazon Wcb Services", 300, 0.9), remit]) is name
    assert agreed_reading(name, [head, address, _line("Wob", 900, 0.9), remit]) is name


def _boxed(x: float, y: float, pieces: list[str], block: int) -> list[Word]:
    """Pieces of one OCR box (one `block`), a character space apart."""
    out = []
    for p in pieces:
        out.append(Word(p, x, y, x + len(p) * CHAR, y + H, 0, 0.9, block, int(y)))
        x += (len(p) + 1) * CHAR
    return out


def test_header_amounts_spaced_apart_inside_one_box_are_read_whole_with_raw_as_read() -> None:
    words = [
        *_words(160, 150, "ACME GmbH"),
        *_words(160, 300, "RECHNUNG"),
        *_boxed(1200, 1000, ["Nettobetrag"], 1),
        *_boxed(1800, 1000, ["25.281,", "84"], 2),
        *_boxed(1200, 1060, ["USt", "20", "%"], 3),
        *_boxed(1800, 1060, ["5.056,37"], 4),
        *_boxed(1200, 1120, ["Gesamtsumme"], 5),
        *_boxed(1800, 1120, ["30", ".", "338", ",", "21"], 6),
    ]
    doc = LoadedDocument("image/png", [Page(0, 2480, 3508, words, text_source="ocr")])
    fields = extract_fields("invoice", doc, find_line_items(doc))
    assert fields["subtotal"].value == Decimal("25281.84")  # type: ignore[union-attr]
    assert fields["total"].value == Decimal("30338.21")  # type: ignore[union-attr]
    assert fields["total"].raw == "30 . 338 , 21"  # type: ignore[union-attr]
    assert fields["total"].confidence <= 0.7  # type: ignore[union-attr]


def test_pieces_join_only_beside_a_mark_and_inside_one_box() -> None:
    line = lines_by_centre(
        Page(
            0,
            2000,
            1000,
            [
                *_boxed(100, 100, ["4,", "462", ".", "57"], 1),
                *_boxed(400, 100, ["10"], 2),
                *_boxed(500, 100, [",5"], 3),
                *_boxed(700, 100, ["12", "500"], 4),
                *_boxed(900, 100, ["£84,", "916.36"], 5),
                *_boxed(1200, 100, ["A1,", "200"], 6),
            ],
            text_source="ocr",
        )
    )[0]
    read_as: dict = {}
    joined = join_number_parts(line, read_as)
    assert [w.text for w in joined.words] == ["4,462.57", "10", ",5", "12", "500", "£84,916.36", "A1,", "200"]
    assert list(read_as.values()) == ["4, 462 . 57", "£84, 916.36"]


def _touching(x: float, pieces: list[str], block: int) -> list[Word]:
    """Words of detector boxes that overlapped and were cut apart at one point: they touch."""
    out = []
    for k, p in enumerate(pieces):
        out.append(Word(p, x, 100, x + len(p) * CHAR, 100 + H, 0, 0.9, block + k, 100))
        x += len(p) * CHAR
    return out


def test_pieces_of_touching_boxes_join_through_a_mark_only() -> None:
    """Overlapping detector boxes are cut apart at one point: "54" "." "232,58" touch; two numbers'
    boxes stand apart, and two touching pieces without a mark between them stay two ("20.098" "1")."""
    line = lines_by_centre(
        Page(0, 2000, 1000, [*_touching(100, ["54", ".", "232,58"], 10), *_touching(600, ["20.098", "1"], 20),
                             *_boxed(900, 100, ["9", ","], 30), *_boxed(900 + 4 * CHAR, 100, ["50"], 40)],
             text_source="ocr")
    )[0]
    joined = join_number_parts(line, {})
    assert [w.text for w in joined.words] == ["54.232,58", "20.098", "1", "9,", "50"]


def test_touching_pieces_of_an_amount_whose_mark_was_lost_join_with_the_lines_mark() -> None:
    """QualityHosting's line total "5,39" on seed 1759: its comma lost, "5" and "39" boxed apart and
    touching; the cell read 39. The line's price "5,39" says the mark is a comma. Two digits apart
    by a gap ("1" "39") or a piece of three digits ("5" "390") stay as read, as does a line whose
    amounts name no mark."""
    line = lines_by_centre(
        Page(0, 2000, 1000, [*_boxed(100, 100, ["5,39"], 1), *_touching(400, ["5", "39"], 10),
                             *_touching(700, ["7", "390"], 20), *_boxed(900, 100, ["1"], 30),
                             *_boxed(900 + 3 * CHAR, 100, ["39"], 40)],
             text_source="ocr")
    )[0]
    read_as: dict = {}
    joined = join_number_parts(line, read_as)
    assert [w.text for w in joined.words] == ["5,39", "5,39", "7", "390", "1", "39"]
    assert list(read_as.values()) == ["5 39"]
    bare = lines_by_centre(Page(0, 2000, 1000, _touching(400, ["5", "39"], 10), text_source="ocr"))[0]
    assert [w.text for w in join_number_parts(bare, {}).words] == ["5", "39"]


def test_pieces_of_an_identifier_cut_at_its_underscore_join() -> None:
    """Flipkart's "#BLR_WFLD20151000982590" on seed 1699: the detector's boxes for "BLR" and the rest
    overlapped and were cut apart at the underscore. Touching, the pieces are one identifier; an
    underscore beside a word space ("Seller _" "ref") joins nothing."""
    line = lines_by_centre(
        Page(0, 2000, 1000, [*_touching(100, ["BLR", "_WFLD20151000982590"], 10),
                             *_boxed(900, 100, ["REF_", "12"], 30)],
             text_source="ocr")
    )[0]
    read_as: dict = {}
    joined = join_number_parts(line, read_as)
    assert [w.text for w in joined.words] == ["BLR_WFLD20151000982590", "REF_", "12"]
    assert list(read_as.values()) == ["BLR _WFLD20151000982590"]


def test_garbled_small_sender_line_over_the_window_is_not_the_customer_name() -> None:
    small = [
        Word(t, 160 + 130 * k, 440, 160 + 130 * k + 120, 462, 0, 0.5)
        for k, t in enumerate(["Falkne:", "Ccnsalfing", "Ltd", "Voit", ";64,", "RJve{9-d2"])
    ]
    words = [
        *_words(160, 150, "Falkner Consulting Ltd"),
        *_words(160, 200, "Unit 154, Riverside Park, London EC1A 1BB"),
        *small,
        *_words(160, 470, "Greystone Supplies plc"),
        *_words(160, 520, "Unit 66, Riverside Park"),
        *_words(160, 570, "Manchester M1 2AB"),
        *_words(1300, 470, "Invoice no: C5131-35"),
        *_words(160, 800, "INVOICE C5131-35"),
    ]
    doc = LoadedDocument("image/png", [Page(0, 2480, 3508, words, text_source="ocr")])
    fields = extract_fields("invoice", doc, find_line_items(doc))
    assert fields["customer"]["name"].value == "Greystone Supplies plc"  # type: ignore[index]


@pytest.mark.parametrize(
    ("name", "has_form"),
    [("Montclair Trading Co.", True), ("Jones & Co", True), ("Coastal Co:", True),
     ("Co-op Foods", False), ("Costa Coffee", False), ("Co Durham Council", False)],
)
def test_co_is_a_legal_form_only_where_the_name_ends_with_it(name: str, has_form: bool) -> None:
    assert bool(LEGAL_FORMS.search(name)) is has_form


@pytest.mark.parametrize(
    ("text", "plausible"),
    [
        ("Buver contact name", False),  # the label "Buyer contact name" with an OCR typo
        ("Buver contact nam", False),  # its last letter lost too (akretion, seed 88)
        ("Acme Contact Ltd", True),
        ("Seller trade name:", False),
        ("Nombre", False),
        ("LE CLIENT", True),
        ("Acme Name Services Ltd", True),  # "name" inside a name is fine, at its end it is a label
    ],
)
def test_a_line_ending_in_the_word_name_is_a_label_not_a_name(text: str, plausible: bool) -> None:
    assert _plausible_name(text) is plausible


@pytest.mark.parametrize("logo", ["cronus", "cronus 3", "cronus 38"])
def test_a_logo_over_the_vendors_block_takes_the_blocks_name_and_address(logo: str) -> None:
    """103767's logo "cronus" over the block "CRONUS DE / Hofstraße 12 / ...": the block's name and
    address; a speck beside the logo read as a lone character ("cronus 3", scanner seed 467) or two
    digits ("cronus 38", seed 907) is no part of the name."""
    spec = [
        (290, 180, "Invoice 103767", False),
        (2010, 230, logo, False),
        (290, 280, "February 17, 2026", False),
        (290, 500, "Adatum Corporation", False),
        (290, 555, "Station Road, 21", False),
        (290, 610, "48436 Düsseldorf", False),
        (2000, 500, "CRONUS DE", False),
        (2000, 555, "Hofstraße 12", False),
        (2000, 610, "Benrath", False),
        (2000, 730, "20097 Hamburg", False),
        (2000, 785, "Deutschland", False),
        (290, 2980, "VAT Registration No. Home Page Phone No. Email", False),
        (290, 3030, "DE777777777 999 / 9 99 99 99 info@cronus.com", False),
    ]
    doc = _page(spec)
    vendor = extract_fields("invoice", doc, find_line_items(doc))["vendor"]  # type: ignore[index]
    assert vendor["name"].value == "CRONUS DE"
    assert vendor["address"].value is not None and "Hofstraße 12" in vendor["address"].value


def test_a_low_mark_boxed_alone_between_digit_groups_is_the_lines_decimal_mark() -> None:
    """ZUGFeRD's leasing sample on seed 709: "19,00% MwSt 376,37 71,51 447,88" in Courier came back
    "19" "1" "00%" ... "376," "r" "37" "71" "1" "51": each comma boxed alone, in the lower half of
    the line, read as "1" or "r". The VAT summary then read no rate and swapped net and tax. A full
    height "1" stays a digit, and without another amount on the line to name the mark nothing joins."""

    def w(text: str, x0: float, x1: float, y0: float = 426.4, y1: float = 436.4, block: int = 0) -> Word:
        return Word(text, x0, y0, x1, y1, 0, 0.9, block, 21)

    low = dict(y0=431.2, y1=435.6)
    words = [
        w("19", 212.5, 227.1, block=1), w("1", 226.1, 230.6, **low, block=2),
        w("00%", 229.7, 249.3, block=3), w("MwSt", 253.3, 279.6, block=4),
        w("376,", 335.8, 356.4, block=5), w("r", 356.4, 359.0, **low, block=6),
        w("37", 359.0, 374.5, block=7), w("71", 423.0, 437.5, block=8),
        w("1", 436.6, 440.6, **low, block=9), w("51", 440.6, 456.0, block=10),
        w("447,88", 499.2, 537.8, block=11),
    ]
    read_as: dict = {}
    line = lines_by_centre(Page(0, 595, 842, words, text_source="ocr"))[0]
    assert [x.text for x in join_number_parts(line, read_as).words] == [
        "19,00%", "MwSt", "376,37", "71,51", "447,88"]
    assert "71 1 51" in read_as.values()
    tall = [w("71", 423.0, 437.5, block=8), w("1", 436.6, 440.6, block=9), w("51", 440.6, 456.0, block=10),
            w("447,88", 499.2, 537.8, block=11)]
    line = lines_by_centre(Page(0, 595, 842, tall, text_source="ocr"))[0]
    assert [x.text for x in join_number_parts(line, {}).words] == ["71", "1", "51", "447,88"]
    alone = [w("71", 423.0, 437.5, block=8), w("1", 436.6, 440.6, **low, block=9),
             w("51", 440.6, 456.0, block=10)]
    line = lines_by_centre(Page(0, 595, 842, alone, text_source="ocr"))[0]
    assert [x.text for x in join_number_parts(line, {}).words] == ["71", "1", "51"]

"""OCR'd IBANs and VAT ids a look-alike or two away from valid, repaired only where checksums prove it."""

from __future__ import annotations

import pymupdf

from pipeline.extract import extract_fields
from pipeline.load import load
from pipeline.model import Evidence
from pipeline.normalize.identifiers import (
    digit_reading,
    find_ocr_bic,
    find_ocr_iban,
    french_numeric_key,
    french_ones_read_as_fours,
    iban_fits_format,
    iban_format_reading,
    iban_proved,
    is_valid_iban,
    is_valid_vat,
    repair_iban,
    repair_lookalike,
    vat_format_reading,
    vat_ids_with_misread_prefix,
    vat_with_misread_country,
)
from pipeline.tables import find_line_items


def test_one_lookalike_that_passes_the_checksum_is_repaired() -> None:
    assert repair_lookalike("DE89 37O4 0044 0532 0130 00", is_valid_iban) == "DE89370400440532013000"
    assert repair_lookalike("DE13669S976", is_valid_vat) == "DE136695976"
    # an italic "2" read as "7" (akretion's "FR11 123 456 787" on seed 2609); not where OCR was sure
    assert repair_lookalike("FR11 123 456 787", is_valid_vat) == "FR11123456782"
    assert repair_lookalike("FR11 123 456 787", is_valid_vat, digits=False) is None


def test_no_repair_without_a_single_valid_lookalike() -> None:
    assert repair_lookalike("DE89 37O4 0O44 0532 0130 00", is_valid_iban) is None  # two misreads
    assert repair_lookalike("DE89370400440532013001", is_valid_iban) is None  # 1 -> 0 is no look-alike
    assert repair_lookalike("DE13669597B", is_valid_vat) is None


def _fields(ocr: bool) -> dict[str, object]:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for y, text in (
        (60, "ACME GmbH"),
        (75, "USt-IdNr.: DE13669S976"),
        (100, "RECHNUNG"),
        (700, "IBAN: DE89 37O4 0044 0532 0130 00"),
    ):
        page.insert_text((40, y), text, fontsize=9, fontname="helv")
    loaded = load(doc.tobytes())
    for p in loaded.pages:
        if ocr:
            p.text_source = "ocr"
    return extract_fields("invoice", loaded, find_line_items(loaded))


def test_ocr_page_ids_are_repaired_and_keep_their_raw_text() -> None:
    fields = _fields(ocr=True)
    iban = fields["bank_details"]["iban"]  # type: ignore[index]
    assert iban.value == "DE89370400440532013000"
    assert "37O4" in iban.raw and iban.confidence <= 0.7
    vat = fields["vendor"]["tax_id"]  # type: ignore[index]
    assert vat.value == "DE136695976" and "S" in vat.raw


def test_born_digital_ids_are_left_as_printed() -> None:
    fields = _fields(ocr=False)
    assert fields["bank_details"]["iban"].value != "DE89370400440532013000"  # type: ignore[index]
    assert fields["vendor"]["tax_id"].value != "DE136695976"  # type: ignore[index]


def test_iban_check_digits_read_as_letters_are_read_by_the_country_format() -> None:
    # NL: 2 check digits, a 4-letter bank code, 10 digits; the O of "NL4O" can only be a 0.
    assert repair_iban("NL4O LUYS 9362 9759 42") == "NL40LUYS9362975942"
    assert repair_iban("DE6I 8623 2721 8167 6234 20") == "DE61862327218167623420"
    assert repair_iban("NL4O LUYS 9362 9759") is None  # too short for NL: nothing to prove


def test_a_q_read_as_o_in_a_bank_code_is_repaired_where_mod_97_proves_it() -> None:
    # A blurred scan loses the tail of the Q: "YEHO" for the bank code YEHQ; only Q passes mod 97.
    assert repair_iban("NL36 YEHO 9584 2070 38") == "NL36YEHQ9584207038"
    assert repair_iban("NL36 YEHQ 9584 2070 38") == "NL36YEHQ9584207038"  # valid as read


def test_a_digit_read_for_another_is_repaired_only_where_the_national_check_agrees() -> None:
    read = "FR7632703815793098507580352"  # the 6 of ...7560352 read as 8
    assert not is_valid_iban(read)
    # Mod 97 alone passes two one-swap readings (76 -> 75 in the check digits, or 8 -> 6); the RIB
    # key of the French BBAN rejects the first.
    assert is_valid_iban("FR7532703815793098507580352") and not iban_proved("FR7532703815793098507580352")
    assert repair_iban(read) == "FR7632703815793098507560352"


def test_ocr_iban_is_found_in_mixed_case_and_cut_at_the_country_length() -> None:
    text = "Orbis SARL IBAN Fr76 3270 3815 7930 9850 7580 352 BIC PyhpFRY4XXX"
    value, start, end = find_ocr_iban(text)  # type: ignore[misc]
    assert value == "FR7632703815793098507560352"
    assert text[start:end] == "Fr76 3270 3815 7930 9850 7580 352"
    assert find_ocr_iban("IBAN: DE61 8623 2721 8167 6234 21 and 55") is None  # two misreads, no proof


def test_an_iban_read_with_letters_for_its_check_digits_is_its_printed_form() -> None:
    """akretion's sample IBAN "FR20 1254 2547 2569 8542 5874 698" (mod 97 holds, the French RIB key
    does not: made up) read "FRZO ...": the format wants digits there, so it is the printed IBAN
    (no repair could prove it: the RIB key fails as printed)."""
    printed = "FR2012542547256985425874698"
    assert is_valid_iban(printed) and not iban_proved(printed)
    assert iban_format_reading("FRZO12542547256985425874698") == printed
    assert iban_format_reading("FR2012542547256985425874699") is None  # mod 97 fails: no reading
    assert find_ocr_iban("IBAN : FRZO 1254 2547 2569 8542 5874 698 - BIC")[0] == printed  # type: ignore[index]


def test_an_iban_with_a_letter_of_its_country_read_as_a_digit_is_read_by_its_length() -> None:
    """horstoeko read by our five-language recogniser on seed 3433: "IBAN.F876 1254 ..." for its
    sample "FR76 1254 2547 2569 8542 5874 698" (made up: it fails mod 97). Of the countries F begins
    (FI, FO, FR) only France's IBANs are 27 long; where mod 97 holds for one reading it decides (DE,
    GE, IE and ME all have 22), and where it holds for none, several countries leave no reading."""
    assert find_ocr_iban("ÎBAN.F876 12542547 2569 8542 5874 698 BIC")[0] == "FR7612542547256985425874698"  # type: ignore[index]
    assert find_ocr_iban("IBAN 8E89 3704 0044 0532 0130 00")[0] == "DE89370400440532013000"  # type: ignore[index]
    assert find_ocr_iban("IBAN 8E89 3704 0044 0532 0130 01") is None
    assert find_ocr_iban("IBAN.F876 12542547 2569 8542 5874 6981") is None  # 28 long: no F country


def test_an_iban_kept_as_printed_must_fit_its_countrys_format() -> None:
    """A printed IBAN failing its checksum is kept as printed, but an OCR'd run that has not even its
    country's length and classes is a misread ("... 5874 EN" for "... 5874 698": horstoeko, 613)."""
    assert iban_fits_format("FR76 3000 4000 5000 6000 7000 891")  # fails mod 97, fits the format
    assert not iban_fits_format("FR76 1254 2547 2569 8542 5874 EN")
    assert not iban_fits_format("FR76 1254 2547 2569 8542 5874 6981")


def test_labelled_ocr_iban_with_letter_check_digits_keeps_its_raw_text() -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for y, text in ((60, "ACME B.V."), (100, "FACTUUR"), (700, "IBAN: NL4O LUYS 9362 9759 42")):
        page.insert_text((40, y), text, fontsize=9, fontname="helv")
    loaded = load(doc.tobytes())
    for p in loaded.pages:
        p.text_source = "ocr"
    iban = extract_fields("invoice", loaded, find_line_items(loaded))["bank_details"]["iban"]  # type: ignore[index]
    assert iban.value == "NL40LUYS9362975942"
    assert iban.raw == "NL4O LUYS 9362 9759 42" and iban.confidence <= 0.7


def test_vat_digit_swap_only_when_no_letter_lookalike_repairs_it() -> None:
    assert repair_lookalike("DE138695976", is_valid_vat) == "DE136695976"  # 6 read as 8
    assert repair_lookalike("GB823341182", is_valid_vat) == "GB823341162"
    assert repair_lookalike("NL599787861B02", is_valid_vat) is None  # two readings pass: no guess


def test_ocr_bic_read_across_spaces_and_in_mixed_case() -> None:
    assert find_ocr_bic(" MLF TDEG8") == ("MLFTDEG8", 1, 10)
    assert find_ocr_bic("MLF  TDEG8") is None  # two spaces: two things, not one BIC
    assert find_ocr_bic("PyhpFRY4XXX IBAN")[0] == "PYHPFRY4XXX"  # type: ignore[index]
    assert find_ocr_bic("MLF TDE G") is None  # seven characters: no BIC
    assert find_ocr_bic("ACME BANK") is None


def test_a_valid_id_with_a_letter_look_alike_whose_digit_reading_is_valid_too_is_that() -> None:
    # "FRS4..." passes the French letter-key check, "FR54..." the SIREN key: the digit reading wins.
    assert is_valid_vat("FRS4977435064") and digit_reading("FRS4977435064", is_valid_vat) == "FR54977435064"
    assert digit_reading("FR54977435064", is_valid_vat) is None  # nothing to read otherwise
    assert digit_reading("ESB12345674", is_valid_vat) is None  # a letter the format needs stays
    for ocr, expected in ((True, "FR54977435064"), (False, "FRS4977435064")):
        vat = _vendor_vat(("Société Lumen SAS", "N° TVA FRS4977435064", "FACTURE"), ocr)
        assert vat.value == expected and vat.raw.endswith("FRS4977435064")


def test_a_french_id_with_a_letter_key_one_character_from_its_sirens_key_is_the_numeric_one() -> None:
    # akretion's "FR 11 123 456 782" read with its key "A1" (invalid) and "M1" (valid as a letter key,
    # checked mod 11 only) on scans: the SIREN passes Luhn and gives the key 11.
    assert is_valid_vat("FRM1123456782") and not is_valid_vat("FRA1123456782")
    assert french_numeric_key("FRA1123456782") == french_numeric_key("FR M1 123 456 782") == "FR11123456782"
    assert french_numeric_key("FR11123456782") is None  # a numeric key: nothing to read
    assert french_numeric_key("FRAB123456782") is None  # two characters from the key
    assert french_numeric_key("FRA1123456787") is None  # the SIREN fails Luhn: no key to compute
    for ocr, expected in ((True, "FR11123456782"), (False, "FRM1123456782")):
        vat = _vendor_vat(("Société Lumen SAS", "N° TVA FRM1 123 456 782", "FACTURE"), ocr)
        assert vat.value == expected


def test_a_french_id_with_a_letter_key_beside_its_printed_siren_is_the_numeric_one() -> None:
    """akretion read on seed 3449: "FR 11 123 456 782" read "FRH4 123 456 782", both characters of
    the key wrong, valid by the letter-key check by chance, under "SIREN : 123 456 782". Where the
    page prints the id's SIREN, the key is the one that SIREN gives; without it the id stays as
    read, and so does it on a text layer."""
    assert is_valid_vat("FRH4123456782") and french_numeric_key("FRH4123456782") is None
    assert french_numeric_key("FRH4123456782", siren_printed=True) == "FR11123456782"
    with_siren = ("Société Lumen SAS", "SIREN : 123 456 782", "N° TVA FRH4 123 456 782", "FACTURE")
    assert _vendor_vat(with_siren, True).value == "FR11123456782"
    assert _vendor_vat(with_siren, False).value == "FRH4123456782"
    without = ("Société Lumen SAS", "N° TVA FRH4 123 456 782", "FACTURE")
    assert _vendor_vat(without, True).value == "FRH4123456782"


def test_the_id_in_the_vendors_block_outranks_a_labelled_one_in_the_footer() -> None:
    """akretion read by our five-language recogniser on seed 3463: its "N° TVA intra : FR 11 123 456
    782" under the seller's address read "N° IVAintre:FR 11 ...", the label lost, and the
    template's footer "N° TVA : FR32 123 456 789" (labelled) became the vendor's id. The vendor's
    block says whose id it holds; a label only says what it is."""
    from pipeline.extract import extract_fields

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for y, text in ((60, "LE FOURNISSEUR"), (72, "35 rue d'ici"), (84, "75018 PARIS"),
                    (96, "N° IVAintre:FR 11 123 456 782"), (300, "FACTURE F20260023"),
                    (800, "www.masociete.fr - N° TVA : FR32 123 456 789")):
        page.insert_text((40, y), text, fontsize=9, fontname="helv")
    loaded = load(doc.tobytes())
    loaded.pages[0].text_source = "ocr"
    fields = extract_fields("invoice", loaded, find_line_items(loaded))
    assert fields["vendor"]["tax_id"].value == "FR11123456782"  # type: ignore[index,union-attr]


def test_a_french_id_with_several_italic_ones_read_as_fours_is_the_one_reading_passing_both_checks() -> None:
    # akretion's "FR 11 123 456 782" read "FR 44 423 456 782" on seed 2659: three 1s read as 4s.
    assert french_ones_read_as_fours("FR44423456782") == "FR11123456782"
    assert french_ones_read_as_fours("FR41123456782") is None  # one change: repair_lookalike's
    assert french_ones_read_as_fours("DE444444444") is None  # French ids only
    lines = ("Cronus SARL", "N° TVA FR 44 423 456 782", "FACTURE")
    assert _scanned_vendor_vat(lines, 0.6) == "FR11123456782"
    assert _scanned_vendor_vat(lines, 0.96) != "FR11123456782"  # read surely: left as read
    # ... with its key read with a letter too ("FR M1423 456782", seed 3163): the 4s read back give
    # FRM1123456782, whose letter key passes as read; it is FR11's, as its SIREN's key says.
    assert _scanned_vendor_vat(("Cronus SARL", "N° TVA FR M1423 456782", "FACTURE"), 0.6) == "FR11123456782"


def test_a_vat_id_whose_country_was_misread_by_a_letter_is_the_country_its_checksum_proves() -> None:
    # akretion's "FR 11 123 456 782" read "FA 11 123 456 782" on seed 2711: no country is "FA".
    assert vat_with_misread_country("FA 11 123 456 782") == "FR11123456782"
    assert vat_with_misread_country("FR11123456782") is None  # a country already
    assert vat_with_misread_country("FA11123456787") is None  # no checksum passes
    assert vat_with_misread_country("US1234567890") is None
    lines = ("Cronus SARL", "N° TVA : FA 11 123 456 782", "FACTURE")
    assert _scanned_vendor_vat(lines, 0.6) == "FR11123456782"


def test_a_letter_where_a_digit_must_be_may_be_either_digit_it_looks_like() -> None:
    # "NL2S": the check digit's S is a 5 or an 8; mod 97 says 8.
    assert repair_iban("NL2SRXSS8280982637") == "NL28RXSS8280982637"
    # akretion's italic "2" read "J" on seed 811 ("FRJO 1254 ..."): J is a 1, 2 or 3; mod 97 says 2.
    assert find_ocr_iban("IbAN : FRJO 12542547 25698542 5874 698 + Bic")[0] == "FR2012542547256985425874698"  # type: ignore[index]


def test_an_id_ocr_is_sure_of_gets_no_digit_swap() -> None:
    """DE136695976 read "DE136695916" at 0.96 stays as read; read at 0.6 it is the one valid id a
    1-for-7 swap gives. DE777777777 (a sample invoice's, failing its check digit) stays as printed
    at either: two swaps make it valid (DE717777777, DE777772777), so neither is proved."""
    assert repair_lookalike("DE136695916", is_valid_vat) == "DE136695976"
    assert repair_lookalike("DE136695916", is_valid_vat, digits=False) is None
    lines = ("Cronus GmbH", "USt-IdNr. DE136695916", "RECHNUNG")
    assert _scanned_vendor_vat(lines, 0.96) == "DE136695916"
    assert _scanned_vendor_vat(lines, 0.6) == "DE136695976"
    assert repair_lookalike("DE777777777", is_valid_vat) is None
    assert _scanned_vendor_vat(("Cronus GmbH", "USt-IdNr. DE777777777", "RECHNUNG"), 0.6) == "DE777777777"


def _scanned_vendor_vat(lines: tuple[str, str, str], confidence: float) -> str:
    """The vendor VAT id of a scanned page of three lines, every word read at `confidence`."""
    return _vendor_vat(lines, ocr=True, confidence=confidence).value  # type: ignore[return-value]


def _vendor_vat(lines: tuple[str, ...], ocr: bool, confidence: float | None = None) -> Evidence:
    """The vendor VAT id's evidence on a page of three lines (or four), marked OCR'd when `ocr`, every word
    then read at `confidence` where one is given."""
    import dataclasses

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for y, text in zip((60, 75, 100, 115)[: len(lines)], lines, strict=True):
        page.insert_text((40, y), text, fontsize=9, fontname="helv")
    loaded = load(doc.tobytes())
    if ocr:
        loaded.pages[0].text_source = "ocr"
    if confidence is not None:
        loaded.pages[0].words = [dataclasses.replace(w, confidence=confidence) for w in loaded.pages[0].words]
    return extract_fields("invoice", loaded, find_line_items(loaded))["vendor"]["tax_id"]  # type: ignore[index,return-value]


def test_a_vat_id_breaking_its_format_is_read_with_digits_for_look_alike_letters() -> None:
    # The French key holds no O (nor I): "FRO5 ..." and "FROS ..." were read off a printed "FR05 ...";
    # the sample's id fails its checksum either way, so the reading is the printed form, no proof.
    assert vat_format_reading("FRO5987654321") == "FR05987654321"
    assert vat_format_reading("FROS987654321") == "FR05987654321"
    # The Dutch id's B is a letter of its format; only the O after it is a 0 (coolblue2, seed 499).
    assert vat_format_reading("NL810433947BO1") == "NL810433947B01"
    # Ids that keep their format (a checksum failure, a letter key) or are too short are left alone.
    assert vat_format_reading("FR05987654321") is None
    assert vat_format_reading("FRM1123456782") is None
    assert vat_format_reading("FR05987654") is None


def test_a_format_reading_then_one_swap_the_checksum_proves() -> None:
    """coolblue2's "NL810433941B01" read "NL810433947BO1" (seed 499): the O after the B is a 0 by
    the Dutch format, no guess; then one 7-for-1 swap passes the checksum. Read with confidence only:
    an id OCR was sure of gets no digit swap."""
    lines = ("Coolblue B.V.", "BTW: NL810433947BO1", "FACTUUR")
    assert _scanned_vendor_vat(lines, 0.6) == "NL810433941B01"
    assert _scanned_vendor_vat(lines, 0.96) == "NL810433947B01"


def test_a_country_prefix_with_a_letter_read_as_a_digit_is_read_where_the_checksum_proves_it() -> None:
    """ZUGFeRD's "USt-IdNr. DE238574172" read "USI-IaNr . 0E238574172" on scanner seed 1493 (its
    round D a zero): no prefix, so no id at all. The one letter for the digit that makes a valid id
    is read; a failing id, a number without a letter in its first two characters, and an id already
    read right are left to the other searches."""
    assert vat_ids_with_misread_prefix("USI-IaNr . 0E238574172") == [("DE238574172", 11, 22)]
    assert vat_ids_with_misread_prefix("BTW 8E0411905847") == [("BE0411905847", 4, 16)]
    assert vat_ids_with_misread_prefix("0E238574173") == []  # fails its check digit as D too
    assert vat_ids_with_misread_prefix("Tel 12 345678901, 0049 238574172") == []
    assert vat_ids_with_misread_prefix("DE238574172") == []


def test_an_italic_one_read_as_four_in_an_id_is_read_where_the_checksum_proves_it() -> None:
    """akretion's "N° TVA intra : FR 11 123 456 782" read "FR 14 123 456 782" on seed 1553: the French
    templates' italic "1" comes back as "4" (their dates too). One "4" read as "1" is the one valid
    reading; an id the checksum does not prove stays unrepaired."""
    assert repair_lookalike("FR14123456782", is_valid_vat) == "FR11123456782"
    assert repair_lookalike("FR05987654321", is_valid_vat) is None  # the sample's own failing id


def test_an_iban_read_one_character_too_long_is_the_reading_the_checksums_prove() -> None:
    """coolblue2's "NL50 INGB 0683 2513 09" read "NLSO0INGB0683251309" by latin5 on seed 2389: a doubled
    "0" and "5" read "S". Dropping one character and reading look-alikes proves one IBAN."""
    text = "IBAN NLSO0INGB0683251309"
    value, start, end = find_ocr_iban(text)  # type: ignore[misc]
    assert value == "NL50INGB0683251309" and text[start:end] == "NLSO0INGB0683251309"
    assert find_ocr_iban("IBAN NLSO0INGB0683251399") is None  # no reading passes mod 97

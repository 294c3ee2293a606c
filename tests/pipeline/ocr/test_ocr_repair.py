"""Candidate readings of OCR'd amounts and dates, accepted only when arithmetic proves them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pipeline.ocr_repair import amount_readings, candidates, mend_identifier, prove_amount, prove_date


def test_raw_reading_comes_first_and_changes_are_counted() -> None:
    found = list(candidates("1S", max_changes=1))
    assert found[0] == ("1S", 0)
    assert ("15", 1) in found
    assert all(n <= 1 for _, n in found)


def test_letter_lookalikes_are_repaired_when_the_sum_proves_it() -> None:
    assert prove_amount("1.234,S6", Decimal("1234.56")) == ("1.234,56", Decimal("1234.56"))
    assert prove_amount("I2O.00", Decimal("120.00")) == ("120.00", Decimal("120.00"))


def test_swapped_separator_is_repaired() -> None:
    # "5,489:99" (the decimal point read as a colon) does not parse; the line total proves it.
    assert prove_amount("5,489:99", Decimal("5489.99")) == ("5,489.99", Decimal("5489.99"))
    # "5.489.99" (comma read as a dot) needs no repair: parse_amount reads the last mark before two
    # digits as the decimal mark.
    assert prove_amount("5.489.99", Decimal("5489.99")) == ("5.489.99", Decimal("5489.99"))


def test_digit_confusions_only_with_arithmetic() -> None:
    assert prove_amount("12.58", Decimal("12.56")) == ("12.56", Decimal("12.56"))
    assert prove_amount("12.58", Decimal("99.99")) is None


def test_correct_reading_is_left_as_is() -> None:
    assert prove_amount("583,10", Decimal("583.10")) == ("583,10", Decimal("583.10"))


def test_amount_readings_lists_values_for_combination_search() -> None:
    values = amount_readings("1O.50")
    assert values[0] == Decimal("10.50")  # "1O.50" itself does not parse; first real reading
    assert Decimal("10.50") in values


def test_dates() -> None:
    assert prove_date("O1.O3.2024") == ("01.03.2024", date(2024, 3, 1))
    assert prove_date("15.O3.2O24", accept=date(2024, 3, 15)) == ("15.03.2024", date(2024, 3, 15))
    assert prove_date("15.03.2024", accept=date(2024, 3, 16)) is None


def test_currency_sign_misread_in_front_of_the_digits() -> None:
    # "$4.11" read as "S4.11" or "84.11": the sign reading is a candidate, never a silent fix.
    assert prove_amount("S4.11", Decimal("4.11")) == ("$4.11", Decimal("4.11"))
    assert prove_amount("84.11", Decimal("4.11")) == ("$4.11", Decimal("4.11"))
    assert Decimal("4.11") in amount_readings("S4.11")
    assert amount_readings("84.11")[0] == Decimal("84.11")
    # Only in front of the digits: "4S.11" is never "4$.11".
    assert all("$" not in text for text, _ in candidates("4S.11", max_changes=2))


def test_pound_or_euro_sign_read_as_a_letter_or_digit() -> None:
    assert prove_amount("E5349.51", Decimal("5349.51")) == ("€5349.51", Decimal("5349.51"))
    assert prove_amount("C12,00", Decimal("12.00"), decimal_hint=",") == ("€12,00", Decimal("12.00"))
    assert prove_amount("619,99", Decimal("19.99"), decimal_hint=",") == ("€19,99", Decimal("19.99"))
    assert amount_readings("619,99", ",")[0] == Decimal("619.99")  # as read first
    assert prove_amount("5E349.51", Decimal("5349.51")) is None  # a sign never sits inside the digits


def test_stray_mark_in_front_of_an_amount_may_be_dropped() -> None:
    assert prove_amount('"350.74', Decimal("350.74")) == ("350.74", Decimal("350.74"))
    assert amount_readings('"350.74') == [Decimal("350.74")]
    assert prove_amount('35"0.74', Decimal("350.74")) is None  # only in front of the digits


def test_a_sign_read_as_a_letter_before_a_digit_read_as_one_is_one_change() -> None:
    """AWS's "VAT $0.00" read "SO.00" on seed 1709: two look-alikes, past `amount_readings`' one
    change, so the line had no amount and its item's outline broke. The letter cannot stand before
    the digits, so its reading as the sign comes free; the "O" is the one change."""
    assert amount_readings("SO.00") == [Decimal("0.00")]
    assert amount_readings("S0.01") == [Decimal("50.01"), Decimal("0.01")]  # as before
    assert amount_readings("XO.00") == []


def test_both_decimals_read_as_the_letter_o_are_one_change() -> None:
    """horstoeko's unit price "5,00" read "5,oo" by latin5 on seeds 2113 and 2129: two look-alikes,
    past `amount_readings`' one change, so its row (1,00 x 5,oo = 5,00) had no price."""
    assert amount_readings("5,oo", ",") == [Decimal("5.00")]
    assert amount_readings("12.OO") == [Decimal("12.00")]
    # o's among an amount's digits are zeros wherever they stand ("6o,0o": seed 3697), here with a
    # rule read as a 1 after the cents (`_RULE_AS_ONE`): readings that arithmetic must prove
    assert Decimal("5.00") in amount_readings("5,oo1", ",")
    assert amount_readings("Zoo") == []  # no decimal mark: no cents


def test_a_speck_between_a_currency_sign_and_its_digits_may_be_dropped() -> None:
    """coolblue's "€ 19,99" read "€:19,99" on scanner seed 1669: as read no amount at all."""
    assert prove_amount("€:19,99", Decimal("19.99"), decimal_hint=",") == ("€19,99", Decimal("19.99"))
    assert Decimal("19.99") in amount_readings("$.19,99", ",")
    assert prove_amount("19:,99", Decimal("19.99"), decimal_hint=",") is None  # only after a sign


def test_closing_bracket_after_an_amount_may_be_dropped() -> None:
    """QualityHosting's "Total EUR 34,73" read "34,73)" on scanner seed 251: a closing bracket that
    opens nowhere. "(34,73)" is a negative amount as printed and keeps its brackets."""
    assert prove_amount("34,73)", Decimal("34.73"), decimal_hint=",") == ("34,73", Decimal("34.73"))
    assert prove_amount("34,73]", Decimal("34.73"), decimal_hint=",") == ("34,73", Decimal("34.73"))
    assert ("(34,73", 1) not in list(candidates("(34,73)", max_changes=1))
    assert prove_amount("34),73", Decimal("34.73"), decimal_hint=",") is None  # only at the end


def test_letters_between_digits_of_an_identifier_are_digits() -> None:
    assert mend_identifier("BLR_WFLD2O151000982590") == "BLR_WFLD20151000982590"
    assert mend_identifier("RE-2022-4l7") == "RE-2022-417"
    assert mend_identifier("INV 1I0") == "INV 110"
    assert mend_identifier("PO201925478") == "PO201925478"  # a letter before the digits stays
    assert mend_identifier("P0201925478") == "P0201925478"  # and a digit after a letter
    assert mend_identifier("2022D001") == "2022D001"  # D and Q may be printed there
    assert mend_identifier("P0z01925478") == "P0201925478"  # a lower-case z is a 2 (seed 1039)
    assert mend_identifier("POz01925478") == "PO201925478"  # after an O too (seed 3023)
    assert mend_identifier("2022Z001") == "2022Z001"  # a capital Z may be printed

"""Normalisers: amounts, dates, currencies, identifiers, language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.normalize.amounts import find_amounts, parse_amount
from pipeline.normalize.currency import detect_currency
from pipeline.normalize.dates import find_dates, numeric_order_votes, parse_date, terms_days
from pipeline.normalize.identifiers import find_bics, find_ibans, find_vat_ids, is_valid_iban, is_valid_vat
from pipeline.normalize.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1 234,56", "1234.56"),
        ("1'234.56", "1234.56"),
        ("€ 2.321,00", "2321.00"),
        ("$4.11", "4.11"),
        ("Rs 1939", "1939"),
        ("(12.50)", "-12.50"),
        ("12.50-", "-12.50"),
        ("-9,32", "-9.32"),
        ("104,90 EUR", "104.90"),
        ("1\u202f234,56 €", "1234.56"),
    ],
)
def test_parse_amount(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


def test_parse_amount_rejects_words() -> None:
    assert parse_amount("Total") is None
    assert parse_amount("12/03/2020") is None


def test_find_amounts_skips_percentages_and_years() -> None:
    assert [a[0] for a in find_amounts("Tax 15% on $ 112.90  $ 16.94")] == [
        Decimal("112.90"),
        Decimal("16.94"),
    ]
    assert find_amounts("(zzgl. 19,00% MwSt.)") == []
    assert [a[0] for a in find_amounts("TOTAL DUE ON August 3 , 2014 $4.11")] == [Decimal("4.11")]


@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2),
    st.sampled_from([(",", "."), (".", ","), (" ", ","), ("'", "."), ("", "."), ("", ",")]),
)
def test_parse_amount_round_trips_formatted_numbers(value: Decimal, style: tuple[str, str]) -> None:
    thousands, decimal_mark = style
    whole, frac = f"{value:.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = thousands.join(groups) + decimal_mark + frac
    assert parse_amount(text) == value


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("19 april 2014", "DMY", date(2014, 4, 19)),  # nl
        ("7. Mai 2014", "DMY", date(2014, 5, 7)),  # de
        ("02 Juillet 2015", "DMY", date(2015, 7, 2)),  # fr
        ("5 de marzo de 2021", "DMY", date(2021, 3, 5)),  # es
        ("August 3 , 2014", "MDY", date(2014, 8, 3)),  # en
        ("Jan 31, 2022", "MDY", date(2022, 1, 31)),
        ("Jan1 2022", "MDY", date(2022, 1, 1)),  # OCR lost the space (SammyMaystone, scanner seed 389)
        ("17. Dez. 2020", "DMY", date(2020, 12, 17)),
        ("1er février 2020", "DMY", date(2020, 2, 1)),
        ("03/20/2023", "DMY", date(2023, 3, 20)),  # unambiguous wins over the hint
        ("03/04/2023", "DMY", date(2023, 4, 3)),
        ("03/04/2023", "MDY", date(2023, 3, 4)),
        ("8-9-2022", "DMY", date(2022, 9, 8)),
        ("01.05.14", "DMY", date(2014, 5, 1)),
        ("2024-11-01", "MDY", date(2024, 11, 1)),
        ("20200115", "DMY", date(2020, 1, 15)),
    ],
)
def test_parse_date(text: str, order: str, expected: date) -> None:
    assert parse_date(text, order) == expected


def test_dates_not_found_in_amounts() -> None:
    assert find_dates("1.234,56 12.50") == []
    # A comma after the year ends the date ("15/01/2020, Paris"); a comma and digits do not.
    assert [m.value for m in find_dates("15/01/2020, Paris")] == [date(2020, 1, 15)]
    assert find_dates("1.10.2014,00") == []
    assert parse_date("31/02/2020") is None
    assert parse_date("Jan12022") is None  # January 1 or 12? Nothing apart: no date


def test_numeric_order_votes() -> None:
    assert numeric_order_votes("03/20/2023 04/04/2023") == (0, 1)
    assert numeric_order_votes("31/12/2017") == (1, 0)
    # a number past 31 is no day: no vote ("04.59.13" in ZUGFeRD's footer, read so on seed 3931)
    assert numeric_order_votes("01.11.2024 04.59.13") == (0, 0)
    assert numeric_order_votes("45/11/2024") == (0, 0)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Net 30", 30),
        ("Net 30 days", 30),
        ("14 Tage netto", 14),
        ("PAIEMENT 30 JOURS NET", 30),
        ("30 días", 30),
        ("binnen 14 dagen", 14),
        ("immediately", None),
    ],
)
def test_terms_days(text: str, days: int | None) -> None:
    assert terms_days(text) == days


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Total € 12,00", "EUR"),
        ("Grand Total Rs 1939", "INR"),
        ("Amount $4.11", "USD"),
        ("£ 10.00", "GBP"),
        ("Total CHF 12.00", "CHF"),
        ("DEVISE : EURO (EUR)", "EUR"),
        ("₹ 500", "INR"),
    ],
)
def test_detect_currency(text: str, code: str) -> None:
    assert detect_currency(text)[0] == code


def test_detect_currency_none() -> None:
    assert detect_currency("no money here")[0] is None


def test_ibans() -> None:
    assert (
        find_ibans("IBAN : FR76 10107 00245 00617052317 39 - BIC : BREDFRPP")[0][0]
        == "FR7610107002450061705231739"
    )
    assert find_ibans("IBAN DE30507500940000048567 SWIFT")[0][0] == "DE30507500940000048567"
    assert find_ibans("DE30507500940000048568") == []  # bad check digits
    assert (
        find_ibans("IBAN DE30 5075 0094 0000 0485 68", require_valid=False)[0][0] == "DE30507500940000048568"
    )
    assert is_valid_iban("NL50 INGB 0683 2513 09")
    assert not is_valid_iban("NL51INGB0683251309")


def test_bics_and_vat_ids() -> None:
    assert [b[0] for b in find_bics("BIC INGBNL2A")] == ["INGBNL2A"]
    assert find_bics("BIC_MONCOMPTE") == []
    assert [v[0] for v in find_vat_ids("UStId DE 232 446 240")] == ["DE232446240"]
    assert [v[0] for v in find_vat_ids("N° TVA intra : FR 11 123 456 782")] == ["FR11123456782"]
    assert is_valid_vat("NL810433941B01") is True
    assert is_valid_vat("DE777777777") is False


def test_words_and_longer_numbers_are_no_vat_ids() -> None:
    """A country code followed by a word ("SIREN 303656847", glued on a scan of akretion's sample:
    SI is Slovenia's code) or a VAT-shaped start of a longer run of groups (an IBAN whose check
    digits OCR misread, "FR2O 1254 2547 2569 ...") is no VAT id; an id followed by other words,
    or by a comma, still is."""
    assert find_vat_ids("SIREN303656847") == []
    assert find_vat_ids("IBAN : FR2O 1254 2547 2569 8542 5874 698") == []
    assert [v[0] for v in find_vat_ids("USt-Id DE 136 695 976 HRB 13302")] == ["DE136695976"]
    assert [v[0] for v in find_vat_ids("DE136695976, Amtsgericht Kiel")] == ["DE136695976"]
    assert [v[0] for v in find_vat_ids("UID ATU12345678")] == ["ATU12345678"]
    assert [v[0] for v in find_vat_ids("NIF ESB12345678")] == ["ESB12345678"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Invoice number 12 Date of the invoice Total amount due Please pay this invoice", "en"),
        ("Rechnung Nummer Datum Bitte zahlen Sie den Betrag bis zum Ende des Monats", "de"),
        ("Facture numéro date de la facture Montant total à payer par virement pour vous", "fr"),
        ("Factura número fecha de la factura Importe total para el pago con su tarjeta", "es"),
        ("Factuur nummer datum van het bedrag Totaal te betalen voor uw bestelling met de", "nl"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text)[0] == lang


def test_repeated_mark_before_one_or_two_digits_is_the_decimal_mark() -> None:
    # OCR reads "181.143,00" as "181.143.00": only a decimal mark can precede the last two digits.
    assert parse_amount("181.143.00") == Decimal("181143.00")
    assert parse_amount("1,811,4") == Decimal("1811.4")
    assert parse_amount("1.234.567") == Decimal("1234567")  # three-digit groups: thousands only


def test_a_speck_read_as_a_quote_before_the_month_is_no_part_of_the_date() -> None:
    for text in ("6 'juli 2020", "6 ‘juli 2020", "6 juli 2020"):
        assert [m.value for m in find_dates(text)] == [date(2020, 7, 6)], text


def test_a_month_name_between_hyphens_or_slashes() -> None:
    assert [m.value for m in find_dates("Invoice Date: 22-Apr-2023 Due: 06/Jun/2023")] == [
        date(2023, 4, 22), date(2023, 6, 6)]


def test_a_day_with_a_letter_read_for_0_or_1_before_a_month_name_and_a_year() -> None:
    # free's scan: "Facture n°562044387 du O2 Juillet 2015".
    assert [m.value for m in find_dates("du O2 Juillet 2015")] == [date(2015, 7, 2)]
    assert [m.value for m in find_dates("l5 March 2020")] == [date(2020, 3, 15)]
    # Two letters are no day, and a word before a date is not read into it.
    assert find_dates("Oo juin 2020") == []
    assert find_dates("Il mars 2020") == []
    assert [m.value for m in find_dates("On 2 May 2020")] == [date(2020, 5, 2)]

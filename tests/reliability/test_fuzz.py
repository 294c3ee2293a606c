"""Property-based fuzzing (hypothesis) of the loader and the amount and date parsers.

The loader takes bytes from strangers: whatever it gets, it must either load pages or raise a
DocumentError with a reason, quickly; anything else (an IndexError, a hang, a MemoryError) would
crash or stall a worker. The parsers must never raise on any text, and must read back every amount
and date we print in the formats invoices use. Bounded: a fixed number of examples, each with a
deadline, so the whole file takes well under a minute.
"""

from __future__ import annotations

import io
import os
import time
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.service.conftest import make_invoice_pdf

FUZZ = settings(
    # INVOICE_OCR_FUZZ_EXAMPLES=5000 for a longer hunt by hand; CI keeps the default
    max_examples=int(os.environ.get("INVOICE_OCR_FUZZ_EXAMPLES", "150")),
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,  # no state carried between runs: CI and a laptop fuzz alike
)


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(buf, format="PNG")
    return buf.getvalue()


def _tiff() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    frames = [Image.new("L", (32, 32), 255) for _ in range(2)]
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:])
    return buf.getvalue()


SEEDS = [make_invoice_pdf("INV-FUZZ"), _png(), _tiff()]
MAGICS = [b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"II*\x00", b"MM\x00*",
          b"RIFF\x00\x00\x00\x00WEBP", b"<?xml version='1.0'?>"]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A valid seed file with bytes flipped, cut, inserted or spliced: what broken files look like."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "splice"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif op == "truncate":
            del data[at:]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 512))]
        else:
            other = draw(st.sampled_from(SEEDS))
            start = draw(st.integers(0, len(other) - 1))
            data[at : at + 256] = other[start : start + 256]
    return bytes(data)


def _load_or_refuse(data: bytes) -> None:
    from pipeline.errors import DocumentError
    from pipeline.load import load
    from pipeline.options import Options

    started = time.monotonic()
    try:
        loaded = load(data, Options(ocr=False, max_pixels=4_000_000))
    except DocumentError as exc:
        assert exc.detail and "\n" not in exc.detail and 400 <= exc.http_status < 500
    else:
        assert loaded.mime_type
        for page in loaded.pages:
            assert page.width > 0 and page.height > 0
    assert time.monotonic() - started < 5


@FUZZ
@given(mutated())
def test_loader_on_mutated_files(data: bytes) -> None:
    _load_or_refuse(data)


@FUZZ
@given(st.sampled_from(MAGICS), st.binary(max_size=4096))
def test_loader_on_random_bytes_behind_a_magic_number(magic: bytes, tail: bytes) -> None:
    _load_or_refuse(magic + tail)


@FUZZ
@given(st.text(max_size=200), st.sampled_from([None, ".", ","]))
def test_parse_amount_never_raises(text: str, hint: str | None) -> None:
    from pipeline.normalize.amounts import find_amounts, parse_amount

    value = parse_amount(text, hint)
    assert value is None or isinstance(value, Decimal)
    for amount, start, end in find_amounts(text, hint):
        assert isinstance(amount, Decimal) and 0 <= start < end <= len(text)


def _group(integer: int, sep: str) -> str:
    return f"{integer:,}".replace(",", sep)


@FUZZ
@given(
    st.integers(0, 10**9),
    st.integers(0, 99),
    st.sampled_from(
        [(".", ","), (",", "."), ("\u00a0", ","), (" ", ","), ("'", "."), ("", "."), ("", ",")]
    ),
    st.booleans(),
    st.sampled_from(["", "EUR ", "€", "$", " EUR", " €", " CHF"]),
)
def test_parse_amount_reads_back_printed_amounts(
    integer: int, cents: int, style: tuple[str, str], negative: bool, currency: str
) -> None:
    from pipeline.normalize.amounts import parse_amount

    thousands, decimal_mark = style
    text = f"{_group(integer, thousands)}{decimal_mark}{cents:02d}"
    text = f"-{text}" if negative else text
    text = f"{currency}{text}" if currency and not currency.startswith(" ") else f"{text}{currency}"
    expected = Decimal(integer) + Decimal(cents) / 100
    assert parse_amount(text) == (-expected if negative else expected), text


@FUZZ
@given(st.text(max_size=200), st.sampled_from(["DMY", "MDY"]))
def test_date_parsers_never_raise(text: str, order: str) -> None:
    from pipeline.normalize.dates import find_dates, parse_date, parse_date_prefix

    value = parse_date(text, order)
    assert value is None or isinstance(value, date)
    for match in find_dates(text, order):
        assert 1900 <= match.value.year <= 2100 and 0 <= match.start < match.end <= len(text)
    parse_date_prefix(text, order)


MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]
MONTHS_DE = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
             "Oktober", "November", "Dezember"]


@FUZZ
@given(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)),
    st.sampled_from(
        ["{d:02d}.{m:02d}.{y}", "{y}-{m:02d}-{d:02d}", "{d:02d}/{m:02d}/{y}", "MDY {m:02d}/{d:02d}/{y}",
         "{d} {en} {y}", "{en} {d}, {y}", "{d}. {de} {y}", "{d:02d}-{m:02d}-{y}"]
    ),
    st.sampled_from(["", "Invoice date: ", "Datum ", "due "]),
)
def test_parse_date_reads_back_printed_dates(day: date, pattern: str, label: str) -> None:
    from pipeline.normalize.dates import parse_date

    order = "DMY"
    if pattern.startswith("MDY "):
        order, pattern = "MDY", pattern[4:]
    text = label + pattern.format(
        d=day.day, m=day.month, y=day.year, en=MONTHS_EN[day.month - 1], de=MONTHS_DE[day.month - 1]
    )
    assume(text)
    assert parse_date(text, order) == day, text

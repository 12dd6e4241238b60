"""Money, dates and quantities written the Vietnamese way."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nongsan.common.formatting import (
    NO_BREAK_SPACE,
    format_date,
    format_datetime,
    format_quantity,
    format_vnd,
)

UTC = datetime.UTC


def spaced(text: str) -> str:
    """Expected output written with ordinary spaces, as the helpers join with U+00A0."""
    return text.replace(" ", NO_BREAK_SPACE)


# format_vnd


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (45000, "45.000 ₫"),
        (0, "0 ₫"),
        (5, "5 ₫"),
        (999, "999 ₫"),
        (1000, "1.000 ₫"),
        (1234567, "1.234.567 ₫"),
        (1_000_000_000_000, "1.000.000.000.000 ₫"),
        (-45000, "-45.000 ₫"),
        (-1000, "-1.000 ₫"),
        (-999, "-999 ₫"),
        (Decimal("45000"), "45.000 ₫"),
        (Decimal("45000.00"), "45.000 ₫"),
        (Decimal("-0"), "0 ₫"),
        (Decimal("4.5E+4"), "45.000 ₫"),
    ],
)
def test_format_vnd_writes_whole_dong_with_dot_thousands(
    amount: int | Decimal, expected: str
) -> None:
    assert format_vnd(amount) == spaced(expected)


def test_format_vnd_keeps_the_symbol_on_the_line_of_the_number() -> None:
    assert format_vnd(45000) == "45.000\u00a0₫"


@pytest.mark.parametrize("amount", [45000.0, 1.5, "45000", None, True, [45000]])
def test_format_vnd_refuses_what_is_not_whole_dong(amount: object) -> None:
    with pytest.raises(TypeError):
        format_vnd(amount)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "amount", [Decimal("45000.5"), Decimal("0.01"), Decimal("NaN"), Decimal("Infinity")]
)
def test_format_vnd_refuses_fractions_of_a_dong(amount: Decimal) -> None:
    with pytest.raises(ValueError, match="whole đồng"):
        format_vnd(amount)


@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_format_vnd_reads_back_as_the_amount(amount: int) -> None:
    text = format_vnd(amount)
    number, symbol = text.split(NO_BREAK_SPACE)
    assert symbol == "₫"
    assert int(number.replace(".", "")) == amount
    groups = number.lstrip("-").split(".")
    assert 1 <= len(groups[0]) <= 3
    assert all(len(group) == 3 for group in groups[1:])


# format_date and format_datetime


def test_format_date_writes_day_month_year() -> None:
    assert format_date(datetime.date(2026, 11, 23)) == "23/11/2026"
    assert format_date(datetime.date(2026, 1, 5)) == "05/01/2026"
    assert format_date(datetime.date(987, 3, 4)) == "04/03/0987"


def test_format_date_shows_an_aware_datetime_on_vietnams_calendar() -> None:
    # 20:00 UTC on 22 November is 03:00 on 23 November in Vietnam (UTC+7).
    late_evening_utc = datetime.datetime(2026, 11, 22, 20, 0, tzinfo=UTC)
    assert format_date(late_evening_utc) == "23/11/2026"
    new_york = datetime.datetime(2026, 11, 22, 15, 0, tzinfo=ZoneInfo("America/New_York"))
    assert format_date(new_york) == "23/11/2026"


def test_format_datetime_writes_vietnams_wall_clock_time() -> None:
    assert format_datetime(datetime.datetime(2026, 11, 23, 7, 5, tzinfo=UTC)) == "23/11/2026 14:05"
    assert format_datetime(datetime.datetime(2026, 12, 31, 17, 0, tzinfo=UTC)) == "01/01/2027 00:00"
    hanoi = datetime.datetime(2026, 11, 23, 14, 5, 59, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert format_datetime(hanoi) == "23/11/2026 14:05"


@pytest.mark.parametrize("helper", [format_date, format_datetime])
def test_naive_datetimes_are_refused_rather_than_guessed(helper: object) -> None:
    naive = datetime.datetime(2026, 11, 23, 14, 5)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="naive"):
        helper(naive)  # type: ignore[operator]


@pytest.mark.parametrize("value", ["23/11/2026", "2026-11-23", 20261123, None])
def test_format_date_refuses_what_is_not_a_date(value: object) -> None:
    with pytest.raises(TypeError):
        format_date(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [datetime.date(2026, 11, 23), "2026-11-23 14:05", None])
def test_format_datetime_refuses_what_is_not_a_datetime(value: object) -> None:
    with pytest.raises(TypeError):
        format_datetime(value)  # type: ignore[arg-type]


# format_quantity


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (Decimal("1250.5"), "kg", "1.250,5 kg"),
        (Decimal("1250.50"), "kg", "1.250,5 kg"),
        (Decimal("1250.000"), "kg", "1.250 kg"),
        (Decimal("0.25"), "tấn", "0,25 tấn"),
        (Decimal("12"), "thùng", "12 thùng"),
        (Decimal("1234567.125"), "kg", "1.234.567,125 kg"),
        (Decimal("-1.5"), "kg", "-1,5 kg"),
        (Decimal("-1250.5"), "kg", "-1.250,5 kg"),
        (Decimal("1E+3"), "kg", "1.000 kg"),
        (Decimal("0"), "kg", "0 kg"),
        (Decimal("-0.0"), "kg", "0 kg"),
        (Decimal("0.001"), "tấn", "0,001 tấn"),
        (40, "bao", "40 bao"),
        (Decimal("1250.5"), "", "1.250,5"),
    ],
)
def test_format_quantity_uses_decimal_comma_and_dot_thousands(
    value: Decimal | int, unit: str, expected: str
) -> None:
    assert format_quantity(value, unit) == spaced(expected)


@pytest.mark.parametrize("value", [1250.5, "1250.5", None, False])
def test_format_quantity_refuses_floats_and_other_types(value: object) -> None:
    with pytest.raises(TypeError):
        format_quantity(value, "kg")  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("-Infinity"), Decimal("sNaN")])
def test_format_quantity_refuses_quantities_that_are_not_numbers(value: Decimal) -> None:
    with pytest.raises(ValueError, match="finite"):
        format_quantity(value, "kg")


@given(
    st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=3, allow_nan=False)
)
def test_format_quantity_reads_back_as_the_quantity(value: Decimal) -> None:
    text = format_quantity(value, "kg")
    number, unit = text.split(NO_BREAK_SPACE)
    assert unit == "kg"
    assert Decimal(number.replace(".", "").replace(",", ".")) == value

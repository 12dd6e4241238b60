"""The nongsan_format template filters: the helpers' output, and no crash on bad values."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.template import Context, Template

from nongsan.common.templatetags.nongsan_format import quantity, vi_date, vi_datetime, vnd

NBSP = "\u00a0"
PLACED_AT = datetime.datetime(2026, 11, 23, 7, 5, tzinfo=datetime.UTC)
NAIVE = datetime.datetime(2026, 11, 23, 7, 5)  # noqa: DTZ001 - a bad value on purpose


def render(source: str, **context: Any) -> str:
    return Template("{% load nongsan_format %}" + source).render(Context(context))


def test_filters_render_in_a_template() -> None:
    html = render(
        "{{ total|vnd }} | {{ harvest|vi_date }} | {{ placed|vi_datetime }} | "
        '{{ weight|quantity:"kg" }} | {{ weight|quantity:unit }}',
        total=45000,
        harvest=datetime.date(2026, 11, 23),
        placed=PLACED_AT,
        weight=Decimal("1250.5"),
        unit="tấn",
    )

    assert html == (
        f"45.000{NBSP}₫ | 23/11/2026 | 23/11/2026 14:05 | 1.250,5{NBSP}kg | 1.250,5{NBSP}tấn"
    )


def test_filters_render_missing_values_as_nothing() -> None:
    html = render(
        "[{{ none|vnd }}][{{ none|vi_date }}][{{ none|vi_datetime }}][{{ none|quantity:'kg' }}]"
        "[{{ absent|vnd }}][{{ empty|vi_date }}]",
        none=None,
        empty="",
    )

    assert html == "[][][][][][]"


def test_filters_render_bad_values_as_a_dash_and_log_them(caplog: pytest.LogCaptureFixture) -> None:
    html = render(
        "[{{ price|vnd }}][{{ day|vi_date }}][{{ moment|vi_datetime }}]"
        "[{{ weight|quantity:'kg' }}]",
        price=45000.5,
        day="hôm qua",
        moment=NAIVE,
        weight="nhiều",
    )

    assert html == "[—][—][—][—]"
    assert len(caplog.records) == 4
    assert "format_vnd" in caplog.records[0].getMessage()


def test_filter_output_is_escaped_like_any_other_value() -> None:
    html = render("{{ weight|quantity:unit }}", weight=Decimal("2"), unit="<b>kg</b>")

    assert html == f"2{NBSP}&lt;b&gt;kg&lt;/b&gt;"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(45000, f"45.000{NBSP}₫"), (Decimal("-1000"), f"-1.000{NBSP}₫"), (None, ""), ("45000", "—")],
)
def test_vnd_filter(value: object, expected: str) -> None:
    assert vnd(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.date(2026, 11, 23), "23/11/2026"),
        (datetime.datetime(2026, 11, 22, 20, 0, tzinfo=datetime.UTC), "23/11/2026"),
        (NAIVE, "—"),
        (None, ""),
        (42, "—"),
    ],
)
def test_vi_date_filter(value: object, expected: str) -> None:
    assert vi_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(PLACED_AT, "23/11/2026 14:05"), (datetime.date(2026, 11, 23), "—"), (NAIVE, "—"), (None, "")],
)
def test_vi_datetime_filter(value: object, expected: str) -> None:
    assert vi_datetime(value) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (Decimal("0.5"), "tấn", f"0,5{NBSP}tấn"),
        (Decimal("3"), None, "3"),
        (7, "", "7"),
        (1.5, "kg", "—"),
        (Decimal("NaN"), "kg", "—"),
        (None, "kg", ""),
    ],
)
def test_quantity_filter(value: object, unit: object, expected: str) -> None:
    assert quantity(value, unit) == expected

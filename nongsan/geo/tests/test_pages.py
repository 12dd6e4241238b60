"""The public geography pages on the real data: provinces with counts, and a unit's history."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
from django.urls import reverse

from nongsan.common.text import vi_sort_key
from nongsan.geo.tests.factories import load_real_units_for_module

pytestmark = pytest.mark.django_db

PROVINCES = reverse("geo:province-list")


def _unit(code: str) -> str:
    return reverse("geo:unit-detail", args=[code])


@pytest.fixture(scope="module", autouse=True)
def real_units(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    yield from load_real_units_for_module(django_db_blocker)


def _text(response: Any) -> str:
    """The visible text of a page, one space between words."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    body = re.sub(r"</?(a|span|small|strong|em)\b[^>]*>", "", body)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def _province_rows(response: Any) -> list[str]:
    return re.findall(r'<tr data-province="(\d{2})">', response.content.decode())


def _column_sum(response: Any) -> int:
    """The sum of the last column (the total) over the province rows."""
    rows = re.findall(r'<tr data-province="\d{2}">(.*?)</tr>', response.content.decode(), re.S)
    totals = [re.findall(r'<td class="num">([\d.]+)</td>', row)[-1] for row in rows]
    return sum(int(total.replace(".", "")) for total in totals)


def test_province_list_shows_the_34_current_provinces_and_3321_communes(client):
    response = client.get(PROVINCES)

    assert response.status_code == 200
    assert len(_province_rows(response)) == 34
    assert _column_sum(response) == 3321
    assert "data-total-communes>3.321<" in response.content.decode()
    assert "34 tỉnh, thành phố; 3.321 xã, phường, đặc khu" in _text(response)


def test_province_list_counts_special_zones(client):
    text = _text(client.get(PROVINCES))

    assert "Đặc khu" in text
    footer = re.search(r"Cả nước ([\d. ]+)", text)
    assert footer is not None
    rural, wards, special_zones, total = (int(n.replace(".", "")) for n in footer[1].split())
    assert special_zones == 13
    assert rural + wards + special_zones == total == 3321


def test_province_list_shows_the_legacy_63_provinces_on_request(client):
    for query in ("?geography=legacy", "?valid_on=2025-01-01"):
        response = client.get(PROVINCES + query)

        assert response.status_code == 200
        assert len(_province_rows(response)) == 63
        assert "63 tỉnh, thành phố; 696 quận, huyện" in _text(response)


def test_province_list_orders_provinces_in_vietnamese_alphabetical_order(client):
    text = _text(client.get(PROVINCES))

    names = ["An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Điện Biên"]
    names += ["Đồng Tháp", "Gia Lai", "Vĩnh Long"]
    positions = [text.index(name) for name in names]
    assert positions == sorted(positions)


def test_province_list_links_to_legacy_provinces_with_their_day(client):
    content = client.get(PROVINCES + "?geography=legacy").content.decode()

    assert f'href="{_unit("24")}?valid_on=2025-06-30"' in content


@pytest.mark.parametrize("query", ["valid_on=2025-13-40", "valid_on=abc", "valid_on=1/7/2025"])
def test_province_list_refuses_a_malformed_day_with_a_clear_message(client, query):
    response = client.get(f"{PROVINCES}?{query}")

    assert response.status_code == 400
    assert "hãy ghi theo dạng YYYY-MM-DD" in _text(response)


def test_province_list_refuses_an_unknown_geography(client):
    response = client.get(PROVINCES + "?geography=ancient")

    assert response.status_code == 400
    assert "chỉ nhận current (hiện nay) hoặc legacy" in _text(response)


def test_province_list_costs_the_same_queries_for_63_provinces_as_for_34(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        client.get(PROVINCES)
    with django_assert_max_num_queries(2):
        client.get(PROVINCES + "?geography=legacy")


def test_a_reused_code_shows_the_unit_of_the_requested_day(client):
    before = _text(client.get(_unit("24") + "?valid_on=2025-01-01"))
    after = _text(client.get(_unit("24") + "?valid_on=2025-08-01"))
    today = _text(client.get(_unit("24")))

    assert "Tỉnh Bắc Giang" in before
    assert "đến 30/06/2025" in before
    assert "Tỉnh Bắc Ninh" in after
    assert "từ 01/07/2025, đang có hiệu lực" in after
    assert "Mã 24 còn là mã của đơn vị khác" in after
    assert "Tỉnh Bắc Giang" in after
    assert "Tỉnh Bắc Ninh" in today


def test_a_legacy_province_page_lists_its_districts_and_what_it_went_into(client):
    response = client.get(_unit("24") + "?valid_on=2025-01-01")
    text = _text(response)

    assert "Quận, huyện trực thuộc" in text
    assert "Huyện Lục Ngạn" in text
    assert f'href="{_unit("219")}?valid_on=2025-01-01"' in response.content.decode()
    assert "Đã chuyển thành Tỉnh Bắc Ninh" in text


def test_a_current_commune_page_shows_where_it_came_from_and_its_legacy_district(client):
    response = client.get(_unit("07582"))
    text = _text(response)
    content = response.content.decode()

    assert "Xã Lục Ngạn" in text
    assert "Thuộc huyện cũ Huyện Lục Ngạn (Tỉnh Bắc Giang)" in text
    assert "Thị trấn Phì Điền, Huyện Lục Ngạn, Tỉnh Bắc Giang nhập toàn bộ" in text
    assert f'href="{_unit("07591")}?valid_on=2025-06-30"' in content
    assert "Đơn vị đang có hiệu lực." in text


def test_a_split_legacy_commune_shows_each_part_it_went_into(client):
    text = _text(client.get(_unit("00007") + "?valid_on=2025-06-30"))

    assert "Phường Cống Vị" in text
    assert "Phường Ngọc Hà, Thành phố Hà Nội một phần" in text
    assert "Phường Giảng Võ, Thành phố Hà Nội một phần" in text


def test_a_current_commune_lists_partial_predecessors(client):
    text = _text(client.get(_unit("00008")))

    assert "Phường Cống Vị, Quận Ba Đình, Thành phố Hà Nội nhập một phần" in text


def test_a_renamed_unit_keeps_its_names_by_date(client):
    before = _text(client.get(_unit("75") + "?valid_on=2026-01-01"))

    assert "Tên vào ngày 01/01/2026: Tỉnh Đồng Nai" in before
    assert "Tỉnh Đồng Nai Tỉnh 01/07/2025 29/04/2026" in before
    assert "Thành phố Đồng Nai Thành phố trực thuộc trung ương 30/04/2026 —" in before


def test_unit_page_refuses_an_unknown_code_with_a_message(client):
    response = client.get(_unit("99") + "?valid_on=2025-08-01")

    assert response.status_code == 404
    assert "Không có đơn vị hành chính mã 99 vào ngày 01/08/2025." in _text(response)


def test_unit_page_refuses_a_code_that_is_not_digits(client):
    response = client.get("/dia-ban/2%004/")

    assert response.status_code == 404
    assert "Không có đơn vị hành chính mã 24" in _text(response)


def test_unit_page_for_a_code_on_the_wrong_day_points_to_its_versions(client):
    response = client.get(_unit("219") + "?valid_on=2025-08-01")

    assert response.status_code == 404
    assert "Huyện Lục Ngạn" in _text(response)
    assert f'href="{_unit("219")}?valid_on=2025-06-30"' in response.content.decode()


@pytest.mark.parametrize(
    "query", ["valid_on=2025-02-30", "level=hamlet", "q=" + "x" * 101, "q=luc%00ngan"]
)
def test_unit_page_refuses_bad_parameters(client, query):
    response = client.get(f"{_unit('24')}?{query}")

    assert response.status_code == 400
    assert _text(response)


def test_children_search_is_folded_and_works_without_javascript(client):
    response = client.get(_unit("24"), {"q": "luc ngan"})
    text = _text(response)

    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert "1 đơn vị khớp “luc ngan”" in text
    assert "Xã Lục Ngạn" in text
    assert "Xã Sơn Động" not in text


def test_children_search_answers_htmx_with_the_list_alone(client):
    response = client.get(
        _unit("24"), {"q": "LỤC"}, headers={"HX-Request": "true", "HX-Target": "unit-children"}
    )
    content = response.content.decode()

    assert response.status_code == 200
    assert "<html" not in content
    assert "Xã Lục Ngạn" in content
    assert "Xã Lục Nam" in content
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client):
    headers = {
        "HX-Request": "true",
        "HX-Target": "unit-children",
        "HX-History-Restore-Request": "true",
    }

    response = client.get(_unit("24"), {"q": "luc"}, headers=headers)

    assert "<html" in response.content.decode()


def test_children_search_form_targets_the_list_with_htmx(client):
    content = client.get(_unit("24")).content.decode()

    assert 'hx-get="/dia-ban/24/"' in content
    assert 'hx-target="#unit-children"' in content
    assert 'action="/dia-ban/24/"' in content


def test_children_are_paginated_in_vietnamese_order(client):
    first = client.get(_unit("01"))
    second = client.get(_unit("01"), {"page": 2})
    pattern = r'<a href="/dia-ban/\d{5}/">(?:Xã|Phường) ([^<]+)</a>'
    first_names = re.findall(pattern, first.content.decode())
    second_names = re.findall(pattern, second.content.decode())

    assert len(first_names) == len(second_names) == 50
    assert "Trang 1/3" in _text(first)
    assert "Trang 2/3" in _text(second)
    names = first_names + second_names
    assert names == sorted(names, key=vi_sort_key)
    assert names.index("Ba Đình") < names.index("Bạch Mai") < names.index("Bất Bạt")
    assert names.index("Dương Nội") < names.index("Đại Mỗ")


def test_unit_page_costs_the_same_queries_for_a_page_of_children(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(7):
        client.get(_unit("01"))
    with django_assert_max_num_queries(7):
        client.get(_unit("01") + "?valid_on=2025-01-01")
    with django_assert_max_num_queries(7):
        client.get(_unit("01"), {"page": 3})


def test_unit_page_history_costs_no_query_per_predecessor(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = client.get(_unit("00004"))

    assert _text(response).count("nhập") >= 5
    assert "Quận Ba Đình (Thành phố Hà Nội)" in _text(response)

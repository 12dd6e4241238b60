"""The administrative-unit API on the real data: search, detail by day, address resolution."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from nongsan.common.text import vi_sort_key
from nongsan.geo.tests.factories import load_real_units_for_module

pytestmark = pytest.mark.django_db

LIST = reverse("api-admin-unit-list")
RESOLVE = reverse("api-admin-unit-resolve")


def _detail(code: str) -> str:
    return reverse("api-admin-unit-detail", kwargs={"code": code})


@pytest.fixture(scope="module", autouse=True)
def real_units(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    yield from load_real_units_for_module(django_db_blocker)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_list_finds_luc_ngan_without_diacritics_in_both_geographies(api):
    current = api.get(LIST, {"q": "luc ngan"}).json()
    legacy = api.get(LIST, {"q": "LUC NGAN", "valid_on": "2025-01-01"}).json()

    assert [unit["name"] for unit in current["results"]] == ["Xã Lục Ngạn"]
    assert current["results"][0]["province"]["name"] == "Tỉnh Bắc Ninh"
    assert [unit["name"] for unit in legacy["results"]] == ["Huyện Lục Ngạn"]
    assert legacy["results"][0]["valid_until"] == "2025-06-30"


def test_list_filters_by_level_and_day(api):
    current = api.get(LIST, {"level": "province", "limit": 100}).json()
    legacy = api.get(LIST, {"level": "province", "valid_on": "2025-06-30", "limit": 100}).json()
    districts_now = api.get(LIST, {"level": "district"}).json()

    assert current["count"] == 34
    assert legacy["count"] == 63
    assert districts_now["count"] == 0


def test_list_sorts_in_vietnamese_alphabetical_order(api):
    results = api.get(LIST, {"level": "province", "limit": 100}).json()["results"]
    names = [unit["short_name"] for unit in results]

    assert names == sorted(names, key=vi_sort_key)
    assert names.index("Đồng Tháp") < names.index("Gia Lai")


def test_list_ranks_names_starting_with_the_query_first(api):
    results = api.get(LIST, {"q": "bac", "level": "province"}).json()["results"]

    assert [unit["short_name"] for unit in results] == ["Bắc Ninh"]
    communes = api.get(LIST, {"q": "ha", "level": "commune", "limit": 500}).json()["results"]
    ranked = [
        unit["short_name"].lower().startswith(("ha", "hà", "hạ", "hả", "hã", "há"))
        for unit in communes
    ]
    assert ranked == sorted(ranked, reverse=True)


def test_list_keeps_units_under_a_parent(api):
    communes = api.get(LIST, {"parent": "24", "q": "luc", "limit": 100}).json()["results"]
    legacy = api.get(
        LIST, {"parent": "24", "level": "commune", "valid_on": "2025-01-01", "limit": 500}
    ).json()

    assert {unit["short_name"] for unit in communes} == {
        "Lục Nam",
        "Lục Ngạn",
        "Lục Sơn",
        "Tiên Lục",
    }
    assert legacy["count"] == 195
    assert {unit["province"]["name"] for unit in legacy["results"]} == {"Tỉnh Bắc Giang"}


def test_list_links_each_unit_to_its_dated_detail(api):
    result = api.get(LIST, {"q": "luc ngan", "valid_on": "2025-01-01"}).json()["results"][0]

    assert result["url"].endswith("/api/v1/admin-units/219/?level=district&valid_on=2025-06-30")


def test_list_is_paginated_and_costs_the_same_queries_for_100_items_as_for_10(
    api, django_assert_num_queries
):
    with django_assert_num_queries(2):
        small = api.get(LIST, {"level": "commune", "limit": 10}).json()
    with django_assert_num_queries(2):
        large = api.get(LIST, {"level": "commune", "limit": 100, "offset": 100}).json()

    assert small["count"] == large["count"] == 3321
    assert len(small["results"]) == 10
    assert len(large["results"]) == 100
    assert "offset=10" in small["next"]


def test_list_caps_the_page_size(api):
    response = api.get(LIST, {"level": "commune", "limit": 100000})

    assert len(response.json()["results"]) == 500


@pytest.mark.parametrize("value", ["2025-13-40", "abc", "2025-02-30", "20250701"])
def test_list_refuses_a_malformed_day(api, value):
    response = api.get(LIST, {"valid_on": value})

    assert response.status_code == 400
    assert response.json()["parameter"] == "valid_on"
    assert "YYYY-MM-DD" in response.json()["detail"]


@pytest.mark.parametrize(
    ("parameters", "refused"),
    [
        ({"level": "ward"}, "level"),
        ({"q": "x" * 101}, "q"),
        ({"parent": "99"}, "parent"),
        ({"parent": "219"}, "parent"),
        ({"parent": "2\x004"}, "parent"),
        ({"q": "luc\x00ngan"}, "q"),
    ],
)
def test_list_refuses_bad_parameters_naming_them(api, parameters, refused):
    response = api.get(LIST, parameters)

    assert response.status_code == 400
    assert response.json()["parameter"] == refused
    assert response.json()["detail"]


def test_detail_reads_a_reused_code_by_day(api):
    before = api.get(_detail("24"), {"valid_on": "2025-01-01"}).json()
    after = api.get(_detail("24"), {"valid_on": "2025-08-01"}).json()

    assert (before["name"], before["valid_until"], before["is_current"]) == (
        "Tỉnh Bắc Giang",
        "2025-06-30",
        False,
    )
    assert (after["name"], after["valid_from"], after["is_current"]) == (
        "Tỉnh Bắc Ninh",
        "2025-07-01",
        True,
    )
    assert [line["unit"]["name"] for line in before["successors"]] == ["Tỉnh Bắc Ninh"]
    assert {line["unit"]["name"] for line in after["predecessors"]} == {
        "Tỉnh Bắc Giang",
        "Tỉnh Bắc Ninh",
    }


def test_detail_of_a_current_commune_gives_its_history_and_legacy_districts(api):
    unit = api.get(_detail("07582")).json()

    assert unit["name"] == "Xã Lục Ngạn"
    assert unit["parent"]["code"] == "24"
    assert unit["province"]["name"] == "Tỉnh Bắc Ninh"
    assert [district["name"] for district in unit["legacy_districts"]] == ["Huyện Lục Ngạn"]
    predecessors = {line["unit"]["code"]: line for line in unit["predecessors"]}
    assert set(predecessors) == {"07567", "07570", "07582", "07588", "07591"}
    phi_dien = predecessors["07582"]
    assert (phi_dien["kind"], phi_dien["is_partial"]) == ("merged_whole", False)
    assert phi_dien["unit"]["name"] == "Thị trấn Phì Điền"
    assert phi_dien["unit"]["district"]["name"] == "Huyện Lục Ngạn"
    assert phi_dien["effective_date"] == "2025-07-01"
    assert unit["successors"] == []
    assert [name["name"] for name in unit["names"]] == ["Xã Lục Ngạn"]


def test_detail_of_a_split_legacy_commune_lists_each_partial_successor(api):
    unit = api.get(_detail("00007"), {"valid_on": "2025-06-30"}).json()

    successors = [(line["unit"]["name"], line["is_partial"]) for line in unit["successors"]]
    assert successors == [("Phường Giảng Võ", True), ("Phường Ngọc Hà", True)]
    assert {line["kind"] for line in unit["successors"]} == {"merged_part"}


def test_detail_gives_the_dated_names_of_a_renamed_unit(api):
    unit = api.get(_detail("75")).json()

    assert unit["name"] == "Thành phố Đồng Nai"
    assert [(name["name"], name["valid_from"], name["valid_until"]) for name in unit["names"]] == [
        ("Tỉnh Đồng Nai", "2025-07-01", "2026-04-29"),
        ("Thành phố Đồng Nai", "2026-04-30", None),
    ]


def test_detail_costs_a_fixed_number_of_queries(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        api.get(_detail("00008"))
    with django_assert_max_num_queries(4):
        api.get(_detail("01"))


def test_detail_of_an_unknown_code_is_a_404_naming_the_code_and_day(api):
    response = api.get(_detail("99"), {"valid_on": "2025-08-01"})

    assert response.status_code == 404
    assert response.json() == {"detail": "Không có đơn vị hành chính mã 99 vào ngày 01/08/2025."}


@pytest.mark.parametrize("code", ["abc", "2\x004", "123456", "٢٤"])
def test_detail_of_a_code_that_is_not_digits_is_a_404(api, code):
    response = api.get(_detail(code))

    assert response.status_code == 404
    assert response.json()["detail"].startswith("Không có đơn vị hành chính mã")


def test_detail_of_a_legacy_code_after_the_reform_is_a_404(api):
    response = api.get(_detail("219"), {"valid_on": "2025-08-01"})

    assert response.status_code == 404
    assert "219" in response.json()["detail"]


@pytest.mark.parametrize(
    ("parameters", "refused"),
    [
        ({"valid_on": "2025-13-40"}, "valid_on"),
        ({"valid_on": "abc"}, "valid_on"),
        ({"level": "x"}, "level"),
    ],
)
def test_detail_refuses_bad_parameters(api, parameters, refused):
    response = api.get(_detail("24"), parameters)

    assert response.status_code == 400
    assert response.json()["parameter"] == refused


def test_detail_with_a_level_reads_that_level(api):
    assert api.get(_detail("24"), {"level": "province"}).status_code == 200
    assert api.get(_detail("24"), {"level": "commune"}).status_code == 404


def test_resolve_finds_the_current_commune_of_a_legacy_address(api):
    response = api.get(RESOLVE, {"address": "thôn Kép, xã Hồng Giang, h. Lục Ngạn, Bắc Giang"})
    answer = response.json()

    assert response.status_code == 200
    assert answer["status"] == "resolved"
    assert answer["village"] == "thôn Kép"
    best = answer["candidates"][0]
    assert best["commune"]["name"] == "Phường Chũ"
    assert best["province"]["name"] == "Tỉnh Bắc Ninh"
    assert 0 < best["confidence"] <= 1
    assert best["needs_choice"] is False
    assert best["matched_via"]


def test_resolve_costs_no_query_per_candidate(api, django_assert_max_num_queries):
    api.get(RESOLVE, {"address": "Hà Nội"})

    with django_assert_max_num_queries(1):
        response = api.get(RESOLVE, {"address": "Phường Cống Vị, Ba Đình", "limit": 20})

    assert len(response.json()["candidates"]) > 2


def test_resolve_returns_every_successor_of_a_split_commune(api):
    answer = api.get(RESOLVE, {"address": "Phường Cống Vị, Quận Ba Đình, Hà Nội"}).json()

    assert answer["status"] == "needs_choice"
    to_choose = [
        candidate["commune"]["name"]
        for candidate in answer["candidates"]
        if candidate["needs_choice"]
    ]
    assert sorted(to_choose) == ["Phường Giảng Võ", "Phường Ngọc Hà"]
    assert answer["candidates"][0]["needs_choice"] is True


def test_resolve_answers_not_found_with_a_message(api):
    answer = api.get(RESOLVE, {"address": "Xã Không Có Thật, Tỉnh Không Tên"}).json()

    assert answer["status"] == "not_found"
    assert answer["candidates"] == []
    assert answer["message"]


@pytest.mark.parametrize(
    ("parameters", "refused"),
    [
        ({}, "address"),
        ({"address": "   "}, "address"),
        ({"address": "x" * 501}, "address"),
        ({"address": "Hà Nội", "limit": "0"}, "limit"),
        ({"address": "Hà Nội", "limit": "abc"}, "limit"),
        ({"address": "Hà Nội", "valid_on": "2025-13-40"}, "valid_on"),
    ],
)
def test_resolve_refuses_missing_oversized_or_malformed_input(api, parameters, refused):
    response = api.get(RESOLVE, parameters)

    assert response.status_code == 400
    assert response.json()["parameter"] == refused
    assert response.json()["detail"]


def test_resolve_is_not_read_as_a_unit_code(api):
    response = api.get(RESOLVE, {"address": "Hà Nội"})

    assert response.status_code == 200
    assert "status" in response.json()


def test_schema_generates_without_warnings(tmp_path):
    output = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(output))

    schema = output.read_text(encoding="utf-8")
    for path in ("/api/v1/admin-units/:", "/api/v1/admin-units/{code}/:", "/resolve/:"):
        assert path in schema
    for parameter in ("name: valid_on", "name: level", "name: q", "name: parent", "name: address"):
        assert parameter in schema

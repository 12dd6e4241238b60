"""The marketplace search: the same cases run on SQLite (FTS5) and PostgreSQL (pg_trgm)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nongsan.catalog import services
from nongsan.catalog.models import ProduceCategory
from nongsan.catalog.search import listing_search
from nongsan.catalog.tests.factories import (
    listing,
    lychee,
    pineapple,
    produce_type,
    selling_household,
)
from nongsan.producers import services as producer_services
from nongsan.producers.models import CertificationKind
from nongsan.producers.tests.factories import current_commune, staff_user

pytestmark = pytest.mark.django_db


def _titles(**arguments):
    return [row.title for row in listing_search(**arguments).listings]


@pytest.fixture
def market(admin_units):
    """A few listings on sale in Hà Nội and Bắc Ninh, one draft."""
    hanoi, other = current_commune("01"), current_commune("79")
    vai, dua = lychee(), pineapple()
    rice = produce_type(slug="gao-st25", name_vi="Gạo ST25", category=ProduceCategory.RICE_GRAIN)
    return {
        "vai": listing(
            selling_household(hanoi), produce_type=vai, title="Vải thiều Lục Ngạn", publish=True
        ),
        "dua": listing(
            selling_household(other),
            produce_type=dua,
            title="Dứa Đồng Giao",
            price_vnd=12000,
            publish=True,
        ),
        "gao": listing(
            selling_household(other),
            produce_type=rice,
            title="Gạo thơm ST25",
            description="Gạo hạt dài, nấu dẻo",
            price_vnd=30000,
            publish=True,
        ),
        "draft": listing(selling_household(hanoi), produce_type=vai, title="Vải thiều nháp"),
    }


def test_search_ignores_diacritics_and_case(market):
    assert _titles(query="VAI THIEU") == ["Vải thiều Lục Ngạn"]
    assert _titles(query="vải thiều") == ["Vải thiều Lục Ngạn"]


def test_search_matches_prefixes_while_typing(market):
    assert _titles(query="vai thi") == ["Vải thiều Lục Ngạn"]
    assert _titles(query="luc nga") == ["Vải thiều Lục Ngạn"]


def test_search_finds_produce_by_its_synonyms(market):
    assert _titles(query="khóm") == ["Dứa Đồng Giao"]
    assert _titles(query="thom") == ["Gạo thơm ST25", "Dứa Đồng Giao"]
    assert _titles(query="pineapple") == ["Dứa Đồng Giao"]


def test_search_never_shows_drafts(market):
    assert "Vải thiều nháp" not in _titles(query="vai")


def test_search_ranks_title_before_produce_type_before_description(admin_units):
    kind = produce_type(slug="xoai", name_vi="Xoài", synonyms_vi="muỗm")
    other = produce_type(slug="khac", name_vi="Khác")
    listing(produce_type=other, title="Hoa quả", description="xoài chín cây", publish=True)
    listing(produce_type=kind, title="Quả ngon", publish=True)
    listing(produce_type=other, title="Xoài cát Hoà Lộc", publish=True)
    assert _titles(query="xoai") == ["Xoài cát Hoà Lộc", "Quả ngon", "Hoa quả"]


def test_search_puts_in_season_then_certified_first_among_equals(admin_units):
    kind = produce_type(slug="nhan", name_vi="Nhãn")
    today = timezone.localdate()
    later = listing(
        produce_type=kind,
        title="Nhãn sắp vụ",
        available_from=today + datetime.timedelta(days=10),
        available_until=today + datetime.timedelta(days=40),
        publish=True,
    )
    plain = listing(produce_type=kind, title="Nhãn thường", publish=True)
    seller = selling_household()
    producer_services.certification_add(
        added_by=staff_user(),
        household=seller,
        kind=CertificationKind.VIETGAP,
        expires_on=today + datetime.timedelta(days=100),
    )
    certified = listing(seller, produce_type=kind, title="Nhãn VietGAP", publish=True)
    titles = _titles(query="nhan")
    assert titles == [certified.title, plain.title, later.title]


def test_search_filters_and_counts_facets(market):
    province = market["dua"].province_id
    result = listing_search(filters={"province": province})
    assert {row.title for row in result.listings} == {"Dứa Đồng Giao", "Gạo thơm ST25"}
    result = listing_search(filters={"category": "rice_grain"})
    assert [row.title for row in result.listings] == ["Gạo thơm ST25"]
    result = listing_search(filters={"price_min": "10000", "price_max": "20000"})
    assert [row.title for row in result.listings] == ["Dứa Đồng Giao"]
    facets = listing_search().facets
    assert facets["category"] == {"fruit": 2, "rice_grain": 1}
    assert facets["province"][str(province)] == 2


def test_search_filters_by_a_certification_valid_today(admin_units):
    today = timezone.localdate()
    valid, lapsed = selling_household(), selling_household()
    producer_services.certification_add(
        added_by=staff_user(), household=valid, kind=CertificationKind.VIETGAP
    )
    producer_services.certification_add(
        added_by=staff_user(),
        household=lapsed,
        kind=CertificationKind.VIETGAP,
        issued_on=today - datetime.timedelta(days=400),
        expires_on=today - datetime.timedelta(days=1),
    )
    listing(valid, title="Có chứng nhận", publish=True)
    listing(lapsed, title="Hết hạn", publish=True)
    assert _titles(filters={"certification": "vietgap"}) == ["Có chứng nhận"]
    assert listing_search().facets["certification"] == {"vietgap": 1}


def test_search_in_season_filter(admin_units):
    today = timezone.localdate()
    listing(title="Đang vụ", publish=True)
    listing(
        title="Sắp vụ",
        available_from=today + datetime.timedelta(days=3),
        available_until=today + datetime.timedelta(days=20),
        publish=True,
    )
    assert _titles(filters={"in_season": True}) == ["Đang vụ"]


def test_search_leaves_out_listings_past_their_window_before_expiry_runs(admin_units):
    row = listing(title="Cũ", publish=True)
    later = timezone.localdate() + datetime.timedelta(days=40)
    assert [r.pk for r in listing_search(today=later).listings] == []
    assert [r.pk for r in listing_search().listings] == [row.pk]


def test_search_sorts_by_price_and_paginates(market):
    assert _titles(sort="price") == ["Dứa Đồng Giao", "Gạo thơm ST25", "Vải thiều Lục Ngạn"]
    assert _titles(sort="-price")[0] == "Vải thiều Lục Ngạn"
    result = listing_search(sort="price", page=2, page_size=2)
    assert [row.title for row in result.listings] == ["Vải thiều Lục Ngạn"]
    assert result.total == 3
    assert result.page_count == 2


@pytest.mark.parametrize(
    "arguments",
    [
        {"query": "x" * 101},
        {"filters": {"category": "kim-cuong"}},
        {"filters": {"certification": "iso"}},
        {"filters": {"price_min": "-5"}},
        {"filters": {"province": "Hà Nội"}},
        {"sort": "random()"},
        {"page": 0},
        {"page": 10**9},
    ],
)
def test_search_refuses_bad_input_naming_it(market, arguments):
    with pytest.raises(ValidationError):
        listing_search(**arguments)


@pytest.mark.parametrize("query", ['"', "*", "vai OR dua", "NEAR(", "a' --", "())", "đ"])
def test_search_survives_hostile_queries(market, query):
    listing_search(query=query)


def test_a_page_of_100_costs_the_same_queries_as_a_page_of_10(
    admin_units, django_assert_max_num_queries
):
    kind = produce_type(slug="cam", name_vi="Cam sành")
    seller = selling_household()
    producer_services.certification_add(
        added_by=staff_user(), household=seller, kind=CertificationKind.ORGANIC
    )
    first = listing(
        seller,
        produce_type=kind,
        publish=True,
        price_tiers=[{"min_quantity": 10, "price_vnd": 40000}],
    )
    for _index in range(11):
        listing(seller, produce_type=kind, publish=True)
    services.lot_create(
        created_by=staff_user(), listing=first, harvested_on=timezone.localdate(), quantity=3
    )
    with django_assert_max_num_queries(12) as small:
        listing_search(query="cam", page_size=10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        result = listing_search(query="cam", page_size=100)
    assert len(result.listings) == 12
    owner: Any = result.listings[0].household
    assert [c.kind for c in owner.certifications.all()] == ["organic"]


def test_the_index_follows_changes_and_removals(admin_units):
    row = listing(produce_type=produce_type(slug="buoi", name_vi="Bưởi"), title="Bưởi Diễn",
                  publish=True)  # fmt: skip
    services.listing_update(
        updated_by=staff_user(), listing=row, changes={"title": "Bưởi da xanh Bến Tre"}
    )
    assert _titles(query="ben tre") == ["Bưởi da xanh Bến Tre"]
    assert _titles(query="dien") == []
    from nongsan.catalog.models import Listing

    Listing.objects.filter(pk=row.pk).delete()
    assert _titles(query="buoi") == []


def test_the_sqlite_index_triggers_are_installed():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 triggers exist on SQLite only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'catalog_listing'"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert names == {
        "catalog_listing_fts_insert",
        "catalog_listing_fts_update",
        "catalog_listing_fts_delete",
    }


def test_certification_facets_count_only_valid_certificates_once(admin_units):
    today = timezone.localdate()
    seller = selling_household()
    for kind, expires in (("vietgap", None), ("vietgap", None), ("organic", -1)):
        producer_services.certification_add(
            added_by=staff_user(), household=seller, kind=kind,
            issued_on=today - datetime.timedelta(days=400),
            expires_on=today + datetime.timedelta(days=expires) if expires else None,
        )  # fmt: skip
    listing(seller, publish=True)
    listing(seller, publish=True)
    assert listing_search().facets["certification"] == {"vietgap": 2}

"""The narrow search rows (decision 0024): kept by the services, rebuilt by a command, never
showing more than the listings allow, and the count capped honestly past RESULT_CAP."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from nongsan.catalog import search, services
from nongsan.catalog.models import Listing, ListingSearchRow, ProduceCategory
from nongsan.catalog.search import listing_search
from nongsan.catalog.tests.factories import listing, produce_type, selling_household
from nongsan.producers import services as producer_services
from nongsan.producers.models import Purpose
from nongsan.producers.tests.factories import staff_user

pytestmark = pytest.mark.django_db


def _row(row: Listing) -> ListingSearchRow | None:
    return ListingSearchRow.objects.filter(listing=row).first()


def test_a_listing_has_a_search_row_only_while_published(admin_units):
    row = listing(title="Bưởi Diễn")
    assert _row(row) is None
    services.listing_publish(published_by=staff_user(), listing=row)
    assert _row(row) is not None
    services.listing_pause(paused_by=staff_user(), listing=row)
    assert _row(row) is None


def test_the_search_row_follows_an_update(admin_units):
    row = listing(title="Bưởi Diễn", price_vnd=30000, publish=True)
    services.listing_update(
        updated_by=staff_user(), listing=row, changes={"title": "Bưởi da xanh", "price_vnd": 25000}
    )
    search_row = _row(row)
    assert search_row is not None
    assert (search_row.title_folded, search_row.price_vnd) == (" buoi da xanh ", 25000)


def test_expiry_removes_the_search_row(admin_units):
    row = listing(publish=True)
    later = timezone.now() + datetime.timedelta(days=60)
    assert services.listings_expire(now=later) == 1
    assert _row(row) is None


def test_rebuild_command_restores_rows_written_around_the_services(admin_units):
    on_sale = listing(title="Cam sành", publish=True)
    listing(title="Nháp")
    ListingSearchRow.objects.all().delete()
    assert listing_search(query="cam").total == 0
    out = StringIO()
    call_command("rebuild_search_rows", stdout=out)
    assert "1" in out.getvalue()
    assert [r.pk for r in listing_search(query="cam").listings] == [on_sale.pk]


def test_a_stale_row_never_shows_a_listing_the_seller_no_longer_allows(admin_units):
    seller = selling_household()
    row = listing(seller, title="Ổi lê", publish=True)
    producer_services.consent_withdraw(
        withdrawn_by=staff_user(), household=seller, purpose=Purpose.MARKETPLACE
    )
    assert _row(row) is not None  # the row is stale on purpose: the search checks the listing
    result = listing_search(query="oi")
    assert (result.total, result.listings) == (0, [])


def test_a_listing_sold_out_by_an_order_keeps_its_row_but_is_not_shown(admin_units):
    row = listing(title="Mít Thái", publish=True)
    Listing.objects.filter(pk=row.pk).update(status="sold_out")  # as orders does
    assert listing_search(query="mit").total == 0
    Listing.objects.filter(pk=row.pk).update(status="active")  # restocked by a cancel
    assert listing_search(query="mit").total == 1


def test_a_category_change_of_a_produce_type_reaches_the_rows(admin_units, tmp_path):
    from nongsan.catalog.produce_types import produce_types_load

    path = tmp_path / "types.csv"
    header = "slug,category,name_vi,name_en,synonyms_vi,synonyms_en,unit,shelf_life_days,icon\n"
    path.write_text(header + "ca-chua,vegetable,Cà chua,Tomato,,,kg,7,🍅\n", encoding="utf-8")
    produce_types_load(path=path)
    from nongsan.catalog.models import ProduceType

    row = listing(produce_type=ProduceType.objects.get(slug="ca-chua"), publish=True)
    path.write_text(header + "ca-chua,fruit,Cà chua,Tomato,,,kg,7,🍅\n", encoding="utf-8")
    produce_types_load(path=path)
    assert [r.pk for r in listing_search(filters={"category": "fruit"}).listings] == [row.pk]


def test_the_total_is_capped_and_said_to_be(admin_units, monkeypatch):
    monkeypatch.setattr(search, "RESULT_CAP", 3)
    kind = produce_type(slug="chanh", name_vi="Chanh", category=ProduceCategory.FRUIT)
    seller = selling_household()
    rows = [listing(seller, produce_type=kind, publish=True) for _index in range(5)]
    result = listing_search(query="chanh", page_size=2)
    assert (result.total, result.total_is_capped, result.page_count) == (3, True, 2)
    assert [r.pk for r in result.listings] == [rows[4].pk, rows[3].pk]  # newest first
    assert result.facets["category"] == {"fruit": 3}
    exact = listing_search(query="chanh", filters={"price_max": "45000"}, page_size=2)
    assert exact.total_is_capped is True
    monkeypatch.setattr(search, "RESULT_CAP", 10)
    assert listing_search(query="chanh").total_is_capped is False


def test_the_market_page_and_the_api_say_when_the_count_is_capped(admin_units, client, monkeypatch):
    monkeypatch.setattr(search, "RESULT_CAP", 2)
    kind = produce_type(slug="le", name_vi="Lê")
    for _index in range(3):
        listing(produce_type=kind, publish=True)
    page = client.get(reverse("catalog:market"), {"q": "le"})
    assert "Hơn 2 tin đăng" in page.content.decode()
    answer = client.get("/api/v1/listings/", {"q": "le"}).json()
    assert (answer["count"], answer["count_is_capped"]) == (2, True)


def test_ranking_looks_only_at_the_newest_matches_past_the_window(admin_units, monkeypatch):
    """Past RANK_WINDOW matches only the newest are ranked (decision 0024): a better match
    that is older than the window is left out, which is the price of a bounded search."""
    monkeypatch.setattr(search, "RANK_WINDOW", 2)
    kind = produce_type(slug="na", name_vi="Na", synonyms_vi="mãng cầu")
    now = timezone.now()
    old = listing(produce_type=kind, title="Na dai", now=now - datetime.timedelta(days=3),
                  publish=True)  # fmt: skip
    listing(produce_type=kind, title="Quả ngon", now=now - datetime.timedelta(days=2),
            publish=True)  # fmt: skip
    listing(produce_type=kind, title="Quả to", now=now - datetime.timedelta(days=1),
            publish=True)  # fmt: skip
    assert old.pk not in [r.pk for r in listing_search(query="na").listings]
    monkeypatch.setattr(search, "RANK_WINDOW", 5000)
    assert listing_search(query="na").listings[0].pk == old.pk

"""Marketplace pages: search, listing, shop, produce type, traceability with QR, and listing
from a phone in three steps."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from nongsan.accounts.models import Role
from nongsan.accounts.services import assistance_assign_household
from nongsan.accounts.tests.factories import grant
from nongsan.catalog import services
from nongsan.catalog.models import Listing, ListingStatus
from nongsan.catalog.tests.factories import listing, lot, lychee, pineapple, selling_household
from nongsan.catalog.tests.test_photos import image_bytes, upload
from nongsan.producers.tests.factories import current_commune, household, make_user, staff_user

pytestmark = pytest.mark.django_db
STATIC = Path(settings.BASE_DIR) / "nongsan"


def test_the_market_finds_listings_typed_without_diacritics(admin_units, client):
    listing(produce_type=lychee(), title="Vải thiều Lục Ngạn", publish=True)
    listing(produce_type=pineapple(), title="Dứa Đồng Giao", publish=True)
    response = client.get(reverse("catalog:market"), {"q": "vai thieu"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Vải thiều Lục Ngạn" in body
    assert "Dứa Đồng Giao" not in body


def test_a_bad_filter_is_explained_not_ignored(admin_units, client):
    response = client.get(reverse("catalog:market"), {"category": "vang"})
    assert response.status_code == 400
    assert "Nhóm sản phẩm không hợp lệ." in response.content.decode()


def test_the_listing_page_shows_price_tiers_certifications_and_lots(admin_units, client):
    seller = selling_household()
    from nongsan.producers import services as producer_services

    producer_services.certification_add(
        added_by=staff_user(),
        household=seller,
        kind="vietgap",
        expires_on=timezone.localdate() + datetime.timedelta(days=90),
    )
    row = listing(
        seller, title="Vải sớm", publish=True,
        price_tiers=[{"min_quantity": 50, "price_vnd": 40000}],
    )  # fmt: skip
    batch = lot(row)
    body = client.get(reverse("catalog:listing-page", args=[row.pk])).content.decode()
    assert "45.000\xa0₫" in body
    assert "40.000\xa0₫" in body
    assert "VietGAP" in body
    assert "còn hạn đến" in body
    assert reverse("catalog:lot-page", args=[batch.code]) in body


def test_a_draft_is_not_public(admin_units, client):
    row = listing()
    assert client.get(reverse("catalog:listing-page", args=[row.pk])).status_code == 404
    client.force_login(staff_user())
    assert client.get(reverse("catalog:listing-page", args=[row.pk])).status_code == 200


def test_photos_are_lazy_with_phone_sized_srcset(admin_units, client):
    row = listing(publish=True)
    services.listing_photo_add(added_by=staff_user(), listing=row, upload=upload(image_bytes()))
    body = client.get(reverse("catalog:market")).content.decode()
    image = re.search(r"<img class=\"listing-photo\"[^>]*>", body)
    assert image is not None
    assert 'loading="lazy"' in image.group(0)
    assert " 320w" in image.group(0)
    assert " 800w" in image.group(0)


def test_the_marketplace_pages_weigh_under_100_kb_before_images(admin_units, client):
    kind = lychee()
    for _index in range(20):
        listing(produce_type=kind, title="Vải thiều Lục Ngạn loại một", publish=True)
    row = Listing.objects.order_by("pk").first()
    assert row is not None
    batch = lot(row)
    pages = [
        reverse("catalog:market"),
        reverse("catalog:listing-page", args=[row.pk]),
        reverse("catalog:produce-type-page", args=["vai-thieu"]),
        reverse("catalog:household-shop", args=[row.household_id]),
        reverse("catalog:lot-page", args=[batch.code]),
    ]
    html = max(len(client.get(page).content) for page in pages)
    assets = [
        STATIC / "portal/static/css/site.css",
        STATIC / "portal/static/vendor/htmx/htmx.min.js",
        STATIC / "catalog/static/catalog/catalog.css",
    ]
    total = html + sum(path.stat().st_size for path in assets)
    assert total <= 100 * 1024, total


def test_the_market_page_costs_fixed_queries(admin_units, client, django_assert_max_num_queries):
    kind = lychee()
    for _index in range(3):
        listing(produce_type=kind, publish=True)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("catalog:market"))
    for _index in range(15):
        listing(produce_type=kind, publish=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("catalog:market"))


def test_the_shop_shows_only_that_households_listings(admin_units, client):
    seller = selling_household()
    listing(seller, title="Của hộ này", publish=True)
    listing(title="Của hộ khác", publish=True)
    body = client.get(reverse("catalog:household-shop", args=[seller.pk])).content.decode()
    assert "Của hộ này" in body
    assert "Của hộ khác" not in body


def test_the_produce_type_page_shows_who_where_and_which_months(admin_units, client):
    kind = pineapple()
    listing(produce_type=kind, title="Dứa Đồng Giao", publish=True)
    response = client.get(reverse("catalog:produce-type-page", args=["dua"]))
    body = response.content.decode()
    assert "Dứa Đồng Giao" in body
    assert "thơm, khóm" in body
    assert body.count('class="has-supply"') >= 1
    assert client.get(reverse("catalog:produce-type-page", args=["khong-co"])).status_code == 404


def test_the_traceability_page_and_its_qr_codes(admin_units, client):
    row = listing(publish=True)
    batch = lot(row)
    page = client.get(reverse("catalog:lot-page", args=[batch.code]))
    assert page.status_code == 200
    body = page.content.decode()
    assert str(row.household) in body
    assert row.commune.name in body
    svg = client.get(reverse("catalog:lot-qr-svg", args=[batch.code]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.lstrip().startswith(b"<svg")
    png = client.get(reverse("catalog:lot-qr-png", args=[batch.code]))
    assert png.content.startswith(b"\x89PNG")
    assert client.get(reverse("catalog:lot-page", args=["KHONGCO"])).status_code == 404


def test_the_home_page_loads_what_is_in_season(admin_units, client):
    listing(produce_type=lychee(), title="Vải thiều chín sớm", publish=True)
    home = client.get("/").content.decode()
    assert reverse("catalog:in-season") in home
    block = client.get(reverse("catalog:in-season")).content.decode()
    assert "Đang vào mùa" in block
    assert "Vải thiều chín sớm" in block


def _sell(client, household_id, **overrides):
    today = timezone.localdate()
    steps = [
        {"seller": household_id, "produce_type": "vai-thieu", "title": ""},
        {
            "price_vnd": "45.000",
            "unit": "kg",
            "stock_quantity": "200",
            "minimum_order_quantity": "5",
        },
        {
            "available_from": today.strftime("%d/%m/%Y"),
            "available_until": (today + datetime.timedelta(days=20)).strftime("%d/%m/%Y"),
        },
    ]
    responses = []
    for number, data in enumerate(steps, start=1):
        data.update(overrides.get(f"step{number}", {}))
        url = (
            reverse("catalog:sell", args=[number]) if number > 1 else reverse("catalog:sell-start")
        )
        responses.append(client.post(url, data))
    return responses


def test_a_household_lists_from_its_phone_in_three_steps(admin_units, client):
    lychee()
    owner = make_user()
    seller = selling_household(user=owner)
    client.force_login(owner)
    assert client.get(reverse("catalog:sell-start")).status_code == 200
    *_steps, last = _sell(client, f"h{seller.pk}")
    row = Listing.objects.get()
    assert last.status_code == 302
    assert last["Location"] == reverse("catalog:listing-page", args=[row.pk])
    assert (row.status, row.price_vnd, row.title) == (ListingStatus.ACTIVE, 45000, "Vải thiều")


def test_an_assistant_lists_for_an_assisted_household(admin_units, client):
    lychee()
    commune = current_commune()
    seller = selling_household(commune)
    assistant = make_user()
    grant(assistant, Role.ASSISTANT, commune, assistant_kind="trainer")
    assistance_assign_household(assigned_by=staff_user(), assistant=assistant, household=seller)
    client.force_login(assistant)
    _sell(client, f"h{seller.pk}")
    assert Listing.objects.get().household_id == seller.pk


def test_the_phone_flow_explains_bad_numbers_on_the_step_they_belong_to(admin_units, client):
    lychee()
    owner = make_user()
    seller = selling_household(user=owner)
    client.force_login(owner)
    _first, second, _third = _sell(client, f"h{seller.pk}", step2={"stock_quantity": "1.000"})
    assert second.status_code == 200
    assert "Không rõ 1.000" in second.content.decode()
    assert not Listing.objects.exists()


def test_the_phone_flow_cannot_skip_a_step(admin_units, client):
    owner = make_user()
    selling_household(user=owner)
    client.force_login(owner)
    response = client.get(reverse("catalog:sell", args=[3]))
    assert response["Location"] == reverse("catalog:sell-start")


def test_the_phone_flow_refuses_a_household_the_person_does_not_sell_for(admin_units, client):
    lychee()
    owner = make_user()
    selling_household(user=owner)
    other = selling_household()
    client.force_login(owner)
    first, *_rest = _sell(client, f"h{other.pk}")
    assert first.status_code == 200
    assert not Listing.objects.exists()


def test_the_phone_flow_explains_missing_consent(admin_units, client):
    owner = make_user()
    household(user=owner)  # registry consent only
    client.force_login(owner)
    response = client.get(reverse("catalog:sell-start"))
    assert response.status_code == 403
    assert "đồng ý" in response.content.decode()


def test_a_seller_prints_a_pdf_sheet_of_lot_labels(admin_units, client):
    owner = make_user()
    seller = selling_household(user=owner)
    row = listing(seller, by=owner, publish=True)
    lot(row, by=owner)
    lot(row, by=owner)
    client.force_login(owner)
    response = client.get(reverse("catalog:lot-labels", args=[seller.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(make_user())
    assert client.get(reverse("catalog:lot-labels", args=[seller.pk])).status_code == 404


def test_the_seller_adds_a_photo_a_lot_and_pauses_from_the_listing_page(admin_units, client):
    owner = make_user()
    seller = selling_household(user=owner)
    row = listing(seller, by=owner, publish=True)
    client.force_login(owner)
    page = client.get(reverse("catalog:listing-page", args=[row.pk])).content.decode()
    assert "Quản lý tin đăng" in page
    client.post(
        reverse("catalog:listing-photo-add", args=[row.pk]),
        {"photo": upload(image_bytes(), "anh.jpg")},
    )
    assert row.photos.count() == 1
    response = client.post(
        reverse("catalog:listing-photo-add", args=[row.pk]), {"photo": upload(b"not", "x.jpg")},
        follow=True,
    )  # fmt: skip
    assert "không phải ảnh" in response.content.decode()
    client.post(
        reverse("catalog:listing-lot-add", args=[row.pk]),
        {"harvested_on": timezone.localdate().strftime("%d/%m/%Y"), "quantity": "30"},
    )
    assert row.lots.count() == 1
    response = client.post(
        reverse("catalog:listing-lot-add", args=[row.pk]), {"harvested_on": "x", "quantity": "1"},
        follow=True,
    )  # fmt: skip
    assert row.lots.count() == 1
    assert response.status_code == 200
    client.post(reverse("catalog:listing-status", args=[row.pk]), {"status": "paused"})
    row.refresh_from_db()
    assert row.status == ListingStatus.PAUSED


def test_a_stranger_cannot_manage_a_listing(admin_units, client):
    row = listing(publish=True)
    client.force_login(make_user())
    assert (
        "Quản lý tin đăng"
        not in client.get(reverse("catalog:listing-page", args=[row.pk])).content.decode()
    )
    response = client.post(reverse("catalog:listing-status", args=[row.pk]), {"status": "paused"})
    assert response.status_code == 404


def test_a_household_without_selling_consent_has_no_public_shop(admin_units, client):
    registered = household()  # registry consent only: its name stays private
    response = client.get(reverse("catalog:household-shop", args=[registered.pk]))
    assert response.status_code == 404
    assert registered.head_name not in response.content.decode()


def test_produce_names_follow_the_chosen_language(admin_units, client):
    listing(produce_type=pineapple(), title="Dứa Đồng Giao", publish=True)
    url = reverse("catalog:produce-type-page", args=["dua"])
    assert "<h1>🍍 Dứa</h1>" in client.get(url).content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>🍍 Pineapple</h1>" in english
    assert "Who sells it" in english


def test_the_seller_changes_price_and_stock_from_the_listing_page(admin_units, client):
    owner = make_user()
    row = listing(selling_household(user=owner), by=owner, publish=True)
    client.force_login(owner)
    until = row.available_until.strftime("%d/%m/%Y")
    client.post(
        reverse("catalog:listing-edit", args=[row.pk]),
        {"price_vnd": "39.000", "stock_quantity": "0", "available_until": until},
    )
    row.refresh_from_db()
    assert (row.price_vnd, row.status) == (39000, ListingStatus.SOLD_OUT)
    response = client.post(
        reverse("catalog:listing-edit", args=[row.pk]),
        {"price_vnd": "ba mươi nghìn", "stock_quantity": "5", "available_until": until},
        follow=True,
    )
    assert "số đồng nguyên" in response.content.decode()
    row.refresh_from_db()
    assert row.price_vnd == 39000


def test_the_search_page_filters_by_price(admin_units, client):
    listing(title="Rẻ", price_vnd=10000, publish=True)
    listing(title="Đắt", price_vnd=90000, publish=True)
    body = client.get(reverse("catalog:market"), {"price_max": "20000"}).content.decode()
    assert "Rẻ" in body
    assert "Đắt" not in body


def test_a_cooperative_manager_lists_for_the_cooperative_from_a_phone(admin_units, client):
    from nongsan.producers.tests.factories import cooperative

    lychee()
    manager = make_user()
    coop = cooperative(manager=manager)
    client.force_login(manager)
    *_steps, last = _sell(client, f"c{coop.pk}")
    assert last.status_code == 302
    assert Listing.objects.get().cooperative_id == coop.pk


def test_the_search_box_updates_results_while_typing_without_inline_script(admin_units, client):
    body = client.get(reverse("catalog:market")).content.decode()
    assert 'hx-get="/cho/"' in body
    assert 'hx-select="#results"' in body
    assert 'id="results"' in body
    assert "<script>" not in body


def test_the_listing_page_costs_fixed_queries(admin_units, client, django_assert_max_num_queries):
    row = listing(publish=True, price_tiers=[{"min_quantity": 50, "price_vnd": 40000}])
    lot(row)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("catalog:listing-page", args=[row.pk]))
    for _index in range(3):
        lot(row)
        services.listing_photo_add(
            added_by=staff_user(), listing=row, upload=upload(image_bytes(size=(200, 200)))
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("catalog:listing-page", args=[row.pk]))

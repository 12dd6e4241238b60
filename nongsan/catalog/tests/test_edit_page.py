"""The full listing edit page, through HTTP: every field the API changes, refusals in
Vietnamese on their fields with nothing written, status, photos removed and reordered."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from nongsan.audit.models import AuditEntry
from nongsan.catalog import services
from nongsan.catalog.models import Listing, ListingPhoto, ListingStatus
from nongsan.catalog.tests.factories import listing, lychee, pineapple, selling_household
from nongsan.catalog.tests.test_photos import image_bytes, upload
from nongsan.producers import services as producer_services
from nongsan.producers.tests.factories import make_user, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned(admin_units):
    owner = make_user()
    seller = selling_household(user=owner)
    producer_services.growing_area_code_add(
        added_by=staff_user(), household=seller, code="VN-BG-0001"
    )
    row = listing(
        seller,
        by=owner,
        produce_type=lychee(),
        title="Vải sớm",
        price_vnd=50000,
        price_tiers=[{"min_quantity": 100, "price_vnd": 45000}],
        publish=True,
    )
    return owner, row


def _form(row: Listing, **changes: str) -> dict[str, str]:
    data = {
        "produce_type": row.produce_type.slug,
        "title": row.title,
        "description": row.description,
        "price_vnd": str(row.price_vnd),
        "unit": row.unit,
        "stock_quantity": "100",
        "minimum_order_quantity": "1",
        "available_from": row.available_from.isoformat(),
        "available_until": row.available_until.isoformat(),
        "growing_area_code": row.growing_area_code,
        "tier_quantity_1": "100",
        "tier_price_1": "45000",
    }
    data.update(changes)
    return data


def _url(row: Listing) -> str:
    return reverse("catalog:listing-edit-page", args=[row.pk])


def test_the_edit_page_shows_the_listing_as_it_is(owned, client):
    owner, row = owned
    client.force_login(owner)
    page = client.get(_url(row))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'value="Vải sớm"' in body
    assert 'value="45000"' in body  # the tier
    assert "VN-BG-0001" in body  # the seller's growing-area codes to pick from
    assert 'name="viewport"' in body
    assert "Chứng nhận hiển thị" in body


def test_a_seller_changes_every_field_from_the_edit_page(owned, client):
    owner, row = owned
    client.force_login(owner)
    today = timezone.localdate()
    answer = client.post(
        _url(row),
        _form(
            row,
            produce_type=pineapple().slug,
            title="Dứa Đồng Giao",
            description="Ngọt, mọng nước",
            price_vnd="30.000",
            unit="qua",
            stock_quantity="1,5",
            minimum_order_quantity="0,5",
            available_from=(today + datetime.timedelta(days=1)).isoformat(),
            available_until=(today + datetime.timedelta(days=60)).isoformat(),
            growing_area_code="VN-BG-0001",
            tier_quantity_1="",
            tier_price_1="",
        ),
    )
    assert answer.status_code == 302
    assert answer["Location"] == _url(row)
    row.refresh_from_db()
    assert (row.produce_type.slug, row.title, row.description) == (
        "dua",
        "Dứa Đồng Giao",
        "Ngọt, mọng nước",
    )
    assert (row.price_vnd, row.unit, row.stock_quantity) == (30000, "qua", Decimal("1.5"))
    assert row.minimum_order_quantity == Decimal("0.5")
    assert row.available_until == today + datetime.timedelta(days=60)
    assert row.growing_area_code == "VN-BG-0001"
    assert not row.price_tiers.exists()
    assert AuditEntry.objects.filter(action="catalog.listing_update", target_id=row.pk).exists()


def test_price_tiers_are_added_from_the_edit_page(owned, client):
    owner, row = owned
    client.force_login(owner)
    client.post(_url(row), _form(row, tier_quantity_2="500", tier_price_2="40.000"))
    tiers = list(row.price_tiers.values_list("min_quantity", "price_vnd"))
    assert tiers == [(Decimal("100"), 45000), (Decimal("500"), 40000)]


def test_bad_values_are_refused_in_vietnamese_on_their_fields_and_nothing_is_written(owned, client):
    owner, row = owned
    client.force_login(owner)
    today = timezone.localdate()
    answer = client.post(
        _url(row),
        _form(
            row,
            title="Đổi tên",
            price_vnd="năm chục",
            stock_quantity="1.000",
            available_until=(today - datetime.timedelta(days=10)).isoformat(),
            tier_price_1="90000",
        ),
    )
    body = answer.content.decode()
    assert answer.status_code == 400
    assert "Giá phải là số đồng nguyên" in body
    assert "Không rõ 1.000 là bao nhiêu" in body
    assert "Ngày bán đến phải sau ngày bắt đầu bán." in body
    row.refresh_from_db()
    assert (row.title, row.price_vnd) == ("Vải sớm", 50000)


def test_a_tier_dearer_than_the_price_is_explained(owned, client):
    owner, row = owned
    client.force_login(owner)
    answer = client.post(_url(row), _form(row, tier_price_1="60000"))
    assert answer.status_code == 400
    assert "Giá theo số lượng: Mua nhiều thì giá mỗi đơn vị phải thấp hơn" in (
        answer.content.decode()
    )


def test_a_growing_area_code_not_of_the_seller_is_refused(owned, client):
    owner, row = owned
    client.force_login(owner)
    answer = client.post(_url(row), _form(row, growing_area_code="VN-XX-9999"))
    assert answer.status_code == 400
    row.refresh_from_db()
    assert row.growing_area_code == ""


def test_an_old_listing_keeps_its_past_window_when_only_the_title_changes(owned, client):
    owner, row = owned
    Listing.objects.filter(pk=row.pk).update(
        available_from=timezone.localdate() - datetime.timedelta(days=90),
        available_until=timezone.localdate() - datetime.timedelta(days=1),
    )
    row.refresh_from_db()
    client.force_login(owner)
    answer = client.post(_url(row), _form(row, title="Vải sớm (đã hết)"))
    assert answer.status_code == 302
    row.refresh_from_db()
    assert row.title == "Vải sớm (đã hết)"


def test_pause_and_resume_from_the_edit_page_come_back_to_it(owned, client):
    owner, row = owned
    client.force_login(owner)
    status_url = reverse("catalog:listing-status", args=[row.pk])
    answer = client.post(status_url, {"status": "paused", "return_to": "edit"})
    assert answer["Location"] == _url(row)
    row.refresh_from_db()
    assert row.status == ListingStatus.PAUSED
    assert "Bán lại" in client.get(_url(row)).content.decode()
    client.post(status_url, {"status": "active", "return_to": "edit"})
    row.refresh_from_db()
    assert row.status == ListingStatus.ACTIVE


def _photos(row: Listing, owner, count: int) -> list[ListingPhoto]:
    return [
        services.listing_photo_add(
            added_by=owner,
            listing=row,
            upload=upload(image_bytes(color=color), name=f"{color}.jpg"),
        )
        for color in ["red", "green", "blue"][:count]
    ]


def test_a_photo_is_removed_with_its_files(owned, client, django_capture_on_commit_callbacks):
    owner, row = owned
    first, second = _photos(row, owner, 2)
    client.force_login(owner)
    media = Path(settings.MEDIA_ROOT)
    files = [media / first.small.name, media / first.large.name]
    assert all(path.exists() for path in files)
    url = reverse("catalog:listing-photo-remove", args=[row.pk, first.pk])
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url)
    assert answer["Location"] == _url(row)
    assert not any(path.exists() for path in files)
    assert list(row.photos.values_list("pk", "position")) == [(second.pk, 0)]
    assert AuditEntry.objects.filter(action="catalog.listing_photo_remove").count() == 1


def test_photos_are_reordered_with_htmx_and_the_list_comes_back(owned, client):
    owner, row = owned
    first, second, third = _photos(row, owner, 3)
    client.force_login(owner)
    url = reverse("catalog:listing-photo-move", args=[row.pk, third.pk])
    answer = client.post(url, {"direction": "up"}, headers={"HX-Request": "true"}, follow=True)
    assert answer.status_code == 200
    assert 'id="listing-photos"' in answer.content.decode()
    order = list(row.photos.order_by("position").values_list("pk", flat=True))
    assert order == [first.pk, third.pk, second.pk]
    client.post(reverse("catalog:listing-photo-move", args=[row.pk, first.pk]), {"direction": "up"})
    assert list(row.photos.order_by("position").values_list("pk", flat=True))[0] == first.pk


def test_someone_elses_listing_and_photos_answer_404(owned, client):
    owner, row = owned
    (photo,) = _photos(row, owner, 1)
    client.force_login(make_user())
    assert client.get(_url(row)).status_code == 404
    assert client.post(_url(row), _form(row, title="Chiếm")).status_code == 404
    for name in ("listing-photo-remove", "listing-photo-move"):
        assert client.post(reverse(f"catalog:{name}", args=[row.pk, photo.pk])).status_code == 404
    assert ListingPhoto.objects.filter(pk=photo.pk).exists()


def test_a_photo_of_another_listing_cannot_be_reached_through_mine(owned, client):
    owner, row = owned
    other = listing(produce_type=lychee(), publish=True)
    (photo,) = _photos(other, staff_user(), 1)
    client.force_login(owner)
    url = reverse("catalog:listing-photo-remove", args=[row.pk, photo.pk])
    assert client.post(url).status_code == 404
    assert ListingPhoto.objects.filter(pk=photo.pk).exists()


def test_a_seller_who_withdrew_consent_is_told_why_nothing_was_saved(owned, client):
    from nongsan.producers.models import ConsentPurpose, Purpose

    owner, row = owned
    ConsentPurpose.objects.filter(household=row.household, purpose=Purpose.MARKETPLACE).update(
        withdrawn_at=timezone.now()
    )
    client.force_login(owner)
    response = client.post(_url(row), _form(row, title="Vải thiều mới"))
    assert response.status_code == 400
    assert "đã rút lại sự đồng ý" in response.content.decode()
    row.refresh_from_db()
    assert row.title == "Vải sớm"

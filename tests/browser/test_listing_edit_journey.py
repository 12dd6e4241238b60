"""A seller on a 360px phone edits a listing: a refused price explained on its field, a
description saved, photos reordered and removed through htmx, nothing wider than the screen."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from nongsan.catalog import services
from nongsan.catalog.models import ListingPhoto
from nongsan.catalog.tests.factories import listing, lychee, selling_household
from nongsan.catalog.tests.test_photos import image_bytes, upload
from nongsan.geo.loading import load_units
from nongsan.geo.models import AdministrativeUnit
from nongsan.producers.tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def owned(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    load_units()
    commune = AdministrativeUnit.objects.filter(
        level="commune", valid_until__isnull=True, province__code="01"
    ).order_by("code")[0]
    owner = make_user()
    row = listing(
        selling_household(commune, user=owner), by=owner, produce_type=lychee(),
        title="Vải thiều Lục Ngạn", publish=True,
    )  # fmt: skip
    for color in ("red", "green"):
        services.listing_photo_add(
            added_by=owner, listing=row, upload=upload(image_bytes(color=color))
        )
    return owner, row


def test_a_seller_edits_a_listing_from_a_phone(
    phone_page: Page, owned: Any, live_server: Any, screenshot_dir: Any
):
    owner, row = owned
    client = Client()
    client.force_login(owner)
    page = phone_page
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"/cho/{row.pk}/chinh-sua/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sửa tin đăng")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_label("Giá mỗi đơn vị (đồng)").first.fill("bốn mươi nghìn")
    page.get_by_role("button", name="Lưu thay đổi").click()
    expect(page.get_by_text("Giá phải là số đồng nguyên")).to_be_visible()
    page.get_by_label("Giá mỗi đơn vị (đồng)").first.fill("40.000")
    page.get_by_label("Mô tả").fill("Vải chín cây, hái buổi sáng")
    page.get_by_role("button", name="Lưu thay đổi").click()
    expect(page.get_by_text("Đã lưu thay đổi.")).to_be_visible()
    photos = list(ListingPhoto.objects.filter(listing=row).order_by("position"))
    page.get_by_role("button", name="Lên trước").click()  # the second photo moves first
    expect(page.locator("#listing-photos img").first).to_have_attribute("src", photos[1].small.url)
    order = list(
        ListingPhoto.objects.filter(listing=row).order_by("position").values_list("pk", flat=True)
    )
    assert order == [photos[1].pk, photos[0].pk]
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Xoá").first.click()
    expect(page.get_by_role("button", name="Xoá")).to_have_count(1)
    page.screenshot(path=str(screenshot_dir / "listing-edit.png"), full_page=True)
    row.refresh_from_db()
    assert (row.price_vnd, row.description) == (40000, "Vải chín cây, hái buổi sáng")
    assert list(ListingPhoto.objects.filter(listing=row).values_list("pk", flat=True)) == [
        photos[0].pk
    ]

"""The buyer's journey on a 360px phone: search without diacritics, open a listing, follow its
lot to the traceability page with its QR code."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from nongsan.catalog.tests.factories import listing, lot, lychee, selling_household
from nongsan.geo.loading import load_units
from nongsan.geo.models import AdministrativeUnit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def market(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    load_units()
    commune = (
        AdministrativeUnit.objects.filter(
            level="commune", valid_until__isnull=True, province__code="01"
        )
        .select_related("province")
        .order_by("code")[0]
    )
    row = listing(
        selling_household(commune), produce_type=lychee(), title="Vải thiều Lục Ngạn",
        publish=True,
    )  # fmt: skip
    return lot(row)


def test_a_buyer_searches_without_diacritics_and_traces_a_lot(
    phone_page: Page, market: Any, screenshot_dir: Any
):
    page = phone_page
    page.goto("/cho/")
    page.get_by_label("Tìm nông sản").fill("vai thieu")
    page.get_by_role("button", name="Tìm").click()
    page.screenshot(path=str(screenshot_dir / "market-search.png"), full_page=True)
    page.get_by_role("link", name="Vải thiều Lục Ngạn").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vải thiều Lục Ngạn")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / "market-listing.png"), full_page=True)
    page.get_by_role("link", name=market.code).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(market.code)
    expect(page.get_by_text("Truy xuất nguồn gốc")).to_be_visible()
    qr = page.get_by_role("img", name="Mã QR của trang này")
    expect(qr).to_be_visible()
    page.wait_for_function(
        "() => { const image = document.querySelector('.lot-qr img');"
        " return image.complete && image.naturalWidth > 0; }"
    )
    page.screenshot(path=str(screenshot_dir / "market-lot.png"), full_page=True)


def test_results_follow_the_words_as_they_are_typed(phone_page: Page, market: Any):
    page = phone_page
    page.goto("/cho/?q=dua")
    expect(page.get_by_text("0 tin đăng")).to_be_visible()
    page.get_by_label("Tìm nông sản").fill("vai th")
    expect(page.get_by_role("link", name="Vải thiều Lục Ngạn")).to_be_visible()
    assert "q=vai%20th" in page.url

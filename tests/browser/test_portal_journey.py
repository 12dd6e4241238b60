"""An officer on a 360px phone: opens the harvest calendar, sees what is in season, then the
price board's chart comparing two provinces (drawn by the vendored Chart.js, no inline
script)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import officer
from nongsan.catalog.tests.factories import listing, lychee, selling_household
from nongsan.geo.loading import load_units
from nongsan.geo.models import AdministrativeUnit
from nongsan.harvests.models import Campaign, GlutAlert, GlutKind, GlutSeverity
from nongsan.harvests.tests.factories import calendar_entry
from nongsan.orders.models import Order
from nongsan.prices.services import price_report_create
from nongsan.producers.tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portal() -> Any:
    load_units()
    provinces = {
        unit.code: unit
        for unit in AdministrativeUnit.objects.current().filter(
            level="province", code__in=["24", "01"]
        )
    }
    today = timezone.localdate()
    calendar_entry(
        lychee(), provinces["24"], season_name="vụ thử",
        harvest_from_month=today.month, harvest_from_day=1,
        harvest_until_month=today.month, harvest_until_day=31,
    )  # fmt: skip
    for offset in range(1, 6):
        for code, price in (("24", 40000 + offset * 500), ("01", 45000)):
            price_report_create(
                user=None, produce_type=lychee(), province=provinces[code], kind="farm_gate",
                price_vnd=price, reported_on=today - datetime.timedelta(days=offset),
            )  # fmt: skip
    return officer(Role.PROVINCE_OFFICER, provinces["24"])


def test_an_officer_sees_the_season_and_the_price_chart(phone_page: Page, portal: Any, live_server):
    client = Client()
    client.force_login(portal)
    phone_page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = phone_page
    page.goto("/lich-mua-vu/?province=24")
    expect(page.get_by_role("heading", name="Đang vào vụ")).to_be_visible()
    expect(page.locator(".season-list").first).to_contain_text("Vải thiều")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.goto("/gia/?produce=vai-thieu&province=24&compare=01&kind=farm_gate")
    page.wait_for_selector("#price-chart[data-ready='true']")
    expect(page.get_by_role("img", name="Biểu đồ giá theo ngày")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _sign_in(page: Page, user: Any, base_url: str) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


@pytest.fixture
def glut(settings: Any, tmp_path: Any) -> Any:
    """Bắc Ninh's lychee: a severe glut alert this week and a household's lychee on sale."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    load_units()
    province = AdministrativeUnit.objects.current().get(level="province", code="24")
    commune = (
        AdministrativeUnit.objects.current()
        .filter(level="commune", province=province)
        .order_by("code")
        .first()
    )
    today = timezone.localdate()
    alert = GlutAlert.objects.create(
        produce_type=lychee(), province=province,
        week_start=today - datetime.timedelta(days=today.weekday()), kind=GlutKind.SUPPLY,
        severity=GlutSeverity.SEVERE, expected_tonnes=Decimal("130"),
        demand_tonnes=Decimal("50"), raised_at=timezone.now(), households=12,
    )  # fmt: skip
    on_sale = listing(
        selling_household(commune), kind=lychee(), unit="kg", stock_quantity=500,
        title="Vải thiều giải cứu", publish=True,
    )  # fmt: skip
    return {
        "alert": alert,
        "listing": on_sale,
        "officer": officer(Role.PROVINCE_OFFICER, province),
        "buyer": make_user(),
    }


def test_an_officer_opens_a_campaign_from_an_alert_and_a_buyer_orders_from_it(
    phone_page: Page, glut: Any, live_server: Any
):
    page = phone_page
    _sign_in(page, glut["officer"], live_server.url)
    page.goto("/lich-mua-vu/canh-bao/")
    expect(page.get_by_role("table")).to_contain_text("Vải thiều")
    expect(page.get_by_role("table")).to_contain_text("Nghiêm trọng")
    page.get_by_role("link", name="Mở chiến dịch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mở chiến dịch giải cứu")
    expect(page.get_by_label("Mục tiêu (tấn)")).to_have_value("80")
    page.get_by_label("Lời kêu gọi").fill("Mua vải giúp bà con Bắc Ninh")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="Mở chiến dịch").click()
    expect(page.get_by_text("Đã mở chiến dịch giải cứu.")).to_be_visible()
    campaign = Campaign.objects.get(glut_alert=glut["alert"])
    assert page.url.endswith(f"/lich-mua-vu/giai-cuu/{campaign.pk}/")

    buyer_page = page.context.browser.new_context(  # type: ignore[union-attr]
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        locale="vi-VN",
    ).new_page()
    _sign_in(buyer_page, glut["buyer"], live_server.url)
    buyer_page.goto(f"/lich-mua-vu/giai-cuu/{campaign.pk}/")
    expect(buyer_page.get_by_role("heading", level=1)).to_have_text(campaign.title)
    assert buyer_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    buyer_page.get_by_role("link", name="Vải thiều giải cứu").click()
    buyer_page.get_by_label("Số lượng").fill("20")
    buyer_page.get_by_role("button", name="Thêm vào giỏ").click()
    expect(buyer_page.get_by_role("heading", level=1)).to_have_text("Giỏ hàng")
    buyer_page.get_by_role("link", name="Đặt hàng").click()
    commune = glut["listing"].commune
    buyer_page.get_by_label("Tên người nhận").fill("Trần Thị Mua")
    buyer_page.get_by_label("Số điện thoại").fill("0987654321")
    buyer_page.get_by_label("Địa chỉ nhận hàng").fill(
        f"Số 5, {commune.name}, {commune.province.name}"
    )
    buyer_page.get_by_label("Trả tiền khi nhận hàng (COD)").check()
    buyer_page.get_by_role("button", name="Xác nhận đặt hàng").click()
    if buyer_page.get_by_text("Chọn đúng xã, phường nhận hàng").count():
        buyer_page.get_by_role("button", name="Xác nhận đặt hàng").click()
    expect(buyer_page.get_by_role("heading", level=1)).to_have_text("Đơn hàng")
    order = Order.objects.get(buyer=glut["buyer"])
    assert order.items.get().quantity == Decimal(20)
    buyer_page.goto(f"/lich-mua-vu/giai-cuu/{campaign.pk}/")
    progress = buyer_page.locator("#campaign-progress")
    expect(progress).to_contain_text("0,02\u00a0tấn")
    expect(progress).to_have_attribute("hx-trigger", "every 60s")
    buyer_page.context.close()

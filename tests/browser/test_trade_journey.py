"""The trade journey: a trader posts a buy request and sees its ranked matches, offers to
the best one; the grower, on a 360px phone, counters; the trader counters back; the grower
accepts that counter-offer and the deal is summed up."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import grant
from nongsan.catalog.tests.factories import lychee, selling_household
from nongsan.geo.loading import load_units
from nongsan.geo.models import AdministrativeUnit
from nongsan.harvests.tests.factories import announcement
from nongsan.producers.tests.factories import make_user
from nongsan.trade.models import Deal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _commune(province: str, index: int = 0) -> AdministrativeUnit:
    return (
        AdministrativeUnit.objects.filter(
            level="commune", valid_until__isnull=True, province__code=province
        )
        .select_related("province")
        .order_by("code")[index]
    )


def _sign_in(page: Page, user: Any, base_url: str) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


@pytest.fixture
def growing_area(settings: Any) -> Any:
    settings.PERSONAL_DATA_KEYS, settings.PERSONAL_DATA_INDEX_KEY = _keys()
    load_units()
    kind = lychee()
    today = timezone.localdate()
    grower_user = make_user(full_name="Nguyễn Văn Vườn")
    near = selling_household(_commune("24"), user=grower_user, head_name="Nguyễn Văn Vườn")
    far = selling_household(_commune("79"), head_name="Trần Thị Xa")
    for household, tonnes in ((near, "18"), (far, "25")):
        announcement(
            household,
            produce_type=kind,
            harvest_from=today + datetime.timedelta(days=10),
            harvest_until=today + datetime.timedelta(days=23),
            tonnes=tonnes,
        )
    trader = make_user(full_name="Công ty Thu mua Bắc Giang")
    grant(trader, Role.TRADER)
    return {"kind": kind, "grower": grower_user, "trader": trader, "today": today}


def _keys() -> tuple[Any, Any]:
    from nongsan.producers.personal_data import development_keys

    return development_keys("tests")


def test_a_trader_posts_a_request_sees_ranked_matches_and_a_grower_accepts_a_counter(
    phone_page: Page, browser: Any, growing_area: Any, live_server: Any
):
    today = growing_area["today"]
    desk = browser.new_context(base_url=live_server.url, locale="vi-VN")
    trader_page = desk.new_page()
    _sign_in(trader_page, growing_area["trader"], live_server.url)
    trader_page.goto("/thu-mua/yeu-cau/moi/")
    trader_page.get_by_label("Loại sản phẩm").select_option(str(growing_area["kind"].pk))
    trader_page.get_by_label("Ít nhất (tấn)").fill("10")
    trader_page.get_by_label("Nhiều nhất (tấn)").fill("20")
    trader_page.get_by_label("Nhận hàng từ ngày").fill(
        (today + datetime.timedelta(days=8)).isoformat()
    )
    trader_page.get_by_label("Nhận hàng đến ngày").fill(
        (today + datetime.timedelta(days=21)).isoformat()
    )
    trader_page.get_by_label("Cách nhận hàng").select_option("pickup")
    trader_page.get_by_label("Tỉnh, thành phố nhận hàng").select_option("01")
    trader_page.get_by_label("Xã, phường nhận hàng (hoặc nơi đặt kho)").fill(
        _commune("01").short_name
    )
    trader_page.get_by_label("Thu mua cả nước").check()
    trader_page.get_by_label("Điều kiện thanh toán").select_option("cash_on_pickup")
    trader_page.get_by_role("button", name="Đăng yêu cầu").click()
    matches = trader_page.locator("li.match")
    expect(matches).to_have_count(2)
    # Bắc Ninh is nearer to Hà Nội than Hồ Chí Minh City: ranked first, and it says why.
    expect(matches.first).to_contain_text("Nguyễn Văn Vườn")
    expect(matches.first).to_contain_text("thu hoạch trùng 12/14 ngày")
    expect(matches.first).to_contain_text("km")
    matches.first.get_by_label("Giá (đồng/kg)").fill("28000")
    matches.first.get_by_role("button", name="Gửi đề nghị").click()
    expect(trader_page.locator(".offer-status").first).to_have_text("Chờ trả lời")

    page = phone_page
    _sign_in(page, growing_area["grower"], live_server.url)
    page.goto("/thu-mua/")
    expect(page.get_by_text("Đề nghị chờ bạn trả lời")).to_be_visible()
    page.get_by_label("Giá đề nghị lại (đồng/kg)").fill("34000")
    page.get_by_role("button", name="Trả giá").click()
    expect(page.get_by_text("Đã gửi giá đề nghị lại.")).to_be_visible()

    trader_page.reload()
    trader_page.get_by_label("Giá đề nghị lại (đồng/kg)").fill("31000")
    trader_page.get_by_role("button", name="Trả giá").click()
    expect(trader_page.get_by_text("Đã gửi giá đề nghị lại.")).to_be_visible()

    page.goto("/thu-mua/")
    expect(page.locator("article[id^=offer-]")).to_contain_text("31.000")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="Đồng ý").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thoả thuận mua bán")
    expect(page.locator(".deal-summary")).to_contain_text("31.000")
    deal = Deal.objects.get()
    assert deal.price_vnd_per_kg == 31000
    assert deal.seller_user == growing_area["grower"]
    desk.close()

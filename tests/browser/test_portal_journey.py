"""An officer on a 360px phone: opens the harvest calendar, sees what is in season, then the
price board's chart comparing two provinces (drawn by the vendored Chart.js, no inline
script)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import officer
from nongsan.catalog.tests.factories import lychee
from nongsan.geo.loading import load_units
from nongsan.geo.models import AdministrativeUnit
from nongsan.harvests.tests.factories import calendar_entry
from nongsan.prices.services import price_report_create

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

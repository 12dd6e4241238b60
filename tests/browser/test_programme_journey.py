"""The ministry's programme journey: the national map of 34 provinces coloured by progress,
a click into a province, then into one of its communes."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from nongsan.accounts.models import Role, User
from nongsan.accounts.tests.factories import UserFactory, grant
from nongsan.geo.address import clear_address_index
from nongsan.geo.loading import load_units
from nongsan.geo.models import AdministrativeUnit
from nongsan.onboarding.tests.factories import default_channels_ensure, staff_user
from nongsan.programme import rollup, services
from nongsan.programme.models import Indicator
from nongsan.programme.periods import PeriodKind, period_of
from nongsan.programme.tests import factories as make
from nongsan.programme.tests.conftest import indicators_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-dai-123"


@pytest.fixture
def desk_page(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def bac_ninh_commune() -> AdministrativeUnit:
    load_units()
    clear_address_index()
    default_channels_ensure()
    indicators_ensure()
    commune = (
        AdministrativeUnit.objects.current()
        .filter(level="commune", province__code="24")
        .select_related("province")
        .order_by("code")
        .first()
    )
    assert commune is not None
    today = timezone.localdate()
    for day in range(3):
        seller = make.household(commune, today - datetime.timedelta(days=day))
        make.order(seller, today - datetime.timedelta(days=day))
    services.target_set(
        user=staff_user(),
        indicator=Indicator.objects.get(code="households_first_sale"),
        unit=commune.province,  # type: ignore[arg-type]
        period=period_of(PeriodKind.QUARTER, today),
        value=10,
    )
    rollup.rollup_rebuild()
    return commune


def _ministry() -> User:
    user: User = UserFactory.create(password=PASSWORD)
    grant(user, Role.MINISTRY)
    return user


def test_the_ministry_drills_from_the_map_into_a_province_and_a_commune(
    desk_page: Page, bac_ninh_commune: AdministrativeUnit, screenshot_dir: Any
) -> None:
    page = desk_page
    user = _ministry()
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("Số điện thoại").fill(user.phone)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto("/chuong-trinh/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kết quả chương trình toàn quốc")
    expect(page.locator("#programme-map")).to_have_attribute("data-ready", "true")
    shapes = page.locator("#programme-map path[data-province]")
    expect(shapes).to_have_count(34)
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("CC BY-SA 4.0")
    page.locator("#programme-map").screenshot(path=str(screenshot_dir / "programme-map.png"))
    province = bac_ninh_commune.province
    assert province is not None
    page.locator('#programme-map path[data-province="24"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text(province.name)
    expect(page.locator("[data-headline]")).to_have_text("3")
    page.get_by_role("link", name=bac_ninh_commune.name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(bac_ninh_commune.name)
    expect(page.locator("[data-figures]")).to_contain_text("Hộ đã đăng ký")
    page.screenshot(path=str(screenshot_dir / "programme-commune.png"))

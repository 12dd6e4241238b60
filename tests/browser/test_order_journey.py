"""The order journey on a 360px phone: a buyer puts two households' produce in the cart,
checks out paying on delivery, and one of the sellers confirms the order."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from nongsan.accounts.models import AssistantKind, Role
from nongsan.accounts.tests.factories import grant
from nongsan.catalog.tests.factories import listing, selling_household
from nongsan.geo.address import clear_address_index
from nongsan.geo.loading import load_units
from nongsan.geo.models import AdministrativeUnit
from nongsan.orders.models import Order
from nongsan.producers.models import Household
from nongsan.producers.tests.factories import make_user

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
def market(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    load_units()
    clear_address_index()  # the units were loaded again: new ids
    seller = make_user()
    first_household = selling_household(_commune("01"))
    Household.objects.filter(pk=first_household.pk).update(user=seller)
    first = listing(first_household, title="Vải thiều Lục Ngạn", publish=True)
    second = listing(selling_household(_commune("01", 5)), title="Bưởi Diễn", publish=True)
    return {"seller": seller, "listings": [first, second], "buyer": make_user()}


def test_a_buyer_orders_from_two_households_and_a_seller_confirms(
    phone_page: Page, market: Any, live_server: Any
):
    page = phone_page
    _sign_in(page, market["buyer"], live_server.url)
    for row in market["listings"]:
        page.goto(f"/cho/{row.pk}/")
        page.get_by_label("Số lượng").fill("2")
        page.get_by_role("button", name="Thêm vào giỏ").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Giỏ hàng")
    expect(page.locator(".order-seller")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name="Đặt hàng").click()
    commune = _commune("79")
    page.get_by_label("Tên người nhận").fill("Trần Thị Mua")
    page.get_by_label("Số điện thoại").fill("0987654321")
    page.get_by_label("Địa chỉ nhận hàng").fill(
        f"Số 5, {commune.name}, {commune.province.name if commune.province else ''}"
    )
    page.get_by_label("Trả tiền khi nhận hàng (COD)").check()
    page.get_by_role("button", name="Xác nhận đặt hàng").click()
    if page.get_by_text("Chọn đúng xã, phường nhận hàng").count():
        page.get_by_role("button", name="Xác nhận đặt hàng").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đơn hàng")
    expect(page.locator(".order-list li.card")).to_have_count(2)
    order = Order.objects.get(household__user=market["seller"])

    seller_page = page.context.browser.new_context(  # type: ignore[union-attr]
        base_url=live_server.url, viewport={"width": 360, "height": 740}, locale="vi-VN"
    ).new_page()
    _sign_in(seller_page, market["seller"], live_server.url)
    seller_page.goto(f"/don-hang/{order.pk}/")
    seller_page.get_by_role("button", name="Người bán đã xác nhận").click()
    expect(seller_page.locator(".timeline")).to_contain_text("Người bán đã xác nhận")
    order.refresh_from_db()
    assert order.status == "confirmed"
    seller_page.context.close()


def _phone_context_page(page: Page, user: Any, base_url: str) -> Page:
    other = page.context.browser.new_context(  # type: ignore[union-attr]
        base_url=base_url,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        locale="vi-VN",
    ).new_page()
    _sign_in(other, user, base_url)
    return other


def test_vietqr_from_two_sellers_then_confirmed_delivered_by_the_post_and_reviewed(
    phone_page: Page, market: Any, live_server: Any, settings: Any
):
    from django.contrib.auth.models import Permission

    from nongsan.orders.models import Review
    from nongsan.shipping.services import shipping_rates_load

    settings.PAYMENTS_PLATFORM_ACCOUNT = {
        "bin": "970436",
        "account": "0011001234567",
        "holder": "NONG SAN",
    }
    shipping_rates_load()
    page = phone_page
    _sign_in(page, market["buyer"], live_server.url)
    for row in market["listings"]:
        page.goto(f"/cho/{row.pk}/")
        page.get_by_label("Số lượng").fill("3")
        page.get_by_role("button", name="Thêm vào giỏ").click()
    page.get_by_role("link", name="Đặt hàng", exact=True).click()
    commune = _commune("79")
    page.get_by_label("Tên người nhận").fill("Trần Thị Mua")
    page.get_by_label("Số điện thoại").fill("0987654321")
    page.get_by_label("Địa chỉ nhận hàng").fill(
        f"Số 5, {commune.name}, {commune.province.name if commune.province else ''}"
    )
    page.get_by_label("Chuyển khoản VietQR").check()
    page.get_by_role("button", name="Xem phí vận chuyển").click()
    if page.get_by_text("Chọn đúng xã, phường nhận hàng").count():
        page.get_by_role("button", name="Xem phí vận chuyển").click()
    # The buyer sees each seller's delivery priced before paying.
    expect(page.locator(".shipping-quote")).to_have_count(2)
    expect(page.locator(".shipping-quote").first).to_contain_text("₫")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="Xác nhận đặt hàng").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đơn hàng")
    expect(page.locator(".order-list li.card")).to_have_count(2)
    order = Order.objects.get(household__user=market["seller"])
    assert order.shipping_vnd > 0
    page.goto(f"/don-hang/{order.pk}/")
    expect(page.locator(".payment-qr svg")).to_be_visible()
    expect(page.locator(".payment-qr")).to_contain_text(order.reference)

    seller_page = _phone_context_page(page, market["seller"], live_server.url)
    seller_page.goto(f"/don-hang/{order.pk}/")
    seller_page.get_by_role("button", name="Người bán đã xác nhận").click()
    expect(seller_page.locator(".timeline").last).to_contain_text("Người bán đã xác nhận")
    seller_page.get_by_role("button", name="Đã đóng gói").click()
    expect(seller_page.locator(".badge")).to_have_text("Đã đóng gói")
    expect(seller_page.locator(".shipping-share")).to_contain_text("giá trị đơn là phí vận chuyển")

    postman = make_user()
    postman.user_permissions.add(Permission.objects.get(codename="handle_delivery"))
    # Postal staff work in their postal area: here the seller's commune.
    grant(postman, Role.ASSISTANT, order.commune, assistant_kind=AssistantKind.POSTAL_STAFF)
    post_page = _phone_context_page(page, postman, live_server.url)
    post_page.goto("/van-chuyen/don/")
    post_page.get_by_role("link", name=order.reference).click()
    post_page.get_by_label("Đã lấy hàng").check()
    post_page.get_by_label("Nơi").fill("Bưu cục xã")
    post_page.get_by_role("button", name="Ghi hành trình").click()
    expect(post_page.locator(".badge")).to_have_text("Đã giao cho đơn vị vận chuyển")
    post_page.get_by_label("Đã giao", exact=True).check()
    post_page.get_by_role("button", name="Ghi hành trình").click()
    expect(post_page.locator(".badge")).to_have_text("Đã giao hàng")
    assert post_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.goto(f"/don-hang/{order.pk}/")
    page.get_by_label("5 ★").check()
    page.get_by_label("Nhận xét").fill("Vải ngọt, đóng gói cẩn thận")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator(".review")).to_contain_text("Vải ngọt, đóng gói cẩn thận")
    assert Review.objects.get(order=order).stars == 5
    page.goto(f"/gian-hang/{order.household_id}/")
    expect(page.locator(".rating")).to_contain_text("5,0/5 · 1 đánh giá")
    for other in (seller_page, post_page):
        other.context.close()

"""Posting buy requests and supply offers: bad input gets a Vietnamese error and nothing is
written; who sees a request; the open demand per produce, province and week."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import grant
from nongsan.catalog.tests.factories import lychee, produce_type
from nongsan.producers.tests.factories import current_commune, make_user, province_of
from nongsan.trade.models import BuyRequest
from nongsan.trade.permissions import visible_buy_requests
from nongsan.trade.selectors import open_demand_tonnes
from nongsan.trade.tests.factories import buy_request, today, trader

pytestmark = pytest.mark.django_db


def test_only_traders_post_buy_requests(admin_units):
    with pytest.raises(PermissionDenied):
        buy_request(buyer=make_user())


def test_a_bad_request_is_refused_field_by_field_and_nothing_is_written(admin_units):
    with pytest.raises(ValidationError) as refused:
        buy_request(
            produce_types=["không có loại này"],
            quantity_min_tonnes="30",
            quantity_max_tonnes="20",
            delivery_from="2026-13-01",
            delivery_mode="teleport",
            payment_terms="",
            certifications=["iso9001"],
            price_min_vnd_per_kg="50000",
            price_max_vnd_per_kg="40000",
            note="x" * 501,
        )
    errors = refused.value.message_dict
    assert errors["produce_types"] == ["Không có loại sản phẩm “không có loại này” trong danh mục."]
    assert "quantity_max_tonnes" in errors
    assert "delivery_from" in errors
    assert {
        "delivery_mode",
        "payment_terms",
        "certifications",
        "price_max_vnd_per_kg",
        "note",
    } <= set(errors)
    assert not BuyRequest.objects.exists()


def test_an_ambiguous_name_is_refused_not_guessed(admin_units):
    produce_type(slug="bo-a", name_vi="Bơ")
    produce_type(slug="bo-b", name_vi="Bò")
    with pytest.raises(ValidationError, match="nhiều loại"):
        buy_request(produce_types=["bo"])


def test_delivery_needs_an_address_and_targets_or_nationwide(admin_units):
    with pytest.raises(ValidationError) as refused:
        buy_request(delivery_mode="deliver", targets=[])
    assert set(refused.value.message_dict) == {"delivery_address", "target_provinces"}


def test_sellers_of_targeted_provinces_see_an_open_request_others_do_not(admin_units):
    hanoi, saigon = current_commune("01"), current_commune("79")
    request = buy_request(commune=saigon, targets=[province_of(hanoi)])
    assistant_here, assistant_there = make_user(), make_user()
    grant(assistant_here, Role.ASSISTANT, hanoi, assistant_kind="trainer")
    grant(assistant_there, Role.ASSISTANT, saigon, assistant_kind="trainer")
    assert visible_buy_requests(assistant_here).filter(pk=request.pk).exists()
    assert not visible_buy_requests(assistant_there).filter(pk=request.pk).exists()
    assert not visible_buy_requests(trader()).filter(pk=request.pk).exists()
    assert visible_buy_requests(request.buyer).filter(pk=request.pk).exists()


def test_open_demand_spreads_tonnes_over_weeks_provinces_and_primary_types(admin_units):
    hanoi = current_commune("01")
    other = produce_type(slug="nhan", name_vi="Nhãn")
    monday = today() - datetime.timedelta(days=today().weekday()) + datetime.timedelta(weeks=2)
    request = buy_request(
        commune=hanoi,
        produce_types=[lychee()],
        alternative_produce_types=[other],
        quantity_max_tonnes="14",
        delivery_from=monday + datetime.timedelta(days=3),  # Thursday: 4 days this week
        delivery_until=monday + datetime.timedelta(days=9),  # next Wednesday: 3 days
        targets=[province_of(hanoi), province_of(current_commune("24"))],
    )
    weeks = [monday, monday + datetime.timedelta(weeks=1), monday + datetime.timedelta(weeks=2)]
    demand = open_demand_tonnes(weeks=weeks)
    hanoi_id, bac_ninh_id = province_of(hanoi).pk, province_of(current_commune("24")).pk
    lychee_id = lychee().pk
    # 14 t over 7 days and 2 provinces: 1 t a day in each.
    assert demand == {
        (lychee_id, hanoi_id, weeks[0]): Decimal("4.000"),
        (lychee_id, hanoi_id, weeks[1]): Decimal("3.000"),
        (lychee_id, bac_ninh_id, weeks[0]): Decimal("4.000"),
        (lychee_id, bac_ninh_id, weeks[1]): Decimal("3.000"),
    }
    assert (
        open_demand_tonnes(weeks=weeks, province_ids=[hanoi_id], produce_type_ids=[other.pk]) == {}
    )
    from nongsan.trade.services import buy_request_close

    buy_request_close(buyer=request.buyer, buy_request=request)
    assert open_demand_tonnes(weeks=weeks) == {}


def test_a_supply_offer_naming_both_a_household_and_a_cooperative_is_refused(admin_units):
    from nongsan.catalog.tests.factories import selling_household
    from nongsan.producers.tests.factories import cooperative, staff_user
    from nongsan.trade.models import SupplyOffer
    from nongsan.trade.services import supply_offer_create

    hanoi = current_commune("01")
    with pytest.raises(ValidationError, match="không chọn cả hai"):
        supply_offer_create(
            created_by=staff_user(),
            household=selling_household(hanoi),
            cooperative=cooperative(hanoi),
            produce_type=lychee(),
            quantity_tonnes="15",
            available_from=today() + datetime.timedelta(days=10),
            available_until=today() + datetime.timedelta(days=23),
        )
    assert not SupplyOffer.objects.exists()

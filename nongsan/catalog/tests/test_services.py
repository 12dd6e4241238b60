"""Listings and lots: created, updated, published, paused and expired by the services only
with consent, in scope, with clear refusals and nothing half-written."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from nongsan.accounts.models import Role
from nongsan.accounts.services import assistance_assign_household
from nongsan.accounts.tests.factories import grant
from nongsan.audit.models import AuditEntry
from nongsan.catalog import services
from nongsan.catalog.models import Listing, ListingStatus, Lot
from nongsan.catalog.tests.factories import (
    listing,
    lot,
    produce_type,
    selling_household,
)
from nongsan.producers import services as producer_services
from nongsan.producers.models import Purpose
from nongsan.producers.tests.factories import (
    cooperative,
    current_commune,
    household,
    make_user,
    staff_user,
)

pytestmark = pytest.mark.django_db


def _messages(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


def test_listing_create_makes_a_draft_in_the_sellers_area_with_an_audit_entry(admin_units):
    seller = selling_household(current_commune("01", 3))
    row = listing(seller, title="Vải thiều Lục Ngạn", price_vnd="45.000")
    assert row.status == ListingStatus.DRAFT
    assert row.price_vnd == 45000
    assert (row.province_id, row.commune_id) == (seller.province_id, seller.commune_id)
    entry = AuditEntry.objects.get(action="catalog.listing_create", target_id=str(row.pk))
    assert entry.commune_id == seller.commune_id
    assert entry.changes["price_vnd"] == [None, 45000]


def test_listing_create_refuses_a_household_without_marketplace_consent(admin_units):
    seller = household()  # registry consent only
    with pytest.raises(ValidationError, match="đồng ý"):
        listing(seller)
    assert not Listing.objects.exists()


def test_withdrawn_marketplace_consent_stops_publishing_and_hides_the_listing(admin_units):
    seller = selling_household()
    row = listing(seller, publish=True)
    from nongsan.catalog.permissions import public_listings

    assert public_listings().filter(pk=row.pk).exists()
    producer_services.consent_withdraw(
        withdrawn_by=staff_user(), household=seller, purpose=Purpose.MARKETPLACE
    )
    assert not public_listings().filter(pk=row.pk).exists()
    with pytest.raises(ValidationError, match="rút lại"):
        services.listing_publish(published_by=staff_user(), listing=row)


def test_listing_create_collects_every_problem_at_once_and_writes_nothing(admin_units):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        listing(
            title="x" * 200,
            price_vnd="45,5 nghìn",
            stock_quantity="-3",
            available_from=today,
            available_until=today - datetime.timedelta(days=3),
            unit="tấn",
        )
    errors = _messages(caught.value)
    assert {"title", "price_vnd", "stock_quantity", "available_until", "unit"} <= set(errors)
    assert not Listing.objects.exists()
    assert not AuditEntry.objects.filter(action="catalog.listing_create").exists()


def test_listing_create_speaks_english_when_english_is_active(admin_units):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        listing(price_vnd="abc")
    assert "whole" in " ".join(_messages(caught.value)["price_vnd"]).lower()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("45000", 45000), ("45.000", 45000), ("1 250 000", 1250000), (45000, 45000)],
)
def test_parse_price_reads_vietnamese_thousands(text, expected):
    assert services.parse_price_vnd(text) == expected


@pytest.mark.parametrize("text", ["45,5", "", "0", "-1", "1e6", True, "2000000000", 4.5])
def test_parse_price_refuses_anything_but_whole_dong(text):
    with pytest.raises(ValidationError):
        services.parse_price_vnd(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,5", Decimal("1.5")), ("1.5", Decimal("1.5")), ("1.000,5", Decimal("1000.5")), (3, 3)],
)
def test_parse_quantity_reads_the_vietnamese_decimal_comma(text, expected):
    assert services.parse_quantity(text) == expected


def test_parse_quantity_refuses_an_ambiguous_thousands_dot():
    with pytest.raises(ValidationError, match="Không rõ 1.000"):
        services.parse_quantity("1.000")


@pytest.mark.parametrize("text", ["NaN", "Infinity", "1,2345", "abc", "99999999"])
def test_parse_quantity_refuses_hostile_numbers(text):
    with pytest.raises(ValidationError):
        services.parse_quantity(text)


def test_listing_refuses_control_characters_in_the_title(admin_units):
    with pytest.raises(ValidationError) as caught:
        listing(title="Vải\x00thiều")
    assert "title" in _messages(caught.value)


def test_listing_title_defaults_to_the_produce_type_name(admin_units):
    row = listing(produce_type=produce_type(name_vi="Bưởi da xanh"), title="")
    assert row.title == "Bưởi da xanh"


def test_listing_refuses_an_inactive_or_unknown_produce_type(admin_units):
    with pytest.raises(ValidationError) as caught:
        listing(produce_type=produce_type(is_active=False))
    assert "produce_type" in _messages(caught.value)
    with pytest.raises(ValidationError):
        listing(produce_type="khong-co")


def test_price_tiers_must_lower_the_price_as_quantity_grows(admin_units):
    row = listing(
        price_vnd=45000,
        price_tiers=[
            {"min_quantity": "100", "price_vnd": 38000},
            {"min_quantity": "50", "price_vnd": 40000},
        ],
    )
    assert [(t.min_quantity, t.price_vnd) for t in row.price_tiers.all()] == [
        (Decimal("50"), 40000),
        (Decimal("100"), 38000),
    ]
    with pytest.raises(ValidationError) as caught:
        listing(price_vnd=45000, price_tiers=[{"min_quantity": 50, "price_vnd": 46000}])
    assert "price_tiers" in _messages(caught.value)
    with pytest.raises(ValidationError):
        listing(
            price_vnd=45000,
            price_tiers=[
                {"min_quantity": 50, "price_vnd": 38000},
                {"min_quantity": 100, "price_vnd": 40000},
            ],
        )
    with pytest.raises(ValidationError):
        listing(price_tiers="50:40000")


def test_minimum_order_may_not_exceed_the_stock(admin_units):
    with pytest.raises(ValidationError) as caught:
        listing(stock_quantity=10, minimum_order_quantity=20)
    assert "minimum_order_quantity" in _messages(caught.value)


def test_the_growing_area_code_must_be_one_of_the_sellers(admin_units):
    seller = selling_household()
    producer_services.growing_area_code_add(
        added_by=staff_user(), household=seller, code="VN-BG-LN-001"
    )
    row = listing(seller, growing_area_code="vn-bg-ln-001")
    assert row.growing_area_code == "VN-BG-LN-001"
    with pytest.raises(ValidationError) as caught:
        listing(seller, growing_area_code="VN-XX-999")
    assert "growing_area_code" in _messages(caught.value)


def test_a_stranger_may_not_list_for_a_household(admin_units):
    with pytest.raises(PermissionDenied):
        listing(by=make_user())


def test_the_households_own_account_lists_for_itself(admin_units):
    owner = make_user()
    seller = selling_household(user=owner)
    row = listing(seller, by=owner)
    entry = AuditEntry.objects.get(action="catalog.listing_create", target_id=str(row.pk))
    assert entry.actor_id == owner.pk
    assert entry.on_behalf_of_label == ""


def test_an_assigned_assistant_lists_on_behalf_of_the_household(admin_units):
    commune = current_commune()
    seller = selling_household(commune)
    assistant = make_user()
    grant(assistant, Role.ASSISTANT, commune, assistant_kind="trainer")
    with pytest.raises(PermissionDenied):
        listing(seller, by=assistant)
    assistance_assign_household(assigned_by=staff_user(), assistant=assistant, household=seller)
    row = listing(seller, by=assistant)
    entry = AuditEntry.objects.get(action="catalog.listing_create", target_id=str(row.pk))
    assert entry.actor_id == assistant.pk
    assert entry.on_behalf_of_label == str(seller)


def test_an_officer_of_another_area_may_not_list_for_a_household(admin_units):
    officer = make_user()
    grant(officer, Role.COMMUNE_OFFICER, current_commune("79"))
    with pytest.raises(PermissionDenied):
        listing(selling_household(current_commune("01")), by=officer)


def test_a_cooperative_sells_for_a_member_that_allows_it(admin_units):
    commune = current_commune()
    coop = cooperative(commune)
    member = selling_household(commune)
    with pytest.raises(ValidationError, match="thành viên"):
        listing(coop, grower=member)
    producer_services.cooperative_member_add(
        added_by=staff_user(), cooperative=coop, household=member, sells_on_behalf=True
    )
    row = listing(coop, grower=member)
    assert row.cooperative_id == coop.pk
    assert row.grower_id == member.pk


def test_listing_update_rechecks_and_marks_sold_out_at_zero_stock(admin_units):
    row = listing(publish=True)
    user = staff_user()
    row = services.listing_update(updated_by=user, listing=row, changes={"stock_quantity": "0"})
    assert row.status == ListingStatus.SOLD_OUT
    row = services.listing_update(updated_by=user, listing=row, changes={"stock_quantity": 5})
    assert row.status == ListingStatus.ACTIVE
    with pytest.raises(ValidationError):
        services.listing_update(updated_by=user, listing=row, changes={"price_vnd": "0"})
    row.refresh_from_db()
    assert row.price_vnd == 45000
    entry = AuditEntry.objects.filter(action="catalog.listing_update").first()
    assert entry is not None
    assert entry.changes["stock_quantity"] == ["0.000", "5"] or "stock_quantity" in entry.changes


def test_listing_update_refuses_unknown_fields(admin_units):
    with pytest.raises(ValueError, match="status"):
        services.listing_update(
            updated_by=staff_user(), listing=listing(), changes={"status": "active"}
        )


def test_listing_publish_and_pause(admin_units):
    user = staff_user()
    row = listing()
    row = services.listing_publish(published_by=user, listing=row)
    assert row.status == ListingStatus.ACTIVE
    assert row.published_at is not None
    row = services.listing_pause(paused_by=user, listing=row)
    assert row.status == ListingStatus.PAUSED
    with pytest.raises(ValidationError):
        services.listing_pause(paused_by=user, listing=row)


def test_a_listing_on_sale_moves_its_household_to_first_listing_on_this_platform(admin_units):
    from nongsan.onboarding.models import ChannelStage, Stage, StageSource
    from nongsan.onboarding.services import this_platform
    from nongsan.onboarding.tests.factories import default_channels_ensure

    default_channels_ensure()
    row = listing()
    platform = this_platform()
    # Registering the household recorded "registered" on this platform; a draft moves nothing.
    before = ChannelStage.objects.get(household=row.household, channel=platform)
    assert before.stage == Stage.REGISTERED
    services.listing_publish(published_by=staff_user(), listing=row)
    stage = ChannelStage.objects.get(household=row.household, channel=platform)
    assert (stage.stage, stage.source) == (Stage.FIRST_LISTING, StageSource.DERIVED)
    # A second listing, or publishing again, never moves the stage back or twice.
    services.listing_publish(published_by=staff_user(), listing=listing(row.household))
    assert ChannelStage.objects.filter(household=row.household, channel=platform).count() == 1


def test_listing_publish_refuses_a_finished_season(admin_units):
    row = services.listing_pause(paused_by=staff_user(), listing=listing(publish=True))
    later = timezone.now() + datetime.timedelta(days=60)
    with pytest.raises(ValidationError, match="Mùa bán đã qua"):
        services.listing_publish(published_by=staff_user(), listing=row, now=later)


def test_listings_expire_after_their_window_and_drafts_stay(admin_units):
    active = listing(publish=True)
    draft = listing()
    later = timezone.now() + datetime.timedelta(days=40)
    assert services.listings_expire(now=later) == 1
    active.refresh_from_db()
    draft.refresh_from_db()
    assert active.status == ListingStatus.EXPIRED
    assert draft.status == ListingStatus.DRAFT
    assert services.listings_expire(now=later) == 0
    assert AuditEntry.objects.filter(action="catalog.listing_expire").count() == 1


def test_the_expiry_task_runs_the_service(admin_units):
    from nongsan.catalog.tasks import listings_expire_task

    row = listing(publish=True)
    Listing.objects.filter(pk=row.pk).update(
        available_from=timezone.localdate() - datetime.timedelta(days=20),
        available_until=timezone.localdate() - datetime.timedelta(days=1),
    )
    listings_expire_task.enqueue()
    row.refresh_from_db()
    assert row.status == ListingStatus.EXPIRED


def test_lot_create_gives_a_readable_unique_code(admin_units):
    first, second = lot(), lot()
    assert first.code != second.code
    assert len(first.code) == 10
    assert not set(first.code[1:]) & set("01ILO")
    assert first.province_id == first.listing.province_id


def test_lot_create_refuses_bad_input(admin_units):
    row = listing()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        lot(row, harvested_on=tomorrow, quantity="0", code="lô số 1!")
    assert {"harvested_on", "quantity", "code"} <= set(caught.value.message_dict)
    lot(row, code="VN-LOT-1")
    with pytest.raises(ValidationError, match="đã được dùng"):
        lot(row, code="vn-lot-1")
    assert Lot.objects.count() == 1


def test_the_expire_command_reports_how_many_expired(admin_units, capsys):
    from django.core.management import call_command

    row = listing(publish=True)
    Listing.objects.filter(pk=row.pk).update(
        available_from=timezone.localdate() - datetime.timedelta(days=20),
        available_until=timezone.localdate() - datetime.timedelta(days=1),
    )
    call_command("expire_listings")
    assert "listings expired: 1" in capsys.readouterr().out

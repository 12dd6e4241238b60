"""Matching through the database: the prefilter, listings and supply offers as candidates,
the reverse direction, notices to sellers and to traders."""

from __future__ import annotations

import pytest

from nongsan.catalog.tests.factories import listing, lychee, pineapple, selling_household
from nongsan.messaging.models import OutboundMessage
from nongsan.producers.tests.factories import current_commune, province_of
from nongsan.trade.matching import request_matches, supply_request_matches
from nongsan.trade.models import CandidateKind, DemandSlot, SupplyCandidate
from nongsan.trade.tests.factories import buy_request, harvest, supply_offer, today

pytestmark = pytest.mark.django_db


def _kinds(found):
    return [(item.kind, item.source_id) for item in found.matches]


def test_a_request_finds_harvests_offers_and_kg_listings_of_its_types_in_its_provinces(
    admin_units, django_capture_on_commit_callbacks
):
    hanoi = current_commune("01")
    with django_capture_on_commit_callbacks(execute=True):
        near = harvest(hanoi)
        offer = supply_offer(selling_household(hanoi))
        on_sale = listing(selling_household(hanoi), kind=lychee(), publish=True, stock_quantity=500)
        by_count = listing(selling_household(hanoi), kind=pineapple(), publish=True, unit="qua")
        elsewhere = harvest(current_commune("79"))
        other_type = harvest(hanoi, produce_type=pineapple())
        too_late = harvest(hanoi, starts_in_days=60)
    request = buy_request(commune=hanoi)
    found = request_matches(request, today=today())
    kinds = set(_kinds(found))
    assert (CandidateKind.HARVEST, near.pk) in kinds
    assert (CandidateKind.SUPPLY_OFFER, offer.pk) in kinds
    assert (CandidateKind.LISTING, on_sale.pk) in kinds
    for absent in (elsewhere, other_type, too_late):
        assert (CandidateKind.HARVEST, absent.pk) not in kinds
    assert not SupplyCandidate.objects.filter(kind="listing", source_id=by_count.pk).exists()
    best = found.matches[0]
    assert best.kind == CandidateKind.HARVEST
    assert best.source_id == near.pk
    assert "đủ 100% số lượng" in best.reasons_vi
    assert "covers 100% of the quantity" in best.reasons_en
    assert "thu hoạch trùng 14/14 ngày" in best.reasons_vi


def test_a_synonym_names_the_produce_of_a_request(admin_units):
    pineapple()
    request = buy_request(produce_types=["khom"])
    assert [row.produce_type.slug for row in request.buyrequestproduce_set.all()] == ["dua"]


def test_a_nationwide_request_ranks_the_nearer_harvest_first(
    admin_units, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        far = harvest(current_commune("79"))
        near = harvest(current_commune("24"))
    request = buy_request(commune=current_commune("01"), is_nationwide=True, targets=[])
    found = request_matches(request, today=today())
    assert [item.source_id for item in found.matches] == [near.pk, far.pk]
    assert any(reason.startswith("cách ") for reason in found.matches[0].reasons_vi)


def test_small_harvests_are_bundled_to_fill_a_request(
    admin_units, django_capture_on_commit_callbacks
):
    hanoi = current_commune("01")
    with django_capture_on_commit_callbacks(execute=True):
        small = [harvest(hanoi, tonnes="4") for _ in range(4)]
    request = buy_request(commune=hanoi, quantity_min_tonnes="10", quantity_max_tonnes="20")
    found = request_matches(request, today=today())
    assert found.bundle is not None
    assert found.bundle.sellers == 3
    assert found.bundle.total_kg == 12_000
    assert {item.source_id for item in found.bundle.members} <= {row.pk for row in small}


def test_a_listing_sold_out_since_is_not_shown(admin_units, django_capture_on_commit_callbacks):
    from nongsan.catalog.models import Listing

    with django_capture_on_commit_callbacks(execute=True):
        row = listing(selling_household(current_commune("01")), kind=lychee(), publish=True)
    Listing.objects.filter(pk=row.pk).update(stock_quantity=0, status="sold_out")  # as orders do
    found = request_matches(buy_request(), today=today())
    assert (CandidateKind.LISTING, row.pk) not in set(_kinds(found))


def test_closing_a_request_removes_its_demand(admin_units):
    from nongsan.trade.services import buy_request_close

    request = buy_request()
    assert DemandSlot.objects.filter(buy_request=request).count() == 1
    buy_request_close(buyer=request.buyer, buy_request=request)
    assert not DemandSlot.objects.filter(buy_request=request).exists()


def test_a_harvest_finds_the_requests_that_suit_it(admin_units, django_capture_on_commit_callbacks):
    hanoi = current_commune("01")
    suits = buy_request(commune=hanoi)
    nationwide = buy_request(commune=current_commune("79"), is_nationwide=True, targets=[])
    other_province = buy_request(commune=current_commune("79"))
    with django_capture_on_commit_callbacks(execute=True):
        announced = harvest(hanoi)
    candidate = SupplyCandidate.objects.get(kind="harvest", source_id=announced.pk)
    matches = supply_request_matches(candidate)
    assert [match.buy_request_id for match in matches] == [suits.pk, nationwide.pk]
    assert other_province.pk not in [match.buy_request_id for match in matches]
    assert "cùng tỉnh" in matches[0].scored.reasons_vi


def test_sellers_are_told_of_a_matching_request_and_traders_of_a_matching_harvest(
    admin_units, django_capture_on_commit_callbacks
):
    hanoi = current_commune("01")
    with django_capture_on_commit_callbacks(execute=True):
        announced = harvest(hanoi)
    with django_capture_on_commit_callbacks(execute=True):
        request = buy_request(commune=hanoi)
    seller_notices = OutboundMessage.objects.filter(purpose="trade_request_match")
    assert list(seller_notices.values_list("recipient", flat=True)) == [announced.household.phone]
    with django_capture_on_commit_callbacks(execute=True):
        harvest(hanoi, tonnes="3")
    trader_notices = OutboundMessage.objects.filter(purpose="trade_harvest_match")
    assert list(trader_notices.values_list("recipient", flat=True)) == [request.buyer.phone]
    assert province_of(hanoi).name in trader_notices.get().body


def test_a_request_targets_only_its_provinces(admin_units, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        harvest(current_commune("24"))
    request = buy_request(commune=current_commune("01"))
    assert request_matches(request, today=today()).matches == []


def test_a_household_that_withdraws_marketplace_consent_leaves_every_traders_matches(
    admin_units, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from nongsan.producers.models import ConsentPurpose, Purpose

    hanoi = current_commune("01")
    seller = selling_household(hanoi)
    with django_capture_on_commit_callbacks(execute=True):
        announced = harvest(hanoi, seller=seller)
        offered = supply_offer(seller)
    request = buy_request(commune=hanoi)
    assert {(CandidateKind.HARVEST, announced.pk), (CandidateKind.SUPPLY_OFFER, offered.pk)} <= set(
        _kinds(request_matches(request, today=today()))
    )
    ConsentPurpose.objects.filter(household=seller, purpose=Purpose.MARKETPLACE).update(
        withdrawn_at=timezone.now()
    )
    assert all(item.row[2] != seller.pk for item in request_matches(request, today=today()).matches)

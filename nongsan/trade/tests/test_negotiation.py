"""Offers, counters, expiry, deals, the contact reveal and a deal becoming an order."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from nongsan.audit.models import AuditEntry
from nongsan.catalog.models import Listing
from nongsan.catalog.tests.factories import selling_household
from nongsan.orders.models import OrderStatus
from nongsan.producers.tests.factories import current_commune, make_user
from nongsan.trade import services
from nongsan.trade.models import Offer, OfferStatus, Side, SupplyOffer, SupplyOfferStatus
from nongsan.trade.selectors import offer_list
from nongsan.trade.tests.factories import buy_request, harvest, offer_on, supply_offer, trader

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller_user():
    return make_user()


@pytest.fixture
def grower(admin_units, seller_user):
    return selling_household(current_commune("01"), user=seller_user)


def test_a_seller_accepts_an_offer_and_a_deal_sums_it_up(grower, seller_user):
    request = buy_request()
    offer = offer_on(request, harvest(seller=grower), quantity_tonnes="12", price_vnd_per_kg=31000)
    deal = services.offer_accept(user=seller_user, offer=offer)
    assert deal.quantity_tonnes == Decimal("12.000")
    assert deal.total_vnd == 12_000 * 31_000
    assert deal.seller_user == seller_user
    assert deal.delivery_mode == request.delivery_mode
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
    with pytest.raises(ValidationError, match="đã được trả lời"):
        services.offer_accept(user=seller_user, offer=offer)


def test_a_counter_goes_back_to_the_buyer_who_can_accept_it(grower, seller_user):
    request = buy_request()
    offer = offer_on(request, harvest(seller=grower), price_vnd_per_kg=28000)
    counter = services.offer_counter(
        user=seller_user, offer=offer, quantity_tonnes="10", price_vnd_per_kg="32.000"
    )
    assert counter.from_side == Side.SELLER
    assert counter.previous == offer
    assert counter.price_vnd_per_kg == 32000
    offer.refresh_from_db()
    assert offer.status == OfferStatus.COUNTERED
    # The seller cannot accept their own counter; the buyer can.
    with pytest.raises(PermissionDenied):
        services.offer_accept(user=seller_user, offer=counter)
    deal = services.offer_accept(user=request.buyer, offer=counter)
    assert deal.price_vnd_per_kg == 32000
    assert deal.seller_user == seller_user


def test_a_rejected_offer_cannot_be_accepted_and_strangers_cannot_answer(grower, seller_user):
    offer = offer_on(buy_request(), harvest(seller=grower))
    with pytest.raises(PermissionDenied):
        services.offer_reject(user=make_user(), offer=offer)
    services.offer_reject(user=seller_user, offer=offer)
    with pytest.raises(ValidationError):
        services.offer_accept(user=seller_user, offer=offer)


def test_an_offer_expires_at_read_time_and_by_the_task(grower, seller_user):
    now = timezone.now()
    offer = offer_on(buy_request(), harvest(seller=grower))
    later = offer.expires_at + datetime.timedelta(minutes=1)
    assert offer.status_at(now) == OfferStatus.PENDING
    assert offer.status_at(later) == OfferStatus.EXPIRED
    with pytest.raises(ValidationError, match="hết hạn"):
        services.offer_accept(user=seller_user, offer=offer, now=later)
    assert services.offers_expire(now=now) == 0
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.PENDING
    assert services.offers_expire(now=later) == 1
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.EXPIRED


def test_contacts_show_only_when_both_sides_agree_and_every_reveal_is_audited(grower, seller_user):
    request = buy_request()
    deal = services.offer_accept(user=seller_user, offer=offer_on(request, harvest(seller=grower)))
    with pytest.raises(PermissionDenied):
        services.deal_contact_reveal(user=request.buyer, deal=deal)
    services.deal_contact_share(user=request.buyer, deal=deal)
    with pytest.raises(PermissionDenied):
        services.deal_contact_reveal(user=seller_user, deal=deal)
    assert not AuditEntry.objects.filter(is_reveal=True).exists()
    services.deal_contact_share(user=seller_user, deal=deal)
    seen_by_buyer = services.deal_contact_reveal(user=request.buyer, deal=deal)
    assert seen_by_buyer["phone"] == grower.phone
    seen_by_seller = services.deal_contact_reveal(user=seller_user, deal=deal)
    assert seen_by_seller["phone"] == request.buyer.phone
    reveals = AuditEntry.objects.filter(is_reveal=True, target_id=str(deal.pk))
    assert reveals.count() == 2
    with pytest.raises(PermissionDenied):
        services.deal_contact_reveal(user=make_user(), deal=deal)


def test_a_deal_becomes_a_marketplace_order_at_the_agreed_price(grower, seller_user):
    request = buy_request()
    offer = offer_on(request, harvest(seller=grower), quantity_tonnes="2", price_vnd_per_kg=30000)
    deal = services.offer_accept(user=seller_user, offer=offer)
    order = services.deal_order_place(
        buyer=request.buyer, deal=deal, delivery_address="Kho số 3", payment_method="cod"
    )
    assert order.status == OrderStatus.PLACED
    assert order.goods_vnd == 2_000 * 30_000
    assert order.household == grower
    item = order.items.get()
    assert item.quantity == Decimal("2000.000")
    assert Listing.objects.get(pk=item.listing_id).status == "sold_out"
    deal.refresh_from_db()
    assert deal.order == order
    with pytest.raises(ValidationError, match="đã thành đơn hàng"):
        services.deal_order_place(
            buyer=request.buyer, deal=deal, delivery_address="Kho số 3", payment_method="cod"
        )


def test_accepting_an_offer_on_a_supply_offer_marks_it_sold(grower, seller_user):
    supply = supply_offer(grower)
    deal = services.offer_accept(user=seller_user, offer=offer_on(buy_request(), supply))
    assert SupplyOffer.objects.get(pk=supply.pk).status == SupplyOfferStatus.SOLD
    assert deal.produce_type == supply.produce_type


def test_only_the_requests_buyer_makes_offers_and_bad_terms_are_refused(grower):
    request = buy_request()
    source = harvest(seller=grower)
    with pytest.raises(PermissionDenied):
        services.offer_make(
            buyer=trader(),
            buy_request=request,
            candidate_kind="harvest",
            candidate_source_id=source.pk,
            quantity_tonnes="1",
            price_vnd_per_kg=1000,
        )
    with pytest.raises(ValidationError) as refused:
        offer_on(request, source, quantity_tonnes="-3", price_vnd_per_kg="abc")
    assert set(refused.value.message_dict) == {"quantity_tonnes", "price_vnd_per_kg"}
    assert not Offer.objects.exists()


def test_the_seller_and_the_buyer_see_the_offer_others_do_not(grower, seller_user):
    request = buy_request()
    offer = offer_on(request, harvest(seller=grower))
    assert list(offer_list(seller_user)) == [offer]
    assert list(offer_list(request.buyer)) == [offer]
    assert list(offer_list(trader())) == []


def test_an_offer_on_a_request_the_buyer_closed_can_no_longer_be_accepted(grower, seller_user):
    from nongsan.trade.models import Deal

    request = buy_request()
    offer = offer_on(request, harvest(seller=grower))
    services.buy_request_close(buyer=request.buyer, buy_request=request)
    with pytest.raises(ValidationError, match="đã đóng"):
        services.offer_accept(user=seller_user, offer=offer)
    assert not Deal.objects.exists()

"""Deliveries move households along this platform's onboarding funnel; silence lapses them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from nongsan.onboarding.models import ChannelStage, Stage, StageEvent, StageSource
from nongsan.onboarding.services import this_platform
from nongsan.onboarding.tests.factories import default_channels_ensure
from nongsan.orders.funnel import active_sellers_refresh
from nongsan.orders.models import OrderStatus
from nongsan.orders.services import order_transition
from nongsan.orders.tests.factories import placed_order
from nongsan.producers.tests.factories import staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def default_channels(db: None) -> None:
    default_channels_ensure()


S = OrderStatus
STEPS = [S.CONFIRMED, S.PACKED, S.HANDED_TO_CARRIER, S.IN_TRANSIT, S.DELIVERED]


def _deliver(order, now=None):
    for status in STEPS:
        order_transition(order=order, to_status=status, by=staff_user(), now=now)


def _stage(household):
    return ChannelStage.objects.get(household=household, channel=this_platform())


def test_a_delivered_order_makes_its_seller_an_active_seller(admin_units):
    order = placed_order()
    household = order.household
    order_transition(order=order, to_status=S.CONFIRMED, by=staff_user())
    assert _stage(household).stage == Stage.FIRST_LISTING  # from the listing, not the order
    for status in STEPS[1:]:
        order_transition(order=order, to_status=status, by=staff_user())
    stage = _stage(household)
    assert (stage.stage, stage.source) == (Stage.ACTIVE_SELLER, StageSource.DERIVED)


def test_an_active_seller_without_a_delivery_for_90_days_lapses_with_a_reason(admin_units):
    long_ago = timezone.now() - datetime.timedelta(days=120)
    quiet = placed_order()
    _deliver(quiet, now=long_ago)
    assert _stage(quiet.household).stage == Stage.ACTIVE_SELLER  # as of that day
    busy = placed_order()
    _deliver(busy)
    assert active_sellers_refresh() == 1
    assert _stage(quiet.household).stage == Stage.FIRST_SALE
    lapse = StageEvent.objects.filter(household=quiet.household).latest("pk")
    assert lapse.reason  # a backward move always says why
    assert _stage(busy.household).stage == Stage.ACTIVE_SELLER  # still selling
    assert active_sellers_refresh() == 0  # nothing lapses twice
    later = timezone.localdate() + datetime.timedelta(days=91)
    assert active_sellers_refresh(today=later) == 1
    assert _stage(busy.household).stage == Stage.FIRST_SALE

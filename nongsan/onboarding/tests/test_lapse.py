"""The daily lapse of active sellers (orders.funnel.active_sellers_refresh) survives households
that left the funnel or fail, and lapses every other one (issue 4)."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from nongsan.onboarding.models import ChannelStage, Stage
from nongsan.onboarding.services import this_platform
from nongsan.orders import funnel
from nongsan.orders.models import OrderStatus
from nongsan.orders.services import order_transition
from nongsan.orders.tests.factories import placed_order
from nongsan.producers.models import HouseholdStatus
from nongsan.producers.tests.factories import staff_user

pytestmark = pytest.mark.django_db
STEPS = [
    OrderStatus.CONFIRMED,
    OrderStatus.PACKED,
    OrderStatus.HANDED_TO_CARRIER,
    OrderStatus.IN_TRANSIT,
    OrderStatus.DELIVERED,
]


def _lapsing_seller():
    order = placed_order()
    long_ago = timezone.now() - datetime.timedelta(days=120)
    for status in STEPS:
        order_transition(order=order, to_status=status, by=staff_user(), now=long_ago)
    return order.household


def _stage(household):
    return ChannelStage.objects.get(household=household, channel=this_platform()).stage


def test_an_erased_active_seller_does_not_stop_the_others_from_lapsing(admin_units):
    erased, kept = _lapsing_seller(), _lapsing_seller()
    erased.status = HouseholdStatus.ERASED
    erased.save(update_fields=["status"])
    assert min(erased.pk, kept.pk) == erased.pk  # the erased one comes first
    assert funnel.active_sellers_refresh() == 1
    assert _stage(kept) == Stage.FIRST_SALE
    assert _stage(erased) == Stage.ACTIVE_SELLER  # left the funnel as it was


def test_one_failing_household_is_logged_and_the_rest_still_lapse(admin_units, caplog):
    broken, kept = _lapsing_seller(), _lapsing_seller()
    real = funnel.platform_stage_derive

    def derive(*, household, **activity):
        if household.pk == broken.pk:
            raise RuntimeError("bad row")
        return real(household=household, **activity)

    with mock.patch.object(funnel, "platform_stage_derive", derive):
        assert funnel.active_sellers_refresh() == 1
    assert _stage(kept) == Stage.FIRST_SALE
    assert _stage(broken) == Stage.ACTIVE_SELLER
    assert f"household {broken.pk}" in caplog.text

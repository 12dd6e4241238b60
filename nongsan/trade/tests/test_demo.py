"""Demo trade for seed_demo: requests for announced harvests, offers, a counter, a deal; once."""

from __future__ import annotations

import random

import pytest

from nongsan.accounts.demo import DEMO_ADMIN_PHONE
from nongsan.catalog.produce_types import produce_types_load
from nongsan.harvests.demo import seed_calendar, seed_harvests
from nongsan.producers.demo import seed_households
from nongsan.producers.tests.factories import make_user
from nongsan.trade.demo import seed_trade
from nongsan.trade.models import BuyRequest, Deal, Offer

pytestmark = pytest.mark.django_db


def test_demo_trade_has_requests_offers_a_counter_and_a_deal_and_is_seeded_once(admin_units):
    produce_types_load()
    make_user(phone=DEMO_ADMIN_PHONE, is_superuser=True, is_staff=True)
    seed_households(random.Random(3), 60)
    seed_calendar()
    seed_harvests(random.Random(3))
    made = seed_trade(random.Random(3))
    assert made >= 3
    assert BuyRequest.objects.count() == made
    assert Deal.objects.count() == 1
    assert Offer.objects.filter(status="countered").count() == 1
    assert Offer.objects.filter(from_side="seller", status="pending").count() == 1
    assert seed_trade(random.Random(3)) == 0

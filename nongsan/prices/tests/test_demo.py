"""Demo prices for seed_demo: reference reports and a month of daily statistics, once."""

from __future__ import annotations

import random

import pytest

from nongsan.catalog.produce_types import produce_types_load
from nongsan.prices.demo import DAYS, seed_prices, seed_reference_prices
from nongsan.prices.models import DailyPriceStatistic

pytestmark = pytest.mark.django_db


def test_demo_prices_give_a_month_of_statistics_and_are_seeded_once(admin_units):
    produce_types_load()
    assert seed_reference_prices().created > 40
    created = seed_prices(random.Random(2))
    assert created > 0
    assert seed_prices(random.Random(2)) == 0
    lychee_days = DailyPriceStatistic.objects.filter(
        produce_type__slug="vai-thieu", province__code="24", kind="farm_gate"
    ).count()
    assert lychee_days >= DAYS

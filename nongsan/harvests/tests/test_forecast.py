"""The weekly supply forecast: announcements spread evenly over their days, coverage by
listings, snapshots and the error of a past forecast — grouped queries, fixed query count."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from nongsan.catalog.tests.factories import listing, lychee, selling_household
from nongsan.harvests.models import ForecastSnapshot, WeeklySupply
from nongsan.harvests.rollup import weekly_supply_rebuild
from nongsan.harvests.selectors import forecast_error, supply_forecast
from nongsan.harvests.services import (
    announcement_transition,
    forecast_snapshot_take,
    forecast_snapshot_weekly,
)
from nongsan.harvests.tests.factories import announcement
from nongsan.producers.tests.factories import household, staff_user

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 6, 1)  # ISO week 2026-W23


def _by_week(rows):
    return {row.week_start: row for row in rows}


def test_tonnes_are_spread_evenly_over_the_days_of_the_window(admin_units):
    # 14 tonnes over 14 days from Thursday: 4 days in the first week, 7 in the next, 3 after.
    announcement(
        harvest_from=MONDAY + datetime.timedelta(days=3),
        harvest_until=MONDAY + datetime.timedelta(days=16),
        tonnes="14",
    )
    weeks = _by_week(supply_forecast(today=MONDAY, weeks=4))
    assert weeks[MONDAY].expected_tonnes == Decimal("4.000")
    assert weeks[MONDAY + datetime.timedelta(weeks=1)].expected_tonnes == Decimal("7.000")
    assert weeks[MONDAY + datetime.timedelta(weeks=2)].expected_tonnes == Decimal("3.000")
    assert weeks[MONDAY + datetime.timedelta(weeks=3)].expected_tonnes == Decimal("0.000")


def test_lost_harvests_add_nothing_and_households_are_counted_once(admin_units):
    row = household()
    last = MONDAY + datetime.timedelta(days=6)
    announcement(row, tonnes="2", harvest_from=MONDAY, harvest_until=last)
    announcement(row, tonnes="3", harvest_from=MONDAY, harvest_until=last)
    lost = announcement(tonnes="100", harvest_from=MONDAY, harvest_until=last)
    announcement_transition(
        user=staff_user(), announcement=lost, status="lost", loss_reason="weather"
    )
    week = _by_week(supply_forecast(today=MONDAY, weeks=1))[MONDAY]
    assert week.expected_tonnes == Decimal("5.000")
    assert week.households == 1


def test_active_listings_in_kilograms_count_as_covered(admin_units):
    seller = selling_household()
    announcement(seller, harvest_from=MONDAY, harvest_until=MONDAY + datetime.timedelta(days=6))
    listing(
        seller,
        kind=lychee(),
        unit="kg",
        stock_quantity=2500,
        publish=True,
        now=datetime.datetime(2026, 5, 30, 3, tzinfo=datetime.UTC),
        available_from=MONDAY,
        available_until=MONDAY + datetime.timedelta(days=3),
    )
    weeks = _by_week(supply_forecast(today=MONDAY, weeks=2))
    assert weeks[MONDAY].listed_tonnes == Decimal("2.500")
    assert weeks[MONDAY + datetime.timedelta(weeks=1)].listed_tonnes == Decimal("0.000")


def test_the_forecast_costs_the_same_queries_for_many_announcements(
    admin_units, django_assert_max_num_queries
):
    for offset in range(30):
        announcement(
            harvest_from=MONDAY + datetime.timedelta(days=offset),
            harvest_until=MONDAY + datetime.timedelta(days=offset + 10),
        )
    # Supply (the roll-up), listings, open orders, traders' buy requests: four, whatever the
    # announcements.
    with django_assert_max_num_queries(4):
        rows = supply_forecast(today=MONDAY, weeks=12)
    assert len(rows) == 12


def test_a_snapshot_is_kept_and_compared_with_what_was_listed(admin_units):
    seller = selling_household()
    announcement(
        seller, harvest_from=MONDAY, harvest_until=MONDAY + datetime.timedelta(days=6), tonnes="4"
    )
    computed = datetime.datetime(2026, 5, 20, 1, tzinfo=datetime.UTC)
    assert forecast_snapshot_take(today=datetime.date(2026, 5, 20), now=computed) >= 1
    assert ForecastSnapshot.objects.filter(week_start=MONDAY, iso_week=23).exists()
    listing(
        seller,
        kind=lychee(),
        unit="kg",
        stock_quantity=3000,
        publish=True,
        now=datetime.datetime(2026, 5, 30, 3, tzinfo=datetime.UTC),
        available_from=MONDAY,
        available_until=MONDAY + datetime.timedelta(days=6),
    )
    error = forecast_error(produce_type=lychee(), province=seller.province, week_start=MONDAY)
    assert error is not None
    assert error.expected_tonnes == Decimal("4.000")
    assert error.listed_tonnes == Decimal("3.000")
    assert error.error_tonnes == Decimal("-1.000")
    assert error.relative_error == Decimal("-0.250")


def test_the_daily_task_keeps_one_snapshot_a_week_in_vietnam_time(admin_units):
    announcement(harvest_from=MONDAY, harvest_until=MONDAY, tonnes="4")
    wednesday = datetime.datetime(2026, 5, 20, 1, tzinfo=datetime.UTC)
    assert forecast_snapshot_weekly(now=wednesday) >= 1
    rows = ForecastSnapshot.objects.count()
    assert forecast_snapshot_weekly(now=wednesday + datetime.timedelta(days=1)) == 0
    # Sunday 23:30 in Vietnam is still the same week; Monday 00:30 there is the next one.
    sunday_night = datetime.datetime(2026, 5, 24, 16, 30, tzinfo=datetime.UTC)
    assert forecast_snapshot_weekly(now=sunday_night) == 0
    monday_morning = datetime.datetime(2026, 5, 24, 17, 30, tzinfo=datetime.UTC)
    assert forecast_snapshot_weekly(now=monday_morning) >= 1
    assert ForecastSnapshot.objects.count() > rows


def test_no_snapshot_before_the_week_means_no_error_to_report(admin_units):
    row = household()
    assert forecast_error(produce_type=lychee(), province=row.province, week_start=MONDAY) is None


def test_the_rollup_gives_what_the_announcements_give_through_every_change(admin_units):
    rows = [
        announcement(harvest_from=MONDAY + datetime.timedelta(days=offset),
                     harvest_until=MONDAY + datetime.timedelta(days=offset * 3 + 4),
                     tonnes=str(offset + 1))
        for offset in range(6)
    ]  # fmt: skip
    user = staff_user()
    announcement_transition(
        user=user, announcement=rows[0], status="revised",
        harvest_from=MONDAY + datetime.timedelta(weeks=5),
        harvest_until=MONDAY + datetime.timedelta(weeks=6),
    )  # fmt: skip
    announcement_transition(user=user, announcement=rows[1], status="lost", loss_reason="weather")
    announcement_transition(user=user, announcement=rows[2], status="harvested")

    def both() -> tuple[list, list]:
        return (
            supply_forecast(today=MONDAY, weeks=12),
            supply_forecast(today=MONDAY, weeks=12, use_rollup=False),
        )

    rolled, raw = both()
    assert rolled == raw
    assert sum(row.expected_tonnes for row in rolled) == Decimal(4 + 5 + 6 + 1)
    WeeklySupply.objects.all().delete()
    assert supply_forecast(today=MONDAY, weeks=12) == []
    assert weekly_supply_rebuild() > 0
    rolled, raw = both()
    assert rolled == raw

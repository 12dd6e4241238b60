"""Farm-gate prices derived from delivered orders: hand-checked figures, once per day."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from nongsan.catalog.tests.factories import lychee
from nongsan.common.periodic import DAILY, PERIODIC_TASKS
from nongsan.orders.models import Order, OrderEvent, OrderStatus
from nongsan.orders.tests.factories import buyer, on_sale, place
from nongsan.prices.from_orders import order_prices_recent_record, order_prices_record
from nongsan.prices.models import DailyPriceStatistic, PriceReport, ReportSource
from nongsan.prices.tests.factories import DAY
from nongsan.producers.personal_data import development_keys
from nongsan.producers.tests.factories import current_commune

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


@pytest.fixture(autouse=True)
def personal_data_keys(settings: Any) -> None:
    keys, index_key = development_keys("tests")
    settings.PERSONAL_DATA_KEYS = keys
    settings.PERSONAL_DATA_INDEX_KEY = index_key


def _delivered(listing: Any, quantity: str, at: datetime.datetime, status: str) -> Order:
    order = place(buyer(), (listing, quantity)).orders.get()
    Order.objects.filter(pk=order.pk).update(status=status)
    OrderEvent.objects.create(
        order=order,
        from_status=OrderStatus.IN_TRANSIT,
        to_status=OrderStatus.DELIVERED,
        actor_role="system",
        occurred_at=at,
        province_id=order.province_id,
        commune_id=order.commune_id,
    )
    return order


def test_the_days_delivered_kilograms_give_one_farm_gate_price_once(admin_units):
    produce = lychee()
    commune = current_commune("24")
    dear = on_sale(commune, produce_type=produce, price_vnd=45001, unit="kg")
    cheap = on_sale(commune, produce_type=produce, price_vnd=40000, unit="kg")
    by_piece = on_sale(commune, produce_type=produce, price_vnd=9000, unit="qua")
    # 00:30 on 15/06 in Vietnam is 17:30 on 14/06 in UTC: the 15th.
    _delivered(dear, "1", datetime.datetime(2026, 6, 14, 17, 30, tzinfo=UTC), "completed")
    _delivered(cheap, "1", datetime.datetime(2026, 6, 15, 9, 0, tzinfo=UTC), "delivered")
    # Skipped: sold by the piece; returned since; delivered on the 16th in Vietnam.
    _delivered(by_piece, "3", datetime.datetime(2026, 6, 15, 9, 0, tzinfo=UTC), "delivered")
    _delivered(cheap, "5", datetime.datetime(2026, 6, 15, 10, 0, tzinfo=UTC), "returned")
    _delivered(cheap, "7", datetime.datetime(2026, 6, 15, 17, 0, tzinfo=UTC), "delivered")

    assert order_prices_record(day=DAY) == {"created": 1, "updated": 0, "withdrawn": 0}
    report = PriceReport.objects.get(source=ReportSource.ORDERS, reported_on=DAY)
    # (45.001 + 40.000) đồng ÷ 2 kg = 42.500,5 → 42.501 (half up)
    assert (report.price_vnd, report.kind, report.province, report.reported_by) == (
        42501,
        "farm_gate",
        commune.province,
        None,
    )
    statistic = DailyPriceStatistic.objects.get(day=DAY)
    assert (statistic.modal_vnd, statistic.report_count) == (42501, 1)

    assert order_prices_record(day=DAY) == {"created": 0, "updated": 0, "withdrawn": 0}
    assert PriceReport.objects.filter(source=ReportSource.ORDERS).count() == 1


def test_a_figure_changes_when_an_order_of_the_day_is_returned_later(admin_units):
    produce = lychee()
    commune = current_commune("24")
    dear = on_sale(commune, produce_type=produce, price_vnd=45000, unit="kg")
    cheap = on_sale(commune, produce_type=produce, price_vnd=40000, unit="kg")
    noon = datetime.datetime(2026, 6, 15, 5, 0, tzinfo=UTC)
    _delivered(dear, "1", noon, "delivered")
    late = _delivered(cheap, "3", noon, "delivered")
    order_prices_record(day=DAY)
    # (45.000 + 3 × 40.000) ÷ 4 kg = 41.250
    assert PriceReport.objects.get(source=ReportSource.ORDERS).price_vnd == 41250
    Order.objects.filter(pk=late.pk).update(status=OrderStatus.RETURNED)
    assert order_prices_recent_record(today=DAY + datetime.timedelta(days=1)) == {
        "created": 0,
        "updated": 1,
        "withdrawn": 0,
    }
    assert PriceReport.objects.get(source=ReportSource.ORDERS).price_vnd == 45000
    assert DailyPriceStatistic.objects.get(day=DAY).modal_vnd == 45000


def test_the_daily_schedule_records_order_prices():
    assert "nongsan.prices.tasks.order_prices_record_task" in PERIODIC_TASKS[DAILY]

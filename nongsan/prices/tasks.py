"""Background work of the price board."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from nongsan.prices.from_orders import order_prices_recent_record


@task()
def order_prices_record_task() -> dict[str, int]:
    """Daily: the farm-gate prices of the last two days' delivered orders (idempotent)."""
    return order_prices_recent_record(today=timezone.localdate())

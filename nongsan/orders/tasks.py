"""Background work of the orders: expiring stock holds and chasing unconfirmed orders.

Run the first two every few minutes and the funnel refresh daily (the worker's scheduler or
cron enqueueing them)."""

from __future__ import annotations

from django_tasks import task

from nongsan.orders.funnel import active_sellers_refresh
from nongsan.orders.services import orders_escalate, reservations_expire


@task()
def reservations_expire_task() -> int:
    return reservations_expire()


@task()
def orders_escalate_task() -> dict[str, int]:
    return orders_escalate()


@task()
def active_sellers_refresh_task() -> int:
    """Daily: lapse active sellers with no delivery in 90 days on the onboarding funnel."""
    return active_sellers_refresh()

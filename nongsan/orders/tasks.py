"""Background work of the orders: expiring stock holds and chasing unconfirmed orders.

Run both every few minutes (the worker's scheduler or cron enqueueing them)."""

from __future__ import annotations

from django_tasks import task

from nongsan.orders.services import orders_escalate, reservations_expire


@task()
def reservations_expire_task() -> int:
    return reservations_expire()


@task()
def orders_escalate_task() -> dict[str, int]:
    return orders_escalate()

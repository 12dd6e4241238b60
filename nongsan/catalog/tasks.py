"""Background work of the catalog: the daily expiry of listings past their harvest window."""

from __future__ import annotations

from django_tasks import task

from nongsan.catalog.services import listings_expire


@task()
def listings_expire_task() -> int:
    """Run once a day (cron or the worker's scheduler): listings past their window expire."""
    return listings_expire()

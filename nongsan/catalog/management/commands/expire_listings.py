"""manage.py expire_listings: listings past their harvest window expire (run daily, e.g. cron,
or enqueue ``nongsan.catalog.tasks.listings_expire_task`` on the worker)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nongsan.catalog.services import listings_expire


class Command(BaseCommand):
    help = (
        "Chuyển các tin đăng đã quá thời gian bán sang trạng thái hết mùa. / Expire the "
        "listings whose harvest window has ended."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = listings_expire()
        self.stdout.write(f"Tin đăng hết mùa / listings expired: {count}")

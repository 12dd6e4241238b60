"""manage.py load_crop_calendar: load the shipped harvest calendar (safe to run again)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nongsan.harvests.loading import calendar_load


class Command(BaseCommand):
    help = (
        "Nạp lịch mùa vụ của dự án (nongsan/harvests/data) — chạy lại không sao; mục cán bộ đã"
        " sửa được giữ nguyên. / Load the project's harvest calendar; idempotent, officers'"
        " corrections are kept."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(self.style.SUCCESS(f"Lịch mùa vụ / crop calendar: {calendar_load()}"))

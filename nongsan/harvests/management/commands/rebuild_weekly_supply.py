"""manage.py rebuild_weekly_supply: rebuild the forecast's weekly roll-up from the
announcements (after a bulk load, or to check it)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nongsan.harvests.rollup import weekly_supply_rebuild


class Command(BaseCommand):
    help = (
        "Tính lại bảng sản lượng dự kiến theo tuần từ các báo thu hoạch."
        " / Rebuild the weekly supply roll-up from the announcements."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        rows = weekly_supply_rebuild()
        self.stdout.write(self.style.SUCCESS(f"Dòng / rows: {rows}"))

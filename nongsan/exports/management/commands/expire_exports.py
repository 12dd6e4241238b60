"""manage.py expire_exports: delete exported files past their keeping time (EXPORTS_KEEP)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nongsan.exports.services import exports_expire


class Command(BaseCommand):
    help = "Xoá các tệp đã xuất quá hạn tải. / Delete exported files past their keeping time."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Đã xoá {exports_expire()} tệp hết hạn.")

"""manage.py remind_reports: remind provinces of reports coming due and tell the ministry of
late ones (the same as reports_remind_task; run it daily from cron)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nongsan.reports.services import reports_remind


class Command(BaseCommand):
    help = (
        "Nhắc các tỉnh báo cáo sắp đến hạn và báo Bộ các tỉnh nộp muộn. / Remind provinces of"
        " reports coming due and tell the ministry which are late."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", help="Giờ chạy thử, ISO 8601 có múi giờ (2026-04-03T08:00+07:00)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = None
        if options["now"]:
            try:
                now = datetime.datetime.fromisoformat(options["now"])
            except ValueError as error:
                raise CommandError(
                    "--now phải viết theo ISO 8601, ví dụ 2026-04-03T08:00+07:00."
                ) from error
            if now.tzinfo is None:
                raise CommandError("--now cần có múi giờ, ví dụ +07:00.")
        counts = reports_remind(now=now)
        due_soon, overdue = counts["due_soon"], counts["overdue"]
        self.stdout.write(f"Đã nhắc {due_soon} tỉnh sắp đến hạn; báo Bộ {overdue} tỉnh quá hạn.")

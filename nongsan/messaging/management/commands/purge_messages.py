"""manage.py purge_messages --days N: delete messages older than N days (bodies hold codes)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from nongsan.messaging.management.arguments import positive_whole_number
from nongsan.messaging.services import messages_purge

DEFAULT_RETENTION_DAYS = 30


class Command(BaseCommand):
    help = (
        "Xoá tin nhắn cũ hơn N ngày (nội dung có mã xác nhận, không giữ lâu hơn cần thiết). / "
        "Delete messages older than N days; they hold one-time codes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        default = getattr(settings, "MESSAGING_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)
        parser.add_argument(
            "--days",
            type=positive_whole_number,
            default=default,
            help=f"số ngày giữ lại, ít nhất 1 / days to keep, at least 1 (default {default})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = messages_purge(older_than_days=options["days"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã xoá {deleted} tin nhắn cũ hơn {options['days']} ngày. / "
                f"Deleted {deleted} messages older than {options['days']} days."
            )
        )

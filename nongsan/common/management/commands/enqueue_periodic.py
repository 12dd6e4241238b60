"""``manage.py enqueue_periodic frequent|hourly|daily``: queue the platform's periodic tasks
of that frequency for the task worker (see nongsan/common/periodic.py for the table and the
cron lines)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.module_loading import import_string

from nongsan.common.periodic import PERIODIC_TASKS


class Command(BaseCommand):
    help = (
        "Queue the periodic background tasks of one frequency (frequent: every 5 minutes; "
        "hourly; daily) for the task worker (manage.py db_worker). Call it from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("frequency", choices=sorted(PERIODIC_TASKS))

    def handle(self, *args: Any, **options: Any) -> None:
        for path in PERIODIC_TASKS[options["frequency"]]:
            result = import_string(path).enqueue()
            self.stdout.write(f"{path}: {result.status}")

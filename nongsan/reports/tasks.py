"""Background work of the reports: the daily reminders (the worker's scheduler or cron
enqueues it once a day, in the morning Vietnam time)."""

from __future__ import annotations

from django_tasks import task

from nongsan.reports.services import reports_remind


@task()
def reports_remind_task() -> dict[str, int]:
    return reports_remind()

"""Background work of exports: building a requested file, and deleting expired ones (run the
second hourly from the worker's scheduler or cron)."""

from __future__ import annotations

from django_tasks import task

from nongsan.exports.services import export_run, exports_expire


@task()
def export_run_task(job_id: int) -> str:
    return export_run(job_id=job_id).status


@task()
def exports_expire_task() -> int:
    return exports_expire()

"""Background work of imports: validating and importing large files (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from nongsan.imports import services


@task()
def validate_import_job(job_id: int) -> None:
    """Validate a large upload outside the request; the page polls the job's progress."""
    services.import_job_validate(job_id=job_id)


@task()
def run_import_job(job_id: int) -> None:
    """Register a confirmed job's valid rows outside the request."""
    services.import_job_run(job_id=job_id)

"""Reads of the import pages."""

from __future__ import annotations

from django.db.models import QuerySet

from nongsan.imports.models import ImportJob, ImportRow, RowStatus

PROBLEM_STATUSES = (RowStatus.ERROR, RowStatus.DUPLICATE)


def import_job_problem_rows(job: ImportJob) -> QuerySet[ImportRow]:
    """The rows of a job that will not be imported as they stand (errors and duplicates), in
    file order, with only what the page shows."""
    return (
        job.rows.filter(status__in=PROBLEM_STATUSES)
        .order_by("row_number")
        .only("row_number", "status", "errors", "data")
    )

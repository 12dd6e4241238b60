"""Who may see which import jobs: the uploader, officers of the job's area, staff."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from nongsan.accounts.permissions import user_scope
from nongsan.imports.models import ImportJob
from nongsan.producers.permissions import EDITING_OFFICER_ROLES, is_staff_administrator


def visible_import_jobs(user: Any) -> QuerySet[ImportJob]:
    """Jobs of the person's area (commune and province officers) and their own uploads."""
    jobs = ImportJob.objects.all()
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return jobs.none()
    if is_staff_administrator(user):
        return jobs
    scope = user_scope(user, roles=EDITING_OFFICER_ROLES)
    if scope.is_national:
        return jobs
    condition = Q(uploaded_by=user)
    if not scope.is_empty:
        condition |= scope.q()
    return jobs.filter(condition)


def editable_import_jobs(user: Any) -> QuerySet[ImportJob]:
    """Only the uploader (or staff) changes a job's mapping or confirms it."""
    jobs = visible_import_jobs(user)
    if is_staff_administrator(user):
        return jobs
    return jobs.filter(uploaded_by=user)

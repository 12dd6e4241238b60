"""Import jobs in the permission matrix: a job filed under a commune is seen by that area's
commune and province officers only (the ministry does not import)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db.models import Model
from django.urls import NoReverseMatch, reverse

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import UserFactory
from nongsan.common.testing.permission_matrix import ScopedModel, register
from nongsan.imports.models import ImportJob
from nongsan.imports.permissions import editable_import_jobs, visible_import_jobs


def _job_in(commune: Any) -> ImportJob:
    job = ImportJob(
        original_name="ds.csv",
        sha256="0" * 64,
        uploaded_by=UserFactory.create(),
        province_id=commune.province_id,
        commune=commune,
        headers=["Họ tên", "SĐT"],
    )
    job.file.save("ds.csv", ContentFile(b"Ho ten,SDT\n"), save=False)
    job.save()
    return job


def _mounted(name: str, row: Model) -> list[str]:
    try:
        return [reverse(name, args=[row.pk])]
    except NoReverseMatch:
        return []


register(
    ScopedModel(
        label="imports.importjob",
        create_in=_job_in,
        visible=visible_import_jobs,
        editable=editable_import_jobs,
        seen_by=frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER}),
        page_urls=lambda row: (
            _mounted("imports:job-detail", row) + _mounted("imports:job-progress", row)
        ),
        write_urls=lambda row: _mounted("imports:job-confirm", row),
    )
)

"""Provincial reports in the permission matrix: another province's reports stay invisible
and unchangeable through querysets, pages and the API; only the province officer and the
ministry see a report (commune officers and assistants do not)."""

from __future__ import annotations

from django.db.models import Model
from django.urls import reverse

from nongsan.accounts.models import Role
from nongsan.common.testing.permission_matrix import ScopedModel, register
from nongsan.geo.models import AdministrativeUnit
from nongsan.producers.tests.factories import province_of
from nongsan.reports.permissions import editable_reports, visible_reports
from nongsan.reports.tests.factories import submitted


def _report(commune: AdministrativeUnit) -> Model:
    return submitted(province_of(commune), summary="Báo cáo thử của ma trận quyền.")


register(
    ScopedModel(
        label="reports.provincialreport",
        create_in=_report,
        visible=visible_reports,
        editable=editable_reports,
        seen_by=frozenset({Role.PROVINCE_OFFICER, Role.MINISTRY}),
        page_urls=lambda row: [
            reverse("reports:detail", args=[row.pk]),
            reverse("reports:edit", args=[row.pk]),
        ],
        write_urls=lambda row: [
            reverse("reports:submit", args=[row.pk]),
            reverse("reports:approve", args=[row.pk]),
            reverse("reports:return", args=[row.pk]),
            reverse("api-report-submit", args=[row.pk]),
            reverse("api-report-approve", args=[row.pk]),
            reverse("api-report-return", args=[row.pk]),
        ],
        api_urls=lambda row: [reverse("api-report-detail", args=[row.pk])],
    )
)

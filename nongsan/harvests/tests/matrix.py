"""Plantings and harvest announcements in the permission matrix: another area's stay
invisible through querysets and the API."""

from __future__ import annotations

import datetime

from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from nongsan.accounts.models import Role
from nongsan.catalog.tests.factories import lychee
from nongsan.common.testing.permission_matrix import ScopedModel, register
from nongsan.geo.models import AdministrativeUnit
from nongsan.harvests.models import GlutAlert, GlutKind, GlutSeverity
from nongsan.harvests.permissions import (
    editable_announcements,
    editable_calendar_entries,
    editable_plantings,
    visible_announcements,
    visible_glut_alerts,
    visible_plantings,
)
from nongsan.harvests.services import planting_record
from nongsan.harvests.tests.factories import announcement, calendar_entry
from nongsan.producers.tests.factories import household, province_of, staff_user

OFFICERS = frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.MINISTRY})
DAY = datetime.date(2026, 3, 1)


def _planting(commune: AdministrativeUnit) -> Model:
    row = household(commune)
    calendar_entry(lychee(), province_of(row.commune))
    return planting_record(
        user=staff_user(), household=row, produce_type=lychee(), planted_on=DAY, area_ha="1"
    )


register(
    ScopedModel(
        label="harvests.planting",
        create_in=_planting,
        visible=visible_plantings,
        editable=editable_plantings,
        seen_by=OFFICERS,
    )
)
register(
    ScopedModel(
        label="harvests.harvestannouncement",
        create_in=lambda commune: announcement(
            household(commune), harvest_from=DAY, harvest_until=DAY
        ),
        visible=visible_announcements,
        editable=editable_announcements,
        seen_by=OFFICERS,
        api_urls=lambda row: [reverse("api-harvest-detail", args=[row.pk])],
        page_urls=lambda row: [reverse("harvests:announcement", args=[row.pk])],
        write_urls=lambda row: [
            reverse("api-harvest-detail", args=[row.pk]),
            reverse("harvests:announcement", args=[row.pk]),
        ],
    )
)


def _glut_alert(commune: AdministrativeUnit) -> Model:
    return GlutAlert.objects.create(
        produce_type=lychee(),
        province=province_of(commune),
        week_start=DAY,
        kind=GlutKind.SUPPLY,
        severity=GlutSeverity.WARNING,
        raised_at=timezone.now(),
    )


register(
    ScopedModel(
        label="harvests.glutalert",
        create_in=_glut_alert,
        visible=visible_glut_alerts,
        seen_by=OFFICERS,
        page_urls=lambda row: [reverse("harvests:campaign-new", args=[row.pk])],
        write_urls=lambda row: [reverse("harvests:campaign-new", args=[row.pk])],
    )
)

# The calendar is public; what is scoped is who corrects it (the province's officer, the
# ministry), so the matrix exercises the editable entries.
register(
    ScopedModel(
        label="harvests.calendarentry",
        create_in=lambda commune: calendar_entry(lychee(), province_of(commune)),
        visible=editable_calendar_entries,
        editable=editable_calendar_entries,
        seen_by=frozenset({Role.PROVINCE_OFFICER, Role.MINISTRY}),
        page_urls=lambda row: [reverse("harvests:entry-edit", args=[row.pk])],
        write_urls=lambda row: [reverse("harvests:entry-edit", args=[row.pk])],
    )
)

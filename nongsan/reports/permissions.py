"""Who may see and change provincial reports.

A province officer sees, writes and submits the reports of their province; the ministry sees
every report and approves or returns the submitted ones (it never writes a province's
narrative); superusers count as the ministry. Commune officers, assistants and everyone else
see nothing: the report is between the Sở and the Bộ.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from nongsan.accounts.models import Role
from nongsan.accounts.permissions import user_scope
from nongsan.geo.models import AdministrativeUnit
from nongsan.reports.models import ProvincialReport


def _is_signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_ministry(user: Any) -> bool:
    return _is_signed_in(user) and user_scope(user, roles=[Role.MINISTRY]).is_national


def reporting_province_ids(user: Any) -> frozenset[int]:
    """The provinces whose reports ``user`` writes (province officer grants only)."""
    if not _is_signed_in(user):
        return frozenset()
    scope = user_scope(user, roles=[Role.PROVINCE_OFFICER])
    if scope.is_national:  # a superuser: the ministry's part, not a province's
        return frozenset()
    return scope.province_ids


def _reports() -> QuerySet[ProvincialReport]:
    return ProvincialReport.objects.select_related("province")


def visible_reports(user: Any) -> QuerySet[ProvincialReport]:
    if is_ministry(user):
        return _reports()
    provinces = reporting_province_ids(user)
    if not provinces:
        return _reports().none()
    return _reports().filter(province__in=sorted(provinces))


def editable_reports(user: Any) -> QuerySet[ProvincialReport]:
    """Reports whose narrative ``user`` may change and that they may submit (any status: the
    services say which statuses still allow it)."""
    provinces = reporting_province_ids(user)
    if not provinces:
        return _reports().none()
    return _reports().filter(province__in=sorted(provinces))


def decidable_reports(user: Any) -> QuerySet[ProvincialReport]:
    """Reports ``user`` may approve or return (the ministry's)."""
    if is_ministry(user):
        return _reports()
    return _reports().none()


def can_open_report(user: Any, province: AdministrativeUnit) -> bool:
    return province.pk in reporting_province_ids(user)


def reporting_provinces(user: Any) -> QuerySet[AdministrativeUnit]:
    """The provinces listed on the period overview: all 34 for the ministry, one's own else."""
    provinces = AdministrativeUnit.objects.current().filter(level="province")
    if is_ministry(user):
        return provinces
    return provinces.filter(pk__in=sorted(reporting_province_ids(user)))

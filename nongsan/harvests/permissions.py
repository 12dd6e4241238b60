"""Who may see and change the calendar, plantings and harvest announcements.

The calendar is public; the ministry changes any entry, a province officer the entries of
their province (regional and national entries are the ministry's). Plantings and
announcements are seen by the household's own account, its assigned assistants (while the
registry consent stands), the officers of the area and the ministry; changed by the same
people except the ministry, which watches.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from nongsan.accounts.models import Role
from nongsan.accounts.permissions import OFFICER_ROLES, user_scope
from nongsan.accounts.services import can_act_for_household
from nongsan.geo.models import AdministrativeUnit
from nongsan.harvests.models import CalendarEntry, GlutAlert, HarvestAnnouncement, Planting
from nongsan.producers.models import ConsentPurpose, Household, Purpose
from nongsan.producers.permissions import EDITING_OFFICER_ROLES, is_staff_administrator

RowT = TypeVar("RowT", bound=Model)


def _is_signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def visible_calendar_entries(user: Any) -> QuerySet[CalendarEntry]:
    return CalendarEntry.objects.all()


def editable_calendar_entries(user: Any) -> QuerySet[CalendarEntry]:
    entries = CalendarEntry.objects.all()
    if not _is_signed_in(user):
        return entries.none()
    if is_staff_administrator(user) or user_scope(user, roles=[Role.MINISTRY]).is_national:
        return entries
    scope = user_scope(user, roles=[Role.PROVINCE_OFFICER])
    if scope.is_empty:
        return entries.none()
    return entries.filter(province__in=sorted(scope.province_ids))


def _assisted_households() -> Q:
    return Q(
        household__assistances__ended_at__isnull=True,
        household__in=ConsentPurpose.objects.filter(
            purpose=Purpose.REGISTRY, withdrawn_at__isnull=True
        ).values("household"),
    )


def _scoped(model: type[RowT], user: Any, officer_roles: frozenset[str]) -> QuerySet[RowT]:
    rows = model._default_manager.all()
    if not _is_signed_in(user):
        return rows.none()
    if is_staff_administrator(user):
        return rows
    scope = user_scope(user, roles=officer_roles)
    if scope.is_national:
        return rows
    condition = Q(household__user=user) | (
        _assisted_households() & Q(household__assistances__assistant=user)
    )
    if not scope.is_empty:
        condition |= scope.q()
    return rows.filter(pk__in=model._default_manager.filter(condition).values("pk"))


def visible_plantings(user: Any) -> QuerySet[Planting]:
    return _scoped(Planting, user, OFFICER_ROLES)


def editable_plantings(user: Any) -> QuerySet[Planting]:
    return _scoped(Planting, user, EDITING_OFFICER_ROLES)


def visible_announcements(user: Any) -> QuerySet[HarvestAnnouncement]:
    return _scoped(HarvestAnnouncement, user, OFFICER_ROLES)


def editable_announcements(user: Any) -> QuerySet[HarvestAnnouncement]:
    return _scoped(HarvestAnnouncement, user, EDITING_OFFICER_ROLES)


def can_announce_for(user: Any, household: Household) -> bool:
    """The household's own account, an assistant it agreed to, the area's editing officers."""
    if not _is_signed_in(user):
        return False
    if is_staff_administrator(user) or household.user_id == user.pk:
        return True
    if user_scope(user, roles=EDITING_OFFICER_ROLES).covers(
        province_id=household.province_id, commune_id=household.commune_id
    ):
        return True
    return can_act_for_household(user, household)


def visible_glut_alerts(user: Any) -> QuerySet[GlutAlert]:
    """Officers see the alerts of their provinces (a commune officer, their province's)."""
    scope = user_scope(user, roles=OFFICER_ROLES)
    alerts = GlutAlert.objects.select_related("produce_type", "province")
    if scope.is_national:
        return alerts
    if scope.is_empty:
        return alerts.none()
    provinces = set(scope.province_ids) | set(
        AdministrativeUnit.objects.filter(pk__in=sorted(scope.commune_ids)).values_list(
            "province_id", flat=True
        )
    )
    return alerts.filter(province__in=sorted(provinces))


def can_create_campaign(user: Any, province: AdministrativeUnit) -> bool:
    """The ministry anywhere, a province officer in their province."""
    if not _is_signed_in(user):
        return False
    if is_staff_administrator(user) or user_scope(user, roles=[Role.MINISTRY]).is_national:
        return True
    return province.pk in user_scope(user, roles=[Role.PROVINCE_OFFICER]).province_ids


def announcing_households(user: Any) -> QuerySet[Household]:
    """Households offered on the planting and harvest forms: the person's own and those they
    assist (while the registry consent stands). Officers write for others through the API."""
    if not _is_signed_in(user):
        return Household.objects.none()
    assisted = Q(
        assistances__assistant=user,
        assistances__ended_at__isnull=True,
        pk__in=ConsentPurpose.objects.filter(
            purpose=Purpose.REGISTRY, withdrawn_at__isnull=True
        ).values("household"),
    )
    ids = Household.objects.filter(Q(user=user) | assisted).values("pk")
    return (
        Household.objects.active()
        .filter(pk__in=ids)
        .select_related("commune", "province")
        .order_by("head_name", "pk")
    )


def campaign_province_ids(user: Any) -> frozenset[int] | None:
    """Provinces where the person may open campaigns; None means everywhere."""
    if not _is_signed_in(user):
        return frozenset()
    if is_staff_administrator(user) or user_scope(user, roles=[Role.MINISTRY]).is_national:
        return None
    return frozenset(user_scope(user, roles=[Role.PROVINCE_OFFICER]).province_ids)

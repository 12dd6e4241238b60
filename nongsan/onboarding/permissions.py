"""Who may see and change channel stages, training sessions and tech teams.

By area: commune and province officers and the ministry see their area (the ministry the
whole country) and assistants the communes they are granted on; officers of a commune or
province and those assistants change them, the ministry does not. A partner platform sees and
records the stages of the households it registered. Staff administrators see and change
everything. Pages and the API start from these querysets, so another area's row answers 404.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from nongsan.accounts.models import Role
from nongsan.accounts.permissions import OFFICER_ROLES, AreaScope, has_role, user_scope
from nongsan.onboarding.models import (
    ChannelStage,
    CommunityTechTeam,
    StageEvent,
    TrainingSession,
)
from nongsan.producers.models import Household, HouseholdStatus

ModelT = TypeVar("ModelT", bound=Model)

VIEWING_ROLES = frozenset(OFFICER_ROLES | {Role.ASSISTANT})
EDITING_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.ASSISTANT})


def _is_signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _is_staff_administrator(user: Any) -> bool:
    return bool(user.is_superuser) or has_role(user, Role.STAFF_ADMINISTRATOR)


def area_scope(user: Any, *, editing: bool = False) -> AreaScope:
    """The area whose onboarding rows ``user`` sees (or changes, with ``editing``)."""
    if not _is_signed_in(user):
        return AreaScope()
    if _is_staff_administrator(user):
        return AreaScope(is_national=True)
    return user_scope(user, roles=EDITING_ROLES if editing else VIEWING_ROLES)


def _by_area(
    user: Any, queryset: QuerySet[ModelT], *, editing: bool, partner_field: str | None = None
) -> QuerySet[ModelT]:
    scope = area_scope(user, editing=editing)
    if scope.is_national:
        return queryset
    condition: Q | None = None if scope.is_empty else scope.q()
    if partner_field is not None and has_role(user, Role.PARTNER_PLATFORM):
        partner = Q(**{partner_field: user})
        condition = partner if condition is None else condition | partner
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def visible_stage_households(user: Any) -> QuerySet[Household]:
    """Households whose channel stages ``user`` may see (not merged-away records)."""
    households = Household.objects.exclude(status=HouseholdStatus.MERGED)
    return _by_area(user, households, editing=False, partner_field="registered_by")


def editable_stage_households(user: Any) -> QuerySet[Household]:
    """Households whose stages ``user`` may record: only active ones."""
    households = Household.objects.filter(status=HouseholdStatus.ACTIVE)
    return _by_area(user, households, editing=True, partner_field="registered_by")


def visible_stages(user: Any) -> QuerySet[ChannelStage]:
    return _by_area(
        user, ChannelStage.objects.all(), editing=False, partner_field="household__registered_by"
    )


def editable_stages(user: Any) -> QuerySet[ChannelStage]:
    return _by_area(
        user, ChannelStage.objects.all(), editing=True, partner_field="household__registered_by"
    )


def visible_stage_events(user: Any) -> QuerySet[StageEvent]:
    return _by_area(
        user, StageEvent.objects.all(), editing=False, partner_field="household__registered_by"
    )


def visible_sessions(user: Any) -> QuerySet[TrainingSession]:
    return _by_area(user, TrainingSession.objects.all(), editing=False)


def editable_sessions(user: Any) -> QuerySet[TrainingSession]:
    return _by_area(user, TrainingSession.objects.all(), editing=True)


def visible_tech_teams(user: Any) -> QuerySet[CommunityTechTeam]:
    return _by_area(user, CommunityTechTeam.objects.all(), editing=False)


def editable_tech_teams(user: Any) -> QuerySet[CommunityTechTeam]:
    return _by_area(user, CommunityTechTeam.objects.all(), editing=True)


def can_work_in(user: Any, commune: Any) -> bool:
    """Whether ``user`` may schedule training or set up a team in ``commune``."""
    return area_scope(user, editing=True).covers(
        province_id=commune.province_id, commune_id=commune.pk
    )


def can_manage_courses(user: Any) -> bool:
    """Courses are shared by every area: anyone who may train somewhere may add one."""
    return _is_signed_in(user) and (_is_staff_administrator(user) or has_role(user, *EDITING_ROLES))

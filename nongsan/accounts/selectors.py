"""Who holds a role: the people the platform's notices go to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from nongsan.accounts.models import Role, RoleGrant, User


def province_officers(province_ids: Iterable[int] | None = None) -> dict[int, list[User]]:
    """Active province officers by province id (of ``province_ids`` only, when given)."""
    grants = RoleGrant.objects.active().filter(
        role=Role.PROVINCE_OFFICER, unit__level="province", user__is_active=True
    )
    if province_ids is not None:
        grants = grants.filter(unit_id__in=list(province_ids))
    officers: dict[int, list[User]] = defaultdict(list)
    for grant in grants.select_related("user").order_by("unit_id", "pk"):
        assert grant.unit_id is not None  # noqa: S101 - province grants carry their unit
        officers[grant.unit_id].append(grant.user)
    return officers


def ministry_people() -> list[User]:
    """Active people with the ministry role, each once."""
    grants = (
        RoleGrant.objects.active()
        .filter(role=Role.MINISTRY, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    return list({grant.user_id: grant.user for grant in grants}.values())

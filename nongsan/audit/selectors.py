"""Reading the audit trail, always starting from what the user may see."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from nongsan.audit.models import AuditEntry
from nongsan.audit.permissions import visible_audit_entries
from nongsan.common.formatting import DISPLAY_TIMEZONE

__all__ = ["audit_entry_list", "vietnam_day_start"]


def vietnam_day_start(day: datetime.date) -> datetime.datetime:
    """Midnight of ``day`` in Vietnam: officers mean Vietnamese days when they pick dates."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=DISPLAY_TIMEZONE)


def audit_entry_list(
    *,
    user: Any,
    action: str | None = None,
    actor: Any = None,
    target: Model | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    reveals_only: bool = False,
) -> QuerySet[AuditEntry]:
    """The entries ``user`` may see, newest first, filtered.

    ``action`` matches exactly or as a prefix of whole parts (``accounts`` finds
    ``accounts.role_grant``); the dates are Vietnamese calendar days, both included.
    """
    entries = visible_audit_entries(user).select_related(
        "actor", "on_behalf_of", "target_type", "province", "commune"
    )
    if action:
        action = action.strip(".")
        entries = entries.filter(Q(action=action) | Q(action__startswith=action + "."))
    if actor is not None:
        entries = entries.filter(actor=actor)
    if target is not None:
        entries = entries.filter(
            target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
        )
    if date_from is not None:
        entries = entries.filter(occurred_at__gte=vietnam_day_start(date_from))
    if date_to is not None and date_to < datetime.date.max:
        next_day = date_to + datetime.timedelta(days=1)
        entries = entries.filter(occurred_at__lt=vietnam_day_start(next_day))
    if reveals_only:
        entries = entries.filter(is_reveal=True)
    return entries.order_by("-occurred_at", "-id")

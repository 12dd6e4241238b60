"""Who may read the audit trail: the ministry all of it, officers their area's entries.

Entries carry explicit ``province`` and ``commune`` columns, so the scope of an officer is
one indexed filter. Nobody may change or delete entries: there is no ``editable_*``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from nongsan.accounts.permissions import OFFICER_ROLES, user_scope
from nongsan.audit.models import AuditEntry

__all__ = ["visible_audit_entries"]


def visible_audit_entries(user: Any) -> QuerySet[AuditEntry]:
    """Superusers and the ministry see everything; a province officer the province's
    entries (its communes' included); a commune officer the commune's; others nothing."""
    scope = user_scope(user, roles=OFFICER_ROLES)
    return scope.filter(
        AuditEntry.objects.all(), province_field="province", commune_field="commune"
    )

"""Permission rules (django-rules), registered under Django's permission names.

Rows are scoped by the querysets in each app's ``permissions.py``; these rules answer the
yes/no questions pages and templates ask: ``user.has_perm("accounts.grant_roles")``,
``user.has_perm("accounts.revoke_grant", grant)``, ``{% if perms.accounts.view_audit_trail %}``.
"""

from __future__ import annotations

from typing import Any

import rules

from nongsan.accounts.models import Role, RoleGrant
from nongsan.accounts.permissions import grantable_roles, has_role, user_scope


@rules.predicate
def is_staff_administrator(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or has_role(user, Role.STAFF_ADMINISTRATOR)


@rules.predicate
def is_ministry(user: Any) -> bool:
    return has_role(user, Role.MINISTRY)


@rules.predicate
def is_province_officer(user: Any) -> bool:
    return has_role(user, Role.PROVINCE_OFFICER)


@rules.predicate
def is_commune_officer(user: Any) -> bool:
    return has_role(user, Role.COMMUNE_OFFICER)


@rules.predicate
def is_officer(user: Any) -> bool:
    return not user_scope(user).is_empty


@rules.predicate
def can_revoke(user: Any, grant: RoleGrant | None) -> bool:
    if grant is None:
        return False
    return grant.revoked_at is None and grant.role in grantable_roles(user, grant.unit)


# The ministry grants province roles, a province officer roles inside the province; a commune
# officer grants nothing.
rules.add_perm("accounts.grant_roles", is_staff_administrator | is_ministry | is_province_officer)
rules.add_perm("accounts.revoke_grant", can_revoke)
rules.add_perm("accounts.view_area_grants", is_staff_administrator | is_officer)
rules.add_perm("accounts.view_audit_trail", is_staff_administrator | is_officer)

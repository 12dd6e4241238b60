"""What the site's menu offers a person: officers (commune, province, ministry) also get the
programme's dashboards and the provincial reports."""

from __future__ import annotations

from typing import Any

from django import template

from nongsan.accounts.permissions import user_scope

register = template.Library()


@register.filter
def is_officer(user: Any) -> bool:
    """The officers' scope is cached on the user, so a page that already asked costs nothing."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser) or not user_scope(user).is_empty

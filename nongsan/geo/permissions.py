"""Who may see which administrative units.

Administrative units are public reference data published by the state (names and codes of
provinces and communes): every visitor, signed in or not, may read all of them, in both the
current and the legacy geography. The function still exists so that every read in this app
starts from a ``visible_<things>(user)`` queryset, the pattern the scoped apps (households,
orders, reports) follow where the answer does depend on the user.
"""

from __future__ import annotations

from typing import Any

from nongsan.geo.models import AdministrativeUnit, AdministrativeUnitQuerySet

__all__ = ["visible_units"]


def visible_units(user: Any = None) -> AdministrativeUnitQuerySet:
    """Every administrative unit: public reference data, the same for everyone."""
    return AdministrativeUnit.objects.all()

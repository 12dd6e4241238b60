"""The registry in the permission matrix: households and cooperatives of a commune.

Their pages and API answer 404 to another area. The URLs join the matrix once config/urls.py
mounts the registry (the app's own tests check them meanwhile, see test_pages and test_api).
"""

from __future__ import annotations

from django.db.models import Model
from django.urls import NoReverseMatch, reverse

from nongsan.accounts.models import Role
from nongsan.common.testing.permission_matrix import ScopedModel, register
from nongsan.producers.permissions import (
    editable_cooperatives,
    editable_households,
    visible_cooperatives,
    visible_households,
)
from nongsan.producers.tests.factories import cooperative, household


def _mounted(name: str, row: Model) -> list[str]:
    try:
        return [reverse(name, args=[row.pk])]
    except NoReverseMatch:
        return []


register(
    ScopedModel(
        label="producers.household",
        create_in=lambda commune: household(commune),
        visible=visible_households,
        editable=editable_households,
        seen_by=frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.MINISTRY}),
        page_urls=lambda row: (
            _mounted("producers:household-detail", row)
            + _mounted("producers:household-export", row)
        ),
        write_urls=lambda row: (
            _mounted("producers:household-reveal", row)
            + _mounted("producers:consent-withdraw", row)
        ),
        api_urls=lambda row: _mounted("api-household-detail", row),
    )
)
register(
    ScopedModel(
        label="producers.cooperative",
        create_in=lambda commune: cooperative(commune),
        visible=visible_cooperatives,
        editable=editable_cooperatives,
        seen_by=frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.MINISTRY}),
        api_urls=lambda row: _mounted("api-cooperative-detail", row),
    )
)

"""The accounts app's scoped models in the permission matrix."""

from __future__ import annotations

from django.urls import reverse

from nongsan.accounts.models import Assistance, AssistantKind, Role
from nongsan.accounts.permissions import (
    editable_grants,
    visible_assistances,
    visible_grants,
)
from nongsan.accounts.tests.factories import UserFactory, grant
from nongsan.common.testing.permission_matrix import ScopedModel, register


def _grant_in(commune):
    return grant(
        UserFactory.create(), Role.ASSISTANT, commune, assistant_kind=AssistantKind.TRAINER
    )


def _assistance_in(commune):
    assistant = UserFactory.create()
    seller = UserFactory.create()
    grant(seller, Role.HOUSEHOLD_SELLER)
    return Assistance.objects.create(
        assistant=assistant,
        seller=seller,
        commune=commune,
        province=commune.province,
        assigned_by=assistant,
    )


register(
    ScopedModel(
        label="accounts.rolegrant",
        create_in=_grant_in,
        visible=visible_grants,
        editable=editable_grants,
        seen_by=frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.MINISTRY}),
        write_urls=lambda row: [reverse("accounts:grant-revoke", args=[row.pk])],
    )
)
register(
    ScopedModel(
        label="accounts.assistance",
        create_in=_assistance_in,
        visible=visible_assistances,
        seen_by=frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.MINISTRY}),
    )
)

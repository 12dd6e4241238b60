"""Onboarding in the permission matrix: a household's channel stage and a training session.

Their pages and API answer 404 to another area. The URLs join the matrix once config/urls.py
mounts the app (its own tests check them meanwhile, see test_pages and test_api).
"""

from __future__ import annotations

from django.db.models import Model
from django.urls import NoReverseMatch, reverse

from nongsan.accounts.models import Role
from nongsan.common.testing.permission_matrix import ScopedModel, register
from nongsan.onboarding.models import ChannelStage, Stage, TrainingSession
from nongsan.onboarding.permissions import (
    editable_sessions,
    editable_stages,
    visible_sessions,
    visible_stages,
)
from nongsan.onboarding.tests.factories import channel, household, session, stage_row


def _mounted(name: str, pk: int) -> list[str]:
    try:
        return [reverse(name, args=[pk])]
    except NoReverseMatch:
        return []


def _stage_in(commune) -> ChannelStage:
    return stage_row(household(commune), channel("postmart"), Stage.TRAINED)


def _stage_household(row: Model) -> int:
    assert isinstance(row, ChannelStage)  # noqa: S101
    return row.household_id


def _session_in(commune) -> TrainingSession:
    return session(commune)


SEEN_BY = frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.MINISTRY, Role.ASSISTANT})

register(
    ScopedModel(
        label="onboarding.channelstage",
        create_in=_stage_in,
        visible=visible_stages,
        editable=editable_stages,
        seen_by=SEEN_BY,
        page_urls=lambda row: _mounted("onboarding:household-stages", _stage_household(row)),
        write_urls=lambda row: _mounted("onboarding:household-stages", _stage_household(row)),
        api_urls=lambda row: _mounted("api-household-channels", _stage_household(row)),
    )
)
register(
    ScopedModel(
        label="onboarding.trainingsession",
        create_in=_session_in,
        visible=visible_sessions,
        editable=editable_sessions,
        seen_by=SEEN_BY,
        page_urls=lambda row: _mounted("onboarding:session-detail", row.pk),
        write_urls=lambda row: _mounted("onboarding:attendance-record", row.pk),
        api_urls=lambda row: _mounted("api-training-session-detail", row.pk),
    )
)

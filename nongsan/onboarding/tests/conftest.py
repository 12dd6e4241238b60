"""Onboarding tests start from the channels the data migration creates.

A transactional test elsewhere in the same worker (a live server, a flush) empties every
table, data-migration rows included; recreating the three channels keeps each test
independent of which tests ran before it.
"""

from __future__ import annotations

import importlib

import pytest

from nongsan.onboarding.models import Channel

CHANNELS = importlib.import_module("nongsan.onboarding.migrations.0002_initial_channels").CHANNELS


@pytest.fixture(autouse=True)
def default_channels(db: None) -> None:
    for fields in CHANNELS:
        Channel.objects.get_or_create(
            code=fields["code"], defaults={**fields, "kind": "marketplace", "is_active": True}
        )

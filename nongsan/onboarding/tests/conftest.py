"""Onboarding tests start from the channels the data migration creates.

A transactional test elsewhere in the same worker (a live server, a flush) empties every
table, data-migration rows included; recreating the three channels keeps each test
independent of which tests ran before it.
"""

from __future__ import annotations

import pytest

from nongsan.onboarding.tests.factories import default_channels_ensure


@pytest.fixture(autouse=True)
def default_channels(db: None) -> None:
    default_channels_ensure()

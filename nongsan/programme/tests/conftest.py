"""Programme tests start from the onboarding channels (a flush elsewhere may have removed
the rows the data migration made) and the indicators."""

from __future__ import annotations

import importlib

import pytest

from nongsan.onboarding.tests.factories import default_channels_ensure


def indicators_ensure() -> None:
    from django.apps import apps

    migration = importlib.import_module("nongsan.programme.migrations.0002_seed_indicators")
    migration.seed(apps, None)


@pytest.fixture(autouse=True)
def programme_rows(db: None) -> None:
    default_channels_ensure()
    indicators_ensure()

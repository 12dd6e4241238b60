"""Suite-wide fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation
from hypothesis import HealthCheck, settings

from nongsan.geo.tests.factories import load_real_units_for_module

# Speed is measured by `make bench`, never asserted by the tests: Hypothesis's per-example
# deadline (200 ms) and its "generation is slow" health check time the machine, and on a
# shared 2-core CI runner they fail tests whose properties hold. The properties and the
# number of examples stay as each test sets them.
settings.register_profile("nongsan", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("nongsan")


@pytest.fixture(autouse=True)
def _default_language_after_each_test() -> Iterator[None]:
    """Each test starts in the site's default language (Vietnamese).

    Django's LocaleMiddleware activates a request's language in the thread and nothing turns
    it off when the test client's response returns: a test that asks a page in English left
    every later test of its worker speaking English.
    """
    yield
    translation.deactivate()


@pytest.fixture(scope="module")
def admin_units(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The real administrative units (the shipped data), committed for one test module.

    Loading takes a few seconds, so a module shares one load; each test's own writes are
    still rolled back, and the units are removed when the module ends so that the next module
    starts from an empty database.
    """
    yield from load_real_units_for_module(django_db_blocker)

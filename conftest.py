"""Suite-wide fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from nongsan.geo.tests.factories import load_real_units_for_module


@pytest.fixture(scope="module")
def admin_units(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The real administrative units (the shipped data), committed for one test module.

    Loading takes a few seconds, so a module shares one load; each test's own writes are
    still rolled back, and the units are removed when the module ends so that the next module
    starts from an empty database.
    """
    yield from load_real_units_for_module(django_db_blocker)

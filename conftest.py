"""Suite-wide fixtures."""

from __future__ import annotations

import pytest

from nongsan.geo.models import AdministrativeUnit


@pytest.fixture
def admin_units(db: None) -> None:
    """The real administrative units (shipped data) in the test database.

    Loaded once per test database and kept by the surrounding transaction rollbacks; a test
    that flushes the database (live_server, transactional_db) makes the next user reload them.
    """
    from nongsan.geo.address import clear_address_index

    from nongsan.geo.loading import load_units

    if not AdministrativeUnit.objects.filter(level="province", valid_until__isnull=True).exists():
        load_units()
        clear_address_index()

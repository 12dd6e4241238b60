"""Trade tests run with development keys for the registry (households are encrypted)."""

from __future__ import annotations

from typing import Any

import pytest

from nongsan.producers.personal_data import development_keys


@pytest.fixture(autouse=True)
def personal_data_keys(settings: Any) -> None:
    keys, index_key = development_keys("tests")
    settings.PERSONAL_DATA_KEYS = keys
    settings.PERSONAL_DATA_INDEX_KEY = index_key

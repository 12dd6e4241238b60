"""Payments tests run with development keys for the registry and uploads in a temporary folder."""

from __future__ import annotations

from typing import Any

import pytest

from nongsan.producers.personal_data import development_keys


@pytest.fixture(autouse=True)
def personal_data_keys(settings: Any, tmp_path: Any) -> None:
    keys, index_key = development_keys("tests")
    settings.PERSONAL_DATA_KEYS = keys
    settings.PERSONAL_DATA_INDEX_KEY = index_key
    settings.MEDIA_ROOT = str(tmp_path / "media")

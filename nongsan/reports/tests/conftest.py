"""Report tests run with development keys for the registry, a figures provider the test
controls, and uploads in a temporary folder."""

from __future__ import annotations

from typing import Any

import pytest

from nongsan.producers.personal_data import development_keys
from nongsan.reports.tests import providers


@pytest.fixture(autouse=True)
def report_settings(settings: Any, tmp_path: Any) -> None:
    keys, index_key = development_keys("tests")
    settings.PERSONAL_DATA_KEYS = keys
    settings.PERSONAL_DATA_INDEX_KEY = index_key
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.REPORT_FIGURES_PROVIDER = "nongsan.reports.tests.providers.fixed_figures"
    settings.REPORT_DEADLINE_DAY = 5
    settings.REPORT_REMIND_DAYS_BEFORE = 3
    providers.reset()

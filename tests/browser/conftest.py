"""Playwright driving Debian's Chromium (never a downloaded browser) against the live server."""

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the
# database calls that live_server and the tests make from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium per test session; in CI a missing browser is a failure, not a skip."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's package (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """Where screenshots go for a person (or CI artefacts) to look at: $SCREENSHOT_DIR or /tmp."""
    folder = Path(os.environ.get("SCREENSHOT_DIR", tempfile.gettempdir()))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def phone_page(browser: Browser, live_server) -> Iterator[Page]:
    """A fresh page (own cookies) on a cheap Android phone: 360 CSS pixels, touch, Vietnamese."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
    )
    page = context.new_page()
    yield page
    context.close()

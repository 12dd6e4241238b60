"""Fixtures of the messaging tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from nongsan.accounts.models import User
from nongsan.messaging.tests.gateway import FakeGateway

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY")


@pytest.fixture
def gateway(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGateway]:
    """A local HTTP gateway; proxies are switched off so requests go straight to it."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    yield from FakeGateway().running()


@pytest.fixture
def staff_user(db: None) -> User:
    return User.objects.create_user("0987 654 321", password="mat-khau-dai-123", is_staff=True)


@pytest.fixture
def plain_user(db: None) -> User:
    return User.objects.create_user("0977 111 222", password="mat-khau-dai-123")


@pytest.fixture
def superuser_client(client: Client, db: None) -> Client:
    """pytest-django's admin_client logs in as "admin", which is not a phone number."""
    client.force_login(User.objects.create_superuser("0966 000 111", password="mat-khau-dai-123"))
    return client

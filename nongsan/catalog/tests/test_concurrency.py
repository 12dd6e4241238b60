"""Concurrent writers against PostgreSQL, with real threads."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from nongsan.catalog.models import Listing, ListingCreateRequest
from nongsan.catalog.tests.factories import lychee, selling_household
from nongsan.catalog.tests.test_api import SEARCH, _body
from nongsan.geo.loading import load_units
from nongsan.producers.tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_four_retries_of_one_create_at_once_list_the_produce_once(settings: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are tested on PostgreSQL")
    load_units()
    lychee()
    owner = make_user()
    seller = selling_household(user=owner)
    body = _body(household=seller.pk, publish=True)
    start = threading.Barrier(4)
    codes: list[int] = []

    def retry() -> None:
        try:
            client = APIClient()
            client.force_authenticate(owner)
            start.wait(timeout=10)
            response = client.post(SEARCH, body, format="json", HTTP_IDEMPOTENCY_KEY="cung-mot")
            codes.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=retry) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(codes) == [200, 200, 200, 201]
    assert Listing.objects.count() == 1
    assert ListingCreateRequest.objects.count() == 1

"""The registry API: scoped, masked, idempotent."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import grant, officer
from nongsan.producers.models import Household, Purpose
from nongsan.producers.tests.factories import (
    cooperative,
    current_commune,
    household,
    make_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("nongsan.producers.tests.urls")]


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _payload(unit, **fields):
    return {
        "head_name": "Nguyễn Văn Đối Tác",
        "phone": "0912 222 333",
        "citizen_id": "001095012345",
        "commune": unit.code,
        "consent": {"purposes": [Purpose.REGISTRY], "method": "partner"},
        **fields,
    }


def test_the_list_is_scoped_masked_and_guarded(admin_units, django_assert_max_num_queries):
    commune = current_commune()
    for _index in range(5):
        household(commune, citizen_id="001095012345")
    household(current_commune("79"))
    client = _client(officer(Role.COMMUNE_OFFICER, commune))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("api-household-list"))
    assert response.status_code == 200
    assert response.data["count"] == 5
    body = str(response.content)
    assert "001095012345" not in body
    assert response.data["results"][0]["citizen_id"] == "001*******45"


def test_another_areas_household_answers_404(admin_units):
    row = household(current_commune("79"))
    client = _client(officer(Role.PROVINCE_OFFICER, current_commune().province))
    assert client.get(reverse("api-household-detail", args=[row.pk])).status_code == 404
    response = client.patch(reverse("api-household-detail", args=[row.pk]), {"village": "X"})
    assert response.status_code == 404


def test_create_is_idempotent_by_key_and_by_reference(admin_units):
    commune = current_commune()
    partner = make_user()
    grant(partner, Role.PARTNER_PLATFORM)
    client = _client(partner)
    url = reverse("api-household-list")
    first = client.post(url, _payload(commune), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.data
    assert "001095012345" not in str(first.content)
    again = client.post(url, _payload(commune), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.data["id"] == first.data["id"]
    changed = client.post(
        url, _payload(commune, head_name="Khác"), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert changed.status_code == 422
    by_reference = _payload(
        commune,
        phone="0912 222 444",
        external_reference="PM-42",
        consent={"purposes": [Purpose.REGISTRY, Purpose.PARTNER_SHARING], "method": "partner"},
    )
    created = client.post(url, by_reference, format="json")
    retried = client.post(url, by_reference, format="json")
    assert (created.status_code, retried.status_code) == (201, 200)
    assert retried.data["id"] == created.data["id"]
    assert Household.objects.count() == 2
    assert client.get(reverse("api-household-detail", args=[created.data["id"]])).status_code == 200
    # Without consent to partner sharing, the partner is not sent the household back.
    assert client.get(reverse("api-household-detail", args=[first.data["id"]])).status_code == 404


def test_create_refuses_bad_input_in_vietnamese(admin_units):
    client = _client(make_user(is_superuser=True))
    url = reverse("api-household-list")
    response = client.post(
        url,
        _payload(
            current_commune(),
            phone="123",
            consent={"purposes": ["marketplace"], "method": "in_app"},
        ),
        format="json",
    )
    assert response.status_code == 400
    assert "phone" in response.data["errors"]
    assert "consent_purposes" in response.data["errors"]
    response = client.post(url, _payload(current_commune(), commune="99999"), format="json")
    assert response.status_code == 400
    assert "commune" in response.data["errors"]
    assert not Household.objects.exists()


def test_update_through_the_api(admin_units):
    commune = current_commune()
    row = household(commune)
    client = _client(officer(Role.COMMUNE_OFFICER, commune))
    url = reverse("api-household-detail", args=[row.pk])
    response = client.patch(
        url, {"village": "Thôn Thượng", "farm_area_hectares": "1.5"}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["village"] == "Thôn Thượng"
    assert client.patch(url, {"phone": "abc"}, format="json").status_code == 400


def test_cooperatives_are_scoped(admin_units):
    commune = current_commune()
    mine = cooperative(commune, name="HTX Của Tôi")
    theirs = cooperative(current_commune("79"), name="HTX Ở Xa")
    client = _client(officer(Role.COMMUNE_OFFICER, commune))
    response = client.get(reverse("api-cooperative-list"))
    assert [row["id"] for row in response.data["results"]] == [mine.pk]
    assert client.get(reverse("api-cooperative-detail", args=[theirs.pk])).status_code == 404


def test_the_schema_documents_the_registry(admin_units):
    response = _client(make_user()).get("/api/v1/schema/", {"format": "json"})
    paths = response.json()["paths"]
    assert "/api/v1/households/" in paths
    assert "/api/v1/cooperatives/" in paths

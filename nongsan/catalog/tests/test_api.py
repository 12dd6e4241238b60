"""The catalog API: search with the pages' ranking, listings created and changed by sellers
and assistants, lots by code; another area's drafts stay invisible."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from nongsan.accounts.models import Role
from nongsan.accounts.services import assistance_assign_household
from nongsan.accounts.tests.factories import grant
from nongsan.catalog.models import Listing, ListingStatus
from nongsan.catalog.tests.factories import listing, lot, lychee, pineapple, selling_household
from nongsan.producers.tests.factories import current_commune, make_user, staff_user

pytestmark = pytest.mark.django_db
SEARCH = "/api/v1/listings/"


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _body(**fields):
    today = timezone.localdate()
    body = {
        "produce_type": "vai-thieu",
        "price_vnd": 45000,
        "stock_quantity": "200",
        "available_from": today.isoformat(),
        "available_until": (today + datetime.timedelta(days=60)).isoformat(),
    }
    body.update(fields)
    return body


def test_anyone_searches_without_diacritics(admin_units):
    listing(produce_type=lychee(), title="Vải thiều Lục Ngạn", publish=True)
    listing(produce_type=pineapple(), title="Dứa Đồng Giao", publish=True)
    response = _client().get(SEARCH, {"q": "vai thi"})
    assert response.status_code == 200
    data = response.json()
    assert [row["title"] for row in data["results"]] == ["Vải thiều Lục Ngạn"]
    assert data["count"] == 1
    assert data["results"][0]["produce_type"]["slug"] == "vai-thieu"
    assert data["facets"]["category"] == {"fruit": 1}


def test_search_filters_by_province_code_and_refuses_an_unknown_one(admin_units):
    far = listing(selling_household(current_commune("79")), publish=True)
    listing(selling_household(current_commune("01")), publish=True)
    response = _client().get(SEARCH, {"province": "79"})
    assert [row["id"] for row in response.json()["results"]] == [far.pk]
    response = _client().get(SEARCH, {"province": "99"})
    assert response.status_code == 400
    assert response.json()["parameter"] == "province"


@pytest.mark.parametrize(
    "params",
    [{"category": "x"}, {"page": "-1"}, {"page_size": "abc"}, {"sort": "name"}, {"q": "a" * 200}],
)
def test_search_refuses_bad_parameters_with_a_message(admin_units, params):
    response = _client().get(SEARCH, params)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_search_speaks_english_when_asked(admin_units):
    response = _client().get(SEARCH, {"category": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"] == "Invalid produce category."


def test_a_household_lists_for_itself_through_the_api(admin_units):
    lychee()
    owner = make_user()
    seller = selling_household(user=owner)
    response = _client(owner).post(
        SEARCH,
        _body(
            household=seller.pk,
            publish=True,
            price_tiers=[{"min_quantity": "50", "price_vnd": 40000}],
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == ListingStatus.ACTIVE
    assert data["price_tiers"] == [{"min_quantity": "50.000", "price_vnd": 40000}]
    assert data["seller"] == {"kind": "household", "id": seller.pk, "name": seller.head_name}


def test_an_assigned_assistant_creates_and_pauses_through_the_api(admin_units):
    lychee()
    commune = current_commune()
    seller = selling_household(commune)
    assistant = make_user()
    grant(assistant, Role.ASSISTANT, commune, assistant_kind="trainer")
    assistance_assign_household(assigned_by=staff_user(), assistant=assistant, household=seller)
    client = _client(assistant)
    response = client.post(SEARCH, _body(household=seller.pk, publish=True), format="json")
    assert response.status_code == 201
    pk = response.json()["id"]
    response = client.patch(
        reverse("api-listing-detail", args=[pk]),
        {"status": "paused", "price_vnd": 42000},
        format="json",
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["price_vnd"]) == ("paused", 42000)


def test_the_api_refuses_a_household_the_caller_may_not_see_or_sell_for(admin_units):
    lychee()
    seller = selling_household()
    assert (
        _client(make_user()).post(SEARCH, _body(household=seller.pk), format="json").status_code
        == 404
    )
    assert _client().post(SEARCH, _body(household=seller.pk), format="json").status_code in (
        401,
        403,
    )


def test_the_api_refuses_bad_listing_data_and_writes_nothing(admin_units):
    lychee()
    seller = selling_household()
    client = _client(staff_user())
    response = client.post(
        SEARCH, _body(household=seller.pk, stock_quantity="1e400", price_vnd="abc"), format="json"
    )
    assert response.status_code == 400
    assert {"stock_quantity", "price_vnd"} <= set(response.json()["errors"])
    response = client.post(
        SEARCH, _body(household=seller.pk, produce_type="khong-co"), format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["produce_type"]
    response = client.post(SEARCH, _body(), format="json")
    assert response.status_code == 400
    assert not Listing.objects.exists()


def test_another_areas_drafts_stay_invisible_through_the_api(admin_units):
    draft = listing(selling_household(current_commune("79")))
    officer = make_user()
    grant(officer, Role.COMMUNE_OFFICER, current_commune("01"))
    assert _client(officer).get(reverse("api-listing-detail", args=[draft.pk])).status_code == 404
    assert _client().get(reverse("api-listing-detail", args=[draft.pk])).status_code == 404
    assert (
        _client(officer)
        .patch(reverse("api-listing-detail", args=[draft.pk]), {"price_vnd": 1}, format="json")
        .status_code
        == 404
    )
    own = make_user()
    grant(own, Role.COMMUNE_OFFICER, draft.commune)
    assert _client(own).get(reverse("api-listing-detail", args=[draft.pk])).status_code == 200


def test_the_ministry_sees_but_may_not_change_a_listing(admin_units):
    row = listing()
    minister = make_user()
    grant(minister, Role.MINISTRY)
    client = _client(minister)
    assert client.get(reverse("api-listing-detail", args=[row.pk])).status_code == 200
    response = client.patch(
        reverse("api-listing-detail", args=[row.pk]), {"price_vnd": 1000}, format="json"
    )
    assert response.status_code == 403


def test_a_lot_of_a_published_listing_is_public_by_its_code(admin_units):
    row = listing(publish=True)
    batch = lot(row)
    response = _client().get(reverse("api-lot-detail", args=[batch.code.lower()]))
    assert response.status_code == 200
    assert response.json()["grown_by"] == str(row.household)
    hidden = lot(listing())
    assert _client().get(reverse("api-lot-detail", args=[hidden.code])).status_code == 404


def test_produce_types_are_found_by_synonyms(admin_units):
    pineapple()
    lychee()
    response = _client().get("/api/v1/produce-types/", {"q": "khom"})
    assert [row["slug"] for row in response.json()["results"]] == ["dua"]


def test_the_search_page_costs_fixed_queries(admin_units, django_assert_max_num_queries):
    for _index in range(12):
        listing(produce_type=lychee(), publish=True)
    with django_assert_max_num_queries(12) as small:
        _client().get(SEARCH, {"q": "vai", "page_size": "5"})
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = _client().get(SEARCH, {"q": "vai", "page_size": "100"})
    assert len(response.json()["results"]) == 12


def test_the_schema_documents_the_catalog(admin_units):
    paths = _client().get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    for path in (
        "/api/v1/listings/",
        "/api/v1/listings/{id}/",
        "/api/v1/lots/{code}/",
        "/api/v1/produce-types/",
    ):
        assert path in paths


def test_a_seller_adds_a_photo_and_a_lot_through_the_api(admin_units):
    from nongsan.catalog.tests.test_photos import gps_exif, image_bytes, upload

    owner = make_user()
    row = listing(selling_household(user=owner), by=owner, publish=True)
    client = _client(owner)
    response = client.post(
        reverse("api-listing-photo-create", args=[row.pk]),
        {"photo": upload(image_bytes(exif=gps_exif()))},
        format="multipart",
    )
    assert response.status_code == 201
    assert response.json()["photos"][0]["large"].endswith(".webp")
    response = client.post(
        reverse("api-listing-photo-create", args=[row.pk]),
        {"photo": upload(b"<svg onload=alert(1)>", "x.svg")},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["parameter"] == "photo"
    response = client.post(
        reverse("api-listing-lot-create", args=[row.pk]),
        {"harvested_on": timezone.localdate().isoformat(), "quantity": "40"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["quantity"] == "40.000"
    stranger = _client(make_user())
    assert (
        stranger.post(
            reverse("api-listing-lot-create", args=[row.pk]),
            {"harvested_on": timezone.localdate().isoformat(), "quantity": "1"},
            format="json",
        ).status_code
        == 403
    )


def test_a_retried_create_with_the_same_key_lists_once(admin_units):
    lychee()
    owner = make_user()
    seller = selling_household(user=owner)
    client = _client(owner)
    body = _body(household=seller.pk, publish=True)
    first = client.post(SEARCH, body, format="json", HTTP_IDEMPOTENCY_KEY="lan-1")
    again = client.post(SEARCH, body, format="json", HTTP_IDEMPOTENCY_KEY="lan-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == again.json()["id"]
    assert Listing.objects.count() == 1
    other = client.post(
        SEARCH, {**body, "price_vnd": 1000}, format="json", HTTP_IDEMPOTENCY_KEY="lan-1"
    )
    assert other.status_code == 422
    long_key = client.post(SEARCH, body, format="json", HTTP_IDEMPOTENCY_KEY="k" * 101)
    assert long_key.status_code == 400
    assert Listing.objects.count() == 1


def test_a_seller_lists_their_own_drafts_with_mine(admin_units):
    owner = make_user()
    draft = listing(selling_household(user=owner), by=owner)
    listing(publish=True)
    client = _client(owner)
    assert [r["id"] for r in client.get(SEARCH, {"mine": "1"}).json()["results"]] == [draft.pk]
    assert draft.pk not in [r["id"] for r in client.get(SEARCH).json()["results"]]
    assert _client().get(SEARCH, {"mine": "1"}).status_code == 403

"""Rescue campaigns: opened by the ministry or the province, a public page gathering the
produce's listings of the province against the target."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import officer
from nongsan.catalog.tests.factories import listing, lychee, selling_household
from nongsan.harvests.gluts import campaign_create, campaign_listed_tonnes
from nongsan.harvests.models import Campaign
from nongsan.producers.tests.factories import current_commune, province_of

pytestmark = pytest.mark.django_db
START = datetime.date(2026, 6, 1)


def _campaign(user, province, **fields):
    fields.setdefault("title", "Giải cứu vải thiều")
    fields.setdefault("target_tonnes", "100")
    return campaign_create(
        user=user, produce_type=lychee(), province=province, starts_on=START,
        ends_on=START + datetime.timedelta(days=20), **fields,
    )  # fmt: skip


def test_a_province_officer_opens_a_campaign_in_the_province_only(admin_units):
    home = province_of(current_commune("24"))
    user = officer(Role.PROVINCE_OFFICER, home)
    assert _campaign(user, home).target_tonnes == Decimal("100.000")
    with pytest.raises(PermissionDenied):
        _campaign(user, province_of(current_commune("79")))
    with pytest.raises(PermissionDenied):
        _campaign(officer(Role.COMMUNE_OFFICER, current_commune("24")), home)


def test_a_campaign_without_a_name_or_with_a_bad_target_is_refused(admin_units):
    home = province_of(current_commune("24"))
    with pytest.raises(ValidationError) as caught:
        _campaign(officer(Role.PROVINCE_OFFICER, home), home, title=" ", target_tonnes="-1")
    assert set(caught.value.message_dict) == {"title", "target_tonnes"}
    assert not Campaign.objects.exists()


def test_the_campaign_page_shows_the_listings_and_the_tonnes_on_sale(admin_units, client):
    commune = current_commune("24")
    home = province_of(commune)
    campaign = _campaign(officer(Role.PROVINCE_OFFICER, home), home)
    seller = selling_household(commune)
    listing(seller, kind=lychee(), unit="kg", stock_quantity=2000, publish=True,
            title="Vải thiều Lục Ngạn loại một")  # fmt: skip
    assert campaign_listed_tonnes(campaign, today=timezone.localdate()) == Decimal("2.000")
    response = client.get(reverse("harvests:campaign", args=[campaign.pk]))
    assert response.status_code == 200
    assert "Vải thiều Lục Ngạn loại một" in response.content.decode()
    assert response.context["percent"] == 2


def test_campaigns_are_listed_publicly_and_opened_through_the_api(admin_units, client):
    home = province_of(current_commune("24"))
    lychee()
    client.force_login(officer(Role.PROVINCE_OFFICER, home))
    created = client.post(
        reverse("api-campaign-list"),
        {"title": "Giải cứu vải", "produce": "vai-thieu", "province": "24",
         "target_tonnes": "50", "starts_on": "2026-06-01", "ends_on": "2026-06-20"},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    client.logout()
    assert client.get(reverse("api-campaign-list")).json()["count"] == 1
